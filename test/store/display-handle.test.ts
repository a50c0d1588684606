/** Handles are shown by platform: `@name` (X), `@name@instance` (Mastodon), `@name.bsky.social` (Bluesky). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore } from '../../src/store/index.js';
import { accountHandles } from '../../src/store/network.js';
import { freshStore } from '../support/import.js';

describe('display handles', () => {
  it('shows each platform handle the way that platform writes it, and an account without one by nothing', async () => {
    const { store, dir } = await freshStore();
    try {
      const accounts = [
        { id: 'x1', platform: 'x', handle: 'jack' },
        { id: 'x2', platform: 'x', handle: '@already' },
        { id: 'm1', platform: 'mastodon', handle: 'gargron@mastodon.social' },
        { id: 'b1', platform: 'bluesky', handle: 'alice.bsky.social' },
        { id: 'b2', platform: 'Bluesky', handle: 'bob' },
        { id: 'b3', platform: 'bluesky', handle: 'carol.example.com' },
        { id: 'n1', platform: 'x' },
        { id: 'n2', handle: '  ' },
        { id: 'plain', handle: 'dora' },
      ];
      writeFileSync(join(dir, 'accounts.ndjson'), accounts.map((a) => JSON.stringify(a)).join('\n') + '\n');
      await importPaths(store, [dir]);
      expect(Object.fromEntries(await accountHandles(store.conn))).toEqual({
        x1: '@jack',
        x2: '@already',
        m1: '@gargron@mastodon.social',
        b1: '@alice.bsky.social',
        b2: '@bob.bsky.social',
        b3: '@carol.example.com',
        plain: '@dora',
      });
    } finally {
      await closeStore(store);
    }
  });
});
