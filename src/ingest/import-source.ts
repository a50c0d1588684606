/**
 * Imports one platform export (see platforms/types.ts): its importer turns the files it claimed into interchange
 * records of several kinds; each record is validated with its kind's schema and written by that kind's writer, and
 * every record read is counted as imported, updated, unchanged, rejected or reported, per kind.
 */
import { KINDS, type Kind } from '../domain/index.js';
import { KindWriter, storedAccounts, type Store, type WriteCounts } from '../store/index.js';
import { referenceNotice, type FileContext, type FileResult } from './import-file.js';
import type { PlannedSource } from './plan.js';
import type { PlatformContext, SourceEntry } from './platforms/types.js';
import { REFERENCES } from './references.js';
import type { RejectSink } from './rejects.js';
import { checkRecord } from './validate.js';

/** How many records of one kind a source gave, and what became of those not written. */
interface Tally {
  read: number;
  rejected: number;
  reported: number;
  reasons: Map<string, number>;
}

/** Imports a platform source into the store; one summary per kind it gave records of, in KINDS order. */
export async function importSource(
  store: Store,
  source: PlannedSource,
  rejects: RejectSink,
  ctx: FileContext,
  platform: PlatformContext,
): Promise<FileResult[]> {
  const writers = new Map<Kind, KindWriter>();
  const tallies = new Map<Kind, Tally>();
  let bytesDone = 0;
  const entries = source.entries.map((e): SourceEntry => ({
    ...e,
    open: () => counting(e.open(), (n) => (bytesDone += n)),
  }));
  const tally = (kind: Kind): Tally => {
    let t = tallies.get(kind);
    if (t === undefined) tallies.set(kind, (t = { read: 0, rejected: 0, reported: 0, reasons: new Map() }));
    return t;
  };
  const writerFor = async (kind: Kind): Promise<KindWriter> => {
    let w = writers.get(kind);
    if (w === undefined) {
      w = await KindWriter.open(store, kind, { batchRows: ctx.batchRows, references: REFERENCES[kind] });
      writers.set(kind, w);
    }
    return w;
  };
  // Account records from a platform are often second-hand (a mention's handle, a follower's id): what they leave
  // out is kept from the stored account instead of erased, so a stub never wipes out a fuller record.
  let pendingAccounts: Record<string, unknown>[] = [];
  const writeAccounts = async (): Promise<void> => {
    if (pendingAccounts.length === 0) return;
    const stored = await storedAccounts(store.conn, pendingAccounts.map((r) => String(r.id)));
    const writer = await writerFor('accounts');
    for (const record of pendingAccounts) {
      const before = stored.get(String(record.id));
      writer.add(before === undefined ? record : { ...before, ...definedFields(record) });
      if (writer.full) await writer.cycle();
    }
    pendingAccounts = [];
  };
  let records = 0;
  try {
    for await (const batch of source.importer.read(entries, platform)) {
      for (const item of batch) {
        const t = tally(item.kind);
        t.read++;
        records++;
        if (item.type === 'reported') {
          t.reported++;
          t.reasons.set(item.reason, (t.reasons.get(item.reason) ?? 0) + 1);
          continue;
        }
        if (item.type === 'reject') {
          t.rejected++;
          rejects.add({ ...origin(item.origin), kind: item.kind, field: item.field, reason: item.reason, raw: rawText(item.raw) });
          continue;
        }
        const checked = checkRecord(item.kind, item.fields);
        if (!checked.ok) {
          t.rejected++;
          rejects.add({ ...origin(item.origin), kind: item.kind, field: checked.field, reason: checked.reason, raw: rawText(item.raw) });
          continue;
        }
        if (item.kind === 'accounts') {
          pendingAccounts.push(checked.record);
          if (pendingAccounts.length >= ACCOUNTS_PER_LOOKUP) await writeAccounts();
          continue;
        }
        const writer = await writerFor(item.kind);
        writer.add(checked.record);
        if (writer.full) await writer.cycle();
      }
      ctx.onProgress?.({
        file: source.path,
        kind: source.loadsWith,
        fileIndex: ctx.fileIndex,
        fileCount: ctx.fileCount,
        bytesDone: Math.min(bytesDone, source.bytes),
        bytesTotal: source.bytes,
        runBytesDone: ctx.runBytesBefore + Math.min(bytesDone, source.bytes),
        runBytesTotal: ctx.runBytesTotal,
        records,
      });
      if ([...writers.values()].some((w) => w.busy)) await new Promise((resolve) => setImmediate(resolve));
    }
    await writeAccounts();
    rejects.flush();
    const results: FileResult[] = [];
    for (const kind of KINDS) {
      const t = tallies.get(kind);
      if (t === undefined) continue;
      const writer = writers.get(kind);
      const counts: WriteCounts = writer !== undefined ? await writer.finish() : { imported: 0, updated: 0, unchanged: 0, unknownReferences: {} };
      const references = referenceNotice(source.path, kind, counts);
      results.push({
        summary: {
          file: source.path,
          kind,
          importer: source.importer.id,
          read: t.read,
          imported: counts.imported,
          updated: counts.updated,
          unchanged: counts.unchanged,
          rejected: t.rejected,
          reported: t.reported,
          ...(t.reported > 0 ? { reasons: Object.fromEntries([...t.reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) } : {}),
          warnings: references?.count ?? 0,
        },
        notices: references !== undefined ? [`${references.notice.replace(`${source.path}: `, `${source.path} (${kind}): `)}`] : [],
      });
    }
    return results;
  } finally {
    for (const w of writers.values()) await w.close();
  }
}

/** Account records looked up in the store at a time. */
const ACCOUNTS_PER_LOOKUP = 10_000;

/** The fields of a record that have a value. */
function definedFields(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** The rejects file's place fields of an origin. */
function origin(o: { file: string; line: number; record?: string }): { file: string; line: number; record?: string } {
  return o.record !== undefined ? { file: o.file, line: o.line, record: o.record } : { file: o.file, line: o.line };
}

/** A source record as the rejects file keeps it: text as it was, anything else as JSON (cut at 1,000 characters). */
function rawText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  return text.length > 1000 ? text.slice(0, 1000) + '…' : text;
}

async function* counting(chunks: AsyncIterable<Buffer>, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    add(chunk.length);
    yield chunk;
  }
}
