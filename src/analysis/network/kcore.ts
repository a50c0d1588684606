/**
 * Core numbers (k-core decomposition) by the O(m) bucket algorithm of Batagelj and Zaversnik (2003), on the
 * undirected simple graph underlying g: u and v are neighbours when u → v or v → u (counted once), self-loops are
 * ignored and weights play no part. The core number of v is the largest k such that v belongs to a subgraph in which
 * every node has degree ≥ k — the same as `networkx.core_number(G.to_undirected())`.
 */
import type { Graph } from './graph.js';

/** Calls visit(w) for each distinct neighbour w ≠ u of u (merging the sorted out- and in-lists). */
function forNeighbours(g: Graph, u: number, visit: (w: number) => void): void {
  let a = g.outOffsets[u]!, b = g.inOffsets[u]!;
  const ae = g.outOffsets[u + 1]!, be = g.inOffsets[u + 1]!;
  while (a < ae || b < be) {
    let w: number;
    if (b >= be || (a < ae && g.outTargets[a]! < g.inSources[b]!)) w = g.outTargets[a++]!;
    else if (a >= ae || g.inSources[b]! < g.outTargets[a]!) w = g.inSources[b++]!;
    else { w = g.outTargets[a++]!; b++; }
    if (w !== u) visit(w);
  }
}

/** Undirected simple degree of every node (distinct neighbours in either direction, self-loops excluded). */
export function undirectedDegrees(g: Graph): Int32Array {
  const deg = new Int32Array(g.n);
  for (let u = 0; u < g.n; u++) {
    let d = 0;
    forNeighbours(g, u, () => { d++; });
    deg[u] = d;
  }
  return deg;
}

/** Core number of every node of g (see the module comment for the graph it is computed on). */
export function coreNumbers(g: Graph): Int32Array {
  const n = g.n;
  const deg = undirectedDegrees(g);
  let maxDeg = 0;
  for (let v = 0; v < n; v++) if (deg[v]! > maxDeg) maxDeg = deg[v]!;
  // Bucket sort nodes by degree: bin[d] = first position of degree d in vert; pos[v] = position of v.
  const bin = new Int32Array(maxDeg + 2);
  for (let v = 0; v < n; v++) bin[deg[v]! + 1]!++;
  for (let d = 1; d <= maxDeg + 1; d++) bin[d]! += bin[d - 1]!;
  const vert = new Int32Array(n);
  const pos = new Int32Array(n);
  const fill = bin.slice(0, maxDeg + 1);
  for (let v = 0; v < n; v++) {
    pos[v] = fill[deg[v]!]!++;
    vert[pos[v]!] = v;
  }
  for (let i = 0; i < n; i++) {
    const v = vert[i]!;
    const dv = deg[v]!;
    forNeighbours(g, v, (u) => {
      const du = deg[u]!;
      if (du > dv) {
        // Swap u with the first node of its bucket, then shrink u's degree by one.
        const pu = pos[u]!, pw = bin[du]!, w = vert[pw]!;
        if (u !== w) {
          pos[u] = pw; vert[pu] = w;
          pos[w] = pu; vert[pw] = u;
        }
        bin[du]!++;
        deg[u] = du - 1;
      }
    });
  }
  return deg;
}
