/**
 * `compare --shoutout-by @celebrity` on the small synthetic world (seed 1), whose truth.json plants the shout-outs
 * (the celebrity mentions big, active accounts more often) and their effect (extra sign-ups in the 7 days after):
 * the store's units are exactly the planted targets at their planted times; the naive difference is confounded far
 * above the planted ATT; a Poisson regression adjustment fitted on the controls — the form in which the world plants
 * its baseline, sign-ups ∝ followers^elasticity — recovers it; and `compareShoutouts` (the acceptance) puts
 * the planted ATT inside the matching and AIPW intervals (linear and Poisson outcome models) and outside the naive one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareShoutouts, shoutoutUnits, type ShoutoutUnits } from '../../src/app/compare-store.js';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { generateWorld } from '../../src/synth/index.js';
import { tempDir } from '../support/import.js';

interface ShoutoutTruth {
  account_id: string;
  window_days: number;
  att: number;
  att_realized: number;
  targets: { id: string; at: string; kind: string; effect: number; extra: number; followers: number }[];
}

/** Poisson regression (log link) by Newton's method; each row of X starts with the intercept's 1. */
function poissonFit(X: number[][], y: number[]): number[] {
  const k = X[0]!.length;
  let beta = new Array<number>(k).fill(0);
  beta[0] = Math.log(y.reduce((a, b) => a + b, 0) / y.length);
  for (let it = 0; it < 100; it++) {
    const H = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
    X.forEach((x, i) => {
      const mu = Math.exp(x.reduce((s, v, p) => s + v * beta[p]!, 0));
      for (let p = 0; p < k; p++) {
        H[p]![k]! += x[p]! * (y[i]! - mu);
        for (let q = 0; q < k; q++) H[p]![q]! += mu * x[p]! * x[q]!;
      }
    });
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < k; r++) {
        if (r === c) continue;
        const f = H[r]![c]! / H[c]![c]!;
        for (let q = c; q <= k; q++) H[r]![q]! -= f * H[c]![q]!;
      }
    }
    const step = H.map((r, i) => r[k]! / r[i]!);
    beta = beta.map((b, p) => b + step[p]!);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return beta;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('compare --shoutout-by on the small synthetic world (seed 1)', () => {
  let store: Store;
  let truth: ShoutoutTruth;
  let u: ShoutoutUnits;
  const outcomes = (treated: boolean) => u.units.filter((x) => x.treated === treated).map((x) => x.outcome);

  beforeAll(async () => {
    const dir = tempDir('clout-compare-world-');
    const world = join(dir, 'world');
    await generateWorld({ seed: 1, size: 'small', out: world });
    truth = (JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { shoutouts: ShoutoutTruth }).shoutouts;
    store = await openStore(join(dir, 'store.duckdb'));
    // what the comparison reads: sign-ups are tied by post, so links and clicks are not needed, and the world's follows
    // all predate it, so followers are the reported counts with or without them
    const kinds = ['accounts', 'posts', 'interactions', 'conversions'];
    await importPaths(store, kinds.map((k) => join(world, `${k}.csv`)), { rejectsPath: join(dir, 'rejects.ndjson') });
    u = await shoutoutUnits(store.conn, { shoutout_by: '@celebrity', type: 'signup' });
  }, 60_000);
  afterAll(async () => {
    await closeStore(store);
  });

  it('treats exactly the planted targets, from their planted times', () => {
    expect(truth.account_id).toBe(u.account.id);
    expect(truth.targets.length).toBeGreaterThanOrEqual(100);
    const treated = u.units.filter((x) => x.treated);
    expect(treated.map((x) => [x.id, new Date(x.at).toISOString()]).sort()).toEqual(truth.targets.map((t) => [t.id, t.at]).sort());
    expect(u.counts.controls).toBeGreaterThan(2 * treated.length);
    expect(u.window.ms).toBe(truth.window_days * 86_400_000);
  });

  it('carries the confounding: the shouted-out are bigger, and the naive difference lies far above the planted ATT', () => {
    const log1p = (name: string, treated: boolean) => {
      const c = u.data.covariates.find((x) => x.name === name)!;
      return u.units.flatMap((x, i) => (x.treated === treated ? [Math.log1p((c.values as Float64Array)[i]!)] : []));
    };
    const f1 = log1p('followers', true), f0 = log1p('followers', false);
    const smd = (mean(f1) - mean(f0)) / Math.sqrt((variance(f1) + variance(f0)) / 2);
    expect(smd).toBeGreaterThan(0.8);
    const y1 = outcomes(true), y0 = outcomes(false);
    const naive = mean(y1) - mean(y0);
    const se = Math.sqrt(variance(y1) / y1.length + variance(y0) / y0.length);
    expect(naive - truth.att).toBeGreaterThan(3 * se);
    expect(naive - truth.att).toBeGreaterThan(0.2 * truth.att);
  });

  it('carries the effect: a Poisson regression adjustment on the controls recovers the planted ATT', () => {
    const rows = u.units.map((_, i) => [1, ...u.data.covariates.map((c) => Math.log1p((c.values as Float64Array)[i]!))]);
    const beta = poissonFit(rows.filter((_, i) => u.data.treatment[i] === 0), outcomes(false));
    const gaps = rows.flatMap((r, i) => (u.data.treatment[i] === 1 ? [u.data.outcome[i]! - Math.exp(r.reduce((s, v, p) => s + v * beta[p]!, 0))] : []));
    const att = mean(gaps), se = Math.sqrt(variance(gaps) / gaps.length);
    expect(Math.abs(att - truth.att_realized)).toBeLessThan(2 * se);
    expect(Math.abs(att - truth.att)).toBeLessThan(0.5);
    // the planted elasticity of sign-ups in followers (0.4) is what the fit reads off log(1 + followers)
    expect(beta[1]).toBeGreaterThan(0.3);
    expect(beta[1]).toBeLessThan(0.5);
  });

  it('compareShoutouts: the planted ATT lies inside the matching and AIPW intervals and outside the naive one', async () => {
    const inside = (m: { lower: number; upper: number }) => m.lower <= truth.att && truth.att <= m.upper;
    for (const outcome_model of ['linear', 'poisson'] as const) {
      const r = await compareShoutouts(store.conn, { shoutout_by: '@celebrity', type: 'signup' }, { methods: ['matching', 'aipw'], outcome_model, bootstrap: 200 });
      expect(r.n_treated).toBe(truth.targets.length);
      expect(r.shoutout).toMatchObject({ account: { id: 'a0', handle: '@celebrity' }, window: '7d', outcome: 'conversions', type: 'signup' });
      expect(r.naive.lower).toBeGreaterThan(truth.att);
      const byMethod = Object.fromEntries(r.methods.map((m) => [m.method, m]));
      expect(inside(byMethod.matching!), `matching ${JSON.stringify(byMethod.matching)}`).toBe(true);
      expect(inside(byMethod.aipw!), `aipw (${outcome_model}) ${JSON.stringify(byMethod.aipw)}`).toBe(true);
      // matching balances what the shout-outs were chosen on
      for (const b of r.balance) expect(Math.abs(b.smd_after), b.covariate).toBeLessThan(0.15);
    }
  });
});
