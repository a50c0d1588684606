/**
 * The X/Twitter archive importer on its hand-made fixture archive (test/fixtures/platforms/x-archive/archive):
 * exact counts per kind, field-by-field mapping, rejects with origin and reason, recognition by content, the same
 * records from the folder and from a .zip of it, the same records twice, and every record valid for its schema.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRecord, type Kind } from '../../../src/domain/index.js';
import { bufferEntry, entriesOf, fileEntry } from '../../../src/ingest/platforms/entries.js';
import type { Emitted, SourceEntry } from '../../../src/ingest/platforms/types.js';
import { xArchiveImporter } from '../../../src/ingest/platforms/x-archive.js';
import { parseXDate, snowflakeTime } from '../../../src/ingest/platforms/x/dates.js';
import { TEST_DIR } from '../../support/paths.js';
import { dumpTable, freshStore, readRejects } from '../../support/import.js';
import { writeZip } from '../../support/zip-writer.js';
import { importPaths } from '../../../src/ingest/index.js';
import { closeStore } from '../../../src/store/index.js';

const ARCHIVE = join(TEST_DIR, 'fixtures', 'platforms', 'x-archive', 'archive');
const DATA = join(ARCHIVE, 'data');
const ctx = { conversionType: 'sale' as const };
const OWNER = '987654321';

async function readAll(entries: readonly SourceEntry[]): Promise<Emitted[]> {
  const out: Emitted[] = [];
  for await (const batch of xArchiveImporter.read(entries, ctx)) out.push(...batch);
  return out;
}

async function importFolder(path: string): Promise<Emitted[]> {
  const { entries, close } = await entriesOf(path);
  try {
    return await readAll(await xArchiveImporter.claim(entries));
  } finally {
    close();
  }
}

type Rec = Extract<Emitted, { type: 'record' }>;
type Rej = Extract<Emitted, { type: 'reject' }>;
const records = (items: Emitted[], kind?: Kind): Rec[] => items.filter((e): e is Rec => e.type === 'record' && (kind === undefined || e.kind === kind));
const rejects = (items: Emitted[]): Rej[] => items.filter((e): e is Rej => e.type === 'reject');

function countByKind(items: Emitted[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of items) {
    const key = `${e.type}:${e.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Items without the file's location (which differs between the folder and the .zip). */
const located = (items: Emitted[], root: string) =>
  items.map((e) => ({ ...e, origin: { ...e.origin, file: e.origin.file.slice(root.length) } }));

/** Writes the files under `dir` (name order) into a .zip archive. */
function zipFolder(dir: string, zipPath: string): void {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]));
  writeZip(zipPath, walk(dir).map((path) => ({ name: relative(dir, path).split(sep).join('/'), data: readFileSync(path) })));
}

let items: Emitted[];
beforeAll(async () => {
  items = await importFolder(ARCHIVE);
});

describe('X archive: recognition', () => {
  it('claims the data files it reads, by content, and nothing else', async () => {
    const { entries, close } = await entriesOf(ARCHIVE);
    const claimed = await xArchiveImporter.claim(entries);
    close();
    expect(claimed.map((e) => e.name)).toEqual(['data/account.js', 'data/follower.js', 'data/following.js', 'data/like.js', 'data/tweets-part1.js', 'data/tweets.js']);
  });

  it('claims a renamed file by its content, an older tweet.js, and not other files', async () => {
    const tweets = readFileSync(join(DATA, 'tweets.js'));
    const old = Buffer.from(tweets.toString('utf8').replace('window.YTD.tweets.part0', 'window.YTD.tweet.part0'));
    const entries = [
      bufferEntry('backup/my-posts.txt', tweets),
      bufferEntry('tweet.js', old),
      fileEntry(join(DATA, 'direct-messages.js'), 'data/direct-messages.js'),
      fileEntry(join(ARCHIVE, 'Your archive.html')),
      fileEntry(join(TEST_DIR, 'fixtures', 'import', 'clean', 'accounts.csv')),
      fileEntry(join(TEST_DIR, 'fixtures', 'import', 'malformed', 'conversions.ndjson')),
      bufferEntry('posts.ndjson', '{"id":"1","author_id":"2","created_at":"2026-01-01"}\n'),
      bufferEntry('array.json', '[{"tweet": {}}]'),
    ];
    expect((await xArchiveImporter.claim(entries)).map((e) => e.name)).toEqual(['backup/my-posts.txt', 'tweet.js']);
  });
});

