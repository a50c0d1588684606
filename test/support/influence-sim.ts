/** Small pieces of the simulated worlds the outcome-model tests plant their truth in. */
import type { OutcomeInfluenceData } from '../../src/analysis/influence/outcome-model.js';
import type { Rng } from '../../src/domain/index.js';

/** A response delay: exponential with this mean, redrawn until it falls within the horizon (the model's kernel). */
export function drawDelay(rng: Rng, meanMs: number, horizonMs: number): number {
  let d = rng.exponential(1 / meanMs);
  while (d > horizonMs) d = rng.exponential(1 / meanMs);
  return d;
}

/** Each author's planted mean effect per post (0 for an author without posts). */
export function meanEffectPerAuthor(nAuthors: number, postAuthor: ArrayLike<number>, beta: ArrayLike<number>): number[] {
  const sum = new Float64Array(nAuthors), n = new Float64Array(nAuthors);
  for (let p = 0; p < postAuthor.length; p++) (sum[postAuthor[p]!]! += beta[p]!), n[postAuthor[p]!]!++;
  return Array.from(sum, (s, a) => (n[a]! > 0 ? s / n[a]! : 0));
}

/**
 * Plants the caused sales: each post p causes Poisson(β_p) sales, each after a delay of the model's kernel (mean
 * `meanMs`, cut at seven days); `onSale(bin, p)` gets those that fall inside the data's bins.
 */
export function forEachCausedSale(
  rng: Rng,
  world: { beta: ArrayLike<number>; postTime: ArrayLike<number>; binMs: number; nBins: number; meanMs: number },
  onSale: (bin: number, post: number) => void,
): void {
  for (let p = 0; p < world.beta.length; p++) {
    for (let i = rng.poisson(world.beta[p]!); i > 0; i--) {
      const b = Math.floor((world.postTime[p]! + drawDelay(rng, world.meanMs, 7 * 86_400_000)) / world.binMs);
      if (b < world.nBins) onSale(b, p);
    }
  }
}

/** Model data from what a simulated world plants: bin 0 starts at 0, a flat baseline covariate, pitch the reference framing. */
export function simulatedData(
  world: Omit<OutcomeInfluenceData, 'startMs' | 'baselineX' | 'framings' | 'referenceFraming'> & { framings?: string[] },
): OutcomeInfluenceData {
  return { startMs: 0, baselineX: new Float64Array(world.nBins).fill(1), referenceFraming: 0, ...world, framings: world.framings ?? ['pitch', 'endorsement', 'bare_link'] };
}

/** One tied entry of a simulation: bin, post (−1 for none), count and the post's share of the bin's evidence. */
export interface SimTied {
  b: number;
  p: number;
  n: number;
  w: number;
}

/** The model's tied-entry columns from a simulation's entries. */
export function tiedColumns(entries: readonly SimTied[]): Pick<OutcomeInfluenceData, 'clickedBin' | 'clickedPost' | 'clickedCount' | 'clickedShare'> {
  return {
    clickedBin: Int32Array.from(entries.map((e) => e.b)),
    clickedPost: Int32Array.from(entries.map((e) => e.p)),
    clickedCount: Float64Array.from(entries.map((e) => e.n)),
    clickedShare: Float64Array.from(entries.map((e) => e.w)),
  };
}

/** Authors with at least `minPosts` posts (eligible) and those whose interval holds their planted effect per post. */
export function authorCoverage(
  authors: readonly { posts: number; lower: number; upper: number }[],
  perPost: ArrayLike<number>,
  minPosts = 5,
): { covered: number; eligible: number } {
  let covered = 0, eligible = 0;
  authors.forEach((s, a) => {
    if (s.posts < minPosts) return;
    eligible++;
    if (s.lower <= perPost[a]! && perPost[a]! <= s.upper) covered++;
  });
  return { covered, eligible };
}
