/** The output folder: append, de-duplicate by key across runs, upgrade stub accounts, recover a cut-short line. */
import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NdjsonOutput } from '../../src/connectors/output.js';
import { FetchState, runStream } from '../../src/connectors/state.js';
import { readKind, tempFolder } from './support.js';

describe('NdjsonOutput', () => {
  it('writes each key once, across instances (a resumed run) too', () => {
    const dir = tempFolder();
    const a = new NdjsonOutput(dir);
    expect(a.write('follows', [{ follower_id: 'a', followee_id: 'b' }, { follower_id: 'a', followee_id: 'b' }])).toBe(1);
    expect(a.write('interactions', [{ type: 'like', actor_id: 'a', post_id: 'p', created_at: '2026-01-01T00:00:00Z' }])).toBe(1);
    const b = new NdjsonOutput(dir);
    expect(b.write('follows', [{ follower_id: 'a', followee_id: 'b' }, { follower_id: 'b', followee_id: 'a' }])).toBe(1);
    // The same interaction with the time written differently has the same derived id.
    expect(b.write('interactions', [{ type: 'like', actor_id: 'a', post_id: 'p', created_at: '2026-01-01T00:00:00.000Z' }])).toBe(0);
    expect(b.hasInteraction('like', 'a', 'p')).toBe(true);
    expect(b.counts()).toEqual({
      written: { accounts: 0, follows: 1, posts: 0, links: 0, interactions: 0 },
      total: { accounts: 0, follows: 2, posts: 0, links: 0, interactions: 1 },
    });
  });

  it('writes an account again only when the later record says more', () => {
    const dir = tempFolder();
    const out = new NdjsonOutput(dir);
    out.write('accounts', [{ id: 'd', platform: 'bluesky', handle: 'd.test' }]);
    out.write('accounts', [{ id: 'd', platform: 'bluesky', handle: 'd.test', name: 'D', followers: 5 }]);
    out.write('accounts', [{ id: 'd', platform: 'bluesky', handle: 'd.test', name: 'D' }]);
    expect(readKind(dir, 'accounts')).toEqual([
      { id: 'd', platform: 'bluesky', handle: 'd.test' },
      { id: 'd', platform: 'bluesky', handle: 'd.test', name: 'D', followers: 5 },
    ]);
  });

  it('drops a last line cut short by a crash when the folder is opened again', () => {
    const dir = tempFolder();
    new NdjsonOutput(dir).write('follows', [{ follower_id: 'a', followee_id: 'b' }]);
    appendFileSync(`${dir}/follows.ndjson`, '{"follower_id":"c","fol');
    const out = new NdjsonOutput(dir);
    expect(readFileSync(`${dir}/follows.ndjson`, 'utf8')).toBe('{"follower_id":"a","followee_id":"b"}\n');
    expect(out.write('follows', [{ follower_id: 'c', followee_id: 'd' }])).toBe(1);
    expect(readKind(dir, 'follows')).toHaveLength(2);
  });
});

describe('runStream', () => {
  it('pages from the saved cursor, at most maxPages a run, and stops at the end', async () => {
    const dir = tempFolder();
    const pages: Record<string, { items: number[]; next: string | undefined }> = {
      start: { items: [1, 2], next: 'c2' },
      c2: { items: [3], next: 'c3' },
      c3: { items: [4], next: undefined },
    };
    const seen: number[] = [];
    const fetchPage = async (cursor: string | undefined) => pages[cursor ?? 'start']!;
    let state = FetchState.open(dir, 'bluesky', 'https://s');
    expect(await runStream(state, 'k', { maxPages: 2 }, fetchPage, (items) => void seen.push(...items))).toEqual({ cursor: 'c3', pages: 2, items: 3, complete: false });
    state = FetchState.open(dir, 'bluesky', 'https://s'); // as a new run would
    expect(await runStream(state, 'k', { maxPages: 2 }, fetchPage, (items) => void seen.push(...items))).toEqual({ pages: 3, items: 4, complete: true });
    expect(await runStream(state, 'k', { maxPages: 2 }, fetchPage, (items) => void seen.push(...items))).toMatchObject({ complete: true });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('stops at maxItems and asks for no more than is left', async () => {
    const state = FetchState.open(tempFolder(), 'mastodon', 'https://m');
    const limits: (number | undefined)[] = [];
    const s = await runStream(
      state,
      'k',
      { maxPages: 10, maxItems: 3 },
      async (cursor, limit) => {
        limits.push(limit);
        return { items: [1, 2], next: `${cursor ?? ''}x` };
      },
      () => undefined,
    );
    expect(limits).toEqual([3, 1]);
    expect(s).toMatchObject({ items: 3, pages: 2, complete: false });
  });
});
