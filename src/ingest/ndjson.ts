/**
 * NDJSON / JSONL reader: one JSON object per line. A line that is not a JSON object is one rejected record;
 * blank lines are skipped but counted, so every record carries its physical line number (see lines.ts for what a
 * line is).
 */
import { EXCERPT_CHARS, MAX_LINE_BYTES, readLines, withoutCr } from './lines.js';
import type { ByteSource } from './source.js';
import type { RawRecord } from './types.js';

/** Reads records from NDJSON bytes, in small batches. */
export async function* readNdjson(source: ByteSource): AsyncGenerator<RawRecord[]> {
  for await (const lines of readLines(source)) {
    const batch: RawRecord[] = [];
    for (let i = 0; i < lines.texts.length; i++) {
      const line = lines.first + i;
      if (lines.tooLong?.[i]) {
        batch.push(problem(line, lines.texts[i]!, `line is longer than ${MAX_LINE_BYTES} bytes`));
        continue;
      }
      const record = parseLine(withoutCr(lines.texts[i]!), line);
      if (record !== undefined) batch.push(record);
    }
    if (lines.damage !== undefined) {
      const line = lines.first + lines.texts.length;
      batch.push(problem(line, lines.damage.excerpt.slice(0, EXCERPT_CHARS), `the file is damaged here (${lines.damage.reason}); the rest of it cannot be read`));
    }
    if (batch.length > 0) yield batch;
  }
}

/** One line → a record, or undefined for a blank line. */
function parseLine(raw: string, line: number): RawRecord | undefined {
  if (raw.length === 0 || (raw.charCodeAt(0) !== 123 && raw.trim() === '')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return problem(line, raw, `invalid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem(line, raw, `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return { line, raw, fields: value as Record<string, unknown>, problem: undefined };
}

function problem(line: number, raw: string, reason: string): RawRecord {
  return { line, raw, fields: undefined, problem: { field: '', reason } };
}
