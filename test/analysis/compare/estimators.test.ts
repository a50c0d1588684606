// IPW and AIPW: their analytic (influence-function) standard errors against a nonparametric bootstrap that re-fits
// everything (score, outcome models, folds) per draw; the multiplier bootstrap against its own closed form; and
// compareGroups' errors and warnings in plain words.
import { describe, expect, it } from 'vitest';
import { aipwEstimate, assignFolds, buildDesign, compareGroups, crossFittedLinear, expit, fitLogit, fitOutcome, ipwEstimate, linearPredictor, multiplierDraws, predictOutcome, type CompareData } from '../../../src/analysis/compare/index.js';
import { Rng } from '../../../src/domain/index.js';
import { errorCode } from '../../support/errors.js';
import { simulateCompare } from '../../../bench/compare-designs.js';

function resample(data: CompareData, rng: Rng): CompareData {
  const n = data.treatment.length;
  const idx = Int32Array.from({ length: n }, () => rng.int(n));
  return {
    treatment: Uint8Array.from(idx, (i) => data.treatment[i]!),
    outcome: Float64Array.from(idx, (i) => data.outcome[i]!),
    covariates: data.covariates.map((c) => ({ ...c, values: c.values instanceof Float64Array ? Float64Array.from(idx, (i) => (c.values as Float64Array)[i]!) : Array.from(idx, (i) => (c.values as string[])[i]!) })),
  };
}

function estimates(data: CompareData, estimand: 'att' | 'ate'): { ipw: number; ipwSe: number; aipw: number; aipwSe: number } {
  const n = data.treatment.length;
  const d = buildDesign(data.covariates, n);
  const fit = fitLogit(d.X, n, d.p, data.treatment, d.names);
  const e = Float64Array.from(linearPredictor(fit, d.X, n), expit);
  const ipw = ipwEstimate(d.X, d.p, fit, e, data.treatment, data.outcome, estimand, null);
  const aipw = aipwEstimate(d.X, d.p, d.names, data.treatment, data.outcome, estimand, 'linear', 5, 1, fit);
  return { ipw: ipw.estimate, ipwSe: ipw.se, aipw: aipw.estimate, aipwSe: aipw.se };
}

describe('influence-function standard errors', () => {
  for (const estimand of ['att', 'ate'] as const) {
    it(`agree with a re-fitting bootstrap (${estimand.toUpperCase()}, 250 draws, within 20%)`, () => {
      const data = simulateCompare('heterogeneous', 500, 3, 11);
      const base = estimates(data, estimand);
      const rng = new Rng(5);
      const ipw: number[] = [], aipw: number[] = [];
      for (let b = 0; b < 250; b++) {
        const r = estimates(resample(data, rng), estimand);
        ipw.push(r.ipw);
        aipw.push(r.aipw);
      }
      const sd = (v: number[]): number => {
        const m = v.reduce((s, x) => s + x, 0) / v.length;
        return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
      };
      expect(base.ipwSe / sd(ipw)).toBeGreaterThan(0.8);
      expect(base.ipwSe / sd(ipw)).toBeLessThan(1.2);
      expect(base.aipwSe / sd(aipw)).toBeGreaterThan(0.8);
      expect(base.aipwSe / sd(aipw)).toBeLessThan(1.2);
    });
  }

  it('the IPW sandwich includes the estimated score: without its correction the ATE s.e. would be larger', () => {
    // Lunceford & Davidian (2004): estimating the score lowers the IPW ATE variance; check ψ differs from the naive one
    const data = simulateCompare('constant', 600, 1, 2);
    const n = 600;
    const d = buildDesign(data.covariates, n);
    const fit = fitLogit(d.X, n, d.p, data.treatment, d.names);
    const e = Float64Array.from(linearPredictor(fit, d.X, n), expit);
    const r = ipwEstimate(d.X, d.p, fit, e, data.treatment, data.outcome, 'ate', null);
    let s1 = 0, s0 = 0, w1 = 0, w0 = 0;
    for (let i = 0; i < n; i++) {
      if (data.treatment[i]) (w1 += 1 / e[i]!), (s1 += data.outcome[i]! / e[i]!);
      else (w0 += 1 / (1 - e[i]!)), (s0 += data.outcome[i]! / (1 - e[i]!));
    }
    expect(r.estimate).toBeCloseTo(s1 / w1 - s0 / w0, 10);
    let naive = 0;
    for (let i = 0; i < n; i++) {
      const v = data.treatment[i] ? ((data.outcome[i]! - s1 / w1) / e[i]!) / (w1 / n) : -((data.outcome[i]! - s0 / w0) / (1 - e[i]!)) / (w0 / n);
      naive += v * v;
    }
    expect(r.se).toBeLessThan(Math.sqrt(naive) / n);
  });
});

