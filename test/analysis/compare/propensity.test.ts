// The propensity model against statsmodels' Logit (fixtures made by test/fixtures/compare/make-logit.py), and its
// separation detector on data built to separate.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDesign, fitLogit, refitLogit, type CovariateColumn } from '../../../src/analysis/compare/index.js';
import { Rng } from '../../../src/domain/index.js';

interface Case {
  covariates: { name: string; values: (number | string)[]; categorical?: boolean; log?: boolean }[];
  treatment: number[];
  expected: { names: string[]; coef: number[]; se: number[]; loglik: number };
}
const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/compare/logit.json', import.meta.url), 'utf8')) as Record<string, Case>;

function columns(c: Case): CovariateColumn[] {
  return c.covariates.map((col) => ({
    name: col.name,
    values: col.categorical ? (col.values as string[]) : Float64Array.from(col.values as number[]),
    ...(col.categorical ? { categorical: true } : {}),
    ...(col.log ? { log: true } : {}),
  }));
}

describe('fitLogit against statsmodels Logit', () => {
  for (const [name, c] of Object.entries(fixtures)) {
    it(`equals statsmodels on the ${name} fixture (coefficients and SEs ≤ 1e-6 relative)`, () => {
      const n = c.treatment.length;
      const d = buildDesign(columns(c), n);
      expect(['(intercept)', ...d.names]).toEqual(c.expected.names);
      const fit = fitLogit(d.X, n, d.p, Uint8Array.from(c.treatment), d.names);
      expect(fit.converged).toBe(true);
      expect(fit.separation).toEqual([]);
      for (let k = 0; k < c.expected.coef.length; k++) {
        expect(Math.abs(fit.coef[k]! - c.expected.coef[k]!)).toBeLessThanOrEqual(1e-6 * Math.abs(c.expected.coef[k]!));
        expect(Math.abs(fit.se[k]! - c.expected.se[k]!)).toBeLessThanOrEqual(1e-6 * Math.abs(c.expected.se[k]!));
      }
      expect(fit.loglik).toBeCloseTo(c.expected.loglik, 8);
    });
  }
});

describe('separation', () => {
  const n = 200;
  const rng = new Rng(3);
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  const t = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0));

  it('names a column that splits treated from control completely', () => {
    const split = Float64Array.from(t, (v) => (v ? 2 : -1) + 0.5 * rng.uniform());
    const X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) [X[2 * i], X[2 * i + 1]] = [noise[i]!, split[i]!];
    const fit = fitLogit(X, n, 2, t, ['noise', 'splitter']);
    expect(fit.separation).toContain('splitter');
    expect(fit.separation).not.toContain('noise');
  });

  it('names a category level found only among the treated (quasi-complete separation)', () => {
    const level = Float64Array.from(t, (v, i) => (v && i % 5 === 0 ? 1 : 0));
    const X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) [X[2 * i], X[2 * i + 1]] = [noise[i]!, level[i]!];
    const fit = fitLogit(X, n, 2, t, ['noise', 'country=XX']);
    expect(fit.separation).toEqual(['country=XX']);
    // the runaway coefficient: far beyond any fitted value of an ordinary model
    expect(fit.coef[2]!).toBeGreaterThan(10);
  });

  it('reports none on overlapping data', () => {
    const X = Float64Array.from(noise);
    const tt = Uint8Array.from(noise, (v) => (rng.uniform() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const fit = fitLogit(X, n, 1, tt, ['noise']);
    expect(fit.separation).toEqual([]);
    expect(fit.converged).toBe(true);
  });
});

describe('refitLogit (cross-fitting folds)', () => {
  it('reaches the same coefficients as a full Newton fit on the fold', () => {
    const c = fixtures.log_counts!;
    const n = c.treatment.length;
    const d = buildDesign(columns(c), n);
    const t = Uint8Array.from(c.treatment);
    const all = fitLogit(d.X, n, d.p, t, d.names);
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2);
    const quick = refitLogit(all, d.X, n, t, d.names, rows);
    const full = fitLogit(d.X, n, d.p, t, d.names, undefined, rows);
    expect(quick.converged).toBe(true);
    for (let k = 0; k < full.coef.length; k++) expect(Math.abs(quick.coef[k]! - full.coef[k]!)).toBeLessThan(1e-7 * (1 + Math.abs(full.coef[k]!)));
    // and it is not the all-units fit
    expect(Math.abs(quick.coef[1]! - all.coef[1]!)).toBeGreaterThan(1e-4);
  });
});
