/**
 * The Bluesky repository importer on CARs built at test time (test/support/bluesky-car.ts): exact counts per kind,
 * the mapping field by field, blocks whose bytes do not match their CID, damaged trees and cut-short files (rejects,
 * never a crash), recognition by content, and the same records on every read.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../src/domain/index.js';
import { blockProblem, openCar } from '../../../src/ingest/platforms/bluesky/car.js';
import { blueskyCarImporter } from '../../../src/ingest/platforms/bluesky/index.js';
import { bufferEntry, entriesOf, fileEntry } from '../../../src/ingest/platforms/entries.js';
import type { Emitted, SourceEntry } from '../../../src/ingest/platforms/types.js';
import { ALICE, BOB, CAROL, buildRepoCar, cidOf, fixtureRepo, ORIGINAL_TEXT, type BuiltRepo } from '../../support/bluesky-car.js';
import { tempDir } from '../../support/import.js';
import { TEST_DIR } from '../../support/paths.js';

const FIXTURE_CAR = join(TEST_DIR, 'fixtures', 'platforms', 'bluesky', 'repo.car');
const ctx = { conversionType: 'sale' as const };
const uri = (collection: string, rkey: string): string => `at://${ALICE}/${collection}/${rkey}`;
const postUri = (rkey: string): string => uri('app.bsky.feed.post', rkey);
const CORRUPT_POST = postUri('3l4bbbbbbbb2f');

async function readAll(entries: SourceEntry[]): Promise<Emitted[]> {
  const out: Emitted[] = [];
  for await (const batch of blueskyCarImporter.read(entries, ctx)) out.push(...batch);
  return out;
}

async function readRepo(repo: BuiltRepo | Buffer, name = 'repo.car'): Promise<Emitted[]> {
  return readAll([bufferEntry(name, Buffer.isBuffer(repo) ? repo : repo.bytes)]);
}

/** Records per kind, rejects per kind and field, reported per reason. */
function counts(items: Emitted[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const key =
      item.type === 'record' ? item.kind : item.type === 'reject' ? `reject ${item.kind} ${item.field}` : `reported ${item.kind}: ${item.reason}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function records(items: Emitted[], kind: string): Record<string, unknown>[] {
  return items.flatMap((i) => (i.type === 'record' && i.kind === kind ? [i.fields] : []));
}

function rejects(items: Emitted[]): Extract<Emitted, { type: 'reject' }>[] {
  return items.flatMap((i) => (i.type === 'reject' ? [i] : []));
}

function byId(items: Emitted[], kind: string, id: string): Record<string, unknown> | undefined {
  return records(items, kind).find((f) => f.id === id);
}

/** The same CAR with its blocks in another order (header kept). */
function reordered(repo: BuiltRepo, order: (blocks: BuiltRepo['blocks']) => BuiltRepo['blocks']): Buffer {
  const header = repo.bytes.subarray(0, repo.blocks[0].start);
  return Buffer.concat([header, ...order(repo.blocks).map((b) => repo.bytes.subarray(b.start, b.end))]);
}

describe('Bluesky repository CAR: the fixture', () => {
  const repo = buildRepoCar(fixtureRepo());

  it('is a real multi-layer MST, and the committed repo.car is this build', () => {
    expect(repo.layers).toBeGreaterThanOrEqual(2);
    expect(repo.blocks.filter((b) => b.what === 'node').length).toBeGreaterThan(1);
    expect(readFileSync(FIXTURE_CAR).equals(repo.bytes)).toBe(true);
  });

  it('gives exact counts per kind: records, rejects and reported', async () => {
    expect(counts(await readRepo(repo))).toEqual({
      accounts: 3, // the repository's own, and the two followed accounts (bare: their DIDs)
      posts: 6, // 4 posts + 1 more post (recordWithMedia) + 1 repost; the corrupt post is rejected
      links: 3,
      interactions: 7, // 1 reply, 2 quotes, 1 mention, 1 repost, 2 likes
      follows: 2,
      'reject posts cid': 1,
      'reported interactions: like of a non-post record': 1,
      'reported follows: collection not imported: app.bsky.graph.block': 1,
    });
  });

  it('maps the profile to the account (no handle: the repository does not hold it)', async () => {
    const items = await readRepo(repo);
    expect(records(items, 'accounts').filter((a) => a.id === ALICE)).toEqual([
      { id: ALICE, platform: 'bluesky', name: 'Alice Example ✨', created_at: '2023-05-01T09:00:00.000Z' },
    ]);
    const followed = records(items, 'follows').map((f) => f.followee_id);
    expect(records(items, 'accounts').filter((a) => a.id !== ALICE)).toEqual(followed.map((id) => ({ id, platform: 'bluesky' })));
    const account = items.find((i) => i.type === 'record' && i.kind === 'accounts');
    expect(account?.origin).toMatchObject({ file: 'repo.car', record: uri('app.bsky.actor.profile', 'self') });
  });

  it('maps an original post with emoji, several lines, a mention and one distinct link', async () => {
    const items = await readRepo(repo);
    const id = postUri('3l4bbbbbbbb2a');
    expect(byId(items, 'posts', id)).toEqual({
      id,
      author_id: ALICE,
      created_at: '2024-09-01T10:00:00.000Z',
      text: ORIGINAL_TEXT,
      url: `https://bsky.app/profile/${ALICE}/post/3l4bbbbbbbb2a`,
      kind: 'original',
      platform: 'bluesky',
      lang: 'en',
    });
    expect(records(items, 'links').filter((l) => l.post_id === id)).toEqual([
      { id: `${id}#1`, url: 'https://example.com/book?ref=alice', post_id: id, author_id: ALICE, created_at: '2024-09-01T10:00:00.000Z' },
    ]);
    expect(records(items, 'interactions').filter((x) => x.type === 'mention')).toEqual([
      { type: 'mention', actor_id: ALICE, post_id: id, target_id: BOB, created_at: '2024-09-01T10:00:00.000Z' },
    ]);
    const item = items.find((i) => i.type === 'record' && i.fields.id === id);
    expect(item?.origin).toEqual({ file: 'repo.car', line: repo.blocks.findIndex((b) => b.what === 'record' && b.keys[0] === `app.bsky.feed.post/3l4bbbbbbbb2a`) + 1, record: id });
    expect((item as { raw: { facets: unknown[] } }).raw.facets).toHaveLength(3);
  });

  it('maps a reply: reply_to is the parent, and a reply interaction by the owner on it', async () => {
    const items = await readRepo(repo);
    const id = postUri('3l4bbbbbbbb2b');
    const parent = `at://${BOB}/app.bsky.feed.post/3l3bobparent2`;
    expect(byId(items, 'posts', id)).toMatchObject({ kind: 'reply', reply_to: parent, text: 'Agreed — ordering it now.', lang: 'en' });
    expect(records(items, 'interactions').filter((x) => x.type === 'reply')).toEqual([
      { type: 'reply', actor_id: ALICE, post_id: parent, created_at: '2024-09-02T11:30:00.000Z' },
    ]);
  });

  it('maps quotes (embed.record and recordWithMedia): quote_of and a quote interaction', async () => {
    const items = await readRepo(repo);
    const carol = `at://${CAROL}/app.bsky.feed.post/3l3carolpost2`;
    const bob = `at://${BOB}/app.bsky.feed.post/3l3bobparent2`;
    expect(byId(items, 'posts', postUri('3l4bbbbbbbb2c'))).toMatchObject({ kind: 'quote', quote_of: carol, lang: 'en', text: 'This. 👇' });
    const withMedia = byId(items, 'posts', postUri('3l4bbbbbbbb2e'));
    expect(withMedia).toMatchObject({ kind: 'quote', quote_of: bob });
    expect(withMedia).not.toHaveProperty('lang');
    expect(records(items, 'interactions').filter((x) => x.type === 'quote')).toEqual([
      { type: 'quote', actor_id: ALICE, post_id: carol, created_at: '2024-09-03T08:15:00.000Z' },
      { type: 'quote', actor_id: ALICE, post_id: bob, created_at: '2024-09-05T12:00:00.000Z' },
    ]);
  });

  it('gives a post with a link facet and an external embed two links, facet first', async () => {
    const items = await readRepo(repo);
    const id = postUri('3l4bbbbbbbb2d');
    expect(byId(items, 'posts', id)).toMatchObject({ kind: 'original', lang: 'fr' });
    expect(records(items, 'links').filter((l) => l.post_id === id).map((l) => [l.id, l.url])).toEqual([
      [`${id}#1`, 'https://example.com/other'],
      [`${id}#2`, 'https://shop.example.org/item/42'],
    ]);
  });

  it('maps a repost to a repost post and a repost interaction, likes and follows', async () => {
    const items = await readRepo(repo);
    const subject = `at://${BOB}/app.bsky.feed.post/3l3bobroot222`;
    const repost = uri('app.bsky.feed.repost', '3l4cccccccc2a');
    expect(byId(items, 'posts', repost)).toEqual({
      id: repost,
      author_id: ALICE,
      created_at: '2024-09-07T09:00:00.000Z',
      kind: 'repost',
      repost_of: subject,
      platform: 'bluesky',
    });
    const interactions = records(items, 'interactions');
    expect(interactions.filter((x) => x.type === 'repost')).toEqual([
      { type: 'repost', actor_id: ALICE, post_id: subject, created_at: '2024-09-07T09:00:00.000Z' },
    ]);
    expect(interactions.filter((x) => x.type === 'like')).toEqual([
      { type: 'like', actor_id: ALICE, post_id: subject, created_at: '2024-09-08T09:00:00.000Z' },
      { type: 'like', actor_id: ALICE, post_id: `at://${CAROL}/app.bsky.feed.post/3l3carolpost2`, created_at: '2024-09-08T09:05:00.000Z' },
    ]);
    expect(records(items, 'follows')).toEqual([
      { follower_id: ALICE, followee_id: BOB, since: '2024-08-01T00:00:00.000Z' },
      { follower_id: ALICE, followee_id: CAROL, since: '2024-08-02T00:00:00.000Z' },
    ]);
    const reported = items.filter((i) => i.type === 'reported');
    expect(reported.map((r) => r.origin.record)).toEqual([uri('app.bsky.feed.like', '3l4aaaaaaaa2c'), uri('app.bsky.graph.block', '3l4dddddddd2a')]);
  });

  it('rejects the record whose block bytes do not match its CID, by AT-URI, on the field cid', async () => {
    const items = await readRepo(repo);
    const block = repo.blocks.find((b) => b.keys[0] === 'app.bsky.feed.post/3l4bbbbbbbb2f' && b.what === 'record');
    expect(rejects(items)).toEqual([
      {
        type: 'reject',
        kind: 'posts',
        origin: { file: 'repo.car', line: repo.blocks.indexOf(block!) + 1, record: CORRUPT_POST },
        field: 'cid',
        reason: `block bytes do not match CID ${block!.cid.toString()}`,
        raw: { uri: CORRUPT_POST, cid: block!.cid.toString() },
      },
    ]);
    expect(block!.cid.toString()).toMatch(/^bafy/);
    expect(items.some((i) => i.type === 'record' && i.fields.id === CORRUPT_POST)).toBe(false);
  });

  it('makes records every kind validates', async () => {
    const items = await readRepo(repo);
    for (const item of items) {
      if (item.type !== 'record') continue;
      const result = validateRecord(item.kind, item.fields);
      expect(result.ok ? 'ok' : JSON.stringify(result.issues)).toBe('ok');
    }
  });

  it('gives the same items on every read, and the same records whatever the block order', async () => {
    const first = await readRepo(repo);
    expect(await readRepo(repo)).toEqual(first);
    const reversed = await readRepo(reordered(repo, (b) => [b[0], ...b.slice(1).reverse()]));
    const sorted = (items: Emitted[]): string[] => items.map((i) => JSON.stringify(i.type === 'record' ? [i.kind, i.fields] : [i.type, i.kind, i.origin.record])).sort();
    expect(sorted(reversed)).toEqual(sorted(first));
  });

  it('reads a repository without a profile: the account is its DID', async () => {
    const spec = fixtureRepo({ corruptRecords: [] });
    spec.records = spec.records.filter((r) => r.collection !== 'app.bsky.actor.profile');
    const items = await readRepo(buildRepoCar(spec));
    expect(records(items, 'accounts').filter((a) => a.id === ALICE)).toEqual([{ id: ALICE, platform: 'bluesky' }]);
    expect(rejects(items)).toEqual([]);
  });
});

