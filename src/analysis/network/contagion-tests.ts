/**
 * Influence or homophily? The social-correlation tests of Anagnostopoulos, Kumar and Mahdian (2008).
 *
 * Model: time is cut into periods of `periodMs` from each item's start; at the start of a period an inactive account
 * with a active followees activates during the period with probability p(a) = e^{α ln(a+1) + β} / (1 + e^{…}). Over
 * all items, Y_a counts activations with a active followees and N_a the (account, period) pairs at risk with a;
 * α is the maximum-likelihood slope of the grouped logistic regression (with a tiny ridge, λ = 1e-6, so a fit on
 * separated data stays finite). Every account of the graph is at risk of every item until it adopts.
 *
 * Shuffle test: permute the adoption times among each item's active accounts (the post's author included), keeping
 * who adopted and the multiset of times, and refit; under no influence (times exchangeable given who adopted) α
 * does not change. Edge-reversal test: refit with edge directions changed. The paper compares α with the fully
 * reversed α (reported as alpha_reversed); for a p-value we compare α with the α of random re-orientations of the
 * one-way edges (mutual edges stay), whose null is that direction carries no information. p-values are
 * (1 + #{α* ≥ α}) / (1 + R).
 */
import { CloutError, Rng } from '../../domain/index.js';
import { activeOf, maxActive, type Adoptions } from './adoptions.js';
import { inToOutIndex, mutualEdges } from './edge-index.js';
import type { Graph } from './graph.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of socialCorrelationTests. */
export interface ContagionTestOptions {
  /** Length of a period, ms (default one hour). */
  periodMs?: number;
  /** Time shuffles (default 200). */
  shuffles?: number;
  /** Random re-orientations for the edge-reversal p-value (default: as many as shuffles). */
  orientations?: number;
  /** Seed of the permutations (default 1). */
  seed?: number;
}

/** The tests' result. */
export interface ContagionTestResult {
  alpha: number;
  beta: number;
  alpha_reversed: number;
  shuffle_p: number;
  reversal_p: number;
  shuffles: number;
  orientations: number;
  /** Mean α over the shuffles and over the re-orientations. */
  alpha_shuffled_mean: number;
  alpha_oriented_mean: number;
}

/** Active accounts of every item (root first) in flat arrays, sorted by time within each item. */
export interface ActiveSets {
  offsets: Int32Array;
  nodes: Int32Array;
  times: Float64Array;
  start: Float64Array;
  end: number;
}

/** Flattens Adoptions into active sets (the root, active at the item's start, is an adopter here). */
export function activeSets(a: Adoptions): ActiveSets {
  const cap = maxActive(a);
  const bn = new Int32Array(cap), bt = new Float64Array(cap);
  let total = 0;
  for (let i = 0; i < a.items; i++) total += a.offsets[i + 1]! - a.offsets[i]! + (a.root[i]! >= 0 ? 1 : 0);
  const offsets = new Int32Array(a.items + 1);
  const nodes = new Int32Array(total), times = new Float64Array(total);
  let m = 0;
  for (let i = 0; i < a.items; i++) {
    offsets[i] = m;
    const c = activeOf(a, i, bn, bt);
    nodes.set(bn.subarray(0, c), m);
    times.set(bt.subarray(0, c), m);
    m += c;
  }
  offsets[a.items] = m;
  return { offsets, nodes, times, start: a.start.slice(), end: a.end };
}

/** Grouped counts: at risk (N) and activations (Y) per number of active friends a. */
export interface RiskCounts {
  atRisk: Float64Array;
  activated: Float64Array;
}

/** Edge orientation used by riskCounts: null = as given; else a flip flag per out-edge of `follows`. */
export interface Orientation {
  flip: Uint8Array;
  /** Out-edge index of each in-edge of `follows`. */
  inToOut: Int32Array;
}

/**
 * Counts N_a and Y_a over all items; `follows` has edges follower → followee, so an active account exposes its
 * followers (in-neighbours). With an orientation, an edge flagged as flipped exposes the other way.
 */
