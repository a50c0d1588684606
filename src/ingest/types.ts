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
  /** 1-based line where the record starts; for formats without lines (JSON documents, CAR), the record's index. */
  line: number;
  /** The record's own address when it has one (an AT-URI, an order name). */
  record?: string;
  kind: Kind;
  field: string;
  reason: string;
  raw: string;
}

/**
 * What happened to the records of one kind from one file (or one platform export):
 * `read` = imported + updated + unchanged + rejected + reported.
 */
export interface FileSummary {
  file: string;
  kind: Kind;
  /** The platform importer that read it (`x-archive`, `shopify-orders`, …); absent for an interchange file. */
  importer?: string;
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Records read on purpose and not imported (a failed payment, a pending order), counted in `reasons`. */
  reported: number;
  /** Why records were reported, reason → count (present when `reported` > 0). */
  reasons?: Record<string, number>;
  warnings: number;
}

/** A platform export an import recognised: where, which importer, and which of its files it read. */
export interface RecognisedSource {
  path: string;
  importer: string;
  label: string;
  files: string[];
}

/** What an import did. */
export interface ImportSummary {
  /** The platform exports recognised by content, in load order. */
  sources: RecognisedSource[];
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
