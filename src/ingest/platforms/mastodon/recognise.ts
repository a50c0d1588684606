/**
 * Recognising the JSON files of a Mastodon account archive by their first bytes, whatever their names: the
 * ActivityStreams collections (outbox, likes, bookmarks) and the actor (the account's profile).
 */
import type { SourceEntry } from '../types.js';

/** What a file of the archive is: the actor, or one of its ordered collections. */
export type ArchiveFileRole = 'actor' | 'collection';

/** How many bytes are looked at to recognise a file (the ActivityStreams @context can take a few KB). */
export const HEAD_BYTES = 64 * 1024;

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';
const CONTEXT_KEY = /"@context"\s*:/;
const ORDERED_COLLECTION = /"type"\s*:\s*"OrderedCollection"/;
const ORDERED_ITEMS = /"orderedItems"\s*:/;
const ACTOR_TYPE = /"type"\s*:\s*"(?:Person|Service|Application|Group|Organization)"/;
const PREFERRED_USERNAME = /"preferredUsername"\s*:\s*"/;

/** The role of a file from its first bytes: a JSON object with the ActivityStreams @context and either an ordered collection or an actor with a username. */
export function roleOfHead(head: Buffer): ArchiveFileRole | undefined {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trimStart().startsWith('{')) return undefined;
  if (!CONTEXT_KEY.test(text) || !text.includes(AS_CONTEXT)) return undefined;
  if (ORDERED_COLLECTION.test(text) && ORDERED_ITEMS.test(text)) return 'collection';
  if (ACTOR_TYPE.test(text) && PREFERRED_USERNAME.test(text)) return 'actor';
  return undefined;
}

/** The role of an entry, read from its first bytes. */
export async function roleOf(entry: SourceEntry): Promise<ArchiveFileRole | undefined> {
  return roleOfHead(await entry.head(HEAD_BYTES));
}
