/**
 * Framing effects with author fixed effects (src/analysis/content/framing-effects.ts): a hand-solved case, agreement
 * with an ordinary Poisson GLM with one dummy per author (fitted here by IRLS, independently), the score of the
 * shared-audience weight at zero, and simulations with planted truth (fixed seeds): famous authors post more pitches,
 * counts are overdispersed; 90% intervals cover the planted multipliers in ≥ 85% of 200 replications while the naive
 * pooled comparison without author effects misses them.
 */
import { describe, expect, it } from 'vitest';
import { fitConditionalPoisson, framingEffects, type ConditionalPoissonData, type FramingPost } from '../../../src/analysis/content/framing-effects.js';
import type { Framing } from '../../../src/analysis/content/framing.js';
import { Rng } from '../../../src/domain/index.js';
import { errorCode } from '../../support/errors.js';

const LEVELS: Framing[] = ['pitch', 'endorsement', 'bare_link', 'other'];

function dataOf(posts: { g: number; f: number; y: number; e?: number; r?: number }[], nGroups: number): ConditionalPoissonData {
  return {
    nGroups,
    nLevels: 4,
    group: Int32Array.from(posts, (p) => p.g),
    level: Int32Array.from(posts, (p) => p.f),
    y: Float64Array.from(posts, (p) => p.y),
    logExposure: Float64Array.from(posts, (p) => Math.log(p.e ?? 1)),
    ...(posts.some((p) => p.r !== undefined) ? { sharedRatio: Float64Array.from(posts, (p) => p.r ?? 0) } : {}),
  };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is n×n, row-major arrays). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/** An ordinary Poisson GLM with a dummy per group and per non-reference level, by IRLS: the level coefficients. */
function dummyPoissonGlm(posts: { g: number; f: number; y: number; e: number }[], nGroups: number, levels: number[]): number[] {
  const P = nGroups + levels.length;
  const x = posts.map((p) => {
    const row = new Array<number>(P).fill(0);
    row[p.g] = 1;
    const k = levels.indexOf(p.f);
    if (k >= 0) row[nGroups + k] = 1;
    return row;
  });
  let b = new Array<number>(P).fill(0);
  for (let it = 0; it < 100; it++) {
    const XtWX = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    const XtWz = new Array<number>(P).fill(0);
    posts.forEach((p, i) => {
      const eta = x[i]!.reduce((s, v, j) => s + v * b[j]!, 0);
      const mu = p.e * Math.exp(eta);
      const z = eta + (p.y - mu) / mu;
      for (let a = 0; a < P; a++) {
        if (x[i]![a] === 0) continue;
        XtWz[a]! += mu * z;
        for (let c = 0; c < P; c++) XtWX[a]![c]! += mu * x[i]![c]!;
      }
    });
    const next = solve(XtWX, XtWz);
    const change = Math.max(...next.map((v, j) => Math.abs(v - b[j]!)));
    b = next;
    if (change < 1e-12) break;
  }
  return b.slice(nGroups);
}

