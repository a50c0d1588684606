/** The Bluesky connector against a local replay of the AppView (no network): records, bounds, retries, resume, CLI. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloutError } from '../../src/domain/index.js';
import { openStore, closeStore } from '../../src/store/db.js';
import { clout } from '../support/cli.js';
import { TEST_DIR } from '../support/paths.js';
import { normalizeKey, replayServer, type ReplayServer } from '../support/replay.js';
import { expectValidAndUnique, folderCounts, readKind, recordWhere, runFetch, tempFolder } from './support.js';

const FIXTURES = join(TEST_DIR, 'fixtures', 'connectors', 'bluesky');
const ALICE = 'did:plc:alice';
const P1 = 'at://did:plc:alice/app.bsky.feed.post/3kp1';
const P3 = 'at://did:plc:alice/app.bsky.feed.post/3kp3';
const C1 = 'at://did:plc:carol/app.bsky.feed.post/3kc1';
const B1 = 'at://did:plc:bob/app.bsky.feed.post/3kb1';
const FULL = { accounts: 4, follows: 4, posts: 7, links: 2, interactions: 8 };

const FEED_1 = 'GET /xrpc/app.bsky.feed.getAuthorFeed?actor=did:plc:alice&limit=100';
const FEED_2 = `${FEED_1}&cursor=2026-03-01T10:00:00.000Z::3kp2`;
const FOLLOWERS_1 = 'GET /xrpc/app.bsky.graph.getFollowers?actor=did:plc:alice&limit=100';

let server: ReplayServer;
beforeEach(async () => {
  server = await replayServer(FIXTURES);
});
afterEach(async () => {
  await server.close();
});

describe('bluesky connector', () => {
  it('fetches profile, feed (two pages), likes, reposts, followers (two pages) and follows into valid NDJSON', async () => {
    const out = tempFolder();
    const { summary, sleeps } = await runFetch('bluesky', ['@Alice.test'], { service: server.origin, out });
    expect(server.unmatched).toEqual([]);
    expect(server.requests.map((r) => r.key)).toEqual(
      [
        'GET /xrpc/app.bsky.actor.getProfile?actor=alice.test',
        FEED_1,
        FEED_2,
        `GET /xrpc/app.bsky.feed.getLikes?uri=${P1}&limit=100`,
        `GET /xrpc/app.bsky.feed.getRepostedBy?uri=${P1}&limit=100`,
        `GET /xrpc/app.bsky.feed.getLikes?uri=${P3}&limit=100`,
        FOLLOWERS_1,
        `${FOLLOWERS_1}&cursor=3kf1`,
        'GET /xrpc/app.bsky.graph.getFollows?actor=did:plc:alice&limit=100',
      ].map(normalizeKey),
    );
    for (const r of server.requests) expect(r.headers['user-agent']).toBe('clout/0.1.0');
    expect(sleeps).toEqual([]);
    expect(summary.fetched).toEqual(FULL);
    expect(summary.in_folder).toEqual(FULL);
    expect(folderCounts(out)).toEqual(FULL);
    expect(summary.accounts).toEqual([{ asked: '@Alice.test', id: ALICE, handle: 'alice.test' }]);
    expect(summary.requests).toBe(9);
    expect(summary.lists_with_more).toBe(0);
    expect(summary.import).toBeNull();
    expectValidAndUnique(out);
  });

  it('maps each record field by field', async () => {
    const out = tempFolder();
    await runFetch('bluesky', ['alice.test'], { service: server.origin, out });
    expect(recordWhere(out, 'accounts', 'id', ALICE)).toEqual({
      id: ALICE,
      platform: 'bluesky',
      handle: 'alice.test',
      name: 'Alice Reads',
      followers: 3,
      following: 1,
      created_at: '2024-02-10T09:30:00.000Z',
    });
    expect(recordWhere(out, 'accounts', 'id', 'did:plc:dave')).toEqual({ id: 'did:plc:dave', platform: 'bluesky', handle: 'dave.test', name: 'Dave' });
    expect(recordWhere(out, 'posts', 'id', P1)).toEqual({
      id: P1,
      author_id: ALICE,
      created_at: '2026-03-03T12:00:00.000Z',
      text: 'This book amazes me — example.com/book with @bob.test',
      url: 'https://bsky.app/profile/did:plc:alice/post/3kp1',
      kind: 'original',
      platform: 'bluesky',
      lang: 'en',
      likes: 2,
      reposts: 1,
      replies: 1,
      quotes: 1,
    });
    expect(recordWhere(out, 'posts', 'id', 'at://did:plc:alice/app.bsky.feed.post/3kp2')).toMatchObject({ kind: 'reply', reply_to: B1 });
    expect(recordWhere(out, 'posts', 'id', B1)).toMatchObject({ author_id: 'did:plc:bob', kind: 'original', likes: 4 });
    expect(recordWhere(out, 'posts', 'id', 'at://did:plc:alice/app.bsky.feed.repost/3kr1')).toEqual({
      id: 'at://did:plc:alice/app.bsky.feed.repost/3kr1',
      author_id: ALICE,
      created_at: '2026-03-01T10:00:00.000Z',
      kind: 'repost',
      repost_of: C1,
      platform: 'bluesky',
    });
    expect(recordWhere(out, 'posts', 'id', C1)).toMatchObject({ author_id: 'did:plc:carol', kind: 'original', reposts: 5, likes: 12 });
    expect(recordWhere(out, 'posts', 'id', P3)).toMatchObject({ kind: 'quote', quote_of: C1, lang: 'en', likes: 1 });
    // The link facet and the external card name the same URL: one link.
    expect(readKind(out, 'links')).toEqual([
      { id: `${P1}#1`, url: 'https://example.com/book', post_id: P1, author_id: ALICE, created_at: '2026-03-03T12:00:00.000Z' },
      { id: `${P3}#1`, url: 'https://example.org/shop?ref=alice', post_id: P3, author_id: ALICE, created_at: '2026-02-28T18:00:00.000Z' },
    ]);
    const interactions = readKind(out, 'interactions');
    expect(interactions).toContainEqual({ type: 'mention', actor_id: ALICE, post_id: P1, target_id: 'did:plc:bob', created_at: '2026-03-03T12:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'reply', actor_id: ALICE, post_id: B1, target_id: 'did:plc:bob', created_at: '2026-03-02T09:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'repost', actor_id: ALICE, post_id: C1, target_id: 'did:plc:carol', created_at: '2026-03-01T10:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'quote', actor_id: ALICE, post_id: C1, target_id: 'did:plc:carol', created_at: '2026-02-28T18:00:00.000Z' });
    expect(interactions).toContainEqual({ type: 'like', actor_id: 'did:plc:bob', post_id: P1, target_id: ALICE, created_at: '2026-03-03T12:05:00.000Z' });
    // An unreadable like createdAt falls back to its indexedAt.
    expect(interactions).toContainEqual({ type: 'like', actor_id: 'did:plc:carol', post_id: P1, target_id: ALICE, created_at: '2026-03-03T13:00:01.000Z' });
    // getRepostedBy gives no time: the repost is recorded at the post's own time.
    expect(interactions).toContainEqual({ type: 'repost', actor_id: 'did:plc:dave', post_id: P1, target_id: ALICE, created_at: '2026-03-03T12:00:00.000Z' });
    expect(readKind(out, 'follows')).toEqual([
      { follower_id: 'did:plc:bob', followee_id: ALICE },
      { follower_id: 'did:plc:carol', followee_id: ALICE },
      { follower_id: 'did:plc:dave', followee_id: ALICE },
      { follower_id: ALICE, followee_id: 'did:plc:bob' },
    ]);
  });

  it('waits as a 429 Retry-After asks (through the injected sleep), then goes on', async () => {
    server.prepend(FEED_1, [{ status: 429, headers: { 'retry-after': '7' }, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } }]);
    const out = tempFolder();
    const { summary, sleeps } = await runFetch('bluesky', ['alice.test'], { service: server.origin, out });
    expect(sleeps).toEqual([7000]);
    expect(summary.retries).toBe(1);
    expect(summary.waited_seconds).toBe(7);
    expect(summary.fetched).toEqual(FULL);
  });

  it('retries a 500 after a jittered backoff, then goes on', async () => {
    server.prepend(FOLLOWERS_1, [{ status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } }]);
    const out = tempFolder();
    const { summary, sleeps } = await runFetch('bluesky', ['alice.test'], { service: server.origin, out });
    expect(sleeps).toEqual([750]); // base 1 s: half fixed, half jitter at the injected draw 0.5
    expect(summary.fetched).toEqual(FULL);
  });

  it('backs off after a 5xx even when it announces a rate-limit window (the window is not a reason to wait)', async () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0);
    server.prepend(FOLLOWERS_1, [{ status: 502, headers: { 'ratelimit-remaining': '2990', 'ratelimit-reset': String(now / 1000 + 300) }, body: {} }]);
    const { sleeps } = await runFetch('bluesky', ['alice.test'], { service: server.origin, out: tempFolder() });
    expect(sleeps).toEqual([750]);
  });

  it('waits for the rate-limit reset when ratelimit-remaining is 0 (epoch seconds)', async () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0); // the fake clock's start
    server.prepend('GET /xrpc/app.bsky.actor.getProfile?actor=alice.test', [
      { file: 'profile-alice.json', headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 30) } },
    ]);
    const { sleeps } = await runFetch('bluesky', ['alice.test'], { service: server.origin, out: tempFolder() });
    expect(sleeps).toEqual([30_000]);
  });

  it('stops with a clear error when asked to wait longer than --max-wait', async () => {
    server.prepend(FEED_1, [{ status: 429, headers: { 'retry-after': '3600' }, body: { error: 'RateLimitExceeded' } }]);
    const run = runFetch('bluesky', ['alice.test'], { service: server.origin, out: tempFolder(), max_wait: 60 });
    await expect(run).rejects.toThrow(/asks to wait 3600 s, more than the longest wait allowed \(60 s, --max-wait\); run the same command again later/);
  });

  it('says which account does not exist (400 from getProfile)', async () => {
    const run = runFetch('bluesky', ['nobody.test'], { service: server.origin, out: tempFolder() });
    await expect(run).rejects.toSatisfy((e) => e instanceof CloutError && e.code === 'input' && e.message === 'no such Bluesky account: nobody.test');
  });

  it('says when an account exists but is taken down or deactivated', async () => {
    server.prepend('GET /xrpc/app.bsky.actor.getProfile?actor=gone.test', [{ status: 400, body: { error: 'AccountTakedown', message: 'Account has been suspended' } }]);
    const run = runFetch('bluesky', ['gone.test'], { service: server.origin, out: tempFolder() });
    await expect(run).rejects.toThrow('the Bluesky account gone.test is not available (AccountTakedown: Account has been suspended)');
  });

  it('keeps to --max-posts: asks for that many and stops the feed there', async () => {
    const out = tempFolder();
    const { summary } = await runFetch('bluesky', ['alice.test'], { service: server.origin, out, max_posts: 2, graph: false });
    expect(server.requests.map((r) => r.key)).toContain(normalizeKey('GET /xrpc/app.bsky.feed.getAuthorFeed?actor=did:plc:alice&limit=2'));
    expect(server.requests.map((r) => r.key)).not.toContain(normalizeKey(FEED_2));
    expect(readKind(out, 'posts').map((p) => p['id'])).toEqual([P1, 'at://did:plc:alice/app.bsky.feed.post/3kp2', B1]);
    expect(summary.lists_with_more).toBe(0); // the feed stopped at its bound, not by --max-pages
  });

  it('resumes: a run stopped by --max-pages 1 is continued by the next, with no duplicate records', async () => {
    const out = tempFolder();
    const first = await runFetch('bluesky', ['alice.test'], { service: server.origin, out, max_pages: 1 });
    expect(first.summary.fetched).toEqual({ accounts: 4, follows: 3, posts: 5, links: 1, interactions: 6 });
    expect(first.summary.lists_with_more).toBe(2); // the feed and the followers
    const firstKeys = server.requests.length;
    const second = await runFetch('bluesky', ['alice.test'], { service: server.origin, out, max_pages: 1 });
    const again = server.requests.slice(firstKeys).map((r) => r.key);
    expect(again).toEqual(
      [
        'GET /xrpc/app.bsky.actor.getProfile?actor=alice.test',
        FEED_2,
        `GET /xrpc/app.bsky.feed.getLikes?uri=${P3}&limit=100`,
        `${FOLLOWERS_1}&cursor=3kf1`,
      ].map(normalizeKey),
    );
    expect(second.summary.fetched).toEqual({ accounts: 0, follows: 1, posts: 2, links: 1, interactions: 2 });
    expect(second.summary.in_folder).toEqual(FULL);
    expect(second.summary.lists_with_more).toBe(0);
    expectValidAndUnique(out);
    // A third run has nothing left to fetch but the profile.
    const third = await runFetch('bluesky', ['alice.test'], { service: server.origin, out, max_pages: 1 });
    expect(third.summary.requests).toBe(1);
    expect(folderCounts(out)).toEqual(FULL);
  });

  it('refuses to resume a folder fetched from another service', async () => {
    const out = tempFolder();
    await runFetch('bluesky', ['alice.test'], { service: server.origin, out, graph: false, engagement: false });
    await expect(runFetch('bluesky', ['alice.test'], { service: 'https://example.invalid', out })).rejects.toThrow(/holds a bluesky fetch from http:\/\/127\.0\.0\.1/);
  });
});

describe('clout fetch bluesky (end to end)', () => {
  it('fetches into a folder and imports it into the store', async () => {
    const dir = tempFolder();
    const db = join(dir, 'store.duckdb');
    const out = join(dir, 'fetched');
    const r = await clout(['fetch', 'bluesky', 'alice.test', '--service', server.origin, '--db', db, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { fetched: unknown; out: string; import: { files: { kind: string; imported: number; rejected: number }[]; rejected_total: number } };
    expect(doc.fetched).toEqual(FULL);
    expect(doc.out).toBe(out);
    expect(doc.import.rejected_total).toBe(0);
    expect(Object.fromEntries(doc.import.files.map((f) => [f.kind, f.imported]))).toEqual(FULL);
    const store = await openStore(db);
    try {
      const counts: Record<string, number> = {};
      for (const kind of Object.keys(FULL)) {
        const rows = (await store.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${kind}`)).getRowObjects();
        counts[kind] = Number(rows[0]!['n']);
      }
      expect(counts).toEqual(FULL);
      const post = (await store.conn.runAndReadAll(`SELECT kind, quote_of, likes::INTEGER AS likes FROM posts WHERE id = '${P3}'`)).getRowObjects()[0]!;
      expect(post).toEqual({ kind: 'quote', quote_of: C1, likes: 1 });
    } finally {
      await closeStore(store);
    }
  });

  it('prints what it fetched per kind and the import summary', async () => {
    const dir = tempFolder();
    const r = await clout(['fetch', 'bluesky', 'alice.test', '--service', server.origin, '--db', join(dir, 's.duckdb'), '--out', join(dir, 'f')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fetched alice\.test from bluesky into .*f \(9 request\(s\)\)\n/);
    expect(r.stdout).toMatch(/^interactions\s+8\s+8$/m);
    expect(r.stdout).toMatch(/^total\s+25\s+25\s+0\s+0\s+0/m);
  });

  it.each([
    [['fetch'], /which platform\?/],
    [['fetch', 'myspace', 'tom'], /cannot fetch from 'myspace': one of bluesky, mastodon/],
    [['fetch', 'bluesky'], /no accounts to fetch/],
    [['fetch', 'bluesky', 'a.test', '--base-url', 'http://127.0.0.1:9'], /--base-url is for mastodon/],
    [['fetch', 'mastodon', 'alice'], /a Mastodon account is @user@instance/],
    [['fetch', 'bluesky', 'a.test', '--service', 'ftp://x'], /--service must be an http\(s\) URL/],
  ])('exits 2 for a usage error: %j', async (args, message) => {
    const dir = tempFolder();
    const r = await clout([...args, '--db', join(dir, 'u.duckdb'), '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 naming the account when it does not exist', async () => {
    const dir = tempFolder();
    const r = await clout(['fetch', 'bluesky', 'nobody.test', '--service', server.origin, '--db', join(dir, 'u.duckdb'), '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('clout fetch: no such Bluesky account: nobody.test\n');
  });
});
