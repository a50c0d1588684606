/** Running wrk and reading its report (requests/s, p50/p99 latency, requests completed). */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non3xx: number;
  socketErrors: number;
}

/** Options of one run. */
export interface WrkRun {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** Per-connection pause after each response (ms), via wrk's Lua delay(): paces the offered load. */
  delayMs?: number;
  scratchDir: string;
}

/** Milliseconds from a wrk duration such as `812.00us`, `4.90ms`, `1.02s`. */
export function wrkDurationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`unreadable wrk duration '${text}'`);
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

/** Parses wrk's --latency report. */
export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp): string => {
    const m = re.exec(out);
    if (!m) throw new Error(`wrk output lacks ${re}:\n${out}`);
    return m[1]!;
  };
  const requests = Number(num(/(\d+) requests in/));
  const seconds = wrkDurationMs(num(/requests in ([\d.]+(?:us|ms|s|m)),/)) / 1000;
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests,
    seconds,
    rps: Number(num(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: wrkDurationMs(num(/\n\s+50%\s+(\S+)/)),
    p99Ms: wrkDurationMs(num(/\n\s+99%\s+(\S+)/)),
    non3xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((s, v) => s + Number(v), 0) : 0,
  };
}

/** Runs `wrk -t1 -cN -dS --latency` and parses its report. */
export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(run.headers)) args.push('-H', `${k}: ${v}`);
  if (run.delayMs !== undefined) {
    const script = join(run.scratchDir, 'pace.lua');
    writeFileSync(script, `local d = ${Math.max(0, Math.round(run.delayMs))}\nfunction delay()\n  return d\nend\n`);
    args.push('-s', script);
  }
  args.push(run.url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrk(out));
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}
