/**
 * Bluesky records as interchange records: the profile becomes the account, posts and reposts become posts (with
 * their links and the owner's reply, quote and mention interactions), likes become interactions and follows become
 * follows. Other collections are counted as reported. Values are handed on raw; the import validates them.
 */
import type { Kind } from '../../../domain/index.js';
import type { Emitted, Origin } from '../types.js';
import { at, arrayOf, jsonOf, objectOf, stringOf } from './values.js';
import { isPostUri, POST_COLLECTION, postWebUrl } from './uri.js';

/** The platform name of every record this importer makes. */
export const PLATFORM = 'bluesky';

/** One record of the repository, located. */
export interface RepoRecord {
  /** The repository's DID (its owner). */
  did: string;
  collection: string;
  rkey: string;
  /** Its AT-URI. */
  uri: string;
  /** Its decoded DAG-CBOR value. */
  value: unknown;
  origin: Origin;
}

/** The interchange kind a collection's records count under (reported and rejected ones included). */
export function kindOfCollection(nsid: string): Kind {
  if (nsid === 'app.bsky.feed.like') return 'interactions';
  if (nsid.startsWith('app.bsky.graph.')) return 'follows';
  if (nsid.startsWith('app.bsky.actor.')) return 'accounts';
  return 'posts';
}

/** The interchange records a repository record becomes (or the reported item saying why it becomes none). */
export function mapRecord(r: RepoRecord): Emitted[] {
  const raw = jsonOf(r.value);
  switch (r.collection) {
    case 'app.bsky.actor.profile':
      return r.rkey === 'self'
        ? [record('accounts', profileAccount(r), r, raw)]
        : [{ type: 'reported', kind: 'accounts', origin: r.origin, reason: 'profile record other than self' }];
    case POST_COLLECTION:
      return postRecords(r, raw);
    case 'app.bsky.feed.repost':
      return repostRecords(r, raw);
    case 'app.bsky.feed.like':
      return likeRecords(r, raw);
    case 'app.bsky.graph.follow': {
      // The followed account is named by its DID alone: a bare account makes the follow's end known (an import
      // fills in a stored account, so it never erases a fuller one).
      const subject = at(r.value, 'subject');
      const follow = record('follows', { follower_id: r.did, followee_id: subject, since: at(r.value, 'createdAt') }, r, raw);
      return typeof subject === 'string' && subject.startsWith('did:') ? [record('accounts', bareAccount(subject), r, raw), follow] : [follow];
    }
    default:
      return [{ type: 'reported', kind: kindOfCollection(r.collection), origin: r.origin, reason: `collection not imported: ${r.collection}` }];
  }
}

/** The account of a repository that has no profile record: its DID alone. */
export function bareAccount(did: string): Record<string, unknown> {
  return { id: did, platform: PLATFORM };
}

function record(kind: Kind, fields: Record<string, unknown>, r: RepoRecord, raw: unknown): Emitted {
  return { type: 'record', kind, fields: withoutUndefined(fields), origin: r.origin, raw };
}

function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

function profileAccount(r: RepoRecord): Record<string, unknown> {
  return { ...bareAccount(r.did), name: at(r.value, 'displayName'), created_at: at(r.value, 'createdAt') };
}

/** What a post's embed points at: a quoted record and an external link. */
function embedTargets(embed: unknown): { quoted?: string; external?: string } {
  switch (stringOf(at(embed, '$type'))) {
    case 'app.bsky.embed.external':
      return { external: stringOf(at(embed, 'external', 'uri')) };
    case 'app.bsky.embed.record':
      return { quoted: stringOf(at(embed, 'record', 'uri')) };
    case 'app.bsky.embed.recordWithMedia': {
      const media = at(embed, 'media');
      const external = stringOf(at(media, '$type')) === 'app.bsky.embed.external' ? stringOf(at(media, 'external', 'uri')) : undefined;
      return { quoted: stringOf(at(embed, 'record', 'record', 'uri')), external };
    }
    default:
      return {};
  }
}

