/**
 * The writer's upsert and counts against a model, on random sequences of repeated keys and any batch size; and
 * durability: what an import committed survives the process being killed before the store is closed.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { dumpTable, tempDir } from '../support/import.js';
import { TEST_DIR } from '../support/paths.js';

interface Row {
  series: string;
  day: number;
  value: number;
}
interface Counts {
  imported: number;
  updated: number;
  unchanged: number;
}

/**
 * The counting rule of src/store/writer.ts, restated: rows count in file order against the value before them
 * (new key → imported, different → updated, same → unchanged), except that a key whose rows in one batch leave its
 * stored value as it was counts all those rows unchanged.
 */
function model(stored: Map<string, number>, rows: Row[], batchRows: number): Counts {
  const counts = { imported: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < rows.length; start += batchRows) {
    const byKey = new Map<string, number[]>();
    for (const r of rows.slice(start, start + batchRows)) {
      const key = `${r.series}|${r.day}`;
      byKey.set(key, [...(byKey.get(key) ?? []), r.value]);
    }
    for (const [key, values] of byKey) {
      const before = stored.get(key);
      const noop = before !== undefined && values[values.length - 1] === before;
      values.forEach((v, i) => {
        const previous = i === 0 ? before : values[i - 1];
        if (noop) counts.unchanged++;
        else if (previous === undefined) counts.imported++;
        else if (v !== previous) counts.updated++;
        else counts.unchanged++;
      });
      stored.set(key, values[values.length - 1]!);
    }
  }
  return counts;
}

const rowArb = fc.record({ series: fc.constantFrom('a', 'b'), day: fc.integer({ min: 1, max: 3 }), value: fc.integer({ min: 1, max: 3 }) });

describe('writer counts and upserts', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('clout-writer-');
    store = await openStore(join(dir, 'w.duckdb'));
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('matches the model for any files, repeats and batch sizes; the last row of a key wins', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(rowArb, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 2, 3, 5, 1000),
        async (files, batchRows) => {
          await store.conn.run('DELETE FROM metrics');
          const stored = new Map<string, number>();
          for (const [i, rows] of files.entries()) {
            const path = join(dir, `metrics-${i}.ndjson`);
            writeFileSync(path, rows.map((r) => JSON.stringify({ series: r.series, at: `2025-01-0${r.day}`, value: r.value })).join('\n') + '\n');
            const expected = model(stored, rows, batchRows);
            const summary = await importPaths(store, [path], { kind: 'metrics', batchRows });
            const f = summary.files[0]!;
            expect({ imported: f.imported, updated: f.updated, unchanged: f.unchanged }).toEqual(expected);
          }
          const table = await dumpTable(store, 'metrics');
          const want = [...stored].map(([key, value]) => {
            const [series, day] = key.split('|');
            return { series: series!, at: Date.UTC(2025, 0, Number(day)), value };
          });
          const order = (x: { series: string; at: number }, y: { series: string; at: number }) => (x.series === y.series ? x.at - y.at : x.series < y.series ? -1 : 1);
          expect(table).toEqual(want.sort(order));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a re-import of a file whose later rows change a record reports nothing imported or updated', async () => {
    await store.conn.run('DELETE FROM metrics');
    const path = join(dir, 'metrics.ndjson');
    writeFileSync(path, ['1', '2', '1', '3'].map((v) => `{"series":"s","at":"2025-01-01","value":${v}}`).join('\n'));
    const first = (await importPaths(store, [path])).files[0]!;
    expect(first).toMatchObject({ read: 4, imported: 1, updated: 3, unchanged: 0 });
    const second = (await importPaths(store, [path])).files[0]!;
    expect(second).toMatchObject({ read: 4, imported: 0, updated: 0, unchanged: 4 });
    expect(await dumpTable(store, 'metrics')).toEqual([{ series: 's', at: Date.UTC(2025, 0, 1), value: 3 }]);
  });
});

describe('durability', () => {
  it('keeps what an import committed when the process is killed before the store is closed', () => {
    const dir = tempDir('clout-crash-');
    const db = join(dir, 'crash.duckdb');
    const data = join(dir, 'metrics.ndjson');
    writeFileSync(data, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ series: `s${i % 7}`, at: `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, value: i })).join('\n'));
    const dist = (p: string) => JSON.stringify(join(TEST_DIR, '..', 'dist', 'src', p));
    const script = `
      import { openStore } from ${dist('store/index.js')};
      import { importPaths } from ${dist('ingest/index.js')};
      const store = await openStore(${JSON.stringify(db)});
      const s = await importPaths(store, [${JSON.stringify(data)}]);
      process.stdout.write(JSON.stringify(s.files[0]));
      process.kill(process.pid, 'SIGKILL'); // no CHECKPOINT, no close
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const summary = JSON.parse(child.stdout) as { imported: number };
    expect(summary.imported).toBe(7 * 60);
    const check = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { openStore, closeStore } from ${dist('store/index.js')};
         const store = await openStore(${JSON.stringify(db)});
         const rows = (await store.conn.runAndReadAll('SELECT count(*) AS n, sum(value) AS v FROM metrics')).getRowObjectsJson();
         process.stdout.write(JSON.stringify(rows[0]));
         await closeStore(store);`,
      ],
      { encoding: 'utf8' },
    );
    expect(check.status, check.stderr).toBe(0);
    // 420 keys (7 series × 60 seconds), each holding the last of its rows: values 4580 … 4999
    expect(JSON.parse(check.stdout)).toEqual({ n: '420', v: Array.from({ length: 420 }, (_, i) => 4580 + i).reduce((a, b) => a + b, 0) });
  });
});