describe('Bluesky repository CAR: blocks checked against their CIDs', () => {
  it('the CAR reader flags a block whose CID does not match its bytes', async () => {
    const good = encode({ hello: 'world' });
    const cid = cidOf(good);
    expect(await blockProblem(cid, good)).toBeUndefined();
    expect(await blockProblem(cid, encode({ hello: 'w0rld' }))).toBe(`block bytes do not match CID ${cid.toString()}`);
    const repo = buildRepoCar(fixtureRepo());
    const car = await openCar(bufferEntry('r.car', repo.bytes).open());
    if ('problem' in car) throw new Error(car.problem);
    const flagged: string[] = [];
    for await (const b of car.blocks) if (b.type === 'block' && b.problem !== undefined) flagged.push(b.cid.toString());
    expect(flagged).toEqual([repo.blocks.find((b) => b.keys[0] === 'app.bsky.feed.post/3l4bbbbbbbb2f' && b.what === 'record')!.cid.toString()]);
  });

  it('a corrupt MST node that still decodes: the keys under it are rejected by AT-URI', async () => {
    const repo = buildRepoCar(fixtureRepo({ corruptRecords: [], corruptNode: { key: 'app.bsky.feed.like/3l4aaaaaaaa2b', how: 'reencode' } }));
    const node = repo.blocks.find((b) => b.what === 'node' && b.keys.includes('app.bsky.feed.like/3l4aaaaaaaa2b'))!;
    const items = await readRepo(repo);
    expect(rejects(items).map((r) => [r.kind, r.origin.record, r.field, r.reason])).toEqual(
      node.keys.map((key) => {
        const [collection, rkey] = key.split('/');
        return [collection === 'app.bsky.feed.like' ? 'interactions' : 'posts', uri(collection, rkey), 'cid', `unreachable: MST node above it: block bytes do not match CID ${node.cid.toString()}`];
      }),
    );
    expect(node.keys.length).toBe(3);
    expect(counts(items)).toMatchObject({ accounts: 3, posts: 6, follows: 2 });
  });

  it('a corrupt root node taints the whole tree: every key is rejected, the account comes from the commit', async () => {
    const repo = buildRepoCar(fixtureRepo({ corruptRecords: [], corruptNode: { key: 'app.bsky.feed.like/3l4aaaaaaaa2a', how: 'reencode' } }));
    expect(repo.blocks[1].keys).toContain('app.bsky.feed.like/3l4aaaaaaaa2a'); // the root node
    const items = await readRepo(repo);
    expect(counts(items)).toEqual({
      accounts: 1,
      'reject accounts cid': 1,
      'reject interactions cid': 3,
      'reject posts cid': 7,
      'reject follows cid': 3,
    });
    expect(records(items, 'accounts')).toEqual([{ id: ALICE, platform: 'bluesky' }]);
  });

  it('a garbled MST node: the node is rejected by CID and the records cut off by their CIDs; no crash', async () => {
    const repo = buildRepoCar(fixtureRepo({ corruptRecords: [], corruptNode: { key: 'app.bsky.feed.like/3l4aaaaaaaa2b', how: 'garble' } }));
    const node = repo.blocks.find((b) => b.what === 'node' && b.keys.includes('app.bsky.feed.like/3l4aaaaaaaa2b'))!;
    const items = await readRepo(repo);
    const rejected = rejects(items);
    expect(rejected[0]).toMatchObject({
      kind: 'posts',
      field: 'cid',
      origin: { record: node.cid.toString() },
      reason: `MST node block bytes do not match CID ${node.cid.toString()}; the records under it cannot be named`,
    });
    const cutOff = repo.blocks.filter((b) => b.what === 'record' && node.keys.includes(b.keys[0]));
    expect(rejected.slice(1).map((r) => [r.kind, r.origin.record, r.field])).toEqual(
      cutOff.map((b) => [b.keys[0].startsWith('app.bsky.feed.like') ? 'interactions' : 'posts', b.cid.toString(), 'cid']),
    );
    expect(rejected[1].reason).toBe('app.bsky.feed.like record not reachable from the commit: the repository tree is damaged');
    expect(counts(items)).toMatchObject({ accounts: 3, posts: 6, follows: 2, 'reject posts cid': 2, 'reject interactions cid': 2 });
  });

  it('a record block missing from the CAR is rejected by its AT-URI', async () => {
    const items = await readRepo(buildRepoCar(fixtureRepo({ corruptRecords: [], omitRecords: ['app.bsky.graph.follow/3l4eeeeeeee2a'] })));
    expect(rejects(items)).toMatchObject([{ kind: 'follows', field: 'cid', origin: { record: uri('app.bsky.graph.follow', '3l4eeeeeeee2a') } }]);
    expect(rejects(items)[0].reason).toMatch(/^record block bafy\w+ is missing from the CAR$/);
    expect(records(items, 'follows')).toHaveLength(1);
  });
});

