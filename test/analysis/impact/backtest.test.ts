/**
 * The calibration machinery against exact answers and planted truth: the Kalman forecasts of running sums and the
 * trend likelihood against dense Gaussian algebra; the learned level's Metropolis step against its prior (no data)
 * and against a planted s.d.; the backtest plan; the backtest and the learned prior on drifting and steady series;
 * the warnings; `fitImpact` + `attachBacktest` = `causalImpact`.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { KalmanKernel } from '../../../src/analysis/impact/kalman.js';
import type { StateSpaceModel, VariancePrior } from '../../../src/analysis/impact/model.js';
import { forecastSums } from '../../../src/analysis/impact/forecast.js';
import { LearnedLevelStep, trendLogLikelihood } from '../../../src/analysis/impact/learned-variance.js';
import { planBacktest } from '../../../src/analysis/impact/backtest.js';
import { prepareData } from '../../../src/analysis/impact/data.js';
import { attachBacktest, causalImpact, fitImpact, impactBacktest } from '../../../src/analysis/impact/index.js';
import { simulateDesign } from '../../../bench/impact-designs.js';
import { solve, type Mat } from '../../support/dense-gaussian.js';

const prior = (): VariancePrior => ({ df: 1, ss: 1, upper: Infinity, initial: 1 });


/**
 * A local linear trend (+ optional 3-season dummy seasonal, changing every 2 points) written densely: y_t = Z_t u + ε_t
 * with u = (α_0, disturbances) independent Gaussian — the model's moments computed without any filter.
 */
function denseModel(n: number, seasonal: boolean, q: number[], h: number, observed: Uint8Array) {
  const m = seasonal ? 4 : 2;
  const nq = seasonal ? 3 : 2;
  const seasonChange = new Uint8Array(n).map((_, t) => (!seasonal || (t + 1) % 2 === 0 ? 1 : 0));
  const model: StateSpaceModel = {
    n, m, trendSize: 2, seasonStart: 2, seasons: seasonal ? 3 : 1, seasonChange, dynStart: m, dynK: 0, xDyn: new Float64Array(0),
    a1: Float64Array.from(seasonal ? [1.5, 0.2, 0.3, -0.1] : [1.5, 0.2]), p1: Float64Array.from(seasonal ? [2, 0.5, 1, 1.5] : [2, 0.5]),
    noises: [
      { name: 'level', index: 0, seasonal: false, prior: prior() },
      { name: 'slope', index: 1, seasonal: false, prior: prior() },
      ...(seasonal ? [{ name: 'seasonal', index: 2, seasonal: true, prior: prior() }] : []),
    ],
    observation: prior(), regression: undefined, observed, sdy: 1,
  };
  const nu = m + nq * (n - 1);
  const uMean = new Array(nu).fill(0), uVar = new Array(nu).fill(0);
  for (let i = 0; i < m; i++) {
    uMean[i] = model.a1[i]!;
    uVar[i] = model.p1[i]!;
  }
  for (let t = 0; t < n - 1; t++) {
    for (let i = 0; i < nq; i++) uVar[m + nq * t + i] = i === 2 && !seasonChange[t] ? 0 : q[i]!;
  }
  let cur: Mat = Array.from({ length: m }, (_, i) => Array.from({ length: nu }, (_, j) => (i === j ? 1 : 0)));
  const Z: Mat = [];
  for (let t = 0; t < n; t++) {
    Z.push(seasonal ? cur[0]!.map((v, j) => v + cur[2]![j]!) : cur[0]!.slice());
    const nx = cur.map((r) => r.slice());
    nx[0] = cur[0]!.map((v, j) => v + cur[1]![j]!);
    if (seasonal && seasonChange[t]) {
      nx[2] = cur[2]!.map((v, j) => -(v + cur[3]![j]!));
      nx[3] = cur[2]!.slice();
    }
    if (t < n - 1) for (let i = 0; i < nq; i++) nx[i]![m + nq * t + i]! += 1;
    cur = nx;
  }
  const mean = (t: number): number => Z[t]!.reduce((s, v, j) => s + v * uMean[j]!, 0);
  const cov = (s: number, t: number): number => Z[s]!.reduce((acc, v, j) => acc + v * Z[t]![j]! * uVar[j]!, 0) + (s === t ? h : 0);
  return { model, mean, cov };
}

