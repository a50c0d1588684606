/**
 * Mastodon REST JSON (the Account and Status entities) to interchange records: pure functions. Accounts are keyed by
 * their ActivityPub id (`uri`, else the profile `url`), posts by the status `uri`; handles are `acct` qualified as
 * `user@instance`. A status with `reblog` is a repost post by the booster; its `reblog` is the original post.
 */
import { htmlToText } from '../ingest/platforms/html-text.js';
import { count, firstTime, isHttpUrl, obj, str, type JsonObject } from './json.js';
import type { OutRecord } from './output.js';
import type { TargetPost } from './state.js';
import { linkRecords, mergeBatches, type RecordBatch } from './types.js';

const PLATFORM = 'mastodon';

/** An account's interchange id: its ActivityPub id (`uri`, Mastodon ≥ 4.2), else its profile `url`. */
export function accountIdOf(account: JsonObject | undefined): string | undefined {
  return str(account, 'uri') ?? str(account, 'url');
}

/** `acct` qualified as `user@instance` (a local account's `acct` has no instance: the host of its id is used). */
export function handleOf(account: JsonObject): string | undefined {
  const acct = str(account, 'acct')?.replace(/^@/, '');
  if (acct === undefined) return undefined;
  if (acct.includes('@')) return acct;
  const id = accountIdOf(account);
  try {
    return id === undefined ? acct : `${acct}@${new URL(id).host}`;
  } catch {
    return acct;
  }
}

/** The account record of an Account entity, or undefined without an id. */
export function accountOf(account: JsonObject): OutRecord | undefined {
  const id = accountIdOf(account);
  if (id === undefined) return undefined;
  return {
    id,
    platform: PLATFORM,
    handle: handleOf(account),
    name: str(account, 'display_name'),
    followers: count(account, 'followers_count'),
    following: count(account, 'following_count'),
    created_at: firstTime(str(account, 'created_at')),
  };
}

/** The post a reply answers, as resolved by the connector: its URI and author (ids), when known. */
export interface ReplyParent {
  uri: string;
  author_id: string | undefined;
}

/** The quoted status of a Mastodon ≥ 4.5 quote (`quote.quoted_status`, when the quote was accepted), or undefined. */
function quotedStatus(status: JsonObject): JsonObject | undefined {
  const quote = obj(status['quote']);
  const state = str(quote, 'state');
  return state === undefined || state === 'accepted' ? obj(quote?.['quoted_status']) : undefined;
}

/**
 * A status's records: the post, its author, its links, and its author's repost/reply/quote interactions; a boost also
 * gives the boosted post (and its author and links). `parent` is the post replied to, when the connector resolved it.
 */
export function statusRecords(status: JsonObject, parent?: ReplyParent): { batch: RecordBatch; post: OutRecord } | undefined {
  const id = str(status, 'uri');
  const author = obj(status['account']);
  const authorId = accountIdOf(author);
  const createdAt = firstTime(str(status, 'created_at'));
  if (id === undefined || authorId === undefined || createdAt === undefined) return undefined;
  const stub = author ? accountOf(author) : undefined;
  const reblog = obj(status['reblog']);
  if (reblog !== undefined) {
    const original = statusRecords(reblog);
    if (original === undefined) return undefined;
    const post: OutRecord = { id, author_id: authorId, created_at: createdAt, kind: 'repost', repost_of: original.post['id'], platform: PLATFORM };
    const url = str(status, 'url');
    if (url !== undefined && isHttpUrl(url)) post['url'] = url;
    const own: RecordBatch = {
      accounts: stub ? [stub] : [],
      posts: [post],
      interactions: [{ type: 'repost', actor_id: authorId, post_id: original.post['id'], target_id: original.post['author_id'], created_at: createdAt }],
    };
    return { post, batch: mergeBatches([own, original.batch]) };
  }
  const { text, links } = htmlToText(str(status, 'content') ?? '');
  const quoted = quotedStatus(status);
  const quotedPost = quoted ? statusRecords(quoted) : undefined;
  const quoteOf = quotedPost?.post['id'];
  const isReply = str(status, 'in_reply_to_id') !== undefined;
  const url = str(status, 'url');
  const post: OutRecord = {
    id,
    author_id: authorId,
    created_at: createdAt,
    text: text === '' ? undefined : text,
    url: url !== undefined && isHttpUrl(url) ? url : undefined,
    reply_to: parent?.uri,
    kind: isReply ? 'reply' : quoteOf !== undefined ? 'quote' : 'original',
    quote_of: quoteOf,
    platform: PLATFORM,
    lang: str(status, 'language'),
    likes: count(status, 'favourites_count'),
    reposts: count(status, 'reblogs_count'),
    replies: count(status, 'replies_count'),
    quotes: count(status, 'quotes_count'),
  };
  const interactions: OutRecord[] = [];
  if (parent !== undefined) interactions.push({ type: 'reply', actor_id: authorId, post_id: parent.uri, target_id: parent.author_id, created_at: createdAt });
  if (quotedPost !== undefined) {
    interactions.push({ type: 'quote', actor_id: authorId, post_id: quotedPost.post['id'], target_id: quotedPost.post['author_id'], created_at: createdAt });
  }
  const own: RecordBatch = { accounts: stub ? [stub] : [], posts: [post], links: linkRecords(id, authorId, createdAt, links), interactions };
  return { post, batch: quotedPost ? mergeBatches([own, quotedPost.batch]) : own };
}

/** The post of a status to fetch likes and reposts for (a status of the account that is not a boost), or undefined. */
export function targetOf(status: JsonObject, post: OutRecord, accountId: string): TargetPost | undefined {
  const localId = str(status, 'id');
  if (localId === undefined || post['kind'] === 'repost' || post['author_id'] !== accountId) return undefined;
  return {
    id: String(post['id']),
    ref: localId,
    author_id: accountId,
    created_at: String(post['created_at']),
    likes: typeof post['likes'] === 'number' ? post['likes'] : 0,
    reposts: typeof post['reposts'] === 'number' ? post['reposts'] : 0,
  };
}

/**
 * A favourited_by or reblogged_by account: the account and a like or repost. The API gives no time for either: it is
 * recorded at the post's own created_at, the earliest time it can have happened (docs/connectors.md).
 */
export function engagementRecords(account: JsonObject, post: TargetPost, type: 'like' | 'repost'): RecordBatch {
  const a = accountOf(account);
  if (a === undefined) return {};
  return { accounts: [a], interactions: [{ type, actor_id: a['id'], post_id: post.id, target_id: post.author_id, created_at: post.created_at }] };
}

/** A follower or followed account of the actor: the account and the follow edge. */
export function followRecords(account: JsonObject, actorId: string, direction: 'follower' | 'following'): RecordBatch {
  const a = accountOf(account);
  if (a === undefined) return {};
  const other = String(a['id']);
  return {
    accounts: [a],
    follows: [direction === 'follower' ? { follower_id: other, followee_id: actorId } : { follower_id: actorId, followee_id: other }],
  };
}
