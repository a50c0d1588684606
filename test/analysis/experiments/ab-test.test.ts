/**
 * A/B analysis (src/analysis/experiments): known answers for the Wilson interval, the lift interval and one look of
 * the mixture SPRT; then simulations with planted truth (fixed seeds). Under the null, monitoring after every visitor
 * and stopping at the first p < 0.05 keeps the false-positive rate ≤ 0.05 (+ 2 s.e.), where a fixed-horizon z-test
 * peeked at every step does not; under a planted lift the test has power and its confidence sequence covers the truth.
 */
import { describe, expect, it } from 'vitest';
import { abTest, liftInterval, mixtureSprt } from '../../../src/analysis/experiments/index.js';
import { wilsonInterval } from '../../../src/analysis/stats/proportion.js';
import { normalCdf, normalQuantile } from '../../../src/analysis/stats/normal.js';
import { Rng } from '../../../src/domain/index.js';
import { errorCode } from '../../support/errors.js';

/** One simulated experiment: arms drawn with P(B) = shareB, conversions with the arm's rate. */
function simulate(rng: Rng, n: number, pA: number, pB: number, shareB = 0.5): { arm: Uint8Array; y: Uint8Array } {
  const arm = new Uint8Array(n), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    arm[i] = rng.uniform() < shareB ? 1 : 0;
    y[i] = rng.uniform() < (arm[i] ? pB : pA) ? 1 : 0;
  }
  return { arm, y };
}

/** The naive analyst: a pooled two-proportion z-test at 0.05 after every visitor (from 20 per arm); true when it ever rejects. */
function naivePeekRejects(arm: Uint8Array, y: Uint8Array): boolean {
  let nA = 0, xA = 0, nB = 0, xB = 0;
  for (let i = 0; i < arm.length; i++) {
    if (arm[i]) (nB++, (xB += y[i]!));
    else (nA++, (xA += y[i]!));
    if (nA < 20 || nB < 20) continue;
    const p = (xA + xB) / (nA + nB);
    const se = Math.sqrt(p * (1 - p) * (1 / nA + 1 / nB));
    if (se > 0 && Math.abs(xB / nB - xA / nA) / se > 1.959963984540054) return true;
  }
  return false;
}

