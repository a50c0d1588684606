/**
 * Repost cascades (Goel, Anderson, Hofman, Watts 2016; Bakshy et al. 2011): each post's reposts and quotes arranged
 * into a tree by the usual reconstruction — a repost hangs under the latest earlier adopter among the reposter's
 * followees (the author counts, active at the post's time), else under the root. Per tree: size (nodes, root
 * included), depth, widest level, structural virality and the time to half size.
 */
import type { Adoptions } from './adoptions.js';
import type { Graph } from './graph.js';

/** The measures of one cascade. */
export interface CascadeMeasures {
  post_id: string;
  /** Nodes of the tree, the root (author) included: 1 + reposts. */
  size: number;
  /** Longest root-to-node path, in edges (0 without reposts). */
  depth: number;
  /** Most nodes on one level (the root's level counts, so ≥ 1). */
  max_breadth: number;
  /** Mean shortest-path distance over all pairs of tree nodes (Goel et al. 2016); 0 for a lone root. */
  structural_virality: number;
  /** Seconds from the post to the adoption that brings the tree to ⌈size/2⌉ nodes (the root is node 1). */
  time_to_half_s: number;
}

/** One reconstructed tree: parent of each adopter as a position in the item's adopter list, −1 = the root. */
export interface CascadeTree {
  parent: Int32Array;
}

/**
 * Reconstructs the tree of item i: for the j-th adopter (time order), its parent is the latest earlier adopter among
 * its followees (strictly earlier; ties to the lower position), else the root. `follows` has edges follower → followee.
 * `stampBuf`/`posBuf` are scratch arrays of length g.n (stampBuf initialised to −1) reused across items.
 */
export function reconstructTree(a: Adoptions, i: number, follows: Graph, stampBuf: Int32Array, posBuf: Int32Array): CascadeTree {
  const lo = a.offsets[i]!, hi = a.offsets[i + 1]!;
  const parent = new Int32Array(hi - lo).fill(-1);
  const { outOffsets, outTargets } = follows;
  for (let j = lo; j < hi; j++) {
    const v = a.nodes[j]!;
    const tv = a.times[j]!;
    let best = -1;
    let bestT = -Infinity;
    for (let e = outOffsets[v]!; e < outOffsets[v + 1]!; e++) {
      const u = outTargets[e]!;
      if (stampBuf[u] !== i) continue;
      const q = posBuf[u]!;
      const tu = a.times[lo + q]!;
      if (tu < tv && (tu > bestT || (tu === bestT && q < best))) {
        best = q;
        bestT = tu;
      }
    }
    parent[j - lo] = best;
    stampBuf[v] = i;
    posBuf[v] = j - lo;
  }
  return { parent };
}

/** Measures of a tree given as parents (−1 = root) of adopters listed in time order, with their times. */
export function treeMeasures(parent: Int32Array, times: ArrayLike<number>, start: number, postId = ''): CascadeMeasures {
  const r = parent.length;
  const size = r + 1;
  // Node 0 is the root, node j+1 the j-th adopter; parents always come earlier in time order.
  const depth = new Int32Array(size);
  let maxDepth = 0;
  for (let j = 0; j < r; j++) {
    const d = depth[parent[j]! + 1]! + 1;
    depth[j + 1] = d;
    if (d > maxDepth) maxDepth = d;
  }
  const level = new Int32Array(maxDepth + 1);
  for (let x = 0; x < size; x++) level[depth[x]!]!++;
  let maxBreadth = 0;
  for (let d = 0; d <= maxDepth; d++) if (level[d]! > maxBreadth) maxBreadth = level[d]!;
  return {
    post_id: postId,
    size,
    depth: maxDepth,
    max_breadth: maxBreadth,
    structural_virality: structuralVirality(parent),
    time_to_half_s: timeToHalf(times, start, size),
  };
}

/**
 * Structural virality in O(n): the sum of distances over unordered pairs of a tree is Σ over edges of s·(n − s),
 * s the size of the subtree below the edge; the mean over the n(n−1)/2 pairs follows. Parents must precede children.
 */
export function structuralVirality(parent: Int32Array): number {
  const size = parent.length + 1;
  if (size < 2) return 0;
  const sub = new Float64Array(size).fill(1);
  let wiener = 0;
  for (let j = parent.length - 1; j >= 0; j--) {
    const s = sub[j + 1]!;
    wiener += s * (size - s);
    sub[parent[j]! + 1]! += s;
  }
  return wiener / ((size * (size - 1)) / 2);
}

/** Seconds from the start to the ⌈size/2⌉-th node in time order (the root, at the start, is the first). */
function timeToHalf(times: ArrayLike<number>, start: number, size: number): number {
  const k = Math.ceil(size / 2);
  if (k <= 1) return 0;
  return (times[k - 2]! - start) / 1000;
}

/** Reconstructs and measures the cascade of every item that has a root (posts); items are kept in input order. */
export function measureCascades(a: Adoptions, follows: Graph): CascadeMeasures[] {
  const stamp = new Int32Array(follows.n).fill(-1);
  const pos = new Int32Array(follows.n);
  const out: CascadeMeasures[] = [];
  for (let i = 0; i < a.items; i++) {
    if (a.root[i]! < 0) continue;
    const { parent } = reconstructTree(a, i, follows, stamp, pos);
    const lo = a.offsets[i]!;
    out.push(treeMeasures(parent, a.times.subarray(lo, a.offsets[i + 1]!), a.start[i]!, a.ids[i]!));
  }
  return out;
}
