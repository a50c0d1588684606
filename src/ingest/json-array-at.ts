/**
 * Streams the elements of the array under one key of a JSON document's top-level object — an ActivityStreams
 * collection's `orderedItems`, a Stripe list's `data` — without holding the document: the bytes before the array are
 * scanned (strings, escapes and nesting tracked) until the key is found at the top level with an array as its value;
 * the keys before it are parsed as the document's head; the array is then read by readJsonArray, and what follows it
 * is left unread. A document that is itself an array is read as that array.
 */
import { readJsonArray, type JsonArrayItem, type JsonArrayOptions } from './json-array.js';

/** Longest part of a document read before its array (the keys before it, such as a large `@context`). */
export const MAX_HEAD_BYTES = 16 * 1024 * 1024;

/** A document opened at its array: the keys before the array, and the array's elements in batches. */
export type OpenedArray =
  | { ok: true; head: Record<string, unknown>; items: AsyncGenerator<JsonArrayItem[]> }
  | { ok: false; reason: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** Opens the array under `key` of the document in `chunks` (or the document itself when it is an array). */
export async function openJsonArrayAt(chunks: AsyncIterable<Buffer>, key: string, options: JsonArrayOptions = {}): Promise<OpenedArray> {
  const iterator = chunks[Symbol.asyncIterator]();
  const wanted = Buffer.from(JSON.stringify(key));
  let acc: Buffer = Buffer.alloc(0);
  let i = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringStart = -1;
  let keyPosition = false; // at depth 1, after `{` or `,`: the next string is a key
  let lastKey: { start: number; end: number } | undefined; // the key whose value comes next
  let afterColon = false; // at depth 1, between `:` and the value
  let first = -1; // the first non-space byte of the document
  for (;;) {
    if (i >= acc.length) {
      if (acc.length > MAX_HEAD_BYTES) return { ok: false, reason: `no "${key}" array in the first ${MAX_HEAD_BYTES / (1024 * 1024)} MB` };
      const next = await iterator.next();
      if (next.done) return { ok: false, reason: first === -1 ? 'empty file' : `no "${key}" array at the top level` };
      acc = acc.length === 0 ? next.value : Buffer.concat([acc, next.value]);
      continue;
    }
    const b = acc[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) {
        inString = false;
        if (depth === 1 && keyPosition) {
          lastKey = { start: stringStart, end: i + 1 };
          keyPosition = false;
        }
      }
      i++;
      continue;
    }
    if (b <= 0x20 || b === 0xef || b === 0xbb || b === 0xbf) {
      i++; // whitespace, and the bytes of a UTF-8 BOM
      continue;
    }
    if (first === -1) {
      first = i;
      if (b === 0x5b) return opened(acc, i, iterator, {}, options); // the document is an array
      if (b !== 0x7b) return { ok: false, reason: 'not a JSON object or array' };
    }
    if (afterColon) {
      afterColon = false;
      if (b === 0x5b && lastKey !== undefined && acc.subarray(lastKey.start, lastKey.end).equals(wanted)) {
        return opened(acc, i, iterator, headOf(acc, lastKey.start), options);
      }
    }
    if (b === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (b === 0x7b || b === 0x5b) {
      depth++;
      keyPosition = depth === 1;
    } else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return { ok: false, reason: `no "${key}" array at the top level` };
    } else if (b === COMMA && depth === 1) {
      keyPosition = true;
    } else if (b === COLON && depth === 1) {
      afterColon = true;
    }
    i++;
  }
}

/** The keys before the array's key, as an object (empty when they do not parse on their own). */
function headOf(acc: Buffer, keyStart: number): Record<string, unknown> {
  const text = acc.toString('utf8', 0, keyStart).trimEnd().replace(/,$/, '');
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, '') + '}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function opened(
  acc: Buffer,
  at: number,
  iterator: AsyncIterator<Buffer>,
  head: Record<string, unknown>,
  options: JsonArrayOptions,
): OpenedArray {
  let firstLine = 1;
  for (let k = acc.indexOf(NEWLINE); k !== -1 && k < at; k = acc.indexOf(NEWLINE, k + 1)) firstLine++;
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      yield acc.subarray(at);
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.(); // stop reading the file when the array ends before it does
    }
  }
  return { ok: true, head, items: readJsonArray(rest(), { ...options, firstLine, ignoreTrailing: true }) };
}