/** The features of a post's facets, in text order (by byteStart; facets without one keep their place at the end). */
function facetFeatures(value: unknown): Record<string, unknown>[] {
  const facets = arrayOf(at(value, 'facets'))
    .map((f, n) => ({ f, n, start: at(f, 'index', 'byteStart') }))
    .sort((a, b) => startOf(a.start) - startOf(b.start) || a.n - b.n);
  return facets.flatMap(({ f }) => arrayOf(at(f, 'features')).flatMap((x): Record<string, unknown>[] => {
    const feature = objectOf(x);
    return feature === undefined ? [] : [feature];
  }));
}

function startOf(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.MAX_SAFE_INTEGER;
}

function isHttpUrl(u: string): boolean {
  return /^https?:\/\//i.test(u);
}

function postRecords(r: RepoRecord, raw: unknown): Emitted[] {
  const v = r.value;
  const createdAt = at(v, 'createdAt');
  const parent = stringOf(at(v, 'reply', 'parent', 'uri'));
  const { quoted, external } = embedTargets(at(v, 'embed'));
  const quoteOf = quoted !== undefined && isPostUri(quoted) ? quoted : undefined;
  const isReply = objectOf(at(v, 'reply')) !== undefined;
  const lang = stringOf(arrayOf(at(v, 'langs'))[0]);
  const out: Emitted[] = [
    record(
      'posts',
      {
        id: r.uri,
        author_id: r.did,
        created_at: createdAt,
        text: at(v, 'text'),
        url: postWebUrl(r.did, r.rkey),
        reply_to: parent,
        kind: isReply ? 'reply' : quoteOf !== undefined ? 'quote' : 'original',
        quote_of: quoteOf,
        platform: PLATFORM,
        lang,
      },
      r,
      raw,
    ),
  ];
  const features = facetFeatures(v);
  const urls: string[] = [];
  const mentioned: string[] = [];
  for (const f of features) {
    const type = stringOf(f.$type);
    const uri = stringOf(f.uri);
    const did = stringOf(f.did);
    if (type === 'app.bsky.richtext.facet#link' && uri !== undefined && isHttpUrl(uri) && !urls.includes(uri)) urls.push(uri);
    if (type === 'app.bsky.richtext.facet#mention' && did !== undefined && !mentioned.includes(did)) mentioned.push(did);
  }
  if (external !== undefined && isHttpUrl(external) && !urls.includes(external)) urls.push(external);
  urls.forEach((url, n) =>
    out.push(record('links', { id: `${r.uri}#${n + 1}`, url, post_id: r.uri, author_id: r.did, created_at: createdAt }, r, raw)),
  );
  if (isReply) out.push(record('interactions', { type: 'reply', actor_id: r.did, post_id: parent, created_at: createdAt }, r, raw));
  if (quoteOf !== undefined) {
    out.push(record('interactions', { type: 'quote', actor_id: r.did, post_id: quoteOf, created_at: createdAt }, r, raw));
  }
  for (const did of mentioned) {
    out.push(record('interactions', { type: 'mention', actor_id: r.did, post_id: r.uri, target_id: did, created_at: createdAt }, r, raw));
  }
  return out;
}

function repostRecords(r: RepoRecord, raw: unknown): Emitted[] {
  const subject = stringOf(at(r.value, 'subject', 'uri'));
  const createdAt = at(r.value, 'createdAt');
  return [
    record('posts', { id: r.uri, author_id: r.did, created_at: createdAt, kind: 'repost', repost_of: subject, platform: PLATFORM }, r, raw),
    record('interactions', { type: 'repost', actor_id: r.did, post_id: subject, created_at: createdAt }, r, raw),
  ];
}

function likeRecords(r: RepoRecord, raw: unknown): Emitted[] {
  const subject = stringOf(at(r.value, 'subject', 'uri'));
  if (subject !== undefined && !isPostUri(subject)) {
    return [{ type: 'reported', kind: 'interactions', origin: r.origin, reason: 'like of a non-post record' }];
  }
  return [record('interactions', { type: 'like', actor_id: r.did, post_id: subject, created_at: at(r.value, 'createdAt') }, r, raw)];
}
