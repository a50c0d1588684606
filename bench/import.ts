/**
 * `npm run bench:import` — our import beside DuckDB's own bulk load, in the same run, on the same machine.
 *
 * Generates the synthetic world once per (size, seed, format) with `clout generate` and caches it under .bench/.
 * Then, for each format (NDJSON, CSV) and each big kind: (1) `importPaths` into a fresh store — the kinds it refers
 * to are imported first, untimed, so its reference checks are real; (2) DuckDB's
 * `INSERT INTO <table> SELECT … FROM read_json(…)/read_csv(…)` into a fresh store with the same migrations (same
 * table, same primary key). Both are timed to a CHECKPOINT (the rows on disk). Prints rows/s and ours / DuckDB.
 *
 *   node dist/bench/import.js [--size large|medium|small|demo] [--seed N] [--kinds clicks,follows] [--formats ndjson,csv]
 *                             [--repeat N]
 *   (CLOUT_BENCH_SIZE, CLOUT_BENCH_KINDS, CLOUT_BENCH_REPEAT set the same defaults.) With --repeat N each side runs N
 *   times, alternating, and the fastest run of each counts: the machine is shared and noisy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isKind, KINDS, type Kind } from '../src/domain/index.js';
import { importPaths, REFERENCES } from '../src/ingest/index.js';
import { closeStore, openStore, TABLE_COLUMNS, type Store } from '../src/store/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const BENCH = join(ROOT, '.bench');

type Format = 'ndjson' | 'csv';

interface Result {
  format: Format;
  kind: Kind;
  rows: number;
  bytes: number;
  oursSeconds: number;
  duckdbSeconds: number;
  oursRowsPerSecond: number;
  duckdbRowsPerSecond: number;
  ratio: number;
}

function options() {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: process.env.CLOUT_BENCH_SIZE ?? 'large' },
      seed: { type: 'string', default: '1' },
      kinds: { type: 'string', default: process.env.CLOUT_BENCH_KINDS ?? 'clicks,follows' },
      formats: { type: 'string', default: 'ndjson,csv' },
      repeat: { type: 'string', default: process.env.CLOUT_BENCH_REPEAT ?? '1' },
    },
  });
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);
  const kinds = values.kinds.split(',').map((k) => k.trim());
  for (const k of kinds) if (!isKind(k)) throw new Error(`--kinds: '${k}' is not one of ${KINDS.join(', ')}`);
  const formats = values.formats.split(',').map((f) => f.trim());
  for (const f of formats) if (f !== 'ndjson' && f !== 'csv') throw new Error(`--formats: '${f}' is not ndjson or csv`);
  return { size: values.size, seed: Number(values.seed), kinds: kinds as Kind[], formats: formats as Format[], repeat };
}

/** The cached world of a size, seed and format, generated on first use. */
function world(size: string, seed: number, format: Format): string {
  const dir = join(BENCH, `world-${size}-seed${seed}-${format}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`generating the ${size} world (seed ${seed}, ${format}) into ${dir} …`);
  const t = performance.now();
  const gen = spawnSync(process.execPath, [CLI, 'generate', '--seed', String(seed), '--size', size, '--format', format, '--out', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (gen.status !== 0) throw new Error(`clout generate failed (exit ${gen.status}); build first: npm run build`);
  console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  writeFileSync(done, new Date().toISOString() + '\n');
  return dir;
}

function dataFile(dir: string, kind: Kind): string {
  const name = readdirSync(dir).find((n) => n.split('.')[0] === kind && !n.startsWith('.'));
  if (name === undefined) throw new Error(`no ${kind} file in ${dir}`);
  return join(dir, name);
}

async function freshStore(name: string): Promise<Store> {
  const path = join(BENCH, 'stores', `${name}.duckdb`);
  mkdirSync(join(BENCH, 'stores'), { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  rmSync(join(BENCH, 'stores', `${name}.rejects`), { recursive: true, force: true });
  return openStore(path);
}

async function countRows(store: Store, kind: Kind): Promise<number> {
  return Number((await store.conn.runAndReadAll(`SELECT count(*) FROM ${kind}`)).getRows()[0]![0]);
}

/** Our import of one file (its referenced kinds first, untimed). */
async function ours(dir: string, format: Format, kind: Kind): Promise<{ seconds: number; rows: number }> {
  const store = await freshStore(`ours-${format}-${kind}`);
  try {
    const refs = [...new Set(REFERENCES[kind].map((r) => r.table))];
    if (refs.length > 0) await importPaths(store, refs.map((k) => dataFile(dir, k)));
    const t = performance.now();
    const summary = await importPaths(store, [dataFile(dir, kind)]);
    await store.conn.run('CHECKPOINT');
    const seconds = (performance.now() - t) / 1000;
    const f = summary.files[0]!;
    if (f.rejected > 0) console.log(`  note: ${f.rejected} rows rejected (see ${summary.rejects_path})`);
    return { seconds, rows: await countRows(store, kind) };
  } finally {
    await closeStore(store);
  }
}

const TIME = new Set(['at', 'created_at', 'since', 'starts_at', 'ends_at']);
const COUNT = new Set(['followers', 'following']);

/** The SELECT list that turns DuckDB's text columns into a kind's table columns (no validation, just casts). */
function selectList(kind: Kind): string {
  return TABLE_COLUMNS[kind]
    .map((c) => {
      const q = `"${c}"`;
      if (TIME.has(c)) return `CAST(${q} AS TIMESTAMP)`;
      if (COUNT.has(c)) return `CAST(${q} AS BIGINT)`;
      if (c === 'is_bot') return `CAST(${q} AS BOOLEAN)`;
      if (c === 'value_minor') return `CAST(round(CAST("value" AS DOUBLE) * 100) AS BIGINT)`;
      if (c === 'goal_minor') return `CAST(round(CAST("goal_value" AS DOUBLE) * 100) AS BIGINT)`;
      if (c === 'value') return `CAST(${q} AS DOUBLE)`;
      if (c === 'type' || c === 'currency') return `upper(${q})`.replace('upper', c === 'type' ? 'lower' : 'upper');
      return q;
    })
    .join(', ');
}

/** DuckDB's own load of one file into the same table definition. */
async function duckdb(file: string, format: Format, kind: Kind): Promise<{ seconds: number; rows: number }> {
  const store = await freshStore(`duckdb-${format}-${kind}`);
  try {
    const path = `'${file.replaceAll("'", "''")}'`;
    const source =
      format === 'csv'
        ? `read_csv(${path}, header = true, all_varchar = true)`
        : `read_json(${path}, format = 'newline_delimited', columns = {${sourceFields(kind).map((f) => `"${f}": 'VARCHAR'`).join(', ')}})`;
    const t = performance.now();
    await store.conn.run(`INSERT INTO ${kind} SELECT ${selectList(kind)} FROM ${source}`);
    await store.conn.run('CHECKPOINT');
    const seconds = (performance.now() - t) / 1000;
    return { seconds, rows: await countRows(store, kind) };
  } finally {
    await closeStore(store);
  }
}

