/**
 * The importer of a Mastodon account archive (Settings → Import and export → Request your archive): actor.json
 * becomes the account, outbox.json its posts, boosts, links, mentions, replies and quotes; likes.json and
 * bookmarks.json are read and reported (no like time in the archive; bookmarks are private). Media files are not read.
 * Collections are streamed; actor.json (small) is parsed whole.
 */
import type { Emitted, PlatformImporter, SourceEntry } from '../types.js';
import { mapActor } from './actor.js';
import { mapOutboxItem } from './activities.js';
import { collectionRole, mapStatusListItem } from './collections.js';
import { openJsonArrayAt } from '../../json-array-at.js';
import { readJsonEntry } from './json-file.js';
import { roleOf } from './recognise.js';

/** How many items are handed over at a time. */
const BATCH_SIZE = 1000;

/** The Mastodon account archive importer (`mastodon-archive`). */
export const mastodonArchiveImporter: PlatformImporter = {
  id: 'mastodon-archive',
  label: 'Mastodon archive',
  async claim(entries) {
    const roles = await Promise.all(entries.map(roleOf));
    return entries.filter((_, i) => roles[i] !== undefined);
  },
  read: readArchive,
};

/** Reads the claimed files: the actors first (they own the rest), then the collections, each in the order given. */
async function* readArchive(entries: readonly SourceEntry[]): AsyncGenerator<Emitted[]> {
  const roles = await Promise.all(entries.map(roleOf));
  const actors = entries.filter((_, i) => roles[i] === 'actor');
  const collections = entries.filter((_, i) => roles[i] === 'collection');
  let ownerId: string | undefined;
  const actorRecords: Emitted[] = [];
  for (const entry of actors) {
    const json = await readJsonEntry(entry);
    if (!json.ok) {
      actorRecords.push(fileReject(entry, 'accounts', json.reason));
      continue;
    }
    const { emitted, ownerId: id } = mapActor(json.value, entry.path);
    actorRecords.push(emitted);
    ownerId ??= id;
  }
  if (actorRecords.length > 0) yield actorRecords;
  for (const entry of collections) yield* readCollection(entry, ownerId);
}

/**
 * The items of one ordered collection, in batches, streamed (memory flat in the file's size): what the collection is
 * comes from its `id` (the keys before `orderedItems`), else from its first item.
 */
async function* readCollection(entry: SourceEntry, ownerId: string | undefined): AsyncGenerator<Emitted[]> {
  const opened = await openJsonArrayAt(entry.open(), 'orderedItems');
  if (!opened.ok) {
    const paged = opened.reason.startsWith('no "orderedItems" array');
    yield [fileReject(entry, 'posts', paged ? 'collection has no orderedItems array (a paged collection is not an archive)' : `not an archive collection: ${opened.reason}`)];
    return;
  }
  let role = collectionRole(opened.head);
  let batch: Emitted[] = [];
  for await (const items of opened.items) {
    for (const item of items) {
      if (role === 'unknown' && item.index === 0 && item.problem === undefined) role = collectionRole({ ...opened.head, orderedItems: [item.value] });
      const place = { file: entry.path, index: item.index + 1 };
      if (item.problem !== undefined) {
        const kind = role === 'outbox' || role === 'unknown' ? 'posts' : 'interactions';
        batch.push({ type: 'reject', kind, origin: { file: entry.path, line: place.index }, field: 'orderedItems', reason: item.problem, raw: item.text });
      } else if (role === 'outbox') {
        batch.push(...mapOutboxItem(item.value, place, ownerId));
      } else {
        batch.push(mapStatusListItem(item.value, place, role));
      }
      if (batch.length >= BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** A whole file that cannot be read, rejected once at its first line. */
function fileReject(entry: SourceEntry, kind: 'accounts' | 'posts', reason: string): Emitted {
  return { type: 'reject', kind, origin: { file: entry.path, line: 1 }, field: '', reason, raw: entry.name };
}
