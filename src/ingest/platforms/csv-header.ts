/** The header of a CSV entry, read from its first bytes, to recognise an export by its columns. */
import { readCsvHeader } from '../csv.js';
import type { SourceEntry } from './types.js';

/** Bytes read to find a header line (an export's header is far shorter). */
const HEAD_BYTES = 64 * 1024;

/** The lower-cased column names of an entry read as CSV, or undefined when it does not look like text with a header. */
export async function csvColumnsOf(entry: SourceEntry): Promise<ReadonlySet<string> | undefined> {
  const head = await entry.head(HEAD_BYTES);
  if (head.includes(0)) return undefined; // binary
  const firstLineEnd = head.indexOf(0x0a);
  const text = firstLineEnd === -1 ? head : head.subarray(0, firstLineEnd + 1);
  const header = await readCsvHeader({ chunks: (async function* () { yield text; })(), bytesRead: () => text.length });
  return header === undefined ? undefined : new Set(header.names);
}

/** True when every one of `names` is a column. */
export function hasAll(columns: ReadonlySet<string>, names: readonly string[]): boolean {
  return names.every((n) => columns.has(n));
}

/** True when at least one of `names` is a column. */
export function hasAny(columns: ReadonlySet<string>, names: readonly string[]): boolean {
  return names.some((n) => columns.has(n));
}
