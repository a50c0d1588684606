/**
 * Import of the hand-written malformed corpus (test/fixtures/import/malformed): exactly the bad rows are rejected,
 * with their line, field and reason; every good row is in the store with its values; a second import changes
 * nothing and says so.
 */
import { relative, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloutError, byKind, type Kind } from '../../src/domain/index.js';
import { importPaths, type ImportSummary } from '../../src/ingest/index.js';
import { closeStore, TABLE_COLUMNS, type Store } from '../../src/store/index.js';
import { dumpAll, FIXTURES, freshStore, readRejects } from '../support/import.js';

const CORPUS = join(FIXTURES, 'malformed');
const ms = (iso: string): number => Date.parse(iso);

/** [file, line, field, reason] of every row the corpus must reject, in import order. */
const EXPECTED_REJECTS: [string, number, string, string | RegExp][] = [
  ['accounts.csv', 7, 'followers', 'expected a non-negative integer, got "-5"'],
  ['accounts.csv', 8, 'followers', 'expected a non-negative integer, got "many"'],
  ['accounts.csv', 9, 'created_at', 'not an ISO 8601 timestamp or YYYY-MM-DD date: "2026-02-30"'],
  ['accounts.csv', 10, 'id', 'is required'],
  ['accounts.csv', 11, '', 'expected 8 columns, got 5'],
  ['campaigns.csv', 3, 'ends_at', 'is before starts_at'],
  ['campaigns.csv', 4, 'currency', 'is required when goal_value > 0'],
  ['posts.ndjson', 4, 'url', 'must be an http(s) URL, got "javascript:alert(1)"'],
  ['posts.ndjson', 5, '', /^invalid JSON: /],
  ['posts.ndjson', 6, 'author_id', 'is required'],
  ['posts.ndjson', 7, 'created_at', 'expected an ISO 8601 timestamp, got 12345'],
  ['posts.ndjson', 8, '', 'expected a JSON object, got an array'],
  ['nested/links.csv', 3, 'url', 'must be an http(s) URL, got "javascript:alert(1)"'],
  ['interactions.ndjson', 4, 'post_id', 'is required for a like'],
  ['interactions.ndjson', 5, 'type', 'expected one of repost, quote, reply, like, mention, view, got "poke"'],
  ['clicks.csv.gz', 4, 'at', 'not an ISO 8601 timestamp or YYYY-MM-DD date: "not-a-time"'],
  ['clicks.csv.gz', 5, 'is_bot', 'expected true or false, got "maybe"'],
  ['conversions.ndjson', 2, 'currency', 'is required when value > 0'],
  ['conversions.ndjson', 3, 'value', 'must be ≥ 0, got -5'],
  ['conversions.ndjson', 4, 'type', 'expected one of lead, sale, donation, signup, other, got "refund"'],
  ['conversions.ndjson', 6, 'value', '1.234 has more than 2 decimals for USD'],
  ['metrics.jsonl', 4, 'value', 'is required'],
];

