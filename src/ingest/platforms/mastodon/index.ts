/**
 * The importer of a Mastodon account archive (Settings → Import and export → Request your archive): actor.json
 * becomes the account, outbox.json its posts, boosts, links, mentions, replies and quotes; likes.json and
 * bookmarks.json are read and reported (no like time in the archive; bookmarks are private). Media files are not read.
 */
import type { Emitted, PlatformImporter, SourceEntry } from '../types.js';
import { mapActor } from './actor.js';
import { mapOutboxItem } from './activities.js';
import { isObject } from './as.js';
import { collectionRole, mapStatusListItem } from './collections.js';
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

/** The items of one ordered collection, in batches. */
async function* readCollection(entry: SourceEntry, ownerId: string | undefined): AsyncGenerator<Emitted[]> {
  const json = await readJsonEntry(entry);
  if (!json.ok) {
    yield [fileReject(entry, 'posts', json.reason)];
    return;
  }
  const items = isObject(json.value) ? json.value.orderedItems : undefined;
  if (!Array.isArray(items)) {
    yield [fileReject(entry, 'posts', 'collection has no orderedItems array (a paged collection is not an archive)')];
    return;
  }
  const role = collectionRole(json.value);
  let batch: Emitted[] = [];
  for (let i = 0; i < items.length; i++) {
    const place = { file: entry.path, index: i + 1 };
    if (role === 'outbox') batch.push(...mapOutboxItem(items[i], place, ownerId));
    else batch.push(mapStatusListItem(items[i], place, role));
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A whole file that cannot be read, rejected once at its first line. */
function fileReject(entry: SourceEntry, kind: 'accounts' | 'posts', reason: string): Emitted {
  return { type: 'reject', kind, origin: { file: entry.path, line: 1 }, field: '', reason, raw: entry.name };
}
