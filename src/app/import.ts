/**
 * Use case "load these files into the store" (`clout import`, and `POST /api/import` on a store a server holds):
 * platform exports recognised by content (X, Bluesky, Mastodon archives; Stripe, Shopify exports; files, folders or
 * .zip archives) and interchange files (CSV, NDJSON/JSONL, Parquet, optionally .gz), read by ingest/ and upserted.
 */
import type { ConversionType, Kind } from '../domain/index.js';
import { importPaths, planImport, type ImportProgress, type ImportSummary } from '../ingest/index.js';
import { closeStore, openStore, type Store } from '../store/db.js';

export type { FileSummary, ImportProgress, ImportSummary, RecognisedSource } from '../ingest/index.js';

/** What an import is asked: what the files hold (else read from each name), where rejects go, and progress. */
export interface ImportRequest {
  kind?: Kind;
  /** The type of the conversions read from order and payment exports (default `sale`). */
  conversionType?: ConversionType;
  rejectsPath?: string;
  onProgress?: (p: ImportProgress) => void;
}

/** Checks the paths and the kind before any store is opened (a missing file or an unknown kind is a usage error). */
export async function checkImportPaths(paths: readonly string[], kind?: Kind): Promise<void> {
  (await planImport(paths, kind)).close();
}

/** Imports the files and folders into an open store (the server calls this inside its writer queue). */
export async function importFiles(store: Store, paths: readonly string[], request: ImportRequest = {}): Promise<ImportSummary> {
  return importPaths(store, paths, request);
}

/** Opens (or creates) the store at `dbPath`, imports the files and folders into it, and closes it. */
export async function importIntoDb(dbPath: string, paths: readonly string[], request: ImportRequest = {}): Promise<ImportSummary> {
  const store = await openStore(dbPath);
  try {
    return await importFiles(store, paths, request);
  } finally {
    await closeStore(store);
  }
}
