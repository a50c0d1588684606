/**
 * `clout impact DATA.csv …` in-process: the JSON document's keys, the chart, periods as dates or row numbers, and a
 * clear one-line error (with its exit code) for every kind of bad input the issue names.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import type { ImpactResult } from '../../../src/analysis/impact/index.js';
import { clout } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-impact-cli-'));

/** A daily CSV: sales = 2·ads + 0.5·visits + noise, +8 from 2026-03-12 (row 70) on. */
function writeCsv(name: string, mutate?: (rows: string[][]) => void): string {
  const rng = new Rng(3);
  const rows: string[][] = [['date', 'sales', 'ads', 'visits', 'weather']];
  let a = 0, b = 0;
  for (let t = 0; t < 100; t++) {
    a = 0.9 * a + rng.normal();
    b = 0.9 * b + rng.normal();
    const ads = 20 + a, visits = 50 + 3 * b;
    const sales = 2 * ads + 0.5 * visits + rng.normal(0, 1) + (t >= 70 ? 8 : 0);
    const date = new Date(Date.UTC(2026, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
    rows.push([date, sales.toFixed(3), ads.toFixed(3), visits.toFixed(3), rng.normal().toFixed(3)]);
  }
  mutate?.(rows);
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => r.join(',')).join('\n') + '\n');
  return path;
}

