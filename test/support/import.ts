/** Helpers shared by the import tests (test/import*.test.ts): temp stores, table dumps, rejects files. */
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_FIELDS, KINDS, type Kind } from '../../src/domain/index.js';
import { openStore, TABLE_COLUMNS, type Store } from '../../src/store/index.js';
import type { RejectRecord } from '../../src/ingest/index.js';
import { TEST_DIR } from './paths.js';

/** The hand-written corpus of the import tests. */
export const FIXTURES = join(TEST_DIR, 'fixtures', 'import');

const TIME_COLUMNS = new Set(['at', 'created_at', 'since', 'starts_at', 'ends_at']);

/** A fresh temp directory. */
export function tempDir(prefix = 'clout-import-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Opens a fresh store in a new temp directory. */
export async function freshStore(): Promise<{ store: Store; dir: string }> {
  const dir = tempDir();
  return { store: await openStore(join(dir, 'store.duckdb')), dir };
}

/** A table's rows ordered by key, with times as epoch ms and integers as numbers. */
export async function dumpTable(store: Store, kind: Kind): Promise<Record<string, unknown>[]> {
  const cols = TABLE_COLUMNS[kind].map((c) => (TIME_COLUMNS.has(c) ? `epoch_ms("${c}") AS "${c}"` : `"${c}"`)).join(', ');
  const order = KEY_FIELDS[kind].map((c) => `"${c}"`).join(', ');
  const rows = (await store.conn.runAndReadAll(`SELECT ${cols} FROM ${kind} ORDER BY ${order}`)).getRowObjects();
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

/** Every table of the store, dumped. */
export async function dumpAll(store: Store): Promise<Record<Kind, Record<string, unknown>[]>> {
  const out = {} as Record<Kind, Record<string, unknown>[]>;
  for (const k of KINDS) out[k] = await dumpTable(store, k);
  return out;
}

/** The rejected rows of a rejects file (empty when there is no file). */
export function readRejects(path: string | null): RejectRecord[] {
  if (path === null || !existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as RejectRecord);
}

/** Files (recursively) under a directory, relative to it. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}
