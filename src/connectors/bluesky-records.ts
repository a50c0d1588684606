/**
 * Bluesky AppView JSON (lexicons app.bsky.actor.defs, app.bsky.feed.defs) to interchange records: pure functions.
 * Accounts are keyed by DID, posts by AT-URI; a feed item with reason `#reasonRepost` is a repost post by the
 * reposter (id = the repost record's URI when the AppView gives it, else `<post uri>#repost-by-<did>`).
 */
import { count, firstTime, isHttpUrl, obj, objects, str, type JsonObject } from './json.js';
import type { OutRecord } from './output.js';
import type { TargetPost } from './state.js';
import { linkRecords, mergeBatches, type RecordBatch } from './types.js';

const PLATFORM = 'bluesky';
const POST_COLLECTION = 'app.bsky.feed.post';

/** The DID in an AT-URI's authority (`at://did:plc:x/app.bsky.feed.post/3k` → `did:plc:x`), or undefined. */
export function didOfAtUri(uri: string): string | undefined {
  const m = /^at:\/\/(did:[^/]+)\//.exec(uri);
  return m?.[1];
}

/** The account of a profile view (detailed: with its counts; basic or plain: a stub with handle and name). */
export function accountOf(profile: JsonObject): OutRecord | undefined {
  const did = str(profile, 'did');
  if (did === undefined) return undefined;
  return {
    id: did,
    platform: PLATFORM,
    handle: str(profile, 'handle'),
    name: str(profile, 'displayName'),
    followers: count(profile, 'followersCount'),
    following: count(profile, 'followsCount'),
    created_at: firstTime(str(profile, 'createdAt')),
  };
}

/** The AT-URI of the post a record embeds (app.bsky.embed.record or recordWithMedia), or undefined. */
function quotedUri(embed: JsonObject | undefined): string | undefined {
  const type = str(embed, '$type') ?? '';
  let ref: JsonObject | undefined;
  if (type.startsWith('app.bsky.embed.recordWithMedia')) ref = obj(obj(embed?.['record'])?.['record']);
  else if (type.startsWith('app.bsky.embed.record')) ref = obj(embed?.['record']);
  const uri = str(ref, 'uri');
  return uri !== undefined && uri.includes(`/${POST_COLLECTION}/`) ? uri : undefined;
}

/** The external link card's URL of an embed (app.bsky.embed.external, or the media of recordWithMedia), or undefined. */
function externalUri(embed: JsonObject | undefined): string | undefined {
  const type = str(embed, '$type') ?? '';
  if (type.startsWith('app.bsky.embed.external')) return str(obj(embed?.['external']), 'uri');
  if (type.startsWith('app.bsky.embed.recordWithMedia')) return externalUri(obj(embed?.['media']));
  return undefined;
}

/** The link and mention facets of a post record, in text order. */
function facetFeatures(record: JsonObject): { links: string[]; mentions: string[] } {
  const facets = objects(record, 'facets').sort(
    (a, b) => (count(obj(a['index']), 'byteStart') ?? 0) - (count(obj(b['index']), 'byteStart') ?? 0),
  );
  const links: string[] = [];
  const mentions: string[] = [];
  for (const f of facets) {
    for (const feature of objects(f, 'features')) {
      const type = str(feature, '$type');
      if (type === 'app.bsky.richtext.facet#link') {
        const uri = str(feature, 'uri');
        if (uri !== undefined) links.push(uri);
      } else if (type === 'app.bsky.richtext.facet#mention') {
        const did = str(feature, 'did');
        if (did !== undefined) mentions.push(did);
      }
    }
  }
  return { links, mentions };
}

/** A post view's records: the post, its author (a stub), its links, and its author's reply/quote/mention interactions. */
export function postRecords(view: JsonObject): { batch: RecordBatch; post: OutRecord } | undefined {
  const uri = str(view, 'uri');
  const author = obj(view['author']);
  const record = obj(view['record']);
  const authorId = str(author, 'did');
  if (uri === undefined || authorId === undefined || record === undefined) return undefined;
  const createdAt = firstTime(str(record, 'createdAt'), str(view, 'indexedAt'));
  if (createdAt === undefined) return undefined;
  const parentUri = str(obj(obj(record['reply'])?.['parent']), 'uri');
  const embed = obj(record['embed']) ?? obj(view['embed']);
  const quoteOf = quotedUri(obj(record['embed'])) ?? quotedUri(obj(view['embed']));
  const langs = record['langs'];
  const rkey = uri.split('/').at(-1);
  const post: OutRecord = {
    id: uri,
    author_id: authorId,
    created_at: createdAt,
    text: typeof record['text'] === 'string' ? record['text'] : undefined,
    url: rkey ? `https://bsky.app/profile/${authorId}/post/${rkey}` : undefined,
    reply_to: parentUri,
    kind: parentUri !== undefined ? 'reply' : quoteOf !== undefined ? 'quote' : 'original',
    quote_of: quoteOf,
    platform: PLATFORM,
    lang: Array.isArray(langs) && typeof langs[0] === 'string' ? langs[0] : undefined,
    likes: count(view, 'likeCount'),
    reposts: count(view, 'repostCount'),
    replies: count(view, 'replyCount'),
    quotes: count(view, 'quoteCount'),
  };
  const facets = facetFeatures(record);
  const urls = [...new Set([...facets.links, externalUri(embed)].filter((u): u is string => u !== undefined && isHttpUrl(u)))];
  const interactions: OutRecord[] = [];
  if (parentUri !== undefined) {
    interactions.push({ type: 'reply', actor_id: authorId, post_id: parentUri, target_id: didOfAtUri(parentUri), created_at: createdAt });
  }
  if (quoteOf !== undefined) {
    interactions.push({ type: 'quote', actor_id: authorId, post_id: quoteOf, target_id: didOfAtUri(quoteOf), created_at: createdAt });
  }
  for (const did of new Set(facets.mentions)) {
    interactions.push({ type: 'mention', actor_id: authorId, post_id: uri, target_id: did, created_at: createdAt });
  }
  const stub = author ? accountOf(author) : undefined;
  return {
    post,
    batch: { accounts: stub ? [stub] : [], posts: [post], links: linkRecords(uri, authorId, createdAt, urls), interactions },
  };
}