describe('X archive: records', () => {
  it('gives exact counts per kind', () => {
    expect(countByKind(items)).toEqual({
      // The owner, the three accounts tweets mention or reply to, and the two followers (444, 555) seen nowhere else.
      'record:accounts': 6,
      'record:posts': 6,
      'reject:posts': 2,
      'record:links': 4,
      'record:interactions': 6,
      'reject:interactions': 1,
      'record:follows': 5,
      'reject:follows': 1,
    });
    expect(items.filter((e) => e.type === 'reported')).toEqual([]);
  });

  it('maps account.js to the owner, first', () => {
    const first = items[0] as Rec;
    expect(first.kind).toBe('accounts');
    expect(first.fields).toEqual({ id: OWNER, platform: 'x', handle: 'clout_demo', name: 'Clout Demo', created_at: '2012-03-04T05:06:07.000Z' });
    expect(first.origin).toEqual({ file: join(DATA, 'account.js'), line: 2, record: OWNER });
  });

  it('maps an original tweet: text with links expanded and entities decoded, counters, link, mention', () => {
    const post = records(items, 'posts').find((r) => r.fields.id === '1359554366000000001')!;
    expect(post.fields).toEqual({
      id: '1359554366000000001',
      author_id: OWNER,
      created_at: '2021-02-10T18:00:00.000Z',
      text: 'Launch day 🚀\nNew shop: https://shop.example.com/launch?utm_source=x & more\ncc @alice_w',
      url: 'https://x.com/clout_demo/status/1359554366000000001',
      reply_to: undefined,
      kind: 'original',
      repost_of: undefined,
      quote_of: undefined,
      platform: 'x',
      lang: 'en',
      likes: 42,
      reposts: 7,
    });
    expect(post.origin).toEqual({ file: join(DATA, 'tweets.js'), line: 2, record: '1359554366000000001' });
    expect(typeof post.raw).toBe('string');
    expect(JSON.parse(post.raw as string).tweet.id_str).toBe('1359554366000000001');
    expect(records(items, 'links').find((r) => r.fields.post_id === '1359554366000000001')!.fields).toEqual({
      id: '1359554366000000001#1',
      url: 'https://shop.example.com/launch?utm_source=x',
      post_id: '1359554366000000001',
      author_id: OWNER,
      created_at: '2021-02-10T18:00:00.000Z',
    });
    expect(records(items, 'interactions').filter((r) => r.fields.post_id === '1359554366000000001').map((r) => r.fields)).toEqual([
      { type: 'mention', actor_id: OWNER, post_id: '1359554366000000001', target_id: '111', created_at: '2021-02-10T18:00:00.000Z' },
    ]);
  });

  it('maps a retweet to a repost without the reposted author as a mention', () => {
    const post = records(items, 'posts').find((r) => r.fields.id === '1359800000000000002')!;
    expect(post.fields).toMatchObject({ kind: 'repost', repost_of: undefined, text: 'RT @bob_b: Big news https://news.example.org/story', likes: 0, reposts: 0 });
    expect(records(items, 'interactions').filter((r) => r.origin.record === '1359800000000000002')).toEqual([]);
    expect(records(items, 'accounts').find((r) => r.fields.id === '222')!.fields).toEqual({ id: '222', platform: 'x', handle: 'bob_b', name: 'Bob B' });
  });

  it('makes a bare account of a follower seen nowhere else, once, and none of one a tweet already named', () => {
    const accounts = records(items, 'accounts');
    expect(accounts.filter((r) => r.fields.id === '444').map((r) => r.fields)).toEqual([{ id: '444', platform: 'x' }]);
    expect(accounts.filter((r) => r.fields.id === '111')).toHaveLength(1); // alice: mentioned, follows and is followed
    expect(accounts.find((r) => r.fields.id === '111')!.fields.handle).toBe('alice_w');
  });

  it('maps a reply: reply_to, a reply interaction, a mention (not the addressee), a time with an offset', () => {
    const post = records(items, 'posts').find((r) => r.fields.id === '1360000000000000003')!;
    expect(post.fields).toMatchObject({ kind: 'reply', reply_to: '1360000000000000001', created_at: '2021-02-12T17:00:00.000Z', likes: 3, reposts: 1 });
    expect(records(items, 'interactions').filter((r) => r.origin.record === '1360000000000000003').map((r) => r.fields)).toEqual([
      { type: 'mention', actor_id: OWNER, post_id: '1360000000000000003', target_id: '333', created_at: '2021-02-12T17:00:00.000Z' },
      { type: 'reply', actor_id: OWNER, post_id: '1360000000000000001', target_id: '111', created_at: '2021-02-12T17:00:00.000Z' },
    ]);
  });

  it('maps a quote (status link) without a link record for the quoted tweet, and a self-reply without an interaction', () => {
    const quote = records(items, 'posts').find((r) => r.fields.id === '1361500000000000004')!;
    expect(quote.fields).toMatchObject({ kind: 'quote', quote_of: '1361000000000000000', reply_to: undefined });
    expect(records(items, 'links').filter((r) => r.fields.post_id === '1361500000000000004')).toEqual([]);
    expect(records(items, 'interactions').filter((r) => r.origin.record === '1361500000000000004').map((r) => r.fields)).toEqual([
      { type: 'quote', actor_id: OWNER, post_id: '1361000000000000000', created_at: '2021-02-13T08:15:30.000Z' },
    ]);
    const thread = records(items, 'posts').find((r) => r.fields.id === '1361800000000000007')!;
    expect(thread.fields).toMatchObject({ kind: 'reply', reply_to: '1361600000000000005', text: 'Part two of my thread 🧵' });
    expect(records(items).filter((r) => r.kind !== 'posts' && r.origin.record === '1361800000000000007')).toEqual([]);
  });

  it('numbers the distinct links of a post and drops lang "und"', () => {
    const links = records(items, 'links').filter((r) => r.fields.post_id === '1361600000000000005');
    expect(links.map((r) => [r.fields.id, r.fields.url])).toEqual([
      ['1361600000000000005#1', 'https://blog.example.com/a'],
      ['1361600000000000005#2', 'https://donate.example.net/?ref=x'],
    ]);
    expect(records(items, 'posts').find((r) => r.fields.id === '1361600000000000005')!.fields.lang).toBeUndefined();
  });

  it('maps follower.js and following.js to follows of the owner', () => {
    expect(records(items, 'follows').map((r) => [r.fields, r.origin.line])).toEqual([
      [{ follower_id: '111', followee_id: OWNER }, 2],
      [{ follower_id: '444', followee_id: OWNER }, 8],
      [{ follower_id: '555', followee_id: OWNER }, 14],
      [{ follower_id: OWNER, followee_id: '111' }, 2],
      [{ follower_id: OWNER, followee_id: '222' }, 8],
    ]);
  });

  it('dates a like by the liked tweet id (the archive has no like time)', () => {
    expect(records(items, 'interactions').filter((r) => r.fields.type === 'like').map((r) => r.fields)).toEqual([
      { type: 'like', actor_id: OWNER, post_id: '1360000000000000001', created_at: '2021-02-11T22:57:22.235Z' },
      { type: 'like', actor_id: OWNER, post_id: '1361000000000000000', created_at: '2021-02-14T17:11:00.814Z' },
    ]);
  });

  it('rejects malformed records with their origin and reason', () => {
    expect(rejects(items).map((r) => [r.kind, r.origin, r.field, r.reason])).toEqual([
      ['posts', { file: join(DATA, 'tweets-part1.js'), line: 110, record: '1361700000000000006' }, 'created_at', 'expected X\'s date form "Wed Feb 10 18:00:00 +0000 2021", got "2021-02-13 10:00"'],
      ['posts', { file: join(DATA, 'tweets-part1.js'), line: 145 }, 'id_str', 'is required'],
      ['follows', { file: join(DATA, 'follower.js'), line: 20 }, 'accountId', 'is required'],
      ['interactions', { file: join(DATA, 'like.js'), line: 16, record: '12345' }, 'tweetId', 'the liked tweet is older than X ids that carry a time (2010-11-04) and the archive gives no time for the like'],
    ]);
  });

  it('produces records that are valid for their schemas', () => {
    for (const r of records(items)) expect(validateRecord(r.kind, r.fields), `${r.kind} ${JSON.stringify(r.fields)}`).toMatchObject({ ok: true });
  });

  it('reads the same records twice', async () => {
    expect(await importFolder(ARCHIVE)).toEqual(items);
  });

  it('reads the same records from a .zip of the archive', async () => {
    const zip = join(mkdtempSync(join(tmpdir(), 'clout-x-')), 'twitter-2026-01-01.zip');
    zipFolder(ARCHIVE, zip);
    const { entries } = await entriesOf(zip);
    expect(entries.map((e) => e.name)).toContain('data/tweets.js');
    expect(located(await importFolder(zip), `${zip}:`)).toEqual(located(items, `${ARCHIVE}/`));
  });
});

