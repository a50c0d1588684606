/**
 * The outcome-influence model against planted truth. (1) Data simulated from the model itself (baseline, posts with
 * author persuasion × framing × noise, an exponential response kernel, click ids on caused and on baseline outcomes):
 * 90% intervals of each author's mean effect per post cover the planted value for 80–97% of authors with ≥ 5 posts;
 * authors planted at zero are found unlikely to move anything; framing multipliers and the click probabilities are
 * recovered. (2) The synthetic demo world, whose sales come from a different generator (test/influence-world.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { fitOutcomeInfluence, type OutcomeInfluenceData } from '../../../src/analysis/influence/index.js';
import { spearman } from '../../../src/analysis/stats/rank.js';
import { forEachCausedSale, meanEffectPerAuthor, simulatedData, tiedColumns, authorCoverage } from '../../support/influence-sim.js';

const HOUR = 3_600_000, DAY = 24 * HOUR, BIN = 6 * HOUR;

interface Planted {
  data: OutcomeInfluenceData;
  theta: number[];
  perPost: number[];
  phi: number[];
  pi: number;
  omega: number;
}

/** Simulates binned outcomes exactly as the model assumes (organic clicks spread over a day of bins). */
function simulate(seed: number): Planted {
  const rng = new Rng(seed);
  const nb = 90 * 4, na = 60, np = 600, zero = 15;
  const theta = Array.from({ length: na }, (_, a) => (a < zero ? 0 : rng.gamma(1, 1 / 3))); // exponential, mean 3, as the model assumes
  const phi = [1, 4, 2];
  const postTime = new Float64Array(np), postAuthor = new Int32Array(np), postFraming = new Int32Array(np), beta = new Float64Array(np);
  for (let p = 0; p < np; p++) {
    postTime[p] = rng.uniform() * 85 * DAY;
    postAuthor[p] = rng.int(na);
    postFraming[p] = rng.int(3);
    beta[p] = theta[postAuthor[p]!]! * phi[postFraming[p]!]! * rng.gamma(2, 2);
  }
  const mu = 10, pi = 0.6, omega = 0.05;
  // organic clicks: a post's clicks arrive ~4 h after it; intensity at bin b = its clicks over the last day of bins
  const clicks = new Map<number, Float64Array>();
  const perBin = new Float64Array(nb);
  for (let p = 0; p < np; p++) {
    const volume = Math.round(Math.exp(rng.normal(3, 1.5)));
    const row = new Float64Array(nb);
    for (let i = 0; i < volume; i++) {
      const b0 = Math.floor((postTime[p]! + rng.exponential(1 / (4 * HOUR))) / BIN);
      for (let b = b0; b < Math.min(nb, b0 + 4); b++) {
        row[b]!++;
        perBin[b]!++;
      }
    }
    clicks.set(p, row);
  }
  const unclicked = new Float64Array(nb);
  const clicked = new Map<string, number>();
  const add = (b: number, p: number) => clicked.set(`${b},${p}`, (clicked.get(`${b},${p}`) ?? 0) + 1);
  for (let b = 0; b < nb; b++) {
    for (let i = rng.poisson(mu); i > 0; i--) {
      if (perBin[b]! > 0 && rng.uniform() < omega) {
        let u = rng.uniform() * perBin[b]!;
        let chosen = 0;
        for (let p = 0; p < np; p++) {
          u -= clicks.get(p)![b]!;
          if (u <= 0) {
            chosen = p;
            break;
          }
        }
        add(b, chosen);
      } else unclicked[b]!++;
    }
  }
  forEachCausedSale(rng, { beta, postTime, binMs: BIN, nBins: nb, meanMs: DAY }, (b, p) => (rng.uniform() < pi ? add(b, p) : unclicked[b]!++));
  const entries = [...clicked.entries()].map(([k, n]) => {
    const [b, p] = k.split(',').map(Number) as [number, number];
    return { b, p, n, w: perBin[b]! > 0 ? clicks.get(p)![b]! / perBin[b]! : 0 };
  });
  const perPost = meanEffectPerAuthor(theta.length, postAuthor, beta);
  const data = simulatedData({
    binMs: BIN,
    nBins: nb,
    unclicked,
    postTime,
    postAuthor,
    postFraming,
    nAuthors: na,
    ...tiedColumns(entries),
    clickBin: Uint8Array.from(perBin, (c) => (c > 0 ? 1 : 0)),
  });
  return { data, theta, perPost, phi, pi, omega };
}

