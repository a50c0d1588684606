/**
 * The units of `compare --shoutout-by` read from a small hand-made store whose every number is worked out by hand:
 * who counts as shouted out (repost, quote, mention — a mention without a target naming the post's author) and when
 * (the first time), who is left out and why, the controls' pseudo dates (treated dates after their first post,
 * seeded), the outcome in [date, date + window) for conversions (by the store's credit rules and type) and for
 * follows, covariates strictly before the date (activity after it — posts, conversions, interactions, follows —
 * would change every one of them if it leaked), and the errors a user can meet.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOUTOUT_COVARIATES, parseDuration, shoutoutUnits, type ShoutoutUnits } from '../../src/app/compare-store.js';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { tempDir } from '../support/import.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
/** Day d (fractional) after T0, as ISO text. */
const at = (d: number): string => new Date(T0 + d * DAY).toISOString();
const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Writes records (kind → rows) as NDJSON files into a temp dir and imports them into a fresh store. */
async function storeOf(records: Record<string, object[]>): Promise<Store> {
  const dir = tempDir('clout-compare-store-');
  const files = Object.entries(records).map(([kind, rows]) => {
    const path = join(dir, `${kind}.ndjson`);
    writeFileSync(path, ndjson(rows));
    return path;
  });
  const store = await openStore(join(dir, 'store.duckdb'));
  const summary = await importPaths(store, files, { rejectsPath: join(dir, 'rejects.ndjson') });
  expect(summary.rejected_total).toBe(0);
  return store;
}

const TREATED = ['t1', 't2', 't3', 't4', 't5'];
const CONTROLS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
// first shout-out of each treated account (days after T0)
const SHOUT_DAY: Record<string, number> = { t1: 10.5, t2: 11, t3: 12, t4: 13, t5: 14 };

function world(): Record<string, object[]> {
  const accounts = [
    { id: 'star', handle: '@Star', followers: 100_000 },
    { id: 't1', handle: 't1', followers: 1000 },
    ...['t2', 't3', 't4', 't5', 'c2', 'c3', 'c4', 'c5', 'c6', 'ghost', 'tardy', 'endy', 'late'].map((id, i) => ({ id, followers: 100 + 10 * i })),
    { id: 'c1' }, // no reported followers: the follow graph counts
  ];
  const posts = [
    { id: 'p-star', author_id: 'star', created_at: at(0.5) },
    { id: 'p-t1a', author_id: 't1', created_at: at(1) },
    { id: 'p-t1b', author_id: 't1', created_at: at(5), link_id: 'l-t1' },
    { id: 'p-t1c', author_id: 't1', created_at: at(11) }, // after its date: not a covariate
    ...['t2', 't3', 't4', 't5', 'c1', 'c2', 'c3', 'c4', 'c5', 'endy'].map((a) => ({ id: `p-${a}`, author_id: a, created_at: at(1) })),
    { id: 'p-c6', author_id: 'c6', created_at: at(12.5) }, // first post after 3 of the 5 shout-out dates
    { id: 'p-tardy', author_id: 'tardy', created_at: at(20) }, // shouted out on day 16, posted only later
    { id: 'p-late', author_id: 'late', created_at: at(25) }, // after every shout-out date
  ];
  const links = [{ id: 'l-t1', url: 'https://shop.example/t1', post_id: 'p-t1b' }];
  const clicks = [{ id: 'k1', link_id: 'l-t1', at: at(6) }];
  const interactions = [
    // the star's shout-outs
    { id: 's1', type: 'mention', actor_id: 'star', target_id: 't1', created_at: at(10.5) },
    { id: 's1b', type: 'repost', actor_id: 'star', post_id: 'p-t1a', created_at: at(12) }, // t1 again, later
    { id: 's2', type: 'repost', actor_id: 'star', post_id: 'p-t2', created_at: at(11) },
    { id: 's3', type: 'quote', actor_id: 'star', post_id: 'p-t3', created_at: at(12) },
    { id: 's4', type: 'mention', actor_id: 'star', post_id: 'p-t4', created_at: at(13) }, // mention without target: the post's author
    { id: 's5', type: 'mention', actor_id: 'star', target_id: 't5', created_at: at(14) },
    { id: 's6', type: 'mention', actor_id: 'star', target_id: 'ghost', created_at: at(10) }, // never posted
    { id: 's7', type: 'mention', actor_id: 'star', target_id: 'tardy', created_at: at(16) }, // posted only after
    { id: 's8', type: 'mention', actor_id: 'star', target_id: 'endy', created_at: at(27) }, // window past the end
    { id: 's9', type: 'like', actor_id: 'star', post_id: 'p-c1', created_at: at(12) }, // a like is no shout-out
    { id: 's10', type: 'repost', actor_id: 'star', post_id: 'p-star', created_at: at(12) }, // itself: left out
    // what t1 received before and after its date
    { id: 'r1', type: 'like', actor_id: 'c1', post_id: 'p-t1a', created_at: at(2) },
    { id: 'r2', type: 'mention', actor_id: 'c2', target_id: 't1', created_at: at(4) },
    { id: 'r3', type: 'reply', actor_id: 'c3', post_id: 'p-t1b', created_at: at(10.5) }, // at the date: not before
    { id: 'r4', type: 'like', actor_id: 'c4', post_id: 'p-t1a', created_at: at(11) },
  ];
  const conversions = [
    // t1: credited by post (signups) and by click (a sale)
    { id: 'o1', at: at(9), type: 'signup', post_id: 'p-t1a' }, // before: covariate
    { id: 'o2', at: at(6.01), type: 'sale', value: 10, currency: 'USD', click_id: 'k1' }, // before, a sale
    { id: 'o3', at: at(10.5), type: 'signup', post_id: 'p-t1a' }, // at the date: in the window
    { id: 'o4', at: at(17.5 - 1 / 86_400), type: 'signup', post_id: 'p-t1b' }, // last second of the window
    { id: 'o5', at: at(17.5), type: 'signup', post_id: 'p-t1a' }, // the window's end: out
    { id: 'o6', at: at(12), type: 'sale', value: 10, currency: 'USD', post_id: 'p-t1a' }, // in the window, a sale
    // t2: 3 signups in its window; c1: 1 signup on day 14
    ...[11.5, 12, 17].map((d, i) => ({ id: `o-t2-${i}`, at: at(d), type: 'signup', post_id: 'p-t2' })),
    { id: 'o-c1', at: at(14.5), type: 'signup', post_id: 'p-c1' },
    { id: 'o-end', at: at(30), type: 'signup', post_id: 'p-c5' }, // the store's last event
  ];
  const follows = [
    { follower_id: 'c1', followee_id: 't1', since: at(-100) },
    { follower_id: 'c2', followee_id: 't1', since: at(11) }, // after t1's date: in the window
    { follower_id: 'c3', followee_id: 't1', since: at(20) }, // after the window
    { follower_id: 't1', followee_id: 'c1', since: at(-5) },
    { follower_id: 't2', followee_id: 'c1' }, // no since: counted as before
    { follower_id: 't3', followee_id: 'c1', since: at(29) }, // after any date c1 can get
  ];
  return { accounts, posts, links, clicks, interactions, conversions, follows };
}

