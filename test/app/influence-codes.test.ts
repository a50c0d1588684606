/**
 * The outcome model's input reads discount codes and UTM tags as ties: a sale with a click id is tied to the click's
 * post (kind click), a sale with an account's code to that account (kind code; its posts in reach are the candidate
 * parents), a sale with UTM tags to the tagged link's post (kind utm); a code of an account with no candidate post, or
 * an unknown code, leaves the sale untied. Click-only stores keep the click-only input (one kind, no extra fields).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { loadInfluenceInput } from '../../src/app/influence-input.js';
import { buildKernel } from '../../src/analysis/influence/model.js';
import { closeStore } from '../../src/store/index.js';
import { freshStore } from '../support/import.js';

const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const sale = (id: string, at: string, extra: object = {}) => ({ id, at, type: 'sale', value: '10.00', currency: 'USD', ...extra });

/** Writes a small store: alice and bob post book links; alice and carol (no post) own codes. */
async function store(withTies: boolean) {
  const { store, dir } = await freshStore();
  writeFileSync(join(dir, 'accounts.ndjson'), ndjson([{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]));
  writeFileSync(
    join(dir, 'posts.ndjson'),
    ndjson([
      { id: 'p-alice-1', author_id: 'alice', created_at: '2025-03-01T00:00:00Z', text: 'my new book', link_id: 'l-alice-1' },
      { id: 'p-alice-2', author_id: 'alice', created_at: '2025-03-03T00:00:00Z', text: 'the book again', link_id: 'l-alice-2' },
      { id: 'p-bob', author_id: 'bob', created_at: '2025-03-02T00:00:00Z', text: 'a book', link_id: 'l-bob' },
    ]),
  );
  writeFileSync(
    join(dir, 'links.ndjson'),
    ndjson([
      { id: 'l-alice-1', url: 'https://shop.example/book', post_id: 'p-alice-1' },
      { id: 'l-alice-2', url: 'https://shop.example/book', post_id: 'p-alice-2' },
      { id: 'l-bob', url: 'https://shop.example/book?utm_source=x&utm_campaign=bobbook', post_id: 'p-bob' },
    ]),
  );
  writeFileSync(join(dir, 'clicks.ndjson'), ndjson([{ id: 'k1', link_id: 'l-alice-1', at: '2025-03-01T01:00:00Z' }]));
  const sales = [sale('s-click', '2025-03-01T02:00:00Z', { click_id: 'k1' }), sale('s-none', '2025-03-02T05:00:00Z')];
  if (withTies) {
    writeFileSync(join(dir, 'codes.ndjson'), ndjson([{ code: 'ALICE10', account_id: 'alice' }, { code: 'CAROL5', account_id: 'carol' }]));
    sales.push(
      sale('s-code-1', '2025-03-03T13:00:00Z', { code: 'alice10' }),
      sale('s-code-2', '2025-03-03T14:00:00Z', { code: 'ALICE10' }),
      sale('s-code-carol', '2025-03-03T15:00:00Z', { code: 'CAROL5' }),
      sale('s-code-unknown', '2025-03-03T16:00:00Z', { code: 'NOPE' }),
      sale('s-utm', '2025-03-02T07:00:00Z', { utm_source: 'x', utm_campaign: 'bobbook' }),
    );
  }
  writeFileSync(join(dir, 'conversions.ndjson'), ndjson(sales));
  await importPaths(store, [dir]);
  try {
    return await loadInfluenceInput(store.conn, { types: ['sale'], candidates: 'all_link_posts' });
  } finally {
    await closeStore(store);
  }
}

describe('influence input: codes and UTM tags as ties', () => {
  it('ties code sales to the code owner, UTM sales to the tagged post, and leaves the rest untied', async () => {
    const input = await store(true);
    const d = input.data;
    expect(d.tieKinds).toEqual(['click', 'code', 'utm']);
    const post = (id: string) => input.posts.findIndex((p) => p.id === id);
    const entries = Array.from(d.clickedBin, (b, i) => ({
      kind: d.tieKinds![d.clickedKind![i]!],
      post: d.clickedPost[i]! >= 0 ? input.posts[d.clickedPost[i]!]!.id : null,
      account: d.clickedAuthor![i]! >= 0 ? input.authors[d.clickedAuthor![i]!] : null,
      n: d.clickedCount[i],
      b,
    }));
    expect(entries.map(({ kind, post, account, n }) => ({ kind, post, account, n }))).toEqual([
      { kind: 'click', post: 'p-alice-1', account: null, n: 1 },
      { kind: 'utm', post: 'p-bob', account: null, n: 1 },
      { kind: 'code', post: null, account: 'alice', n: 2 }, // the two alice10 sales, same 6-hour bin
    ]);
    // untied: the sale with nothing, carol's code (carol has no candidate post), the unknown code
    expect(d.unclicked.reduce((a, b) => a + b, 0)).toBe(3);
    // the code entry's candidate parents are alice's posts in reach of its bin (both of hers, not bob's)
    const k = buildKernel(d, 86_400_000, 7 * 86_400_000);
    const code = entries.findIndex((e) => e.kind === 'code');
    const candidates = Array.from(k.tiedPost.subarray(k.tiedOff[code]!, k.tiedOff[code + 1]!)).sort();
    expect(candidates).toEqual([post('p-alice-1'), post('p-alice-2')].sort());
    // who can carry which kind: every link post a click, alice's posts her code, bob's tagged post UTM; codes in every bin
    expect(Array.from(d.tiePosts![1]!)).toEqual(input.posts.map((p) => (p.author_id === 'alice' ? 1 : 0)));
    expect(Array.from(d.tiePosts![2]!)).toEqual(input.posts.map((p) => (p.id === 'p-bob' ? 1 : 0)));
    expect(d.tieBins![1]!.every((x) => x === 1)).toBe(true);
    expect(d.tieLearned).toEqual([false, true, false]);
    // no click data on the tagged post: a baseline buyer can still land through its tag, in proportion to the tagged
    // posts' attention (here the only tagged post: share 1) from the post on, never before it
    const utm = entries.findIndex((e) => e.kind === 'utm');
    expect(d.clickedShare[utm]).toBeCloseTo(1, 9);
    const bobBin = Math.floor((Date.parse('2025-03-02T00:00:00Z') - d.startMs) / d.binMs);
    expect(Array.from(d.tieBins![2]!.subarray(0, bobBin))).toEqual(new Array(bobBin).fill(0));
    expect(d.tieBins![2]![bobBin + 1]).toBe(1);
  });

  it('keeps a click-only store to one kind and no extra fields', async () => {
    const d = (await store(false)).data;
    expect(d.tieKinds).toBeUndefined();
    expect(d.clickedKind).toBeUndefined();
    expect(d.clickedBin.length).toBe(1);
  });
});
