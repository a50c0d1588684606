/**
 * `npm run bench:redirect` — clout's redirect with click capture beside nginx `return 302` (1 worker) and a bare
 * node:http 302 server, in the same run on loopback, each server in its own process, load from `wrk -t1 -c64`. A fourth
 * server, clout with capture off (fixed Location, nothing recorded), splits clout's gap to bare node:http into the
 * cost of capture and the cost of the process around it.
 *
 *   node dist/bench/redirect.js [--seconds 10] [--connections 64] [--repeat 3]
 *
 * 1. Saturation: `--repeat` rounds; in each, every server in turn for `--seconds` at 64 connections. Every run gets a
 *    fresh process of its server (nginx excepted), warmed up for 2 s: how fast one process of the same code runs is
 *    partly a draw (measured here: two processes of the same code side by side differed by 10–30% at times, runs of
 *    one process much less), and one process
 *    per server let a single draw decide the ratios. The best and the median run of each server are printed, and
 *    the ratios of both.
 * 2. Half load: each server (again a fresh process) offered half of clout's best saturation rate. wrk (Debian, 4.1)
 *    has no fixed-rate mode (-R is wrk2's), so the load is paced with wrk's Lua `delay()`: c connections each pause
 *    d ms after every response (d = 5 ms). c starts at target·d/1000 and is corrected once by a 3 s calibration run
 *    against nginx (wrk's timers fire late, so the first guess under-delivers). The achieved rate is printed beside
 *    the target.
 * 3. Each clout process stops gracefully after its run: its clicks are flushed and merged into its store before it
 *    exits (so no deferred merge shares the machine with the next run), and it reports the clicks it stored. The
 *    human clicks of all stores must equal the requests wrk completed against clout, warm-ups included (all sent
 *    with a browser User-Agent). wrk counts only completed responses, so requests still in flight when a run stops
 *    can add at most `connections` clicks per run; the check allows exactly that.
 * wrk and nginx-light are installed with apt-get when missing (sudo when not root).
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aptInstall, freePort, spawnJson, startNginx, stop, which } from './redirect/procs.js';
import { runWrk, type WrkResult } from './redirect/wrk.js';

/** The run with the most requests per second. */
const best = (runs: WrkResult[]): WrkResult => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
/** The median of some numbers. */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const PACE_DELAY_MS = 5;

const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' }, repeat: { type: 'string' } } });
const seconds = Number(values.seconds ?? process.env.CLOUT_BENCH_SECONDS ?? 10);
const connections = Number(values.connections ?? 64);
const repeat = Number(values.repeat ?? process.env.CLOUT_BENCH_REPEAT ?? 3);

const missing = [which('wrk') ? undefined : 'wrk', which('nginx') ? undefined : 'nginx-light'].filter((p): p is string => p !== undefined);
if (missing.length > 0) aptInstall(missing);

const scratch = mkdtempSync(join(tmpdir(), 'clout-bench-redirect-'));
const nginxPort = await freePort();
const nginx = await startNginx(scratch, nginxPort, 'https://shop.example/book?clout_id=AAAAAAAAAAAAAAAAAAAAAA');
// Compiled (dist/bench/*.js) or run from source with tsx: start the children the same way.
const fromSource = import.meta.filename.endsWith('.ts');
const child = (name: string, ...args: string[]): string[] => [
  ...(fromSource ? ['--import', 'tsx'] : []),
  join(import.meta.dirname, 'redirect', `${name}.${fromSource ? 'ts' : 'js'}`),
  '0',
  ...args,
];
/** One server under test: how to start a fresh process of it (nginx is started once: it has no JIT or heap to warm). */
interface Target {
  name: string;
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}
let cloutClicks = 0;
let cloutTotal = 0;
let cloutRequests = 0;
let cloutRuns = 0;
/** A fresh `clout serve` (clout-server.ts) on its own new store; its stop adds the clicks it stored to the tallies. */
const cloutTarget = (name: string, args: string[], counts: boolean): Target => ({
  name,
  async start() {
    const p = await spawnJson(process.execPath, child('clout-server', ...args));
    return {
      url: `${String(p.first.url)}/${String(p.first.key)}`,
      async stop() {
        const stopped = stop(p.child);
        const counted = await p.next();
        await stopped;
        if (counts) {
          cloutClicks += Number(counted.clicks);
          cloutTotal += Number(counted.total);
        }
      },
    };
  },
});
const targets: Target[] = [
  { name: 'nginx return 302 (1 worker)', start: async () => ({ url: `http://127.0.0.1:${nginxPort}/book`, stop: async () => undefined }) },
  {
    name: 'bare node:http 302',
    async start() {
      const p = await spawnJson(process.execPath, child('bare'));
      return { url: `${String(p.first.url)}/book`, stop: () => stop(p.child) };
    },
  },
  cloutTarget('clout redirect + click capture', [], true),
  cloutTarget('clout, capture off (reference)', ['--capture-off'], false),
];
/** Positions in `targets`. */
const [NGINX, BARE, CLOUT, OFF] = [0, 1, 2, 3] as const;
const headers = { 'User-Agent': BROWSER_UA };

