/**
 * PageRank (Page, Brin, Motwani, Winograd 1999) by power iteration, with networkx's conventions so that answers
 * agree with `networkx.pagerank` to its tolerance:
 * - each node passes its rank along its out-edges in proportion to edge weight (out-strength normalised);
 * - dangling nodes (no out-edges) spread their rank by the dangling vector (default: the personalization vector,
 *   itself uniform by default);
 * - start from the uniform vector; stop when the L1 change between iterations is < n·tol; at most maxIter steps.
 * networkx raises when it does not converge; here the result says `converged: false` and keeps the last iterate.
 * On the follow graph (follower → followee) rank flows to the accounts that are followed.
 */
import { CloutError } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of pagerank (defaults in PAGERANK_DEFAULTS). */
export interface PageRankOptions {
  /** Damping factor α (networkx: 0.85). */
  alpha?: number;
  /** Tolerance per node; stop when Σ|x − x_prev| < n·tol (networkx: 1e-6). */
  tol?: number;
  /** Iteration cap (networkx: 100). */
  maxIter?: number;
  /** Use edge weights when the graph has them (default true). */
  weighted?: boolean;
  /** Teleport distribution over nodes (normalised here); uniform when absent. */
  personalization?: ArrayLike<number>;
  /** Where dangling nodes send their rank (normalised here); the personalization vector when absent. */
  dangling?: ArrayLike<number>;
}

/** The defaults of pagerank. */
export const PAGERANK_DEFAULTS = { alpha: 0.85, tol: 1e-6, maxIter: 100, weighted: true } as const;

/** What pagerank returns. */
export interface PageRankResult {
  /** Rank of each node index; sums to 1. */
  rank: Float64Array;
  iterations: number;
  converged: boolean;
}

const pagerankSchema = z
  .object({
    alpha: z.number().min(0).max(1).default(PAGERANK_DEFAULTS.alpha),
    tol: z.number().gt(0).default(PAGERANK_DEFAULTS.tol),
    maxIter: O.positiveInt().default(PAGERANK_DEFAULTS.maxIter),
    weighted: z.boolean().default(PAGERANK_DEFAULTS.weighted),
    personalization: O.arrayLike().optional(),
    dangling: O.arrayLike().optional(),
  })
  .strict();

function distribution(n: number, v: ArrayLike<number> | undefined, name: string): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined) return out.fill(1 / n);
  if (v.length !== n) throw new CloutError('bad_option', `pagerank: ${name} has ${v.length} entries; the graph has ${n} nodes`);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (!(x >= 0) || !Number.isFinite(x)) throw new CloutError('bad_option', `pagerank: ${name}[${i}] = ${x}; need a finite value ≥ 0`);
    s += x;
  }
  if (!(s > 0)) throw new CloutError('bad_option', `pagerank: ${name} sums to 0`);
  for (let i = 0; i < n; i++) out[i] = v[i]! / s;
  return out;
}

/** PageRank of every node of g (power iteration over in-edges, typed arrays throughout). */
export function pagerank(g: Graph, options: PageRankOptions = {}): PageRankResult {
  const o = resolveOptions('pagerank', pagerankSchema, options);
  const { alpha, tol, maxIter } = o;
  const n = g.n;
  if (n === 0) return { rank: new Float64Array(0), iterations: 0, converged: true };
  const weights = o.weighted ? g.inWeights : null;
  const outW = o.weighted ? g.outWeights : null;
  const p = distribution(n, o.personalization, 'personalization');
  const dw = o.dangling === undefined ? p : distribution(n, o.dangling, 'dangling');

  // Out-strength of each node; its inverse scales the rank it passes on.
  const inv = new Float64Array(n);
  const dangling: number[] = [];
  for (let u = 0; u < n; u++) {
    let s = 0;
    const lo = g.outOffsets[u]!, hi = g.outOffsets[u + 1]!;
    if (outW === null) s = hi - lo;
    else for (let e = lo; e < hi; e++) s += outW[e]!;
    if (s > 0) inv[u] = 1 / s;
    else dangling.push(u);
  }
  const danglingIdx = Int32Array.from(dangling);
  const { inOffsets, inSources } = g;
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n);
  const limit = n * tol;
  for (let it = 1; it <= maxIter; it++) {
    let dmass = 0;
    for (let i = 0; i < danglingIdx.length; i++) dmass += x[danglingIdx[i]!]!;
    for (let u = 0; u < n; u++) share[u] = x[u]! * inv[u]!;
    let err = 0;
    for (let v = 0; v < n; v++) {
      let s = 0;
      const lo = inOffsets[v]!, hi = inOffsets[v + 1]!;
      if (weights === null) for (let e = lo; e < hi; e++) s += share[inSources[e]!]!;
      else for (let e = lo; e < hi; e++) s += share[inSources[e]!]! * weights[e]!;
      const y = alpha * (s + dmass * dw[v]!) + (1 - alpha) * p[v]!;
      next[v] = y;
      err += Math.abs(y - x[v]!);
    }
    const t = x; x = next; next = t;
    if (err < limit) return { rank: x, iterations: it, converged: true };
  }
  return { rank: x, iterations: maxIter, converged: false };
}
