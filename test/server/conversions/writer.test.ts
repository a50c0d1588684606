/**
 * The conversion writer on a real store, without HTTP: group commit (many concurrent requests, few transactions),
 * guards checked against earlier requests of the same transaction, and isolation of a failing request.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversionInput } from '../../../src/server/conversions/schema.js';
import { ConversionWriter, type WriteRequest } from '../../../src/server/conversions/writer.js';
import { createDbQueue, type DbQueue } from '../../../src/server/db-queue.js';
import { closeStore, openStore, type Store } from '../../../src/store/index.js';
import { listServerConversions } from '../../../src/store/server-conversions.js';

let store: Store;
let db: DbQueue;
let transactions = 0;
const NOW = Date.UTC(2026, 10, 1);

function input(over: Partial<ConversionInput> = {}): ConversionInput {
  return {
    type: 'sale', clickIds: [], linkKey: null, customerId: 'c', amountMinor: 100, currency: 'USD',
    eventName: null, externalId: null, metadata: null, source: 'api', ...over,
  };
}

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'clout-writer-')), 's.duckdb'));
  const inner = await createDbQueue(store);
  db = {
    write: (fn) => {
      transactions++;
      return inner.write(fn);
    },
    read: (fn) => inner.read(fn),
    close: () => inner.close(),
  };
});
afterAll(async () => {
  await db.close();
  await closeStore(store);
});

const rows = () => db.read((conn) => listServerConversions(conn));

describe('ConversionWriter', () => {
  it('commits 200 concurrent requests in a handful of transactions', async () => {
    const w = new ConversionWriter(db, () => NOW, { maxBatch: 64 });
    transactions = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => w.submit({ input: input({ customerId: `g${i}` }), at: NOW })),
    );
    expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
    expect(transactions).toBeLessThanOrEqual(5); // 1 (the first request alone) + ceil(199 / 64)
    expect((await rows()).filter((r) => r.customer_id!.startsWith('g'))).toHaveLength(200);
  });

  it('checks idempotency keys and external ids against earlier requests of the same transaction', async () => {
    const w = new ConversionWriter(db, () => NOW);
    const idem = { apiKeyId: 'key_1', key: 'same', hash: 'h1' };
    const reqs: WriteRequest[] = [
      { input: input({ customerId: 'b1' }), at: NOW, idempotency: idem },
      { input: input({ customerId: 'b1' }), at: NOW, idempotency: idem },
      { input: input({ customerId: 'b1-other' }), at: NOW, idempotency: { ...idem, hash: 'h2' } },
      { input: input({ customerId: 'b2', externalId: 'ord_1' }), at: NOW },
      { input: input({ customerId: 'b2', externalId: 'ord_1' }), at: NOW },
      { input: input({ customerId: 'b3' }), at: NOW, webhookEvent: { source: 'stripe', id: 'evt_9' } },
      { input: input({ customerId: 'b3' }), at: NOW, webhookEvent: { source: 'stripe', id: 'evt_9' } },
    ];
    const out = await Promise.all(reqs.map((r) => w.submit(r)));
    expect(out.map((o) => o.kind)).toEqual(['created', 'replay', 'idempotency_conflict', 'created', 'duplicate_external_id', 'created', 'duplicate_event']);
    expect(out[1]).toMatchObject({ status: 201, body: (out[0] as { body: string }).body });
    const stored = (await rows()).filter((r) => r.customer_id!.startsWith('b'));
    expect(stored.map((r) => r.customer_id).sort()).toEqual(['b1', 'b2', 'b3']);
  });

  it("lets a sale inherit a lead recorded earlier in the same transaction", async () => {
    await store.conn.run(`INSERT INTO links (id, url, key, post_id, author_id) VALUES ('lk', 'https://x.example', 'lk', 'p9', 'dana')`);
    await store.conn.run(`INSERT INTO clicks (id, link_id, "at") VALUES ('ck', 'lk', now())`);
    const w = new ConversionWriter(db, () => NOW);
    const [lead, sale] = await Promise.all([
      w.submit({ input: input({ type: 'lead', customerId: 'inh', clickIds: ['ck'], amountMinor: null, currency: null }), at: NOW }),
      w.submit({ input: input({ customerId: 'inh' }), at: NOW }),
    ]);
    expect(JSON.parse((lead as { body: string }).body)).toMatchObject({ attribution: 'click', author_id: 'dana' });
    expect(JSON.parse((sale as { body: string }).body)).toMatchObject({ attribution: 'customer_lead', link_id: 'lk', post_id: 'p9', author_id: 'dana', click_id: 'ck' });
  });

  it('fails only the request that breaks its transaction; its neighbours are retried alone and stored', async () => {
    const w = new ConversionWriter(db, () => NOW);
    const results = await Promise.allSettled([
      w.submit({ input: input({ customerId: 'iso1' }), at: NOW }),
      w.submit({ input: input({ customerId: 'iso2' }), at: NOW }),
      w.submit({ input: input({ customerId: 'iso-bad' }), at: Number.NaN }), // not a timestamp: the INSERT fails
      w.submit({ input: input({ customerId: 'iso3' }), at: NOW }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = (await rows()).filter((r) => r.customer_id!.startsWith('iso')).map((r) => r.customer_id).sort();
    expect(stored).toEqual(['iso1', 'iso2', 'iso3']);
  });
});
