// Matching against a brute-force O(n²) matcher that applies the documented rules literally: candidates ordered by
// (distance, score, row); with replacement the K first within the caliper; without, greedy rounds over the treated by
// decreasing score (ties: lower row). Scores are rounded on half the cases so that ties are common.
import { describe, expect, it } from 'vitest';
import { matchingEstimate, matchNearest, type Matches, type MatchSpec } from '../../../src/analysis/compare/index.js';
import { Rng } from '../../../src/domain/index.js';


function sd(x: Float64Array): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
}

function key(t: number, lp: Float64Array, j: number): [number, number, number] {
  return [Math.abs(t - lp[j]!), lp[j]!, j];
}
function less(a: [number, number, number], b: [number, number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
}

function bruteForce(lp: Float64Array, t: Uint8Array, spec: MatchSpec): number[][] {
  const n = lp.length;
  const width = spec.caliper === null ? Infinity : spec.caliper * sd(lp);
  const out: number[][] = Array.from({ length: n }, () => []);
  const replace = spec.estimand === 'ate' || spec.replace;
  const focal = (i: number): boolean => (spec.estimand === 'ate' ? true : t[i] === 1);
  if (replace) {
    for (let i = 0; i < n; i++) {
      if (!focal(i)) continue;
      const donors = [...Array(n).keys()].filter((j) => t[j] !== t[i] && Math.abs(lp[i]! - lp[j]!) <= width);
      donors.sort((a, b) => (less(key(lp[i]!, lp, a), key(lp[i]!, lp, b)) ? -1 : 1));
      out[i] = donors.slice(0, spec.ratio);
    }
    return out;
  }
  const order = [...Array(n).keys()].filter((i) => t[i] === 1).sort((a, b) => lp[b]! - lp[a]! || a - b);
  const used = new Uint8Array(n);
  const active = new Set(order);
  for (let round = 0; round < spec.ratio; round++) {
    for (const i of order) {
      if (!active.has(i)) continue;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (t[j] === 1 || used[j] || Math.abs(lp[i]! - lp[j]!) > width) continue;
        if (best < 0 || less(key(lp[i]!, lp, j), key(lp[i]!, lp, best))) best = j;
      }
      if (best < 0) active.delete(i);
      else {
        used[best] = 1;
        out[i]!.push(best);
      }
    }
  }
  return out;
}

function asLists(m: Matches, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(m.list.subarray(m.start[i]!, m.start[i + 1]!)));
}

function randomCase(seed: number): { lp: Float64Array; t: Uint8Array } {
  const rng = new Rng(seed);
  const n = 20 + rng.int(60);
  const share = 0.2 + 0.3 * rng.uniform();
  const t = Uint8Array.from({ length: n }, () => (rng.uniform() < share ? 1 : 0));
  t[0] = 1;
  t[1] = 0;
  const rounded = seed % 2 === 0;
  const lp = Float64Array.from(t, (v) => {
    const x = rng.normal(v ? 0.5 : -0.3, 1);
    return rounded ? Math.round(x * 4) / 4 : x;
  });
  return { lp, t };
}

describe('matchNearest equals the brute-force matcher', () => {
  const specs: MatchSpec[] = [];
  for (const estimand of ['att', 'ate'] as const)
    for (const replace of [true, false])
      for (const ratio of [1, 3]) for (const caliper of [null, 0.2]) if (!(estimand === 'ate' && !replace)) specs.push({ estimand, replace, ratio, caliper });
  for (const spec of specs) {
    it(`${spec.estimand}, ${spec.replace ? 'with' : 'without'} replacement, K = ${spec.ratio}, caliper ${spec.caliper}`, () => {
      let matchedSomething = 0, unmatched = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const { lp, t } = randomCase(seed);
        const m = matchNearest(lp, t, spec);
        const want = bruteForce(lp, t, spec);
        expect(asLists(m, lp.length), `seed ${seed}`).toEqual(want);
        matchedSomething += m.list.length;
        unmatched += m.unmatchedTreated + m.unmatchedControl;
        expect(m.unmatchedTreated).toBe(want.filter((l, i) => t[i] === 1 && l.length === 0).length);
      }
      expect(matchedSomething).toBeGreaterThan(0);
      // the caliper bites on some cases; without one every focal unit is matched (with replacement)
      if (spec.caliper !== null) expect(unmatched).toBeGreaterThan(0);
      else if (spec.replace) expect(unmatched).toBe(0);
    });
  }
});

describe('the matching estimate', () => {
  it('is the mean over treated of Y − mean of the matches, with the Abadie–Imbens variance (hand-worked case)', () => {
    // treated at scores 0 and 1; controls at 0.1, 0.9, 3 (far). 1:1 with replacement: 0 → 0.1, 1 → 0.9.
    const lp = Float64Array.of(0, 1, 0.1, 0.9, 3);
    const t = Uint8Array.of(1, 1, 0, 0, 0);
    const y = Float64Array.of(5, 9, 2, 4, 100);
    const m = matchNearest(lp, t, { estimand: 'att', ratio: 1, replace: true, caliper: null });
    const est = matchingEstimate(m, lp, t, y);
    expect(est.estimate).toBeCloseTo((5 - 2 + (9 - 4)) / 2, 12);
    // each control used once: K(K − 1) = 0, so V = Σ (d − τ)² / N² = ((3 − 4)² + (5 − 4)²) / 4
    expect(est.se).toBeCloseTo(Math.sqrt(2 / 4), 12);
    expect(Array.from(est.weights)).toEqual([1, 1, 1, 1, 0]);
  });

  it('counts a control used twice in the variance (K(K − 1)/M² σ²)', () => {
    // both treated match control 2 (score 0.5); σ² of control 2 from its J = 2 nearest controls (3 and 4)
    const lp = Float64Array.of(0.4, 0.6, 0.5, 2, 2.5);
    const t = Uint8Array.of(1, 1, 0, 0, 0);
    const y = Float64Array.of(6, 8, 4, 1, 5);
    const m = matchNearest(lp, t, { estimand: 'att', ratio: 1, replace: true, caliper: null });
    const est = matchingEstimate(m, lp, t, y);
    const tau = (6 - 4 + (8 - 4)) / 2;
    const ss = (2 - tau) ** 2 + (4 - tau) ** 2;
    const sigma2 = (2 / 3) * (4 - (1 + 5) / 2) ** 2;
    expect(sigma2).toBeGreaterThan(0);
    expect(est.estimate).toBeCloseTo(tau, 12);
    expect(est.se).toBeCloseTo(Math.sqrt((ss + 2 * 1 * sigma2) / 4), 12);
  });

  it('uses the matched-sets variance without replacement', () => {
    const lp = Float64Array.of(0, 1, 2, 0.1, 0.9, 2.2, 5);
    const t = Uint8Array.of(1, 1, 1, 0, 0, 0, 0);
    const y = Float64Array.of(5, 7, 12, 1, 4, 6, 0);
    const m = matchNearest(lp, t, { estimand: 'att', ratio: 1, replace: false, caliper: null });
    const est = matchingEstimate(m, lp, t, y);
    const d = [4, 3, 6];
    const tau = 13 / 3;
    expect(est.estimate).toBeCloseTo(tau, 12);
    expect(est.se).toBeCloseTo(Math.sqrt(d.reduce((s, v) => s + (v - tau) ** 2, 0) / (3 * 2)), 12);
    expect(est.variance).toBe('matched-sets');
  });

});