describe('outcome influence on data simulated from the model', () => {
  // 90% intervals of the global parameters (two framing multipliers, π, ω) over both seeds: 8 intervals, of which a
  // calibrated model misses more than 2 with probability 3.8%
  const globalMisses: string[] = [];
  let globalChecks = 0;
  const check = (name: string, lo: number, hi: number, planted: number) => {
    globalChecks++;
    if (!(lo <= planted && planted <= hi)) globalMisses.push(`${name}: ${planted} outside [${lo.toFixed(3)}, ${hi.toFixed(3)}]`);
  };
  for (const seed of [5, 7]) {
    it(`seed ${seed}: recovers authors, framing and click probabilities with calibrated intervals`, () => {
      const t = simulate(seed);
      const r = fitOutcomeInfluence(t.data, { seed, niter: 800, burn: 200 });
      const { covered, eligible } = authorCoverage(r.authors, t.perPost);
      const rho = spearman(r.authors.map((s) => s.mean), t.theta);
      const zeroOn = r.authors.slice(0, 15).filter((s) => s.posts >= 3 && s.prob_positive > 0.5).length;
      console.log(
        `seed ${seed}: 90% coverage ${covered}/${eligible}, ρ ${rho.toFixed(3)}, zero authors with P(on) > ½: ${zeroOn}; ` +
          r.framing.map((f) => `${f.framing} ${f.mean.toFixed(2)} [${f.lower.toFixed(2)}, ${f.upper.toFixed(2)}]`).join(', ') +
          `; π ${r.click_given_caused.mean.toFixed(3)}, ω ${r.click_given_baseline.mean.toFixed(3)}`,
      );
      expect(covered / eligible).toBeGreaterThanOrEqual(0.8);
      expect(covered / eligible).toBeLessThanOrEqual(0.97 + 1e-9);
      expect(rho).toBeGreaterThanOrEqual(0.85);
      expect(zeroOn).toBeLessThanOrEqual(1);
      for (const f of r.framing.slice(1)) check(`seed ${seed} ${f.framing}`, f.lower, f.upper, t.phi[t.data.framings.indexOf(f.framing)]!);
      check(`seed ${seed} π`, r.click_given_caused.lower, r.click_given_caused.upper, t.pi);
      check(`seed ${seed} ω`, r.click_given_baseline.lower, r.click_given_baseline.upper, t.omega);
      // endorsement (planted 4×) is detected as stronger than pitch
      expect(r.framing.find((f) => f.framing === 'endorsement')!.lower).toBeGreaterThan(1);
    });
  }

  it('keeps the framing multipliers and click probabilities inside their 90% intervals (≤ 2 misses of 8)', () => {
    console.log(`global interval misses: ${globalMisses.length === 0 ? 'none' : globalMisses.join('; ')}`);
    expect(globalChecks).toBe(8); // both seeds ran
    expect(globalMisses.length).toBeLessThanOrEqual(2);
  });

  it('is reproducible: same seed, same draws; another seed, other draws', () => {
    const t = simulate(3);
    const a = fitOutcomeInfluence(t.data, { seed: 9, niter: 60, burn: 10 });
    const b = fitOutcomeInfluence(t.data, { seed: 9, niter: 60, burn: 10 });
    const c = fitOutcomeInfluence(t.data, { seed: 10, niter: 60, burn: 10 });
    expect(b).toEqual(a);
    expect(c.authors[20]!.mean).not.toBe(a.authors[20]!.mean);
  });
});
