import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { effectiveSampleSize, splitRhat } from '../../../src/analysis/stats/mcmc.js';

/** An AR(1) chain x_t = φ x_{t−1} + e_t (stationary start): its ESS is n (1 − φ) / (1 + φ). */
function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  x[0] = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1]! + rng.normal();
  return x;
}

describe('MCMC diagnostics', () => {
  it('ESS of AR(1) chains matches n(1 − φ)/(1 + φ)', () => {
    for (const [phi, seed] of [[0.5, 1], [0.9, 2], [0.97, 3]] as const) {
      const n = 40_000;
      const want = (n * (1 - phi)) / (1 + phi);
      const got = effectiveSampleSize(ar1(n, phi, seed));
      expect(got / want).toBeGreaterThan(0.8);
      expect(got / want).toBeLessThan(1.25);
    }
  });

  it('ESS of independent draws is about n; antithetic draws are capped', () => {
    const rng = new Rng(5);
    const xs = Float64Array.from({ length: 5000 }, () => rng.normal());
    const ess = effectiveSampleSize(xs);
    expect(ess).toBeGreaterThan(4000);
    expect(ess).toBeLessThan(6000);
    const alternating = Float64Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 1 : -1) + 1e-3 * rng.normal());
    expect(effectiveSampleSize(alternating)).toBeLessThanOrEqual(1000 * Math.log10(1000));
  });

  it('a lag cap errs low, never high', () => {
    const x = ar1(4000, 0.99, 7);
    const full = effectiveSampleSize(x);
    const capped = effectiveSampleSize(x, 20);
    expect(capped).toBeLessThanOrEqual(full * 1.0001);
    expect(capped).toBeGreaterThan(0);
  });

  it('split-R̂ is near 1 for a stationary chain and large when the halves disagree', () => {
    for (const seed of [11, 12, 13]) {
      const x = ar1(4000, 0.5, seed);
      expect(splitRhat(x)).toBeLessThan(1.01);
      const shifted = Float64Array.from(x, (v, i) => (i >= 2000 ? v + 1.5 : v));
      expect(splitRhat(shifted)).toBeGreaterThan(1.1);
    }
    // a slowly drifting (unconverged) chain
    const drift = Float64Array.from({ length: 2000 }, (_, i) => i / 500 + Math.sin(i));
    expect(splitRhat(drift)).toBeGreaterThan(1.2);
    expect(splitRhat([1, 2])).toBeNaN();
    expect(splitRhat([3, 3, 3, 3])).toBe(1);
  });
});

describe('outcome-influence diagnostics flag a short chain', () => {
  it('warns when the chain is far too short to trust, and reports every global quantity', async () => {
    const { fitOutcomeInfluence } = await import('../../../src/analysis/influence/outcome-model.js');
    // 40 posts by 8 authors over 20 days of 6-h bins, outcomes from a flat baseline plus a few effects
    const rng = new Rng(3);
    const nBins = 80, np = 40;
    const postTime = Float64Array.from({ length: np }, (_, i) => Date.UTC(2026, 0, 1) + i * 12 * 3_600_000);
    const unclicked = Float64Array.from({ length: nBins }, () => rng.poisson(20));
    const r = fitOutcomeInfluence(
      {
        binMs: 6 * 3_600_000, startMs: Date.UTC(2026, 0, 1), nBins, unclicked, baselineX: new Float64Array(nBins).fill(1),
        postTime, postAuthor: Int32Array.from({ length: np }, (_, i) => i % 8), postFraming: Int32Array.from({ length: np }, (_, i) => i % 3),
        nAuthors: 8, framings: ['pitch', 'endorsement', 'bare_link'], referenceFraming: 0,
        clickedBin: Int32Array.from({ length: np }, (_, i) => 2 * i + 1), clickedPost: Int32Array.from({ length: np }, (_, i) => i),
        clickedCount: Float64Array.from({ length: np }, () => rng.poisson(2)), clickedShare: new Float64Array(np).fill(1),
        clickBin: new Uint8Array(nBins).fill(1),
      },
      { niter: 24, burn: 4, seed: 1 },
    );
    const d = r.diagnostics;
    expect(d.framing.map((f) => f.framing)).toEqual(['endorsement', 'bare_link']);
    expect(d.authors.checked).toBe(8);
    expect(d.share_caused.ess).toBeLessThan(100); // 20 kept draws cannot have an ESS of 100
    expect(d.warnings.length).toBeGreaterThan(0);
    expect(d.warnings.join(' ')).toMatch(/run more iterations/);
  });
});