describe('clout impact DATA.csv', () => {
  const file = writeCsv('daily.csv');

  it('prints the documented JSON document and writes the three-panel chart', async () => {
    const svg = join(dir, 'impact.svg');
    const r = await clout(['impact', file, '--target', 'sales', '--controls', 'ads,visits', '--pre', '2026-01-01..2026-03-11', '--post', '2026-03-12..2026-04-10', '--json', '--plot', svg, '--niter', '500']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ImpactResult;
    const keys = ['actual', 'predicted', 'predicted_sd', 'predicted_lower', 'predicted_upper', 'abs_effect', 'abs_effect_sd', 'abs_effect_lower', 'abs_effect_upper', 'rel_effect', 'rel_effect_sd', 'rel_effect_lower', 'rel_effect_upper'];
    expect(Object.keys(doc.average!).sort()).toEqual([...keys].sort());
    expect(Object.keys(doc.cumulative!).sort()).toEqual([...keys].sort());
    expect(typeof doc.p).toBe('number');
    expect(doc.p).toBeCloseTo(Math.min(1, 2 * doc.p_one_sided!), 12);
    expect(doc.prob_effect).toBeCloseTo(1 - doc.p_one_sided!, 12);
    expect(doc.series).toHaveLength(100);
    expect(doc.series[70]!.time).toBe('2026-03-12');
    expect(doc.pre).toMatchObject({ start: 0, end: 69, start_time: '2026-01-01', end_time: '2026-03-11' });
    expect(doc.average!.abs_effect_lower).toBeLessThan(8);
    expect(doc.average!.abs_effect_upper).toBeGreaterThan(8);
    expect(doc.model!.controls).toEqual(['ads', 'visits']);
    const chart = readFileSync(svg, 'utf8');
    expect(chart.startsWith('<svg')).toBe(true);
    for (const panel of ['original', 'pointwise', 'cumulative']) expect(chart).toContain(`class="panel ${panel}"`);
    expect(chart.match(/class="marker"/g)).toHaveLength(3); // pre end in each panel
    // the response line has one vertex per row
    const response = /class="response" d="([^"]+)"/.exec(chart)![1]!;
    expect(response.match(/[ML]/g)).toHaveLength(100);
  });

  it('takes 0-based row numbers, uses every other column as a control by default, and prints a summary', async () => {
    const r = await clout(['impact', file, '--target', 'sales', '--pre', '0..69', '--post', '70..99', '--niter', '300', '--seed', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Absolute effect (s.d.)');
    expect(r.stdout).toContain('Posterior probability of an effect:');
    expect(r.stdout).toMatch(/increase/);
    const json = await clout(['impact', file, '--target', 'sales', '--pre', '0..69', '--post', '70..99', '--niter', '300', '--seed', '4', '--json']);
    expect((JSON.parse(json.stdout) as ImpactResult).model!.controls).toEqual(['ads', 'visits', 'weather']);
    const again = await clout(['impact', file, '--target', 'sales', '--pre', '0..69', '--post', '70..99', '--niter', '300', '--seed', '4', '--json']);
    expect(again.stdout).toBe(json.stdout); // same seed, same output
  });

  const cases: [string, string[], number, RegExp][] = [
    ['an unknown column', ['--target', 'revenue', '--pre', '0..69', '--post', '70..99'], 2, /column 'revenue' does not exist.*numeric columns: sales, ads, visits, weather/],
    ['an unknown control', ['--target', 'sales', '--controls', 'ads,tv', '--pre', '0..69', '--post', '70..99'], 2, /column 'tv' does not exist/],
    ['overlapping periods', ['--target', 'sales', '--pre', '0..70', '--post', '70..99'], 2, /overlap/],
    ['an empty period', ['--target', 'sales', '--pre', '0..69', '--post', '99..80'], 2, /post period is empty/],
    ['a date that is not in the file', ['--target', 'sales', '--pre', '2025-01-01..2026-03-11', '--post', '70..99'], 2, /no row has the date '2025-01-01'/],
    ['too few pre-period points', ['--target', 'sales', '--pre', '0..1', '--post', '70..99'], 1, /pre-period has 2 point\(s\); need ≥ 3/],
    ['a bad period syntax', ['--target', 'sales', '--pre', '0-69', '--post', '70..99'], 2, /START\.\.END/],
  ];
  for (const [what, args, code, message] of cases) {
    it(`rejects ${what} with exit ${code} and one line`, async () => {
      const r = await clout(['impact', file, ...args]);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  }

  it('rejects controls missing in the post period and non-numeric values, naming the row', async () => {
    const missing = writeCsv('missing.csv', (rows) => (rows[81]![2] = ''));
    let r = await clout(['impact', missing, '--target', 'sales', '--controls', 'ads', '--pre', '0..69', '--post', '70..99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/control 'ads' is missing at row 80 in the post period/);
    const text = writeCsv('text.csv', (rows) => (rows[11]![1] = 'n/a?'));
    r = await clout(['impact', text, '--target', 'sales', '--pre', '0..69', '--post', '70..99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/text\.csv line 12, column 'sales': 'n\/a\?' is not a number/);
    // a missing target value in the pre-period is fine (NA is allowed there)
    const hole = writeCsv('hole.csv', (rows) => (rows[31]![1] = 'NA'));
    r = await clout(['impact', hole, '--target', 'sales', '--controls', 'ads,visits', '--pre', '0..69', '--post', '70..99', '--niter', '200', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ImpactResult).series[30]!.response).toBeNull();
  });

  it('warns and returns an empty result for a constant target instead of crashing', async () => {
    const flat = writeCsv('flat.csv', (rows) => rows.slice(1).forEach((r) => (r[1] = '5')));
    const r = await clout(['impact', flat, '--target', 'sales', '--pre', '0..69', '--post', '70..99', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ImpactResult;
    expect(doc.ok).toBe(false);
    expect(doc.average).toBeNull();
    expect(doc.warnings.join(' ')).toMatch(/constant/);
    const text = await clout(['impact', flat, '--target', 'sales', '--pre', '0..69', '--post', '70..99']);
    expect(text.stdout).toContain('(Inference aborted)');
  });

  it('rejects an unknown flag and a store flag with a file', async () => {
    expect((await clout(['impact', file, '--target', 'sales', '--nseasons', '7'])).code).toBe(2);
    const r = await clout(['impact', file, '--target', 'sales', '--pre', '0..69', '--post', '70..99', '--window', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--window applies to the store/);
  });
});
