/**
 * Rows of one CSV or NDJSON file (optionally gzipped) as plain records, for commands that read a column of any table
 * rather than a kind of the interchange format (`clout framing classify FILE --text-column COL`). Parquet is not read
 * here. Unreadable records come through with their problem, never dropped.
 */
import { CloutError } from '../domain/index.js';
import { readCsv } from './csv.js';
import { detectFormat } from './files.js';
import { readNdjson } from './ndjson.js';
import { openSource } from './source.js';
import type { RawRecord } from './types.js';

/** The records of a CSV/NDJSON file; `onColumns` gets a CSV file's header names before any record. */
export async function* readTableFile(path: string, onColumns?: (names: string[]) => void): AsyncGenerator<RawRecord[]> {
  const detected = detectFormat(path);
  if (detected === undefined || detected.format === 'parquet') {
    throw new CloutError('unsupported_format', `${path}: read a .csv or .ndjson/.jsonl file (optionally .gz)`);
  }
  const source = openSource(path, detected.gzip);
  if (detected.format === 'csv') yield* readCsv(source, (h) => onColumns?.(h.names));
  else yield* readNdjson(source);
}
