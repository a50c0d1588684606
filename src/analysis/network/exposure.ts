/**
 * Exposure curves p(k) (Romero, Meeder, Kleinberg 2011): "monkey see, monkey do". For an item and an account, the
 * account is k-exposed once k of its followees have adopted the item; p(k) is the share of accounts that adopted
 * while exactly k-exposed (after their k-th exposure, before the (k+1)-th) among all accounts ever k-exposed. Each
 * account counts once per k per item, as Romero et al. do; items pool into one curve. The root of a post (its author)
 * is active from the post's time and exposes its followers but is never itself counted.
 *
 * Stickiness is the curve's maximum and persistence F = (area under the curve) / (area of the rectangle of height
 * max p and width K), both over k = 1..K, K the largest k with at least `minExposed` exposed accounts (Romero et al.
 * 2011, §4, with unit-width bars).
 */
import { CloutError } from '../../domain/index.js';
import { activeOf, maxActive, type Adoptions } from './adoptions.js';
import type { Graph } from './graph.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';
import { wilsonInterval } from '../stats/proportion.js';

/** One point of the curve, with its Wilson 95% interval. */
export interface ExposurePoint {
  k: number;
  exposed: number;
  adopted: number;
  p: number;
  lower: number;
  upper: number;
}

/** An exposure curve with its summaries. */
export interface ExposureCurve {
  curve: ExposurePoint[];
  stickiness: number;
  persistence: number;
  /** K: the last k that enters stickiness and persistence. */
  k_max: number;
  /** Adoptions with no earlier adopting followee (k = 0): not on the curve. */
  unexposed_adoptions: number;
}

/** Options of exposureCurve. */
export interface ExposureOptions {
  /** Points with fewer exposed accounts are left off the summaries (default 10). */
  minExposed?: number;
  /** Longest k reported (default 50; larger exposures pool into nothing — they are dropped). */
  maxK?: number;
}

/** Wilson score interval for x successes in n trials at z (default 1.96, 95%). */
export function wilson(x: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const w = wilsonInterval(x, n, z);
  return [w.lower, w.upper];
}

/** Counts, per k, accounts ever k-exposed and accounts that adopted at exactly k; `follows` has edges follower → followee. */
export function exposureCounts(a: Adoptions, follows: Graph, maxK = 50): { exposed: Float64Array; adopted: Float64Array; unexposed: number } {
  const n = follows.n;
  const exposedTail = new Float64Array(maxK + 2);
  const adopted = new Float64Array(maxK + 1);
  const count = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const adoptT = new Float64Array(n);
  const state = new Uint8Array(n); // 0 untouched, 1 exposed, 2 active
  const touched = new Int32Array(n);
  const cap = maxActive(a);
  const nodes = new Int32Array(cap);
  const times = new Float64Array(cap);
  const { inOffsets, inSources } = follows;
  let unexposed = 0;
  for (let i = 0; i < a.items; i++) {
    const c = activeOf(a, i, nodes, times);
    const hasRoot = a.root[i]! >= 0;
    for (let j = 0; j < c; j++) {
      const v = nodes[j]!;
      stamp[v] = i;
      adoptT[v] = times[j]!;
      state[v] = 0;
      count[v] = 0;
    }
    let nt = 0;
    // Walk active nodes in time order, one group of equal times at a time: first read each one's exposure at its
    // adoption (exposures strictly earlier), then let the group expose its followers.
    for (let g0 = 0; g0 < c; ) {
      let g1 = g0 + 1;
      while (g1 < c && times[g1] === times[g0]) g1++;
      for (let j = g0; j < g1; j++) {
        const v = nodes[j]!;
        if (j === 0 && hasRoot) {
          state[v] = 2;
          continue;
        }
        const k = count[v]!;
        if (k === 0) unexposed++;
        else if (k <= maxK) adopted[k]!++;
        if (k > 0) exposedTail[Math.min(k, maxK + 1)]!++;
        state[v] = 2;
      }
      for (let j = g0; j < g1; j++) {
        const u = nodes[j]!;
        for (let e = inOffsets[u]!; e < inOffsets[u + 1]!; e++) {
          const v = inSources[e]!;
          if (stamp[v] !== i) {
            stamp[v] = i;
            state[v] = 0;
            count[v] = 0;
            adoptT[v] = Infinity;
          }
          if (state[v] === 2) continue;
          if (state[v] === 0 && adoptT[v] === Infinity) {
            state[v] = 1;
            touched[nt++] = v;
          }
          count[v]!++;
        }
      }
      g0 = g1;
    }
    // Accounts that never adopted were exposed to k = 1..count.
    for (let q = 0; q < nt; q++) {
      const v = touched[q]!;
      exposedTail[Math.min(count[v]!, maxK + 1)]!++;
    }
  }
  // exposedTail[k] = accounts whose final exposure is k; ever k-exposed = Σ_{k' ≥ k}.
  const exposed = new Float64Array(maxK + 1);
  let run = exposedTail[maxK + 1]!;
  for (let k = maxK; k >= 1; k--) {
    run += exposedTail[k]!;
    exposed[k] = run;
  }
  return { exposed, adopted, unexposed };
}

/** The defaults of exposureCurve. */
export const EXPOSURE_DEFAULTS = { minExposed: 10, maxK: 50 } as const;

const exposureSchema = z
  .object({
    minExposed: z.number().min(0).default(EXPOSURE_DEFAULTS.minExposed),
    maxK: O.positiveInt().default(EXPOSURE_DEFAULTS.maxK),
  })
  .strict();

/** The exposure curve p(k) with Wilson intervals, stickiness and persistence. */
export function exposureCurve(a: Adoptions, follows: Graph, options: ExposureOptions = {}): ExposureCurve {
  const { minExposed, maxK } = resolveOptions('exposure curve', exposureSchema, options);
  const { exposed, adopted, unexposed } = exposureCounts(a, follows, maxK);
  const curve: ExposurePoint[] = [];
  for (let k = 1; k <= maxK; k++) {
    const nk = exposed[k]!;
    if (nk === 0) continue;
    const xk = adopted[k]!;
    const [lower, upper] = wilson(xk, nk);
    curve.push({ k, exposed: nk, adopted: xk, p: xk / nk, lower, upper });
  }
  let K = 0;
  for (const pt of curve) if (pt.exposed >= minExposed && pt.k === K + 1) K = pt.k;
  let max = 0, area = 0;
  for (const pt of curve) {
    if (pt.k > K) break;
    area += pt.p;
    if (pt.p > max) max = pt.p;
  }
  return {
    curve,
    stickiness: max,
    persistence: K > 0 && max > 0 ? area / (K * max) : 0,
    k_max: K,
    unexposed_adoptions: unexposed,
  };
}