describe('Bluesky repository CAR: cut short', () => {
  const repo = buildRepoCar(fixtureRepo({ corruptRecords: [] }));

  it('cut in the middle of a record block: a reject for the break, the records after it rejected as missing', async () => {
    const n = repo.blocks.findIndex((b) => b.what === 'record' && b.keys[0] === 'app.bsky.feed.post/3l4bbbbbbbb2c');
    const cut = repo.blocks[n];
    const items = await readRepo(repo.bytes.subarray(0, cut.start + Math.floor((cut.end - cut.start) / 2)));
    const rejected = rejects(items);
    expect(rejected[0]).toMatchObject({ kind: 'posts', field: 'block', origin: { file: 'repo.car', line: n + 1 } });
    expect(rejected[0].reason).toMatch(new RegExp(`^the CAR ends or breaks at block ${n + 1}: `));
    const missing = repo.blocks.slice(n).map((b) => b.keys[0]);
    expect(rejected.slice(1).map((r) => r.origin.record)).toEqual(missing.map((k) => `at://${ALICE}/${k}`));
    expect(rejected.slice(1).every((r) => / is missing from the CAR$/.test(r.reason))).toBe(true);
    expect(counts(items)).toEqual({
      accounts: 1,
      posts: 2,
      links: 1,
      interactions: 4, // 2 likes, a mention, a reply
      'reported interactions: like of a non-post record': 1,
      'reject posts block': 1,
      'reject posts cid': 5, // 4 posts and a repost
      'reject follows cid': 3, // 2 follows and a block
    });
  });

  it('cut anywhere: never throws, always says so with a reject, and what it emits validates', async () => {
    for (let at = 0; at < repo.bytes.length; at += 37) {
      const items = await readRepo(repo.bytes.subarray(0, at));
      expect(rejects(items).length, `cut at ${at}`).toBeGreaterThan(0);
      for (const item of items) if (item.type === 'record') expect(validateRecord(item.kind, item.fields).ok).toBe(true);
    }
  });
});

