/**
 * Builds atproto repository CARs for the Bluesky importer's tests: records encoded with DAG-CBOR, CIDs computed with
 * SHA-256 (CIDv1, dag-cbor), a real Merkle Search Tree (each key on the layer its hash gives, fanout 4), a commit,
 * and a CARv1 file written by hand. Options damage it on purpose: a record or MST node whose bytes change after its
 * CID was computed, record blocks left out.
 */
import { createHash } from 'node:crypto';
import { encode } from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { varint } from 'multiformats';

/** One record of the repository to build. */
export interface RecordSpec {
  collection: string;
  rkey: string;
  value: Record<string, unknown>;
}

/** How to build (and damage) the repository. */
export interface RepoSpec {
  did: string;
  records: RecordSpec[];
  /** Keys (`collection/rkey`) whose record block bytes change after the CID was computed. */
  corruptRecords?: string[];
  /** Keys whose record blocks are left out of the CAR. */
  omitRecords?: string[];
  /** Damage the MST node holding this key: 'reencode' keeps it decodable (an extra field), 'garble' makes it unreadable. */
  corruptNode?: { key: string; how: 'reencode' | 'garble' };
}

/** One block as written: what it is, and where its section (length varint, CID, bytes) sits in the file. */
export interface WrittenBlock {
  cid: CID;
  what: 'commit' | 'node' | 'record';
  /** The record's key, or for a node the keys it holds. */
  keys: string[];
  start: number;
  end: number;
}

/** The built CAR and what it holds. */
export interface BuiltRepo {
  bytes: Buffer;
  root: CID;
  /** The MST's number of layers (1 = a single leaf node). */
  layers: number;
  blocks: WrittenBlock[];
}

const DAG_CBOR = 0x71;
const SHA2_256 = 0x12;

/** The CIDv1 (dag-cbor, sha2-256) of a block's bytes. */
export function cidOf(bytes: Uint8Array): CID {
  const digest = createHash('sha256').update(bytes).digest();
  return CID.create(1, DAG_CBOR, Digest.create(SHA2_256, digest));
}

/** The MST layer of a key: leading zero bits of its SHA-256, counted in pairs (fanout 4). */
export function keyLayer(key: string): number {
  const hash = createHash('sha256').update(key).digest();
  let zeros = 0;
  for (const byte of hash) {
    if (byte === 0) {
      zeros += 8;
      continue;
    }
    zeros += Math.clz32(byte) - 24;
    break;
  }
  return Math.floor(zeros / 2);
}

interface Leaf {
  key: string;
  cid: CID;
  layer: number;
}

interface Block {
  cid: CID;
  bytes: Uint8Array;
  what: WrittenBlock['what'];
  keys: string[];
}

/** Builds a repository CAR: commit first, then the MST nodes (pre-order), then the records in key order. */
export function buildRepoCar(spec: RepoSpec): BuiltRepo {
  const records: Block[] = [];
  const leaves: Leaf[] = [];
  for (const r of [...spec.records].sort((a, b) => compareKeys(`${a.collection}/${a.rkey}`, `${b.collection}/${b.rkey}`))) {
    const key = `${r.collection}/${r.rkey}`;
    const bytes = encode(r.value);
    const cid = cidOf(bytes);
    leaves.push({ key, cid, layer: keyLayer(key) });
    if (spec.omitRecords?.includes(key)) continue;
    const written = spec.corruptRecords?.includes(key) ? encode({ ...r.value, tampered: true }) : bytes;
    records.push({ cid, bytes: written, what: 'record', keys: [key] });
  }
  const top = Math.max(0, ...leaves.map((l) => l.layer));
  const nodes: Block[] = [];
  const rootNode = buildNode(leaves, top, nodes, spec.corruptNode);
  const commit = encode({
    did: spec.did,
    version: 3,
    data: rootNode,
    rev: '3l4zzzzzzzz2a',
    prev: null,
    sig: new Uint8Array(64).fill(7),
  });
  const root = cidOf(commit);
  const blocks: Block[] = [{ cid: root, bytes: commit, what: 'commit', keys: [] }, ...nodes, ...records];
  return { ...writeCar(root, blocks), root, layers: top + 1 };
}

