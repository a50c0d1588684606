/**
 * The Shopify orders importer on a hand-made export in the documented shape (one row per line item, order-level
 * columns on an order's first row): one item per order, exact counts, field-by-field mapping, rejects with origin
 * and reason, recognition by content, determinism, and every record valid under the conversions schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS, validateRecord } from '../../../src/domain/index.js';
import { bufferEntry, fileEntry } from '../../../src/ingest/platforms/entries.js';
import { shopifyOrdersImporter } from '../../../src/ingest/platforms/shopify/index.js';
import { stripeImporter } from '../../../src/ingest/platforms/stripe/index.js';
import { countsOf, readAll, recordsById } from '../../support/platform-items.js';
import { TEST_DIR } from '../../support/paths.js';

const ORDERS = join(TEST_DIR, 'fixtures', 'platforms', 'shopify', 'orders_export.csv');
const STRIPE = join(TEST_DIR, 'fixtures', 'platforms', 'stripe');

describe('Shopify orders export', () => {
  it('counts each order once (its line-item rows included): conversions, rejects, reported by reason', async () => {
    const items = await readAll(shopifyOrdersImporter, [fileEntry(ORDERS)]);
    expect(items).toHaveLength(12); // 15 rows: #1001 spans 3, #1010 (no order row) 2, the later #1001 block 1
    expect(countsOf(items)).toEqual({
      records: 4,
      rejects: 4,
      reported: { 'refunded in full': 1, 'pending order': 1, 'voided order': 1, 'authorized order': 1 },
    });
    const reported = items.filter((i) => i.type === 'reported').map((i) => [i.origin.line, i.origin.record, i.type === 'reported' ? i.reason : '']);
    expect(reported).toEqual([
      [5, '#1002', 'refunded in full'],
      [6, '#1003', 'pending order'],
      [7, '#1004', 'voided order'],
      [11, '#1008', 'authorized order'],
    ]);
  });

  it('maps an order field by field (offset time → UTC, relative landing path: UTM tags only)', async () => {
    const records = recordsById(await readAll(shopifyOrdersImporter, [fileEntry(ORDERS)]));
    expect(records.get('#1001')).toEqual({
      id: '#1001',
      at: '2024-03-05T19:22:10.000Z',
      type: 'sale',
      value: 54.5,
      currency: 'USD',
      customer_id: 'alice@example.com',
      code: 'ALICE10',
      utm_source: 'instagram',
      utm_medium: 'social',
      utm_campaign: 'spring',
      status: 'paid',
    });
    expect(records.get('#1005')).toEqual({
      id: '#1005',
      at: '2024-03-07T08:30:00.000Z',
      type: 'sale',
      value: 80,
      currency: 'USD',
      customer_id: 'fay@example.com',
      utm_source: 'bluesky',
      utm_content: 'post1',
      landing_url: 'https://shop.example.com/?utm_source=bluesky&utm_content=post1',
      refunded_value: 20,
      status: 'partially_refunded',
    });
    expect(records.get('#1006')).toEqual({
      id: '#1006',
      at: '2024-03-07T09:00:00.000Z',
      type: 'sale',
      value: 1500,
      currency: 'JPY',
      customer_id: 'hana@example.jp',
      status: 'paid',
    });
    expect(records.get('#1009')).toMatchObject({ value: 100, status: 'partially_paid' });
  });

  it('rejects unmappable orders with their first line, order name, field and reason', async () => {
    const items = await readAll(shopifyOrdersImporter, [fileEntry(ORDERS)]);
    const rejects = items.filter((i) => i.type === 'reject').map((i) => (i.type === 'reject' ? [i.origin.line, i.origin.record, i.field, i.reason] : []));
    expect(rejects).toEqual([
      [10, '#1007', 'created at', 'not a date and time: "05/03/2024 10:00"'],
      [13, '#1010', 'name', 'line items of order #1010 without its order row (Financial Status and Total are empty)'],
      [15, '#1001', 'name', 'order #1001 appears again after other orders (first at line 2); its rows must be contiguous'],
      [16, '#1011', 'financial status', 'unknown financial status: "mystery"'],
    ]);
    for (const item of items) expect(item.origin.file).toBe(ORDERS);
  });

  it('rejects a row without a Name and an unreadable row on their own, keeping the order around them whole', async () => {
    const lines = readFileSync(ORDERS, 'utf8').split('\n');
    const header = lines[0]!;
    const text = [header, lines[1], ',,,' + ','.repeat(header.split(',').length - 4), lines[2], 'broken,row', lines[3]].join('\n') + '\n';
    const items = await readAll(shopifyOrdersImporter, [bufferEntry('orders.csv', text)]);
    expect(countsOf(items)).toEqual({ records: 1, rejects: 2, reported: {} });
    expect(items.map((i) => [i.type, i.origin.line])).toEqual([
      ['reject', 3],
      ['reject', 5],
      ['record', 2],
    ]);
    expect(items[0]).toMatchObject({ field: 'name', reason: 'is required (the order a row belongs to)' });
  });
});

describe('Shopify recognition and output', () => {
  it('claims the export by its columns, whatever its name, and nothing else', async () => {
    const renamed = bufferEntry('whatever.txt', readFileSync(ORDERS));
    expect(await shopifyOrdersImporter.claim([renamed])).toEqual([renamed]);
    const others = [
      fileEntry(join(STRIPE, 'payments.csv')),
      fileEntry(join(STRIPE, 'checkout-sessions.json')),
      fileEntry(join(STRIPE, 'checkout-events.json')),
      bufferEntry('conversions.csv', FIELDS.conversions.join(',') + '\n'),
      fileEntry(join(TEST_DIR, 'fixtures', 'import', 'malformed', 'conversions.ndjson')),
      bufferEntry('customers.csv', 'Name,Email,Total Spent,Total Orders\nAlice,a@example.com,10.00,1\n'),
    ];
    expect(await shopifyOrdersImporter.claim(others)).toEqual([]);
    expect(await stripeImporter.claim([fileEntry(ORDERS)])).toEqual([]);
  });

  it('yields the same items when read twice', async () => {
    const entries = [fileEntry(ORDERS)];
    expect(await readAll(shopifyOrdersImporter, entries)).toEqual(await readAll(shopifyOrdersImporter, entries));
  });

  it('emits only records the conversions schema accepts; ¥1500 is 1500 minor units', async () => {
    const items = await readAll(shopifyOrdersImporter, [fileEntry(ORDERS)]);
    const minor = new Map<string, number | undefined>();
    for (const item of items) {
      if (item.type !== 'record') continue;
      const v = validateRecord('conversions', item.fields);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      if (v.ok) minor.set(v.record.id, v.record.value_minor);
      if (v.ok && v.record.id === '#1005') expect(v.record).toMatchObject({ refunded_minor: 2000 });
    }
    expect(minor).toEqual(new Map([['#1001', 5450], ['#1005', 8000], ['#1006', 1500], ['#1009', 10000]]));
  });
});
