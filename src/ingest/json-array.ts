/**
 * Streams the elements of the top-level JSON array of a byte stream, one element at a time, with the 1-based line
 * where each starts and its 0-based index, without holding the file in memory (only the element being read).
 *
 * The array may follow a JavaScript assignment (`window.YTD.tweets.part0 = [ … ]`, as X archives write it) and a
 * UTF-8 BOM; a `;` may follow it. The scanner walks bytes (structural bytes are ASCII, so a multi-byte UTF-8
 * character split across chunks never confuses it), skips strings with a native search for their closing quote,
 * and cuts each element at the `,` or `]` that ends it at depth 1; each element's bytes are then decoded and given
 * to JSON.parse. An element that does not parse is a problem and reading goes on with the next one; a file that
 * breaks the array's structure (a stray `}`, the end of the file inside an element, damaged bytes) ends with one
 * fatal problem for the rest of it.
 */
import { DamagedSourceError } from './source.js';

/** One element of the array, or a problem where one was expected. */
export interface JsonArrayItem {
  /** 0-based position in the array (for a problem after the array: the number of elements). */
  index: number;
  /** 1-based line where the element (or the problem) starts. */
  line: number;
  /** The element's source text (an excerpt when it is too long or the rest of the file cannot be read). */
  text: string;
  /** The parsed element, when it parsed. */
  value: unknown;
  /** Why this element could not be read; undefined when it was. */
  problem: string | undefined;
  /** True on the last item when reading stopped here: nothing after it can be read. */
  fatal: boolean;
}

/** Limits of the reader. */
export interface JsonArrayOptions {
  /** Longest element (bytes) kept in memory; a longer one is a problem (default 64 MiB). */
  maxElementBytes?: number;
  /** Items per batch (default 1024). */
  batch?: number;
  /** Line of the first byte (default 1): for an array that starts inside a file (openJsonArrayAt). */
  firstLine?: number;
  /** Stop at the array's `]` and leave whatever follows unread (default: only whitespace and `;` may follow). */
  ignoreTrailing?: boolean;
}

