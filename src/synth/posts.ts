/**
 * The post schedule: each author's book posts (framing drawn from the author's mix, planted lift
 * β = θ_author × φ_framing × η, η ~ Gamma(κ, κ)) and chatter, plus the campaign posts; all sorted by time, with a
 * tracked link for every post that carries one.
 */
import type { Rng } from '../domain/index.js';
import { ROLE, type Accounts } from './accounts.js';
import { FRAMINGS, type BookFraming, type WorldParams } from './params.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';

export const TOPIC = { book: 0, chatter: 1, appeal: 2, campaign: 3 } as const;
export const TOPIC_NAMES = ['book', 'chatter', 'campaign_appeal', 'campaign'] as const;
const FRAMING_INDEX = { pitch: 0, endorsement: 1, bare_link: 2, other: 3 } as const;

/** All posts (sorted by time; id = `p<index>`) and their links (id = `l<index>`). */
export interface Posts {
  n: number;
  author: Int32Array;
  time: Float64Array;
  /** Index into FRAMINGS. */
  framing: Uint8Array;
  topic: Uint8Array;
  /** Planted expected caused book sales β of the post (0 for chatter and campaign posts). */
  lift: Float64Array;
  /** Link index of the post, −1 when it carries no link. */
  link: Int32Array;
  /** Filled later: realized caused sales, donations and donated whole dollars credited to the post. */
  caused: Int32Array;
  donations: Int32Array;
  donated: Float64Array;
  /** Filled by the cascades: sum of reported followers of the accounts that reposted or quoted it. */
  reshareFollowers: Float64Array;
  links: number;
  linkPost: Int32Array;
}

/** The id of post `i`. */
export function postId(i: number): string {
  return 'p' + i;
}

/** The id of link `k`. */
export function linkId(k: number): string {
  return 'l' + k;
}

/** A short, unique key for link `k` (base 36 of an odd-multiplier scramble of k, a bijection on 32 bits). */
export function linkKey(k: number): string {
  return (Math.imul(k + 1, 0x2c1b3c6d) >>> 0).toString(36).padStart(7, '0');
}

/** Draws the post schedule of the authors and the campaign. */
export function makePosts(p: WorldParams, acc: Accounts, rng: Rng): Posts {
  const day = MS_PER_DAY;
  const start = Date.parse(p.start);
  const bookSpan = (p.days - p.sales.horizonDays) * day;
  const author: number[] = [];
  const time: number[] = [];
  const framing: number[] = [];
  const topic: number[] = [];
  const lift: number[] = [];
  const mixOf = (mix: Record<BookFraming, number>): number[] => [mix.pitch, mix.endorsement, mix.bare_link];
  const regular = cumulative(mixOf(p.authors.framingMix));
  const loyal = cumulative(mixOf(p.authors.loyalFramingMix));
  const effects = FRAMINGS.map((f) => p.framing.effects[f]);
  const kappa = p.framing.kappa;

  for (let j = 0; j < acc.authors.length; j++) {
    const a = acc.authors[j]!;
    const role = acc.role[a]!;
    const nBook = role === ROLE.celebrity ? p.celebrity.bookPosts : 1 + rng.poisson(p.authors.bookPostsMean - 1);
    for (let k = 0; k < nBook; k++) {
      const f = role === ROLE.celebrity ? FRAMING_INDEX.pitch : pickCumulative(role === ROLE.loyal ? loyal : regular, rng);
      const eta = rng.gamma(kappa, kappa);
      author.push(a);
      time.push(start + Math.floor(rng.uniform() * bookSpan));
      framing.push(f);
      topic.push(TOPIC.book);
      lift.push(acc.persuasion[a]! * effects[f]! * eta);
    }
    const nChat = rng.poisson(p.authors.chatterMean);
    for (let k = 0; k < nChat; k++) {
      author.push(a);
      time.push(start + Math.floor(rng.uniform() * p.days * day));
      framing.push(FRAMING_INDEX.other);
      topic.push(TOPIC.chatter);
      lift.push(0);
    }
  }

  // Campaign: the celebrity's appeals spread over the window, then tribe members posting the campaign link.
  const c = p.campaign;
  const cStart = start + c.startDay * day;
  const cEnd = start + c.endDay * day;
  const appealTimes: number[] = [];
  for (let k = 0; k < c.appeals; k++) {
    const t = cStart + Math.floor(((c.endDay - c.startDay) * day * k) / c.appeals) + 17 * MS_PER_HOUR;
    appealTimes.push(t);
    author.push(0);
    time.push(t);
    framing.push(FRAMING_INDEX.other);
    topic.push(TOPIC.appeal);
    lift.push(0);
  }
  const lo = acc.tribeOffsets[0]!, hi = acc.tribeOffsets[1]!;
  for (let k = 0; k < c.tribePosts && hi - lo > 1; k++) {
    let m = 0;
    do m = acc.tribeMembers[lo + rng.int(hi - lo)]!;
    while (m === 0);
    const base = appealTimes[rng.int(appealTimes.length)]!;
    let t = base + Math.floor(rng.exponential(1 / (12 * MS_PER_HOUR)));
    if (t >= cEnd) t = base + Math.floor(rng.uniform() * (cEnd - base));
    author.push(m);
    time.push(t);
    framing.push(FRAMING_INDEX.other);
    topic.push(TOPIC.campaign);
    lift.push(0);
  }

  // Sort by time (ties by draw order) so ids follow publication order.
  const count = author.length;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((x, y) => time[x]! - time[y]! || x - y);
  const out: Posts = {
    n: count,
    author: new Int32Array(count),
    time: new Float64Array(count),
    framing: new Uint8Array(count),
    topic: new Uint8Array(count),
    lift: new Float64Array(count),
    link: new Int32Array(count).fill(-1),
    caused: new Int32Array(count),
    donations: new Int32Array(count),
    donated: new Float64Array(count),
    reshareFollowers: new Float64Array(count),
    links: 0,
    linkPost: new Int32Array(0),
  };
  const linkPost: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = order[i]!;
    out.author[i] = author[s]!;
    out.time[i] = time[s]!;
    out.framing[i] = framing[s]!;
    out.topic[i] = topic[s]!;
    out.lift[i] = lift[s]!;
    if (topic[s] !== TOPIC.chatter) {
      out.link[i] = linkPost.length;
      linkPost.push(i);
    }
  }
  out.links = linkPost.length;
  out.linkPost = Int32Array.from(linkPost);
  return out;
}

function cumulative(w: number[]): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) c[i] = s += w[i]!;
  for (let i = 0; i < w.length; i++) c[i]! /= s;
  return c;
}

function pickCumulative(c: Float64Array, rng: Rng): number {
  const u = rng.uniform();
  for (let i = 0; i < c.length; i++) if (u < c[i]!) return i;
  return c.length - 1;
}
