/**
 * The Bluesky repository importer: a CAR file as `com.atproto.sync.getRepo` serves it (and as Bluesky's "Export my
 * data" gives it), recognised by its CARv1 header, every block checked against its CID, the tree walked from the
 * signed commit, and the records mapped to accounts, posts, links, interactions and follows.
 */
import type { PlatformImporter, SourceEntry } from '../types.js';
import { CAR_HEAD_BYTES, carV1Roots, DAG_CBOR } from './car.js';
import { readRepository } from './repo.js';

/** True when the entry starts with a CARv1 header whose root is a DAG-CBOR block (an atproto commit), whatever its name. */
export async function isRepositoryCar(entry: SourceEntry): Promise<boolean> {
  const roots = carV1Roots(await entry.head(CAR_HEAD_BYTES));
  return roots !== undefined && roots.length === 1 && roots[0].code === DAG_CBOR;
}

/** Imports Bluesky repository exports (`.car`). */
export const blueskyCarImporter: PlatformImporter = {
  id: 'bluesky-car',
  label: 'Bluesky repository (CAR)',
  async claim(entries) {
    const claimed: SourceEntry[] = [];
    for (const entry of entries) if (await isRepositoryCar(entry)) claimed.push(entry);
    return claimed;
  },
  async *read(entries) {
    for (const entry of entries) yield* readRepository(entry);
  },
};