describe('compare --shoutout-by: the units from a hand-made store', () => {
  let store: Store;
  let signups: ShoutoutUnits;
  const unit = (u: ShoutoutUnits, id: string) => {
    const i = u.units.findIndex((x) => x.id === id);
    expect(i, id).toBeGreaterThanOrEqual(0);
    const cov = Object.fromEntries(u.data.covariates.map((c) => [c.name, (c.values as Float64Array)[i]]));
    return { ...u.units[i]!, treatment: u.data.treatment[i], y: u.data.outcome[i], cov };
  };

  beforeAll(async () => {
    store = await storeOf(world());
    signups = await shoutoutUnits(store.conn, { shoutout_by: '@star', type: 'signup' });
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('finds the shouting account by handle (any case, with or without @) or id', async () => {
    expect(signups.account).toEqual({ id: 'star', handle: '@Star' });
    for (const key of ['star', 'STAR', '@star']) expect((await shoutoutUnits(store.conn, { shoutout_by: key, type: 'signup' })).account.id).toBe('star');
  });

  it('treats the accounts reposted, quoted or mentioned, from the first shout-out, and says who was left out', () => {
    expect(signups.units.filter((u) => u.treated).map((u) => [u.id, (u.at - T0) / DAY])).toEqual(TREATED.map((id) => [id, SHOUT_DAY[id]]));
    expect(signups.counts).toEqual({ shouted_out: 8, treated: 5, controls: 6, no_post_before: 2, window_past_end: 1, controls_without_date: 1 });
    expect(signups.notes.join('\n')).toMatch(/2 shouted-out accounts had not posted before/);
    expect(signups.notes.join('\n')).toMatch(/1 shouted-out accounts were left out: their 7d window runs past/);
    expect(signups.notes.join('\n')).toMatch(/1 accounts first posted after every shout-out date/);
    expect(signups.data_end).toBe(T0 + 30 * DAY);
    expect([...signups.data.treatment]).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(signups.data.ids).toEqual([...TREATED, ...CONTROLS]);
  });

  it("draws each control's pseudo date from the treated dates after its first post, seeded", async () => {
    const dates = new Set(Object.values(SHOUT_DAY).map((d) => T0 + d * DAY));
    for (const id of CONTROLS) expect(dates.has(unit(signups, id).at), id).toBe(true);
    expect(unit(signups, 'c6').at).toBeGreaterThan(T0 + 12.5 * DAY); // only days 13 and 14 qualify
    const again = await shoutoutUnits(store.conn, { shoutout_by: 'star', type: 'signup' });
    expect(again.units).toEqual(signups.units);
    const other = await shoutoutUnits(store.conn, { shoutout_by: 'star', type: 'signup', seed: 2 });
    expect(other.units.filter((u) => !u.treated).map((u) => u.at)).not.toEqual(signups.units.filter((u) => !u.treated).map((u) => u.at));
  });

  it('counts the outcome in [date, date + window), of the type asked, by the store credit rules', async () => {
    expect(unit(signups, 't1').y).toBe(2); // o3 at the date, o4 in its last second; not o5 at the end, not the sale o6
    expect(unit(signups, 't2').y).toBe(3);
    expect(signups.type).toBe('signup');
    const sales = await shoutoutUnits(store.conn, { shoutout_by: 'star', type: 'sale' });
    expect(unit(sales, 't1').y).toBe(1); // o6 (post tie) in the window; o2 (click tie) before
    expect(unit(sales, 't1').cov.conversions_before).toBe(1);
    const short = await shoutoutUnits(store.conn, { shoutout_by: 'star', type: 'signup', window: '36h' });
    expect(unit(short, 't1').y).toBe(1); // only o3
    expect(unit(short, 't2').y).toBe(2); // days 11.5 and 12
    expect(short.counts.window_past_end).toBe(0); // endy's 36 h fit before day 30
    expect(short.counts.treated).toBe(6);
  });

  it('measures every covariate strictly before the date (activity after it would change each one)', () => {
    const t1 = unit(signups, 't1');
    expect(Object.keys(t1.cov)).toEqual([...SHOUTOUT_COVARIATES]);
    expect(t1.cov).toEqual({
      followers: 1000 - 2, // reported 1000, less the follows starting on day 11 and day 20
      posts_before: 2, // p-t1a, p-t1b; not p-t1c (day 11)
      conversions_before: 1, // o1 (signup, day 9); not o2 (a sale), not o3 (at the date)
      interactions_before: 2, // r1, r2; not r3 (at the date), r4 (day 11), nor the star's own shout-outs (at / after)
    });
    expect(signups.data.covariates.every((c) => c.log === true)).toBe(true);
    // c1 has no reported followers: the follows before its date (day −5, and one with no since), not the one on day 29
    expect(unit(signups, 'c1').cov.followers).toBe(2);
  });

  it('counts follows gained in the window as the followers outcome', async () => {
    const f = await shoutoutUnits(store.conn, { shoutout_by: 'star', outcome: 'followers' });
    expect(f.type).toBeNull();
    expect(unit(f, 't1').y).toBe(1); // day 11; not day 20 (after the window), not day −100
    expect(unit(f, 'c1').y).toBe(0);
  });

  it('rejects an unknown account, an account with no shout-outs, a bad window, and an unknown option', async () => {
    await expect(shoutoutUnits(store.conn, { shoutout_by: '@nobody' })).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/no account '@nobody'/) });
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'c3' })).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/reposted, quoted or mentioned no other account/) });
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'c2' })).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/^compare: 1 accounts shouted out by c2 .* need ≥ 5$/),
    });
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'star', window: 'a week' })).rejects.toMatchObject({ code: 'bad_option', message: expect.stringMatching(/window must be a duration like 7d/) });
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'star', windows: '7d' } as never)).rejects.toMatchObject({ code: 'bad_option' });
  });
});