describe('known answers', () => {
  it('hand-solved: two authors, pitch and endorsement → 7/3 with the sandwich and Poisson standard errors', () => {
    // Author 0: pitch 2, endorsement 4; author 1: pitch 1, endorsement 3. Each author's total splits binomially with
    // π = e^β/(1+e^β); Σ endorsement = π Σ totals → π = 7/10, e^β = 7/3. Information A = Σ Y π(1−π) = 2.1; scores
    // 4 − 6·0.7 = −0.2 and 3 − 4·0.7 = 0.2, so B = 0.08 and the robust variance is 0.08/2.1² × 2/(2−1).
    // Author 2 (pitch only) and author 3 (no counts) carry no within-author information.
    const fit = fitConditionalPoisson(
      dataOf([
        { g: 0, f: 0, y: 2 }, { g: 0, f: 1, y: 4 },
        { g: 1, f: 0, y: 1 }, { g: 1, f: 1, y: 3 },
        { g: 2, f: 0, y: 100 }, { g: 2, f: 0, y: 50 },
        { g: 3, f: 0, y: 0 }, { g: 3, f: 1, y: 0 },
      ], 4),
      0,
    );
    expect(fit.converged).toBe(true);
    expect(fit.groupsUsed).toBe(2);
    expect(Math.exp(fit.beta[1]!)).toBeCloseTo(7 / 3, 10);
    expect(fit.sandwichSe[1]!).toBeCloseTo(Math.sqrt((0.08 / (2.1 * 2.1)) * 2), 10);
    // One-step leave-one-author-out: without author 0 the information is 2.1 − 6·0.21 = 0.84 and the step −0.2/0.84;
    // without author 1, 2.1 − 4·0.21 = 1.26 and 0.2/1.26; jackknife variance (G−1)/G Σ (step − mean)².
    const steps = [-0.2 / 0.84, 0.2 / 1.26];
    const m = (steps[0]! + steps[1]!) / 2;
    expect(fit.robustSe[1]!).toBeCloseTo(Math.sqrt(0.5 * ((steps[0]! - m) ** 2 + (steps[1]! - m) ** 2)), 10);
    expect(fit.modelSe[1]!).toBeCloseTo(Math.sqrt(1 / 2.1), 10);
    expect(Array.from(fit.estimable)).toEqual([0, 1, 0, 0]);
    expect(Array.from(fit.postsUsed)).toEqual([2, 2, 0, 0]);
  });

  it('equals an ordinary Poisson GLM with one dummy per author (the fixed effects profiled out exactly)', () => {
    const rng = new Rng(8);
    const posts: { g: number; f: number; y: number; e: number }[] = [];
    for (let g = 0; g < 7; g++) {
      const n = 3 + rng.int(4);
      for (let j = 0; j < n; j++) {
        const f = j < 2 ? j : rng.int(3);
        const e = 0.5 + 3 * rng.uniform();
        posts.push({ g, f, y: rng.poisson(e * Math.exp(0.5 * g - 1 + [0, 0.4, -0.3][f]!)), e });
      }
      posts.push({ g, f: 0, y: 3, e: 1 }); // every author has a count
    }
    const fit = fitConditionalPoisson(dataOf(posts, 7), 0);
    const glm = dummyPoissonGlm(posts, 7, [1, 2]);
    expect(fit.beta[1]!).toBeCloseTo(glm[0]!, 8);
    expect(fit.beta[2]!).toBeCloseTo(glm[1]!, 8);
  });

  it('with a shared audience, the full Poisson likelihood is flat at the fit (finite differences)', () => {
    const rng = new Rng(12);
    const posts: { g: number; f: number; y: number; e: number; r: number }[] = [];
    for (let g = 0; g < 30; g++) {
      for (let j = 0; j < 6; j++) {
        const f = rng.int(3), e = 1, r = rng.uniform() < 0.4 ? Math.exp(rng.normal(0, 1.5)) : 0;
        posts.push({ g, f, e, r, y: rng.poisson(Math.exp(1 + 0.3 * g / 10 + [0, 0.2, -0.2][f]!) * (1 + 0.3 * r)) });
      }
    }
    const fit = fitConditionalPoisson(dataOf(posts, 30), 0);
    expect(fit.converged).toBe(true);
    // The full log-likelihood with each author's α at its closed form, as a function of (β1, β2, log w).
    const full = (b1: number, b2: number, lw: number): number => {
      const rate = posts.map((p) => p.e * Math.exp([0, b1, b2][p.f]!) * (1 + Math.exp(lw) * p.r));
      let ll = 0;
      for (let g = 0; g < 30; g++) {
        let Y = 0, R = 0;
        posts.forEach((p, i) => p.g === g && ((Y += p.y), (R += rate[i]!)));
        const alpha = Y > 0 ? Math.log(Y / R) : -Infinity;
        posts.forEach((p, i) => {
          if (p.g !== g || Y === 0) return;
          const mu = Math.exp(alpha) * rate[i]!;
          ll += p.y * Math.log(mu) - mu;
        });
      }
      return ll;
    };
    const at = [fit.beta[1]!, fit.beta[2]!, fit.logWeight];
    const h = 1e-5;
    for (let k = 0; k < 3; k++) {
      const up = [...at], down = [...at];
      up[k]! += h;
      down[k]! -= h;
      const slope = (full(up[0]!, up[1]!, up[2]!) - full(down[0]!, down[1]!, down[2]!)) / (2 * h);
      expect(Math.abs(slope), `coordinate ${k}`).toBeLessThan(1e-4);
    }
    expect(Math.exp(fit.logWeight)).toBeGreaterThan(0.1);
    expect(Math.exp(fit.logWeight)).toBeLessThan(0.9);
  });
});

