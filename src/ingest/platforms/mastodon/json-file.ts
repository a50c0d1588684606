/** A whole JSON file of an archive, read into memory when it is small enough to parse in one go. */
import type { SourceEntry } from '../types.js';

/** The largest JSON file read (256 MB): V8 cannot hold much larger strings, and parsing needs several times this. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** A parsed JSON file, or why it could not be read. */
export type JsonFile = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reads and parses an entry as JSON (a leading BOM is ignored); refuses entries larger than `maxBytes`. */
export async function readJsonEntry(entry: SourceEntry, maxBytes = MAX_JSON_BYTES): Promise<JsonFile> {
  const tooLarge = (): JsonFile => ({
    ok: false,
    reason: `larger than ${formatSize(maxBytes)}: too large to read (split the archive or ask for this limit to be raised)`,
  });
  if (entry.bytes > maxBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let have = 0;
  for await (const chunk of entry.open()) {
    have += chunk.length;
    if (have > maxBytes) return tooLarge();
    chunks.push(chunk);
  }
  let text = Buffer.concat(chunks).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: `not valid JSON: ${(e as Error).message}` };
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}
