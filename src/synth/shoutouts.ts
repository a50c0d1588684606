/**
 * The celebrity's shout-outs and everyone's sign-ups: the planted truth of `clout compare --shoutout-by`. Every posting
 * account but the celebrity gathers sign-ups (conversions of type `signup`, tied by `post_id` to its latest post) from
 * its first post on, at a rate that grows with its followers. Each posting account draws a date; if it has posted by
 * then, the celebrity mentions it at that date with a probability that grows with its followers and its posts so far
 * (the confounding: the shouted-out are the big and the active), and the mention brings Poisson(δ) extra sign-ups
 * within the window (the planted effect). The celebrity's organic reposts, quotes and mentions from the cascades are
 * shout-outs too, with no planted effect; truth.json lists both.
 */
import type { Rng } from '../domain/index.js';
import { MS_PER_DAY } from '../domain/index.js';
import { accountId, type Accounts } from './accounts.js';
import type { CelebrityTouch } from './cascades.js';
import type { ConversionRecorder } from './conversions.js';
import type { WorldParams } from './params.js';
import { postId, type Posts } from './posts.js';
import { hex } from './text.js';
import { iso, type Table } from './writers.js';

/** One shouted-out account as truth.json records it. */
export interface ShoutoutTarget {
  id: string;
  /** Time of its first shout-out (ISO 8601). */
  at: string;
  /** 'planted' (the generator's mention, with an effect) or 'organic' (a cascade's repost/quote/mention, no effect). */
  kind: 'planted' | 'organic';
  followers: number;
  posts_before: number;
  /** Expected extra sign-ups in the window (δ; 0 for organic shout-outs) and those realized. */
  effect: number;
  extra: number;
  /** Expected sign-ups in the window without the shout-out. */
  baseline: number;
}

/** What the shout-out stage planted (truth.json `shoutouts`). */
export interface ShoutoutTruth {
  account_id: string;
  outcome: string;
  window_days: number;
  /** Posting accounts (not the celebrity) with a post before their drawn date: the pool the targets come from. */
  eligible: number;
  signups_total: number;
  /** ATT over the shouted-out accounts, in sign-ups per window: expected (mean δ) and realized (mean extra). */
  att: number;
  att_realized: number;
  targets: ShoutoutTarget[];
}