function sourceFields(kind: Kind): string[] {
  return TABLE_COLUMNS[kind].map((c) => (c === 'value_minor' ? 'value' : c === 'goal_minor' ? 'goal_value' : c));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const opts = options();
  console.log(`bench:import — size ${opts.size}, seed ${opts.seed}, kinds ${opts.kinds.join(', ')}, formats ${opts.formats.join(', ')}`);
  const results: Result[] = [];
  for (const format of opts.formats) {
    const dir = world(opts.size, opts.seed, format);
    for (const kind of opts.kinds) {
      const file = dataFile(dir, kind);
      const bytes = statSync(file).size;
      console.log(`${format} ${kind}: ${file} (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
      let d = { seconds: Infinity, rows: 0 };
      let o = { seconds: Infinity, rows: 0 };
      for (let run = 0; run < opts.repeat; run++) {
        const dr = await duckdb(file, format, kind);
        console.log(`  duckdb  ${fmt(dr.rows)} rows in ${dr.seconds.toFixed(2)} s = ${fmt(dr.rows / dr.seconds)} rows/s`);
        if (dr.seconds < d.seconds) d = dr;
        const or = await ours(dir, format, kind);
        console.log(`  ours    ${fmt(or.rows)} rows in ${or.seconds.toFixed(2)} s = ${fmt(or.rows / or.seconds)} rows/s`);
        if (or.seconds < o.seconds) o = or;
      }
      if (o.rows !== d.rows) console.log(`  note: row counts differ (ours ${o.rows}, duckdb ${d.rows})`);
      results.push({
        format,
        kind,
        rows: o.rows,
        bytes,
        oursSeconds: o.seconds,
        duckdbSeconds: d.seconds,
        oursRowsPerSecond: o.rows / o.seconds,
        duckdbRowsPerSecond: d.rows / d.seconds,
        ratio: o.rows / o.seconds / (d.rows / d.seconds),
      });
    }
  }
  console.log('\nformat  kind            rows     ours rows/s   duckdb rows/s   ours/duckdb');
  for (const r of results) {
    console.log(
      `${r.format.padEnd(6)}  ${r.kind.padEnd(12)} ${fmt(r.rows).padStart(11)}  ${fmt(r.oursRowsPerSecond).padStart(12)}  ${fmt(r.duckdbRowsPerSecond).padStart(14)}  ${r.ratio.toFixed(2).padStart(12)}`,
    );
  }
  const out = join(BENCH, `import-results-${opts.size}.json`);
  writeFileSync(out, JSON.stringify({ ...opts, node: process.version, at: new Date().toISOString(), results }, null, 2) + '\n');
  console.log(`\n(results in ${out}; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB)`);
}

main().catch((e: unknown) => {
  console.error(`bench:import: ${(e as Error).message}`);
  process.exitCode = 1;
});