/** What the store must hold after importing the corpus (times as epoch ms). */
const WRITTEN_TABLES: Partial<Record<Kind, Record<string, unknown>[]>> = {
  accounts: [
    { id: 'a1', platform: 'x', handle: '@maria', name: 'Maria, reader', followers: 1250, following: 310, created_at: ms('2019-04-02T00:00:00Z') },
    { id: 'a2', platform: 'x', handle: '@jo', name: 'Jo "the" Writer', followers: 50, following: 12, created_at: ms('2020-01-05T10:00:00Z') },
    // BOM + CRLF file; the quoted name keeps its CRLF and its multibyte text; +02:00 is read as such
    { id: 'a3', platform: 'bluesky', handle: '@zoë', name: 'Zoë 中文 🚀\r\nsecond line', followers: 7, following: 0, created_at: ms('2021-06-30T10:00:00Z') },
  ],
  campaigns: [
    { id: 'bday', name: 'Birthday wish', goal_minor: 3_800_000, currency: 'USD', starts_at: ms('2025-03-01T00:00:00Z'), ends_at: ms('2025-04-01T00:00:00Z'), owner_id: 'a1', metric: 'donations' },
  ],
  follows: [
    { follower_id: 'a2', followee_id: 'a1', since: ms('2024-02-01T00:00:00Z') },
    { follower_id: 'a3', followee_id: 'a1', since: null },
    { follower_id: 'a3', followee_id: 'a2', since: ms('2024-03-04T05:06:07.089Z') },
    { follower_id: 'a9', followee_id: 'a1', since: ms('2024-01-01T00:00:00Z') },
  ],
  posts: [
    { id: 'p1', author_id: 'a1', created_at: ms('2025-03-01T09:00:00Z'), text: 'Title of book — https://ex.am/b', url: 'https://ex.am/b', link_id: null, campaign_id: 'bday', reply_to: null },
    { id: 'p2', author_id: 'a2', created_at: ms('2025-03-02T00:00:00Z'), text: 'WOW! This book amazes me 📚 (edited)', url: null, link_id: null, campaign_id: null, reply_to: null },
    { id: 'p8', author_id: 'zz', created_at: ms('2025-03-04T23:00:00Z'), text: null, url: null, link_id: null, campaign_id: null, reply_to: null },
  ],
  links: [
    { id: 'l1', url: 'https://ex.am/b', key: 'b', post_id: 'p1', campaign_id: 'bday', author_id: 'a1', created_at: ms('2025-03-01T09:00:00Z') },
    { id: 'l3', url: 'http://ex.am/c', key: 'c', post_id: 'p404', campaign_id: null, author_id: 'a2', created_at: ms('2025-03-02T00:00:00Z') },
  ],
  interactions: [
    { id: 'i2', type: 'like', actor_id: 'a3', post_id: 'p1', target_id: null, created_at: ms('2025-03-01T11:00:00Z') },
    { id: 'i3', type: 'mention', actor_id: 'a1', post_id: null, target_id: 'a2', created_at: ms('2025-03-01T12:00:00Z') },
    { id: expect.stringMatching(/^ix_[0-9a-f]{24}$/), type: 'repost', actor_id: 'a2', post_id: 'p1', target_id: null, created_at: ms('2025-03-01T10:00:00Z') },
  ],
  clicks: [
    { id: 'k1', link_id: 'l1', at: ms('2025-03-01T09:05:00Z'), visitor_id: 'v1', referrer: 'https://t.co/x', country: 'US', device: 'mobile', is_bot: false },
    { id: 'k2', link_id: 'l1', at: ms('2025-03-01T09:06:00.250Z'), visitor_id: 'v2', referrer: null, country: 'DE', device: 'desktop', is_bot: true },
    { id: 'k5', link_id: 'l9', at: ms('2025-03-01T09:08:00Z'), visitor_id: 'v5', referrer: 'https://t.co/y?a=1,b=2', country: 'FR', device: 'tablet', is_bot: false },
  ],
  conversions: [
    { id: 'o1', at: ms('2025-03-01T09:30:00Z'), type: 'sale', value_minor: 1499, currency: 'USD', customer_id: null, click_id: 'k1', link_id: null, post_id: null, campaign_id: null },
    { id: 'o5', at: ms('2025-03-01T11:00:00Z'), type: 'signup', value_minor: null, currency: null, customer_id: null, click_id: 'k404', link_id: null, post_id: null, campaign_id: null },
  ],
  metrics: [
    { series: 'sales', at: ms('2025-03-01T00:00:00Z'), value: 11 },
    { series: 'sales', at: ms('2025-03-02T00:00:00Z'), value: 12.5 },
  ],
};

/** The stored tables: what the corpus writes, every column of the kind present (a field the corpus leaves out is null). */
const EXPECTED_TABLES = byKind((k) => (WRITTEN_TABLES[k] ?? []).map((r) => Object.fromEntries(TABLE_COLUMNS[k].map((c) => [c, r[c] ?? null]))));