describe('known answers', () => {
  it('normal quantile and CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 10);
  });

  it('Wilson interval of 10/100 at 95% (Newcombe 1998, method 3: 0.0552–0.1744)', () => {
    const w = wilsonInterval(10, 100, normalQuantile(0.975));
    expect(w.lower).toBeCloseTo(0.0552, 4);
    expect(w.upper).toBeCloseTo(0.1744, 4);
    expect(wilsonInterval(0, 0, 1.96).lower).toBeNaN();
  });

  it('lift: 60/300 against 30/300 is +100%, log-ratio interval by hand', () => {
    const z = normalQuantile(0.975);
    const se = Math.sqrt(1 / 60 - 1 / 300 + 1 / 30 - 1 / 300); // 0.20817
    const l = liftInterval(60, 300, 30, 300, z);
    expect(l.lift).toBeCloseTo(1, 12);
    expect(l.lift_lower!).toBeCloseTo(2 * Math.exp(-z * se) - 1, 12);
    expect(l.lift_upper!).toBeCloseTo(2 * Math.exp(z * se) - 1, 12);
    expect(l.lift_lower!).toBeCloseTo(0.3300, 4); // 2·e^(−1.96·0.20817) − 1
    expect(l.lift_upper!).toBeCloseTo(2.0076, 4); // 2·e^(+1.96·0.20817) − 1
    expect(liftInterval(5, 100, 0, 100, z)).toEqual({ lift: null, lift_lower: null, lift_upper: null });
  });

  it('one look of the mSPRT equals the formula: Λ = √(V/(V+τ²)) exp(τ²θ̂²/(2V(V+τ²))) over the weighted increments', () => {
    // 100 visitors to A (10 convert), then 100 to B (25 convert), half the traffic to B; with minVisitors = 100 the
    // only look is after the last visitor.
    const arm = [...new Array(100).fill(0), ...new Array(100).fill(1)];
    const y = [...new Array(10).fill(1), ...new Array(90).fill(0), ...new Array(25).fill(1), ...new Array(75).fill(0)];
    const tau = 0.05, alpha = 0.05, shareB = 0.5;
    const r = mixtureSprt(arm, y, shareB, { tau, alpha, minVisitors: 100 });
    // D_i = (y_i − c_i)·(±1/π), c_i = (conversions before i + ½)/(visitors before i + 1)
    let sum = 0, x = 0;
    for (let i = 0; i < 200; i++) {
      const c = (x + 0.5) / (i + 1);
      sum += (y[i]! - c) * (arm[i] ? 1 / shareB : -1 / (1 - shareB));
      x += y[i]!;
    }
    const estimate = sum / 200;
    const c = 35.5 / 201;
    const V = (c * (1 - c) * 4) / 200;
    const lambda = Math.sqrt(V / (V + tau * tau)) * Math.exp((tau * tau * estimate * estimate) / (2 * V * (V + tau * tau)));
    expect(r.difference).toBeCloseTo(0.15, 12);
    expect(r.p_value).toBeCloseTo(Math.min(1, 1 / lambda), 12);
    const half = Math.sqrt(((2 * V * (V + tau * tau)) / (tau * tau)) * (Math.log(1 / alpha) + 0.5 * Math.log((V + tau * tau) / V)));
    expect(r.lower).toBeCloseTo(estimate - half, 12);
    expect(r.upper).toBeCloseTo(estimate + half, 12);
    // p < alpha exactly when 0 leaves the confidence sequence
    expect(r.p_value < alpha).toBe(r.lower > 0);
    expect(r.significant_after).toBe(r.p_value < alpha ? 200 : null);
  });

  it('with rates equal to the centring, the increments average to the difference of rates', () => {
    // Every increment's expectation is θ whatever the split: check the mean of D over many visitors at 80/20.
    const rng = new Rng(5);
    const { arm, y } = simulate(rng, 400_000, 0.1, 0.14, 0.2);
    const r = mixtureSprt(arm, y, 0.2, { tau: 0.05 });
    expect(r.lower).toBeLessThan(0.04);
    expect(r.upper).toBeGreaterThan(0.04);
    expect(r.upper - r.lower).toBeLessThan(0.01);
  });

  it('the p-value is the running minimum: it never rises and the sequence only narrows', () => {
    const rng = new Rng(3);
    const { arm, y } = simulate(rng, 3000, 0.1, 0.13);
    let lastP = 1, lastWidth = Infinity;
    for (let n = 100; n <= 3000; n += 100) {
      const r = mixtureSprt(arm.subarray(0, n), y.subarray(0, n), 0.5);
      expect(r.p_value).toBeLessThanOrEqual(lastP);
      expect(r.upper - r.lower).toBeLessThanOrEqual(lastWidth + 1e-12);
      lastP = r.p_value;
      lastWidth = r.upper - r.lower;
    }
  });
});

