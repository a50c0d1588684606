/**
 * The Stripe importer on hand-made fixtures in the documented shapes: the Dashboard payments export (CSV), a list of
 * Checkout Sessions and an array of Events (JSON). Exact counts per outcome, field-by-field mapping, rejects with
 * origin and reason, recognition by content, determinism, and every record valid under the conversions schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS, validateRecord } from '../../../src/domain/index.js';
import { bufferEntry, fileEntry } from '../../../src/ingest/platforms/entries.js';
import { shopifyOrdersImporter } from '../../../src/ingest/platforms/shopify/index.js';
import { stripeImporter } from '../../../src/ingest/platforms/stripe/index.js';
import type { Emitted } from '../../../src/ingest/platforms/types.js';
import { countsOf, readAll, recordsById } from '../../support/platform-items.js';
import { TEST_DIR } from '../../support/paths.js';

const DIR = join(TEST_DIR, 'fixtures', 'platforms', 'stripe');
const PAYMENTS = join(DIR, 'payments.csv');
const SESSIONS = join(DIR, 'checkout-sessions.json');
const EVENTS = join(DIR, 'checkout-events.json');

const rejectsOf = (items: Emitted[]) =>
  items.filter((i) => i.type === 'reject').map((i) => (i.type === 'reject' ? [i.origin.line, i.origin.record, i.field, i.reason] : []));

describe('Stripe payments export (CSV)', () => {
  it('counts every row once: conversions, rejects, reported by reason', async () => {
    const items = await readAll(stripeImporter, [fileEntry(PAYMENTS)]);
    expect(items).toHaveLength(13); // data rows of the file
    expect(countsOf(items)).toEqual({
      records: 3,
      rejects: 4,
      reported: { 'refunded in full': 2, 'failed payment': 1, 'canceled payment': 1, 'uncaptured payment': 1, 'test mode payment': 1 },
    });
  });

  it('maps a paid charge field by field (metadata → UTM, code, click id)', async () => {
    const records = recordsById(await readAll(stripeImporter, [fileEntry(PAYMENTS)]));
    expect(records.get('ch_3PaidA1')).toEqual({
      id: 'ch_3PaidA1',
      at: '2024-03-05T14:22:10.000Z',
      type: 'sale',
      value: 12.5,
      currency: 'USD',
      customer_id: 'cus_Alice01',
      click_id: 'clk_001',
      code: 'ALICE10',
      utm_source: 'instagram',
      utm_medium: 'social',
      utm_campaign: 'spring',
      status: 'paid',
    });
    expect(records.get('ch_3Partial2')).toEqual({
      id: 'ch_3Partial2',
      at: '2024-03-06T09:01:00.000Z',
      type: 'sale',
      value: 40,
      currency: 'USD',
      customer_id: 'bob@example.com',
      utm_source: 'bluesky',
      refunded_value: 10,
      status: 'partially_refunded',
    });
    expect(records.get('ch_3Yen3')).toMatchObject({ value: 1500, currency: 'JPY', code: 'HANA5', customer_id: 'cus_Hana03' });
  });

  it('rejects unmappable rows with their line, field and reason', async () => {
    const items = await readAll(stripeImporter, [fileEntry(PAYMENTS)]);
    expect(rejectsOf(items)).toEqual([
      [10, undefined, '', 'expected 28 columns, got 5'],
      [11, 'ch_3Unknown9', 'status', 'unknown payment status: "Reversed"'],
      [12, 'ch_3BadDate10', 'created date (utc)', 'not a date and time: "yesterday"'],
      [13, 'ch_3NoAmount11', 'amount', 'is required'],
    ]);
    const reported = items.filter((i) => i.type === 'reported').map((i) => [i.origin.line, i.origin.record, i.type === 'reported' ? i.reason : '']);
    expect(reported).toEqual([
      [5, 'ch_3Refund4', 'refunded in full'],
      [6, 'ch_3PaidFullRefund5', 'refunded in full'],
      [7, 'ch_3Failed6', 'failed payment'],
      [8, 'ch_3Canceled7', 'canceled payment'],
      [9, 'ch_3Uncaptured8', 'uncaptured payment'],
      [14, 'ch_3Test12', 'test mode payment'],
    ]);
    for (const item of items) expect(item.origin.file).toBe(PAYMENTS);
  });
});

describe('Stripe Checkout Sessions and Events (JSON)', () => {
  it('counts a list of sessions: paid ones are conversions, the rest reported or rejected', async () => {
    const items = await readAll(stripeImporter, [fileEntry(SESSIONS)]);
    expect(items).toHaveLength(8);
    expect(countsOf(items)).toEqual({
      records: 3,
      rejects: 1,
      reported: { 'expired session': 1, 'open session': 1, 'unpaid session': 1, 'test mode payment': 1 },
    });
    expect(rejectsOf(items)).toEqual([[8, 'cs_live_a8', 'created', 'expected a Unix time in seconds']]);
  });

  it('maps a session field by field (minor units → major, metadata over discounts)', async () => {
    const records = recordsById(await readAll(stripeImporter, [fileEntry(SESSIONS)]));
    expect(records.get('cs_live_a1')).toEqual({
      id: 'cs_live_a1',
      at: '2024-03-05T15:02:10.000Z',
      type: 'sale',
      value: 25,
      currency: 'USD',
      customer_id: 'cus_Bob02',
      click_id: 'clk_009',
      code: 'BOB5',
      utm_source: 'bluesky',
      utm_medium: 'social',
      utm_campaign: 'launch',
      status: 'paid',
    });
    expect(records.get('cs_live_a2')).toEqual({
      id: 'cs_live_a2',
      at: '2024-03-06T15:02:10.000Z',
      type: 'sale',
      value: 1500,
      currency: 'JPY',
      customer_id: 'hana@example.jp',
      code: 'HANA', // from the expanded promotion code
      utm_source: 'x',
      utm_medium: 'social',
      utm_content: 'thread1',
      landing_url: 'https://books.example.com/ebook?utm_source=x&utm_medium=social&utm_content=thread1',
      status: 'paid',
    });
    expect(records.get('cs_live_a6')).toMatchObject({ value: 0, currency: 'USD', status: 'no_payment_required', utm_source: 'mastodon' });
  });

  it('counts an array of events: session events map their session, other types are reported', async () => {
    const items = await readAll(stripeImporter, [fileEntry(EVENTS)]);
    expect(items).toHaveLength(6);
    expect(countsOf(items)).toEqual({
      records: 2,
      rejects: 1,
      reported: {
        'expired session': 1,
        'event not imported: payment_intent.succeeded': 1,
        'event not imported: charge.refunded': 1,
      },
    });
    expect(rejectsOf(items)).toEqual([[6, 'evt_1F', 'data.object', 'a checkout.session.completed event needs a Checkout Session in data.object']]);
    expect(recordsById(items).get('cs_live_b1')).toEqual({
      id: 'cs_live_b1',
      at: '2024-03-13T14:43:20.000Z',
      type: 'sale',
      value: 49.99,
      currency: 'EUR',
      customer_id: 'mia@example.de',
      click_id: 'clk_042',
      code: 'MIA20',
      utm_source: 'instagram',
      utm_campaign: 'autumn',
      status: 'paid',
    });
  });

  it('gives the session of an event and of the list the same record (same id, same fields)', async () => {
    const fromList = recordsById(await readAll(stripeImporter, [fileEntry(SESSIONS)])).get('cs_live_a1');
    const fromEvent = recordsById(await readAll(stripeImporter, [fileEntry(EVENTS)])).get('cs_live_a1');
    expect(fromEvent).toEqual(fromList);
  });

  it('reads one object per line (NDJSON), and rejects a broken line or a broken array', async () => {
    const session = JSON.parse(readFileSync(SESSIONS, 'utf8')).data[0];
    const ndjson = bufferEntry('s.jsonl', JSON.stringify(session) + '\n{"object": "checkout.session", \n');
    const items = await readAll(stripeImporter, [ndjson]);
    expect(countsOf(items)).toEqual({ records: 1, rejects: 1, reported: {} });
    expect(items[1]).toMatchObject({ type: 'reject', origin: { line: 2 } });
    // An array is streamed: the whole element before the break is kept, the rest rejected once.
    const broken = bufferEntry('b.json', '[' + JSON.stringify(session) + ',');
    const fromBroken = await readAll(stripeImporter, [broken]);
    expect(countsOf(fromBroken)).toEqual({ records: 1, rejects: 1, reported: {} });
    expect(fromBroken[1]).toMatchObject({ type: 'reject', origin: { line: 2 }, reason: 'the file ends before the array is closed with ]' });
  });
});

describe('Stripe recognition and output', () => {
  it('claims its files by content, whatever their names, and nothing else', async () => {
    const renamed = [
      bufferEntry('export (3).csv', readFileSync(PAYMENTS)),
      bufferEntry('data.txt', readFileSync(SESSIONS)),
      bufferEntry('x', readFileSync(EVENTS)),
    ];
    expect(await stripeImporter.claim(renamed)).toEqual(renamed);
    const others = [
      fileEntry(join(TEST_DIR, 'fixtures', 'platforms', 'shopify', 'orders_export.csv')),
      bufferEntry('conversions.csv', FIELDS.conversions.join(',') + '\nc1,2024-01-01,sale,12.50,usd\n'),
      fileEntry(join(TEST_DIR, 'fixtures', 'import', 'malformed', 'conversions.ndjson')),
      bufferEntry('empty.json', ''),
      bufferEntry('charges.json', '{"object":"list","data":[{"id":"ch_1","object":"charge"}]}'),
    ];
    expect(await stripeImporter.claim(others)).toEqual([]);
    expect(await shopifyOrdersImporter.claim([fileEntry(PAYMENTS), fileEntry(SESSIONS), fileEntry(EVENTS)])).toEqual([]);
  });

  it('yields the same items when read twice', async () => {
    const entries = [fileEntry(PAYMENTS), fileEntry(SESSIONS), fileEntry(EVENTS)];
    expect(await readAll(stripeImporter, entries)).toEqual(await readAll(stripeImporter, entries));
  });

  it('emits only records the conversions schema accepts; ¥1500 is 1500 minor units, $12.50 is 1250', async () => {
    const items = await readAll(stripeImporter, [fileEntry(PAYMENTS), fileEntry(SESSIONS), fileEntry(EVENTS)]);
    const minor = new Map<string, number | undefined>();
    for (const item of items) {
      if (item.type !== 'record') continue;
      const v = validateRecord('conversions', item.fields);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      if (v.ok) minor.set(v.record.id, v.record.value_minor);
      if (v.ok && v.record.id === 'ch_3Partial2') expect(v.record).toMatchObject({ refunded_minor: 1000 });
    }
    expect(minor.get('ch_3Yen3')).toBe(1500);
    expect(minor.get('cs_live_a2')).toBe(1500);
    expect(minor.get('ch_3PaidA1')).toBe(1250);
    expect(minor.get('cs_live_b1')).toBe(4999);
  });
});