/** Writes the shout-outs (mentions by the celebrity) and every sign-up; returns the truth. */
export async function writeShoutouts(
  p: WorldParams,
  acc: Accounts,
  posts: Posts,
  organic: readonly CelebrityTouch[],
  firstInteraction: number,
  rng: Rng,
  interactions: Table,
  conv: ConversionRecorder,
  startMs: number,
  endMs: number,
): Promise<ShoutoutTruth> {
  const so = p.shoutout;
  // Each account's posts in time order (posts are sorted by time), CSR.
  const off = new Int32Array(acc.n + 1);
  for (let i = 0; i < posts.n; i++) off[posts.author[i]! + 1]!++;
  for (let a = 0; a < acc.n; a++) off[a + 1]! += off[a]!;
  const byAuthor = new Int32Array(posts.n);
  const cursor = off.slice(0, acc.n);
  for (let i = 0; i < posts.n; i++) byAuthor[cursor[posts.author[i]!]!++] = i;
  /** Posts of account a made before time t. */
  const postsBefore = (a: number, t: number): number => {
    let lo = off[a]!, hi = off[a + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (posts.time[byAuthor[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo - off[a]!;
  };
  /** The post of account a that a sign-up at time t is tied to: its latest post before t. */
  const latestPost = (a: number, t: number): string => postId(byAuthor[off[a]! + postsBefore(a, t) - 1]!);

  // Organic shout-outs: the first per account, before anything is planted (so the planted one is never second).
  const firstOrganic = new Map<number, number>();
  for (const o of organic) if (o.target !== 0 && !(firstOrganic.get(o.target)! <= o.at)) firstOrganic.set(o.target, o.at);

  const window = so.windowDays * MS_PER_DAY;
  const rate = (a: number): number => (p.signups.level * Math.pow(acc.followers[a]! / p.accounts.followersMedian, p.signups.elasticity)) / MS_PER_DAY;
  const logMedian = Math.log(1 + p.accounts.followersMedian);
  const kernelRate = 1 / (so.kernelMeanDays * MS_PER_DAY);
  const targets: ShoutoutTarget[] = [];
  const extraTimes: { a: number; t: number }[] = [];
  let eligible = 0, nextInteraction = firstInteraction;
  const cells = interactions.cells;
  for (let a = 1; a < acc.n; a++) {
    if (off[a + 1] === off[a]) continue;
    const s = startMs + so.firstDay * MS_PER_DAY + Math.floor(rng.uniform() * (so.lastDay - so.firstDay) * MS_PER_DAY);
    const before = postsBefore(a, s);
    const organicAt = firstOrganic.get(a);
    if (organicAt !== undefined) {
      const n = postsBefore(a, organicAt);
      targets.push({ id: accountId(a), at: iso(organicAt), kind: 'organic', followers: acc.followers[a]!, posts_before: n, effect: 0, extra: 0, baseline: r6(rate(a) * window) });
      continue;
    }
    if (before === 0) continue;
    eligible++;
    const logit = Math.log(so.oddsAtMedian) + so.perLogFollowers * (Math.log(1 + acc.followers[a]!) - logMedian) + so.perLogPosts * Math.log((1 + before) / 2);
    if (rng.uniform() >= 1 / (1 + Math.exp(-logit))) continue;
    const delta = rng.gamma(so.effectShape, so.effectShape / so.effectMean);
    const extra = rng.poisson(delta);
    for (let j = 0; j < extra; j++) {
      let d: number;
      do d = rng.exponential(kernelRate);
      while (d >= window);
      extraTimes.push({ a, t: s + 1000 + Math.floor(d) });
    }
    targets.push({ id: accountId(a), at: iso(s), kind: 'planted', followers: acc.followers[a]!, posts_before: before, effect: r6(delta), extra, baseline: r6(rate(a) * window) });
    cells[0] = 'i' + nextInteraction++;
    cells[1] = 'mention';
    cells[2] = accountId(0);
    cells[4] = accountId(a);
    cells[5] = iso(s);
    if (interactions.end()) await interactions.flush();
  }
  await interactions.flush();

  // Sign-ups: the baseline of every posting account but the celebrity, then the shout-outs' extra ones.
  let total = 0;
  for (let a = 1; a < acc.n; a++) {
    if (off[a + 1] === off[a]) continue;
    const first = posts.time[byAuthor[off[a]!]!]!;
    const n = rng.poisson(rate(a) * (endMs - first));
    for (let j = 0; j < n; j++) {
      const t = first + 1000 + Math.floor(rng.uniform() * Math.max(0, endMs - first - 1000));
      conv.write('signup', t, '', '', 'cu' + hex(rng, 2), '', '', '', '', latestPost(a, t));
      total++;
      if (conv.full) await conv.flush();
    }
  }
  for (const { a, t } of extraTimes) {
    conv.write('signup', t, '', '', 'cu' + hex(rng, 2), '', '', '', '', latestPost(a, t));
    total++;
    if (conv.full) await conv.flush();
  }
  await conv.flush();

  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((x, y) => x + y, 0) / xs.length);
  return {
    account_id: accountId(0),
    outcome: `signup conversions credited to the account (each tied by post_id to its latest post) in the ${so.windowDays} days after its first shout-out`,
    window_days: so.windowDays,
    eligible,
    signups_total: total,
    att: r6(mean(targets.map((x) => x.effect))),
    att_realized: r6(mean(targets.map((x) => x.extra))),
    targets: targets.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : 1)),
  };
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