describe('always valid under continuous monitoring (400 experiments × 2,000 visitors, look after every visitor)', () => {
  const experiments = 400, visitors = 2000, alpha = 0.05;
  const bound = alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / experiments);

  for (const [rate, shareB] of [[0.1, 0.5], [0.03, 0.5], [0.1, 0.2], [0.1, 0.1]] as const) {
    it(`null at rate ${rate}, ${shareB * 100}% of visitors to B: mSPRT ever-significant ≤ ${bound.toFixed(4)}, naive peeking above it`, () => {
      const rng = new Rng(20_170_000 + Math.round(rate * 1000) + Math.round(shareB * 10));
      let msprt = 0, naive = 0;
      for (let e = 0; e < experiments; e++) {
        const { arm, y } = simulate(rng, visitors, rate, rate, shareB);
        if (mixtureSprt(arm, y, shareB, { alpha }).p_value < alpha) msprt++;
        if (naivePeekRejects(arm, y)) naive++;
      }
      console.log(`null rate ${rate}, share B ${shareB}: mSPRT ever p < 0.05 in ${msprt}/${experiments} (${(msprt / experiments).toFixed(4)}); naive peeking ${naive}/${experiments} (${(naive / experiments).toFixed(4)}); bound ${bound.toFixed(4)}`);
      expect(msprt / experiments).toBeLessThanOrEqual(bound);
      expect(naive / experiments).toBeGreaterThan(bound);
    });
  }

  for (const [shareB, power] of [[0.5, 0.6], [0.2, 0.4]] as const) {
    it(`planted lift 10% → 15% (θ = 0.05), ${shareB * 100}% to B: power > ${power}, the final confidence sequence covers θ in ≥ 90% of runs`, () => {
      const rng = new Rng(2017 + shareB * 10);
      let significant = 0, covered = 0, stopSum = 0;
      for (let e = 0; e < experiments; e++) {
        const { arm, y } = simulate(rng, visitors, 0.1, 0.15, shareB);
        const r = mixtureSprt(arm, y, shareB, { alpha });
        if (r.p_value < alpha) (significant++, (stopSum += r.significant_after!));
        if (r.lower <= 0.05 && 0.05 <= r.upper) covered++;
      }
      console.log(
        `planted θ = 0.05, share B ${shareB}: power ${(significant / experiments).toFixed(4)} (mean stop after ${(stopSum / Math.max(1, significant)).toFixed(0)} visitors), ` +
          `confidence sequence covers θ in ${covered}/${experiments}`,
      );
      expect(significant / experiments).toBeGreaterThan(power);
      expect(covered / experiments).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('abTest', () => {
  const labels = ['a', 'b', 'c'];
  const rng = new Rng(11);
  const n = 6000;
  const variant = new Int32Array(n), converted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    variant[i] = rng.int(3);
    converted[i] = rng.uniform() < [0.05, 0.1, 0.05][variant[i]!]! ? 1 : 0;
  }

  it('summarises each variant and compares every other variant with the control', () => {
    const r = abTest({ labels, variant, converted, weights: [1, 1, 1] });
    expect(r.control).toBe('a');
    expect(r.allocation).toBe('weights');
    expect(r.variants.map((v) => v.label)).toEqual(labels);
    expect(r.variants.reduce((s, v) => s + v.visitors, 0)).toBe(n);
    for (const v of r.variants) {
      expect(v.rate).toBeCloseTo(v.conversions / v.visitors, 12);
      expect(v.lower).toBeLessThan(v.rate);
      expect(v.upper).toBeGreaterThan(v.rate);
    }
    expect(r.comparisons.map((c) => c.variant)).toEqual(['b', 'c']);
    const [b, c] = r.comparisons;
    expect(b!.significant).toBe(true); // 10% vs 5% over ~2,000 visitors each
    expect(b!.difference_lower).toBeGreaterThan(0);
    expect(b!.lift!).toBeGreaterThan(0.5);
    expect(c!.difference_lower).toBeLessThan(0);
    expect(c!.difference_upper).toBeGreaterThan(0);
    expect(r.warnings.some((w) => w.includes('alpha / 2'))).toBe(true);
    expect(abTest({ labels, variant, converted }).warnings.some((w) => w.includes('observed'))).toBe(true);
  });

  it('takes another control by label and rejects unknown options, labels and variants', () => {
    expect(abTest({ labels, variant, converted }, { control: 'b' }).comparisons.map((c) => c.variant)).toEqual(['a', 'c']);
    const code = errorCode;
    expect(code(() => abTest({ labels, variant, converted }, { control: 'z' }))).toBe('bad_option');
    expect(code(() => abTest({ labels, variant, converted }, { alpha: 1.5 }))).toBe('bad_option');
    expect(code(() => abTest({ labels, variant, converted }, { bogus: 1 } as never))).toBe('bad_option');
    expect(code(() => abTest({ labels: ['only'], variant: [0], converted: [0] }))).toBe('input');
    expect(code(() => abTest({ labels, variant: [5], converted: [0] }))).toBe('input');
    expect(code(() => abTest({ labels, variant, converted, weights: [1, 0, 1] }))).toBe('input');
  });

  it('warns instead of looking when an arm is too small', () => {
    const r = abTest({ labels: ['a', 'b'], variant: [0, 1, 0, 1], converted: [0, 1, 0, 0] });
    expect(r.comparisons[0]!.p_value).toBe(1);
    expect(r.warnings[0]).toMatch(/fewer than 20 visitors/);
  });
});
