/**
 * The causal impact engine against known answers: CausalImpact's vignette, CausalImpact's own property tests
 * (tests/testthat/test-impact-analysis.R), R's summary definitions, reproducibility, degenerate input and errors.
 */
import { describe, expect, it } from 'vitest';
import { CloutError, Rng } from '../../../src/domain/index.js';
import { causalImpact, renderImpactSvg, renderSummaryTable, type ImpactResult } from '../../../src/analysis/impact/index.js';
import { quantileSorted } from '../../../src/analysis/impact/inference.js';

/** CausalImpact's vignette data: x1 = 100 + AR(1, φ = 0.999), y = 1.2 x1 + N(0, 1), +10 on points 71–100. */
function vignette(seed: number, effect = 10): { y: Float64Array; x: Float64Array } {
  const rng = new Rng(seed);
  let z = 0;
  for (let i = 0; i < 6000; i++) z = 0.999 * z + rng.normal(); // arima.sim's burn-in
  const x = new Float64Array(100);
  const y = new Float64Array(100);
  for (let t = 0; t < 100; t++) {
    z = 0.999 * z + rng.normal();
    x[t] = 100 + z;
    y[t] = 1.2 * x[t]! + rng.normal() + (t >= 70 ? effect : 0);
  }
  return { y, x };
}

/** R's model exactly (`r_defaults`): the known answers below are R CausalImpact's. */
function run(y: ArrayLike<number>, controls: Record<string, ArrayLike<number>>, pre: [number, number], post: [number, number], options = {}): ImpactResult {
  return causalImpact({ y, controls: Object.entries(controls).map(([name, values]) => ({ name, values })), pre, post }, { r_defaults: true, ...options });
}

describe('CausalImpact vignette', () => {
  const { y, x } = vignette(1);
  const r = run(y, { x1: x }, [0, 69], [70, 99]);

  it('recovers the +10 effect with an interval covering it and p < 0.01', () => {
    const a = r.average!;
    expect(a.abs_effect).toBeGreaterThan(9);
    expect(a.abs_effect).toBeLessThan(11.5);
    expect(a.abs_effect_lower).toBeLessThan(10);
    expect(a.abs_effect_upper).toBeGreaterThan(10);
    expect(r.p!).toBeLessThan(0.01);
    expect(r.prob_effect!).toBeCloseTo(1 - r.p_one_sided!, 12);
    expect(r.p!).toBeCloseTo(2 * r.p_one_sided!, 12);
    // R: the one-sided tail area cannot be below 1 / (S + 1)
    expect(r.p_one_sided!).toBeGreaterThanOrEqual(1 / (900 + 1));
    expect(r.model!.sigma_obs).toBeGreaterThan(0.7);
    expect(r.model!.sigma_obs).toBeLessThan(1.4);
  });

  it('holds the summary identities of impact_inference.R', () => {
    const a = r.average!, c = r.cumulative!;
    expect(c.actual).toBeCloseTo(30 * a.actual, 8);
    expect(c.predicted).toBeCloseTo(30 * a.predicted, 8);
    expect(c.abs_effect).toBeCloseTo(c.actual - c.predicted, 8);
    expect(a.rel_effect).toBe(c.rel_effect); // identical by construction
    expect(c.predicted_lower).toBeLessThan(c.predicted);
    expect(c.predicted_upper).toBeGreaterThan(c.predicted);
    expect(c.abs_effect_sd).toBeCloseTo(c.predicted_sd, 8);
    // series: cumulative effect at the end of the post period equals the cumulative summary
    const last = r.series[99]!;
    expect(last.cum_effect!).toBeCloseTo(c.abs_effect, 6);
    expect(last.cum_effect_lower!).toBeCloseTo(c.abs_effect_lower, 6);
    expect(last.cum_effect_upper!).toBeCloseTo(c.abs_effect_upper, 6);
    // point predictions exist everywhere; effects before the post period are in-sample fits
    for (const row of r.series) {
      expect(row.point_pred).not.toBeNull();
      expect(row.point_pred_lower!).toBeLessThanOrEqual(row.point_pred_upper!);
    }
    expect(r.series[69]!.cum_effect).toBe(0);
  });

  it('prints a summary table and a report paragraph', () => {
    const text = renderSummaryTable(r);
    expect(text).toMatch(/Actual\s+\S+\s+\S+/);
    expect(text).toContain('Posterior tail-area probability p:');
    expect(r.report).toContain('excludes zero');
    expect(r.report).toContain('increase');
  });
});

