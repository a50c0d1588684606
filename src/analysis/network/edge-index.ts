/** Edge bookkeeping shared by the spread kernels: in-edge ↔ out-edge positions and mutual edges of a CSR Graph. */
import type { Graph } from './graph.js';

/** Out-edge index of each in-edge of g (in-lists are sorted by source, so one pass with cursors suffices). */
export function inToOutIndex(g: Graph): Int32Array {
  const map = new Int32Array(g.m);
  const cursor = g.inOffsets.slice(0, g.n);
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) map[cursor[g.outTargets[e]!]!++] = e;
  }
  return map;
}

/** True for each out-edge u → v whose reverse v → u also exists. */
export function mutualEdges(g: Graph): Uint8Array {
  const mutual = new Uint8Array(g.m);
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
      const v = g.outTargets[e]!;
      let lo = g.outOffsets[v]!, hi = g.outOffsets[v + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const x = g.outTargets[mid]!;
        if (x === u) {
          mutual[e] = 1;
          break;
        }
        if (x < u) lo = mid + 1;
        else hi = mid - 1;
      }
    }
  }
  return mutual;
}

/** Position of edge u → v among g's out-edges, or −1 (binary search in u's sorted row). */
export function findEdge(g: Graph, u: number, v: number): number {
  let lo = g.outOffsets[u]!, hi = g.outOffsets[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = g.outTargets[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
