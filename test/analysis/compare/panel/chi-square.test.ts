// The chi-square tail and the Wald test against closed forms and printed tables.
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, gammaQ, waldZero } from '../../../../src/analysis/compare/panel/index.js';
import { normalCdf } from '../../../../src/analysis/stats/normal.js';
import { Rng } from '../../../../src/domain/index.js';

describe('chi-square upper tail', () => {
  it('equals exp(−x/2) with 2 degrees of freedom and 2Φ(−√x) with 1', () => {
    for (const x of [0.01, 0.5, 1, 2.5, 4, 9, 20, 60]) {
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
      expect(chiSquareSurvival(x, 1) / (2 * normalCdf(-Math.sqrt(x)))).toBeCloseTo(1, 6);
    }
  });

  it('gives 0.05 at the printed 95% critical values', () => {
    // Critical values from standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    for (const [df, x] of [[1, 3.841], [3, 7.815], [5, 11.070], [10, 18.307], [30, 43.773]] as const) {
      expect(chiSquareSurvival(x, df)).toBeCloseTo(0.05, 3);
    }
  });

  it('Q(a, x) for integer a is the Poisson sum e^{−x} Σ_{k<a} x^k/k!', () => {
    for (const a of [1, 3, 7, 15]) {
      for (const x of [0.3, 2, 6.5, 14, 30]) {
        let term = Math.exp(-x), sum = 0;
        for (let k = 0; k < a; k++) {
          sum += term;
          term *= x / (k + 1);
        }
        expect(gammaQ(a, x)).toBeCloseTo(sum, 12);
      }
    }
    expect(gammaQ(3, 0)).toBe(1);
  });
});

describe('Wald test of leads = 0', () => {
  it('with one lead is the squared z statistic', () => {
    const phi = Float64Array.from([0.3, -0.1, 0.2, -0.4]);
    const v = phi.reduce((s, x) => s + x * x, 0);
    const w = waldZero([0.8], [phi]);
    expect(w.df).toBe(1);
    expect(w.statistic).toBeCloseTo(0.64 / v, 12);
    expect(w.p_value).toBeCloseTo(2 * (1 - normalCdf(0.8 / Math.sqrt(v))), 6);
  });

  it('equals θ′V⁻¹θ solved directly for two leads, and drops a lead that repeats another', () => {
    const rng = new Rng(3);
    const a = Float64Array.from({ length: 30 }, () => rng.normal());
    const b = Float64Array.from({ length: 30 }, (_, i) => 0.5 * a[i]! + rng.normal());
    let vaa = 0, vab = 0, vbb = 0;
    for (let i = 0; i < 30; i++) {
      vaa += a[i]! * a[i]!;
      vab += a[i]! * b[i]!;
      vbb += b[i]! * b[i]!;
    }
    const [x, y] = [1.2, -0.7];
    const det = vaa * vbb - vab * vab;
    const want = (x * x * vbb - 2 * x * y * vab + y * y * vaa) / det;
    expect(waldZero([x, y], [a, b]).statistic).toBeCloseTo(want, 10);
    const dup = waldZero([x, 2 * x], [a, Float64Array.from(a, (v) => 2 * v)]);
    expect(dup.df).toBe(1);
    expect(dup.statistic).toBeCloseTo((x * x) / vaa, 10);
  });

  it('has nothing to test without leads', () => {
    const w = waldZero([], []);
    expect(w.df).toBe(0);
    expect(w.p_value).toBeNaN();
  });
});
