/** Opening the embedded DuckDB store: one file, migrated to the latest schema on open. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CloutError } from '../domain/index.js';
import { recoverClickJournal } from './click-journal.js';
import { MIGRATIONS } from './migrations.js';
import { assertNoServer } from './server-endpoint.js';

/** The default store file, unless `--db` or `CLOUT_DB` say otherwise. */
export const DEFAULT_DB_PATH = './clout.duckdb';

/** Resolves the store path: flag > CLOUT_DB > default. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.CLOUT_DB ?? DEFAULT_DB_PATH;
}

/** A connection to the store: every read query takes one (a server hands out its queue's, a command its store's). */
export type Conn = DuckDBConnection;

/** An open store: the DuckDB instance and one connection. */
export interface Store {
  path: string;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
}

/** Opens (creating if needed) the store at `path` and applies pending migrations. */
export async function openStore(path: string): Promise<Store> {
  // Two doors: a live `clout serve` owns this file; say so instead of failing on DuckDB's lock.
  assertNoServer(path);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (e) {
    throw new CloutError('store', `cannot open store ${path}: ${(e as Error).message}`);
  }
  const conn = await instance.connect();
  const store = { path, instance, conn };
  await migrate(store);
  // Clicks a crashed server journaled but did not merge: into `clicks` before anyone reads.
  if (path !== ':memory:') await recoverClickJournal(conn, path);
  return store;
}

/** Applies every migration newer than the store's version; returns the versions applied. */
export async function migrate(store: Store): Promise<number[]> {
  const { conn } = store;
  await conn.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)',
  );
  const rows = await (await conn.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).getRowObjects();
  const current = Number(rows[0]?.v ?? 0);
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  if (current > latest) {
    throw new CloutError('store', `store ${store.path} has schema v${current}, newer than this clout (v${latest}); upgrade clout`);
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(m.sql);
      await conn.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK');
      throw new CloutError('store', `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}

/** Checkpoints and closes the store. */
export async function closeStore(store: Store): Promise<void> {
  try {
    await store.conn.run('CHECKPOINT');
  } finally {
    store.conn.closeSync();
    store.instance.closeSync();
  }
}