/** How much source text a problem keeps. */
export const EXCERPT_CHARS = 1000;
/** Longest text accepted before the `[` (an assignment such as `window.YTD.tweets.part0 = `). */
const MAX_PREFIX_BYTES = 4096;
/** What may precede the array: an optional dotted name and `=`. */
const PREFIX = /^\s*(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*=\s*)?$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/** Reads the elements of the JSON array in `chunks`, in batches. */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, options: JsonArrayOptions = {}): AsyncGenerator<JsonArrayItem[]> {
  const maxElement = options.maxElementBytes ?? 64 * 1024 * 1024;
  const batchSize = options.batch ?? 1024;
  let out: JsonArrayItem[] = [];

  // Before the array: the prefix, kept until its `[`.
  let prefix: Buffer[] | undefined = [];
  let prefixBytes = 0;
  // Inside the array.
  let line = options.firstLine ?? 1;
  let depth = 0; // 1 = inside the top-level array
  let inString = false;
  let backslashes = 0; // length of the run of backslashes that ends the scanned part of a string (across chunks)
  let index = 0;
  let start = -1; // where the current element starts in this chunk; -1 when none, or it started in an earlier chunk
  let startLine = 0;
  let pending: Buffer[] | undefined; // the current element's bytes from earlier chunks
  let pendingBytes = 0;
  let tooLong = false;
  let tooLongExcerpt = '';
  let sawElement = false; // an element (or an empty slot) since the last `,` or `[`
  let ended = false; // the array's `]` was seen
  let trailing: { line: number; text: string } | undefined; // text after the array
  let stopped = false;

  const push = (item: JsonArrayItem): JsonArrayItem[] | undefined => {
    out.push(item);
    if (out.length < batchSize) return undefined;
    const full = out;
    out = [];
    return full;
  };
  const fatal = (at: number, text: string, reason: string): void => {
    out.push({ index, line: at, text: text.slice(0, EXCERPT_CHARS), value: undefined, problem: reason, fatal: true });
    stopped = true;
  };
  /** The element that ends just before `end` in `buf`. */
  const finish = (buf: Buffer, end: number): JsonArrayItem => {
    let item: JsonArrayItem;
    if (tooLong) {
      item = { index, line: startLine, text: tooLongExcerpt, value: undefined, problem: `element is longer than ${maxElement} bytes`, fatal: false };
    } else {
      let bytes = buf;
      let from = start;
      if (pending !== undefined) {
        pending.push(buf.subarray(0, end));
        bytes = Buffer.concat(pending, pendingBytes + end);
        from = 0;
        end = bytes.length;
      }
      item = parseElement(bytes.toString('utf8', from, end), index, startLine);
      if (item.problem !== undefined) line += rawNewlinesInStrings(bytes.subarray(from, end));
    }
    index++;
    start = -1;
    pending = undefined;
    pendingBytes = 0;
    tooLong = false;
    return item;
  };

  try {
    for await (let buf of chunks) {
      if (stopped) break;
      let i = 0;
      const n = buf.length;
      if (prefix !== undefined) {
        // Looking for the `[` that opens the array.
        const open = buf.indexOf(LBRACKET);
        const take = open === -1 ? n : open;
        prefix.push(buf.subarray(0, take));
        prefixBytes += take;
        if (prefixBytes > MAX_PREFIX_BYTES || open === -1) {
          if (prefixBytes > MAX_PREFIX_BYTES) {
            fatal(1, Buffer.concat(prefix).toString('utf8'), 'expected a JSON array (optionally after an assignment such as window.YTD.tweets.part0 =)');
            break;
          }
          continue;
        }
        let head = Buffer.concat(prefix).toString('utf8');
        if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
        if (!PREFIX.test(head)) {
          fatal(1, head, 'expected a JSON array (optionally after an assignment such as window.YTD.tweets.part0 =)');
          break;
        }
        line += countNewlines(head);
        prefix = undefined;
        depth = 1;
        i = open + 1;
      }
      if (ended) {
        if (options.ignoreTrailing) break;
        // After the array: only whitespace and one `;`.
        const text = buf.toString('utf8', i);
        if (trailing === undefined && !/^[\s;]*$/.test(text)) trailing = { line, text: text.trimStart() };
        line += countNewlines(text);
        continue;
      }
      if (inString) i = stringEnd(buf, i, backslashes);
      if (i < 0) {
        // The whole chunk is inside one string.
        backslashes = trailingBackslashes(buf, 0, backslashes);
        i = n;
      } else if (inString) {
        inString = false;
        i++;
      }
      for (; i < n; i++) {
        const b = buf[i]!;
        if (b <= SPACE) {
          if (b === NEWLINE) {
            line++;
            // Pretty-printed files indent every line: skip the run of spaces in one tight loop.
            while (i + 1 < n && buf[i + 1] === SPACE) i++;
          }
          continue;
        }
        if (b === QUOTE) {
          if (depth === 1 && !sawElement) {
            sawElement = true;
            start = i;
            startLine = line;
          }
          const q = stringEnd(buf, i + 1, 0);
          if (q < 0) {
            inString = true;
            backslashes = trailingBackslashes(buf, i + 1, 0);
            i = n;
            break;
          }
          i = q;
          continue;
        }
        if (depth > 1) {
          if (b === LBRACE || b === LBRACKET) depth++;
          else if (b === RBRACE || b === RBRACKET) depth--;
          continue;
        }
        // Depth 1: between elements, or at the start of one.
        if (b === COMMA || b === RBRACKET) {
          if (sawElement) {
            const full = push(finish(buf, i));
            if (full) yield full;
          } else if (b === COMMA || index > 0) {
            const full = push({ index, line, text: '', value: undefined, problem: b === COMMA ? 'empty element (two commas in a row, or a comma after [)' : 'a comma before ] (trailing comma)', fatal: false });
            if (b === COMMA) index++;
            if (full) yield full;
          }
          sawElement = false;
          if (b === RBRACKET) {
            ended = true;
            depth = 0;
            if (options.ignoreTrailing) break;
            const rest = buf.toString('utf8', i + 1);
            if (!/^[\s;]*$/.test(rest)) trailing = { line, text: rest.trimStart() };
            line += countNewlines(rest);
            break;
          }
          continue;
        }
        if (b === RBRACE) {
          fatal(line, buf.toString('utf8', i, Math.min(n, i + EXCERPT_CHARS)), 'unexpected } at the top level of the array; the rest of the file cannot be read');
          break;
        }
        if (!sawElement) {
          sawElement = true;
          start = i;
          startLine = line;
        }
        if (b === LBRACE || b === LBRACKET) depth++;
      }
      if (stopped) break;
      // Keep the part of an unfinished element that lies in this chunk.
      if (sawElement && !ended) {
        const from = start >= 0 ? start : 0;
        if (!tooLong) {
          pending ??= [];
          pending.push(buf.subarray(from));
          pendingBytes += n - from;
          if (pendingBytes > maxElement) {
            tooLong = true;
            tooLongExcerpt = Buffer.concat(pending).toString('utf8', 0, EXCERPT_CHARS);
            pending = undefined;
            pendingBytes = 0;
          }
        }
        start = -1;
      }
      if (out.length > 0) {
        yield out;
        out = [];
      }
    }
  } catch (e) {
    if (!(e instanceof DamagedSourceError)) throw e;
    const text = pending === undefined ? '' : Buffer.concat(pending).toString('utf8', 0, EXCERPT_CHARS);
    fatal(sawElement ? startLine : line, text, `the file is damaged here (${e.message}); the rest of it cannot be read`);
  }
  if (!stopped) {
    if (prefix !== undefined) {
      const head = Buffer.concat(prefix).toString('utf8');
      fatal(1, head, head.trim() === '' ? 'the file is empty: expected a JSON array' : 'expected a JSON array (optionally after an assignment such as window.YTD.tweets.part0 =)');
    } else if (!ended) {
      const text = pending === undefined ? '' : Buffer.concat(pending).toString('utf8', 0, EXCERPT_CHARS);
      fatal(sawElement ? startLine : line, text, sawElement ? 'the file ends inside this element (truncated?); the array is not closed' : 'the file ends before the array is closed with ]');
    } else if (trailing !== undefined) {
      out.push({ index, line: trailing.line, text: trailing.text.slice(0, EXCERPT_CHARS), value: undefined, problem: 'unexpected text after the array', fatal: false });
    }
  }
  if (out.length > 0) yield out;
}

