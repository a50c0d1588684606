/**
 * The click journal (store/click-journal.ts): CSV lines that survive any field value (commas, quotes, line breaks,
 * empty vs null, non-ASCII), a torn last line cut off, re-merging adding no duplicates, `openStore` merging what a
 * crashed server left, the buffer knowing unmerged clicks' links, and the migration that retires `click_log`.
 */
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClickJournal, journalDir, journalSegments, mergeClickSegments, type ClickRecord } from '../../src/store/click-journal.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { ClickBuffer } from '../../src/server/clicks/buffer.js';

const T0 = Date.UTC(2026, 10, 1);

function record(i: number, over: Partial<ClickRecord> = {}): ClickRecord {
  return {
    id: `c${i}`, link_id: 'lnk_1', at: T0 + i * 1000, visitor_id: `v${i % 7}`, referrer: 't.co', country: 'US', device: 'mobile',
    is_bot: false, browser: 'Mobile Safari', os: 'iOS', variant: null, is_preview: false, ...over,
  };
}

async function storedClicks(conn: Awaited<ReturnType<typeof openStore>>['conn']): Promise<ClickRecord[]> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT id, link_id, epoch_ms("at")::DOUBLE AS "at", visitor_id, referrer, country, device, is_bot, browser, os, variant, is_preview
       FROM clicks ORDER BY id`,
    )
  ).getRowObjectsJS();
  return rows as unknown as ClickRecord[];
}

const tempStore = (): string => join(mkdtempSync(join(tmpdir(), 'clout-journal-')), 'store.duckdb');

describe('click journal', () => {
  it('round-trips every field value: commas, quotes, line breaks, empty strings vs null, non-ASCII, both flags', async () => {
    const text = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('a,b', '"q"', 'x\ny', 'r\r\n', '\\'));
    const recordArb = fc.record({
      link_id: fc.constantFrom('lnk_1', 'lnk,2', 'lnk "3"'),
      at: fc.integer({ min: T0, max: T0 + 86_400_000 }),
      visitor_id: text, referrer: text, country: text, device: text, browser: text, os: text, variant: text,
      is_bot: fc.boolean(), is_preview: fc.boolean(),
    });
    const db = tempStore();
    const store = await openStore(db);
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 20 }), async (parts) => {
          const rows = parts.map((p) => ({ ...p, id: `k${n++}` }));
          const journal = new ClickJournal(journalDir(db));
          await journal.append(rows);
          await mergeClickSegments(store.conn, await journal.seal());
          const ids = rows.map((r) => r.id);
          const back = (await storedClicks(store.conn)).filter((r) => ids.includes(r.id));
          expect(back).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
        }),
        { numRuns: 40, seed: 7 },
      );
      expect(journalSegments(journalDir(db))).toEqual([]);
    } finally {
      await closeStore(store);
    }
  });

  it('cuts a torn last line, and merging a segment twice adds no duplicates', async () => {
    const db = tempStore();
    const store = await openStore(db);
    try {
      const journal = new ClickJournal(journalDir(db));
      await journal.append([record(1), record(2), record(3)]);
      const [segment] = await journal.seal();
      const copy = join(journalDir(db), 'clicks-9999999999999999.csv');
      copyFileSync(segment!, copy); // a merge that committed but crashed before deleting: its segment comes back
      appendFileSync(segment!, 'c4,lnk_1,17'); // a line torn by a crash: no newline, too few fields
      expect(await mergeClickSegments(store.conn, [segment!])).toBe(3);
      expect(await mergeClickSegments(store.conn, [copy])).toBe(0);
      expect((await storedClicks(store.conn)).map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
      expect(existsSync(segment!) || existsSync(copy)).toBe(false);
    } finally {
      await closeStore(store);
    }
  });

  it('keeps appending to a new segment after a seal, and openStore merges what a crashed server left', async () => {
    const db = tempStore();
    const store = await openStore(db);
    const journal = new ClickJournal(journalDir(db));
    await journal.append([record(1)]);
    const first = await journal.seal();
    await journal.append([record(2), record(3)]);
    await journal.append([record(4)]);
    const both = await journal.seal();
    expect(first).toHaveLength(1);
    expect(both).toHaveLength(2);
    expect(readFileSync(both[1]!, 'utf8').split('\n')).toHaveLength(4); // three lines, then the final newline
    await closeStore(store); // "crash": nothing merged
    const reopened = await openStore(db);
    try {
      expect((await storedClicks(reopened.conn)).map((r) => r.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
      expect(existsSync(journalDir(db))).toBe(false);
    } finally {
      await closeStore(reopened);
    }
  });

  it('migration 4 moves rows left in the old click_log table into clicks and drops the table', async () => {
    const db = tempStore();
    const store = await openStore(db);
    await store.conn.run(
      `CREATE TABLE click_log (id VARCHAR NOT NULL, link_id VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, visitor_id VARCHAR, referrer VARCHAR,
        country VARCHAR, device VARCHAR, is_bot BOOLEAN, browser VARCHAR, os VARCHAR, variant VARCHAR, is_preview BOOLEAN)`,
    );
    await store.conn.run(`INSERT INTO click_log VALUES ('old1', 'lnk_1', TIMESTAMP '2026-11-01 00:00:00', 'v', NULL, NULL, 'desktop', false, NULL, NULL, NULL, false)`);
    await store.conn.run('DELETE FROM schema_migrations WHERE version >= 4'); // the later ones are idempotent
    await closeStore(store);
    const reopened = await openStore(db);
    try {
      expect((await storedClicks(reopened.conn)).map((r) => r.id)).toEqual(['old1']);
      const tables = (await reopened.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'click_log'`)).getRowObjectsJS();
      expect(tables).toEqual([{ n: 0 }]);
    } finally {
      await closeStore(reopened);
    }
  });

  it('the buffer knows the link of every click until a later merge has committed it to clicks', async () => {
    const db = tempStore();
    const store = await openStore(db);
    const buffer = new ClickBuffer(new ClickJournal(journalDir(db)), await store.instance.connect(), 50, 1_000_000);
    try {
      buffer.push(record(1, { link_id: 'lnk_a' }));
      buffer.push(record(2, { link_id: 'lnk_b' }));
      expect([buffer.linkOf('c1'), buffer.linkOf('c2'), buffer.linkOf('c9')]).toEqual(['lnk_a', 'lnk_b', undefined]);
      const merging = buffer.merge(); // handed over, not committed: still known from memory
      buffer.push(record(3, { link_id: 'lnk_c' }));
      expect([buffer.linkOf('c1'), buffer.linkOf('c3')]).toEqual(['lnk_a', 'lnk_c']);
      await merging;
      expect((await storedClicks(store.conn)).map((r) => r.id)).toEqual(['c1', 'c2']);
      expect(buffer.linkOf('c2')).toBe('lnk_b'); // the last committed merge stays known (transactions that began before it)
      await buffer.settle(); // a later merge commits: c1, c2 are found in clicks only from now on
      expect([buffer.linkOf('c1'), buffer.linkOf('c3')]).toEqual([undefined, 'lnk_c']);
      expect((await storedClicks(store.conn)).map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
      expect(buffer.failures).toBe(0);
    } finally {
      await buffer.close();
      await closeStore(store);
    }
  });
});