describe('Kalman forecasts of running sums', () => {
  it('equal the exact Gaussian conditional moments (local linear trend + seasonal, with gaps)', () => {
    const n = 14;
    const observed = new Uint8Array(n).fill(1);
    for (const t of [2, 6]) observed[t] = 0;
    const q = [0.3, 0.05, 0.2], h = 0.4;
    const { model, mean, cov } = denseModel(n, true, q, h, observed);
    const rng = new Rng(5);
    const y = Float64Array.from({ length: n }, (_, t) => (observed[t] ? rng.normal(1, 2) : NaN));
    const kernel = new KalmanKernel(model);
    kernel.q.set(q);
    const origins = [5, 8];
    const H = 4;
    const f = forecastSums(kernel, y, h, origins, H);
    origins.forEach((c, oi) => {
      const obs = [...Array(c).keys()].filter((t) => observed[t]);
      const Soo = obs.map((s) => obs.map((t) => cov(s, t)));
      const resid = obs.map((t) => [y[t]! - mean(t)]);
      for (let k = 1; k <= H; k++) {
        const rows = [...Array(k).keys()].map((j) => c + j);
        const muS = rows.reduce((s, t) => s + mean(t), 0);
        const vS = rows.reduce((s, a) => s + rows.reduce((s2, b) => s2 + cov(a, b), 0), 0);
        const cSo = obs.map((t) => rows.reduce((s, a) => s + cov(a, t), 0));
        const w = solve(Soo, cSo.map((v) => [v])).X.map((r) => r[0]!);
        const exactMean = muS + w.reduce((s, v, i) => s + v * resid[i]![0]!, 0);
        const exactVar = vS - w.reduce((s, v, i) => s + v * cSo[i]!, 0);
        expect(f.mean[oi * H + k - 1]!).toBeCloseTo(exactMean, 9);
        expect(f.variance[oi * H + k - 1]!).toBeCloseTo(exactVar, 9);
      }
    });
  });
});

