/**
 * The Mastodon account archive importer on the hand-made archive (test/fixtures/platforms/mastodon): exact counts per
 * kind, field-by-field mapping, rejects and reports with their origin, recognition by content, the same archive as a
 * .zip, and the same records on every read.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../src/domain/index.js';
import { bufferEntry, entriesOf } from '../../../src/ingest/platforms/entries.js';
import { mastodonArchiveImporter as importer } from '../../../src/ingest/platforms/mastodon/index.js';
import { readJsonEntry } from '../../../src/ingest/platforms/mastodon/json-file.js';
import type { Emitted, PlatformContext, SourceEntry } from '../../../src/ingest/platforms/types.js';
import { tempDir } from '../../support/import.js';
import { TEST_DIR } from '../../support/paths.js';
import { writeZip } from '../../support/zip-writer.js';

const ARCHIVE = join(TEST_DIR, 'fixtures', 'platforms', 'mastodon');
const FILES = ['actor.json', 'bookmarks.json', 'likes.json', 'outbox.json'];
const CTX: PlatformContext = { conversionType: 'sale' };
const ALICE = 'https://social.example/users/alice';
const status = (n: number): string => `${ALICE}/statuses/11000000000000000${n}`;

type RecordItem = Extract<Emitted, { type: 'record' }>;

async function readAll(entries: readonly SourceEntry[]): Promise<{ items: Emitted[]; batches: number[] }> {
  const items: Emitted[] = [];
  const batches: number[] = [];
  for await (const batch of importer.read(entries, CTX)) {
    batches.push(batch.length);
    items.push(...batch);
  }
  return { items, batches };
}

async function readFolder(path = ARCHIVE): Promise<Emitted[]> {
  const { entries, close } = await entriesOf(path);
  try {
    return (await readAll(await importer.claim(entries))).items;
  } finally {
    close();
  }
}

/** An archive in memory: the given files, each one a JSON value or raw text. */
async function readMemory(files: Record<string, unknown>): Promise<Emitted[]> {
  const entries = Object.entries(files).map(([name, v]) => bufferEntry(name, typeof v === 'string' ? v : JSON.stringify(v)));
  return (await readAll(await importer.claim(entries))).items;
}

const records = (items: Emitted[], kind?: string): RecordItem[] =>
  items.filter((i): i is RecordItem => i.type === 'record' && (kind === undefined || i.kind === kind));
const byId = (items: Emitted[], kind: string, id: string): Record<string, unknown> | undefined =>
  records(items, kind).find((r) => r.fields.id === id)?.fields;

