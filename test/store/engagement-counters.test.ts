/**
 * Engagement from the platform's counters where the store has no interaction records: a post's likes/reposts/
 * replies/quotes counters count for its author only for the types it has no interactions of, never twice, and a
 * repost's counters (which belong to the reposted post) never.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore } from '../../src/store/index.js';
import { accountNetworkCounts } from '../../src/store/network.js';
import { freshStore } from '../support/import.js';

const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('engagement counters', () => {
  it('adds counters for posts and types without interactions, and only those', async () => {
    const { store, dir } = await freshStore();
    try {
      const at = '2025-01-01T00:00:00Z';
      writeFileSync(join(dir, 'accounts.ndjson'), ndjson([{ id: 'ann' }, { id: 'ben' }, { id: 'fan' }]));
      writeFileSync(
        join(dir, 'posts.ndjson'),
        ndjson([
          // Counters only: all count.
          { id: 'p1', author_id: 'ann', created_at: at, likes: 10, reposts: 4, replies: 2, quotes: 1 },
          // Interactions of type repost exist: its repost counter is not added, its like counter is.
          { id: 'p2', author_id: 'ann', created_at: at, likes: 5, reposts: 50 },
          // A repost by ben of someone's post: the counters shown on it are the original's.
          { id: 'p3', author_id: 'ben', created_at: at, kind: 'repost', repost_of: 'p1', likes: 10, reposts: 4 },
          // No counters, no interactions.
          { id: 'p4', author_id: 'ben', created_at: at },
        ]),
      );
      writeFileSync(
        join(dir, 'interactions.ndjson'),
        ndjson([
          { type: 'repost', actor_id: 'fan', post_id: 'p2', created_at: at },
          { type: 'repost', actor_id: 'ben', post_id: 'p2', created_at: at },
          { type: 'mention', actor_id: 'fan', target_id: 'ben', created_at: at },
        ]),
      );
      await importPaths(store, [dir]);
      const counts = Object.fromEntries((await accountNetworkCounts(store.conn)).map((r) => [r.id, [r.reposts, r.quotes, r.replies, r.likes, r.mentions]]));
      expect(counts).toEqual({
        ann: [4 + 2, 1, 2, 10 + 5, 0],
        ben: [0, 0, 0, 0, 1],
        fan: [0, 0, 0, 0, 0],
      });
    } finally {
      await closeStore(store);
    }
  });
});
