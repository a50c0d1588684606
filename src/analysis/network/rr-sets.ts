/**
 * Reverse-reachable (RR) sets (Borgs et al. 2014; Tang, Shi, Xiao 2015) in flat typed arrays: an RR set is the set of
 * nodes that would have activated a uniformly drawn target in one random live-edge world — under IC a reverse BFS
 * keeping each in-edge with its probability, under LT a reverse random walk picking at most one in-edge by weight.
 * A seed set's expected spread is n × the share of RR sets it touches.
 */
import type { Rng } from '../../domain/index.js';
import { inToOutIndex } from './edge-index.js';
import type { Graph } from './graph.js';
import type { DiffusionModel } from './spread-model.js';

/** A growing collection of RR sets: set r is nodes[offsets[r] .. offsets[r+1]). */
export class RRSets {
  count = 0;
  size = 0;
  offsets = new Int32Array(1024);
  nodes = new Int32Array(4096);
  private readonly inW: Float64Array;
  /** IC: log(1 − q) when every in-edge of the node has the same probability q (e.g. weighted cascade), else NaN. */
  private readonly logMiss: Float64Array;
  private readonly stamp: Int32Array;
  private mark = 0;

  /** Prepares sampling on g with edge parameters aligned with g.outTargets (see edgeParameters). */
  constructor(private readonly g: Graph, private readonly model: DiffusionModel, w: Float64Array) {
    const map = inToOutIndex(g);
    this.inW = new Float64Array(g.m);
    for (let e = 0; e < g.m; e++) this.inW[e] = w[map[e]!]!;
    this.stamp = new Int32Array(g.n);
    this.logMiss = new Float64Array(model === 'ic' ? g.n : 0).fill(NaN);
    if (model === 'ic') {
      for (let v = 0; v < g.n; v++) {
        const lo = g.inOffsets[v]!, hi = g.inOffsets[v + 1]!;
        if (hi - lo < 4) continue;
        const q = this.inW[lo]!;
        let same = q > 0 && q < 1;
        for (let e = lo + 1; same && e < hi; e++) same = this.inW[e] === q;
        if (same) this.logMiss[v] = Math.log1p(-q);
      }
    }
  }

  /** Adds RR sets until there are `target` of them. */
  fill(target: number, rng: Rng): void {
    while (this.count < target) this.add(rng);
  }

  /** Drops every set (keeps the buffers). */
  clear(): void {
    this.count = 0;
    this.size = 0;
  }

  private push(v: number): void {
    if (this.size === this.nodes.length) {
      const next = new Int32Array(this.nodes.length * 2);
      next.set(this.nodes);
      this.nodes = next;
    }
    this.nodes[this.size++] = v;
  }

  /** Samples one RR set. */
  add(rng: Rng): void {
    const { inOffsets, inSources } = this.g;
    const inW = this.inW, stamp = this.stamp;
    const mark = ++this.mark;
    if (this.count + 1 >= this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    const begin = this.size;
    this.offsets[this.count] = begin;
    const target = rng.int(this.g.n);
    stamp[target] = mark;
    this.push(target);
    if (this.model === 'ic') {
      const logMiss = this.logMiss;
      for (let h = begin; h < this.size; h++) {
        const v = this.nodes[h]!;
        const lm = logMiss[v]!;
        if (lm === lm) {
          // Equal probabilities: jump straight to the next live in-edge (geometric gaps), one draw per live edge.
          const hi = inOffsets[v + 1]!;
          for (let e = inOffsets[v]! + Math.floor(Math.log(1 - rng.uniform()) / lm); e < hi; e += 1 + Math.floor(Math.log(1 - rng.uniform()) / lm)) {
            const u = inSources[e]!;
            if (stamp[u] === mark) continue;
            stamp[u] = mark;
            this.push(u);
          }
          continue;
        }
        for (let e = inOffsets[v]!; e < inOffsets[v + 1]!; e++) {
          const u = inSources[e]!;
          if (stamp[u] === mark) continue;
          if (rng.uniform() < inW[e]!) {
            stamp[u] = mark;
            this.push(u);
          }
        }
      }
    } else {
      let v = target;
      for (;;) {
        const lo = inOffsets[v]!, hi = inOffsets[v + 1]!;
        if (lo === hi) break;
        let r = rng.uniform();
        let pick = -1;
        for (let e = lo; e < hi; e++) {
          r -= inW[e]!;
          if (r < 0) {
            pick = inSources[e]!;
            break;
          }
        }
        if (pick < 0 || stamp[pick] === mark) break;
        stamp[pick] = mark;
        this.push(pick);
        v = pick;
      }
    }
    this.count++;
    this.offsets[this.count] = this.size;
  }
}

/**
 * Greedy maximum coverage over the RR sets with a bucket queue keyed by marginal coverage: k nodes, each covering the
 * most sets not yet covered (ties: the bucket's head). Returns the seeds and the share of sets they cover.
 */
export function maxCoverage(rr: RRSets, n: number, k: number): { seeds: Int32Array; covered: number } {
  const deg = new Int32Array(n);
  for (let i = 0; i < rr.size; i++) deg[rr.nodes[i]!]!++;
  // Node → sets containing it, in CSR form.
  const off = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) off[v + 1] = off[v]! + deg[v]!;
  const cur = off.slice(0, n);
  const sets = new Int32Array(rr.size);
  for (let r = 0; r < rr.count; r++) for (let i = rr.offsets[r]!; i < rr.offsets[r + 1]!; i++) sets[cur[rr.nodes[i]!]!++] = r;
  let maxDeg = 0;
  for (let v = 0; v < n; v++) if (deg[v]! > maxDeg) maxDeg = deg[v]!;
  const head = new Int32Array(maxDeg + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  for (let v = n - 1; v >= 0; v--) {
    const d = deg[v]!;
    next[v] = head[d]!;
    if (head[d]! >= 0) prev[head[d]!] = v;
    head[d] = v;
  }
  const unlink = (v: number) => {
    const d = deg[v]!;
    if (prev[v]! >= 0) next[prev[v]!] = next[v]!;
    else head[d] = next[v]!;
    if (next[v]! >= 0) prev[next[v]!] = prev[v]!;
    prev[v] = -1;
    next[v] = -1;
  };
  const covered = new Uint8Array(rr.count);
  const chosen = new Uint8Array(n);
  const seeds = new Int32Array(Math.min(k, n));
  let top = maxDeg, total = 0;
  for (let s = 0; s < seeds.length; s++) {
    while (top > 0 && head[top]! < 0) top--;
    const v = head[top]!;
    unlink(v);
    chosen[v] = 1;
    seeds[s] = v;
    total += deg[v]!;
    for (let q = off[v]!; q < off[v + 1]!; q++) {
      const r = sets[q]!;
      if (covered[r]) continue;
      covered[r] = 1;
      for (let i = rr.offsets[r]!; i < rr.offsets[r + 1]!; i++) {
        const w = rr.nodes[i]!;
        if (chosen[w]) continue;
        unlink(w);
        deg[w]!--;
        const d = deg[w]!;
        next[w] = head[d]!;
        if (head[d]! >= 0) prev[head[d]!] = w;
        head[d] = w;
      }
    }
    deg[v] = 0;
  }
  return { seeds, covered: rr.count > 0 ? total / rr.count : 0 };
}
