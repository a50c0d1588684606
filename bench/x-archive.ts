/**
 * `node dist/bench/x-archive.js` — reading an X archive's tweets: our importer beside DuckDB's own read_json.
 *
 * Generates (seeded, cached under .bench/x-archive-<N>-seed<S>/) an X archive of N tweets in the archive's real
 * pretty-printed shape (`window.YTD.tweets.part0 = [ … ]`, `"key" : value`, counters as strings), plus the same
 * tweet records as NDJSON and as a plain JSON array file. Then, each in a child process (so each peak RSS is its own):
 *   ours          the importer's claim + read of the archive folder, every emitted record checked with the
 *                 framework's checkRecord (zod schema, fast path), as an import would;
 *   duckdb-ndjson CREATE TABLE AS SELECT the same post fields (date parsed with strptime) FROM read_json(NDJSON);
 *   duckdb-array  the same FROM read_json(the pretty-printed JSON array, format = 'array').
 * Prints tweets/s of each (wall clock, and per CPU second: DuckDB uses every core, we use one), ours / DuckDB, and our peak RSS at N and at a smaller size (memory flat in file size).
 *   import        the full `importPaths` of the archive folder (X importer only) into a fresh store, to a CHECKPOINT.
 *
 *   node dist/bench/x-archive.js [--tweets 1000000] [--small N/10] [--seed 1] [--repeat 1]
 * (--repeat N: each side runs N times, alternating; the fastest run of each counts.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Rng } from '../src/domain/index.js';
import { importPaths } from '../src/ingest/index.js';
import { checkRecord } from '../src/ingest/validate.js';
import { closeStore, openStore } from '../src/store/index.js';
import { entriesOf } from '../src/ingest/platforms/entries.js';
import { xArchiveImporter } from '../src/ingest/platforms/x-archive.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, '.bench');
const OWNER = { accountId: '1234567890', username: 'bench_owner' };

interface Measure {
  mode: string;
  tweets: number;
  records: number;
  rejected: number;
  seconds: number;
  /** CPU seconds of the process (all its threads: DuckDB reads with every core). */
  cpuSeconds: number;
  maxRssMiB: number;
}

// ---------------------------------------------------------------- generation

const WORDS = ('the a launch shop new today thanks great read this thread about why we build small tools for ' +
  'people who sell things online and donate time money ideas weekend sale code free shipping link below').split(' ');
