/** The Mastodon connector against a local replay of an instance's REST API (no network): records, Link paging, resume. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloutError } from '../../src/domain/index.js';
import { openStore, closeStore } from '../../src/store/db.js';
import { clout } from '../support/cli.js';
import { TEST_DIR } from '../support/paths.js';
import { normalizeKey, replayServer, type ReplayServer } from '../support/replay.js';
import { expectValidAndUnique, folderCounts, readKind, recordWhere, runFetch, tempFolder } from './support.js';

const FIXTURES = join(TEST_DIR, 'fixtures', 'connectors', 'mastodon');
const ALICE = 'https://example.social/users/alice';
const BOB = 'https://other.example/users/bob';
const CAROL = 'https://carol.example/users/carol';
const DAVE = 'https://example.social/@dave'; // an account without `uri` (before Mastodon 4.2): its profile url
const S1005 = 'https://example.social/users/alice/statuses/1005';
const BOB77 = 'https://other.example/users/bob/statuses/77';
const CAROL55 = 'https://carol.example/users/carol/statuses/55';
const FULL = { accounts: 4, follows: 4, posts: 7, links: 2, interactions: 8 };

const LOOKUP = 'GET /api/v1/accounts/lookup?acct=alice@example.social';
const STATUSES_1 = 'GET /api/v1/accounts/109/statuses?limit=40';
const STATUSES_2 = 'GET /api/v1/accounts/109/statuses?limit=40&max_id=1003';
const FOLLOWERS_1 = 'GET /api/v1/accounts/109/followers?limit=80';

let server: ReplayServer;
beforeEach(async () => {
  server = await replayServer(FIXTURES);
});
afterEach(async () => {
  await server.close();
});

describe('mastodon connector', () => {
  it('fetches the account, statuses (two pages by Link), a reply parent, favourites, boosts, followers and following', async () => {
    const out = tempFolder();
    const { summary, sleeps } = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out });
    expect(server.unmatched).toEqual([]);
    expect(server.requests.map((r) => r.key)).toEqual(
      [
        LOOKUP,
        STATUSES_1,
        'GET /api/v1/statuses/2001',
        STATUSES_2,
        'GET /api/v1/statuses/1005/favourited_by?limit=80',
        'GET /api/v1/statuses/1005/reblogged_by?limit=80',
        'GET /api/v1/statuses/1002/favourited_by?limit=80',
        FOLLOWERS_1,
        `${FOLLOWERS_1}&max_id=7`,
        'GET /api/v1/accounts/109/following?limit=80',
      ].map(normalizeKey),
    );
    for (const r of server.requests) expect(r.headers['user-agent']).toBe('clout/0.1.0');
    expect(sleeps).toEqual([]);
    expect(summary.fetched).toEqual(FULL);
    expect(folderCounts(out)).toEqual(FULL);
    expect(summary.accounts).toEqual([{ asked: '@alice@example.social', id: ALICE, handle: 'alice@example.social' }]);
    expectValidAndUnique(out);
  });

  it('maps each record field by field', async () => {
    const out = tempFolder();
    await runFetch('mastodon', ['alice@example.social'], { base_url: server.origin, out });
    expect(recordWhere(out, 'accounts', 'id', ALICE)).toEqual({
      id: ALICE,
      platform: 'mastodon',
      handle: 'alice@example.social',
      name: 'Alice Reads',
      followers: 3,
      following: 1,
      created_at: '2022-11-05T00:00:00.000Z',
    });
    expect(recordWhere(out, 'accounts', 'id', BOB)).toMatchObject({ handle: 'bob@other.example', followers: 40 });
    expect(recordWhere(out, 'accounts', 'id', DAVE)).toEqual({
      id: DAVE,
      platform: 'mastodon',
      handle: 'dave@example.social',
      followers: 2,
      following: 9,
      created_at: '2024-06-01T00:00:00.000Z',
    });
    expect(recordWhere(out, 'posts', 'id', S1005)).toEqual({
      id: S1005,
      author_id: ALICE,
      created_at: '2026-03-03T12:00:00.000Z',
      text: 'Reading this and it amazes me: https://example.com/book thanks @bob #books & friends\n\nSecond paragraph',
      url: 'https://example.social/@alice/1005',
      kind: 'original',
      platform: 'mastodon',
      lang: 'en',
      likes: 2,
      reposts: 1,
      replies: 1,
      quotes: 0,
    });
    expect(recordWhere(out, 'posts', 'id', 'https://example.social/users/alice/statuses/1004')).toMatchObject({ kind: 'reply', reply_to: BOB77 });
    expect(recordWhere(out, 'posts', 'id', BOB77)).toMatchObject({ author_id: BOB, kind: 'original', likes: 4, text: 'Anyone read The Book?' });
    expect(recordWhere(out, 'posts', 'id', 'https://example.social/users/alice/statuses/1003/activity')).toEqual({
      id: 'https://example.social/users/alice/statuses/1003/activity',
      author_id: ALICE,
      created_at: '2026-03-01T10:00:00.000Z',
      kind: 'repost',
      repost_of: CAROL55,
      platform: 'mastodon',
    });
    expect(recordWhere(out, 'posts', 'id', 'https://example.social/users/alice/statuses/1002')).toMatchObject({
      kind: 'reply',
      reply_to: S1005,
      text: 'And one more thing\nabout it',
    });
    expect(recordWhere(out, 'posts', 'id', 'https://example.social/users/alice/statuses/1001')).toMatchObject({
      kind: 'quote',
      quote_of: CAROL55,
      lang: 'fr',
      text: "Carol's list, and mine",
    });
    // Mentions and hashtags are anchors too, but not links.
    expect(readKind(out, 'links')).toEqual([
      { id: `${S1005}#1`, url: 'https://example.com/book', post_id: S1005, author_id: ALICE, created_at: '2026-03-03T12:00:00.000Z' },
      { id: `${CAROL55}#1`, url: 'https://example.net/article', post_id: CAROL55, author_id: CAROL, created_at: '2026-03-01T07:00:00.000Z' },
    ]);
    const interactions = readKind(out, 'interactions');
    expect(interactions).toContainEqual({ type: 'reply', actor_id: ALICE, post_id: BOB77, target_id: BOB, created_at: '2026-03-02T09:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'repost', actor_id: ALICE, post_id: CAROL55, target_id: CAROL, created_at: '2026-03-01T10:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'reply', actor_id: ALICE, post_id: S1005, target_id: ALICE, created_at: '2026-02-28T18:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'quote', actor_id: ALICE, post_id: CAROL55, target_id: CAROL, created_at: '2026-02-27T06:00:00.000Z' });
    // favourited_by and reblogged_by give no time: recorded at the post's own time.
    expect(interactions).toContainEqual({ type: 'like', actor_id: BOB, post_id: S1005, target_id: ALICE, created_at: '2026-03-03T12:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'repost', actor_id: DAVE, post_id: S1005, target_id: ALICE, created_at: '2026-03-03T12:00:00.000Z' });
    expect(readKind(out, 'follows')).toEqual([
      { follower_id: BOB, followee_id: ALICE },
      { follower_id: CAROL, followee_id: ALICE },
      { follower_id: DAVE, followee_id: ALICE },
      { follower_id: ALICE, followee_id: BOB },
    ]);
  });

  it('waits as a 429 Retry-After asks, then goes on', async () => {
    server.prepend(STATUSES_1, [{ status: 429, headers: { 'retry-after': '12' }, body: { error: 'Too many requests' } }]);
    const { summary, sleeps } = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out: tempFolder() });
    expect(sleeps).toEqual([12_000]);
    expect(summary.fetched).toEqual(FULL);
  });

  it('retries a 503 after a backoff, then goes on', async () => {
    server.prepend(FOLLOWERS_1, [{ status: 503, body: { error: 'Service Unavailable' } }, { status: 502, body: {} }]);
    const { summary, sleeps } = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out: tempFolder() });
    expect(sleeps).toEqual([750, 1500]); // base 1 s doubling, half jitter at the injected draw 0.5
    expect(summary.retries).toBe(2);
    expect(summary.fetched).toEqual(FULL);
  });

  it('waits for X-RateLimit-Reset (an ISO time) when X-RateLimit-Remaining is 0', async () => {
    server.prepend(LOOKUP, [
      { file: 'account-alice.json', headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-03-10T12:04:00.000Z' } },
    ]);
    const { sleeps } = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out: tempFolder() });
    expect(sleeps).toEqual([240_000]); // the fake clock stands at 12:00:00
  });

  it('says which account does not exist (404 from lookup)', async () => {
    const run = runFetch('mastodon', ['@nobody@example.social'], { base_url: server.origin, out: tempFolder() });
    await expect(run).rejects.toSatisfy((e) => e instanceof CloutError && e.code === 'input' && e.message === 'no such Mastodon account: nobody@example.social');
  });

  it('says when the instance serves its API only to logged-in users (401), keeping what it fetched', async () => {
    server.prepend(STATUSES_1, [{ status: 401, body: { error: 'This method requires an authenticated user' } }]);
    const out = tempFolder();
    const run = runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out });
    await expect(run).rejects.toThrow(/answered 401 Unauthorized \(This method requires an authenticated user\) for \/api\/v1\/accounts\/109\/statuses\?limit=40: 127\.0\.0\.1:\d+ does not serve this to visitors who are not logged in, and clout fetch reads public data only/);
    expect(folderCounts(out).accounts).toBe(1);
  });

  it('a reply whose parent is gone keeps no reply_to, and the lookup is not repeated on resume', async () => {
    server.prepend('GET /api/v1/statuses/2001', [{ status: 404, body: { error: 'Record not found' } }]);
    const out = tempFolder();
    await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out, graph: false, engagement: false, max_pages: 1 });
    const reply = recordWhere(out, 'posts', 'id', 'https://example.social/users/alice/statuses/1004')!;
    expect(reply['kind']).toBe('reply');
    expect(reply['reply_to']).toBeUndefined();
    expect(readKind(out, 'interactions').filter((i) => i['type'] === 'reply')).toEqual([]);
    expectValidAndUnique(out);
  });

  it('keeps to --max-posts: each page asks for no more than is left', async () => {
    const out = tempFolder();
    await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out, max_posts: 4, graph: false, engagement: false });
    expect(server.unmatched).toEqual([]);
    expect(server.requests.map((r) => r.key)).toEqual(
      [LOOKUP, 'GET /api/v1/accounts/109/statuses?limit=4', 'GET /api/v1/statuses/2001', 'GET /api/v1/accounts/109/statuses?limit=1&max_id=1003'].map(normalizeKey),
    );
    // Three statuses of page 1, and the first of page 2 (the self-reply); the quote is beyond the bound.
    expect(readKind(out, 'posts').some((p) => p['id'] === 'https://example.social/users/alice/statuses/1002')).toBe(true);
    expect(readKind(out, 'posts').some((p) => p['id'] === 'https://example.social/users/alice/statuses/1001')).toBe(false);
  });

  it('resumes: a run stopped by --max-pages 1 is continued by the next, with no duplicate records', async () => {
    const out = tempFolder();
    const first = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out, max_pages: 1 });
    expect(first.summary.fetched).toEqual({ accounts: 4, follows: 3, posts: 5, links: 2, interactions: 5 });
    expect(first.summary.lists_with_more).toBe(2);
    const before = server.requests.length;
    const second = await runFetch('mastodon', ['@alice@example.social'], { base_url: server.origin, out, max_pages: 1 });
    expect(server.requests.slice(before).map((r) => r.key)).toEqual(
      [LOOKUP, STATUSES_2, 'GET /api/v1/statuses/1002/favourited_by?limit=80', `${FOLLOWERS_1}&max_id=7`].map(normalizeKey),
    );
    expect(second.summary.fetched).toEqual({ accounts: 0, follows: 1, posts: 2, links: 0, interactions: 3 });
    expect(folderCounts(out)).toEqual(FULL);
    expectValidAndUnique(out);
  });
});

describe('clout fetch mastodon (end to end)', () => {
  it('fetches into a folder and imports it into the store', async () => {
    const dir = tempFolder();
    const db = join(dir, 'store.duckdb');
    const r = await clout(['fetch', 'mastodon', '@alice@example.social', '--base-url', server.origin, '--db', db, '--out', join(dir, 'f'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).fetched).toEqual(FULL);
    const store = await openStore(db);
    try {
      for (const [kind, n] of Object.entries(FULL)) {
        const rows = (await store.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${kind}`)).getRowObjects();
        expect(Number(rows[0]!['n']), kind).toBe(n);
      }
    } finally {
      await closeStore(store);
    }
  });
});