describe('Bluesky repository CAR: recognition by content', () => {
  const repo = buildRepoCar(fixtureRepo());
  const claimed = async (entries: SourceEntry[]): Promise<string[]> => (await blueskyCarImporter.claim(entries)).map((e) => e.name);

  it('claims a repository CAR whatever its name, gzipped too, and nothing else in a folder', async () => {
    const dir = tempDir('clout-bsky-');
    mkdirSync(join(dir, 'export'));
    writeFileSync(join(dir, 'export', 'backup.bin'), repo.bytes);
    writeFileSync(join(dir, 'export', 'repo'), repo.bytes);
    writeFileSync(join(dir, 'export', 'repo.car.gz'), gzipSync(repo.bytes));
    writeFileSync(join(dir, 'export', 'tweets.js'), 'window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "1", "full_text" : "hi" } } ]');
    writeFileSync(join(dir, 'export', 'posts.csv'), 'id,author_id,created_at\np1,a1,2024-01-01T00:00:00Z\n');
    writeFileSync(join(dir, 'export', 'posts.ndjson'), '{"id":"p1","author_id":"a1","created_at":"2024-01-01T00:00:00Z"}\n');
    writeFileSync(join(dir, 'export', 'outbox.json'), '{"@context":"https://www.w3.org/ns/activitystreams","type":"OrderedCollection"}');
    writeFileSync(join(dir, 'export', 'empty.car'), '');
    const bundle = await entriesOf(join(dir, 'export'));
    expect(await claimed(bundle.entries)).toEqual(['backup.bin', 'repo', 'repo.car.gz']);
    const items = await readAll([fileEntry(join(dir, 'export', 'repo.car.gz'))]);
    expect(items).toEqual(await readRepo(repo, join(dir, 'export', 'repo.car.gz')));
  });

  it('does not claim a CAR that is not a repository (a dag-pb root, two roots, version 2) nor random bytes', async () => {
    const header = (h: Record<string, unknown>): Buffer => {
      const bytes = encode(h);
      return Buffer.concat([Buffer.from([bytes.length]), bytes]);
    };
    const dagPb = CID.create(1, 0x70, repo.root.multihash);
    expect(await claimed([bufferEntry('pb.car', header({ version: 1, roots: [dagPb] }))])).toEqual([]);
    expect(await claimed([bufferEntry('two.car', header({ version: 1, roots: [repo.root, repo.root] }))])).toEqual([]);
    expect(await claimed([bufferEntry('v2.car', header({ version: 2, roots: [repo.root] }))])).toEqual([]);
    expect(await claimed([bufferEntry('noise.car', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256)))])).toEqual([]);
    expect(await claimed([bufferEntry('header-only.car', header({ version: 1, roots: [repo.root] }))])).toEqual(['header-only.car']);
  });

  it('a claimed file whose header then fails to read gives one reject, not a crash', async () => {
    const items = await readRepo(Buffer.from([0x05, 0xa1, 0x61]), 'broken.car');
    expect(items).toMatchObject([{ type: 'reject', kind: 'posts', field: 'header', origin: { file: 'broken.car', line: 1 } }]);
  });
});
