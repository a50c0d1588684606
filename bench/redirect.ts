/**
 * `npm run bench:redirect` — clout's redirect with click capture beside nginx `return 302` (1 worker) and a bare
 * node:http 302 server, in the same run on loopback, each server in its own process, load from `wrk -t1 -c64`. A fourth
 * server, clout with capture off (fixed Location, nothing recorded), splits clout's gap to bare node:http into the
 * cost of capture and the cost of the process around it.
 *
 *   node dist/bench/redirect.js [--seconds 10] [--connections 64] [--repeat 3]
 *
 * 1. Saturation: each server for `--seconds` at 64 connections (after a 2 s warm-up), `--repeat` rounds with the
 *    servers alternating; the best round of each server counts (the machine is shared and noisy).
 * 2. Half load: each server offered half of clout's best saturation rate. wrk (Debian, 4.1) has no fixed-rate mode
 *    (-R is wrk2's), so the load is paced with wrk's Lua `delay()`: c connections each pause d ms after every
 *    response (d = 5 ms). c starts at target·d/1000 and is corrected once by a 3 s calibration run against nginx
 *    (wrk's timers fire late, so the first guess under-delivers). The achieved rate is printed beside the target.
 * Before every run the bench waits until the clout process has been idle for longer than its merge delay: it merges
 * its click journal into the store `mergeIdleMs` after the load stops (see docs/api.md), and no server should be
 * measured while that merge shares the machine.
 * 3. The clout server stops gracefully (flushing clicks); the human clicks in its store must equal the requests wrk
 *    completed against it (all sent with a browser User-Agent). wrk counts only completed responses, so requests
 *    still in flight when a run stops can add at most `connections` clicks per run; the check allows exactly that.
 * wrk and nginx-light are installed with apt-get when missing (sudo when not root).
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MERGE_DEFAULTS } from '../src/server/clicks/buffer.js';
import { aptInstall, freePort, spawnJson, startNginx, stop, waitIdle, which } from './redirect/procs.js';
import { runWrk, type WrkResult } from './redirect/wrk.js';

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
const bare = await spawnJson(process.execPath, child('bare'));
const clout = await spawnJson(process.execPath, child('clout-server'));
const captureOff = await spawnJson(process.execPath, child('clout-server', '--capture-off'));

const targets = [
  { name: 'nginx return 302 (1 worker)', url: `http://127.0.0.1:${nginxPort}/book` },
  { name: 'bare node:http 302', url: `${String(bare.first.url)}/book` },
  { name: 'clout redirect + click capture', url: `${String(clout.first.url)}/${String(clout.first.key)}` },
  { name: 'clout, capture off (reference)', url: `${String(captureOff.first.url)}/${String(captureOff.first.key)}` },
];
const headers = { 'User-Agent': BROWSER_UA };
let cloutRequests = 0;
let cloutRuns = 0;

async function measure(url: string, c: number, s: number, delayMs?: number): Promise<WrkResult> {
  // clout merges its click journal into the store once the load stops: let that finish before the next run, so that
  // no server is measured while clout's merge shares the machine.
  await waitIdle(clout.child.pid!, MERGE_DEFAULTS.mergeIdleMs + 1_000);
  const r = await runWrk({ url, connections: c, seconds: s, headers, scratchDir: scratch, ...(delayMs !== undefined ? { delayMs } : {}) });
  if (url === targets[2]!.url) {
    cloutRequests += r.requests;
    cloutRuns++;
  }
  return r;
}

const sat: WrkResult[] = [];
const half: WrkResult[] = [];
let halfTarget = 0;
let halfConnections = 0;
try {
  for (const t of targets) {
    process.stderr.write(`bench: ${t.name}: warm-up 2s\n`);
    await measure(t.url, connections, 2);
  }
  for (let round = 1; round <= repeat; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      process.stderr.write(`bench: round ${round}/${repeat}: ${t.name}: ${seconds}s at ${connections} connections\n`);
      const r = await measure(t.url, connections, seconds);
      process.stderr.write(`bench:   ${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms\n`);
      if (sat[i] === undefined || r.rps > sat[i]!.rps) sat[i] = r;
    }
  }
  halfTarget = sat[2]!.rps / 2;
  halfConnections = Math.max(1, Math.round((halfTarget * PACE_DELAY_MS) / 1000));
  const calibration = await measure(targets[0]!.url, halfConnections, 3, PACE_DELAY_MS);
  halfConnections = Math.max(1, Math.min(1000, Math.round((halfConnections * halfTarget) / Math.max(1, calibration.rps))));
  for (const t of targets) {
    process.stderr.write(`bench: ${t.name}: ${seconds}s at ~${Math.round(halfTarget)} req/s offered (${halfConnections} conns × 1/${PACE_DELAY_MS} ms)\n`);
    half.push(await measure(t.url, halfConnections, seconds, PACE_DELAY_MS));
  }
} finally {
  await stop(nginx);
  await stop(bare.child);
  await stop(captureOff.child);
}
const stopped = stop(clout.child);
const counted = await clout.next();
await stopped;

const f = (n: number, d = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const rows = targets.map((t, i) => [t.name, f(sat[i]!.rps), f(sat[i]!.p50Ms, 2), f(sat[i]!.p99Ms, 2), f(half[i]!.rps), f(half[i]!.p50Ms, 2), f(half[i]!.p99Ms, 2)]);
const head = ['server', 'sat rps', 'p50 ms', 'p99 ms', 'half rps', 'p50 ms', 'p99 ms'];
const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
const line = (r: string[]): string => r.map((v, j) => (j === 0 ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ');
process.stdout.write(`redirect benchmark — wrk -t1 -c${connections} -d${seconds}s on loopback, best of ${repeat} rounds, ${new Date().toISOString()}\n`);
process.stdout.write(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min) at the end of the run\n`);
process.stdout.write(`half load: ${f(halfTarget)} req/s offered per server (wrk Lua delay(): ${halfConnections} connections × one request per ${PACE_DELAY_MS} ms + latency)\n\n`);
process.stdout.write(line(head) + '\n' + widths.map((w) => '─'.repeat(w)).join('  ') + '\n' + rows.map(line).join('\n') + '\n\n');
const [ng, bn, cl, off] = sat as [WrkResult, WrkResult, WrkResult, WrkResult];
process.stdout.write(`clout / bare node:http = ${f(cl.rps / bn.rps, 2)}  (goal ≥ 0.85)\n`);
process.stdout.write(
  `  of which: capture    = ${f(cl.rps / off.rps, 2)}  (clout / clout with capture off)\n` +
    `            the process = ${f(off.rps / bn.rps, 2)}  (clout with capture off / bare node:http)\n`,
);
process.stdout.write(`clout / nginx          = ${f(cl.rps / ng.rps, 2)}  (stretch ≥ 0.6)\n`);
process.stdout.write(`clout p99 at half load = ${f(half[2]!.p99Ms, 2)} ms  (goal < 10 ms)\n`);
const errors = [...sat, ...half].reduce((s, r) => s + r.non3xx + r.socketErrors, 0);
if (errors > 0) process.stdout.write(`warning: ${errors} non-3xx responses or socket errors across runs\n`);
const clicks = Number(counted.clicks);
const slack = clicks - cloutRequests;
const ok = slack >= 0 && slack <= connections * cloutRuns;
process.stdout.write(
  `clicks in the store: ${f(clicks)} human (${f(Number(counted.total))} total); wrk completed ${f(cloutRequests)} requests against clout in ${cloutRuns} runs; ` +
    `difference ${f(slack)} (in flight at run ends, allowed 0..${connections * cloutRuns}) → ${ok ? 'OK' : 'MISMATCH'}\n`,
);
process.exit(ok ? 0 : 1);