describe('multiplier bootstrap', () => {
  it('draws around the estimate with s.d. √Σψ² / n, the same for the same seed', () => {
    const rng = new Rng(1);
    const n = 3001;
    const psi = Float64Array.from({ length: n }, () => rng.normal(0, 2) + (rng.uniform() < 0.1 ? 5 : 0));
    const mean = psi.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) psi[i] -= mean;
    const other = Float64Array.from(psi, (v) => -2 * v);
    const [a, b] = multiplierDraws([1.5, 0], [psi, other], 4000, 9);
    const sdWant = Math.sqrt(psi.reduce((s, v) => s + v * v, 0)) / n;
    const m = a!.reduce((s, v) => s + v, 0) / a!.length;
    const sd = Math.sqrt(a!.reduce((s, v) => s + (v - m) ** 2, 0) / (a!.length - 1));
    expect(Math.abs(m - 1.5)).toBeLessThan((4 * sdWant) / Math.sqrt(4000));
    expect(sd / sdWant).toBeGreaterThan(0.95);
    expect(sd / sdWant).toBeLessThan(1.05);
    // one multiplier stream for every ψ: the second draw is exactly −2 × the first's deviation
    for (let k = 0; k < 10; k++) expect(b![k]!).toBeCloseTo(-2 * (a![k]! - 1.5), 10);
    expect(Array.from(multiplierDraws([1.5], [psi], 20, 9)[0]!)).toEqual(Array.from(a!.subarray(0, 20)));
  });
});

