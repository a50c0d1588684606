/**
 * `clout compare DATA.csv` end to end: a CSV of creators written here with a planted shout-out effect that big
 * accounts are likelier to get (so the naive difference is biased up); the JSON answer recovers the effect and shows
 * the bias, the terminal text and the HTML page carry the diagnostics, and wrong flags say what is wrong.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PanelResult } from '../../../src/analysis/compare/index.js';
import type { CompareDoc } from '../../../src/app/compare.js';
import { Rng } from '../../../src/domain/index.js';
import { clout } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-compare-cli-'));
const file = join(dir, 'creators.csv');
const panelFile = join(dir, 'panel.csv');
const EFFECT = 5;
/** The panel's planted effect, by periods since treatment (e = 0, 1, 2, …); the same for both cohorts. */
const DYNAMIC = (e: number) => 1 + 0.5 * e;

beforeAll(() => {
  // 1,500 creators: log followers and a region drive both the shout-out and sales; the shout-out adds EFFECT sales.
  const rng = new Rng(21);
  const lines = ['creator,shouted_out,sales,followers,posts,region'];
  const regions = ['eu', 'us', 'asia'];
  for (let i = 0; i < 1500; i++) {
    const logF = 5 + 1.5 * rng.normal();
    const followers = Math.round(Math.exp(logF));
    const posts = Math.max(0, Math.round(20 + 8 * rng.normal()));
    const region = regions[Math.floor(rng.uniform() * 3)]!;
    const lin = -6 + 0.8 * logF + 0.02 * posts + (region === 'us' ? 0.5 : 0);
    const treated = rng.uniform() < 1 / (1 + Math.exp(-lin)) ? 1 : 0;
    const sales = 2 * logF + 0.1 * posts + (region === 'asia' ? -1 : 0) + EFFECT * treated + 2 * rng.normal();
    lines.push(`c${i},${treated},${sales.toFixed(3)},${followers},${posts},${region}`);
  }
  lines.push('broken,1,,10,3,eu');
  writeFileSync(file, lines.join('\n') + '\n');

  // A panel of 240 accounts over years 2015–2024: cohorts first shouted out in 2018 and 2021, and never; a common
  // trend, unit levels, and the planted dynamic effect.
  const panel = ['account,year,sales,first_shoutout'];
  for (let u = 0; u < 240; u++) {
    const cohort = [null, 2018, 2021][u % 3] as number | null;
    const level = 2 * rng.normal();
    for (let year = 2015; year <= 2024; year++) {
      const effect = cohort !== null && year >= cohort ? DYNAMIC(year - cohort) : 0;
      panel.push(`a${u},${year},${(level + 0.4 * (year - 2015) + effect + rng.normal()).toFixed(4)},${cohort ?? 'never'}`);
    }
  }
  writeFileSync(panelFile, panel.join('\n') + '\n');
});

const ARGS = ['--treatment', 'shouted_out', '--outcome', 'sales', '--covariates', 'followers,posts,region', '--categorical', 'region', '--log', 'followers', '--id', 'creator', '--bootstrap', '200'];

