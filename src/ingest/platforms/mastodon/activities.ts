/**
 * The activities of an archive's outbox.json as interchange records: a `Create` of a status becomes a post (with its
 * links, mentions, reply and quote), an `Announce` (a boost) a repost; other activities are reported.
 */
import type { Emitted, Origin } from '../types.js';
import { htmlToText } from '../html-text.js';
import { dropUndefined, PLATFORM } from './actor.js';
import { hostOf, idOf, isObject, listOf, singleLanguageOf, textOf, totalItemsOf, typeOf, urlOf, type JsonObject } from './as.js';

/** Where an outbox item sits: its file and 1-based index in `orderedItems`. */
export interface ItemPlace {
  file: string;
  index: number;
}

/** The properties other servers and Mastodon (4.4+) use to name the status a note quotes, in order of preference. */
const QUOTE_PROPERTIES = ['quote', 'quoteUrl', 'quoteUri', '_misskey_quote'] as const;

/** The records of one outbox item; `ownerId` (the archive's actor) stands in when an activity names no actor. */
export function mapOutboxItem(item: unknown, place: ItemPlace, ownerId: string | undefined): Emitted[] {
  if (typeof item === 'string') {
    const origin: Origin = { file: place.file, line: place.index, record: item };
    return [reject(origin, 'orderedItems', 'activity is a bare link, not an embedded activity', item)];
  }
  const origin: Origin = { file: place.file, line: place.index, ...recordOf(item) };
  if (!isObject(item)) return [reject(origin, 'orderedItems', 'activity is not a JSON object', item)];
  const type = typeOf(item);
  if (type === undefined) return [reject(origin, 'type', 'activity has no type', item)];
  if (type === 'Create') return mapCreate(item, origin, ownerId);
  if (type === 'Announce') return mapAnnounce(item, origin, ownerId);
  return [{ type: 'reported', kind: 'posts', origin, reason: `activity not imported: ${type}` }];
}

/** A `Create` of a status: the post, a link per distinct URL, a mention per Mention tag, a reply and a quote. */
function mapCreate(activity: JsonObject, origin: Origin, ownerId: string | undefined): Emitted[] {
  const note = activity.object;
  if (note === undefined || note === null) return [reject(origin, 'object', 'Create has no object', activity)];
  if (!isObject(note)) return [reject(origin, 'object', 'Create object is a link, not an embedded object', activity)];
  const postId = textOf(note.id);
  if (postId === undefined) return [reject(origin, 'object.id', 'Create object has no id', activity)];
  const objectType = typeOf(note) ?? 'unknown';
  const html = typeof note.content === 'string' ? note.content : undefined;
  if (objectType !== 'Note' && (html === undefined || html.trim() === '')) {
    return [{ type: 'reported', kind: 'posts', origin, reason: `object not imported: ${objectType}` }];
  }
  const authorId = idOf(activity.actor) ?? idOf(note.attributedTo) ?? ownerId;
  if (authorId === undefined) return [reject(origin, 'actor', 'Create names no actor and the archive has no actor.json', activity)];
  const createdAt = textOf(note.published) ?? textOf(activity.published);
  if (createdAt === undefined) return [reject(origin, 'object.published', 'Create object has no published time', activity)];

  const { text, links } = htmlToText(html ?? '');
  const replyTo = idOf(note.inReplyTo);
  const quoteOf = quotedStatusOf(note);
  const post = dropUndefined({
    id: postId,
    author_id: authorId,
    created_at: createdAt,
    text,
    url: urlOf(note.url),
    reply_to: replyTo,
    kind: replyTo !== undefined ? 'reply' : quoteOf !== undefined ? 'quote' : 'original',
    quote_of: quoteOf,
    platform: PLATFORM,
    lang: singleLanguageOf(note.contentMap),
    likes: totalItemsOf(note.likes),
    reposts: totalItemsOf(note.shares),
    replies: totalItemsOf(note.replies),
  });
  const out: Emitted[] = [record('posts', post, origin, activity)];
  const urls = [...new Set(links.filter(isHttpUrl))];
  urls.forEach((url, i) => {
    const link = { id: `${postId}#${i + 1}`, url, post_id: postId, author_id: authorId, created_at: createdAt };
    out.push(record('links', link, origin, activity));
  });
  const interaction = (type: string, postIdActedOn: string, targetId?: string): Emitted =>
    record('interactions', dropUndefined({ type, actor_id: authorId, post_id: postIdActedOn, target_id: targetId, created_at: createdAt }), origin, activity);
  for (const mentioned of mentionedActors(note)) {
    out.push(record('accounts', mentionedAccount(mentioned), origin, activity));
    out.push(interaction('mention', postId, mentioned.href));
  }
  if (replyTo !== undefined) out.push(interaction('reply', replyTo));
  if (quoteOf !== undefined) out.push(interaction('quote', quoteOf));
  return out;
}

