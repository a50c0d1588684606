/**
 * Credit without click ids: each conversion is tied by the first rule that applies — click id, the link it names,
 * the post it names, a code valid at its time, UTM tags matching a link's tagged URL — or by nothing. Every case
 * below is planted with the rule and the account it must reach.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, conversionTies, conversionTotals, type Store } from '../../src/store/index.js';
import type { ConversionTieRow } from '../../src/domain/index.js';
import { freshStore } from '../support/import.js';

const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Conversion id → [rule, account, link or code] it must be tied by. */
const EXPECTED: Record<string, [string, string | null, string | null]> = {
  'c-click': ['click', 'alice', 'l-alice'],
  'c-link': ['link', 'bob', 'l-bob'],
  'c-post': ['post', 'carol', null],
  'c-click-beats-code': ['click', 'alice', 'l-alice'],
  'c-code': ['code', 'bob', 'BOB10'],
  'c-code-case': ['code', 'bob', 'BOB10'],
  'c-code-post-owner': ['code', 'carol', 'CAROLPOST'],
  'c-code-before-window': ['none', null, null],
  'c-code-after-window': ['none', null, null],
  'c-code-unknown': ['none', null, null],
  'c-code-latest-window': ['code', 'alice', 'SPRING'],
  'c-utm-campaign': ['utm', 'alice', 'l-alice-utm'],
  'c-utm-landing': ['utm', 'alice', 'l-alice-utm'],
  'c-utm-specific': ['utm', 'bob', 'l-bob-utm-content'],
  'c-utm-conflict': ['none', null, null],
  'c-utm-source-only': ['none', null, null],
  'c-utm-link-later': ['none', null, null],
  'c-code-beats-utm': ['code', 'bob', 'BOB10'],
  'c-nothing': ['none', null, null],
};

