/**
 * Adoption items — the common input of cascades, contagion and edge-probability learning: for each item (a post,
 * whose adopters are its reposters; or a product, whose adopters are its buyers) who adopted it and when, in CSR form
 * over the node indices of a follow Graph (edges follower → followee).
 *
 * Conventions: times are epoch ms; each node adopts an item at most once (its first adoption counts); a post's root
 * is its author, active at the post's time and never an adopter of its own post; adoptions before the item's start
 * are dropped (and counted) because no cascade can explain them.
 */
import { CloutError } from '../../domain/index.js';

/** Items and their adopters in CSR form, each item's adopters sorted by time (ties by node index). */
export interface Adoptions {
  /** Number of items. */
  readonly items: number;
  /** External id of each item. */
  readonly ids: readonly string[];
  /** Start of each item (the post's time; for a product, its first adoption), epoch ms. */
  readonly start: Float64Array;
  /** Root (author) node of each item, or −1 when the item has none (products). */
  readonly root: Int32Array;
  /** Adopters of item i are nodes[offsets[i] .. offsets[i+1]), adopted at times[...]; the root is not among them. */
  readonly offsets: Int32Array;
  readonly nodes: Int32Array;
  readonly times: Float64Array;
  /** End of observation, epoch ms (≥ every time). */
  readonly end: number;
  /** Adoptions dropped: repeats, the root adopting its own item, or adoptions before the item's start. */
  readonly dropped: number;
}

/** One item as the edge delivers it. */
export interface AdoptionItemInput {
  id: string;
  /** Item start, epoch ms (default: its first adoption). */
  start?: number;
  /** Root node index (the author), if any. */
  root?: number;
  /** Adopter node indices and times (any order, repeats allowed). */
  nodes: ArrayLike<number>;
  times: ArrayLike<number>;
}

/** Builds Adoptions from per-item lists: sorts by time, keeps each node's first adoption, drops what cannot count. */
export function buildAdoptions(items: readonly AdoptionItemInput[], n: number, end?: number): Adoptions {
  const ids: string[] = [];
  const start = new Float64Array(items.length);
  const root = new Int32Array(items.length);
  const offsets = new Int32Array(items.length + 1);
  let total = 0;
  for (const it of items) total += it.nodes.length;
  const nodes = new Int32Array(total);
  const times = new Float64Array(total);
  const seen = new Int32Array(n).fill(-1);
  let m = 0, dropped = 0, last = -Infinity;
  items.forEach((it, i) => {
    if (it.nodes.length !== it.times.length) throw new CloutError('input', `adoptions: item ${it.id} has ${it.nodes.length} nodes but ${it.times.length} times`);
    ids.push(it.id);
    const r = it.root ?? -1;
    if (r >= n) throw new CloutError('input', `adoptions: root ${r} of item ${it.id} is not a node (n = ${n})`);
    const order = Array.from({ length: it.nodes.length }, (_, j) => j);
    order.sort((a, b) => it.times[a]! - it.times[b]! || it.nodes[a]! - it.nodes[b]!);
    const s = it.start ?? (order.length > 0 ? it.times[order[0]!]! : 0);
    start[i] = s;
    root[i] = r;
    offsets[i] = m;
    if (s > last) last = s;
    for (const j of order) {
      const v = it.nodes[j]!, t = it.times[j]!;
      if (!(v >= 0 && v < n)) throw new CloutError('input', `adoptions: node ${v} of item ${it.id} is not a node (n = ${n})`);
      if (!Number.isFinite(t)) throw new CloutError('input', `adoptions: item ${it.id} has a time that is not finite`);
      if (seen[v] === i || v === r || t < s) {
        dropped++;
        continue;
      }
      seen[v] = i;
      nodes[m] = v;
      times[m] = t;
      if (t > last) last = t;
      m++;
    }
  });
  offsets[items.length] = m;
  const e = end ?? last;
  if (e < last) throw new CloutError('input', `adoptions: end ${e} is before the last event ${last}`);
  return {
    items: items.length, ids, start, root, offsets,
    nodes: m === total ? nodes : nodes.slice(0, m),
    times: m === total ? times : times.slice(0, m),
    end: e, dropped,
  };
}

/**
 * The active nodes of item i in time order with the root first (at the item's start): the "adopters" of the
 * contagion and probability kernels, where the author's post is its own adoption. Writes into the given buffers and
 * returns the count.
 */
export function activeOf(a: Adoptions, i: number, nodesOut: Int32Array, timesOut: Float64Array): number {
  let c = 0;
  if (a.root[i]! >= 0) {
    nodesOut[0] = a.root[i]!;
    timesOut[0] = a.start[i]!;
    c = 1;
  }
  for (let j = a.offsets[i]!; j < a.offsets[i + 1]!; j++) {
    nodesOut[c] = a.nodes[j]!;
    timesOut[c] = a.times[j]!;
    c++;
  }
  return c;
}

/** The largest number of active nodes of any item (root included): the size of buffers for activeOf. */
export function maxActive(a: Adoptions): number {
  let best = 0;
  for (let i = 0; i < a.items; i++) best = Math.max(best, a.offsets[i + 1]! - a.offsets[i]! + (a.root[i]! >= 0 ? 1 : 0));
  return best;
}
