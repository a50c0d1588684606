/**
 * The compact graph every network kernel runs on: string ids mapped to dense int32 indices, edges in CSR form in
 * both directions (out: source → targets; in: target → sources), optional float64 weights. About 16 bytes per edge
 * without weights and 32 with (two int32 targets, two float64 weights), plus 8 bytes per node per direction.
 *
 * Build it with a GraphBuilder (append edges one at a time or in batches, as a store stream delivers them), then
 * `build()`. Duplicate edges are merged: in a weighted graph their weights are summed; in an unweighted one (every
 * weight 1, e.g. follows) they collapse to one edge. Self-loops are dropped unless `keepSelfLoops`.
 */

/** A directed graph in CSR form over dense node indices 0..n-1. */
export interface Graph {
  /** Number of nodes. */
  readonly n: number;
  /** Number of (distinct) directed edges. */
  readonly m: number;
  /** External id of each node index. */
  readonly ids: readonly string[];
  /** Node index of each external id. */
  readonly index: ReadonlyMap<string, number>;
  /** Out-edges of u are outTargets[outOffsets[u] .. outOffsets[u+1]), sorted ascending. */
  readonly outOffsets: Int32Array;
  readonly outTargets: Int32Array;
  /** Weight of each out-edge (aligned with outTargets), or null when the graph is unweighted (all 1). */
  readonly outWeights: Float64Array | null;
  /** In-edges of v are inSources[inOffsets[v] .. inOffsets[v+1]), sorted ascending. */
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
  /** Weight of each in-edge (aligned with inSources), or null when unweighted. */
  readonly inWeights: Float64Array | null;
}

/** Options of GraphBuilder.build. */
export interface BuildOptions {
  /** Keep u → u edges (default false: dropped). */
  keepSelfLoops?: boolean;
  /** Keep weights even when all are 1, so merged duplicates add up (default false). */
  forceWeights?: boolean;
}

/** Accumulates edges by external id, then builds a Graph. */
export class GraphBuilder {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private w: Float64Array | null = null;
  private count = 0;

  /** Registers a node (isolated nodes count too) and returns its index. */
  node(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }

  /** Adds the directed edge from → to with a weight (default 1; any weight ≠ 1 makes the graph weighted). */
  edge(from: string, to: string, weight = 1): void {
    this.edgeByIndex(this.node(from), this.node(to), weight);
  }

  /** Adds the directed edge between two indices returned by node(). */
  edgeByIndex(u: number, v: number, weight = 1): void {
    if (this.count === this.src.length) this.grow();
    if (weight !== 1 && this.w === null) this.w = new Float64Array(this.src.length).fill(1);
    this.src[this.count] = u;
    this.dst[this.count] = v;
    if (this.w !== null) this.w[this.count] = weight;
    this.count++;
  }

  /** Adds a batch of directed edges between indices returned by node() (weights default to 1). */
  edgesByIndex(src: ArrayLike<number>, dst: ArrayLike<number>, weight: ArrayLike<number> | null = null): void {
    for (let i = 0; i < src.length; i++) this.edgeByIndex(src[i]!, dst[i]!, weight === null ? 1 : weight[i]!);
  }

  /** Number of nodes registered so far. */
  get nodeCount(): number {
    return this.ids.length;
  }

  /** Number of edges added so far (before merging duplicates). */
  get edgeCount(): number {
    return this.count;
  }

  private grow(): void {
    const cap = this.src.length * 2;
    const s = new Int32Array(cap); s.set(this.src); this.src = s;
    const d = new Int32Array(cap); d.set(this.dst); this.dst = d;
    if (this.w !== null) { const w = new Float64Array(cap).fill(1); w.set(this.w); this.w = w; }
  }

  /** Builds the CSR graph (the builder can be dropped afterwards). */
  build(options: BuildOptions = {}): Graph {
    const n = this.ids.length;
    const keepLoops = options.keepSelfLoops === true;
    if (options.forceWeights === true && this.w === null) this.w = new Float64Array(this.src.length).fill(1);
    const out = toCsr(n, this.src, this.dst, this.w, this.count, keepLoops);
    const inn = toCsr(n, out.targetsAsSources(), out.sourcesAsTargets(), out.weights, out.m, true);
    return {
      n,
      m: out.m,
      ids: this.ids,
      index: this.index,
      outOffsets: out.offsets,
      outTargets: out.targets,
      outWeights: out.weights,
      inOffsets: inn.offsets,
      inSources: inn.targets,
      inWeights: inn.weights,
    };
  }
}

/** Builds a Graph from [source, target, weight?] triples; a convenience for tests and small inputs. */
export function graphFromEdges(edges: Iterable<readonly [string, string, number?]>, nodes: Iterable<string> = [], options: BuildOptions = {}): Graph {
  const b = new GraphBuilder();
  for (const id of nodes) b.node(id);
  for (const [u, v, w] of edges) b.edge(u, v, w ?? 1);
  return b.build(options);
}

/** The same graph with every edge reversed (in and out swapped; no copying). */
export function reverseGraph(g: Graph): Graph {
  return {
    n: g.n, m: g.m, ids: g.ids, index: g.index,
    outOffsets: g.inOffsets, outTargets: g.inSources, outWeights: g.inWeights,
    inOffsets: g.outOffsets, inSources: g.outTargets, inWeights: g.outWeights,
  };
}

/**
 * The undirected version, stored in both directions: weight of u–v = w(u→v) + w(v→u) (1 per edge when unweighted);
 * self-loops dropped. Built in O(m) by merging each node's sorted out- and in-lists; its in-CSR is its out-CSR.
 */