/** An `Announce` (a boost): a repost post whose id is the activity's, and a repost interaction on the boosted status. */
function mapAnnounce(activity: JsonObject, origin: Origin, ownerId: string | undefined): Emitted[] {
  const id = textOf(activity.id);
  if (id === undefined) return [reject(origin, 'id', 'Announce has no id', activity)];
  const boosted = idOf(activity.object);
  if (boosted === undefined) return [reject(origin, 'object', 'Announce has no object', activity)];
  const authorId = idOf(activity.actor) ?? ownerId;
  if (authorId === undefined) return [reject(origin, 'actor', 'Announce names no actor and the archive has no actor.json', activity)];
  const createdAt = textOf(activity.published);
  if (createdAt === undefined) return [reject(origin, 'published', 'Announce has no published time', activity)];
  const post = { id, author_id: authorId, created_at: createdAt, kind: 'repost', repost_of: boosted, platform: PLATFORM };
  const repost = { type: 'repost', actor_id: authorId, post_id: boosted, created_at: createdAt };
  return [record('posts', post, origin, activity), record('interactions', repost, origin, activity)];
}

/** The status a note quotes, from the first quote property that holds one. */
function quotedStatusOf(note: JsonObject): string | undefined {
  for (const p of QUOTE_PROPERTIES) {
    const quoted = idOf(note[p]);
    if (quoted !== undefined) return quoted;
  }
  return undefined;
}

/** The distinct actors of a note's Mention tags (actor id and the tag's `@name@instance`), in order. */
function mentionedActors(note: JsonObject): { href: string; name: string | undefined }[] {
  const seen = new Map<string, string | undefined>();
  for (const t of listOf(note.tag)) {
    if (typeOf(t) !== 'Mention' || !isObject(t)) continue;
    const href = textOf(t.href);
    if (href !== undefined && !seen.has(href)) seen.set(href, textOf(t.name));
  }
  return [...seen].map(([href, name]) => ({ href, name }));
}

/**
 * A mentioned actor as an account: its id and its handle from the tag (`@bob@other.example` → `bob@other.example`;
 * a local `@bob` takes the host of its id). An import fills in a stored account, so this never erases more.
 */
function mentionedAccount(m: { href: string; name: string | undefined }): Record<string, unknown> {
  const bare = m.name?.replace(/^@/, '');
  const host = hostOf(m.href);
  const handle = bare === undefined || bare === '' ? undefined : bare.includes('@') ? bare : host !== undefined ? `${bare}@${host}` : bare;
  return dropUndefined({ id: m.href, platform: PLATFORM, handle });
}

function isHttpUrl(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

function recordOf(item: unknown): { record?: string } {
  const id = isObject(item) ? textOf(item.id) : undefined;
  return id === undefined ? {} : { record: id };
}

function record(kind: 'accounts' | 'posts' | 'links' | 'interactions', fields: Record<string, unknown>, origin: Origin, raw: unknown): Emitted {
  return { type: 'record', kind, fields, origin, raw };
}

function reject(origin: Origin, field: string, reason: string, raw: unknown): Emitted {
  return { type: 'reject', kind: 'posts', origin, field, reason, raw };
}
