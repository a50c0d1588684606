/**
 * One tweet of an X archive (`{ "tweet": { … } }` in tweets.js) → its post, the links it carries, the owner's
 * mention / reply / quote / repost interactions, and the accounts it names (mentioned users, the user replied to).
 */
import type { Emitted, Origin } from '../types.js';
import { parseXDate } from './dates.js';

/** The archive's owner, from account.js. */
export interface Owner {
  id: string;
  username: string | undefined;
}

/** What mapping a tweet needs beyond the tweet: its owner, and the ids of accounts already emitted (not repeated). */
export interface TweetContext {
  owner: Owner;
  accountsSeen: Set<string>;
  /** Followers and followings emitted as bare accounts (id and platform); a mention's fuller record still follows. */
  stubsSeen: Set<string>;
}

type Obj = Record<string, unknown>;

const DIGITS = /^\d+$/;
/** A link to a tweet: `https://x.com/<user>/status/<id>` (also twitter.com, mobile., www., /i/web/status/). */
const STATUS_URL = /^https?:\/\/(?:www\.|mobile\.)?(?:twitter|x)\.com\/(?:([A-Za-z0-9_]{1,15})|i\/web|i)\/status(?:es)?\/(\d+)/i;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && DIGITS.test(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A counter as archives write it (a digit string) as a number; anything else as given (the schema decides). */
const counter = (v: unknown): unknown => (typeof v === 'string' && DIGITS.test(v) ? Number(v) : v);

/** The tweet object of an element (`{ "tweet": {…} }`; an unwrapped tweet object as older archives have it). */
export function tweetOf(element: unknown): Obj | undefined {
  if (!isObj(element)) return undefined;
  if (isObj(element.tweet)) return element.tweet;
  return 'id_str' in element && 'full_text' in element ? element : undefined;
}

/** Maps one element of tweets.js to emitted items (appended to `out`). */
export function mapTweet(element: unknown, raw: string, file: string, line: number, ctx: TweetContext, out: Emitted[]): void {
  const tweet = tweetOf(element);
  if (tweet === undefined) {
    out.push({ type: 'reject', kind: 'posts', origin: { file, line }, field: 'tweet', reason: 'expected an object { "tweet": { … } }', raw });
    return;
  }
  const id = idOf(tweet.id_str) ?? idOf(tweet.id);
  if (id === undefined) {
    out.push({ type: 'reject', kind: 'posts', origin: { file, line }, field: 'id_str', reason: tweet.id_str === undefined ? 'is required' : `expected a numeric tweet id, got ${show(tweet.id_str)}`, raw });
    return;
  }
  const origin: Origin = { file, line, record: id };
  const createdAt = typeof tweet.created_at === 'string' ? parseXDate(tweet.created_at) : undefined;
  if (createdAt === undefined) {
    const reason = tweet.created_at === undefined ? 'is required' : `expected X's date form "Wed Feb 10 18:00:00 +0000 2021", got ${show(tweet.created_at)}`;
    out.push({ type: 'reject', kind: 'posts', origin, field: 'created_at', reason, raw });
    return;
  }
  const owner = ctx.owner.id;
  const entities = isObj(tweet.entities) ? tweet.entities : {};
  const urls = arr(entities.urls).filter(isObj);
  const mentions = arr(entities.user_mentions).filter(isObj);
  const fullText = typeof tweet.full_text === 'string' ? tweet.full_text : typeof tweet.text === 'string' ? tweet.text : undefined;

  const repost = fullText !== undefined && fullText.startsWith('RT @');
  const retweeted = isObj(tweet.retweeted_status) ? tweet.retweeted_status : undefined;
  const repostOf = repost && retweeted !== undefined ? idOf(retweeted.id_str) : undefined;
  const replyTo = idOf(tweet.in_reply_to_status_id_str);
  const quoted = quoteOf(tweet, urls, id);
  const kind = repost ? 'repost' : replyTo !== undefined ? 'reply' : quoted !== undefined ? 'quote' : 'original';

  const lang = str(tweet.lang);
  out.push({
    type: 'record',
    kind: 'posts',
    fields: {
      id,
      author_id: owner,
      created_at: createdAt,
      text: fullText === undefined ? undefined : expandText(fullText, urls, entities, tweet),
      url: ctx.owner.username === undefined ? undefined : `https://x.com/${ctx.owner.username}/status/${id}`,
      reply_to: replyTo,
      kind,
      repost_of: repostOf,
      quote_of: quoted?.id,
      platform: 'x',
      lang: lang === 'und' ? undefined : lang,
      likes: counter(tweet.favorite_count),
      reposts: counter(tweet.retweet_count),
    },
    origin,
    raw,
  });

  // Links: each distinct expanded URL, except the link to the quoted tweet (that is the quote, not a link out).
  const seen = new Set<string>();
  for (const u of urls) {
    const url = str(u.expanded_url);
    if (url === undefined || seen.has(url) || (quoted !== undefined && url === quoted.url)) continue;
    seen.add(url);
    out.push({
      type: 'record',
      kind: 'links',
      fields: { id: `${id}#${seen.size}`, url, post_id: id, author_id: owner, created_at: createdAt },
      origin,
      raw,
    });
  }

  // Accounts named by the tweet (with what it says of them), once per import.
  for (const m of mentions) {
    const mid = idOf(m.id_str);
    if (mid === undefined || ctx.accountsSeen.has(mid)) continue;
    ctx.accountsSeen.add(mid);
    out.push({ type: 'record', kind: 'accounts', fields: { id: mid, platform: 'x', handle: str(m.screen_name), name: str(m.name) }, origin, raw });
  }
  const replyUser = idOf(tweet.in_reply_to_user_id_str);
  if (replyUser !== undefined && !ctx.accountsSeen.has(replyUser)) {
    ctx.accountsSeen.add(replyUser);
    out.push({ type: 'record', kind: 'accounts', fields: { id: replyUser, platform: 'x', handle: str(tweet.in_reply_to_screen_name) }, origin, raw });
  }

  // The owner's interactions. A repost's mentions are the reposted tweet's, not the owner's.
  if (!repost) {
    const shownFrom = Number(arr(tweet.display_text_range)[0] ?? 0);
    const mentioned = new Set<string>();
    for (const m of mentions) {
      const mid = idOf(m.id_str);
      if (mid === undefined || mid === owner || mentioned.has(mid)) continue;
      // Leading @names hidden before display_text_range address the reply; they are not mentions.
      if (Number(arr(m.indices)[0]) < shownFrom) continue;
      mentioned.add(mid);
      out.push({ type: 'record', kind: 'interactions', fields: { type: 'mention', actor_id: owner, post_id: id, target_id: mid, created_at: createdAt }, origin, raw });
    }
  }
  if (replyTo !== undefined && replyUser !== owner) {
    out.push({ type: 'record', kind: 'interactions', fields: { type: 'reply', actor_id: owner, post_id: replyTo, target_id: replyUser, created_at: createdAt }, origin, raw });
  }
  if (quoted !== undefined && !quoted.own) {
    out.push({ type: 'record', kind: 'interactions', fields: { type: 'quote', actor_id: owner, post_id: quoted.id, created_at: createdAt }, origin, raw });
  }
  if (repostOf !== undefined) {
    const user = isObj(retweeted?.user) ? idOf(retweeted.user.id_str) : undefined;
    out.push({ type: 'record', kind: 'interactions', fields: { type: 'repost', actor_id: owner, post_id: repostOf, target_id: user, created_at: createdAt }, origin, raw });
  }

  function quoteOf(t: Obj, list: Obj[], self: string): { id: string; url: string | undefined; own: boolean } | undefined {
    const direct = idOf(t.quoted_status_id_str);
    let found: { id: string; url: string | undefined; own: boolean } | undefined;
    // The quoted tweet's permalink is the last status link among the tweet's URLs.
    for (let i = list.length - 1; i >= 0 && found === undefined; i--) {
      const url = str(list[i]!.expanded_url);
      const m = url === undefined ? null : STATUS_URL.exec(url);
      if (m === null || m[2] === self || (direct !== undefined && m[2] !== direct)) continue;
      const user = m[1];
      found = { id: m[2]!, url, own: user !== undefined && ctx.owner.username !== undefined && user.toLowerCase() === ctx.owner.username.toLowerCase() };
    }
    if (direct !== undefined) return found ?? { id: direct, url: undefined, own: false };
    return found;
  }
}

/** The tweet's text as shown: HTML entities X escapes decoded, and every t.co link replaced by its expanded URL. */
function expandText(fullText: string, urls: Obj[], entities: Obj, tweet: Obj): string {
  let text = fullText.includes('&') ? fullText.replace(/&(lt|gt|amp);/g, (_, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : '&')) : fullText;
  const media = isObj(tweet.extended_entities) ? arr(tweet.extended_entities.media) : arr(entities.media);
  for (const u of media.length === 0 ? urls : [...urls, ...media.filter(isObj)]) {
    const short = str(u.url);
    const long = str(u.expanded_url);
    if (short !== undefined && long !== undefined && text.includes(short)) text = text.replaceAll(short, () => long);
  }
  return text;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
