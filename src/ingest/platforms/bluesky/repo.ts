/**
 * One repository CAR read into interchange records, in two passes: the first checks every block and walks the tree
 * from the signed commit to the keys; the second streams the blocks again and maps each record block a key points
 * at (in CAR order). What cannot be trusted — a block whose bytes do not match its CID, a key under a corrupt node,
 * a record block missing from a cut-short file — is rejected by its AT-URI (or its CID when nothing names it).
 */
import { CID } from 'multiformats/cid';
import type { Kind } from '../../../domain/index.js';
import type { Emitted, Origin, SourceEntry } from '../types.js';
import { cidKey, openCar } from './car.js';
import { type MstLeaf, type NodeLookup, walkMst } from './mst.js';
import { bareAccount, kindOfCollection, mapRecord } from './records.js';
import { type CarScan, decodeBlock, scanCar } from './scan.js';
import { atUri, splitRepoKey } from './uri.js';
import { at, jsonOf, objectOf, stringOf } from './values.js';

/** How many items a batch holds before it is handed on. */
const BATCH = 1000;

/** A key whose record block is in the CAR and sound, waiting for the second pass. */
interface PendingKey {
  collection: string;
  rkey: string;
  uri: string;
  /** The record block's CID, as text. */
  cid: string;
}

/** The repository commit's fields this reader needs. */
interface Commit {
  did: string;
  data: CID;
}

