/** Opens the reader a planned file needs (CSV, NDJSON or Parquet) behind one interface. */
import { FIELDS } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { compareColumns, duplicateColumns } from './columns.js';
import { readCsv, readCsvHeader } from './csv.js';
import { readNdjson } from './ndjson.js';
import { openParquet, parquetColumns } from './parquet.js';
import { openSource } from './source.js';
import type { PlannedFile, RawRecord } from './types.js';

/** A file being read: its records in batches and how far into the file the reader is. */
export interface RecordReader {
  batches: AsyncGenerator<RawRecord[]>;
  /** Bytes of the file (on disk) read so far; an estimate for Parquet. */
  bytesDone(): number;
  /** Columns (CSV header, Parquet schema) or keys (NDJSON) the kind does not have; filled as they are seen. */
  unknownColumns: Set<string>;
}

/** Opens a reader for a planned file. */
export async function openReader(store: Store, file: PlannedFile): Promise<RecordReader> {
  const unknownColumns = new Set<string>();
  if (file.format === 'parquet') {
    const parquet = await openParquet(store, file.path);
    for (const c of compareColumns(file.kind, parquet.columns).unknown) unknownColumns.add(c);
    return {
      batches: parquet.records(),
      bytesDone: () => (parquet.rows === 0 ? file.bytes : Math.round((file.bytes * parquet.recordsRead()) / parquet.rows)),
      unknownColumns,
    };
  }
  const source = openSource(file.path, file.gzip);
  if (file.format === 'csv') {
    const batches = readCsv(source, (header) => {
      for (const c of compareColumns(file.kind, header.names).unknown) unknownColumns.add(c);
    });
    return { batches, bytesDone: source.bytesRead, unknownColumns };
  }
  const batches = collectUnknownKeys(readNdjson(source), new Set(FIELDS[file.kind]), unknownColumns);
  return { batches, bytesDone: source.bytesRead, unknownColumns };
}

/** Passes NDJSON batches through, noting keys the kind does not have. */
async function* collectUnknownKeys(
  batches: AsyncGenerator<RawRecord[]>,
  known: ReadonlySet<string>,
  unknown: Set<string>,
): AsyncGenerator<RawRecord[]> {
  for await (const batch of batches) {
    for (const r of batch) {
      if (r.fields === undefined) continue;
      for (const k in r.fields) if (!known.has(k)) unknown.add(k);
    }
    yield batch;
  }
}

/** A file whose columns cannot make a single valid record, found before anything is written. */
export interface ColumnProblem {
  file: string;
  message: string;
}

/**
 * Checks the header (CSV) or schema (Parquet) of a file: a required column missing or a column named twice
 * means no row of it could import, so the import refuses the file up front. NDJSON has no header to check.
 */
export async function checkFileColumns(store: Store, file: PlannedFile): Promise<ColumnProblem | undefined> {
  let names: string[];
  let where: string;
  if (file.format === 'csv') {
    const header = await readCsvHeader(openSource(file.path, file.gzip));
    if (header === undefined) return undefined; // an empty file: nothing to import, nothing to refuse
    names = header.names;
    where = `header (line ${header.line})`;
  } else if (file.format === 'parquet') {
    names = (await parquetColumns(store, file.path)).columns;
    where = 'schema';
  } else {
    return undefined;
  }
  const dups = duplicateColumns(names);
  if (dups.length > 0) return { file: file.path, message: `${file.path}: the ${where} names column(s) ${dups.join(', ')} more than once` };
  const { missing } = compareColumns(file.kind, names);
  if (missing.length === 0) return undefined;
  return {
    file: file.path,
    message:
      `${file.path}: the ${where} lacks required column(s) ${missing.join(', ')} of ${file.kind} ` +
      `(has: ${names.join(', ') || 'nothing'})`,
  };
}