/** Writes a CARv1: header section, then one section per block (varint length, CID bytes, block bytes). */
function writeCar(root: CID, blocks: Block[]): { bytes: Buffer; blocks: WrittenBlock[] } {
  const parts: Uint8Array[] = [];
  let at = 0;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    at += b.length;
  };
  const header = encode({ version: 1, roots: [root] });
  push(varint.encodeTo(header.length, new Uint8Array(varint.encodingLength(header.length))));
  push(header);
  const written: WrittenBlock[] = [];
  for (const b of blocks) {
    const start = at;
    const length = b.cid.bytes.length + b.bytes.length;
    push(varint.encodeTo(length, new Uint8Array(varint.encodingLength(length))));
    push(b.cid.bytes);
    push(b.bytes);
    written.push({ cid: b.cid, what: b.what, keys: b.keys, start, end: at });
  }
  return { bytes: Buffer.concat(parts), blocks: written };
}

const PLACEHOLDER: Block = { cid: cidOf(new Uint8Array()), bytes: new Uint8Array(), what: 'node', keys: [] };

/** The node holding the leaves of `layer` (deeper ones in its subtrees); registers it and its subtrees in `out`. */
function buildNode(leaves: Leaf[], layer: number, out: Block[], damage: RepoSpec['corruptNode']): CID {
  const slot = out.length;
  out.push(PLACEHOLDER); // the node goes before its subtrees (pre-order); filled in once they are built
  let left: CID | null = null;
  const entries: { p: number; k: Uint8Array; v: CID; t: CID | null }[] = [];
  const keys: string[] = [];
  let below: Leaf[] = [];
  let previous = new Uint8Array(0);
  const closeSubtree = (): CID | null => {
    const sub = below.length === 0 ? null : buildNode(below, layer - 1, out, damage);
    below = [];
    return sub;
  };
  for (const leaf of leaves) {
    if (leaf.layer < layer) {
      below.push(leaf);
      continue;
    }
    const sub = closeSubtree();
    if (entries.length === 0) left = sub;
    else entries[entries.length - 1].t = sub;
    const key = new TextEncoder().encode(leaf.key);
    let p = 0;
    while (p < previous.length && p < key.length && previous[p] === key[p]) p++;
    entries.push({ p, k: key.subarray(p), v: leaf.cid, t: null });
    keys.push(leaf.key);
    previous = key;
  }
  const last = closeSubtree();
  if (entries.length === 0) left = last;
  else entries[entries.length - 1].t = last;
  const node = { l: left, e: entries };
  const bytes = encode(node);
  const cid = cidOf(bytes);
  let written = bytes;
  if (damage !== undefined && keys.includes(damage.key)) {
    written = damage.how === 'reencode' ? encode({ ...node, x: 1 }) : Uint8Array.from(bytes, (b) => b ^ 0xff);
  }
  out[slot] = { cid, bytes: written, what: 'node', keys };
  return cid;
}

/** Byte order of UTF-8 keys (the MST's order). */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The DIDs of the fixture repository's owner and the accounts it acts on. */
export const ALICE = 'did:plc:aliceaaaaaaaaaaaaaaaaaaa';
export const BOB = 'did:plc:bobbbbbbbbbbbbbbbbbbbbbb';
export const CAROL = 'did:plc:carolccccccccccccccccccc';

/** A strong reference to a post of another account (the CID is a made-up one of the right form). */
function ref(did: string, rkey: string): { uri: string; cid: CID } {
  const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
  return { uri, cid: cidOf(new TextEncoder().encode(uri)) };
}

/** A richtext facet over the first occurrence (after `from` bytes) of `part` in `text`, with byte offsets. */
function facet(text: string, part: string, feature: Record<string, unknown>, from = 0): Record<string, unknown> {
  const bytes = Buffer.from(text);
  const byteStart = bytes.indexOf(Buffer.from(part), from);
  if (byteStart < 0) throw new Error(`${part} is not in the text`);
  return { index: { byteStart, byteEnd: byteStart + Buffer.byteLength(part) }, features: [feature] };
}

/** The text of the fixture's original post: emoji, several lines, a mention and the same link twice. */
export const ORIGINAL_TEXT = 'WOW! This book amazes me 📚 thanks @bob.example.com\nhow we can connect with people\nexample.com/book (again: example.com/book)';
const BOOK = 'https://example.com/book?ref=alice';
const QUOTE_TEXT = 'This. 👇';

