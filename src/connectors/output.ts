/**
 * The output folder of a fetch: one interchange NDJSON file per kind, appended as records are fetched (an interrupted
 * run keeps what it had), de-duplicated by each kind's key across runs (an account seen first as a stub is written
 * again only when a later record of it says more). A last line cut short by a crash is dropped when the folder is
 * opened again.
 */
import { appendFileSync, existsSync, mkdirSync, openSync, closeSync, ftruncateSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FIELDS, validateRecord, type Kind } from '../domain/index.js';

/** The kinds a connector writes, in the order they are imported. */
export const FETCH_KINDS = ['accounts', 'follows', 'posts', 'links', 'interactions'] as const;
/** One kind a connector writes. */
export type FetchKind = (typeof FETCH_KINDS)[number];

/** A record as a connector emits it: interchange field names, raw-ish values (ISO times, numbers), absent = not given. */
export type OutRecord = Record<string, string | number | undefined>;

/** Per kind: records written by this run, and records in the folder after it. */
export interface OutputCounts {
  written: Record<FetchKind, number>;
  total: Record<FetchKind, number>;
}

const zeroCounts = (): Record<FetchKind, number> => ({ accounts: 0, follows: 0, posts: 0, links: 0, interactions: 0 });

/** The key of a record (its kind's key fields, normalized by the schema), or the record itself when it is not valid. */
function keyOf(kind: Kind, record: unknown): string {
  const v = validateRecord(kind, record);
  if (!v.ok) return `invalid:${JSON.stringify(record)}`;
  const normalized = v.record as unknown as Record<string, unknown>;
  return KEY_FIELDS[kind].map((f) => String(normalized[f] ?? '')).join('\u0000');
}

/** How much a record says: its defined fields (an account written again only when a later record says more). */
function weightOf(record: Record<string, unknown>): number {
  return Object.values(record).filter((v) => v !== undefined && v !== null && v !== '').length;
}

/** Drops a last line without its newline (a write cut short) and returns the complete lines. */
function completeLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
    } finally {
      closeSync(fd);
    }
  }
  return text.slice(0, end).split('\n').filter((l) => l.trim() !== '');
}

/** The NDJSON files of an output folder, with the keys already in them. */
export class NdjsonOutput {
  readonly dir: string;
  private readonly seen = new Map<FetchKind, Map<string, number>>();
  /** `type actor post` of every repost/quote/reply/like interaction written. */
  private readonly interactionPairs = new Set<string>();
  private readonly written = zeroCounts();
  private readonly total = zeroCounts();

  /** Opens (creating it) the folder and reads the keys of the records already there. */
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    for (const kind of FETCH_KINDS) {
      const keys = new Map<string, number>();
      this.seen.set(kind, keys);
      const path = this.pathOf(kind);
      if (!existsSync(path)) continue;
      for (const line of completeLines(path)) {
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        const key = keyOf(kind, record);
        keys.set(key, Math.max(keys.get(key) ?? 0, weightOf(record)));
        if (kind === 'interactions') this.notePair(record);
        this.total[kind]++;
      }
    }
  }

  /** The file of a kind (`posts.ndjson`). */
  pathOf(kind: FetchKind): string {
    return join(this.dir, `${kind}.ndjson`);
  }

  /** Whether an interaction of `type` by `actor` on `post` was written (by this run or an earlier one). */
  hasInteraction(type: string, actor: string, post: string): boolean {
    return this.interactionPairs.has(`${type}\u0000${actor}\u0000${post}`);
  }

  /** Appends the records not yet in the folder (by key; accounts also when they say more); returns how many it wrote. */
  write(kind: FetchKind, records: readonly OutRecord[]): number {
    const keys = this.seen.get(kind)!;
    const lines: string[] = [];
    for (const raw of records) {
      const record = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
      const key = keyOf(kind, record);
      const weight = weightOf(record);
      const before = keys.get(key);
      if (before !== undefined && (kind !== 'accounts' || weight <= before)) continue;
      keys.set(key, weight);
      if (kind === 'interactions') this.notePair(record);
      lines.push(JSON.stringify(record) + '\n');
    }
    if (lines.length > 0) appendFileSync(this.pathOf(kind), lines.join(''));
    this.written[kind] += lines.length;
    this.total[kind] += lines.length;
    return lines.length;
  }

  /** What this run wrote and what the folder holds, per kind (lines; an account upgraded counts twice in total). */
  counts(): OutputCounts {
    return { written: { ...this.written }, total: { ...this.total } };
  }

  private notePair(record: Record<string, unknown>): void {
    if (typeof record['type'] === 'string' && typeof record['actor_id'] === 'string' && typeof record['post_id'] === 'string') {
      this.interactionPairs.add(`${record['type']}\u0000${record['actor_id']}\u0000${record['post_id']}`);
    }
  }
}
