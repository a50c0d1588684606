/**
 * The ordered collections of an archive: which one a file is (outbox, likes, bookmarks) from its own `id`, and the
 * items of likes.json and bookmarks.json, which are bare status URLs with no time.
 */
import type { Emitted, Origin } from '../types.js';
import { idOf, isObject, textOf } from './as.js';
import type { ItemPlace } from './activities.js';

/** What a collection of the archive holds. */
export type CollectionRole = 'outbox' | 'likes' | 'bookmarks' | 'unknown';

/** The reason every like is reported: the archive lists liked statuses without the time of the like. */
export const LIKE_WITHOUT_TIME = 'like without a time (the archive gives none)';
/** The reason every bookmark is reported. */
export const BOOKMARK_PRIVATE = 'bookmark: private, not imported';
/** The reason items of a collection that is neither outbox, likes nor bookmarks are reported. */
export const UNKNOWN_COLLECTION_ITEM = 'item of an unrecognised collection';

/**
 * What a collection is, from the `id` the archive gives it (`outbox.json`, `likes.json`, `bookmarks.json`, or an
 * outbox/liked URL), else from its items (activities → outbox).
 */
export function collectionRole(collection: unknown): CollectionRole {
  if (!isObject(collection)) return 'unknown';
  const id = (textOf(collection.id) ?? '').toLowerCase().replace(/[?#].*$/, '');
  const last = id.split('/').pop() ?? '';
  if (last === 'outbox.json' || last === 'outbox') return 'outbox';
  if (last === 'likes.json' || last === 'liked') return 'likes';
  if (last === 'bookmarks.json' || last === 'bookmarks') return 'bookmarks';
  const items = collection.orderedItems;
  if (Array.isArray(items) && items.length > 0 && isObject(items[0]) && textOf(items[0].type) !== undefined) return 'outbox';
  return 'unknown';
}

/** What one item of likes.json, bookmarks.json or an unrecognised collection becomes: reported, or rejected when it names no status. */
export function mapStatusListItem(item: unknown, place: ItemPlace, role: Exclude<CollectionRole, 'outbox'>): Emitted {
  const status = idOf(item);
  const origin: Origin = { file: place.file, line: place.index, ...(status !== undefined ? { record: status } : {}) };
  const what = role === 'likes' ? 'like' : role === 'bookmarks' ? 'bookmark' : 'item';
  if (status === undefined) return { type: 'reject', kind: 'interactions', origin, field: 'orderedItems', reason: `${what} names no status`, raw: item };
  const reason = role === 'likes' ? LIKE_WITHOUT_TIME : role === 'bookmarks' ? BOOKMARK_PRIVATE : UNKNOWN_COLLECTION_ITEM;
  return { type: 'reported', kind: 'interactions', origin, reason };
}