export function riskCounts(s: ActiveSets, follows: Graph, periodMs: number, orientation: Orientation | null = null): RiskCounts {
  const n = follows.n;
  const node = new Int32Array(4 * n);
  for (let v = 0; v < n; v++) node[4 * v] = -1;
  const st: RiskState = {
    atRisk: new Float64Array(n + 1),
    activated: new Float64Array(n + 1),
    node,
    adoptT: new Float64Array(n),
    touched: new Int32Array(n),
    nt: 0,
    segSum: 0,
    ySum: 0,
  };
  const { inOffsets, inSources, outOffsets, outTargets } = follows;
  const flip = orientation?.flip ?? null;
  const inToOut = orientation?.inToOut ?? null;
  const items = s.offsets.length - 1;
  for (let i = 0; i < items; i++) {
    const lo = s.offsets[i]!, hi = s.offsets[i + 1]!;
    const t0 = s.start[i]!;
    const P = Math.max(1, Math.ceil((s.end - t0) / periodMs));
    let inactivePeriods = (n - (hi - lo)) * P;
    for (let j = lo; j < hi; j++) {
      const v = s.nodes[j]!;
      const jv = Math.min(P - 1, Math.floor((s.times[j]! - t0) / periodMs));
      node[4 * v] = i;
      node[4 * v + 1] = jv;
      node[4 * v + 2] = 0;
      st.adoptT[v] = s.times[j]!;
      inactivePeriods += jv + 1;
    }
    st.nt = 0;
    st.segSum = 0;
    st.ySum = 0;
    for (let j = lo; j < hi; j++) {
      const u = s.nodes[j]!;
      const tu = s.times[j]!;
      // First period whose start is strictly after the exposure; none left → nothing to count.
      const jE = Math.floor((tu - t0) / periodMs) + 1;
      if (jE >= P) continue;
      if (flip === null) {
        for (let e = inOffsets[u]!, end = inOffsets[u + 1]!; e < end; e++) expose(st, i, inSources[e]!, tu, jE, P);
      } else {
        for (let e = inOffsets[u]!, end = inOffsets[u + 1]!; e < end; e++) if (flip[inToOut![e]!] === 0) expose(st, i, inSources[e]!, tu, jE, P);
        for (let e = outOffsets[u]!, end = outOffsets[u + 1]!; e < end; e++) if (flip[e] === 1) expose(st, i, outTargets[e]!, tu, jE, P);
      }
    }
    for (let q = 0; q < st.nt; q++) {
      const b = 4 * st.touched[q]!;
      const ja = node[b + 1]!, c = node[b + 2]!, f = node[b + 3]!;
      const len = (ja >= 0 ? ja : P - 1) - f + 1;
      if (len > 0) {
        st.atRisk[c]! += len;
        st.segSum += len;
        if (ja >= f) {
          st.activated[c]!++;
          st.ySum++;
        }
      }
    }
    st.atRisk[0]! += inactivePeriods - st.segSum;
    st.activated[0]! += hi - lo - st.ySum;
  }
  return { atRisk: st.atRisk, activated: st.activated };
}

/** Scratch state of riskCounts (one object, so the hot helper stays monomorphic). */
interface RiskState {
  atRisk: Float64Array;
  activated: Float64Array;
  /** Per node, side by side for locality: item stamp, adoption period (−1 = never), active followees a, and the
   * first period of the current value of a. */
  node: Int32Array;
  adoptT: Float64Array;
  touched: Int32Array;
  nt: number;
  segSum: number;
  ySum: number;
}

/** One exposure of v (at time tu, first affected period jE) in item i: closes v's current segment and opens the next. */
function expose(st: RiskState, i: number, v: number, tu: number, jE: number, P: number): void {
  const node = st.node;
  const b = 4 * v;
  if (node[b] !== i) {
    node[b] = i;
    node[b + 1] = -1;
    node[b + 2] = 0;
    st.adoptT[v] = Infinity;
  } else if (node[b + 1]! >= 0 && st.adoptT[v]! <= tu) return;
  const ja = node[b + 1]!;
  if (jE > (ja >= 0 ? ja : P - 1)) return;
  const c = node[b + 2]!;
  if (c === 0) {
    st.touched[st.nt++] = v;
  } else {
    const f = node[b + 3]!;
    if (jE > f) {
      const len = jE - f;
      st.atRisk[c]! += len;
      st.segSum += len;
      if (ja >= f && ja < jE) {
        st.activated[c]!++;
        st.ySum++;
      }
    }
  }
  node[b + 2] = c + 1;
  node[b + 3] = jE;
}