describe('X archive: broken archives', () => {
  const account = readFileSync(join(DATA, 'account.js'));

  it('rejects every record when there is no account.js (the owner is unknown)', async () => {
    const out = await readAll([fileEntry(join(DATA, 'following.js')), fileEntry(join(DATA, 'like.js'))]);
    expect(out.map((e) => [e.type, e.kind, e.type === 'reject' ? e.field : '', e.origin.line])).toEqual([
      ['reject', 'follows', 'follower_id', 2],
      ['reject', 'follows', 'follower_id', 8],
      ['reject', 'interactions', 'actor_id', 2],
      ['reject', 'interactions', 'actor_id', 9],
      ['reject', 'interactions', 'actor_id', 16],
    ]);
    expect((out[0] as Rej).reason).toBe('the archive has no account.js with an accountId: the owner of this record is unknown');
  });

  it('rejects a broken element and reads on; a truncated file ends with one reject', async () => {
    const tweets =
      'window.YTD.tweets.part0 = [\n' +
      '  { "tweet" : { "id_str" : "1", "created_at" : "Wed Feb 10 18:00:00 +0000 2021", "full_text" : "one" } },\n' +
      '  { "tweet" : { "id_str" : "2", "created_at" : oops } },\n' +
      '  { "following" : { "accountId" : "5" } },\n' +
      '  { "tweet" : { "id_str" : "3", "created_at" : "Wed Feb 10 18:00:00 +0000 2021", "full_text" : "three" } },\n' +
      '  { "tweet" : { "id_str" : "4", "full_text" : "cut sh';
    const out = await readAll([bufferEntry('data/account.js', account), bufferEntry('data/tweets.js', tweets)]);
    expect(out.map((e) => [e.type, e.kind, e.origin.line, e.type === 'reject' ? `${e.field}: ${e.reason.slice(0, 40)}` : e.origin.record])).toEqual([
      ['record', 'accounts', 2, OWNER],
      ['record', 'posts', 2, '1'],
      ['reject', 'posts', 3, ': invalid JSON: Unexpected token \'o\', ..."'],
      ['reject', 'posts', 4, 'tweet: expected an object { "tweet": { … } }'],
      ['record', 'posts', 5, '3'],
      ['reject', 'posts', 6, ': the file ends inside this element (trunc'],
    ]);
  });
});

