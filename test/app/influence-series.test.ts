/**
 * A daily metric series as the outcome (`clout influence --series NAME`): on a world with planted truth — a daily
 * series of units sold (Poisson baseline) to which twelve accounts' posts add a planted number of sales each (five
 * add none), spread by the response kernel — the estimates rank the accounts as planted, the 90% intervals cover
 * the planted effects, the strongest account is found and no silent one is claimed; the document names the series.
 * And every way a series can be unfit for the model gets a clear error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spearman } from '../../src/analysis/stats/rank.js';
import { Rng } from '../../src/domain/index.js';
import { clout } from '../support/cli.js';
import { tempDir } from '../support/import.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2); // a Monday
const DAYS = 120;
const BASELINE = 30;
/** Planted sales per post of each account (posts: six each, at seeded random times). */
const PLANTED: Record<string, number> = { a00: 0, a01: 0, a02: 0, a03: 0, a04: 0, a05: 6, a06: 10, a07: 14, a08: 18, a09: 24, a10: 30, a11: 40 };

/** The kernel the model assumes: exponential with a mean of one day, cut at seven days; its mass in day d for a post at `at`. */
function kernelMass(at: number, d: number): number {
  const cdf = (t: number) => (t <= 0 ? 0 : (1 - Math.exp(-Math.min(t, 7 * DAY) / DAY)) / (1 - Math.exp(-7)));
  return cdf(START + (d + 1) * DAY - at) - cdf(START + d * DAY - at);
}

/** Writes the world: accounts, link posts, and the series `units` (plus `amounts`, `gappy`, `zeros` for the errors). */
function writeWorld(dir: string): void {
  const rng = new Rng(7);
  const accounts = ['id,platform,handle,name,followers,following,created_at'];
  const posts = ['id,author_id,created_at,text,url,link_id'];
  const links = ['id,url,key,post_id,campaign_id,author_id,created_at'];
  const expected = new Float64Array(DAYS).fill(BASELINE);
  for (const [author, effect] of Object.entries(PLANTED)) {
    accounts.push(`${author},x,${author},${author},${1000 + Math.floor(rng.uniform() * 100_000)},10,2020-01-01T00:00:00Z`);
    for (let k = 0; k < 6; k++) {
      const at = START + Math.floor(rng.uniform() * (DAYS - 8) * DAY);
      const id = `${author}-${k}`, iso = new Date(at).toISOString();
      posts.push(`${id},${author},${iso},The book - https://shop.example/b?r=${id},,l-${id}`);
      links.push(`l-${id},https://shop.example/b?r=${id},${id},${id},,${author},${iso}`);
      for (let d = 0; d < DAYS; d++) expected[d]! += effect * kernelMass(at, d);
    }
  }
  const metrics = ['series,at,value'];
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(START + d * DAY).toISOString().slice(0, 10);
    metrics.push(`units,${date},${rng.poisson(expected[d]!)}`);
    metrics.push(`amounts,${date},${(rng.poisson(BASELINE) * 9.99).toFixed(2)}`);
    if (d !== 40 && d !== 41) metrics.push(`gappy,${date},${rng.poisson(BASELINE)}`);
    metrics.push(`zeros,${date},0`);
    if (d % 7 === 0) metrics.push(`weekly,${date},${rng.poisson(7 * BASELINE)}`);
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

  it('recovers the planted effects from the daily series alone and names the series', async () => {
    const r = await clout(['influence', '--db', db, '--series', 'units', '--niter', '2000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.outcome.series).toBe('units');
    expect(doc.outcome.bin_hours).toBe(24);
    expect(doc.outcome.posts).toBe(72);
    type Account = { id: string; outcome_influence: { mean: number; lower: number; upper: number; prob_positive: number } };
    const accounts: Account[] = doc.accounts;
    const ids = Object.keys(PLANTED);
    const estimate = ids.map((id) => accounts.find((a) => a.id === id)!.outcome_influence);
    expect(spearman(estimate.map((e) => e.mean), ids.map((id) => PLANTED[id]!))).toBeGreaterThanOrEqual(0.75);
    // 90% intervals: at least 9 of 12 cover the planted effect (P(fewer) < 3% for calibrated intervals)
    const covered = ids.filter((id, i) => estimate[i]!.lower <= PLANTED[id]! && PLANTED[id]! <= estimate[i]!.upper);
    expect(covered.length, `covered: ${covered.join(', ')}`).toBeGreaterThanOrEqual(9);
    // the strongest accounts are found to move the outcome; those that move nothing are not claimed to
    expect(estimate[11]!.lower).toBeGreaterThan(0);
    expect(estimate[10]!.prob_positive).toBeGreaterThan(0.8);
    for (let i = 0; i < 5; i++) expect(estimate[i]!.lower).toBe(0);
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
    expect(report.model.outcomes).toBeGreaterThan(DAYS * BASELINE);
    const text = await clout(['report', '--db', db, '--series', 'units', '--niter', '200']);
    expect(text.stdout).toContain('outcome model, series units)');
    expect(text.stdout).toMatch(/\n[\d,]+ outcomes, 72 posts by 12 accounts; [\d.]+% of outcomes caused by posts/);
  });

  it('without conversions and without --series, it refuses and names the series the store has', async () => {
    const r = await clout(['influence', '--db', db, '--niter', '200']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--series NAME (the store has: amounts, gappy, units, weekly, zeros)');
  });

  it('an unknown series is a usage error that lists the known ones', async () => {
    const r = await clout(['influence', '--db', db, '--series', 'sales']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no metric series 'sales' in the store; series: amounts, gappy, units, weekly, zeros");
  });

  it('a series of amounts, with a gap, weekly, or all zero is refused with what would do', async () => {
    const amounts = await clout(['influence', '--db', db, '--series', 'amounts']);
    expect(amounts.code).toBe(1);
    expect(amounts.stderr).toMatch(/series 'amounts' has the value \d+\.\d+ on 2026-03-02; an outcome series holds counts/);
    const gappy = await clout(['influence', '--db', db, '--series', 'gappy']);
    expect(gappy.code).toBe(1);
    expect(gappy.stderr).toContain("series 'gappy' has no value for 2 days between its first and last point (2026-04-11, 2026-04-12); write 0 where nothing happened");
    const weekly = await clout(['influence', '--db', db, '--series', 'weekly']);
    expect(weekly.code).toBe(1);
    expect(weekly.stderr).toContain("series 'weekly' has its points at least 7 days apart; the outcome model reads counts per day (or finer)");
    const zeros = await clout(['influence', '--db', db, '--series', 'zeros']);
    expect(zeros.code).toBe(1);
    expect(zeros.stderr).toContain("series 'zeros' is 0 everywhere");
  });
});