export function undirectedGraph(g: Graph): Graph {
  const n = g.n;
  const { outOffsets: oo, outTargets: ot, inOffsets: io, inSources: is } = g;
  const ow = g.outWeights, iw = g.inWeights;
  const offsets = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) {
    let a = oo[u]!, b = io[u]!, d = 0;
    const ae = oo[u + 1]!, be = io[u + 1]!;
    while (a < ae || b < be) {
      let x: number;
      if (b >= be || (a < ae && ot[a]! < is[b]!)) x = ot[a++]!;
      else if (a >= ae || is[b]! < ot[a]!) x = is[b++]!;
      else { x = ot[a++]!; b++; }
      if (x !== u) d++;
    }
    offsets[u + 1] = offsets[u]! + d;
  }
  const targets = new Int32Array(offsets[n]!);
  const weights = new Float64Array(offsets[n]!);
  for (let u = 0; u < n; u++) {
    let a = oo[u]!, b = io[u]!, at = offsets[u]!;
    const ae = oo[u + 1]!, be = io[u + 1]!;
    while (a < ae || b < be) {
      let x: number, w: number;
      if (b >= be || (a < ae && ot[a]! < is[b]!)) { x = ot[a]!; w = ow === null ? 1 : ow[a]!; a++; }
      else if (a >= ae || is[b]! < ot[a]!) { x = is[b]!; w = iw === null ? 1 : iw[b]!; b++; }
      else { x = ot[a]!; w = (ow === null ? 1 : ow[a]!) + (iw === null ? 1 : iw[b]!); a++; b++; }
      if (x === u) continue;
      targets[at] = x;
      weights[at] = w;
      at++;
    }
  }
  return {
    n, m: targets.length, ids: g.ids, index: g.index,
    outOffsets: offsets, outTargets: targets, outWeights: weights,
    inOffsets: offsets, inSources: targets, inWeights: weights,
  };
}

/** Out-degree of every node. */
export function outDegrees(g: Graph): Int32Array {
  const d = new Int32Array(g.n);
  for (let u = 0; u < g.n; u++) d[u] = g.outOffsets[u + 1]! - g.outOffsets[u]!;
  return d;
}

/** In-degree of every node. */
export function inDegrees(g: Graph): Int32Array {
  const d = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) d[v] = g.inOffsets[v + 1]! - g.inOffsets[v]!;
  return d;
}

interface Csr {
  m: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array | null;
  /** For each CSR edge, its source (expanded from offsets). */
  sourcesAsTargets(): Int32Array;
  targetsAsSources(): Int32Array;
}

/** Counting-sort edges by source, sort each row by target, merge duplicates (summing weights). */
function toCsr(n: number, src: Int32Array, dst: Int32Array, w: Float64Array | null, count: number, keepLoops: boolean): Csr {
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < count; e++) if (keepLoops || src[e] !== dst[e]) deg[src[e]! + 1]!++;
  for (let u = 0; u < n; u++) deg[u + 1]! += deg[u]!;
  const total = deg[n]!;
  const tmpT = new Int32Array(total);
  const tmpW = w === null ? null : new Float64Array(total);
  const cursor = deg.slice(0, n);
  for (let e = 0; e < count; e++) {
    const u = src[e]!;
    if (!keepLoops && u === dst[e]) continue;
    const at = cursor[u]!++;
    tmpT[at] = dst[e]!;
    if (tmpW !== null) tmpW[at] = w![e]!;
  }
  // Sort each row by target (insertion sort for short rows, typed-array sort + permutation for long ones), then merge.
  const offsets = new Int32Array(n + 1);
  let m = 0;
  for (let u = 0; u < n; u++) {
    const lo = deg[u]!, hi = deg[u + 1]!;
    sortRow(tmpT, tmpW, lo, hi);
    offsets[u] = m;
    for (let e = lo; e < hi; e++) {
      if (m > offsets[u]! && tmpT[m - 1] === tmpT[e]) {
        if (tmpW !== null) tmpW[m - 1]! += tmpW[e]!;
        continue;
      }
      tmpT[m] = tmpT[e]!;
      if (tmpW !== null) tmpW[m] = tmpW[e]!;
      m++;
    }
  }
  offsets[n] = m;
  const targets = m === total ? tmpT : tmpT.slice(0, m);
  const weights = tmpW === null ? null : m === total ? tmpW : tmpW.slice(0, m);
  return {
    m, offsets, targets, weights,
    sourcesAsTargets() {
      const s = new Int32Array(m);
      for (let u = 0; u < n; u++) for (let e = offsets[u]!; e < offsets[u + 1]!; e++) s[e] = u;
      return s;
    },
    targetsAsSources() {
      return targets;
    },
  };
}

function sortRow(t: Int32Array, w: Float64Array | null, lo: number, hi: number): void {
  const len = hi - lo;
  if (len < 2) return;
  if (len <= 32 || w === null) {
    if (w === null && len > 32) {
      t.subarray(lo, hi).sort();
      return;
    }
    for (let i = lo + 1; i < hi; i++) {
      const x = t[i]!;
      const xw = w === null ? 0 : w[i]!;
      let j = i - 1;
      while (j >= lo && t[j]! > x) {
        t[j + 1] = t[j]!;
        if (w !== null) w[j + 1] = w[j]!;
        j--;
      }
      t[j + 1] = x;
      if (w !== null) w[j + 1] = xw;
    }
    return;
  }
  const idx = Array.from({ length: len }, (_, i) => lo + i);
  idx.sort((a, b) => t[a]! - t[b]!);
  const st = Int32Array.from(idx, (i) => t[i]!);
  const sw = Float64Array.from(idx, (i) => w[i]!);
  t.set(st, lo);
  w.set(sw, lo);
}