/** A simulated set of posts: fame drives both the author's counts and the share of pitches. */
function simulatePosts(rng: Rng, authors: number, planted: { clicks: number[]; conversions: number[] }, sharedWeight?: number): FramingPost[] {
  const posts: FramingPost[] = [];
  for (let a = 0; a < authors; a++) {
    const fame = rng.normal();
    const pPitch = 1 / (1 + Math.exp(-1.5 * fame)); // famous authors post mostly pitches
    const n = 2 + rng.poisson(4);
    const followers = Math.exp(6 + 1.5 * fame);
    for (let j = 0; j < n; j++) {
      const u = rng.uniform();
      const f = u < pPitch ? 0 : u < pPitch + (1 - pPitch) * 0.4 ? 1 : u < pPitch + (1 - pPitch) * 0.75 ? 2 : 3;
      const noise = rng.gamma(2, 2); // overdispersion: mean 1, CV 0.71
      const shared = sharedWeight !== undefined && rng.uniform() < 0.3 ? followers * Math.exp(rng.normal(0, 1.5)) : 0;
      const audience = sharedWeight !== undefined ? (followers + sharedWeight * shared) / followers : 1;
      const clickRate = Math.exp(1 + 1.2 * fame) * planted.clicks[f]! * noise * audience;
      const clicks = rng.poisson(clickRate);
      const conversions = rng.poisson(Math.exp(0.8 * fame) * planted.conversions[f]! * noise * audience);
      posts.push({ author: `a${a}`, framing: LEVELS[f]!, clicks, conversions, ...(sharedWeight !== undefined ? { exposure: followers, shared } : {}) });
    }
  }
  return posts;
}

describe('planted truth (200 replications, 90% intervals)', () => {
  const planted = { clicks: [1, 1.2, 0.8, 1.5], conversions: [1, 3, 1.5, 1] };

  it('intervals cover the planted multipliers in ≥ 85% of replications; the naive pooled comparison is biased', () => {
    // 200 replications rather than 100: the coverage of each of the six multipliers is then known to ±2% (over 1,000
    // replications it is 0.88–0.90), so the ≥ 85% bound tests calibration, not luck.
    const rng = new Rng(2024);
    const reps = 200;
    const covered: Record<string, number> = {};
    const naiveCovered: Record<string, number> = {};
    const naiveMean: Record<string, number> = {};
    const estimateMean: Record<string, number> = {};
    for (let r = 0; r < reps; r++) {
      const posts = simulatePosts(rng, 80, planted);
      const res = framingEffects(posts);
      expect(res.fits.every((f) => f.converged)).toBe(true);
      for (const e of res.effects) {
        if (e.framing === 'pitch') continue;
        const key = `${e.outcome} ${e.framing}`;
        const truth = planted[e.outcome][LEVELS.indexOf(e.framing)]!;
        if (e.lower <= truth && truth <= e.upper) covered[key] = (covered[key] ?? 0) + 1;
        estimateMean[key] = (estimateMean[key] ?? 0) + Math.log(e.effect) / reps;
        naiveMean[key] = (naiveMean[key] ?? 0) + Math.log(e.pooled) / reps;
        // The naive analyst: one Poisson rate per framing, no authors, model-based interval.
        const k = LEVELS.indexOf(e.framing);
        const naive = fitConditionalPoisson(
          {
            nGroups: 1,
            nLevels: 4,
            group: new Int32Array(posts.length),
            level: Int32Array.from(posts, (p) => LEVELS.indexOf(p.framing)),
            y: Float64Array.from(posts, (p) => p[e.outcome]),
            logExposure: new Float64Array(posts.length),
          },
          0,
        );
        const lo = Math.exp(naive.beta[k]! - 1.6448536269514722 * naive.modelSe[k]!), hi = Math.exp(naive.beta[k]! + 1.6448536269514722 * naive.modelSe[k]!);
        expect(Math.exp(naive.beta[k]!)).toBeCloseTo(e.pooled, 8);
        if (lo <= truth && truth <= hi) naiveCovered[key] = (naiveCovered[key] ?? 0) + 1;
      }
    }
    for (const key of Object.keys(estimateMean).sort()) {
      const [outcome, framing] = key.split(' ') as ['clicks' | 'conversions', Framing];
      const truth = planted[outcome][LEVELS.indexOf(framing)]!;
      console.log(
        `${key}: planted ${truth}; within-author 90% coverage ${covered[key] ?? 0}/${reps}, geometric mean ${Math.exp(estimateMean[key]!).toFixed(3)}; ` +
          `naive pooled geometric mean ${Math.exp(naiveMean[key]!).toFixed(3)}, naive interval coverage ${naiveCovered[key] ?? 0}/${reps}`,
      );
      expect((covered[key] ?? 0) / reps, key).toBeGreaterThanOrEqual(0.85);
      expect(Math.abs(estimateMean[key]! - Math.log(truth)), key).toBeLessThan(0.05);
      // fame passes for framing in the naive comparison: far from the truth, and its interval misses it
      expect(Math.abs(naiveMean[key]! - Math.log(truth)), key).toBeGreaterThan(0.3);
      expect((naiveCovered[key] ?? 0) / reps, key).toBeLessThanOrEqual(0.1);
    }
  });

  it('with posts reposted to big audiences, the shared weight is estimated and the intervals still cover', () => {
    const rng = new Rng(77);
    const reps = 100, w = 0.25;
    const covered: Record<string, number> = {};
    let weightCovered = 0, weightLog = 0;
    for (let r = 0; r < reps; r++) {
      const res = framingEffects(simulatePosts(rng, 80, planted, w));
      for (const e of res.effects) {
        if (e.framing === 'pitch' || e.outcome !== 'clicks') continue;
        const truth = planted.clicks[LEVELS.indexOf(e.framing)]!;
        if (e.lower <= truth && truth <= e.upper) covered[e.framing] = (covered[e.framing] ?? 0) + 1;
      }
      const sw = res.fits.find((f) => f.outcome === 'clicks')!.shared_weight!;
      if (sw.lower <= w && w <= sw.upper) weightCovered++;
      weightLog += Math.log(sw.estimate) / reps;
    }
    console.log(`shared audience: click coverage ${JSON.stringify(covered)}/${reps}; weight ${w}: geometric mean ${Math.exp(weightLog).toFixed(3)}, coverage ${weightCovered}/${reps}`);
    for (const f of ['endorsement', 'bare_link', 'other']) expect(covered[f] ?? 0, f).toBeGreaterThanOrEqual(85);
    // log w is estimated with a small downward bias (−0.05 against a standard error of 0.38 over 300 replications,
    // coverage 0.88 there), so its interval is held to a looser bound than the framing multipliers'.
    expect(weightCovered).toBeGreaterThanOrEqual(80);
  });
});