describe('X archive: imported into a store', () => {
  it('imports the archive folder through importPaths, counting every record', async () => {
    const { store } = await freshStore();
    try {
      const summary = await importPaths(store, [ARCHIVE], { importers: [{ importer: xArchiveImporter, loadsWith: 'accounts' }] });
      expect(summary.sources.map((s) => [s.importer, s.files.length])).toEqual([['x-archive', 6]]);
      expect(summary.files.map((f) => [f.kind, f.read, f.imported, f.rejected])).toEqual([
        ['accounts', 6, 6, 0],
        ['follows', 6, 5, 1],
        ['posts', 8, 6, 2],
        ['links', 4, 4, 0],
        ['interactions', 7, 6, 1],
      ]);
      expect(summary.rejected_total).toBe(4);
      expect(readRejects(summary.rejects_path).map((r) => [r.kind, r.line, r.field])).toEqual([
        ['posts', 110, 'created_at'],
        ['posts', 145, 'id_str'],
        ['follows', 20, 'accountId'],
        ['interactions', 16, 'tweetId'],
      ]);
      expect((await dumpTable(store, 'posts')).length).toBe(6);
    } finally {
      await closeStore(store);
    }
  });
});

describe('X archive: dates', () => {
  it("parses X's date form and refuses anything else", () => {
    expect(parseXDate('Wed Feb 10 18:00:00 +0000 2021')).toBe('2021-02-10T18:00:00.000Z');
    expect(parseXDate('Sat Dec 06 18:20:30 +0530 2025')).toBe('2025-12-06T12:50:30.000Z');
    expect(parseXDate('Mon Feb 30 18:00:00 +0000 2021')).toBeUndefined();
    expect(parseXDate('Wed Foo 10 18:00:00 +0000 2021')).toBeUndefined();
    expect(parseXDate('Xyz Feb 10 18:00:00 +0000 2021')).toBeUndefined();
    expect(parseXDate('Wed Feb 10 24:00:00 +0000 2021')).toBeUndefined();
    expect(parseXDate('2021-02-10T18:00:00Z')).toBeUndefined();
    expect(parseXDate('Thu Feb 29 12:00:00 +0000 2024')).toBe('2024-02-29T12:00:00.000Z');
    expect(parseXDate('Mon Feb 29 12:00:00 +0000 2021')).toBeUndefined();
    expect(parseXDate('Mon Feb 29 12:00:00 +0000 1900')).toBeUndefined();
    expect(parseXDate('Wed Jan 01 00:30:00 +0100 2020')).toBe('2019-12-31T23:30:00.000Z');
    expect(parseXDate('Wed Feb 10 18:00:0x +0000 2021')).toBeUndefined();
  });

  it('reads the time in a snowflake id, and none in an older id', () => {
    expect(snowflakeTime('1359554366000000001')).toBe('2021-02-10T17:26:34.810Z');
    expect(snowflakeTime('29999999999')).toBeUndefined();
    expect(snowflakeTime('abc')).toBeUndefined();
  });
});