describe('CausalImpact property tests', () => {
  it('recovers a regression coefficient β = 3 (n = 500; R: tolerance 5%)', () => {
    // test-impact-analysis.R "StandardizeData": x1 = sin(t/100) + N(0, 0.1), y = 5 + 3 x1 + N(0, 0.1)
    const rng = new Rng(1);
    const n = 500;
    const x = new Float64Array(n), y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      x[t] = Math.sin((t + 1) / 100) + rng.normal(0, 0.1);
      y[t] = 5 + 3 * x[t]! + rng.normal(0, 0.1);
    }
    const raw = run(y, { x1: x }, [0, 249], [250, 499], { niter: 500, standardize: false });
    const b = raw.model!.coefficients[0]!;
    expect(b.inclusion_probability).toBe(1);
    expect(Math.abs(b.mean - 3)).toBeLessThan(0.05); // R's relative 5% would allow 0.15
    const std = run(y, { x1: x }, [0, 249], [250, 499], { niter: 500, standardize: true });
    expect(Math.abs(std.model!.coefficients[0]!.mean - 1)).toBeLessThan(0.05);
  });

  it('gives the same answer when the data are scaled by 1e6', () => {
    const { y, x } = vignette(1);
    const big = run(y.map((v) => Math.trunc(v * 1e6)), { x1: x.map((v) => Math.trunc(v * 1e6)) }, [0, 69], [70, 99]);
    const small = run(y.map((v) => Math.trunc(v * 1e6) / 1e6), { x1: x.map((v) => Math.trunc(v * 1e6) / 1e6) }, [0, 69], [70, 99]);
    for (const col of ['average', 'cumulative'] as const) {
      const a = big[col]!, b = small[col]!;
      for (const k of ['actual', 'predicted', 'predicted_lower', 'predicted_upper', 'predicted_sd', 'abs_effect', 'abs_effect_lower', 'abs_effect_upper', 'abs_effect_sd'] as const) {
        expect(a[k] / 1e6).toBeCloseTo(b[k], 6 - Math.ceil(Math.log10(Math.abs(b[k]) + 1)));
        expect(Math.abs(a[k] / 1e6 - b[k])).toBeLessThanOrEqual(0.01 * Math.abs(b[k]) + 1e-9);
      }
      for (const k of ['rel_effect', 'rel_effect_lower', 'rel_effect_upper', 'rel_effect_sd'] as const) {
        expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(0.01 * Math.abs(b[k]) + 1e-9);
      }
    }
    expect(big.p).toBeCloseTo(small.p!, 6);
  });

  it('finds an effect of 1 ± 0.2 on a 4-point series', () => {
    // y = (1, 2, 3, 5), x = (1, 2, 3, 4); pre = first three points, post = the last
    for (const niter of [100, 1000]) {
      const r = run([1, 2, 3, 5], { x: [1, 2, 3, 4] }, [0, 2], [3, 3], { niter });
      expect(Math.abs(r.average!.abs_effect - 1)).toBeLessThanOrEqual(0.2);
    }
  });

  it('is unchanged by missing values in the gap between the periods (R: tolerance 1e-5)', () => {
    const rng = new Rng(42);
    const data = Array.from({ length: 30 }, () => rng.normal(100, 10));
    const full = run(data, {}, [0, 9], [20, 29], { niter: 100 });
    const naEnd = data.slice();
    for (let t = 17; t <= 19; t++) naEnd[t] = NaN;
    const naMiddle = data.slice();
    for (let t = 11; t <= 14; t++) naMiddle[t] = NaN;
    for (const other of [run(naEnd, {}, [0, 9], [20, 29], { niter: 100 }), run(naMiddle, {}, [0, 9], [20, 29], { niter: 100 })]) {
      expect(other.average).toEqual(full.average);
      expect(other.cumulative).toEqual(full.cumulative);
      expect(other.p).toBe(full.p);
      for (let t = 20; t < 30; t++) expect(other.series[t]!.point_pred).toBe(full.series[t]!.point_pred);
    }
  });

  it('fits with missing values at the end of the pre-period and predicts at them (R MissingValues)', () => {
    const rng = new Rng(42);
    const data = Array.from({ length: 30 }, () => rng.normal(100, 10));
    for (let t = 17; t <= 19; t++) data[t] = NaN;
    const r = run(data, {}, [0, 19], [20, 29], { niter: 100 });
    expect(r.ok).toBe(true);
    for (let t = 17; t <= 19; t++) {
      const row = r.series[t]!;
      expect(row.point_pred).not.toBeNull();
      expect(row.point_pred_lower).not.toBeNull();
      expect(row.response).toBeNull();
      expect(row.point_effect).toBeNull();
      expect(row.cum_effect).toBeNull();
    }
    for (const row of r.series.filter((_, t) => t < 17 || t > 19)) expect(row.point_effect).not.toBeNull();
  });

  it('gives stable results when missing values sit at the start, middle or end of the pre-period', () => {
    const { y, x } = vignette(3);
    const base = run(y, { x1: x }, [0, 69], [70, 99]);
    for (const [a, b] of [[0, 4], [30, 34], [65, 69]]) {
      const holes = y.slice();
      for (let t = a!; t <= b!; t++) holes[t] = NaN;
      const r = run(holes, { x1: x }, [0, 69], [70, 99]);
      expect(r.ok).toBe(true);
      expect(Math.abs(r.average!.abs_effect - base.average!.abs_effect)).toBeLessThan(base.average!.abs_effect_sd);
      expect(r.average!.abs_effect_lower).toBeLessThan(10);
      expect(r.average!.abs_effect_upper).toBeGreaterThan(10);
      if (a === 0) expect(r.series[0]!.point_pred).toBeNull(); // leading missing values are outside the model (R)
    }
  });
});