/** Per file: [read, imported, updated, unchanged, rejected, warnings] of the first import. */
const EXPECTED_COUNTS: Record<string, [number, number, number, number, number, number]> = {
  'accounts.csv': [9, 3, 1, 0, 5, 1], // a1 updated by its later row; one ignored column (nickname)
  'campaigns.csv': [3, 1, 0, 0, 2, 0],
  'follows.csv': [5, 4, 1, 0, 0, 1], // (a2, a1) updated by its later row; a9 is no account
  'posts.ndjson': [9, 3, 1, 0, 5, 2], // blank and whitespace lines are not records; author zz unknown; key "extra" ignored
  'nested/links.csv': [3, 2, 0, 0, 1, 1], // post p404 unknown
  'interactions.ndjson': [5, 3, 0, 0, 2, 0],
  'clicks.csv.gz': [5, 3, 0, 0, 2, 1], // link l9 unknown
  'conversions.ndjson': [6, 2, 0, 0, 4, 1], // click k404 unknown
  'metrics.jsonl': [4, 2, 1, 0, 1, 0],
};

describe('import of the malformed corpus', () => {
  let store: Store;
  let dir: string;
  let first: ImportSummary;
  let second: ImportSummary;
  let tablesAfterFirst: Awaited<ReturnType<typeof dumpAll>>;
  let tablesAfterSecond: Awaited<ReturnType<typeof dumpAll>>;

  beforeAll(async () => {
    ({ store, dir } = await freshStore());
    first = await importPaths(store, [CORPUS]);
    tablesAfterFirst = await dumpAll(store);
    second = await importPaths(store, [CORPUS]);
    tablesAfterSecond = await dumpAll(store);
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('rejects exactly the bad rows, each with its file, line, field and reason', () => {
    const rejects = readRejects(first.rejects_path);
    expect(rejects.map((r) => [relative(CORPUS, r.file), r.line, r.field, r.reason])).toEqual(
      EXPECTED_REJECTS.map(([file, line, field, reason]) => [file, line, field, typeof reason === 'string' ? reason : expect.stringMatching(reason)]),
    );
    expect(first.rejected_total).toBe(EXPECTED_REJECTS.length);
  });

  it('keeps the raw text of each rejected row and its kind', () => {
    const rejects = readRejects(first.rejects_path);
    expect(Object.keys(rejects[0]!)).toEqual(['file', 'line', 'kind', 'field', 'reason', 'raw']);
    const byPlace = new Map(rejects.map((r) => [`${relative(CORPUS, r.file)}:${r.line}`, r]));
    expect(byPlace.get('accounts.csv:11')).toMatchObject({ kind: 'accounts', raw: 'a7,x,@short,Short,3' });
    expect(byPlace.get('posts.ndjson:5')).toMatchObject({ kind: 'posts', raw: '{"id":"p4","author_id":"a1","created_at":"2025-03-03T00:00:00Z",' });
    expect(byPlace.get('clicks.csv.gz:5')!.raw).toBe('k4,l9,2025-03-01T09:07:00Z,v4,,FR,mobile,maybe');
  });

  it('writes the rejects file next to the store, named after the run', () => {
    expect(first.rejects_path).toMatch(new RegExp(`^${dir}/store\\.rejects/\\d{8}T\\d{9}Z-[0-9a-f]{4}\\.rejects\\.ndjson$`));
    expect(second.rejects_path).not.toBe(first.rejects_path);
  });

  it('stores every good row with its values (later rows with the same key win)', () => {
    expect(tablesAfterFirst).toEqual(EXPECTED_TABLES);
  });

  it('counts per file: read = imported + updated + unchanged + rejected', () => {
    const counts = Object.fromEntries(
      first.files.map((f) => [relative(CORPUS, f.file), [f.read, f.imported, f.updated, f.unchanged, f.rejected, f.warnings]]),
    );
    expect(counts).toEqual(EXPECTED_COUNTS);
  });

  it('loads referenced kinds first, walks sub-folders, and ignores non-data files', () => {
    expect(first.files.map((f) => f.kind)).toEqual([
      'accounts', 'campaigns', 'follows', 'posts', 'links', 'interactions', 'clicks', 'conversions', 'metrics',
    ]);
    expect(first.files.some((f) => f.file.endsWith('truth.json') || f.file.endsWith('README.md'))).toBe(false);
  });

  it('explains its warnings: a skipped file, ignored columns, unknown references', () => {
    const notices = first.notices.map((n) => n.replaceAll(CORPUS + '/', ''));
    expect(notices).toEqual([
      expect.stringMatching(/^skipped notes\.csv: 'notes' is not a kind/),
      'accounts.csv: ignored column(s) nickname (not fields of accounts)',
      'follows.csv: 1 reference(s) to records not in the store, kept (follower_id → accounts: 1)',
      'posts.ndjson: ignored column(s) extra (not fields of posts)',
      'posts.ndjson: 1 reference(s) to records not in the store, kept (author_id → accounts: 1)',
      'nested/links.csv: 1 reference(s) to records not in the store, kept (post_id → posts: 1)',
      'clicks.csv.gz: 1 reference(s) to records not in the store, kept (link_id → links: 1)',
      'conversions.ndjson: 1 reference(s) to records not in the store, kept (click_id → clicks: 1)',
    ]);
  });

  it('a second import changes nothing and reports nothing imported or updated', () => {
    expect(tablesAfterSecond).toEqual(tablesAfterFirst);
    for (const f of second.files) {
      const [read, , , , rejected, warnings] = EXPECTED_COUNTS[relative(CORPUS, f.file)]!;
      expect(f).toMatchObject({ read, imported: 0, updated: 0, unchanged: read - rejected, rejected, warnings });
    }
    expect(readRejects(second.rejects_path)).toEqual(readRejects(first.rejects_path));
  });

  it('records each run in import_runs', async () => {
    const rows = (await store.conn.runAndReadAll('SELECT files, read, imported, updated, rejected, rejects_path FROM import_runs ORDER BY started_at')).getRows();
    expect(rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual([
      [9, 49, 23, 4, 22, first.rejects_path],
      [9, 49, 0, 0, 22, second.rejects_path],
    ]);
  });
});

describe('import refusals', () => {
  it('refuses a CSV whose header lacks a required column, before writing anything', async () => {
    const { store } = await freshStore();
    try {
      const attempt = importPaths(store, [join(FIXTURES, 'clean'), join(FIXTURES, 'bad-header', 'posts.csv')]);
      await expect(attempt).rejects.toThrow(CloutError);
      await expect(attempt).rejects.toMatchObject({
        code: 'input',
        message: expect.stringMatching(/posts\.csv: the header \(line 1\) lacks required column\(s\) author_id of posts .*nothing was imported$/),
      });
      expect((await dumpAll(store)).accounts).toEqual([]);
    } finally {
      await closeStore(store);
    }
  });

  it.each([
    [['/nowhere/posts.csv'], {}, 'file_not_found'],
    [[join(FIXTURES, 'malformed', 'notes.csv')], {}, 'unknown_kind'],
    [[join(FIXTURES, 'malformed', 'truth.json')], {}, 'unsupported_format'],
    [[], {}, 'usage'],
    [[join(FIXTURES, 'clean')], { kind: 'nope' }, 'unknown_kind'],
    [[join(FIXTURES, 'clean')], { batchRows: 0 }, 'bad_option'],
    [[join(FIXTURES, 'clean')], { colour: 'blue' }, 'bad_option'],
  ])('throws a CloutError for %j with %j: %s', async (paths, options, code) => {
    const { store } = await freshStore();
    try {
      await expect(importPaths(store, paths, options as never)).rejects.toMatchObject({ name: 'CloutError', code });
    } finally {
      await closeStore(store);
    }
  });
});
