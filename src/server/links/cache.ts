/** The in-memory map from short key to compiled link that the redirect reads; the server is the store's only writer. */
import { linksWithKeys, type LinkRow } from '../../store/server-links.js';
import type { DbQueue } from '../db-queue.js';
import { compileLink, type CompiledLink } from './compiled.js';
import { KEY_PATTERN, RESERVED_KEYS } from './validate.js';

/** Short key → compiled link. */
export class LinkCache {
  private map = new Map<string, CompiledLink>();

  constructor(private readonly defaultParam: string) {}

  /** The link served at `key`, if any. */
  get(key: string): CompiledLink | undefined {
    return this.map.get(key);
  }

  /** Reloads every live keyed link from the store (at start and after an import). */
  async load(db: DbQueue): Promise<void> {
    const rows = await db.read((conn) => linksWithKeys(conn));
    const next = new Map<string, CompiledLink>();
    for (const row of rows) {
      // Imported links may carry any key: serve only those the API would accept, so none shadows a route.
      if (row.key === null || next.has(row.key) || !KEY_PATTERN.test(row.key) || RESERVED_KEYS.has(row.key.toLowerCase())) continue;
      try {
        next.set(row.key, compileLink(row, this.defaultParam));
      } catch {
        // an imported destination that is not a URL: not served
      }
    }
    this.map = next;
  }

  /** Serves `row` at its key (dropping the link's previous key, if it changed). */
  put(row: LinkRow, previousKey?: string | null): void {
    if (previousKey !== undefined && previousKey !== null && previousKey !== row.key) this.map.delete(previousKey);
    if (row.key !== null) this.map.set(row.key, compileLink(row, this.defaultParam));
  }

  /** Stops serving `key`. */
  remove(key: string | null): void {
    if (key !== null) this.map.delete(key);
  }
}
