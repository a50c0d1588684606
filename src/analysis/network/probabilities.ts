/**
 * Edge influence probabilities learned from cascades, on the influence graph (edge u → v when v follows u; the
 * edges are those of reverseGraph(follows), so the result is aligned with that graph's outTargets and with
 * follows.inSources).
 *
 * - Bernoulli (Goyal, Bonchi, Lakshmanan 2010, static model): p(u→v) = A(u→v) / A(u), where A(u) counts the items
 *   u was active in and A(u→v) the items v adopted after u (strictly later, within `window` ms when given) while
 *   following u. Full credit by default (every earlier adopting followee of v gets 1); `credit: 'partial'` splits 1
 *   among them (1/d each), as in Goyal's partial-credit variant.
 * - Jaccard (same paper): p(u→v) = A(u→v) / A(u ∪ v), A(u ∪ v) the items u or v was active in.
 * - EM for the independent cascade (Saito, Nakano, Kimura 2008), in continuous time: for each adoption of v, its
 *   candidate parents are its followees active strictly earlier (within `window`); a trial of u → v fails when u was
 *   active and v never adopted (or adopted after the window). E-step: each candidate gets responsibility
 *   p(u→v) / (1 − Π_{w ∈ candidates}(1 − p(w→v))); M-step: p(u→v) = Σ responsibilities / (successful + failed
 *   trials). Seeded uniform initial values; iterate until an iteration raises the log-likelihood by less than
 *   tol × |log-likelihood|. (Parameters keep drifting long after that where the likelihood is flat — edges whose
 *   maximum sits at 0 or 1 — so a parameter-change rule would rarely stop; the result says whether tol was met.)
 * Roots (post authors) are active from the post's time, so they can be parents; adoptions with no candidate parent are
 * left to outside causes.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { Adoptions } from './adoptions.js';
import { activeSets } from './contagion-tests.js';
import { inToOutIndex } from './edge-index.js';
import type { Graph } from './graph.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of learnProbabilities. */
export interface ProbabilityOptions {
  method?: 'bernoulli' | 'jaccard' | 'em';
  /** Longest delay, ms, for a follower's adoption to count as propagated (default: no limit). */
  window?: number;
  /** Bernoulli/Jaccard credit: 'full' (default) or 'partial' (1/d among d candidate parents). */
  credit?: 'full' | 'partial';
  /** EM: seed of the initial values (default 1), relative log-likelihood tolerance (1e-9) and iteration cap (1000). */
  seed?: number;
  tol?: number;
  maxIter?: number;
}

/** Learned probabilities aligned with the influence graph's edges (follows.inSources order). */
export interface LearnedProbabilities {
  method: 'bernoulli' | 'jaccard' | 'em';
  /** p of each edge (0 without trials). */
  p: Float64Array;
  /** Trials of each edge: A(u) (Bernoulli), A(u ∪ v) (Jaccard), successes + failures (EM). */
  trials: Float64Array;
  /** EM only: iterations run and whether the log-likelihood tolerance was met. */
  iterations: number;
  converged: boolean;
}

/** The defaults of learnProbabilities (window: no limit). */
export const PROBABILITY_DEFAULTS = { method: 'em', window: Infinity, credit: 'full', seed: 1, tol: 1e-9, maxIter: 1000 } as const;

const probabilitySchema = z
  .object({
    method: z.enum(['bernoulli', 'jaccard', 'em']).default(PROBABILITY_DEFAULTS.method),
    window: z.union([z.number().gt(0), z.literal(Infinity)]).default(PROBABILITY_DEFAULTS.window),
    credit: z.enum(['full', 'partial']).default(PROBABILITY_DEFAULTS.credit),
    seed: O.seed().default(PROBABILITY_DEFAULTS.seed),
    tol: z.number().gt(0).default(PROBABILITY_DEFAULTS.tol),
    maxIter: O.positiveInt().default(PROBABILITY_DEFAULTS.maxIter),
  })
  .strict();

