/**
 * Leiden community detection (Traag, Waltman, van Eck 2019, "From Louvain to Leiden: guaranteeing well-connected
 * communities") maximising modularity with a resolution γ on an undirected weighted graph:
 *  1. fast local moving — nodes visited from a queue (random initial order); a node moves to the neighbouring
 *     community (or an empty one) with the largest gain; when it moves, its neighbours outside the new community
 *     are queued again;
 *  2. refinement — inside each community, starting from singletons, each still-single node that is well connected
 *     to its community joins a well-connected sub-community chosen at random with Pr ∝ exp(ΔH/θ) over moves with
 *     ΔH ≥ 0 (ΔH in edge-weight units, as igraph's implementation; θ = 0.01 is nearly greedy);
 *  3. aggregation — the refined communities become the nodes of the next level, the unrefined partition its start;
 * repeated until every community is one aggregate node; whole iterations repeat (from the last partition) until the
 * partition no longer improves. Communities that come out disconnected (cannot happen by the theorem, but cheap to
 * guarantee) are split into their components, which never lowers modularity. Seeded: same seed, same partition.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { modularityOf, toWGraph, type WGraph } from './modularity.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of leiden (defaults in LEIDEN_DEFAULTS). */
export interface LeidenOptions {
  /** Resolution γ of modularity (1 = classic modularity; higher → smaller communities). */
  resolution?: number;
  /** Randomness θ of the refinement step. */
  randomness?: number;
  /** Seed of the random order and the refinement draws. */
  seed?: number;
  /** Cap on whole Leiden iterations (each runs until every community is one aggregate node). */
  maxIterations?: number;
}

/** The defaults of leiden. */
export const LEIDEN_DEFAULTS = { resolution: 1, randomness: 0.01, seed: 1, maxIterations: 20 } as const;

/** What leiden returns. */
export interface LeidenResult {
  /** Community of each node, 0..count-1, numbered by decreasing size (ties: smallest first node). */
  membership: Int32Array;
  count: number;
  modularity: number;
  iterations: number;
}

/** The strict schema of leiden's options (tribes extends it). */
export const leidenSchema = z
  .object({
    resolution: z.number().gt(0).default(LEIDEN_DEFAULTS.resolution),
    randomness: z.number().gt(0).default(LEIDEN_DEFAULTS.randomness),
    seed: O.seed().default(LEIDEN_DEFAULTS.seed),
    maxIterations: O.positiveInt().default(LEIDEN_DEFAULTS.maxIterations),
  })
  .strict();

/** Communities of g (taken as undirected, weights of both directions added) by the Leiden algorithm. */
export function leiden(g: Graph, options: LeidenOptions = {}): LeidenResult {
  return leidenOnWGraph(toWGraph(g), options);
}

/** Leiden on the working graph form (see modularity.ts). */
export function leidenOnWGraph(g0: WGraph, options: LeidenOptions = {}): LeidenResult {
  const o = resolveOptions('leiden', leidenSchema, options);
  const gamma = o.resolution, theta = o.randomness, maxIterations = o.maxIterations;
  const rng = new Rng(o.seed);
  const n = g0.n;
  let best: Int32Array = new Int32Array(n);
  for (let v = 0; v < n; v++) best[v] = v;
  if (g0.total === 0) return finish(g0, best, gamma, 0);
  let bestQ = -Infinity;
  let iterations = 0;
  let start: Int32Array = best;
  for (let it = 0; it < maxIterations; it++) {
    iterations++;
    const flat = splitComponents(g0, oneIteration(g0, start, gamma, theta, rng));
    const q = modularityOf(g0, flat, gamma);
    if (q <= bestQ + 1e-12) break;
    best = flat;
    bestQ = q;
    start = flat;
  }
  return finish(g0, best, gamma, iterations);
}

function finish(g: WGraph, membership: Int32Array, gamma: number, iterations: number): LeidenResult {
  const { labels, count } = renumberBySize(membership);
  return { membership: labels, count, modularity: modularityOf(g, labels, gamma), iterations };
}

/** One Leiden iteration from an initial partition of the original graph; returns the flat partition. */
function oneIteration(g0: WGraph, initial: Int32Array, gamma: number, theta: number, rng: Rng): Int32Array {
  let g = g0;
  let memb = Int32Array.from(initial);
  const nodeOf = new Int32Array(g0.n);
  for (let v = 0; v < g0.n; v++) nodeOf[v] = v;
  for (;;) {
    moveNodes(g, memb, gamma, rng);
    const count = renumber(memb);
    if (count === g.n) break;
    const refined = refine(g, memb, gamma, theta, rng);
    let agg = aggregate(g, refined);
    // Refinement merged nothing: aggregate by the partition itself (a Louvain step) so that levels always shrink.
    if (agg.g.n === g.n) agg = aggregate(g, memb);
    const next = new Int32Array(agg.g.n);
    for (let v = 0; v < g.n; v++) next[agg.map[v]!] = memb[v]!;
    for (let v = 0; v < g0.n; v++) nodeOf[v] = agg.map[nodeOf[v]!]!;
    g = agg.g;
    memb = next;
  }
  const flat = new Int32Array(g0.n);
  for (let v = 0; v < g0.n; v++) flat[v] = memb[nodeOf[v]!]!;
  return flat;
}

