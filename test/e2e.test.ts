/**
 * End to end through the built CLI: generate the demo world → import it → report. The ranking by credited sales
 * per post must agree with the planted persuasion far better than followers do. The demo prints its truth checks,
 * and who moves outcomes (the full report's outcome model) beside the planted truth.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spearman } from '../src/analysis/stats/rank.js';
import type { CreditReport } from '../src/report/index.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');

function clout(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Truth {
  accounts: { id: string; persuasion: number; followers: number }[];
  campaigns: { id: string; goal_value: number }[];
}

describe('generate → import → report (demo world, seed 7)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clout-e2e-'));
  const world = join(dir, 'world');
  const db = join(dir, 'store.duckdb');
  let report: CreditReport;
  let truth: Truth;

  beforeAll(() => {
    const gen = clout(['generate', '--seed', '7', '--size', 'demo', '--out', world, '--json']);
    expect(gen.status, gen.stderr).toBe(0);
    const imp = clout(['import', world, '--db', db, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout).rejected_total).toBe(0);
    const rep = clout(['report', '--type', 'sale', '--json'], { CLOUT_DB: db });
    expect(rep.status, rep.stderr).toBe(0);
    report = JSON.parse(rep.stdout) as CreditReport;
    truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as Truth;
  });

  it('ranks accounts by credited sales per post in agreement with planted persuasion (ρ ≥ 0.6)', () => {
    const persuasion = new Map(truth.accounts.map((a) => [a.id, a.persuasion]));
    const rows = report.accounts.filter((a) => persuasion.has(a.id));
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const planted = rows.map((a) => persuasion.get(a.id)!);
    const byOutcomes = spearman(rows.map((a) => a.conversions_per_post), planted);
    const byFollowers = spearman(rows.map((a) => a.followers), planted);
    expect(byOutcomes).toBeGreaterThanOrEqual(0.6);
    expect(byFollowers).toBeLessThanOrEqual(0.3);
    expect(byOutcomes - byFollowers).toBeGreaterThan(0.3);
  });

  it('reports the followers-vs-outcomes rank correlation it prints', () => {
    const ra = report.rank_agreement;
    expect(ra.n).toBe(report.accounts.length);
    const recomputed = spearman(report.accounts.map((a) => a.followers), report.accounts.map((a) => a.conversions_per_post));
    expect(ra.spearman_followers_vs_outcomes).toBeCloseTo(recomputed, 10);
    expect(ra.spearman_followers_vs_outcomes!).toBeLessThan(0.5);
  });

  it('puts the celebrity first by followers but not among the top sellers per post', () => {
    const celebrity = report.accounts.reduce((a, b) => (b.followers > a.followers ? b : a));
    expect(celebrity.followers).toBe(1_400_000);
    expect(celebrity.rank_followers).toBe(1);
    expect(celebrity.rank_outcomes).toBeGreaterThan(10);
  });

  it('shows the birthday campaign over its 38,000 USD goal', () => {
    const campaign = report.campaigns.find((c) => c.goal_value === 38_000)!;
    expect(campaign.currency).toBe('USD');
    expect(campaign.raised).toBeGreaterThan(38_000);
    expect(campaign.progress!).toBeGreaterThan(1);
    expect(campaign.top_accounts.length).toBeGreaterThan(0);
  });

  it('exposes the same numbers in the terminal table', () => {
    const text = clout(['report', '--db', db, '--type', 'sale', '--top', '5']).stdout;
    expect(text).toContain('by followers');
    expect(text).toContain(report.accounts[0]!.handle ?? report.accounts[0]!.id);
    expect(text).toMatch(/Spearman ρ\(followers, sales per post\) = -?\d\.\d\d/);
  });

  it('fails with exit 2 and one line for a missing store', () => {
    const r = clout(['report', '--db', join(dir, 'nope.duckdb')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no store at');
  });

  it('runs the demo with its truth check', () => {
    const out = execFileSync(process.execPath, [CLI, 'demo', '--seed', '7', '--out', join(dir, 'demo'), '--db', join(dir, 'demo.duckdb')], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(out).toContain('Planted truth');
    const rho = /attributed sales per post: ρ = (-?\d\.\d\d)/.exec(out);
    expect(rho).not.toBeNull();
    expect(Number(rho![1])).toBeGreaterThanOrEqual(0.6);
    // the appeal's causal impact on the charity's gifts: clearly positive, near the planted total, and the verdict
    // printed beside the truth matches the numbers (coverage over seeds: test/impact-world.test.ts, docs/impact.md)
    const effect = /effect \+([\d,]+) \[([\d,]+), ([\d,]+)\], p = ([\d.]+)/.exec(out);
    expect(effect, out).not.toBeNull();
    const [est, lo, hi] = [1, 2, 3].map((i) => Number(effect![i]!.replace(/,/g, '')));
    expect(Math.abs(est! - 39_551) / 39_551).toBeLessThan(0.05);
    expect(Number(effect![4])).toBeLessThan(0.01);
    expect(out).toContain(lo! <= 39_551 && 39_551 <= hi! ? 'inside the 95% interval above' : 'OUTSIDE the 95% interval above');

    // who moves outcomes, after the truth checks: the top 5 by outcome influence, the celebrity, the framing multipliers
    const block = out.slice(out.indexOf('\nWho moves outcomes'));
    expect(out.indexOf('Planted truth')).toBeLessThan(out.indexOf('\nWho moves outcomes'));
    expect(block).toMatch(/^\nWho moves outcomes \(the report's outcome model, sales; 90% intervals\) beside the planted truth\n/);
    const verdict = (lo: number, hi: number, planted: number) => (lo <= planted && planted <= hi ? 'inside' : 'OUTSIDE');
    const rows = [...block.matchAll(/^(\d)\s+@\S+\s+[\d,]+\s+([\d.]+)\s+([\d.]+)–([\d.]+)\s+([\d.]+)\s+([\d.]+) (inside|OUTSIDE)$/gm)];
    expect(rows.map((r) => r[1])).toEqual(['1', '2', '3', '4', '5']);
    for (const r of rows) expect(r[7]).toBe(verdict(Number(r[3]), Number(r[4]), Number(r[6])));
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i]![2])).toBeLessThanOrEqual(Number(rows[i - 1]![2]));
    const celebrity = /^Celebrity @celebrity \(1,400,000 followers, #1 by followers\): causes ([\d.]+) per post \[([\d.]+)–([\d.]+)\], P\(moves\) ([\d.]+), #(\d+) of (\d+) by outcome influence; planted per post 0\.00 (inside|OUTSIDE)$/m.exec(block);
    expect(celebrity, block).not.toBeNull();
    const [cLo, cHi, cRank] = [2, 3, 5].map((i) => Number(celebrity![i]));
    expect(celebrity![7]).toBe(verdict(cLo!, cHi!, 0));
    expect(cLo).toBe(0); // her interval includes the planted 0
    expect(cRank).toBeGreaterThan(5); // and she is not among the top 5
    for (const [framing, planted] of [['endorsement', '1.20'], ['bare_link', '0.80']] as const) {
      const f = new RegExp(`^${framing}\\s+([\\d.]+) \\[([\\d.]+)–([\\d.]+)\\]\\s+${planted.replace('.', '\\.')} (inside|OUTSIDE)\\s+[\\d.]+ \\[[\\d.–]+\\]\\s+[\\d.]+ \\[[\\d.–]+\\]\\s+\\d\\.00 (inside|OUTSIDE)$`, 'm').exec(block);
      expect(f, `${framing}\n${block}`).not.toBeNull();
      expect(f![4]).toBe(verdict(Number(f![2]), Number(f![3]), Number(planted)));
    }
    expect(block).toMatch(/\nExplore: clout report/);
  });
});
