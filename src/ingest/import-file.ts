/** Imports one planned file: read → validate → write, rejecting bad rows and counting what happened. */
import type { Kind } from '../domain/index.js';
import { KindWriter, type Store, type WriteCounts } from '../store/index.js';
import { openReader } from './readers.js';
import { REFERENCES } from './references.js';
import type { RejectSink } from './rejects.js';
import type { FileSummary, ImportProgress, PlannedFile } from './types.js';
import { checkRecord } from './validate.js';

/** Where a file sits in its run, for progress reports. */
export interface FileContext {
  fileIndex: number;
  fileCount: number;
  runBytesBefore: number;
  runBytesTotal: number;
  batchRows: number;
  onProgress: ((p: ImportProgress) => void) | undefined;
}

/** A file's summary and the notices it raised. */
export interface FileResult {
  summary: FileSummary;
  notices: string[];
}

/** Imports one file into the store; rejected rows go to `rejects`. */
export async function importFile(store: Store, file: PlannedFile, rejects: RejectSink, ctx: FileContext): Promise<FileResult> {
  const { kind, path } = file;
  const writer = await KindWriter.open(store, kind, { batchRows: ctx.batchRows, references: REFERENCES[kind] });
  let reader: Awaited<ReturnType<typeof openReader>>;
  try {
    reader = await openReader(store, file);
  } catch (e) {
    await writer.close();
    throw e;
  }
  let read = 0;
  let rejected = 0;
  const progress = (): void => {
    if (ctx.onProgress === undefined) return;
    const bytesDone = Math.min(reader.bytesDone(), file.bytes);
    ctx.onProgress({
      file: path,
      kind,
      fileIndex: ctx.fileIndex,
      fileCount: ctx.fileCount,
      bytesDone,
      bytesTotal: file.bytes,
      runBytesDone: ctx.runBytesBefore + bytesDone,
      runBytesTotal: ctx.runBytesTotal,
      records: read,
    });
  };
  try {
    for await (const batch of reader.batches) {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        read++;
        if (r.problem !== undefined) {
          rejects.add({ file: path, line: r.line, kind, field: r.problem.field, reason: r.problem.reason, raw: r.raw });
          rejected++;
          continue;
        }
        const checked = checkRecord(kind, r.fields!);
        if (!checked.ok) {
          rejects.add({ file: path, line: r.line, kind, field: checked.field, reason: checked.reason, raw: r.raw });
          rejected++;
          continue;
        }
        writer.add(checked.record);
        if (writer.full) await writer.cycle();
      }
      progress();
      // While DuckDB merges, let the event loop turn between batches so that each of its statements is noticed
      // as soon as it is done (a pending promise cannot resolve while this loop runs synchronously).
      if (writer.busy) await new Promise((resolve) => setImmediate(resolve));
    }
    const counts = await writer.finish();
    rejects.flush();
    const notices: string[] = [];
    let warnings = 0;
    if (reader.unknownColumns.size > 0) {
      warnings++;
      notices.push(`${path}: ignored column(s) ${[...reader.unknownColumns].join(', ')} (not fields of ${kind})`);
    }
    const references = referenceNotice(path, kind, counts);
    if (references !== undefined) {
      warnings += references.count;
      notices.push(references.notice);
    }
    return {
      summary: {
        file: path,
        kind,
        read,
        imported: counts.imported,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected,
        reported: 0,
        warnings,
      },
      notices,
    };
  } finally {
    await reader.batches.return(undefined);
    await writer.close();
  }
}

/** The notice about references to records not in the store that a kind's writer counted, if there were any. */
export function referenceNotice(path: string, kind: Kind, counts: WriteCounts): { count: number; notice: string } | undefined {
  const unknown = Object.entries(counts.unknownReferences).filter(([, n]) => n > 0);
  const count = unknown.reduce((s, [, n]) => s + n, 0);
  if (count === 0) return undefined;
  const detail = unknown
    .map(([column, n]) => `${column} → ${REFERENCES[kind].find((r) => r.column === column)!.table}: ${n}`)
    .join(', ');
  return { count, notice: `${path}: ${count} reference(s) to records not in the store, kept (${detail})` };
}