/** Parses one element's text. */
function parseElement(text: string, index: number, line: number): JsonArrayItem {
  try {
    return { index, line, text: trimEnd(text), value: JSON.parse(text), problem: undefined, fatal: false };
  } catch (e) {
    return { index, line, text: trimEnd(text).slice(0, EXCERPT_CHARS), value: undefined, problem: `invalid JSON: ${(e as Error).message}`, fatal: false };
  }
}

/** The text without the whitespace before the `,` that ended it (cheap when there is none). */
function trimEnd(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last <= SPACE ? text.trimEnd() : text;
}

/** Index of the quote that closes a string scanned from `from` (after `carried` backslashes), or -1. */
function stringEnd(buf: Buffer, from: number, carried: number): number {
  let at = from;
  for (;;) {
    const q = buf.indexOf(QUOTE, at);
    if (q < 0) return -1;
    // Escaped when an odd number of backslashes precedes it.
    let k = q - 1;
    while (k >= from && buf[k] === BACKSLASH) k--;
    let run = q - 1 - k;
    if (k < from) run += carried;
    if ((run & 1) === 0) return q;
    at = q + 1;
  }
}

/** The length of the run of backslashes at the end of `buf` (from `from`, after `carried` earlier ones). */
function trailingBackslashes(buf: Buffer, from: number, carried: number): number {
  let k = buf.length - 1;
  while (k >= from && buf[k] === BACKSLASH) k--;
  const run = buf.length - 1 - k;
  return k < from ? run + carried : run;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Line feeds inside strings (invalid JSON, not counted while scanning): found again when an element fails. */
function rawNewlinesInStrings(bytes: Buffer): number {
  let all = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) all++;
  let outside = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === NEWLINE) outside++;
  }
  return all - outside;
}