describe('the learned level s.d.', () => {
  it('trend likelihood equals the exact multivariate normal density (local level and local linear trend, with gaps)', () => {
    const n = 10;
    const observed = new Uint8Array(n).fill(1);
    observed[4] = 0;
    const rng = new Rng(8);
    const y = Float64Array.from({ length: n }, (_, t) => (observed[t] ? rng.normal(1.5, 1) : NaN));
    for (const [qLevel, qSlope] of [[0.3, 0.05], [0.02, 0.4]] as const) {
      const { model, mean, cov } = denseModel(n, false, [qLevel, qSlope], 0.7, observed);
      const obs = [...Array(n).keys()].filter((t) => observed[t]);
      const S = obs.map((s) => obs.map((t) => cov(s, t)));
      const r = obs.map((t) => [y[t]! - mean(t)]);
      const { X, logdet } = solve(S, r);
      const quad = X.reduce((s, v, i) => s + v[0]! * r[i]![0]!, 0);
      const exact = -0.5 * (obs.length * Math.log(2 * Math.PI) + logdet + quad);
      expect(trendLogLikelihood(y, 0.7, qLevel, qSlope, model)).toBeCloseTo(exact, 9);
      // the same model as a local level (slope fixed at its start, no slope noise, no slope uncertainty)
      const level: StateSpaceModel = { ...model, m: 1, trendSize: 1, a1: Float64Array.from([1.5]), p1: Float64Array.from([2]) };
      const covL = (s: number, t: number): number => 2 + qLevel * Math.min(s, t) + (s === t ? 0.7 : 0);
      const SL = obs.map((s) => obs.map((t) => covL(s, t)));
      const rL = obs.map((t) => [y[t]! - 1.5]);
      const sl = solve(SL, rL);
      const exactL = -0.5 * (obs.length * Math.log(2 * Math.PI) + sl.logdet + sl.X.reduce((s, v, i) => s + v[0]! * rL[i]![0]!, 0));
      expect(trendLogLikelihood(y, 0.7, qLevel, 0, level)).toBeCloseTo(exactL, 9);
    }
  });

  it('samples its log-uniform prior when there are no data, and the planted s.d. when there are', () => {
    const n = 1500;
    const { model } = denseModel(n, false, [1, 0], 1, new Uint8Array(n).fill(1));
    const level: StateSpaceModel = { ...model, m: 1, trendSize: 1, a1: Float64Array.from([0]), p1: Float64Array.from([10]) };
    const rng = new Rng(3);
    // no data: the chain must visit log σ uniformly on [log 0.001, log 1]
    const empty = new Float64Array(n).fill(NaN);
    const step = new LearnedLevelStep(level, 0, -1, 0.001, 1);
    const q = Float64Array.from([1e-4]);
    const logs: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      q[0] = step.update(rng, empty, 1, q, i, 2000);
      if (i >= 2000) logs.push(0.5 * Math.log(q[0]!));
    }
    const lo = Math.log(0.001), hi = Math.log(1);
    const quarters = [0, 0, 0, 0];
    for (const v of logs) quarters[Math.min(3, Math.floor(((v - lo) / (hi - lo)) * 4))]!++;
    for (const c of quarters) expect(Math.abs(c / logs.length - 0.25)).toBeLessThan(0.04);
    // data from a local level with σ = 0.2 and noise s.d. 1: the draws centre on 0.2
    let mu = 0;
    const y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      y[t] = mu + rng.normal();
      mu += rng.normal(0, 0.2);
    }
    const step2 = new LearnedLevelStep(level, 0, -1, 0.001, 10);
    q[0] = 1e-4;
    let sum = 0, kept = 0;
    for (let i = 0; i < 3000; i++) {
      q[0] = step2.update(rng, y, 1, q, i, 500);
      if (i >= 500) {
        sum += Math.sqrt(q[0]!);
        kept++;
      }
    }
    expect(sum / kept).toBeGreaterThan(0.14);
    expect(sum / kept).toBeLessThan(0.28);
  });
});