function counts(items: Emitted[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const key =
      i.type === 'record'
        ? i.kind === 'interactions'
          ? `interactions:${String(i.fields.type)}`
          : i.kind
        : i.type === 'reject'
          ? `reject:${i.kind}`
          : `reported:${i.reason}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const OUTBOX_HEAD = { '@context': ['https://www.w3.org/ns/activitystreams'], id: 'outbox.json', type: 'OrderedCollection' };
const outbox = (...orderedItems: unknown[]): unknown => ({ ...OUTBOX_HEAD, orderedItems });
const ACTOR = JSON.parse(readFileSync(join(ARCHIVE, 'actor.json'), 'utf8')) as Record<string, unknown>;

describe('Mastodon archive importer', () => {
  it('says who it is', () => {
    expect(importer.id).toBe('mastodon-archive');
    expect(importer.label).toBe('Mastodon archive');
  });

  it('gives exact counts per kind, rejects and reported reasons', async () => {
    expect(counts(await readFolder())).toEqual({
      accounts: 3, // the archive's actor, and the two actors a status mentions (bob, carol)
      posts: 5,
      links: 2,
      'interactions:mention': 2,
      'interactions:reply': 1,
      'interactions:repost': 1,
      'interactions:quote': 1,
      'reject:posts': 1,
      'reported:activity not imported: Update': 1,
      'reported:like without a time (the archive gives none)': 3,
      'reported:bookmark: private, not imported': 2,
    });
  });

  it('maps actor.json to the account', async () => {
    const items = await readFolder();
    const account = records(items, 'accounts')[0]!;
    expect(account.fields).toEqual({
      id: ALICE,
      platform: 'mastodon',
      handle: 'alice@social.example',
      name: 'Alice Example',
      created_at: '2022-11-05T00:00:00Z',
    });
    expect(account.origin).toEqual({ file: join(ARCHIVE, 'actor.json'), line: 1, record: ALICE });
  });

  it('maps a status with links, a hashtag, emoji, paragraphs, line breaks and entities', async () => {
    const items = await readFolder();
    expect(byId(items, 'posts', status(1))).toEqual({
      id: status(1),
      author_id: ALICE,
      created_at: '2024-03-01T12:00:00Z',
      text:
        'WOW! This book amazes me on how we can connect with people 🚀 :blobcat:\n' +
        'Get it here: https://shop.example/books/wow-this-book?ref=alice&utm_source=mastodon\n\n' +
        'Proceeds go to https://water.example/ — "clean water" & more. ' +
        'Again: https://shop.example/books/wow-this-book?ref=alice&utm_source=mastodon #books',
      url: 'https://social.example/@alice/110000000000000001',
      kind: 'original',
      platform: 'mastodon',
      lang: 'en',
      likes: 12,
      reposts: 3,
    });
    const links = records(items, 'links');
    expect(links.map((l) => l.fields)).toEqual([
      {
        id: `${status(1)}#1`,
        url: 'https://shop.example/books/wow-this-book?ref=alice&utm_source=mastodon',
        post_id: status(1),
        author_id: ALICE,
        created_at: '2024-03-01T12:00:00Z',
      },
      { id: `${status(1)}#2`, url: 'https://water.example/', post_id: status(1), author_id: ALICE, created_at: '2024-03-01T12:00:00Z' },
    ]);
    expect(links[0]!.origin).toEqual({ file: join(ARCHIVE, 'outbox.json'), line: 1, record: `${status(1)}/activity` });
  });

  it('maps a reply with its mentions and the reply interaction', async () => {
    const items = await readFolder();
    expect(byId(items, 'posts', status(2))).toEqual({
      id: status(2),
      author_id: ALICE,
      created_at: '2024-03-02T08:30:15Z',
      text: '@bob @carol thanks! Donated 5\u00a0€ #water',
      url: 'https://social.example/@alice/110000000000000002',
      reply_to: 'https://other.example/users/bob/statuses/42',
      kind: 'reply',
      platform: 'mastodon',
      lang: 'fr',
    });
    const fromReply = records(items, 'interactions').filter((r) => r.origin.line === 2);
    expect(fromReply.map((r) => r.fields)).toEqual([
      { type: 'mention', actor_id: ALICE, post_id: status(2), target_id: 'https://other.example/users/bob', created_at: '2024-03-02T08:30:15Z' },
      { type: 'mention', actor_id: ALICE, post_id: status(2), target_id: 'https://third.example/users/carol', created_at: '2024-03-02T08:30:15Z' },
      { type: 'reply', actor_id: ALICE, post_id: 'https://other.example/users/bob/statuses/42', created_at: '2024-03-02T08:30:15Z' },
    ]);
  });

  it('maps a boost to a repost post and a repost interaction', async () => {
    const items = await readFolder();
    const id = `${status(3)}/activity`;
    expect(byId(items, 'posts', id)).toEqual({
      id,
      author_id: ALICE,
      created_at: '2024-03-03T18:00:00Z',
      kind: 'repost',
      repost_of: 'https://other.example/users/bob/statuses/43',
      platform: 'mastodon',
    });
    const repost = records(items, 'interactions').find((r) => r.fields.type === 'repost')!;
    expect(repost.fields).toEqual({ type: 'repost', actor_id: ALICE, post_id: 'https://other.example/users/bob/statuses/43', created_at: '2024-03-03T18:00:00Z' });
    expect(repost.origin).toEqual({ file: join(ARCHIVE, 'outbox.json'), line: 3, record: id });
  });

  it('maps a quote (escaped markup stays text) and a poll with content', async () => {
    const items = await readFolder();
    expect(byId(items, 'posts', status(4))).toMatchObject({
      text: 'Never paste <script>alert(1)</script> into a toot & expect it to run.',
      kind: 'quote',
      quote_of: 'https://other.example/users/bob/statuses/44',
    });
    expect(records(items, 'interactions').find((r) => r.fields.type === 'quote')!.fields).toEqual({
      type: 'quote',
      actor_id: ALICE,
      post_id: 'https://other.example/users/bob/statuses/44',
      created_at: '2024-03-04T09:00:00Z',
    });
    const poll = byId(items, 'posts', status(5))!;
    expect(poll).toMatchObject({ text: 'Which cover do you prefer?', kind: 'original' });
    expect(poll.lang).toBeUndefined(); // two languages in contentMap: none is the status's
  });

  it('rejects and reports with file, 1-based item index and activity id', async () => {
    const items = await readFolder();
    const file = join(ARCHIVE, 'outbox.json');
    expect(items.filter((i) => i.type === 'reject')).toEqual([
      {
        type: 'reject',
        kind: 'posts',
        origin: { file, line: 6, record: `${status(6)}/activity` },
        field: 'object.id',
        reason: 'Create object has no id',
        raw: expect.objectContaining({ type: 'Create' }),
      },
    ]);
    const reported = items.filter((i) => i.type === 'reported');
    expect(reported.find((r) => r.origin.file === file)).toEqual({
      type: 'reported',
      kind: 'posts',
      origin: { file, line: 7, record: 'https://social.example/users/alice#updates/1709805600' },
      reason: 'activity not imported: Update',
    });
    expect(reported.filter((r) => r.origin.file.endsWith('likes.json')).map((r) => [r.origin.line, r.origin.record])).toEqual([
      [1, 'https://other.example/users/bob/statuses/40'],
      [2, 'https://third.example/users/carol/statuses/7'],
      [3, 'https://social.example/users/dave/statuses/110000000000000009'],
    ]);
  });

  it('makes an account of each mentioned actor, with the handle its Mention tag gives', async () => {
    const accounts = records(await readFolder(), 'accounts').map((r) => r.fields);
    expect(accounts.filter((a) => a.id !== ACTOR.id)).toEqual([
      { id: 'https://other.example/users/bob', platform: 'mastodon', handle: 'bob@other.example' },
      { id: 'https://third.example/users/carol', platform: 'mastodon', handle: 'carol@third.example' },
    ]);
  });

  it('emits only records that pass their kind’s schema', async () => {
    const items = records(await readFolder());
    expect(items.length).toBe(15);
    for (const r of items) expect(validateRecord(r.kind, r.fields), JSON.stringify(r.fields)).toMatchObject({ ok: true });
  });

  it('reads the same records twice', async () => {
    expect(await readFolder()).toEqual(await readFolder());
  });

  describe('recognition by content', () => {
    it('claims the archive’s JSON files and nothing else in the folder', async () => {
      const dir = tempDir('clout-masto-');
      for (const f of FILES) writeFileSync(join(dir, f), readFileSync(join(ARCHIVE, f)));
      writeFileSync(join(dir, 'avatar.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
      mkdirSync(join(dir, 'media_attachments'));
      writeFileSync(join(dir, 'media_attachments', 'cover.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
      const { entries } = await entriesOf(dir);
      expect((await importer.claim(entries)).map((e) => e.name)).toEqual(FILES);
    });

    it('claims renamed files', async () => {
      const entries = FILES.map((f, i) => bufferEntry(`export-${i}.txt`, readFileSync(join(ARCHIVE, f))));
      expect((await importer.claim(entries)).map((e) => e.name)).toEqual(['export-0.txt', 'export-1.txt', 'export-2.txt', 'export-3.txt']);
      expect(counts((await readAll(entries)).items)).toEqual(counts(await readFolder()));
    });

    it('does not claim other platforms’ exports or interchange files', async () => {
      const others = [
        bufferEntry('tweets.js', 'window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "1", "full_text" : "hi", "created_at" : "Fri Mar 01 12:00:00 +0000 2024" } } ]'),
        bufferEntry('account.js', 'window.YTD.account.part0 = [ { "account" : { "username" : "alice", "accountId" : "1" } } ]'),
        bufferEntry('payments.csv', 'id,Created date (UTC),Amount,Currency,Status\nch_1,2024-03-01 12:00:00,10.00,usd,Paid\n'),
        bufferEntry('posts.ndjson', '{"id":"p1","author_id":"a1","created_at":"2024-03-01T12:00:00Z","text":"OrderedCollection"}\n'),
        bufferEntry('accounts.csv', readFileSync(join(TEST_DIR, 'fixtures', 'import', 'clean', 'accounts.csv'))),
        bufferEntry('plain.json', JSON.stringify({ type: 'OrderedCollection', orderedItems: [] })),
        bufferEntry('note.json', JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', type: 'Note', content: 'hi' })),
        bufferEntry('empty.json', ''),
        bufferEntry('paged-outbox.json', JSON.stringify({ ...OUTBOX_HEAD, totalItems: 3, first: 'https://x.example/outbox?page=true' })),
      ];
      expect(await importer.claim(others)).toEqual([]);
    });
  });

  it('reads the archive as a .zip with the same records', async () => {
    const dir = tempDir('clout-masto-zip-');
    const zip = join(dir, 'archive-20240310.zip');
    writeZip(zip, [
      ...FILES.map((f) => ({ name: f, data: readFileSync(join(ARCHIVE, f)) })),
      { name: 'avatar.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      { name: 'media_attachments/files/110/000/000/000/000/001/original/cover.jpg', data: Buffer.alloc(2048, 7) },
    ]);
    const { entries, close } = await entriesOf(zip);
    try {
      const claimed = await importer.claim(entries);
      expect(claimed.map((e) => e.path)).toEqual(FILES.map((f) => `${zip}:${f}`));
      const fromZip = (await readAll(claimed)).items;
      const fromFolder = await readFolder();
      const withoutFile = (items: Emitted[]): unknown[] =>
        items.map((i) => ({ ...i, origin: { ...i.origin, file: i.origin.file.split(/[/:]/).pop() } }));
      expect(withoutFile(fromZip)).toEqual(withoutFile(fromFolder));
      expect(fromZip[0]!.origin.file).toBe(`${zip}:actor.json`);
    } finally {
      close();
    }
  });

  describe('malformed items', () => {
    const create = (object: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id: 'https://social.example/users/alice/statuses/9/activity',
      type: 'Create',
      actor: ALICE,
      published: '2024-03-09T00:00:00Z',
      object,
      ...extra,
    });
    const note = { id: 'https://social.example/users/alice/statuses/9', type: 'Note', published: '2024-03-09T00:00:00Z', content: '<p>x</p>' };

    it('rejects or reports each with its field and reason', async () => {
      const items = await readMemory({
        'outbox.json': outbox(
          'https://social.example/users/alice/statuses/1/activity',
          42,
          { id: 'https://social.example/a/1' },
          create(undefined),
          create('https://social.example/users/alice/statuses/9'),
          create({ ...note, published: undefined }, { published: undefined }),
          create({ ...note, type: 'Article', content: '' }),
          { id: 'https://social.example/a/2', type: 'Announce', actor: ALICE, published: '2024-03-09T00:00:00Z' },
          { type: 'Announce', actor: ALICE, published: '2024-03-09T00:00:00Z', object: 'https://o.example/s/1' },
          { id: 'https://social.example/a/3', type: 'Announce', actor: ALICE, object: 'https://o.example/s/1' },
          { id: 'https://social.example/a/4', type: 'Like', actor: ALICE, object: 'https://o.example/s/1' },
        ),
      });
      expect(items.map((i) => [i.origin.line, i.type, i.type === 'reject' ? i.field : '', i.type === 'record' ? i.kind : i.reason])).toEqual([
        [1, 'reject', 'orderedItems', 'activity is a bare link, not an embedded activity'],
        [2, 'reject', 'orderedItems', 'activity is not a JSON object'],
        [3, 'reject', 'type', 'activity has no type'],
        [4, 'reject', 'object', 'Create has no object'],
        [5, 'reject', 'object', 'Create object is a link, not an embedded object'],
        [6, 'reject', 'object.published', 'Create object has no published time'],
        [7, 'reported', '', 'object not imported: Article'],
        [8, 'reject', 'object', 'Announce has no object'],
        [9, 'reject', 'id', 'Announce has no id'],
        [10, 'reject', 'published', 'Announce has no published time'],
        [11, 'reported', '', 'activity not imported: Like'],
      ]);
      expect(items[0]!.origin.record).toBe('https://social.example/users/alice/statuses/1/activity');
    });

    it('takes the author from actor.json when an activity names none, and rejects when there is none', async () => {
      const anonymous = { ...create(note), actor: undefined };
      const withActor = await readMemory({ 'actor.json': ACTOR, 'outbox.json': outbox(anonymous) });
      expect(records(withActor, 'posts')[0]!.fields.author_id).toBe(ALICE);
      const without = await readMemory({ 'outbox.json': outbox(anonymous) });
      expect(without).toMatchObject([{ type: 'reject', field: 'actor' }]);
    });

    it('rejects the rest of a cut file once, a collection with no orderedItems, and an actor file that is too large', async () => {
      const broken = JSON.stringify(outbox()).slice(0, -2); // cut after `"orderedItems":[`
      const items = await readMemory({ 'outbox.json': broken, 'paged.json': { ...OUTBOX_HEAD, orderedItems: null, first: 'https://x.example/outbox?page=1' } });
      expect(items).toMatchObject([
        { type: 'reject', origin: { file: 'outbox.json', line: 1 }, field: 'orderedItems', reason: 'the file ends before the array is closed with ]' },
        { type: 'reject', origin: { file: 'paged.json', line: 1 }, reason: 'collection has no orderedItems array (a paged collection is not an archive)' },
      ]);
      expect(await readJsonEntry(bufferEntry('outbox.json', JSON.stringify(outbox())), 64)).toEqual({
        ok: false,
        reason: 'larger than 64 bytes: too large to read (split the archive or ask for this limit to be raised)',
      });
    });

    it('rejects an actor without an id and a like that names no status', async () => {
      const items = await readMemory({
        'actor.json': { ...ACTOR, id: undefined },
        'likes.json': { ...OUTBOX_HEAD, id: 'likes.json', orderedItems: [7, { id: 'https://o.example/s/2' }] },
      });
      expect(items.map((i) => [i.type, i.kind, i.origin.line, i.type === 'reject' ? i.field : i.type === 'reported' ? i.reason : ''])).toEqual([
        ['reject', 'accounts', 1, 'id'],
        ['reject', 'interactions', 1, 'orderedItems'],
        ['reported', 'interactions', 2, 'like without a time (the archive gives none)'],
      ]);
    });
  });

  it('streams the outbox: a file cut inside an item keeps the items before the cut and rejects the rest once', async () => {
    const boost = (i: number) => ({ id: `https://social.example/a/${i}`, type: 'Announce', actor: ALICE, published: '2024-03-09T00:00:00Z', object: `https://o.example/s/${i}` });
    const whole = JSON.stringify(outbox(boost(1), boost(2), boost(3)), null, 1);
    const cut = whole.slice(0, whole.indexOf('https://social.example/a/3') + 10);
    const items = await readMemory({ 'outbox.json': cut });
    expect(counts(items)).toEqual({ posts: 2, 'interactions:repost': 2, 'reject:posts': 1 });
    const reject = items.find((i) => i.type === 'reject')!;
    expect(reject).toMatchObject({ origin: { file: 'outbox.json', line: 3 }, field: 'orderedItems' });
  });

  it('hands items over in batches of at most 1000', async () => {
    const boosts = Array.from({ length: 1201 }, (_, i) => ({
      id: `https://social.example/users/alice/statuses/${i}/activity`,
      type: 'Announce',
      actor: ALICE,
      published: '2024-03-09T00:00:00Z',
      object: `https://o.example/s/${i}`,
    }));
    const { items, batches } = await readAll([bufferEntry('outbox.json', JSON.stringify(outbox(...boosts)))]);
    expect(items.length).toBe(2402);
    expect(batches).toEqual([1000, 1000, 402]);
  });
});