/** The fixture repository: a profile, five posts (one corrupt), a repost, likes, follows and a block. */
export function fixtureRepo(extra: Partial<RepoSpec> = {}): RepoSpec {
  const post = (rkey: string, value: Record<string, unknown>): RecordSpec => ({
    collection: 'app.bsky.feed.post',
    rkey,
    value: { $type: 'app.bsky.feed.post', ...value },
  });
  const secondBook = Buffer.from(ORIGINAL_TEXT).indexOf('example.com/book') + 1;
  return {
    did: ALICE,
    corruptRecords: ['app.bsky.feed.post/3l4bbbbbbbb2f'],
    records: [
      {
        collection: 'app.bsky.actor.profile',
        rkey: 'self',
        value: { $type: 'app.bsky.actor.profile', displayName: 'Alice Example ✨', description: 'Reads books.\nPlants trees.', createdAt: '2023-05-01T09:00:00.000Z' },
      },
      post('3l4bbbbbbbb2a', {
        text: ORIGINAL_TEXT,
        createdAt: '2024-09-01T10:00:00.000Z',
        langs: ['en'],
        facets: [
          facet(ORIGINAL_TEXT, 'example.com/book', { $type: 'app.bsky.richtext.facet#link', uri: BOOK }, secondBook),
          facet(ORIGINAL_TEXT, '@bob.example.com', { $type: 'app.bsky.richtext.facet#mention', did: BOB }),
          facet(ORIGINAL_TEXT, 'example.com/book', { $type: 'app.bsky.richtext.facet#link', uri: BOOK }),
        ],
      }),
      post('3l4bbbbbbbb2b', {
        text: 'Agreed — ordering it now.',
        createdAt: '2024-09-02T11:30:00.000Z',
        langs: ['en'],
        reply: { root: ref(BOB, '3l3bobroot222'), parent: ref(BOB, '3l3bobparent2') },
      }),
      post('3l4bbbbbbbb2c', {
        text: QUOTE_TEXT,
        createdAt: '2024-09-03T08:15:00.000Z',
        langs: ['en', 'de'],
        embed: { $type: 'app.bsky.embed.record', record: ref(CAROL, '3l3carolpost2') },
      }),
      post('3l4bbbbbbbb2d', {
        text: 'Deux liens : https://example.com/other',
        createdAt: '2024-09-04T16:45:00.000Z',
        langs: ['fr'],
        facets: [facet('Deux liens : https://example.com/other', 'https://example.com/other', { $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/other' })],
        embed: {
          $type: 'app.bsky.embed.external',
          external: { uri: 'https://shop.example.org/item/42', title: 'The book', description: 'Buy it here' },
        },
      }),
      post('3l4bbbbbbbb2e', {
        text: 'Look at this',
        createdAt: '2024-09-05T12:00:00.000Z',
        embed: {
          $type: 'app.bsky.embed.recordWithMedia',
          record: { $type: 'app.bsky.embed.record', record: ref(BOB, '3l3bobparent2') },
          media: { $type: 'app.bsky.embed.images', images: [{ alt: 'a cover', image: { $type: 'blob', ref: cidOf(new Uint8Array([1])), mimeType: 'image/jpeg', size: 1 } }] },
        },
      }),
      post('3l4bbbbbbbb2f', { text: 'This post gets corrupted', createdAt: '2024-09-06T12:00:00.000Z', langs: ['en'] }),
      {
        collection: 'app.bsky.feed.repost',
        rkey: '3l4cccccccc2a',
        value: { $type: 'app.bsky.feed.repost', subject: ref(BOB, '3l3bobroot222'), createdAt: '2024-09-07T09:00:00.000Z' },
      },
      ...[
        ['3l4aaaaaaaa2a', ref(BOB, '3l3bobroot222'), '2024-09-08T09:00:00.000Z'],
        ['3l4aaaaaaaa2b', ref(CAROL, '3l3carolpost2'), '2024-09-08T09:05:00.000Z'],
        ['3l4aaaaaaaa2c', { uri: `at://${BOB}/app.bsky.feed.generator/books`, cid: cidOf(new Uint8Array([2])) }, '2024-09-08T09:10:00.000Z'],
      ].map(([rkey, subject, createdAt]) => ({
        collection: 'app.bsky.feed.like',
        rkey: rkey as string,
        value: { $type: 'app.bsky.feed.like', subject, createdAt },
      })),
      ...[
        ['3l4eeeeeeee2a', BOB, '2024-08-01T00:00:00.000Z'],
        ['3l4eeeeeeee2b', CAROL, '2024-08-02T00:00:00.000Z'],
      ].map(([rkey, subject, createdAt]) => ({
        collection: 'app.bsky.graph.follow',
        rkey,
        value: { $type: 'app.bsky.graph.follow', subject, createdAt },
      })),
      {
        collection: 'app.bsky.graph.block',
        rkey: '3l4dddddddd2a',
        value: { $type: 'app.bsky.graph.block', subject: 'did:plc:spamsssssssssssssssssss', createdAt: '2024-08-03T00:00:00.000Z' },
      },
    ],
    ...extra,
  };
}
