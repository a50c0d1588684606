/**
 * Interchange format v1.1: posts say what they are and carry the platform's counters; conversions carry the code,
 * UTM tags, landing page, refund and status; codes are a kind of their own — validated, normalized, imported, kept.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS, KEY_FIELDS, validateRecord } from '../../src/domain/index.js';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, TABLE_COLUMNS } from '../../src/store/index.js';
import { dumpTable, freshStore } from '../support/import.js';

describe('format v1.1 records', () => {
  it('reads a post\'s kind, what it reposts or quotes, its language and its counters', () => {
    const v = validateRecord('posts', { id: 'p', author_id: 'a', created_at: '2026-01-01', kind: 'Quote', quote_of: 'p0', platform: 'bluesky', lang: 'en', likes: '12', reposts: 3, replies: 0, quotes: 1, views: '1500' });
    expect(v).toEqual({ ok: true, record: { id: 'p', author_id: 'a', created_at: Date.UTC(2026, 0, 1), kind: 'quote', quote_of: 'p0', platform: 'bluesky', lang: 'en', likes: 12, reposts: 3, replies: 0, quotes: 1, views: 1500 } });
    for (const [field, value] of [['kind', 'retweet'], ['likes', -1], ['views', 'many']] as const) {
      const bad = validateRecord('posts', { id: 'p', author_id: 'a', created_at: '2026-01-01', [field]: value });
      expect(bad.ok, field).toBe(false);
      if (!bad.ok) expect(bad.issues[0]!.field).toBe(field);
    }
  });

  it('keeps a conversion\'s code, UTM tags, landing page and status, and its refund in minor units (never above the value)', () => {
    const v = validateRecord('conversions', {
      id: 'o1', at: '2026-01-05', type: 'sale', value: '30', currency: 'jpy', code: 'BEN10', utm_source: 'ig', utm_medium: 'social',
      utm_campaign: 'spring', utm_content: 'reel', landing_url: 'https://shop.example/b?utm_source=ig', refunded_value: '10', status: 'partially_refunded',
    });
    expect(v.ok && v.record).toMatchObject({ value_minor: 30, currency: 'JPY', refunded_minor: 10, code: 'BEN10', utm_source: 'ig', landing_url: 'https://shop.example/b?utm_source=ig', status: 'partially_refunded' });
    expect(v.ok && 'refunded_value' in v.record).toBe(false);
    const over = validateRecord('conversions', { id: 'o2', at: '2026-01-05', type: 'sale', value: '30', currency: 'USD', refunded_value: '31' });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.issues[0]).toMatchObject({ field: 'refunded_value' });
    const page = validateRecord('conversions', { id: 'o3', at: '2026-01-05', type: 'sale', landing_url: 'javascript:alert(1)' });
    expect(!page.ok && page.issues[0]!.field).toBe('landing_url');
  });

  it('has codes as a kind keyed by code, with a window that cannot end before it starts', () => {
    expect(FIELDS.codes).toEqual(['code', 'account_id', 'post_id', 'campaign_id', 'starts_at', 'ends_at']);
    expect(KEY_FIELDS.codes).toEqual(['code']);
    expect(validateRecord('codes', { code: 'BEN10', account_id: 'a1', starts_at: '2026-01-01', ends_at: '2026-02-01' })).toEqual({
      ok: true,
      record: { code: 'BEN10', account_id: 'a1', starts_at: Date.UTC(2026, 0, 1), ends_at: Date.UTC(2026, 1, 1) },
    });
    const bad = validateRecord('codes', { code: 'X', starts_at: '2026-02-01', ends_at: '2026-01-01' });
    expect(!bad.ok && bad.issues[0]!.field).toBe('ends_at');
  });

  it('imports codes and v1.1 posts and conversions into the store, and a re-import adds nothing', async () => {
    const { store, dir } = await freshStore();
    try {
      writeFileSync(join(dir, 'codes.csv'), 'code,account_id,starts_at,ends_at\nBEN10,a1,2026-01-01,2026-02-01\nMAYA,a2,,\n');
      writeFileSync(join(dir, 'posts.csv'), 'id,author_id,created_at,text,kind,repost_of,likes,views\np1,a1,2026-01-02,Read this,original,,4,100\np2,a2,2026-01-03,,repost,p1,,\n');
      writeFileSync(join(dir, 'conversions.csv'), 'id,at,type,value,currency,code,refunded_value,status\no1,2026-01-04,sale,20,USD,BEN10,5,partially_refunded\n');
      const first = await importPaths(store, [dir], {});
      expect(first.rejected_total).toBe(0);
      expect(await dumpTable(store, 'codes')).toEqual([
        { code: 'BEN10', account_id: 'a1', post_id: null, campaign_id: null, starts_at: Date.UTC(2026, 0, 1), ends_at: Date.UTC(2026, 1, 1) },
        { code: 'MAYA', account_id: 'a2', post_id: null, campaign_id: null, starts_at: null, ends_at: null },
      ]);
      const posts = await dumpTable(store, 'posts');
      expect(posts.map((p) => [p.id, p.kind, p.repost_of, p.likes, p.views])).toEqual([['p1', 'original', null, 4, 100], ['p2', 'repost', 'p1', null, null]]);
      expect(TABLE_COLUMNS.conversions).toContain('refunded_minor');
      const [o1] = await dumpTable(store, 'conversions');
      expect(o1).toMatchObject({ id: 'o1', value_minor: 2000, refunded_minor: 500, code: 'BEN10', status: 'partially_refunded' });
      const again = await importPaths(store, [dir], {});
      expect(again.files.reduce((s, f) => s + f.imported + f.updated, 0)).toBe(0);
    } finally {
      await closeStore(store);
    }
  });
});
