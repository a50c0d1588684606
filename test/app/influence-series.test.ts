/**
 * A daily metric series as the outcome (`clout influence --series NAME`): on a world with planted truth — a daily
 * series of units sold (Poisson baseline) to which one account's posts add a planted number of sales each, spread by
 * the response kernel, while another account's posts add nothing — the mover's interval holds its planted effect and
 * excludes 0, the quiet account's does not exclude 0; the document names the series. And every way a series can be
 * unfit for the model gets a clear error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/domain/index.js';
import { clout } from '../support/cli.js';
import { tempDir } from '../support/import.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2); // a Monday
const DAYS = 90;
const BASELINE = 30;
const PLANTED = 25; // sales per post of the mover

/** Writes the world: accounts, link posts, and the series `units` (plus `amounts`, `gappy`, `zeros` for the errors). */
function writeWorld(dir: string): void {
  const rng = new Rng(7);
  const accounts = ['id,platform,handle,name,followers,following,created_at', 'mover,x,mover,Mover,900,10,2020-01-01T00:00:00Z', 'quiet,x,quiet,Quiet,90000,10,2020-01-01T00:00:00Z'];
  const posts = ['id,author_id,created_at,text,url,link_id'];
  const links = ['id,url,key,post_id,campaign_id,author_id,created_at'];
  const expected = new Float64Array(DAYS).fill(BASELINE);
  for (let k = 0; k < 8; k++) {
    for (const [author, offsetDays, effect] of [['mover', 3, PLANTED], ['quiet', 8, 0]] as const) {
      const at = START + (offsetDays + 10 * k) * DAY + 10 * 3_600_000;
      const id = `${author}-${k}`;
      posts.push(`${id},${author},${new Date(at).toISOString()},The book - https://shop.example/b?r=${id},,l-${id}`);
      links.push(`l-${id},https://shop.example/b?r=${id},${id},${id},,${author},${new Date(at).toISOString()}`);
      // the kernel the model assumes: exponential with a mean of one day, cut at seven days
      for (let d = 0; d < DAYS; d++) {
        const lo = Math.max(0, START + d * DAY - at), hi = START + (d + 1) * DAY - at;
        if (hi <= 0 || lo >= 7 * DAY) continue;
        const cdf = (t: number) => (1 - Math.exp(-Math.min(t, 7 * DAY) / DAY)) / (1 - Math.exp(-7));
        expected[d]! += effect * (cdf(hi) - cdf(lo));
      }
    }
  }
  const metrics = ['series,at,value'];
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(START + d * DAY).toISOString().slice(0, 10);
    metrics.push(`units,${date},${rng.poisson(expected[d]!)}`);
    metrics.push(`amounts,${date},${(rng.poisson(BASELINE) * 9.99).toFixed(2)}`);
    if (d !== 40 && d !== 41) metrics.push(`gappy,${date},${rng.poisson(BASELINE)}`);
    metrics.push(`zeros,${date},0`);
  }
  for (const [name, lines] of [['accounts', accounts], ['posts', posts], ['links', links], ['metrics', metrics]] as const) writeFileSync(join(dir, `${name}.csv`), lines.join('\n') + '\n');
}

describe('clout influence --series', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir('clout-series-');
    writeWorld(dir);
    db = join(dir, 'store.duckdb');
    const r = await clout(['import', dir, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('recovers the planted mover from the daily series alone and names the series', async () => {
    const r = await clout(['influence', '--db', db, '--series', 'units', '--niter', '1500', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.outcome.series).toBe('units');
    expect(doc.outcome.bin_hours).toBe(24);
    expect(doc.outcome.posts).toBe(16);
    const by = Object.fromEntries(doc.accounts.map((a: { id: string }) => [a.id, a]));
    const mover = by.mover.outcome_influence, quiet = by.quiet.outcome_influence;
    expect(mover.lower).toBeLessThanOrEqual(PLANTED);
    expect(mover.upper).toBeGreaterThanOrEqual(PLANTED);
    expect(mover.lower).toBeGreaterThan(5);
    expect(mover.prob_positive).toBeGreaterThan(0.9);
    expect(quiet.lower).toBeLessThan(1);
    expect(quiet.mean).toBeLessThan(mover.lower);
  });

  it('the terminal and the report name the series as the outcome', async () => {
    const t = await clout(['influence', '--db', db, '--series', 'units', '--niter', '200']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('Outcome influence (series units)');
    const r = await clout(['report', '--db', db, '--series', 'units', '--niter', '200', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model.status).toBe('fitted');
    expect(report.model.series).toBe('units');
    expect(report.model.outcomes).toBeGreaterThan(DAYS * BASELINE * 0.9);
    const text = await clout(['report', '--db', db, '--series', 'units', '--niter', '200']);
    expect(text.stdout).toContain('outcome model, units (series)');
  });

  it('without conversions and without --series, it refuses and names the series the store has', async () => {
    const r = await clout(['influence', '--db', db, '--niter', '200']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--series NAME (the store has: amounts, gappy, units, zeros)');
  });

  it('an unknown series is a usage error that lists the known ones', async () => {
    const r = await clout(['influence', '--db', db, '--series', 'sales']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no metric series 'sales' in the store; series: amounts, gappy, units, zeros");
  });

  it('a series of amounts, with a gap, or all zero is refused with what would do', async () => {
    const amounts = await clout(['influence', '--db', db, '--series', 'amounts']);
    expect(amounts.code).toBe(1);
    expect(amounts.stderr).toMatch(/series 'amounts' has the value \d+\.\d+ on 2026-03-02; an outcome series holds counts/);
    const gappy = await clout(['influence', '--db', db, '--series', 'gappy']);
    expect(gappy.code).toBe(1);
    expect(gappy.stderr).toContain("series 'gappy' has no value for 2 days between its first and last point (2026-04-11, 2026-04-12); write 0 where nothing happened");
    const zeros = await clout(['influence', '--db', db, '--series', 'zeros']);
    expect(zeros.code).toBe(1);
    expect(zeros.stderr).toContain("series 'zeros' is 0 everywhere");
  });
});
