/** A synthetic demo world imported into a fresh store in a temp directory: the setup of the tests that run on it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { generateWorld } from '../../src/synth/index.js';

/** Where a demo world lives: its temp directory, the store (`dir/store.duckdb`) and the world's files (`dir/world`). */
export interface DemoStore {
  dir: string;
  db: string;
  world: string;
}

/** Generates the demo-size world of `seed` into a new temp directory named `prefix…` and imports it into a fresh store there. */
export async function demoStore(seed: number, prefix: string): Promise<DemoStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const world = join(dir, 'world');
  const db = join(dir, 'store.duckdb');
  await generateWorld({ seed, size: 'demo', out: world });
  const store = await openStore(db);
  try {
    await importPaths(store, [world], { rejectsPath: join(dir, 'rejects.ndjson') });
  } finally {
    await closeStore(store);
  }
  return { dir, db, world };
}
