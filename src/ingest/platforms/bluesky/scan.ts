/**
 * The first pass over a repository CAR: every block checked against its CID, and kept only what walking the tree
 * needs — the commit, the MST nodes (decoded), where each block is, and why the untrusted ones are untrusted.
 * Record blocks are not kept: a second pass maps them (memory grows with the tree, not with the records' bytes).
 */
import { decode as decodeCbor } from '@ipld/dag-cbor';
import type { CID } from 'multiformats/cid';
import type { SourceEntry } from '../types.js';
import { type CarBroken, cidKey, DAG_CBOR, openCar } from './car.js';
import { type MstNode, mstNodeOf } from './mst.js';

/** A decoded block kept by the scan: where it is and why it is untrusted (undefined when its bytes match its CID). */
export interface KeptBlock<T> {
  value: T;
  index: number;
  problem?: string;
}

/** What the first pass learnt about a CAR. */
export interface CarScan {
  roots: CID[];
  /** 1-based position of every block whose bytes match its CID (its first such copy), by cidKey. */
  sound: Map<string, number>;
  /** Blocks with no copy whose bytes match its CID: position and problem, by cidKey. */
  corrupt: Map<string, { index: number; problem: string }>;
  /** Blocks that decode as MST nodes (corrupt ones included, flagged), by cidKey. */
  nodes: Map<string, KeptBlock<MstNode>>;
  /** The root block, decoded, when the CAR holds it. */
  commit?: KeptBlock<unknown>;
  /** Where and why the file could not be read to its end. */
  broken?: CarBroken;
}

/** The decoded value of DAG-CBOR bytes, or undefined when they do not decode. */
export function decodeBlock(cid: CID, bytes: Uint8Array): { value: unknown } | undefined {
  if (cid.code !== DAG_CBOR) return undefined;
  try {
    return { value: decodeCbor(bytes) };
  } catch {
    return undefined;
  }
}

/**
 * True when DAG-CBOR bytes may be an MST node: a map whose first key is "e" (DAG-CBOR sorts keys shortest first, so
 * a node's `e` comes before `l`; a record's first key is longer, such as `$type`). Saves decoding every record twice.
 */
export function mayBeMstNode(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] >= 0xa1 && bytes[0] <= 0xb7 && bytes[1] === 0x61 && bytes[2] === 0x65;
}

/** Reads a CAR entry once: its roots and what every block is; the header's problem when it cannot be read at all. */
export async function scanCar(entry: SourceEntry): Promise<CarScan | { problem: string }> {
  const car = await openCar(entry.open());
  if ('problem' in car) return car;
  const root = car.roots[0] === undefined ? undefined : cidKey(car.roots[0]);
  const scan: CarScan = { roots: car.roots, sound: new Map(), corrupt: new Map(), nodes: new Map() };
  for await (const block of car.blocks) {
    if (block.type === 'broken') {
      scan.broken = block;
      break;
    }
    const id = cidKey(block.cid);
    if (scan.sound.has(id)) continue;
    if (block.problem === undefined) {
      scan.sound.set(id, block.index);
      scan.corrupt.delete(id);
    } else if (!scan.corrupt.has(id)) {
      scan.corrupt.set(id, { index: block.index, problem: block.problem });
    }
    const isRoot = id === root;
    if (!isRoot && !mayBeMstNode(block.bytes)) continue;
    const decoded = decodeBlock(block.cid, block.bytes);
    if (decoded === undefined) continue;
    const kept = { index: block.index, ...(block.problem === undefined ? {} : { problem: block.problem }) };
    if (isRoot) scan.commit = { value: decoded.value, ...kept };
    const node = mstNodeOf(decoded.value);
    if (node !== undefined) scan.nodes.set(id, { value: node, ...kept });
  }
  return scan;
}