/** Fits p(a) = logistic(α ln(a+1) + β) to grouped counts by Newton's method with step halving; returns [α, β]. */
export function fitSocialCorrelation(c: RiskCounts, ridge = 1e-6): [number, number] {
  const xs: number[] = [], ns: number[] = [], ys: number[] = [];
  for (let a = 0; a < c.atRisk.length; a++) {
    if (c.atRisk[a]! > 0) {
      xs.push(Math.log(a + 1));
      ns.push(c.atRisk[a]!);
      ys.push(Math.min(c.activated[a]!, c.atRisk[a]!));
    }
  }
  const loglik = (al: number, be: number) => {
    let l = -0.5 * ridge * (al * al + be * be);
    for (let q = 0; q < xs.length; q++) {
      const eta = al * xs[q]! + be;
      // log σ(η) = −log(1+e^{−η}); log(1−σ(η)) = −log(1+e^{η})
      l -= ys[q]! * softplus(-eta) + (ns[q]! - ys[q]!) * softplus(eta);
    }
    return l;
  };
  let al = 0;
  let totalY = 0, totalN = 0;
  for (let q = 0; q < xs.length; q++) { totalY += ys[q]!; totalN += ns[q]!; }
  if (totalN === 0) return [0, 0];
  let be = Math.log((totalY + 0.5) / (totalN - totalY + 0.5));
  let cur = loglik(al, be);
  for (let it = 0; it < 200; it++) {
    let g1 = -ridge * al, g2 = -ridge * be, h11 = ridge, h12 = 0, h22 = ridge;
    for (let q = 0; q < xs.length; q++) {
      const x = xs[q]!;
      const p = 1 / (1 + Math.exp(-(al * x + be)));
      const r = ys[q]! - ns[q]! * p;
      const w = ns[q]! * p * (1 - p);
      g1 += r * x; g2 += r;
      h11 += w * x * x; h12 += w * x; h22 += w;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(det > 0)) break;
    let d1 = (h22 * g1 - h12 * g2) / det;
    let d2 = (h11 * g2 - h12 * g1) / det;
    let step = 1, next = loglik(al + d1, be + d2);
    while (!(next >= cur) && step > 1e-8) {
      step /= 2;
      next = loglik(al + step * d1, be + step * d2);
    }
    if (!(next >= cur)) break;
    al += step * d1; be += step * d2;
    const gain = next - cur;
    cur = next;
    if (Math.abs(step * d1) < 1e-10 && Math.abs(step * d2) < 1e-10) break;
    if (gain < 1e-12 * Math.max(1, Math.abs(cur))) break;
  }
  return [al, be];
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The defaults of socialCorrelationTests (orientations: as many as shuffles). */
export const CONTAGION_DEFAULTS = { periodMs: 3_600_000, shuffles: 200, seed: 1 } as const;

const contagionSchema = z
  .object({
    periodMs: z.number().gt(0).default(CONTAGION_DEFAULTS.periodMs),
    shuffles: z.number().int().min(0).default(CONTAGION_DEFAULTS.shuffles),
    orientations: z.number().int().min(0).optional(),
    seed: O.seed().default(CONTAGION_DEFAULTS.seed),
  })
  .strict();

/** Runs the fit, the time-shuffle test and the edge-reversal test; `follows` has edges follower → followee. */
export function socialCorrelationTests(a: Adoptions, follows: Graph, options: ContagionTestOptions = {}): ContagionTestResult {
  const o = resolveOptions('contagion', contagionSchema, options);
  const { periodMs, shuffles } = o;
  const orientations = o.orientations ?? shuffles; // documented default: as many as shuffles
  const rng = new Rng(o.seed);
  const s = activeSets(a);
  const [alpha, beta] = fitSocialCorrelation(riskCounts(s, follows, periodMs));
  const inToOut = inToOutIndex(follows);
  const [alphaRev] = fitSocialCorrelation(riskCounts(s, follows, periodMs, { flip: new Uint8Array(follows.m).fill(1), inToOut }));

  const shuffleRng = rng.fork();
  const perm: ActiveSets = { ...s, nodes: s.nodes.slice(), times: s.times.slice() };
  let geS = 0, sumS = 0;
  const items = s.offsets.length - 1;
  const order: number[] = [];
  for (let r = 0; r < shuffles; r++) {
    for (let i = 0; i < items; i++) {
      const lo = s.offsets[i]!, hi = s.offsets[i + 1]!;
      // Shuffle the times among the item's active accounts, then sort the pairs by time again.
      const t = perm.times;
      for (let j = lo; j < hi; j++) t[j] = s.times[j]!;
      for (let j = hi - 1; j > lo; j--) {
        const q = lo + shuffleRng.int(j - lo + 1);
        const x = t[j]!; t[j] = t[q]!; t[q] = x;
      }
      order.length = 0;
      for (let j = lo; j < hi; j++) order.push(j);
      order.sort((x, y) => t[x]! - t[y]! || x - y);
      const nn = order.map((j) => s.nodes[j]!), tt = order.map((j) => t[j]!);
      for (let j = lo; j < hi; j++) { perm.nodes[j] = nn[j - lo]!; t[j] = tt[j - lo]!; }
    }
    const [al] = fitSocialCorrelation(riskCounts(perm, follows, periodMs));
    sumS += al;
    if (al >= alpha) geS++;
  }

  const orientRng = rng.fork();
  const mutual = mutualEdges(follows);
  const flip = new Uint8Array(follows.m);
  let geO = 0, sumO = 0;
  for (let r = 0; r < orientations; r++) {
    for (let e = 0; e < follows.m; e++) flip[e] = mutual[e] === 1 ? 0 : orientRng.uniform() < 0.5 ? 1 : 0;
    const [al] = fitSocialCorrelation(riskCounts(s, follows, periodMs, { flip, inToOut }));
    sumO += al;
    if (al >= alpha) geO++;
  }
  return {
    alpha,
    beta,
    alpha_reversed: alphaRev,
    shuffle_p: (1 + geS) / (1 + shuffles),
    reversal_p: (1 + geO) / (1 + orientations),
    shuffles,
    orientations,
    alpha_shuffled_mean: shuffles > 0 ? sumS / shuffles : NaN,
    alpha_oriented_mean: orientations > 0 ? sumO / orientations : NaN,
  };
}
