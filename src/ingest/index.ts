/**
 * Import: files and folders of the interchange format (CSV, NDJSON/JSONL, Parquet, optionally gzipped) into the
 * store. Plan (which files, which kind, headers that can work) → apply (stream, validate, upsert) → summary.
 * Every bad row is rejected with file, line, field and reason into the rejects file; good rows still import.
 */
import { randomBytes } from 'node:crypto';
import { CloutError } from '../domain/index.js';
import { deferCheckpoints, recordImportRun, type Store } from '../store/index.js';
import { planFiles } from './files.js';
import { importFile } from './import-file.js';
import { resolveImportOptions, type ImportOptions } from './options.js';
import { checkFileColumns } from './readers.js';
import { defaultRejectsPath, RejectSink } from './rejects.js';
import type { FileSummary, ImportSummary } from './types.js';

export type { FileSummary, ImportProgress, ImportSummary, PlannedFile, RejectRecord, InputFormat } from './types.js';
export { IMPORT_DEFAULTS, type ImportOptions } from './options.js';
export { planFiles, detectFormat, fileStem } from './files.js';
export { defaultRejectsPath } from './rejects.js';
export { REFERENCES } from './references.js';

/** A fresh run id from the clock: `20260105T093000123Z-1a2b`. */
export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:.]/g, '') + '-' + randomBytes(2).toString('hex');
}

/**
 * Imports files and folders into an open store and returns what happened per file. Folders are walked
 * recursively; files load in KINDS order (referenced kinds first). Throws a CloutError (code `usage`,
 * `file_not_found`, `unknown_kind`, `unsupported_format`, `bad_option` or `input`) before writing anything when the
 * paths, options or a file's columns cannot work.
 */
export async function importPaths(store: Store, paths: readonly string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const opts = resolveImportOptions(options);
  const startedAt = Date.now();
  const runId = opts.runId ?? newRunId(new Date(startedAt));
  const plan = planFiles(paths, opts.kind);
  const problems = [];
  for (const file of plan.files) {
    const problem = await checkFileColumns(store, file);
    if (problem !== undefined) problems.push(problem.message);
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more file(s) like it)` : '';
    throw new CloutError('input', `${problems[0]}${more}; nothing was imported`, { problems });
  }

  const rejects = new RejectSink(opts.rejectsPath ?? defaultRejectsPath(store.path, runId));
  const files: FileSummary[] = [];
  const notices = [...plan.notices];
  const runBytesTotal = plan.files.reduce((s, f) => s + f.bytes, 0);
  let runBytesBefore = 0;
  const endBulkLoad = await deferCheckpoints(store);
  let failed = true;
  try {
    for (let i = 0; i < plan.files.length; i++) {
      const file = plan.files[i]!;
      const result = await importFile(store, file, rejects, {
        fileIndex: i,
        fileCount: plan.files.length,
        runBytesBefore,
        runBytesTotal,
        batchRows: opts.batchRows,
        onProgress: opts.onProgress,
      });
      files.push(result.summary);
      notices.push(...result.notices);
      runBytesBefore += file.bytes;
    }
    failed = false;
  } finally {
    rejects.flush();
    // After a failure, its error is the one to report, not a second one from here.
    await (failed ? endBulkLoad().catch(() => undefined) : endBulkLoad());
  }
  const summary: ImportSummary = {
    files,
    rejected_total: rejects.rejected,
    rejects_path: rejects.rejected > 0 ? rejects.path : null,
    notices,
  };
  await recordImportRun(store, {
    id: runId,
    startedAt,
    finishedAt: Date.now(),
    files: files.length,
    read: files.reduce((s, f) => s + f.read, 0),
    imported: files.reduce((s, f) => s + f.imported, 0),
    updated: files.reduce((s, f) => s + f.updated, 0),
    rejected: summary.rejected_total,
    rejectsPath: summary.rejects_path,
  });
  return summary;
}