/** What one getAuthorFeed item gives: its records, and the post whose likes and reposts to fetch (the actor's own). */
export function feedItemRecords(item: JsonObject, actorDid: string): { batch: RecordBatch; target?: TargetPost } | undefined {
  const view = obj(item['post']);
  if (view === undefined) return undefined;
  const shown = postRecords(view);
  if (shown === undefined) return undefined;
  const batches: RecordBatch[] = [shown.batch];
  // The post replied to, when the AppView includes it: its post and author, so the reply has a target in the store.
  const parent = obj(obj(item['reply'])?.['parent']);
  if (parent !== undefined && obj(parent['record']) !== undefined) {
    const p = postRecords(parent);
    if (p !== undefined) batches.push({ accounts: p.batch.accounts ?? [], posts: [p.post], links: p.batch.links ?? [] });
  }
  const reason = obj(item['reason']);
  if (str(reason, '$type') === 'app.bsky.feed.defs#reasonRepost') {
    const by = obj(reason?.['by']);
    const reposter = str(by, 'did');
    const at = firstTime(str(reason, 'indexedAt'));
    const original = shown.post;
    if (reposter !== undefined && at !== undefined) {
      const id = str(reason, 'uri') ?? `${String(original['id'])}#repost-by-${reposter}`;
      const stub = by ? accountOf(by) : undefined;
      batches.push({
        accounts: stub ? [stub] : [],
        posts: [{ id, author_id: reposter, created_at: at, kind: 'repost', repost_of: original['id'], platform: PLATFORM }],
        interactions: [{ type: 'repost', actor_id: reposter, post_id: original['id'], target_id: original['author_id'], created_at: at }],
      });
    }
    return { batch: mergeBatches(batches) };
  }
  const post = shown.post;
  const target: TargetPost | undefined =
    post['author_id'] === actorDid
      ? {
          id: String(post['id']),
          ref: String(post['id']),
          author_id: actorDid,
          created_at: String(post['created_at']),
          likes: typeof post['likes'] === 'number' ? post['likes'] : 0,
          reposts: typeof post['reposts'] === 'number' ? post['reposts'] : 0,
        }
      : undefined;
  return { batch: mergeBatches(batches), ...(target ? { target } : {}) };
}

/** A getLikes item: the liker (a stub) and a like at the like's createdAt (its indexedAt when createdAt is unreadable). */
export function likeRecords(like: JsonObject, post: TargetPost): RecordBatch {
  const actor = obj(like['actor']);
  const account = actor ? accountOf(actor) : undefined;
  const at = firstTime(str(like, 'createdAt'), str(like, 'indexedAt'));
  if (account === undefined || at === undefined) return {};
  return {
    accounts: [account],
    interactions: [{ type: 'like', actor_id: account['id'], post_id: post.id, target_id: post.author_id, created_at: at }],
  };
}

/**
 * A getRepostedBy item: the reposter (a stub) and a repost. The API gives no time for a repost: it is recorded at the
 * post's own created_at, the earliest time it can have happened (docs/connectors.md).
 */
export function repostedByRecords(profile: JsonObject, post: TargetPost): RecordBatch {
  const account = accountOf(profile);
  if (account === undefined) return {};
  return {
    accounts: [account],
    interactions: [{ type: 'repost', actor_id: account['id'], post_id: post.id, target_id: post.author_id, created_at: post.created_at }],
  };
}

/** A follower or follow of the actor: the other account (a stub) and the follow edge. */
export function followRecords(profile: JsonObject, actorDid: string, direction: 'follower' | 'follows'): RecordBatch {
  const account = accountOf(profile);
  if (account === undefined) return {};
  const other = String(account['id']);
  return {
    accounts: [account],
    follows: [direction === 'follower' ? { follower_id: other, followee_id: actorDid } : { follower_id: actorDid, followee_id: other }],
  };
}