describe('clout compare DATA.csv', () => {
  it('recovers the planted effect where the naive difference is biased, and lists the row it left out', async () => {
    const r = await clout(['compare', file, ...ARGS, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as CompareDoc;
    expect(doc.estimand).toBe('att');
    expect(doc.n_treated + doc.n_control).toBe(1500);
    expect(doc.input.rejected).toEqual([{ line: 1502, reason: "outcome 'sales' is missing" }]);
    expect(doc.naive.estimate).toBeGreaterThan(EFFECT + 1.5);
    expect(doc.methods.map((m) => m.method)).toEqual(['matching', 'ipw', 'aipw']);
    for (const m of doc.methods) {
      expect(m.lower).toBeLessThan(EFFECT);
      expect(m.upper).toBeGreaterThan(EFFECT);
      expect(Math.abs(m.estimate - EFFECT)).toBeLessThan(1);
    }
    expect(doc.naive.lower).toBeGreaterThan(EFFECT);
    expect(doc.balance.map((b) => b.covariate)).toEqual(expect.arrayContaining(['followers', 'posts']));
    for (const b of doc.balance) expect(Math.abs(b.smd_after)).toBeLessThan(0.1);
    expect(Math.max(...doc.balance.map((b) => Math.abs(b.smd_before)))).toBeGreaterThan(0.3);
    expect(doc.sensitivity.e_value).toBeGreaterThan(1);
    expect(doc.warnings[0]).toMatch(/1 of 1501 rows of creators.csv left out \(line 1502: outcome 'sales' is missing\)/);
  });

  it('prints the estimates beside the naive difference, balance and the assumptions, and writes the HTML page', async () => {
    const html = join(dir, 'compare.html');
    const r = await clout(['compare', file, ...ARGS, '--method', 'matching', '--html', html]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/naive difference/);
    expect(r.stdout).toMatch(/^matching /m);
    expect(r.stdout).not.toMatch(/weighting \(IPW\)/);
    expect(r.stdout).toMatch(/E-value/);
    expect(r.stdout).toMatch(/No hidden confounding/);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/Love plot/);
    expect(page).toMatch(/Propensity score by group/);
    expect(page).not.toMatch(/<script/);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('--panel recovers the planted event-study effects and writes the event-study page', async () => {
    const PANEL = ['compare', '--panel', panelFile, '--unit', 'account', '--time', 'year', '--outcome', 'sales', '--treated-at', 'first_shoutout'];
    const r = await clout([...PANEL, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PanelResult;
    expect(doc.n_units).toBe(240);
    expect(doc.cohorts).toEqual([{ treated_at: '2018', units: 80 }, { treated_at: '2021', units: 80 }]);
    for (const e of doc.event_study.filter((x) => x.relative_period >= 0 && x.relative_period <= 3)) {
      expect(e.lower).toBeLessThan(DYNAMIC(e.relative_period) + 0.05);
      expect(e.upper).toBeGreaterThan(DYNAMIC(e.relative_period) - 0.05);
    }
    expect(doc.pre_trend.df).toBeGreaterThan(0);
    const html = join(dir, 'panel.html');
    const text = await clout([...PANEL, '--html', html]);
    expect(text.stdout).toMatch(/ATT \(Callaway–Sant'Anna, vs not-yet-treated units\)/);
    expect(text.stdout).toMatch(/Pre-trend test/);
    expect(readFileSync(html, 'utf8')).toMatch(/Effect by period relative to treatment/);
    const wrong = await clout([...PANEL, '--caliper', '0.1']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--caliper applies to matched comparisons, not to --panel/);
    const missing = await clout(['compare', '--panel', panelFile, '--unit', 'account', '--outcome', 'sales']);
    expect(missing.stderr).toMatch(/--panel needs --time, --treated-at/);
  });

  it('says what is wrong with wrong flags', async () => {
    const usage = async (args: string[], message: RegExp) => {
      const r = await clout(['compare', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await usage([file, '--outcome', 'sales', '--covariates', 'followers'], /--treatment COL is required/);
    await usage([file, '--treatment', 'shouted_out', '--outcome', 'sales'], /--covariates A,B,… is required/);
    await usage([file, '--treatment', 'shouted_out', '--outcome', 'revenue', '--covariates', 'followers'], /--outcome: no column 'revenue' in creators.csv; its columns: creator, shouted_out, sales/);
    await usage([file, ...ARGS, '--shoutout-by', 'celeb'], /--shoutout-by reads the store; give no data file/);
    await usage([file, ...ARGS, '--window', '7d'], /--window applies to --shoutout-by/);
    await usage([file, ...ARGS, '--unit', 'creator'], /--unit applies to --panel/);
    await usage([file, ...ARGS, '--method', 'lasso'], /method/);
    await usage([], /give a CSV file of units/);
    await usage(['--shoutout-by', 'a0', '--window', '7x'], /--window must be a duration like 7d, 48h or 90m; got '7x'/);
    await usage(['--shoutout-by', 'a0', '--caliper', '0.1', '--unit', 'x'], /--unit applies to a CSV file, not to --shoutout-by/);
    const missing = await clout(['compare', '--shoutout-by', 'a0', '--db', join(dir, 'none.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at .*none\.duckdb; import data first/);
  });
});