describe('the backtest', () => {
  it('plans origins after the fit rows, a horizon capped at a third of the pre-period, and none when too short', () => {
    const y = Float64Array.from({ length: 130 }, (_, t) => Math.sin(t) + t / 50);
    const d = prepareData({ y, pre: [0, 99], post: [100, 129] }, true);
    const plan = planBacktest(d, 30)!;
    expect(plan.horizon).toBe(30);
    expect(plan.fitEnd).toBe(50);
    expect(plan.origins[0]).toBe(50);
    expect(plan.origins[plan.origins.length - 1]).toBe(70);
    expect(plan.origins.length).toBeLessThanOrEqual(12);
    const short = prepareData({ y: y.slice(0, 40), pre: [0, 29], post: [30, 39] }, true);
    expect(planBacktest(short, 10)!.horizon).toBe(10);
    const shorter = prepareData({ y: y.slice(0, 40), pre: [0, 14], post: [15, 39] }, true);
    expect(planBacktest(shorter, 25)).toBeUndefined();
    const r = causalImpact({ y: y.slice(0, 40), pre: [0, 14], post: [15, 39] }, { niter: 200 });
    expect(r.calibration!.coverage).toBeNull();
    expect(r.calibration!.note).toMatch(/fewer than 20 observed points/);
    expect(r.report).toMatch(/There is no backtest/);
  });

  it("catches R's default on drifting series and lets the learned drift cover them", () => {
    let rDefault = 0, learned = 0, rWarned = 0, learnedCovered = 0, rCovered = 0, driftCovered = 0;
    const ids = [2, 3, 4, 5, 8, 9, 10, 11, 14, 15]; // pre-periods of 120 and 240 points
    for (const i of ids) {
      const s = simulateDesign('drift', i, 7);
      const r = causalImpact(s.data, { niter: 400, seed: i, r_defaults: true });
      const l = causalImpact(s.data, { niter: 400, seed: i });
      rDefault += r.calibration!.coverage!;
      learned += l.calibration!.coverage!;
      if (r.warnings.some((w) => w.startsWith('in backtests on the pre-period'))) rWarned++;
      const inside = (x: typeof r) => x.cumulative!.abs_effect_lower <= s.cumulative && s.cumulative <= x.cumulative!.abs_effect_upper;
      if (inside(l)) learnedCovered++;
      if (inside(r)) rCovered++;
      expect(l.calibration!.chosen_by).toBe('learned');
      expect(r.calibration!.chosen_by).toBe('r_defaults');
      expect(r.calibration!.prior_level_sd).toBe(0.01);
      // the learned share's interval holds the planted drift (0.1 per point) in target s.d.s
      const planted = 0.1 / l.model!.target_sd;
      const [lo, hi] = l.calibration!.prior_level_sd_interval!;
      if (lo < planted && planted < hi) driftCovered++;
    }
    expect(driftCovered).toBeGreaterThanOrEqual(7);
    expect(learned / ids.length).toBeGreaterThan(0.85);
    expect(rDefault / ids.length).toBeLessThan(learned / ids.length - 0.1);
    expect(rWarned).toBeGreaterThanOrEqual(3);
    expect(learnedCovered).toBeGreaterThanOrEqual(8);
    expect(learnedCovered).toBeGreaterThan(rCovered);
  });

  it('is part of the result exactly as a separately run backtest attached to the fit', () => {
    const s = simulateDesign('steady', 3, 2);
    const whole = causalImpact(s.data, { niter: 300, seed: 4 });
    const parts = attachBacktest(fitImpact(s.data, { niter: 300, seed: 4 }), s.data, impactBacktest(s.data, { niter: 300, seed: 4 }));
    expect(parts).toEqual(whole);
    // the backtest has its own random stream: the main fit's numbers do not depend on it
    const off = causalImpact(s.data, { niter: 300, seed: 4, backtest: false });
    expect(off.cumulative).toEqual(whole.cumulative);
    expect(off.calibration!.coverage).toBeNull();
    expect(whole.calibration!.backtests.length).toBeGreaterThan(0);
    for (const w of whole.calibration!.backtests) {
      expect(w.end - w.start + 1).toBe(whole.calibration!.horizon);
      expect(w.end).toBeLessThanOrEqual(whole.pre.end);
      expect(w.lower).toBeLessThan(w.upper);
    }
  });
});

describe('warnings users ask for', () => {
  it('names weak controls, a post period longer than the pre-period, and too few seasonal cycles', () => {
    const rng = new Rng(11);
    const n = 60;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const noise = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, (_, t) => 10 + 2 * x[t]! + 0.3 * rng.normal());
    const good = causalImpact({ y, controls: [{ name: 'x', values: x }], pre: [0, 39], post: [40, 59] }, { niter: 200, backtest: false });
    expect(good.warnings.filter((w) => w.includes('barely moves'))).toEqual([]);
    const weak = causalImpact({ y, controls: [{ name: 'x', values: x }, { name: 'noise', values: noise }], pre: [0, 39], post: [40, 59] }, { niter: 200, backtest: false });
    expect(weak.warnings.some((w) => w.startsWith("control 'noise' barely moves with the target"))).toBe(true);
    expect(weak.warnings.some((w) => w.startsWith("control 'x'"))).toBe(false);
    const long = causalImpact({ y, pre: [0, 19], post: [20, 59] }, { niter: 200, backtest: false });
    expect(long.warnings.some((w) => w.startsWith('the post period (40 points) is longer than the pre-period (20)'))).toBe(true);
    const seasons = causalImpact({ y, pre: [0, 39], post: [40, 59] }, { niter: 200, backtest: false, seasons: 7, season_duration: 4 });
    expect(seasons.warnings.some((w) => w.includes('fewer than two seasonal cycles (28 points each)'))).toBe(true);
  });
});
