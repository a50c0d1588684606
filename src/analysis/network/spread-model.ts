/**
 * The diffusion models of "whom to ask" (Kempe, Kleinberg, Tardos 2003) on an influence graph (edge u → v: u can
 * activate v; for a follow graph that is reverseGraph(follows)), with edge parameters aligned with g.outTargets:
 * - independent cascade (IC): each newly active u activates v once with probability p(u→v) — given (e.g. learned)
 *   or, by default, the weighted cascade p(u→v) = 1 / indeg(v);
 * - linear threshold (LT): v activates when the weight of its active in-neighbours reaches a uniform threshold;
 *   weights (the given probabilities, else the graph's edge weights, else 1) are normalised per node to sum to 1.
 */
import { CloutError } from '../../domain/index.js';
import type { Graph } from './graph.js';

/** IC or LT. */
export type DiffusionModel = 'ic' | 'lt';

/** Resolves the per-edge parameter of a model (aligned with g.outTargets), checking given probabilities. */
export function edgeParameters(g: Graph, model: DiffusionModel, probabilities?: Float64Array): Float64Array {
  if (model !== 'ic' && model !== 'lt') throw new CloutError('bad_option', `influence model must be 'ic' or 'lt', got '${String(model)}'`);
  if (probabilities !== undefined) {
    if (probabilities.length !== g.m) throw new CloutError('bad_option', `probabilities has ${probabilities.length} values for ${g.m} edges`);
    for (let e = 0; e < g.m; e++) {
      const p = probabilities[e]!;
      if (!(p >= 0 && p <= 1)) throw new CloutError('bad_option', `probability of edge ${e} is ${p}; need 0 ≤ p ≤ 1`);
    }
  }
  const out = new Float64Array(g.m);
  if (model === 'ic') {
    if (probabilities !== undefined) {
      out.set(probabilities);
      return out;
    }
    for (let u = 0; u < g.n; u++) {
      for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
        const v = g.outTargets[e]!;
        out[e] = 1 / (g.inOffsets[v + 1]! - g.inOffsets[v]!);
      }
    }
    return out;
  }
  const sum = new Float64Array(g.n);
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
      const w = probabilities !== undefined ? probabilities[e]! : g.outWeights !== null ? g.outWeights[e]! : 1;
      out[e] = w;
      sum[g.outTargets[e]!]! += w;
    }
  }
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
      const s = sum[g.outTargets[e]!]!;
      out[e] = s > 0 ? out[e]! / s : 0;
    }
  }
  return out;
}
