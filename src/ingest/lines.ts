/**
 * Physical lines of a text file, numbered from 1, streamed in small batches. A line ends at `\n` (the line's text
 * keeps a `\r` before it; readers drop it, so CRLF is one line end). A UTF-8 BOM at the start is dropped. Bytes
 * that are not UTF-8 become U+FFFD. A line longer than MAX_LINE_BYTES is not kept: it is reported as too long.
 */
import { isAscii } from 'node:buffer';
import { DamagedSourceError, type ByteSource } from './source.js';

/** Longest line (in bytes) kept in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of a line that is too long, or of the text where a file is damaged, is kept. */
export const EXCERPT_CHARS = 1000;
/** Lines per batch: small, so the consumer gets control back often. */
const BATCH = 1024;

/** Consecutive lines: `texts[i]` is line `first + i`; `tooLong[i]`, when set, means that line was cut to an excerpt. */
export interface LineBatch {
  first: number;
  texts: string[];
  tooLong: boolean[] | undefined;
  /** Set on the last batch when the file is damaged after its lines: why, and the unreadable text's start. */
  damage: { reason: string; excerpt: string } | undefined;
}

/** Splits a byte source into numbered lines. */
export async function* readLines(source: ByteSource): AsyncGenerator<LineBatch> {
  // A newline byte never occurs inside a UTF-8 sequence, so each chunk is decoded up to its last newline and
  // the bytes after it wait for the next chunk.
  let carry: Buffer | undefined;
  let line = 1;
  let atStart = true;
  let skipping = false; // inside a line that is too long, dropping bytes until its end
  let batch = newBatch(line);
  const push = (text: string, tooLong = false): LineBatch | undefined => {
    if (tooLong) (batch.tooLong ??= [])[batch.texts.length] = true;
    batch.texts.push(text);
    line++;
    if (batch.texts.length < BATCH) return undefined;
    const full = batch;
    batch = newBatch(line);
    return full;
  };
  try {
    for await (const chunk of source.chunks) {
      let bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
      carry = undefined;
      if (atStart && bytes.length >= 3) {
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        atStart = false;
      }
      const cut = bytes.lastIndexOf(10) + 1;
      if (cut < bytes.length) {
        carry = bytes.subarray(cut);
        if (carry.length > MAX_LINE_BYTES && !skipping) {
          const full = push(carry.toString('utf8', 0, EXCERPT_CHARS), true);
          if (full) yield full;
          skipping = true;
        }
        if (skipping) carry = undefined;
      }
      if (cut === 0) continue;
      const piece = bytes.subarray(0, cut);
      // Plain ASCII (the common case) decodes far faster as latin1, to the same string.
      const text = isAscii(piece) ? piece.toString('latin1') : piece.toString('utf8');
      let pos = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', pos)) {
        if (skipping) skipping = false; // the end of the line that was too long (already pushed)
        else {
          const full = push(text.slice(pos, end));
          if (full) yield full;
        }
        pos = end + 1;
      }
    }
  } catch (e) {
    if (!(e instanceof DamagedSourceError)) throw e;
    const excerpt = carry === undefined ? '' : carry.toString('utf8', 0, Math.min(carry.length, EXCERPT_CHARS));
    batch.damage = { reason: e.message, excerpt };
    yield batch;
    return;
  }
  if (carry !== undefined && !skipping) {
    if (atStart && carry.length >= 3 && carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) carry = carry.subarray(3);
    push(carry.toString('utf8'));
  }
  if (batch.texts.length > 0) yield batch;
}

function newBatch(first: number): LineBatch {
  return { first, texts: [], tooLong: undefined, damage: undefined };
}

/** The text of a line without the `\r` of a CRLF. */
export function withoutCr(text: string): string {
  return text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}