/** Starts a fresh process of target `i` (see 1. above), warms it up for 2 s, runs wrk once, and stops it. */
async function measure(i: number, c: number, s: number, delayMs?: number): Promise<WrkResult> {
  const server = await targets[i]!.start();
  try {
    const warm = await runWrk({ url: server.url, connections, seconds: 2, headers, scratchDir: scratch });
    const r = await runWrk({ url: server.url, connections: c, seconds: s, headers, scratchDir: scratch, ...(delayMs !== undefined ? { delayMs } : {}) });
    if (i === CLOUT) {
      cloutRequests += warm.requests + r.requests;
      cloutRuns += 2;
    }
    return r;
  } finally {
    await server.stop();
  }
}

const sat: WrkResult[][] = targets.map(() => []);
const half: WrkResult[] = [];
let halfTarget = 0;
let halfConnections = 0;
try {
  for (let round = 1; round <= repeat; round++) {
    for (let i = 0; i < targets.length; i++) {
      process.stderr.write(`bench: round ${round}/${repeat}: ${targets[i]!.name}: fresh process, 2s warm-up, ${seconds}s at ${connections} connections\n`);
      const r = await measure(i, connections, seconds);
      process.stderr.write(`bench:   ${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms\n`);
      sat[i]!.push(r);
    }
  }
  halfTarget = best(sat[CLOUT]!).rps / 2;
  halfConnections = Math.max(1, Math.round((halfTarget * PACE_DELAY_MS) / 1000));
  const calibration = await runWrk({ url: `http://127.0.0.1:${nginxPort}/book`, connections: halfConnections, seconds: 3, headers, scratchDir: scratch, delayMs: PACE_DELAY_MS });
  halfConnections = Math.max(1, Math.min(1000, Math.round((halfConnections * halfTarget) / Math.max(1, calibration.rps))));
  for (let i = 0; i < targets.length; i++) {
    process.stderr.write(`bench: ${targets[i]!.name}: ${seconds}s at ~${Math.round(halfTarget)} req/s offered (${halfConnections} conns × 1/${PACE_DELAY_MS} ms)\n`);
    half.push(await measure(i, halfConnections, seconds, PACE_DELAY_MS));
  }
} finally {
  await stop(nginx);
}

const f = (n: number, d = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const bests = sat.map(best);
const medians = sat.map((runs) => median(runs.map((r) => r.rps)));
const rows = targets.map((t, i) => [
  t.name,
  f(bests[i]!.rps),
  f(medians[i]!),
  f(bests[i]!.p50Ms, 2),
  f(bests[i]!.p99Ms, 2),
  f(half[i]!.rps),
  f(half[i]!.p50Ms, 2),
  f(half[i]!.p99Ms, 2),
]);
const head = ['server', 'best rps', 'median', 'p50 ms', 'p99 ms', 'half rps', 'p50 ms', 'p99 ms'];
const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
const line = (r: string[]): string => r.map((v, j) => (j === 0 ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ');
process.stdout.write(
  `redirect benchmark — wrk -t1 -c${connections} -d${seconds}s on loopback, ${repeat} rounds of a fresh process per server (p50/p99 of the best), ${new Date().toISOString()}\n`,
);
process.stdout.write(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min) at the end of the run\n`);
process.stdout.write(`half load: ${f(halfTarget)} req/s offered per server (wrk Lua delay(): ${halfConnections} connections × one request per ${PACE_DELAY_MS} ms + latency)\n\n`);
process.stdout.write(line(head) + '\n' + widths.map((w) => '─'.repeat(w)).join('  ') + '\n' + rows.map(line).join('\n') + '\n\n');
const ratio = (a: number, b: number): string => `${f(bests[a]!.rps / bests[b]!.rps, 2)} best, ${f(medians[a]! / medians[b]!, 2)} median`;
process.stdout.write(`clout / bare node:http = ${ratio(CLOUT, BARE)}  (goal ≥ 0.85)\n`);
process.stdout.write(
  `  of which: capture     = ${ratio(CLOUT, OFF)}  (clout / clout with capture off)\n` +
    `            the process = ${ratio(OFF, BARE)}  (clout with capture off / bare node:http)\n`,
);
process.stdout.write(`clout / nginx          = ${ratio(CLOUT, NGINX)}  (stretch ≥ 0.6)\n`);
process.stdout.write(`clout p99 at half load = ${f(half[CLOUT]!.p99Ms, 2)} ms  (goal < 10 ms)\n`);
const errors = [...sat.flat(), ...half].reduce((s, r) => s + r.non3xx + r.socketErrors, 0);
if (errors > 0) process.stdout.write(`warning: ${errors} non-3xx responses or socket errors across runs\n`);
const slack = cloutClicks - cloutRequests;
const ok = slack >= 0 && slack <= connections * cloutRuns;
process.stdout.write(
  `clicks in the stores: ${f(cloutClicks)} human (${f(cloutTotal)} total); wrk completed ${f(cloutRequests)} requests against clout in ${cloutRuns} runs (warm-ups included); ` +
    `difference ${f(slack)} (in flight at run ends, allowed 0..${connections * cloutRuns}) → ${ok ? 'OK' : 'MISMATCH'}\n`,
);
process.exit(ok ? 0 : 1);