/** Learns per-edge influence probabilities from adoptions over a follow graph (edges follower → followee). */
export function learnProbabilities(a: Adoptions, follows: Graph, options: ProbabilityOptions = {}): LearnedProbabilities {
  const o = resolveOptions('probabilities', probabilitySchema, options);
  const { method, window } = o;
  const partial = o.credit === 'partial';
  const n = follows.n, m = follows.m;
  const s = activeSets(a);
  const inToOut = inToOutIndex(follows);
  const outToIn = new Int32Array(m);
  for (let e = 0; e < m; e++) outToIn[inToOut[e]!] = e;

  const activeItems = new Float64Array(n); // A(u)
  const pos = new Float64Array(m); // A(u→v): v adopted after u within the window
  const credit = new Float64Array(m); // the same with partial credit
  const neg = new Float64Array(m); // failed trials (EM)
  const both = new Float64Array(m); // items where u and v were both active
  const stamp = new Int32Array(n).fill(-1);
  const time = new Float64Array(n);
  const evOff: number[] = [0];
  const evEdges: number[] = [];
  const items = s.offsets.length - 1;
  for (let i = 0; i < items; i++) {
    const lo = s.offsets[i]!, hi = s.offsets[i + 1]!;
    for (let j = lo; j < hi; j++) {
      stamp[s.nodes[j]!] = i;
      time[s.nodes[j]!] = s.times[j]!;
      activeItems[s.nodes[j]!]!++;
    }
    for (let j = lo; j < hi; j++) {
      const u = s.nodes[j]!, tu = s.times[j]!;
      // Trials from u to each follower.
      for (let e = follows.inOffsets[u]!; e < follows.inOffsets[u + 1]!; e++) {
        const v = follows.inSources[e]!;
        if (stamp[v] !== i) { neg[e]!++; continue; }
        both[e]!++;
        const tv = time[v]!;
        if (tv > tu && tv - tu > window) neg[e]!++;
      }
      // Candidate parents of u's own adoption.
      const start = evEdges.length;
      for (let eo = follows.outOffsets[u]!; eo < follows.outOffsets[u + 1]!; eo++) {
        const w = follows.outTargets[eo]!;
        if (stamp[w] !== i) continue;
        const tw = time[w]!;
        if (tw < tu && tu - tw <= window) evEdges.push(outToIn[eo]!);
      }
      const d = evEdges.length - start;
      if (d > 0) {
        for (let q = start; q < evEdges.length; q++) {
          pos[evEdges[q]!]!++;
          credit[evEdges[q]!]! += 1 / d;
        }
        evOff.push(evEdges.length);
      }
    }
  }

  const p = new Float64Array(m);
  const trials = new Float64Array(m);
  // Source u of in-edge e of follows is the followee whose in-list holds e.
  const src = new Int32Array(m);
  for (let u = 0; u < n; u++) for (let e = follows.inOffsets[u]!; e < follows.inOffsets[u + 1]!; e++) src[e] = u;
  if (method === 'bernoulli' || method === 'jaccard') {
    const num = partial ? credit : pos;
    for (let e = 0; e < m; e++) {
      const u = src[e]!, v = follows.inSources[e]!;
      const t = method === 'bernoulli' ? activeItems[u]! : activeItems[u]! + activeItems[v]! - both[e]!;
      trials[e] = t;
      p[e] = t > 0 ? num[e]! / t : 0;
    }
    return { method, p, trials, iterations: 0, converged: true };
  }

  const rng = new Rng(o.seed);
  const { tol, maxIter } = o;
  for (let e = 0; e < m; e++) {
    trials[e] = pos[e]! + neg[e]!;
    p[e] = pos[e]! > 0 ? 0.05 + 0.9 * rng.uniform() : 0;
  }
  const ev = Int32Array.from(evEdges);
  const off = Int32Array.from(evOff);
  const acc = new Float64Array(m);
  let iterations = 0, converged = false;
  let prevLL = -Infinity;
  while (iterations < maxIter) {
    iterations++;
    acc.fill(0);
    // E-step, and the log-likelihood of the current p: Σ log P(v activated | candidates) + Σ failures · log(1 − p).
    let ll = 0;
    for (let k = 0; k + 1 < off.length; k++) {
      let none = 1;
      for (let q = off[k]!; q < off[k + 1]!; q++) none *= 1 - p[ev[q]!]!;
      const P = 1 - none;
      if (P <= 0) continue;
      ll += Math.log(P);
      for (let q = off[k]!; q < off[k + 1]!; q++) acc[ev[q]!]! += p[ev[q]!]! / P;
    }
    for (let e = 0; e < m; e++) if (neg[e]! > 0 && p[e]! > 0) ll += neg[e]! * Math.log1p(-p[e]!);
    if (ll - prevLL <= tol * Math.abs(ll)) {
      converged = true;
      break;
    }
    prevLL = ll;
    for (let e = 0; e < m; e++) if (pos[e]! > 0) p[e] = Math.min(1, acc[e]! / trials[e]!);
  }
  return { method, p, trials, iterations, converged };
}
