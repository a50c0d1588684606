/** The shapes that flow through an import: raw records from readers, per-file counts, the run's summary. */
import type { Kind } from '../domain/index.js';

/** The file formats an import reads. */
export type InputFormat = 'csv' | 'ndjson' | 'parquet';

/** A data file to import, after path expansion and kind detection. */
export interface PlannedFile {
  /** The path as given or found (joined to the folder it was found in). */
  path: string;
  kind: Kind;
  format: InputFormat;
  gzip: boolean;
  /** Size on disk in bytes (compressed size for .gz). */
  bytes: number;
}

/** A problem a reader found before validation (broken JSON, wrong column count, broken quoting). */
export interface ReadProblem {
  field: string;
  reason: string;
}

/** One record as a reader saw it: where it starts, its raw text, and its fields or the reason it cannot have any. */
export interface RawRecord {
  /** 1-based physical line where the record starts (Parquet: row number + 1). */
  line: number;
  /** The record's text as found in the file (Parquet: the row as JSON). */
  raw: string;
  /** Field name → value (CSV: strings, blank cells left out; NDJSON/Parquet: JSON values). */
  fields: Record<string, unknown> | undefined;
  /** Set when the reader could not make fields of this record. */
  problem: ReadProblem | undefined;
}

/** A rejected row, as written (one JSON object per line) to the rejects file. */
export interface RejectRecord {
  file: string;
  line: number;
  kind: Kind;
  field: string;
  reason: string;
  raw: string;
}

/** What happened to one file. `read` = imported + updated + unchanged + rejected. */
export interface FileSummary {
  file: string;
  kind: Kind;
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
}

/** What an import did. */
export interface ImportSummary {
  files: FileSummary[];
  rejected_total: number;
  /** The rejects file when any row was rejected, else null. */
  rejects_path: string | null;
  /** Human-readable warnings (ignored columns, unknown references, skipped files), in order. */
  notices: string[];
}

/** Progress of an import, reported after each batch. */
export interface ImportProgress {
  file: string;
  kind: Kind;
  /** 0-based index of the file and the number of files. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file read so far and its size (compressed bytes for .gz). */
  bytesDone: number;
  bytesTotal: number;
  /** Bytes of every file before this one plus bytesDone, and the size of all files. */
  runBytesDone: number;
  runBytesTotal: number;
  /** Records read from this file so far. */
  records: number;
}
