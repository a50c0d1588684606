/**
 * Modularity (Newman & Girvan 2004; resolution γ as Reichardt & Bornholdt 2006) of a partition of an undirected
 * weighted graph: Q = Σ_c [ L_c / m − γ (d_c / 2m)² ], L_c = weight inside c, d_c = total degree of c, m = total
 * weight — the same number as `networkx.community.modularity(G, communities, weight, resolution)`.
 * The undirected graph is given in symmetric CSR (`WGraph`, each edge stored in both rows) with self-loop weights
 * apart, the form the Leiden kernels work on.
 */
import { CloutError } from '../../domain/index.js';
import { undirectedGraph, type Graph } from './graph.js';

/** Symmetric weighted CSR with self-loops apart: the working form of community detection. */
export interface WGraph {
  n: number;
  /** Row u is adj[off[u] .. off[u+1]) with weights w; no self-loops; each undirected edge sits in both rows. */
  off: Int32Array;
  adj: Int32Array;
  w: Float64Array;
  /** Internal weight of each node counted from both ends (2 × the self-loop weight; aggregated inner edges). */
  self: Float64Array;
  /** Weighted degree of each node (row sum + self). */
  k: Float64Array;
  /** Σ k = 2m. */
  total: number;
}

/** The undirected weighted working graph of g: weight(u, v) = w(u→v) + w(v→u); self-loops dropped. */
export function toWGraph(g: Graph): WGraph {
  const u = undirectedGraph(g);
  const n = u.n;
  const w = u.outWeights ?? new Float64Array(u.m).fill(1);
  const k = new Float64Array(n);
  let total = 0;
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let e = u.outOffsets[v]!; e < u.outOffsets[v + 1]!; e++) {
      const x = w[e]!;
      if (!(x > 0) || !Number.isFinite(x)) throw new CloutError('input', `communities: edge ${g.ids[v]} – ${g.ids[u.outTargets[e]!]} has weight ${x}; weights must be finite and > 0`);
      s += x;
    }
    k[v] = s;
    total += s;
  }
  return { n, off: u.outOffsets, adj: u.outTargets, w, self: new Float64Array(n), k, total };
}

/** Modularity of `membership` (community label per node) on the working graph, at resolution γ. */
export function modularityOf(g: WGraph, membership: ArrayLike<number>, resolution = 1): number {
  if (g.total === 0) return 0;
  let labels = 0;
  for (let v = 0; v < g.n; v++) if (membership[v]! + 1 > labels) labels = membership[v]! + 1;
  const inner = new Float64Array(labels);
  const deg = new Float64Array(labels);
  for (let v = 0; v < g.n; v++) {
    const c = membership[v]!;
    deg[c]! += g.k[v]!;
    inner[c]! += g.self[v]!;
    for (let e = g.off[v]!; e < g.off[v + 1]!; e++) if (membership[g.adj[e]!] === c) inner[c]! += g.w[e]!;
  }
  let q = 0;
  for (let c = 0; c < labels; c++) q += inner[c]! / g.total - resolution * (deg[c]! / g.total) ** 2;
  return q;
}

/** Modularity of a partition of g taken as undirected (weights of u→v and v→u added). */
export function modularity(g: Graph, membership: ArrayLike<number>, resolution = 1): number {
  return modularityOf(toWGraph(g), membership, resolution);
}
