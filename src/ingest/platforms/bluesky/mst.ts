/**
 * The Merkle Search Tree of an atproto repository: recognising its nodes and walking it in key order. A node is
 * {l: CID|null, e: [{p, k, v, t}]}; an entry's key is the previous entry's first `p` key bytes followed by `k`, `v` is
 * the record's CID and `t` the subtree of keys between it and the next entry. In-order: `l`, then per entry the entry
 * and its `t`. Whatever cannot be walked (a node missing, corrupt, or not a node) is reported, never thrown.
 */
import { CID } from 'multiformats/cid';
import { cidKey } from './car.js';
import { objectOf } from './values.js';

/** One entry of an MST node as decoded. */
export interface MstEntry {
  p: number;
  k: Uint8Array;
  v: CID;
  t: CID | null;
}

/** An MST node as decoded. */
export interface MstNode {
  l: CID | null;
  e: unknown[];
}

/** What the walk knows about a block it is pointed at: the node it holds, where it is, and why it is untrusted. */
export interface NodeLookup {
  /** The decoded node, when the block is in the CAR and decodes as an MST node (even when its bytes are corrupt). */
  node?: MstNode;
  /** 1-based position of the block in the CAR, when it is there. */
  index?: number;
  /** Why the block cannot be trusted or walked (missing, corrupt, not a node), or undefined when it can. */
  problem?: string;
}

/** A key of the repository and the record it points at. */
export interface MstLeaf {
  type: 'leaf';
  key: string;
  cid: CID;
  /** 1-based CAR position of the node that names the key. */
  nodeIndex: number;
  /** Why the key cannot be trusted (a node above it is corrupt), or undefined when the path to it is sound. */
  unreachable?: string;
}

/** A part of the tree that could not be walked and names no key: a node missing, undecodable, or malformed. */
export interface MstDamage {
  type: 'damage';
  cid: string;
  /** 1-based CAR position of the node (or commit) that points at it. */
  parentIndex: number;
  reason: string;
}

/** The decoded value as an MST node, or undefined when it is not shaped like one. */
export function mstNodeOf(value: unknown): MstNode | undefined {
  const o = objectOf(value);
  if (o === undefined || !Array.isArray(o.e) || '$type' in o) return undefined;
  const l = o.l === undefined || o.l === null ? null : CID.asCID(o.l);
  if (o.l !== undefined && o.l !== null && l === null) return undefined;
  return { l, e: o.e };
}

type Work = { type: 'node'; cid: CID; parentIndex: number; taint?: string } | MstLeaf;

/**
 * The keys of the tree under `root` in key order, with the damage met on the way. `taint` marks every key as
 * unreachable (the commit pointing at the tree is itself corrupt). The nodes walked are added to `visited` (by
 * cidKey), and a node already in it is not walked again.
 */
export function* walkMst(
  root: CID,
  rootIndex: number,
  lookup: (cid: CID) => NodeLookup,
  taint?: string,
  visited = new Set<string>(),
): Generator<MstLeaf | MstDamage> {
  const stack: Work[] = [{ type: 'node', cid: root, parentIndex: rootIndex, taint }];
  for (let work = stack.pop(); work !== undefined; work = stack.pop()) {
    if (work.type === 'leaf') {
      yield work;
      continue;
    }
    const key = cidKey(work.cid);
    if (visited.has(key)) {
      const id = work.cid.toString();
      yield { type: 'damage', cid: id, parentIndex: work.parentIndex, reason: `MST node ${id} is reached twice (a loop)` };
      continue;
    }
    visited.add(key);
    const found = lookup(work.cid);
    if (found.node === undefined || found.index === undefined) {
      const id = work.cid.toString();
      yield { type: 'damage', cid: id, parentIndex: work.parentIndex, reason: found.problem ?? `MST node ${id} cannot be read` };
      continue;
    }
    const taintBelow = work.taint ?? (found.problem === undefined ? undefined : `MST node above it: ${found.problem}`);
    const { items, malformed } = nodeItems(found.node, found.index, taintBelow);
    if (malformed !== undefined) {
      const id = work.cid.toString();
      yield { type: 'damage', cid: id, parentIndex: work.parentIndex, reason: `MST node ${id} ${malformed}` };
    }
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
  }
}

/** A node's work in key order (left subtree, then each entry and its subtree), and what was malformed in it. */
function nodeItems(node: MstNode, index: number, taint: string | undefined): { items: Work[]; malformed?: string } {
  const items: Work[] = [];
  if (node.l !== null) items.push({ type: 'node', cid: node.l, parentIndex: index, taint });
  let previous = new Uint8Array(0);
  for (const [n, raw] of node.e.entries()) {
    const entry = entryOf(raw);
    if (entry === undefined || entry.p > previous.length) {
      return { items, malformed: `has a malformed entry (${n + 1} of ${node.e.length}); the keys after it cannot be read` };
    }
    const keyBytes = new Uint8Array(entry.p + entry.k.length);
    keyBytes.set(previous.subarray(0, entry.p), 0);
    keyBytes.set(entry.k, entry.p);
    previous = keyBytes;
    const leaf: MstLeaf = { type: 'leaf', key: Buffer.from(keyBytes).toString('utf8'), cid: entry.v, nodeIndex: index };
    if (taint !== undefined) leaf.unreachable = taint;
    items.push(leaf);
    if (entry.t !== null) items.push({ type: 'node', cid: entry.t, parentIndex: index, taint });
  }
  return { items };
}

function entryOf(value: unknown): MstEntry | undefined {
  const o = objectOf(value);
  if (o === undefined) return undefined;
  const v = CID.asCID(o.v);
  const t = o.t === undefined || o.t === null ? null : CID.asCID(o.t);
  const { p, k } = o;
  if (v === null || (o.t !== undefined && o.t !== null && t === null)) return undefined;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || !(k instanceof Uint8Array)) return undefined;
  return { p, k, v, t };
}

