/**
 * The outcome model's timing tools against planted truth (issue 16): a known baseline held fixed recovers the effects;
 * the kernel mean τ is learned from tied outcomes (and held without any); each account's share resting on timing alone
 * is 0 when every outcome is tied and 1 when none is; isolated posts are counted as such.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { fitOutcomeInfluence, type OutcomeInfluenceData } from '../../../src/analysis/influence/index.js';
import { isolatedShares } from '../../../src/analysis/influence/model.js';
import { spearman } from '../../../src/analysis/stats/rank.js';
import { forEachCausedSale, meanEffectPerAuthor, simulatedData, tiedColumns, authorCoverage } from '../../support/influence-sim.js';
import { stripTies } from '../../../bench/influence-world.js';

const HOUR = 3_600_000, DAY = 24 * HOUR, BIN = 6 * HOUR;

interface World {
  data: OutcomeInfluenceData;
  /** Planted baseline rate per bin and mean effect per post of each author. */
  mu: Float64Array;
  perPost: number[];
}

/**
 * Binned outcomes as the model assumes: a baseline with a weekly wave, posts with author persuasion × noise, an
 * exponential kernel of mean `tauMs`; a caused outcome carries a click on its post with probability `pi`, a baseline
 * one a click on a random recent post with probability `omega` (1 with `pi` = 1: every outcome tied).
 */
function simulate(seed: number, tauMs: number, pi: number, omega: number): World {
  const rng = new Rng(seed);
  const days = 60, nb = days * 4, na = 40, np = 400;
  const theta = Array.from({ length: na }, (_, a) => (a < 10 ? 0 : rng.gamma(1, 1 / 4)));
  const postTime = new Float64Array(np), postAuthor = new Int32Array(np), beta = new Float64Array(np);
  for (let p = 0; p < np; p++) {
    postTime[p] = rng.uniform() * (days - 5) * DAY;
    postAuthor[p] = rng.int(na);
    beta[p] = theta[postAuthor[p]!]! * rng.gamma(2, 2);
  }
  const mu = Float64Array.from({ length: nb }, (_, b) => 8 * (1 + 0.3 * Math.sin((2 * Math.PI * b) / 28)));
  const unclicked = new Float64Array(nb);
  const clicked = new Map<string, number>();
  const add = (b: number, p: number) => clicked.set(`${b},${p}`, (clicked.get(`${b},${p}`) ?? 0) + 1);
  const recent = (b: number): number => {
    const t = (b + 1) * BIN;
    const xs: number[] = [];
    for (let p = 0; p < np; p++) if (postTime[p]! < t && t - postTime[p]! < 3 * DAY) xs.push(p);
    return xs.length > 0 ? xs[rng.int(xs.length)]! : -1;
  };
  for (let b = 0; b < nb; b++) {
    for (let i = rng.poisson(mu[b]!); i > 0; i--) {
      const p = rng.uniform() < omega ? recent(b) : -1;
      if (p >= 0) add(b, p);
      else if (omega === 1) add(b, rng.int(np)); // every outcome tied, even before the first post
      else unclicked[b]!++;
    }
  }
  forEachCausedSale(rng, { beta, postTime, binMs: BIN, nBins: nb, meanMs: tauMs }, (b, p) => (rng.uniform() < pi ? add(b, p) : unclicked[b]!++));
  const entries = [...clicked.entries()].map(([k, n]) => {
    const [b, p] = k.split(',').map(Number) as [number, number];
    return { b, p, n };
  });
  // a post's share of the bin's clicks: uniform over the posts of the last three days
  const active = (b: number) => {
    let n = 0;
    for (let p = 0; p < np; p++) if (postTime[p]! < (b + 1) * BIN && (b + 1) * BIN - postTime[p]! < 3 * DAY) n++;
    return n;
  };
  const perPost = meanEffectPerAuthor(theta.length, postAuthor, beta);
  const data = simulatedData({
    binMs: BIN,
    nBins: nb,
    unclicked,
    postTime,
    postAuthor,
    postFraming: new Int32Array(np),
    nAuthors: na,
    framings: ['pitch'],
    ...tiedColumns(entries.map((e) => ({ ...e, w: 1 / Math.max(1, active(e.b)) }))),
    clickBin: Uint8Array.from({ length: nb }, (_, b) => (active(b) > 0 ? 1 : 0)),
  });
  return { data, mu, perPost };
}


