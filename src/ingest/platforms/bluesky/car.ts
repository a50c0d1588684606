/**
 * CARv1 files: the header (recognised from the first bytes) and the blocks, each checked against its CID by
 * recomputing the SHA-256 multihash of its bytes. A block that does not match is still handed on, flagged, so the
 * reader can name what it held; a file that ends mid-block or is otherwise unreadable ends the stream with `broken`.
 */
import { CarBlockIterator } from '@ipld/car/iterator';
import { decode as decodeCbor } from '@ipld/dag-cbor';
import { equals } from 'multiformats/bytes';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { varint } from 'multiformats';

/** The multicodec code of DAG-CBOR, the codec of atproto commits, MST nodes and records. */
export const DAG_CBOR = 0x71;

/** How many leading bytes recognising a CAR header needs (a repository CAR's header is about 60 bytes). */
export const CAR_HEAD_BYTES = 1024;

/** One block of a CAR with the result of checking it against its CID. */
export interface CarBlock {
  type: 'block';
  /** 1-based position of the block in the file. */
  index: number;
  cid: CID;
  bytes: Uint8Array;
  /** Why the block cannot be trusted (its bytes do not match its CID), or undefined when it matches. */
  problem?: string;
}

/** The file could not be read any further: it ends mid-block, or a block's length or CID is garbage. */
export interface CarBroken {
  type: 'broken';
  /** 1-based position of the block that could not be read. */
  index: number;
  reason: string;
}

/** The roots of a CARv1 header read from a file's first bytes, or undefined when they are not a CARv1 header. */
export function carV1Roots(head: Uint8Array): CID[] | undefined {
  try {
    const [length, offset] = varint.decode(head);
    if (length === 0 || offset + length > head.length) return undefined;
    const header: unknown = decodeCbor(head.subarray(offset, offset + length));
    if (typeof header !== 'object' || header === null) return undefined;
    const { version, roots } = header as { version?: unknown; roots?: unknown };
    if (version !== 1 || !Array.isArray(roots)) return undefined;
    const cids = roots.map((r) => CID.asCID(r));
    return cids.every((c): c is CID => c !== null) ? cids : undefined;
  } catch {
    return undefined;
  }
}

/** A CID as a compact map key (its bytes as a latin1 string): much cheaper than its base32 text. */
export function cidKey(cid: CID): string {
  const b = cid.bytes;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Why a block's bytes cannot be trusted, or undefined when their SHA-256 multihash is the one its CID names. */
export async function blockProblem(cid: CID, bytes: Uint8Array): Promise<string | undefined> {
  const hashed = cid.multihash.code === sha256.code ? sha256.digest(bytes) : undefined;
  return verdict(cid, hashed instanceof Promise ? await hashed : hashed);
}

/** Compares a recomputed SHA-256 digest (undefined: another hash function, not checkable) with the CID's. */
function verdict(cid: CID, recomputed: { digest: Uint8Array } | undefined): string | undefined {
  if (recomputed === undefined) {
    return `cannot verify CID ${cid.toString()}: hash function 0x${cid.multihash.code.toString(16)} is not sha2-256`;
  }
  return equals(recomputed.digest, cid.multihash.digest) ? undefined : `block bytes do not match CID ${cid.toString()}`;
}

/** The roots and the checked blocks of a CAR, streamed; the header's problem when it cannot be read at all. */
export async function openCar(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ roots: CID[]; blocks: AsyncGenerator<CarBlock | CarBroken> } | { problem: string }> {
  let iterator: CarBlockIterator;
  let roots: CID[];
  try {
    iterator = await CarBlockIterator.fromIterable(chunks);
    roots = await iterator.getRoots();
  } catch (e) {
    return { problem: `cannot read the CAR header: ${(e as Error).message}` };
  }
  return { roots, blocks: checkedBlocks(iterator) };
}

async function* checkedBlocks(iterator: CarBlockIterator): AsyncGenerator<CarBlock | CarBroken> {
  let index = 0;
  const blocks = iterator[Symbol.asyncIterator]();
  for (;;) {
    index += 1;
    let next: IteratorResult<{ cid: CID; bytes: Uint8Array }>;
    try {
      next = await blocks.next();
    } catch (e) {
      yield { type: 'broken', index, reason: `the CAR ends or breaks at block ${index}: ${(e as Error).message}` };
      return;
    }
    if (next.done === true) return;
    const { cid, bytes } = next.value;
    // node's sha256 answers at once: await only when a hasher returns a promise (one microtask per block saved)
    const hashed = cid.multihash.code === sha256.code ? sha256.digest(bytes) : undefined;
    const problem = verdict(cid, hashed instanceof Promise ? await hashed : hashed);
    yield problem === undefined ? { type: 'block', index, cid, bytes } : { type: 'block', index, cid, bytes, problem };
  }
}
