/**
 * `npm run bench:report` — the whole job end to end on the synthetic worlds: `clout generate` → `clout import` →
 * `clout report` (last-touch sections only, then the full report with the outcome model, tribes and PageRank, as
 * JSON and as the HTML file). Every stage runs as its own process, as a user runs it; the bench prints each stage's
 * wall time and peak resident memory (the process's VmHWM from /proc, read until it exits).
 *
 *   node dist/bench/report.js [--sizes medium,large] [--seed 1] [--niter 300] [--keep] [--reuse]
 *
 * The worlds and stores go under .bench/report-<size>/ and are deleted afterwards unless --keep; --reuse skips
 * generate and import when a kept store is there (to time the report stages again). The goal of issue 6:
 * the large world (≈1M accounts, 10M follows, 10M clicks) reports end to end in < 60 s after import, < 4 GB peak.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const BENCH = join(ROOT, '.bench');

/** One stage's measurement. */
interface StageResult {
  size: string;
  stage: string;
  seconds: number;
  peakMB: number;
  exitCode: number;
}

/** Runs `node CLI args…` to completion; returns its wall time and the peak resident memory seen in /proc. */
function runStage(args: string[], stdoutFile: string | null): Promise<{ seconds: number; peakMB: number; exitCode: number; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdoutFile && out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let peakKB = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB, Number(m[1]));
      } catch {
        // the process has just exited
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (stdoutFile) writeFileSync(stdoutFile, Buffer.concat(out));
      resolvePromise({ seconds: (performance.now() - t0) / 1000, peakMB: peakKB / 1024, exitCode: code ?? -1, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: process.env.CLOUT_BENCH_SIZES ?? 'medium,large' },
      seed: { type: 'string', default: '1' },
      niter: { type: 'string', default: process.env.CLOUT_BENCH_NITER ?? '300' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const results: StageResult[] = [];
  for (const size of values.sizes.split(',').map((s) => s.trim())) {
    const dir = join(BENCH, `report-${size}`);
    const world = join(dir, 'world'), db = join(dir, 'store.duckdb');
    const reuse = values.reuse && existsSync(db);
    if (!reuse) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const stages: [string, string[], string | null][] = [
      ...(reuse
        ? []
        : ([
            ['generate', ['generate', '--size', size, '--seed', values.seed, '--out', world, '--format', 'csv'], null],
            ['import', ['import', world, '--db', db, '--rejects', join(dir, 'rejects.ndjson')], null],
          ] as [string, string[], string | null][])),
      ['report --no-model (last touch, tribes, campaigns)', ['report', '--db', db, '--no-model', '--json'], join(dir, 'report-no-model.json')],
      [`report --json (outcome model, ${values.niter} sweeps)`, ['report', '--db', db, '--json', '--niter', values.niter], join(dir, 'report.json')],
      [`report --html (outcome model, ${values.niter} sweeps)`, ['report', '--db', db, '--niter', values.niter, '--html', join(dir, 'report.html')], null],
    ];
    for (const [stage, args, stdoutFile] of stages) {
      process.stdout.write(`${size}: ${stage} … `);
      const r = await runStage(args, stdoutFile);
      process.stdout.write(`${r.seconds.toFixed(1)} s, peak ${r.peakMB.toFixed(0)} MB${r.exitCode === 0 ? '' : `, exit ${r.exitCode}`}\n`);
      if (r.exitCode !== 0) process.stdout.write(r.stderr.split('\n').slice(-8).join('\n') + '\n');
      results.push({ size, stage, seconds: r.seconds, peakMB: r.peakMB, exitCode: r.exitCode });
      if (r.exitCode !== 0) break;
    }
    if (!values.keep && !values.reuse) rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nsize    stage                                                   wall (s)   peak (MB)');
  for (const r of results) {
    console.log(`${r.size.padEnd(7)} ${r.stage.padEnd(55)} ${r.seconds.toFixed(1).padStart(8)} ${r.peakMB.toFixed(0).padStart(11)}${r.exitCode === 0 ? '' : `  (exit ${r.exitCode})`}`);
  }
  for (const size of new Set(results.map((r) => r.size))) {
    const after = results.filter((r) => r.size === size && r.stage.startsWith('report --json') && r.exitCode === 0);
    if (after.length > 0) {
      const r = after[0]!;
      const ok = r.seconds < 60 && r.peakMB < 4096;
      console.log(`${size}: full report after import ${r.seconds.toFixed(1)} s, peak ${r.peakMB.toFixed(0)} MB — goal < 60 s and < 4 GB: ${ok ? 'met' : 'NOT met'}`);
    }
  }
  mkdirSync(BENCH, { recursive: true });
  writeFileSync(join(BENCH, 'report-results.json'), JSON.stringify({ at: new Date().toISOString(), niter: Number(values.niter), results }, null, 2));
}

await main();