const EMOJI = ['🚀', '🎉', '❤️', '👍🏽', '🔥', '✨', '中文', 'é'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function xDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

function snowflake(ms: number, seq: number): string {
  return ((BigInt(ms - 1288834974657) << 22n) | BigInt(seq & 0x3fffff)).toString();
}

/** One tweet object in the archive's shape (field order as archives write it). */
function tweet(rng: Rng, i: number, at: number): Record<string, unknown> {
  const id = snowflake(at, i);
  const words = Array.from({ length: 5 + rng.int(30) }, () => WORDS[rng.int(WORDS.length)]!);
  if (rng.bernoulli(0.2)) words.splice(rng.int(words.length), 0, EMOJI[rng.int(EMOJI.length)]!);
  if (rng.bernoulli(0.05)) words.splice(rng.int(words.length), 0, '\n');
  const mentions: Record<string, unknown>[] = [];
  const urls: Record<string, unknown>[] = [];
  const r = rng.uniform();
  const kind = r < 0.6 ? 'original' : r < 0.75 ? 'repost' : r < 0.9 ? 'reply' : 'quote';
  let text = words.join(' ');
  const other = String(1000 + rng.int(50_000));
  if (kind === 'repost' || (kind !== 'reply' && rng.bernoulli(0.2))) {
    mentions.push({ name: `User ${other}`, screen_name: `user_${other}`, indices: ['3', String(8 + other.length)], id_str: other, id: other });
  }
  if (kind === 'repost') text = `RT @user_${other}: ${text}`;
  const links = rng.bernoulli(0.3) ? 1 + rng.int(2) : 0;
  for (let k = 0; k < links; k++) {
    const short = `https://t.co/${(i * 7 + k).toString(36).padStart(10, 'a')}`;
    urls.push({ url: short, expanded_url: `https://shop${rng.int(100)}.example.com/p/${rng.int(1e6)}?utm_source=x`, display_url: 'shop.example.com/p/…', indices: [String(text.length + 1), String(text.length + 24)] });
    text += ' ' + short;
  }
  if (kind === 'quote') {
    const short = `https://t.co/q${i.toString(36).padStart(9, 'a')}`;
    urls.push({ url: short, expanded_url: `https://twitter.com/user_${other}/status/${snowflake(at - 3_600_000, i)}`, display_url: 'twitter.com/user…', indices: [String(text.length + 1), String(text.length + 24)] });
    text += ' ' + short;
  }
  const t: Record<string, unknown> = {
    edit_info: { initial: { editTweetIds: [id], editableUntil: new Date(at + 3_600_000).toISOString(), editsRemaining: '5', isEditEligible: true } },
    retweeted: false,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    entities: { hashtags: [], symbols: [], user_mentions: mentions, urls },
    display_text_range: ['0', String(text.length)],
    favorite_count: String(rng.int(500)),
    id_str: id,
    truncated: false,
    retweet_count: String(rng.int(50)),
    id,
    created_at: xDate(at),
    favorited: false,
    full_text: text,
    lang: 'en',
  };
  if (kind === 'reply') {
    Object.assign(t, {
      in_reply_to_status_id_str: snowflake(at - 60_000, i),
      in_reply_to_status_id: snowflake(at - 60_000, i),
      in_reply_to_user_id: other,
      in_reply_to_screen_name: `user_${other}`,
      in_reply_to_user_id_str: other,
    });
  }
  return { tweet: t };
}

/** Pretty-prints like the archive: two-space indent and `"key" : value`. */
function archiveJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

/** The cached archive of `n` tweets, generated on first use. */
function archive(n: number, seed: number): string {
  const dir = join(BENCH, `x-archive-${n}-seed${seed}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'archive', 'data'), { recursive: true });
  console.log(`generating ${n.toLocaleString('en-US')} tweets (seed ${seed}) into ${dir} …`);
  const t0 = performance.now();
  writeFileSync(
    join(dir, 'archive', 'data', 'account.js'),
    'window.YTD.account.part0 = ' + archiveJson([{ account: { email: 'owner@example.com', createdVia: 'web', ...OWNER, createdAt: '2012-01-01T00:00:00.000Z', accountDisplayName: 'Bench Owner' } }]),
  );
  const js = openSync(join(dir, 'archive', 'data', 'tweets.js'), 'w');
  const array = openSync(join(dir, 'tweets.json'), 'w');
  const ndjson = openSync(join(dir, 'tweets.ndjson'), 'w');
  writeSync(js, 'window.YTD.tweets.part0 = [ ');
  writeSync(array, '[ ');
  const rng = new Rng(seed);
  let at = Date.UTC(2020, 0, 1);
  let pretty: string[] = [];
  let compact: string[] = [];
  let written = false;
  const flush = (): void => {
    if (pretty.length === 0) return;
    const p = (written ? ', ' : '') + pretty.join(', ');
    written = true;
    writeSync(js, p);
    writeSync(array, p);
    writeSync(ndjson, compact.join(''));
    pretty = [];
    compact = [];
  };
  for (let i = 0; i < n; i++) {
    at += 1000 + rng.int(600_000);
    const t = tweet(rng, i, at);
    pretty.push(archiveJson(t));
    compact.push(JSON.stringify(t) + '\n');
    if (pretty.length === 2000) flush();
  }
  flush();
  writeSync(js, ' ]');
  writeSync(array, ' ]');
  for (const fd of [js, array, ndjson]) closeSync(fd);
  writeFileSync(join(dir, '.complete'), new Date().toISOString() + '\n');
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

// ---------------------------------------------------------------- measurements (each in its own process)

/** CPU seconds used by this process since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

async function measureOurs(dir: string): Promise<Measure> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const { entries, close } = await entriesOf(join(dir, 'archive'));
  let tweets = 0;
  let records = 0;
  let rejected = 0;
  try {
    const claimed = await xArchiveImporter.claim(entries);
    for await (const batch of xArchiveImporter.read(claimed, { conversionType: 'sale' })) {
      for (const e of batch) {
        if (e.type !== 'record') {
          if (e.type === 'reject') rejected++;
          continue;
        }
        const checked = checkRecord(e.kind, e.fields);
        if (!checked.ok) rejected++;
        else {
          records++;
          if (e.kind === 'posts') tweets++;
        }
      }
    }
  } finally {
    close();
  }
  return { mode: 'ours', tweets, records, rejected, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(cpu), maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** The full import (importPaths with the X importer) into a fresh store, to a CHECKPOINT. */
async function measureImport(dir: string): Promise<Measure> {
  const path = join(BENCH, 'stores', 'x-archive.duckdb');
  mkdirSync(join(BENCH, 'stores'), { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const store = await openStore(path);
  try {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const summary = await importPaths(store, [join(dir, 'archive')], {
      importers: [{ importer: xArchiveImporter, loadsWith: 'accounts' }],
      rejectsPath: join(BENCH, 'stores', 'x-archive.rejects.ndjson'),
    });
    await store.conn.run('CHECKPOINT');
    const seconds = (performance.now() - t0) / 1000;
    const tweets = summary.files.filter((f) => f.kind === 'posts').reduce((s, f) => s + f.imported + f.updated + f.unchanged, 0);
    const records = summary.files.reduce((s, f) => s + f.imported + f.updated + f.unchanged, 0);
    return { mode: 'import', tweets, records, rejected: summary.rejected_total, seconds, cpuSeconds: cpuSince(cpu), maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await closeStore(store);
  }
}

const COLUMNS =
  "{tweet: 'STRUCT(id_str VARCHAR, created_at VARCHAR, full_text VARCHAR, lang VARCHAR, favorite_count VARCHAR, " +
  "retweet_count VARCHAR, in_reply_to_status_id_str VARCHAR, entities JSON)'}";

async function measureDuckdb(dir: string, format: 'ndjson' | 'array'): Promise<Measure> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const file = join(dir, format === 'ndjson' ? 'tweets.ndjson' : 'tweets.json');
  const source = `read_json('${file.replaceAll("'", "''")}', format = '${format === 'ndjson' ? 'newline_delimited' : 'array'}', columns = ${COLUMNS})`;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await conn.run(
    `CREATE TABLE posts AS SELECT tweet.id_str AS id, strptime(tweet.created_at, '%a %b %d %H:%M:%S %z %Y') AS created_at, ` +
      `tweet.full_text AS text, tweet.lang AS lang, CAST(tweet.favorite_count AS BIGINT) AS likes, ` +
      `CAST(tweet.retweet_count AS BIGINT) AS reposts, tweet.in_reply_to_status_id_str AS reply_to, tweet.entities AS entities FROM ${source}`,
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM posts')).getRows()[0]![0]);
  conn.closeSync();
  return { mode: `duckdb-${format}`, tweets: rows, records: rows, rejected: 0, seconds, cpuSeconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function child(mode: string, dir: string): Measure {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', 'x-archive.js'), '--measure', mode, '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`${mode} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measure;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (path: string): string => `${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tweets: { type: 'string', default: '1000000' },
      small: { type: 'string' },
      seed: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '1' },
      measure: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  if (values.measure !== undefined) {
    const dir = values.dir!;
    const m =
      values.measure === 'ours' ? await measureOurs(dir) : values.measure === 'import' ? await measureImport(dir) : await measureDuckdb(dir, values.measure === 'duckdb-array' ? 'array' : 'ndjson');
    console.log(JSON.stringify(m));
    return;
  }
  const n = Number(values.tweets);
  const small = values.small === undefined ? Math.max(1, Math.round(n / 10)) : Number(values.small);
  const seed = Number(values.seed);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(small) || small < 1) throw new Error('--tweets and --small must be positive integers');
  const big = archive(n, seed);
  const little = archive(small, seed);
  console.log(`tweets.js ${mib(join(big, 'archive', 'data', 'tweets.js'))}, NDJSON ${mib(join(big, 'tweets.ndjson'))} (${fmt(n)} tweets)`);
  const repeat = Number(values.repeat);
  // Each side runs `repeat` times, alternating, and its fastest run counts: the machine is shared and noisy.
  const best = new Map<string, Measure>();
  for (let r = 0; r < repeat; r++) {
    for (const [key, mode, dir] of [['duckdb-ndjson', 'duckdb-ndjson', big], ['duckdb-array', 'duckdb-array', big], ['ours', 'ours', big], ['ours-small', 'ours', little], ['import', 'import', big]] as const) {
      const m = child(mode, dir);
      console.log(`  ${key.padEnd(13)} ${fmt(m.tweets).padStart(10)} tweets in ${m.seconds.toFixed(2).padStart(6)} s (cpu ${m.cpuSeconds.toFixed(2)} s) = ${fmt(m.tweets / m.seconds).padStart(9)} tweets/s  (records ${fmt(m.records)}, rejected ${m.rejected}, peak RSS ${fmt(m.maxRssMiB)} MiB)`);
      const prev = best.get(key);
      if (prev === undefined || m.seconds < prev.seconds) best.set(key, m);
    }
  }
  const [ndjson, array, ours, oursSmall, imported] = ['duckdb-ndjson', 'duckdb-array', 'ours', 'ours-small', 'import'].map((k) => best.get(k)!) as [Measure, Measure, Measure, Measure, Measure];
  const rate = (m: Measure): number => m.tweets / m.seconds;
  const perCpu = (m: Measure): number => m.tweets / m.cpuSeconds;
  console.log(`\n                               wall (tweets/s)   per CPU second`);
  console.log(`ours                           ${fmt(rate(ours)).padStart(15)}   ${fmt(perCpu(ours)).padStart(14)}`);
  console.log(`full import (to a store)        ${fmt(rate(imported)).padStart(15)}   ${fmt(perCpu(imported)).padStart(14)}`);
  console.log(`duckdb read_json NDJSON        ${fmt(rate(ndjson)).padStart(15)}   ${fmt(perCpu(ndjson)).padStart(14)}`);
  console.log(`duckdb read_json pretty array  ${fmt(rate(array)).padStart(15)}   ${fmt(perCpu(array)).padStart(14)}`);
  console.log(`ours / duckdb (NDJSON)         ${(rate(ours) / rate(ndjson)).toFixed(2).padStart(14)}×   ${(perCpu(ours) / perCpu(ndjson)).toFixed(2).padStart(13)}×`);
  console.log(`ours / duckdb (pretty array)   ${(rate(ours) / rate(array)).toFixed(2).padStart(14)}×   ${(perCpu(ours) / perCpu(array)).toFixed(2).padStart(13)}×`);
  console.log(`full import / duckdb (NDJSON)  ${(rate(imported) / rate(ndjson)).toFixed(2).padStart(14)}×   ${(perCpu(imported) / perCpu(ndjson)).toFixed(2).padStart(13)}×`);
  console.log(`our peak RSS: ${fmt(oursSmall.maxRssMiB)} MiB at ${fmt(small)} tweets, ${fmt(ours.maxRssMiB)} MiB at ${fmt(n)} tweets`);
  const runs = [ndjson, array, ours, oursSmall, imported];
  const out = join(BENCH, `x-archive-results-${n}.json`);
  writeFileSync(out, JSON.stringify({ tweets: n, small, seed, node: process.version, at: new Date().toISOString(), runs }, null, 2) + '\n');
  console.log(`(results in ${out})`);
}

main().catch((e: unknown) => {
  console.error(`bench:x-archive: ${(e as Error).message}`);
  process.exitCode = 1;
});