describe('conversion ties (store)', () => {
  let store: Store;
  let rows: ConversionTieRow[];

  beforeAll(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    const dir = fresh.dir;
    writeFileSync(join(dir, 'accounts.ndjson'), ndjson([{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]));
    writeFileSync(
      join(dir, 'posts.ndjson'),
      ndjson([
        { id: 'p-alice', author_id: 'alice', created_at: '2025-01-01T00:00:00Z' },
        { id: 'p-bob', author_id: 'bob', created_at: '2025-01-01T00:00:00Z' },
        { id: 'p-carol', author_id: 'carol', created_at: '2025-01-01T00:00:00Z' },
      ]),
    );
    writeFileSync(
      join(dir, 'links.ndjson'),
      ndjson([
        { id: 'l-alice', url: 'https://shop.example/book', post_id: 'p-alice' },
        { id: 'l-bob', url: 'https://shop.example/book', post_id: 'p-bob' },
        { id: 'l-alice-utm', url: 'https://shop.example/book?utm_source=ig&utm_medium=social&utm_campaign=Spring%20Launch', post_id: 'p-alice', created_at: '2025-01-01T00:00:00Z' },
        { id: 'l-bob-utm-content', url: 'https://shop.example/book?utm_source=ig&utm_campaign=spring%20launch&utm_content=bob-story', post_id: 'p-bob', created_at: '2025-01-01T00:00:00Z' },
        { id: 'l-carol-late', url: 'https://shop.example/book?utm_campaign=late', post_id: 'p-carol', created_at: '2025-06-01T00:00:00Z' },
      ]),
    );
    writeFileSync(
      join(dir, 'codes.ndjson'),
      ndjson([
        { code: 'BOB10', account_id: 'bob', starts_at: '2025-02-01T00:00:00Z', ends_at: '2025-02-28T23:59:59Z' },
        { code: 'CAROLPOST', post_id: 'p-carol' },
        { code: 'SPRING', account_id: 'alice', starts_at: '2025-03-01T00:00:00Z' },
        { code: 'spring', account_id: 'bob', starts_at: '2025-01-01T00:00:00Z' },
      ]),
    );
    writeFileSync(join(dir, 'clicks.ndjson'), ndjson([{ id: 'k1', link_id: 'l-alice', at: '2025-02-01T00:00:00Z', visitor_id: 'v1' }]));
    const sale = (id: string, at: string, extra: object = {}): object => ({ id, at, type: 'sale', value: 10, currency: 'USD', ...extra });
    writeFileSync(
      join(dir, 'conversions.ndjson'),
      ndjson([
        sale('c-click', '2025-02-02T00:00:00Z', { click_id: 'k1' }),
        sale('c-link', '2025-02-02T00:00:00Z', { link_id: 'l-bob' }),
        sale('c-post', '2025-02-02T00:00:00Z', { post_id: 'p-carol' }),
        sale('c-click-beats-code', '2025-02-02T00:00:00Z', { click_id: 'k1', code: 'BOB10' }),
        sale('c-code', '2025-02-10T00:00:00Z', { code: 'BOB10' }),
        sale('c-code-case', '2025-02-10T00:00:00Z', { code: ' bob10 ' }),
        sale('c-code-post-owner', '2025-02-10T00:00:00Z', { code: 'CAROLPOST' }),
        sale('c-code-before-window', '2025-01-31T23:59:59Z', { code: 'BOB10' }),
        sale('c-code-after-window', '2025-03-01T00:00:00Z', { code: 'BOB10' }),
        sale('c-code-unknown', '2025-02-10T00:00:00Z', { code: 'NOPE' }),
        // Both SPRING (from March) and spring (from January) are valid in April: the one starting last wins.
        sale('c-code-latest-window', '2025-04-01T00:00:00Z', { code: 'Spring' }),
        sale('c-utm-campaign', '2025-02-10T00:00:00Z', { utm_source: 'IG', utm_campaign: 'spring launch', utm_medium: 'social' }),
        sale('c-utm-landing', '2025-02-10T00:00:00Z', { landing_url: 'https://shop.example/book?utm_campaign=Spring+Launch&utm_medium=social' }),
        sale('c-utm-specific', '2025-02-10T00:00:00Z', { utm_source: 'ig', utm_campaign: 'spring launch', utm_content: 'bob-story' }),
        sale('c-utm-conflict', '2025-02-10T00:00:00Z', { utm_source: 'tiktok', utm_campaign: 'spring launch', utm_medium: 'video' }),
        sale('c-utm-source-only', '2025-02-10T00:00:00Z', { utm_source: 'ig' }),
        sale('c-utm-link-later', '2025-02-10T00:00:00Z', { utm_campaign: 'late' }),
        sale('c-code-beats-utm', '2025-02-10T00:00:00Z', { code: 'BOB10', utm_campaign: 'spring launch' }),
        sale('c-nothing', '2025-02-10T00:00:00Z'),
      ]),
    );
    const summary = await importPaths(store, [dir]);
    expect(summary.rejected_total).toBe(0);
    rows = await conversionTies(store.conn);
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('ties every planted conversion by the rule and to the account it must reach', () => {
    const got = Object.fromEntries(
      rows.map((r) => [r.id, [r.tie, r.account_id, r.tie === 'code' ? r.code : r.tie === 'post' ? null : r.link_id]]),
    );
    expect(got).toEqual(EXPECTED);
  });

  it('a code tied to a post credits the post and its author', () => {
    const row = rows.find((r) => r.id === 'c-code-post-owner')!;
    expect([row.post_id, row.account_id]).toEqual(['p-carol', 'carol']);
  });

  it('counts each rule in the totals, and the untied ones', async () => {
    const totals = await conversionTotals(store.conn);
    const count = (rule: string): number => Object.values(EXPECTED).filter(([r]) => r === rule).length;
    expect(totals.tied_by).toEqual({ click: count('click'), link: count('link'), post: count('post'), code: count('code'), utm: count('utm'), none: count('none') });
    expect(totals.conversions).toBe(Object.keys(EXPECTED).length);
    expect(totals.credited).toBe(Object.values(EXPECTED).filter(([, account]) => account !== null).length);
  });
});
