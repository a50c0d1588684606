/** Shared by the connector tests: run a fetch against a replay server, read what it wrote. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseOptions } from '../../src/app/options.js';
import { FETCH_OPTIONS, fetchAccounts, type FetchOptions, type FetchPlatform, type FetchSummary } from '../../src/app/fetch.js';
import { FETCH_KINDS, type FetchKind } from '../../src/connectors/output.js';
import { KEY_FIELDS, validateRecord } from '../../src/domain/index.js';
import { fakeClock } from '../support/replay.js';

/** A fresh temp folder. */
export function tempFolder(prefix = 'clout-fetch-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Fetch options as the CLI would parse them (defaults applied), without import unless asked. */
export function fetchOptions(raw: Record<string, unknown>): FetchOptions {
  return parseOptions(FETCH_OPTIONS, { import: false, ...raw });
}

/** Runs a fetch with a fake clock and a fixed jitter draw (0.5); returns the summary and the clock's sleeps. */
export async function runFetch(
  platform: FetchPlatform,
  handles: string[],
  raw: Record<string, unknown>,
): Promise<{ summary: FetchSummary; sleeps: number[]; logs: string[] }> {
  const clock = fakeClock();
  const logs: string[] = [];
  const summary = await fetchAccounts(
    { platform, handles, options: fetchOptions(raw) },
    { clock, random: () => 0.5, log: (l) => logs.push(l) },
  );
  return { summary, sleeps: clock.sleeps, logs };
}

/** The records of one kind's NDJSON file in `dir` ([] when absent). */
export function readKind(dir: string, kind: FetchKind): Record<string, unknown>[] {
  const path = join(dir, `${kind}.ndjson`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Per kind, the number of records in the folder. */
export function folderCounts(dir: string): Record<FetchKind, number> {
  return Object.fromEntries(FETCH_KINDS.map((k) => [k, readKind(dir, k).length])) as Record<FetchKind, number>;
}

/** Asserts every record in the folder is a valid interchange record and no key is written twice. */
export function expectValidAndUnique(dir: string): void {
  for (const kind of FETCH_KINDS) {
    const keys = new Set<string>();
    for (const record of readKind(dir, kind)) {
      const v = validateRecord(kind, record);
      expect(v.ok, `${kind} ${JSON.stringify(record)} ${v.ok ? '' : JSON.stringify(v.issues)}`).toBe(true);
      if (!v.ok) continue;
      const normalized = v.record as unknown as Record<string, unknown>;
      const key = KEY_FIELDS[kind].map((f) => String(normalized[f])).join('|');
      expect(keys.has(key), `${kind} key ${key} written twice`).toBe(false);
      keys.add(key);
    }
  }
}

/** The record of `kind` whose `field` is `value`. */
export function recordWhere(dir: string, kind: FetchKind, field: string, value: unknown): Record<string, unknown> | undefined {
  return readKind(dir, kind).find((r) => r[field] === value);
}
