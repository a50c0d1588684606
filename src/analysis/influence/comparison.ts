/**
 * The million follower fallacy table (Cha, Haddadi, Benevenuto & Gummadi 2010): how far apart the usual proxies of
 * influence — reach (followers), engagement, PageRank, a Klout-like composite, click-attributed outcomes — rank
 * accounts, and how far each is from the outcome influence the posts caused. Spearman's ρ and the overlap of the
 * top N for every pair of scores.
 */
import { spearman } from '../stats/rank.js';

/** One score per account, aligned across scores. */
export interface NamedScore {
  name: string;
  values: ArrayLike<number>;
}

/** Agreement of two scores. */
export interface ScorePair {
  a: string;
  b: string;
  spearman: number;
  /** Accounts in both top-N lists (ties at the cut broken by account order). */
  top_overlap: number;
}

/** Spearman ρ and top-N overlap for every pair of scores. */
export function compareScores(scores: readonly NamedScore[], topN = 10): ScorePair[] {
  const n = scores[0]?.values.length ?? 0;
  for (const s of scores) if (s.values.length !== n) throw new Error(`score '${s.name}' has ${s.values.length} values, expected ${n}`);
  const tops = scores.map((s) => new Set(topIndices(s.values, topN)));
  const pairs: ScorePair[] = [];
  for (let i = 0; i < scores.length; i++) {
    for (let j = i + 1; j < scores.length; j++) {
      let overlap = 0;
      for (const k of tops[i]!) if (tops[j]!.has(k)) overlap++;
      pairs.push({ a: scores[i]!.name, b: scores[j]!.name, spearman: spearman(scores[i]!.values, scores[j]!.values), top_overlap: overlap });
    }
  }
  return pairs;
}

/** Indices of the N largest values (stable: earlier index first on ties). */
export function topIndices(values: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((x, y) => values[y]! - values[x]! || x - y)
    .slice(0, n);
}

/**
 * A Klout-like popularity composite, for comparison only: the mean of the z-scores of log(1 + followers),
 * log(1 + engagement received per post) and log(PageRank) — reach, attention and network position, with no outcome in it.
 */
export function kloutLike(followers: ArrayLike<number>, engagementPerPost: ArrayLike<number>, pagerank: ArrayLike<number>): Float64Array {
  const n = followers.length;
  const parts = [
    Array.from({ length: n }, (_, i) => Math.log1p(Math.max(0, followers[i]!))),
    Array.from({ length: n }, (_, i) => Math.log1p(Math.max(0, engagementPerPost[i]!))),
    Array.from({ length: n }, (_, i) => Math.log(Math.max(1e-300, pagerank[i]!))),
  ].map(zScores);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (parts[0]![i]! + parts[1]![i]! + parts[2]![i]!) / 3;
  return out;
}

function zScores(xs: number[]): number[] {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return xs.map((x) => (sd > 0 ? (x - mean) / sd : 0));
}