describe('compare --shoutout-by: a store where follows carry no since and almost everyone is shouted out', () => {
  let store: Store;
  beforeAll(async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    store = await storeOf({
      accounts: [{ id: 'star', followers: 10 }, ...ids.map((id) => ({ id, followers: 5 }))],
      posts: ids.map((id) => ({ id: `p-${id}`, author_id: id, created_at: at(1) })),
      interactions: ids.slice(0, 5).map((id, i) => ({ id: `s-${id}`, type: 'mention', actor_id: 'star', target_id: id, created_at: at(2 + i) })),
      follows: [{ follower_id: 'a', followee_id: 'b' }],
      conversions: [{ id: 'o1', at: at(20), type: 'signup', post_id: 'p-a' }],
    });
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('says follower growth needs follows with since', async () => {
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'star', outcome: 'followers' })).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/follower growth needs follows with a since date, and none of the store's 1 follows has one/),
    });
  });

  it('needs at least 5 controls', async () => {
    await expect(shoutoutUnits(store.conn, { shoutout_by: 'star' })).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/1 accounts that posted were never shouted out by star; need ≥ 5 controls/) });
  });
});

describe('parseDuration', () => {
  it('reads minutes, hours, days and weeks, and nothing else', () => {
    expect(parseDuration('7d')).toBe(7 * DAY);
    expect(parseDuration('48h')).toBe(2 * DAY);
    expect(parseDuration(' 90m ')).toBe(90 * 60_000);
    expect(parseDuration('2W')).toBe(14 * DAY);
    expect(parseDuration('1.5d')).toBe(1.5 * DAY);
    for (const bad of ['', '7', 'd', '0d', '-1d', '7 days', '7y']) expect(parseDuration(bad), bad).toBeUndefined();
  });
});