describe('outcome model: timing tools against planted truth', () => {
  it('holding the planted baseline fixed recovers the effects (covered, ranked)', () => {
    let covered = 0, eligible = 0;
    for (const seed of [1, 2]) {
      const w = simulate(seed, DAY, 0.6, 0.05);
      const r = fitOutcomeInfluence(w.data, { seed, niter: 600, burn: 150, fixedBaseline: w.mu, learnKernel: false });
      expect(r.kernel_mean_hours).toMatchObject({ mean: 24, learned: false });
      const c = authorCoverage(r.authors, w.perPost);
      covered += c.covered;
      eligible += c.eligible;
      expect(r.click_given_caused.lower).toBeLessThanOrEqual(0.6);
      expect(r.click_given_caused.upper).toBeGreaterThanOrEqual(0.6);
      expect(spearman(r.authors.map((a) => a.mean), w.perPost)).toBeGreaterThan(0.8);
    }
    expect(covered / eligible).toBeGreaterThanOrEqual(0.8);
    expect(covered / eligible).toBeLessThanOrEqual(0.99);
  });

  it('refuses a fixed baseline of the wrong length', () => {
    const w = simulate(1, DAY, 0.6, 0.05);
    expect(() => fitOutcomeInfluence(w.data, { niter: 5, burn: 0, fixedBaseline: new Float64Array(3).fill(1) })).toThrow(/fixedBaseline needs 240 positive values/);
  });

  it('learns a planted kernel mean of 12 h from tied outcomes, and holds the given one without ties', () => {
    const w = simulate(3, 12 * HOUR, 0.6, 0.05);
    const r = fitOutcomeInfluence(w.data, { seed: 3, niter: 500, burn: 150 });
    expect(r.kernel_mean_hours.learned).toBe(true);
    expect(r.kernel_mean_hours.lower).toBeLessThanOrEqual(12);
    expect(r.kernel_mean_hours.upper).toBeGreaterThanOrEqual(12);
    expect(r.kernel_mean_hours.mean).toBeGreaterThan(8);
    expect(r.kernel_mean_hours.mean).toBeLessThan(17);
    const held = fitOutcomeInfluence(stripTies(w.data), { seed: 3, niter: 50, burn: 10 });
    expect(held.kernel_mean_hours).toMatchObject({ mean: 24, lower: 24, upper: 24, learned: false });
  });

  it('timing share: 0 for every account when every outcome is tied, 1 when none is', () => {
    const w = simulate(4, DAY, 1, 1);
    expect(w.data.unclicked.every((n) => n === 0)).toBe(true);
    const tied = fitOutcomeInfluence(w.data, { seed: 4, niter: 200, burn: 50 });
    const untied = fitOutcomeInfluence(stripTies(w.data), { seed: 4, niter: 200, burn: 50 });
    for (const a of tied.authors) if (a.posts > 0) expect(a.timing_share).toBe(0);
    for (const a of untied.authors) if (a.posts > 0) expect(a.timing_share).toBe(1);
  });

  it('isolated share: a post with no other account posting within the window stands alone', () => {
    // author 0: one post alone and one beside author 1's; author 1: that post and one beside its own (same author)
    const data = { ...simulate(5, DAY, 0.6, 0.05).data, postTime: Float64Array.from([0, 10 * DAY, 10 * DAY + HOUR, 20 * DAY, 20 * DAY + HOUR]), postAuthor: Int32Array.from([0, 0, 1, 1, 1]), nAuthors: 3 };
    expect(Array.from(isolatedShares(data, DAY))).toEqual([0.5, 2 / 3, 0]);
  });
});
