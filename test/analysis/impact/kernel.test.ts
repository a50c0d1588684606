/**
 * The sampler's building blocks against exact answers computed independently (dense Gaussian algebra, model
 * enumeration, closed-form truncated-gamma moments): the simulation smoother draws from p(states | y), the
 * spike-and-slab chain visits models at their posterior probabilities, the variance draws respect the upper limit.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { KalmanKernel } from '../../../src/analysis/impact/kalman.js';
import type { RegressionSpec, StateSpaceModel, VariancePrior } from '../../../src/analysis/impact/model.js';
import { SimulationSmoother } from '../../../src/analysis/impact/simulation-smoother.js';
import { SpikeSlabSampler } from '../../../src/analysis/impact/spike-slab.js';
import { drawVariance, truncatedGamma } from '../../../src/analysis/impact/variance.js';
import { solve, type Mat } from '../../support/dense-gaussian.js';



const prior = (initial = 1): VariancePrior => ({ df: 1, ss: 1, upper: Infinity, initial });

describe('simulation smoother (Durbin & Koopman 2002)', () => {
  it('draws the states from their exact posterior: local linear trend + seasonal (3 seasons × 2) with gaps', () => {
    const n = 12, m = 4;
    const seasonChange = new Uint8Array(n).map((_, t) => ((t + 1) % 2 === 0 ? 1 : 0));
    const observed = new Uint8Array(n).fill(1);
    for (const t of [3, 9, 10, 11]) observed[t] = 0;
    const model: StateSpaceModel = {
      n, m, trendSize: 2, seasonStart: 2, seasons: 3, seasonChange, dynStart: 4, dynK: 0, xDyn: new Float64Array(0),
      a1: Float64Array.from([1.5, 0.2, 0.3, -0.1]), p1: Float64Array.from([2, 0.5, 1, 1.5]),
      noises: [
        { name: 'level', index: 0, seasonal: false, prior: prior() },
        { name: 'slope', index: 1, seasonal: false, prior: prior() },
        { name: 'seasonal', index: 2, seasonal: true, prior: prior() },
      ],
      observation: prior(), regression: undefined, observed, sdy: 1,
    };
    const q = [0.3, 0.05, 0.2], h = 0.4;
    // Dense representation: α_t = A_t u with u = (α_0, η_0 … η_{n−2}); y_t = (α_t)_0 + (α_t)_2 + ε_t.
    const nu = m + 3 * (n - 1);
    const uMean = new Array(nu).fill(0), uVar = new Array(nu).fill(0);
    for (let i = 0; i < m; i++) {
      uMean[i] = model.a1[i]!;
      uVar[i] = model.p1[i]!;
    }
    for (let t = 0; t < n - 1; t++) {
      uVar[m + 3 * t] = q[0]!;
      uVar[m + 3 * t + 1] = q[1]!;
      uVar[m + 3 * t + 2] = seasonChange[t] ? q[2]! : 0;
    }
    let cur: Mat = Array.from({ length: m }, (_, i) => Array.from({ length: nu }, (_, j) => (i === j ? 1 : 0)));
    const Z: Mat = [];
    for (let t = 0; t < n; t++) {
      Z.push(cur[0]!.map((v, j) => v + cur[2]![j]!));
      const nx = cur.map((r) => r.slice());
      nx[0] = cur[0]!.map((v, j) => v + cur[1]![j]!);
      if (seasonChange[t]) {
        nx[2] = cur[2]!.map((v, j) => -(v + cur[3]![j]!));
        nx[3] = cur[2]!.slice();
      }
      nx[0]![m + 3 * t] = (nx[0]![m + 3 * t] ?? 0) + 1;
      nx[1]![m + 3 * t + 1] = (nx[1]![m + 3 * t + 1] ?? 0) + 1;
      if (seasonChange[t]) nx[2]![m + 3 * t + 2] = (nx[2]![m + 3 * t + 2] ?? 0) + 1;
      cur = nx;
    }
    const dataRng = new Rng(7);
    const y = new Float64Array(n).map((_, t) => (observed[t] ? dataRng.normal(2, 2) : NaN));
    const obs = [...Array(n).keys()].filter((t) => observed[t]);
    const cov = (a: number[], b: number[]) => a.reduce((s, v, j) => s + v * b[j]! * uVar[j]!, 0);
    const mean = (a: number[]) => a.reduce((s, v, j) => s + v * uMean[j]!, 0);
    const Syy = obs.map((i) => obs.map((j) => cov(Z[i]!, Z[j]!) + (i === j ? h : 0)));
    const Scy = Z.map((zi) => obs.map((j) => cov(zi, Z[j]!)));
    // W = Syy⁻¹ Syc (obs × n)
    const { X: W } = solve(Syy, obs.map((_, a) => Z.map((_, i) => Scy[i]![a]!)));
    const resid = obs.map((t) => y[t]! - mean(Z[t]!));
    const exactMean = Z.map((zi, i) => mean(zi) + obs.reduce((s, _, a) => s + W[a]![i]! * resid[a]!, 0));
    const exactVar = Z.map((zi, i) => cov(zi, zi) - obs.reduce((s, _, a) => s + Scy[i]![a]! * W[a]![i]!, 0));

    const kernel = new KalmanKernel(model);
    q.forEach((v, i) => (kernel.q[i] = v));
    const smoother = new SimulationSmoother(kernel);
    const rng = new Rng(3);
    const N = 20_000;
    const s1 = new Float64Array(n), s2 = new Float64Array(n), c = new Float64Array(n);
    for (let k = 0; k < N; k++) {
      smoother.draw(rng, y, h, c);
      for (let t = 0; t < n; t++) {
        s1[t] += c[t]!;
        s2[t] += c[t]! * c[t]!;
      }
    }
    for (let t = 0; t < n; t++) {
      const mu = s1[t]! / N;
      const v = s2[t]! / N - mu * mu;
      expect(Math.abs(mu - exactMean[t]!)).toBeLessThan(5 * Math.sqrt(exactVar[t]! / N));
      expect(Math.abs(v / exactVar[t]! - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    }
  });
});

describe('spike-and-slab regression step', () => {
  // Small problem: n = 40, intercept + 3 predictors (one relevant), residual e.
  const n = 40, p = 4;
  const rng = new Rng(11);
  const X: Mat = Array.from({ length: n }, () => [1, rng.normal(), rng.normal(), rng.normal()]);
  const e = X.map((r) => 0.35 * r[1]! + rng.normal(0, 1));
  const xtx = new Float64Array(p * p), xty = new Float64Array(p);
  let yty = 0;
  for (let t = 0; t < n; t++) {
    yty += e[t]! ** 2;
    for (let i = 0; i < p; i++) {
      xty[i] += X[t]![i]! * e[t]!;
      for (let j = 0; j < p; j++) xtx[i * p + j] += X[t]![i]! * X[t]![j]!;
    }
  }
  const omegaInv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) omegaInv[i * p + j] = 0.05 * (i === j ? 1 : 0.5) * (xtx[i * p + j]! / n);
  const spec = (pi: number[]): RegressionSpec => ({
    p, names: ['(intercept)', 'a', 'b', 'c'], X: Float64Array.from(X.flat()), xtxObserved: xtx, omegaInv,
    pi: Float64Array.from(pi), sigma: { df: 3, ss: 3 * 0.8, upper: Infinity, initial: 1 }, maxFlips: p,
  });

  it('visits each model at its exact posterior probability', () => {
    const pi = [0.6, 0.6, 0.6, 0.6];
    // Exact: e | γ ~ multivariate t from σ² integrated: p(e|γ) ∝ |I + X Ω X'|^−½ (ss + e'(I + XΩX')⁻¹e)^−(ν+n)/2
    const logPost: number[] = [];
    for (let g = 0; g < 16; g++) {
      const sel = [0, 1, 2, 3].filter((j) => g & (1 << j));
      let lp = sel.length * Math.log(0.6) + (4 - sel.length) * Math.log(0.4);
      const K: Mat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      if (sel.length > 0) {
        const sub = sel.map((a) => sel.map((b) => omegaInv[a * p + b]!));
        const { X: Om } = solve(sub, sub.map((_, i) => sub.map((__, j) => (i === j ? 1 : 0))));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let a = 0; a < sel.length; a++) for (let b = 0; b < sel.length; b++) s += X[i]![sel[a]!]! * Om[a]![b]! * X[j]![sel[b]!]!;
            K[i]![j]! += s;
          }
        }
      }
      const { X: Ke, logdet } = solve(K, e.map((v) => [v]));
      const quad = e.reduce((s, v, i) => s + v * Ke[i]![0]!, 0);
      lp += -0.5 * logdet - 0.5 * (3 + n) * Math.log(3 * 0.8 + quad);
      logPost.push(lp);
    }
    const mx = Math.max(...logPost);
    const z = logPost.reduce((s, v) => s + Math.exp(v - mx), 0);
    const exact = logPost.map((v) => Math.exp(v - mx) / z);

    const sampler = new SpikeSlabSampler(spec(pi));
    const counts = new Array(16).fill(0);
    const draws = new Rng(5);
    const N = 40_000;
    for (let k = 0; k < N; k++) {
      sampler.draw(draws, xty, yty, n);
      let g = 0;
      for (let j = 0; j < p; j++) if (sampler.gamma[j]) g |= 1 << j;
      counts[g]++;
    }
    for (let g = 0; g < 16; g++) {
      const f = counts[g]! / N;
      // Markov-chain draws are correlated: allow 0.01 plus a generous multiple of the i.i.d. standard error
      expect(Math.abs(f - exact[g]!)).toBeLessThan(0.01 + 12 * Math.sqrt((exact[g]! * (1 - exact[g]!)) / N));
    }
    console.log("spike-slab exact vs sampled:", exact.map((v, g) => `${v.toFixed(3)}/${(counts[g]! / N).toFixed(3)}`).join(" "));
    // the relevant predictor is the one most often included
    const incl = [0, 1, 2, 3].map((j) => exact.reduce((s, v, g) => s + (g & (1 << j) ? v : 0), 0));
    expect(incl[1]).toBeGreaterThan(Math.max(incl[0]!, incl[2]!, incl[3]!));
  });

  it('draws β and σ² from their conditionals when every predictor is forced in', () => {
    const sampler = new SpikeSlabSampler(spec([1, 1, 1, 1]));
    const A: Mat = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => xtx[i * p + j]! + omegaInv[i * p + j]!));
    const { X: bt } = solve(A, [0, 1, 2, 3].map((i) => [xty[i]!]));
    const betaHat = bt.map((r) => r[0]!);
    const SS = 3 * 0.8 + yty - betaHat.reduce((s, b, i) => s + b * xty[i]!, 0);
    const DF = 3 + n;
    const rng2 = new Rng(9);
    const N = 40_000;
    const sum = new Float64Array(p);
    let s2 = 0;
    for (let k = 0; k < N; k++) {
      sampler.draw(rng2, xty, yty, n);
      for (let j = 0; j < p; j++) sum[j] += sampler.beta[j]!;
      s2 += sampler.sigma2;
    }
    for (let j = 0; j < p; j++) expect(sum[j]! / N).toBeCloseTo(betaHat[j]!, 2);
    expect(s2 / N / (SS / (DF - 2))).toBeCloseTo(1, 1); // E[σ²] of the inverse gamma
  });
});

describe('variance draws with an upper limit', () => {
  /** Regularised upper incomplete gamma Q(a, x) for a = k or k + ½. */
  const erfc = (x: number): number => {
    // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
    const t = 1 / (1 + 0.3275911 * x);
    return t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  };
  const Q = (a: number, x: number): number => {
    if (Number.isInteger(a)) {
      let s = 0, term = 1;
      for (let k = 0; k < a; k++) {
        s += term;
        term *= x / (k + 1);
      }
      return Math.exp(-x) * s;
    }
    let q = erfc(Math.sqrt(x)); // a = ½
    let term = Math.sqrt(x / Math.PI) * Math.exp(-x) * 2;
    for (let b = 0.5; b < a - 0.25; b += 1) {
      q += term;
      term *= x / (b + 1);
    }
    return q;
  };
  const cases = [
    { shape: 3, rate: 2, lower: 1 }, // bound below the mean: plain rejection
    { shape: 3, rate: 2, lower: 2.5 }, // tail sampler
    { shape: 0.5, rate: 1, lower: 2 }, // shape < 1, tail
    { shape: 1.5, rate: 0.5, lower: 0.2 },
  ];
  for (const c of cases) {
    it(`draws Gamma(${c.shape}, ${c.rate}) truncated at ≥ ${c.lower} exactly`, () => {
      const rng = new Rng(17);
      const N = 100_000;
      let s = 0, min = Infinity;
      for (let k = 0; k < N; k++) {
        const x = truncatedGamma(rng, c.shape, c.rate, c.lower);
        s += x;
        min = Math.min(min, x);
      }
      const x = c.rate * c.lower;
      const exactMean = (c.shape / c.rate) * (Q(c.shape + 1, x) / Q(c.shape, x));
      expect(min).toBeGreaterThanOrEqual(c.lower);
      expect(Math.abs(s / N / exactMean - 1)).toBeLessThan(0.01);
    });
  }

  it('never exceeds the s.d. limit', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 2000; k++) {
      const v = drawVariance(rng, { df: 1, ss: 1, upper: 0.5, initial: 0.1 }, 10, 100); // the data want σ² ≈ 10
      expect(Math.sqrt(v)).toBeLessThanOrEqual(0.5);
    }
  });
});