/** Fast local moving with a queue (in place on memb, labels in 0..n-1). */
function moveNodes(g: WGraph, memb: Int32Array, gamma: number, rng: Rng): void {
  const { n, off, adj, w, k, total } = g;
  const tot = new Float64Array(n);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) { tot[memb[v]!]! += k[v]!; size[memb[v]!]!++; }
  const empty: number[] = [];
  for (let c = n - 1; c >= 0; c--) if (size[c] === 0) empty.push(c);
  const queue = new Int32Array(n);
  for (let v = 0; v < n; v++) queue[v] = v;
  shuffle(queue, rng);
  const inQueue = new Uint8Array(n).fill(1);
  let head = 0, pending = n;
  // Weights to neighbouring communities; nw[c] = 0 means untouched (every edge weight is > 0).
  const nw = new Float64Array(n);
  const touched = new Int32Array(n);
  const scale = gamma / total;
  while (pending > 0) {
    const v = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    pending--;
    inQueue[v] = 0;
    const cur = memb[v]!, kv = k[v]!;
    let nt = 0;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const c = memb[adj[e]!]!;
      if (nw[c] === 0) touched[nt++] = c;
      nw[c]! += w[e]!;
    }
    tot[cur]! -= kv;
    size[cur]!--;
    let bestC = cur;
    let bestGain = nw[cur]! - kv * tot[cur]! * scale;
    for (let i = 0; i < nt; i++) {
      const c = touched[i]!;
      if (c === cur) continue;
      const gain = nw[c]! - kv * tot[c]! * scale;
      if (gain > bestGain) { bestGain = gain; bestC = c; }
    }
    for (let i = 0; i < nt; i++) nw[touched[i]!] = 0;
    if (bestGain < 0 && size[cur]! > 0) {
      bestC = empty.pop()!;
      bestGain = 0;
    }
    tot[bestC]! += kv;
    size[bestC]!++;
    if (bestC !== cur) {
      memb[v] = bestC;
      if (size[cur] === 0) empty.push(cur);
      for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
        const u = adj[e]!;
        if (inQueue[u] === 0 && memb[u] !== bestC) {
          inQueue[u] = 1;
          queue[(head + pending) % n] = u;
          pending++;
        }
      }
    }
  }
}

/** Refinement: a sub-partition of memb whose parts are connected and well connected (labels = node ids). */
function refine(g: WGraph, memb: Int32Array, gamma: number, theta: number, rng: Rng): Int32Array {
  const { n, off, adj, w, k, total } = g;
  const scale = gamma / total;
  const ref = new Int32Array(n);
  const rtot = new Float64Array(n);
  const rsize = new Int32Array(n);
  const ext = new Float64Array(n);
  const ctot = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    ref[v] = v;
    rtot[v] = k[v]!;
    rsize[v] = 1;
    ctot[memb[v]!]! += k[v]!;
    let s = 0;
    for (let e = off[v]!; e < off[v + 1]!; e++) if (memb[adj[e]!] === memb[v]) s += w[e]!;
    ext[v] = s;
  }
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[v] = v;
  shuffle(order, rng);
  const nw = new Float64Array(n);
  const mark = new Int32Array(n).fill(-1);
  const touched = new Int32Array(n);
  const cand = new Int32Array(n);
  const prob = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    const own = ref[v]!;
    if (rsize[own] !== 1) continue;
    const s = memb[v]!, kv = k[v]!, extV = ext[own]!;
    if (extV < kv * (ctot[s]! - kv) * scale) continue;
    let nt = 0;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const u = adj[e]!;
      if (memb[u] !== s) continue;
      const c = ref[u]!;
      if (mark[c] !== v) { mark[c] = v; nw[c] = 0; touched[nt++] = c; }
      nw[c]! += w[e]!;
    }
    if (nt === 0) continue;
    let nc = 0, maxGain = 0;
    for (let j = 0; j < nt; j++) {
      const c = touched[j]!;
      if (ext[c]! < rtot[c]! * (ctot[s]! - rtot[c]!) * scale) continue;
      const gain = nw[c]! - kv * rtot[c]! * scale;
      if (gain < 0) continue;
      cand[nc] = c;
      prob[nc] = gain;
      nc++;
      if (gain > maxGain) maxGain = gain;
    }
    if (nc === 0) continue;
    // Staying alone (ΔH = 0) is a candidate too.
    let sum = Math.exp(-maxGain / theta);
    for (let j = 0; j < nc; j++) { prob[j] = Math.exp((prob[j]! - maxGain) / theta); sum += prob[j]!; }
    let r = rng.uniform() * sum - Math.exp(-maxGain / theta);
    if (r < 0) continue;
    let chosen = cand[nc - 1]!;
    for (let j = 0; j < nc; j++) {
      r -= prob[j]!;
      if (r < 0) { chosen = cand[j]!; break; }
    }
    ref[v] = chosen;
    rsize[own] = 0;
    rtot[own] = 0;
    rsize[chosen]!++;
    rtot[chosen]! += kv;
    ext[chosen] = ext[chosen]! + extV - 2 * nw[chosen]!;
  }
  return ref;
}