describe('reproducibility and options', () => {
  const { y, x } = vignette(2);
  it('same seed → identical output; another seed → different draws', () => {
    const a = run(y, { x1: x }, [0, 69], [70, 99], { niter: 200, seed: 7 });
    const b = run(y, { x1: x }, [0, 69], [70, 99], { niter: 200, seed: 7 });
    const c = run(y, { x1: x }, [0, 69], [70, 99], { niter: 200, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.average!.predicted).not.toBe(a.average!.predicted);
  });

  it('rejects unknown and out-of-range options', () => {
    expect(() => run(y, {}, [0, 69], [70, 99], { nseasons: 7 })).toThrow(/unknown option/);
    expect(() => run(y, {}, [0, 69], [70, 99], { niter: 5 })).toThrow(CloutError);
    expect(() => run(y, {}, [0, 69], [70, 99], { alpha: 1 })).toThrow(/alpha/);
  });

  it('runs the optional components: seasonal with duration, local linear trend, dynamic regression', () => {
    const make = (slope: number): { y: Float64Array; x1: Float64Array } => {
      const rng = new Rng(5);
      const n = 120;
      const x1 = new Float64Array(n), y = new Float64Array(n);
      const week = [0, 1, 2, 1, 0, -2, -2];
      let a = 0;
      for (let t = 0; t < n; t++) {
        a = 0.8 * a + rng.normal();
        x1[t] = 10 + a;
        y[t] = 50 + slope * t + 2 * x1[t]! + week[Math.floor(t / 2) % 7]! + rng.normal(0, 0.5) + (t >= 100 ? 5 : 0);
      }
      return { y, x1 };
    };
    const variants = [
      { data: make(0), options: { seasons: 7, season_duration: 2 } },
      { data: make(0.05), options: { trend: 'local_linear_trend' as const, seasons: 7, season_duration: 2 } },
      { data: make(0), options: { dynamic_regression: true, seasons: 7, season_duration: 2 } },
    ];
    for (const { data, options } of variants) {
      const r = run(data.y, { x1: data.x1 }, [0, 99], [100, 119], { niter: 400, ...options });
      expect(r.ok).toBe(true);
      expect(r.average!.abs_effect_lower).toBeLessThan(5);
      expect(r.average!.abs_effect_upper).toBeGreaterThan(5);
      expect(r.average!.abs_effect_lower).toBeGreaterThan(0);
    }
    const seasonal = run(variants[0]!.data.y, { x1: variants[0]!.data.x1 }, [0, 99], [100, 119], { niter: 400, ...variants[0]!.options });
    expect(seasonal.model!.components).toEqual(['local_level', 'seasonal(7×2)', 'static_regression']);
  });
});

describe('degenerate input and errors', () => {
  it('aborts with a warning and an empty result, not a crash (R ObservationsAreIllConditioned)', () => {
    const constant = run([1, 1, 1, 1], { x: [1, 2, 3, 4] }, [0, 2], [3, 3]);
    expect(constant.ok).toBe(false);
    expect(constant.average).toBeNull();
    expect(constant.p).toBeNull();
    expect(constant.report).toBeNull();
    expect(constant.warnings.join(' ')).toMatch(/aborting inference: .*constant/);
    expect(constant.series.map((r) => r.response)).toEqual([1, 1, 1, 1]);
    expect(constant.series.map((r) => r.cum_response)).toEqual([1, 2, 3, 4]);
    expect(() => renderImpactSvg(constant)).toThrow(/aborted/);
    expect(renderSummaryTable(constant)).toContain('(Inference aborted)');
    const fewObserved = run([NaN, 2, NaN, NaN, 5, 6], {}, [0, 3], [4, 5]);
    expect(fewObserved.ok).toBe(false);
    expect(fewObserved.warnings.join(' ')).toMatch(/observed pre-period value/);
    const allMissing = run([NaN, NaN, NaN, 4], {}, [0, 2], [3, 3]);
    expect(allMissing.ok).toBe(false);
  });

  it('names the problem for bad periods, too few points, missing controls and non-numbers', () => {
    const y = Array.from({ length: 20 }, (_, i) => i + Math.sin(i));
    const x = Array.from({ length: 20 }, (_, i) => i);
    const err = (f: () => unknown): CloutError => {
      try {
        f();
      } catch (e) {
        return e as CloutError;
      }
      throw new Error('no error');
    };
    let e = err(() => run(y, { x }, [0, 10], [10, 19]));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/overlap/);
    e = err(() => run(y, { x }, [0, 9], [15, 12]));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/post period is empty/);
    e = err(() => run(y, { x }, [0, 1], [2, 19]));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(/pre-period has 2 point\(s\); need ≥ 3/);
    const holey = x.slice();
    holey[15] = NaN;
    e = err(() => run(y, { x: holey }, [0, 9], [10, 19]));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(/control 'x' is missing at row 15 in the post period/);
    e = err(() => run(y, { x: [...x.slice(0, 19), Infinity] }, [0, 9], [10, 19]));
    expect(e.message).toMatch(/not a number/);
    const yHole = y.slice();
    yHole[12] = NaN;
    e = err(() => run(yHole, { x }, [0, 9], [10, 19]));
    expect(e.message).toMatch(/missing at row 12 in the post period/);
    e = err(() => run(y, { x }, [0, 9], [10, 25]));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/outside the data/);
  });
});

describe('helpers', () => {
  it('computes R type-7 quantiles', () => {
    const s = Float64Array.from([1, 2, 3, 4, 10]);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(10);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.9)).toBeCloseTo(7.6, 12); // R: quantile(c(1,2,3,4,10), .9) = 7.6
    expect(quantileSorted(s, 0.025)).toBeCloseTo(1.1, 12);
  });
});

describe('docs', () => {
  it('lists every option with the default the code uses (docs/impact.md)', async () => {
    const { readFileSync } = await import('node:fs');
    const { IMPACT_DEFAULTS } = await import('../../../src/analysis/impact/index.js');
    const doc = readFileSync(new URL('../../../docs/impact.md', import.meta.url), 'utf8');
    const rows = new Map<string, string>();
    for (const m of doc.matchAll(/^\| [^|]+ \| `([a-z_0-9]+)` \| ([^|]+) \|/gm)) rows.set(m[1]!, m[2]!.trim());
    expect([...rows.keys()].sort()).toEqual(Object.keys(IMPACT_DEFAULTS).sort());
    for (const [key, value] of Object.entries(IMPACT_DEFAULTS)) expect(rows.get(key), key).toBe(String(value));
  });
});