describe('compareGroups', () => {
  const data = simulateCompare('constant', 300, 0, 3);

  it('reports every method, balance per expanded covariate, the propensity fit and the E-value', () => {
    const r = compareGroups(data, { bootstrap: 200 });
    expect(r.methods.map((m) => m.method)).toEqual(['matching', 'ipw', 'aipw']);
    expect(r.methods.map((m) => m.interval)).toEqual(['abadie-imbens', 'multiplier-bootstrap', 'multiplier-bootstrap']);
    expect(compareGroups(data, { bootstrap: 0, replace: false, methods: ['matching'] }).methods[0]!.interval).toBe('matched-sets');
    expect(r.balance.map((b) => b.covariate)).toEqual(['followers', 'activity', 'country=BR', 'country=DE', 'age']);
    expect(r.propensity.coefficients[0]!.name).toBe('(intercept)');
    expect(r.n_treated + r.n_control).toBe(300);
    for (const m of r.methods) expect(m.lower).toBeLessThan(m.upper);
    expect(r.sensitivity.method).toBe('matching');
    expect(r.sensitivity.e_value).toBeGreaterThan(1);
    // adjustment moves the estimate from the naive difference towards the planted 2
    expect(Math.abs(r.methods[0]!.estimate - 2)).toBeLessThan(Math.abs(r.naive.estimate - 2));
    expect(r.overlap.treated_counts.reduce((s, v) => s + v, 0)).toBe(r.n_treated);
  });

  it('refuses too few units per group and unknown options', () => {
    const few: CompareData = { ...data, treatment: Uint8Array.from(data.treatment, (_, i) => (i < 3 ? 1 : 0)) };
    expect(() => compareGroups(few)).toThrow('compare: treatment column has 3 treated units; need ≥ 5');
    expect(errorCode(() => compareGroups(few))).toBe('input');
    expect(errorCode(() => compareGroups(data, { ratio: 0 }))).toBe('bad_option');
    expect(errorCode(() => compareGroups(data, { colour: 'red' } as never))).toBe('bad_option');
    expect(errorCode(() => compareGroups({ ...data, treatment: Uint8Array.from(data.treatment, (v, i) => (i === 4 ? 2 : v)) }))).toBe('input');
  });

  it('warns in plain words when the caliper drops treated units and names poor balance', () => {
    const r = compareGroups(data, { caliper: 0.005, methods: ['matching'] });
    const w = r.warnings.join('\n');
    expect(w).toMatch(/matching: \d+ of \d+ treated units had no match within the caliper and were dropped; the estimate is the effect on the \d+ matched treated units/);
    expect(r.methods[0]!.details.unmatched_treated).toBeGreaterThan(0);
  });

  it('names the covariate that separates the groups', () => {
    const labels = Array.from(data.treatment, (t, i) => (t && i % 4 === 0 ? 'XX' : i % 2 ? 'US' : 'DE'));
    const r = compareGroups({ ...data, covariates: [...data.covariates.slice(0, 2), { name: 'club', values: labels, categorical: true }] }, { bootstrap: 0 });
    expect(r.propensity.separation).toEqual(['club=XX']);
    expect(r.warnings.some((w) => w.includes("separates treated from control on 'club=XX'"))).toBe(true);
  });

  it('names only the column that splits the groups, not the coefficients that drift with it', () => {
    // treated exactly when followers exceed a threshold; a random category beside it must not be blamed
    const followers = Float64Array.from(data.outcome, (_, i) => 10 + ((i * 7919) % 1000));
    const treatment = Uint8Array.from(followers, (f) => (f > 800 ? 1 : 0));
    const country = Array.from(followers, (_, i) => (i % 3 === 0 ? 'DE' : 'US'));
    const r = compareGroups({ treatment, outcome: data.outcome, covariates: [{ name: 'followers', values: followers, log: true }, { name: 'country', values: country, categorical: true }] }, { bootstrap: 0 });
    expect(r.propensity.separation).toEqual(['followers']);
  });

  it('lists the units outside common support by id and re-estimates without them', () => {
    const r = compareGroups({ ...data, ids: Array.from({ length: 300 }, (_, i) => `acct${i}`) }, { bootstrap: 0, methods: ['ipw'] });
    expect(r.overlap.outside_support).toBe(r.overlap.outside_support_ids.length);
    if (r.overlap.outside_support > 0) {
      expect(r.overlap.outside_support_ids[0]).toMatch(/^acct\d+$/);
      expect(r.overlap.estimate_within_support).not.toBe(r.methods[0]!.estimate);
    } else expect(r.overlap.estimate_within_support).toBe(r.methods[0]!.estimate);
  });

  it('estimates the ATE by matching both ways with replacement, saying so', () => {
    const r = compareGroups(data, { estimand: 'ate', bootstrap: 0, replace: false });
    expect(r.estimand).toBe('ate');
    expect(r.methods[0]!.interval).toBe('abadie-imbens');
    expect(compareGroups(data, { estimand: 'ate', bootstrap: 0 }).warnings.join('\n')).not.toMatch(/replace = false/);
    expect(r.warnings).toContain('matching: the ATE matches both ways with replacement (replace = false applies to the ATT only)');
  });
});

describe('cross-fitted least squares', () => {
  it('equals a separate least-squares fit per training fold', () => {
    const data = simulateCompare('outcome_misspecified', 400, 2, 4);
    const n = 400;
    const d = buildDesign(data.covariates, n);
    const fold = assignFolds(data.treatment, 5, 3);
    const controls = Int32Array.from(Array.from(data.treatment.keys()).filter((i) => data.treatment[i] === 0));
    const got = new Float64Array(n);
    crossFittedLinear(d.X, d.p, data.outcome, controls, fold, 5, got);
    for (let k = 0; k < 5; k++) {
      const fit = fitOutcome('linear', d.X, d.p, data.outcome, controls.filter((i) => fold[i] !== k));
      for (let i = 0; i < n; i++) if (fold[i] === k) expect(Math.abs(got[i]! - predictOutcome(fit, d.X, i))).toBeLessThan(1e-8 * (1 + Math.abs(got[i]!)));
    }
  });
});