/** Collapses each part of `part` into one node; returns the new graph and the node map. */
function aggregate(g: WGraph, part: Int32Array): { g: WGraph; map: Int32Array } {
  const { n, off, adj, w, k, self } = g;
  const map = new Int32Array(n).fill(-1);
  let count = 0;
  for (let v = 0; v < n; v++) if (map[part[v]!] === -1) map[part[v]!] = count++;
  const nodeMap = new Int32Array(n);
  for (let v = 0; v < n; v++) nodeMap[v] = map[part[v]!]!;
  // Members of each new node (counting sort).
  const start = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) start[nodeMap[v]! + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const members = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let v = 0; v < n; v++) members[fill[nodeMap[v]!]!++] = v;
  const nk = new Float64Array(count);
  const nself = new Float64Array(count);
  const noff = new Int32Array(count + 1);
  let nadj = new Int32Array(Math.max(16, adj.length >> 1));
  let nwt = new Float64Array(nadj.length);
  // Weight to each neighbouring new node; acc[d] = 0 means untouched (every edge weight is > 0).
  const acc = new Float64Array(count);
  const touched = new Int32Array(count);
  let m = 0;
  for (let c = 0; c < count; c++) {
    let nt = 0;
    for (let i = start[c]!; i < start[c + 1]!; i++) {
      const v = members[i]!;
      nk[c]! += k[v]!;
      nself[c]! += self[v]!;
      for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
        const d = nodeMap[adj[e]!]!;
        if (d === c) { nself[c]! += w[e]!; continue; }
        if (acc[d] === 0) touched[nt++] = d;
        acc[d]! += w[e]!;
      }
    }
    if (m + nt > nadj.length) {
      const cap = Math.max(m + nt, nadj.length * 2);
      const a = new Int32Array(cap); a.set(nadj.subarray(0, m)); nadj = a;
      const b = new Float64Array(cap); b.set(nwt.subarray(0, m)); nwt = b;
    }
    for (let j = 0; j < nt; j++) { const d = touched[j]!; nadj[m] = d; nwt[m] = acc[d]!; acc[d] = 0; m++; }
    noff[c + 1] = m;
  }
  return { g: { n: count, off: noff, adj: nadj.slice(0, m), w: nwt.slice(0, m), self: nself, k: nk, total: g.total }, map: nodeMap };
}

/** Splits every community into its connected components (BFS); labels renumbered. */
export function splitComponents(g: WGraph, memb: Int32Array): Int32Array {
  const n = g.n;
  const out = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let label = 0;
  for (let s = 0; s < n; s++) {
    if (out[s] !== -1) continue;
    const c = memb[s]!;
    out[s] = label;
    let top = 0;
    stack[top++] = s;
    while (top > 0) {
      const v = stack[--top]!;
      for (let e = g.off[v]!; e < g.off[v + 1]!; e++) {
        const u = g.adj[e]!;
        if (out[u] === -1 && memb[u] === c) { out[u] = label; stack[top++] = u; }
      }
    }
    label++;
  }
  return out;
}

/** Renumbers labels in place to 0..count-1 by first appearance; returns count. */
function renumber(memb: Int32Array): number {
  const map = new Int32Array(memb.length).fill(-1);
  let count = 0;
  for (let v = 0; v < memb.length; v++) {
    const c = memb[v]!;
    if (map[c] === -1) map[c] = count++;
    memb[v] = map[c]!;
  }
  return count;
}

/** Labels renumbered by decreasing community size (ties: the community whose first node comes first). */
function renumberBySize(memb: Int32Array): { labels: Int32Array; count: number } {
  const labels = Int32Array.from(memb);
  const count = renumber(labels);
  const size = new Int32Array(count);
  for (let v = 0; v < labels.length; v++) size[labels[v]!]!++;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => size[b]! - size[a]! || a - b);
  const rank = new Int32Array(count);
  order.forEach((c, i) => { rank[c] = i; });
  for (let v = 0; v < labels.length; v++) labels[v] = rank[labels[v]!]!;
  return { labels, count };
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!; a[i] = a[j]!; a[j] = t;
  }
}
