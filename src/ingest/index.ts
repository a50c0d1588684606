/**
 * Import: files and folders of the interchange format (CSV, NDJSON/JSONL, Parquet, optionally gzipped) into the
 * store. Plan (which files, which kind, headers that can work) → apply (stream, validate, upsert) → summary.
 * Every bad row is rejected with file, line, field and reason into the rejects file; good rows still import.
 */
import { randomBytes } from 'node:crypto';
import { CloutError } from '../domain/index.js';
import { deferCheckpoints, recordImportRun, type Store } from '../store/index.js';
import { importFile, type FileResult } from './import-file.js';
import { importSource } from './import-source.js';
import { planImport } from './plan.js';
import { resolveImportOptions, type ImportOptions, type ResolvedImportOptions } from './options.js';
import { checkFileColumns } from './readers.js';
import { defaultRejectsPath, RejectSink } from './rejects.js';
import type { ImportPlan, ImportUnit } from './plan.js';
import type { FileSummary, ImportSummary, RecognisedSource } from './types.js';

export type { FileSummary, ImportProgress, ImportSummary, PlannedFile, RecognisedSource, RejectRecord, InputFormat } from './types.js';
export { planImport, type ImportPlan, type ImportUnit, type PlannedSource } from './plan.js';
export type { PlatformImporter, SourceEntry, Emitted, Origin, PlatformContext } from './platforms/types.js';
export { PLATFORM_IMPORTERS, type RegisteredImporter } from './platforms/registry.js';
export { IMPORT_DEFAULTS, type ImportOptions } from './options.js';
export { planFiles, detectFormat, fileStem } from './files.js';
export { readTableFile } from './table-file.js';
export { defaultRejectsPath } from './rejects.js';
export { REFERENCES } from './references.js';

/** A fresh run id from the clock: `20260105T093000123Z-1a2b`. */
export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:.]/g, '') + '-' + randomBytes(2).toString('hex');
}

/**
 * Imports files, folders and .zip archives into an open store and returns what happened per file and kind.
 * Platform exports (X, Bluesky, Mastodon, Stripe, Shopify) are recognised by content and read by their importers;
 * other files are interchange files recognised by name. Folders are walked recursively; everything loads in KINDS
 * order (referenced kinds first). Throws a CloutError (code `usage`, `file_not_found`, `unknown_kind`,
 * `unsupported_format`, `bad_option` or `input`) before writing anything when the paths, options or a file's
 * columns cannot work.
 */
export async function importPaths(store: Store, paths: readonly string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const opts = resolveImportOptions(options);
  const startedAt = Date.now();
  const runId = opts.runId ?? newRunId(new Date(startedAt));
  const plan = await planImport(paths, opts.kind, opts.importers);
  try {
    const problems = [];
    for (const unit of plan.units) {
      if (unit.type !== 'file') continue;
      const problem = await checkFileColumns(store, unit.file);
      if (problem !== undefined) problems.push(problem.message);
    }
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more file(s) like it)` : '';
      throw new CloutError('input', `${problems[0]}${more}; nothing was imported`, { problems });
    }
    return await applyPlan(store, plan, runId, startedAt, opts);
  } finally {
    plan.close();
  }
}

async function applyPlan(store: Store, plan: ImportPlan, runId: string, startedAt: number, opts: ResolvedImportOptions): Promise<ImportSummary> {
  const rejects = new RejectSink(opts.rejectsPath ?? defaultRejectsPath(store.path, runId));
  const files: FileSummary[] = [];
  const notices = [...plan.notices];
  const unitBytes = (u: ImportUnit): number => (u.type === 'file' ? u.file.bytes : u.source.bytes);
  const runBytesTotal = plan.units.reduce((s, u) => s + unitBytes(u), 0);
  let runBytesBefore = 0;
  const endBulkLoad = await deferCheckpoints(store);
  let failed = true;
  try {
    for (let i = 0; i < plan.units.length; i++) {
      const unit = plan.units[i]!;
      const ctx = {
        fileIndex: i,
        fileCount: plan.units.length,
        runBytesBefore,
        runBytesTotal,
        batchRows: opts.batchRows,
        onProgress: opts.onProgress,
      };
      const results: FileResult[] =
        unit.type === 'file'
          ? [await importFile(store, unit.file, rejects, ctx)]
          : await importSource(store, unit.source, rejects, ctx, { conversionType: opts.conversionType });
      for (const result of results) {
        files.push(result.summary);
        notices.push(...result.notices);
      }
      runBytesBefore += unitBytes(unit);
    }
    failed = false;
  } finally {
    rejects.flush();
    // After a failure, its error is the one to report, not a second one from here.
    await (failed ? endBulkLoad().catch(() => undefined) : endBulkLoad());
  }
  const sources: RecognisedSource[] = plan.units.flatMap((u) =>
    u.type === 'source'
      ? [{ path: u.source.path, importer: u.source.importer.id, label: u.source.importer.label, files: u.source.entries.map((e) => e.name) }]
      : [],
  );
  const summary: ImportSummary = {
    sources,
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