/** Reads one repository CAR into interchange records, rejects and reported items, in batches. */
export async function* readRepository(entry: SourceEntry): AsyncGenerator<Emitted[]> {
  const file = entry.path;
  let batch: Emitted[] = [];
  const scan = await scanCar(entry);
  if ('problem' in scan) {
    yield [reject('posts', { file, line: 1 }, 'header', scan.problem, null)];
    return;
  }
  if (scan.broken !== undefined) batch.push(reject('posts', { file, line: scan.broken.index }, 'block', scan.broken.reason, null));

  const tree = walkTree(scan, file);
  batch.push(...tree.emitted);
  const pending = tree.pending;
  if (tree.did !== undefined && !tree.hasProfile) {
    const origin = { file, line: scan.commit?.index ?? 1, record: `at://${tree.did}` };
    batch.push({ type: 'record', kind: 'accounts', fields: bareAccount(tree.did), origin, raw: jsonOf(scan.commit?.value) });
  }

  const car = await openCar(entry.open());
  const orphansSeen = new Set<string>();
  if (!('problem' in car)) {
    for await (const block of car.blocks) {
      if (block.type === 'broken') break;
      const id = cidKey(block.cid);
      const keys = pending.get(id);
      if (keys !== undefined && block.problem === undefined) {
        pending.delete(id);
        tree.accounted.add(id);
        const decoded = decodeBlock(block.cid, block.bytes);
        for (const key of keys) {
          const origin = { file, line: block.index, record: key.uri };
          if (decoded === undefined) {
            const cid = block.cid.toString();
            batch.push(reject(kindOfCollection(key.collection), origin, 'record', `record block ${cid} is not DAG-CBOR`, { uri: key.uri, cid }));
          } else {
            batch.push(...mapRecord({ did: tree.did ?? '', ...key, value: decoded.value, origin }));
          }
        }
      } else if (keys === undefined && !tree.accounted.has(id) && !tree.walked.has(id) && !orphansSeen.has(id)) {
        orphansSeen.add(id);
        const orphan = orphanItem(scan, id, block.index, block.cid, block.bytes, file, tree.damaged);
        if (orphan !== undefined) batch.push(orphan);
      }
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  for (const [id, keys] of pending) {
    for (const key of keys) {
      const origin = { file, line: scan.sound.get(id) ?? 1, record: key.uri };
      const reason = `record block ${key.cid} could not be read again`;
      batch.push(reject(kindOfCollection(key.collection), origin, 'cid', reason, { uri: key.uri, cid: key.cid }));
    }
  }
  if (batch.length > 0) yield batch;
}

/** What walking the tree gives: the keys to map, the rejects met, the owner, and what the second pass can skip. */
interface TreeWalk {
  did?: string;
  hasProfile: boolean;
  /** Sound record blocks the second pass maps, by cidKey (two keys may share a record block). */
  pending: Map<string, PendingKey[]>;
  /** Blocks already accounted for (commit, record blocks rejected or mapped), by cidKey: not orphans. */
  accounted: Set<string>;
  /** The MST nodes walked, by cidKey: not orphans. */
  walked: Set<string>;
  /** True when part of the tree could not be walked (then unreachable record blocks are rejected, not reported). */
  damaged: boolean;
  emitted: Emitted[];
}

function walkTree(scan: CarScan, file: string): TreeWalk {
  const result: TreeWalk = { hasProfile: false, pending: new Map(), accounted: new Set(), walked: new Set(), damaged: false, emitted: [] };
  const root = scan.roots[0];
  if (root === undefined) {
    result.damaged = true;
    result.emitted.push(reject('accounts', { file, line: 1 }, 'roots', 'the CAR header names no root (no repository commit)', null));
    return result;
  }
  result.accounted.add(cidKey(root));
  const commit = scan.commit === undefined ? undefined : commitOf(scan.commit.value);
  if (scan.commit === undefined || commit === undefined) {
    result.damaged = true;
    const problem = scan.corrupt.get(cidKey(root))?.problem;
    const reason =
      scan.commit !== undefined
        ? `the root block ${root.toString()} is not a repository commit (no did or data)`
        : (problem ?? `the commit block ${root.toString()} is missing from the CAR`);
    result.emitted.push(reject('accounts', { file, line: scan.commit?.index ?? 1, record: root.toString() }, 'cid', reason, jsonOf(scan.commit?.value ?? null)));
    return result;
  }
  result.did = commit.did;
  const taint = scan.commit.problem === undefined ? undefined : `the commit above it: ${scan.commit.problem}`;
  const lookup = (cid: CID): NodeLookup => nodeLookup(scan, cid);
  for (const item of walkMst(commit.data, scan.commit.index, lookup, taint, result.walked)) {
    if (item.type === 'damage') {
      result.damaged = true;
      result.emitted.push(reject('posts', { file, line: item.parentIndex, record: item.cid }, 'cid', item.reason, { cid: item.cid }));
    } else {
      keyOf(item, commit.did, scan, file, result);
    }
  }
  return result;
}

/** Files one key of the tree: pending when its record block is sound, otherwise rejected with why. */
function keyOf(leaf: MstLeaf, did: string, scan: CarScan, file: string, result: TreeWalk): void {
  const id = cidKey(leaf.cid);
  const cid = leaf.cid.toString();
  const parts = splitRepoKey(leaf.key);
  if (parts === undefined) {
    result.accounted.add(id);
    result.emitted.push(reject('posts', { file, line: leaf.nodeIndex, record: leaf.key }, 'key', `not a repository key (collection/rkey): ${JSON.stringify(leaf.key)}`, { key: leaf.key, cid }));
    return;
  }
  const uri = atUri(did, parts.collection, parts.rkey);
  const kind = kindOfCollection(parts.collection);
  const raw = { uri, cid };
  const corrupt = scan.corrupt.get(id);
  if (leaf.unreachable !== undefined) {
    result.accounted.add(id);
    result.emitted.push(reject(kind, { file, line: leaf.nodeIndex, record: uri }, 'cid', `unreachable: ${leaf.unreachable}`, raw));
  } else if (corrupt !== undefined) {
    result.accounted.add(id);
    result.emitted.push(reject(kind, { file, line: corrupt.index, record: uri }, 'cid', corrupt.problem, raw));
  } else if (!scan.sound.has(id)) {
    result.emitted.push(reject(kind, { file, line: leaf.nodeIndex, record: uri }, 'cid', `record block ${cid} is missing from the CAR`, raw));
  } else {
    const keys = result.pending.get(id) ?? [];
    keys.push({ ...parts, uri, cid });
    result.pending.set(id, keys);
    if (leaf.key === 'app.bsky.actor.profile/self') result.hasProfile = true;
  }
}

/** What the walk is told about a block it is pointed at as a node. */
function nodeLookup(scan: CarScan, cid: CID): NodeLookup {
  const id = cidKey(cid);
  const node = scan.nodes.get(id);
  if (node !== undefined) return { node: node.value, index: node.index, ...(node.problem === undefined ? {} : { problem: node.problem }) };
  const corrupt = scan.corrupt.get(id);
  if (corrupt !== undefined) return { index: corrupt.index, problem: `MST node ${corrupt.problem}; the records under it cannot be named` };
  if (scan.sound.has(id)) return { index: scan.sound.get(id), problem: `block ${cid.toString()} is not an MST node` };
  return { problem: `MST node block ${cid.toString()} is missing from the CAR; the records under it cannot be named` };
}

/** The commit's DID and tree root, or undefined when the root block is not a commit. */
function commitOf(value: unknown): Commit | undefined {
  const did = stringOf(at(value, 'did'));
  const data = CID.asCID(objectOf(value)?.data);
  return did !== undefined && did.startsWith('did:') && data !== null ? { did, data } : undefined;
}

/**
 * A block no key points at: a corrupt block is rejected by its CID; a record (a value with $type) is rejected when the
 * tree is damaged (it may be one of the records cut off) and reported otherwise; anything else is structure.
 */
function orphanItem(scan: CarScan, id: string, index: number, cid: CID, bytes: Uint8Array, file: string, damaged: boolean): Emitted | undefined {
  const origin = { file, line: index, record: cid.toString() };
  const corrupt = scan.corrupt.get(id);
  if (corrupt !== undefined) return reject('posts', origin, 'cid', corrupt.problem, { cid: origin.record });
  if (scan.nodes.has(id)) return undefined;
  const decoded = decodeBlock(cid, bytes);
  const type = stringOf(at(decoded?.value, '$type'));
  if (type === undefined) return undefined;
  const kind = kindOfCollection(type);
  if (damaged) {
    return reject(kind, origin, 'cid', `${type} record not reachable from the commit: the repository tree is damaged`, jsonOf(decoded?.value));
  }
  return { type: 'reported', kind, origin, reason: 'record not in the repository tree' };
}

function reject(kind: Kind, origin: Origin, field: string, reason: string, raw: unknown): Emitted {
  return { type: 'reject', kind, origin, field, reason, raw };
}