describe('degenerate input', () => {
  const post = (author: string, framing: Framing, clicks: number, conversions = 0): FramingPost => ({ author, framing, clicks, conversions });

  it('without pitches there is nothing to compare with: a warning, no effects', () => {
    const r = framingEffects([post('a', 'endorsement', 3), post('a', 'bare_link', 2)]);
    expect(r.effects).toEqual([]);
    expect(r.warnings[0]).toMatch(/no pitch posts/);
  });

  it('a framing only single-framing authors use cannot be estimated', () => {
    const r = framingEffects([post('a', 'pitch', 3), post('a', 'endorsement', 5), post('b', 'pitch', 4), post('b', 'endorsement', 6), post('c', 'bare_link', 9), post('c', 'bare_link', 1)]);
    expect(r.effects.filter((e) => e.outcome === 'clicks').map((e) => e.framing)).toEqual(['pitch', 'endorsement']);
    expect(r.fits[0]).toMatchObject({ outcome: 'clicks', authors_used: 2, posts_used: 4, not_estimable: ['bare_link'] });
    expect(r.warnings.some((w) => w.includes('bare_link'))).toBe(true);
  });

  it('no posts: a warning and empty results', () => {
    const r = framingEffects([]);
    expect(r.effects).toEqual([]);
    expect(r.conversion_rates).toEqual([]);
    expect(r.warnings).toEqual(['no posts: nothing to estimate']);
  });

  it('rejects bad counts, exposures and options with typed errors', () => {
    const code = errorCode;
    expect(code(() => framingEffects([post('a', 'pitch', -1)]))).toBe('input');
    expect(code(() => framingEffects([{ ...post('a', 'pitch', 1), exposure: 0 }]))).toBe('input');
    expect(code(() => framingEffects([post('a', 'shout' as Framing, 1)]))).toBe('input');
    expect(code(() => framingEffects([], { level: 1 }))).toBe('bad_option');
    expect(code(() => framingEffects([], { colour: 'red' } as never))).toBe('bad_option');
  });
});
