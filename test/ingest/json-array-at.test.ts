/** The array under a key of a JSON document, streamed: found only at the top level, head parsed, lines kept, rest unread. */
import { describe, expect, it } from 'vitest';
import { openJsonArrayAt } from '../../src/ingest/json-array-at.js';
import type { JsonArrayItem } from '../../src/ingest/json-array.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function read(text: string, key: string, size = 1 << 20): Promise<{ head?: Record<string, unknown>; items?: JsonArrayItem[]; reason?: string }> {
  const opened = await openJsonArrayAt(chunksOf(text, size), key);
  if (!opened.ok) return { reason: opened.reason };
  const items: JsonArrayItem[] = [];
  for await (const batch of opened.items) items.push(...batch);
  return { head: opened.head, items };
}

const OUTBOX = [
  '\uFEFF{',
  '  "@context": ["https://www.w3.org/ns/activitystreams", {"orderedItems": "not this one"}],',
  '  "id": "https://m.example/users/ann/outbox",',
  '  "summary": "a string that says \\"orderedItems\\": [ and { } ]",',
  '  "type": "OrderedCollection",',
  '  "totalItems": 3,',
  '  "orderedItems": [',
  '    {"id": "a1", "type": "Create", "note": "multi\\nline é 🚀"},',
  '    {"id": "a2", "type": "Announce"},',
  '    "https://m.example/bare"',
  '  ],',
  '  "next": {"orderedItems": [99]}',
  '}',
].join('\n');

describe('openJsonArrayAt', () => {
  it('finds the top-level key past nested and quoted look-alikes, parses the head, keeps lines, ignores what follows', async () => {
    const r = await read(OUTBOX, 'orderedItems');
    expect(r.head).toEqual({
      '@context': ['https://www.w3.org/ns/activitystreams', { orderedItems: 'not this one' }],
      id: 'https://m.example/users/ann/outbox',
      summary: 'a string that says "orderedItems": [ and { } ]',
      type: 'OrderedCollection',
      totalItems: 3,
    });
    expect(r.items!.map((i) => [i.index, i.line, i.value, i.problem])).toEqual([
      [0, 8, { id: 'a1', type: 'Create', note: 'multi\nline é 🚀' }, undefined],
      [1, 9, { id: 'a2', type: 'Announce' }, undefined],
      [2, 10, 'https://m.example/bare', undefined],
    ]);
  });

  it('gives the same result whatever the chunk size (every split of the document)', async () => {
    const whole = await read(OUTBOX, 'orderedItems');
    for (let size = 1; size <= 64; size++) expect(await read(OUTBOX, 'orderedItems', size)).toEqual(whole);
  });

  it('reads a document that is itself an array, with an empty head', async () => {
    const r = await read('[{"id": "cs_1"}, {"id": "cs_2"}]', 'data');
    expect(r.head).toEqual({});
    expect(r.items!.map((i) => i.value)).toEqual([{ id: 'cs_1' }, { id: 'cs_2' }]);
  });

  it('reads a list whose key comes first, and reports a broken element without losing the next', async () => {
    const r = await read('{"data": [{"id": 1}, {"id": }, {"id": 3}], "has_more": false, "object": "list"}', 'data');
    expect(r.head).toEqual({});
    expect(r.items!.map((i) => [i.value, i.problem === undefined])).toEqual([
      [{ id: 1 }, true],
      [undefined, false],
      [{ id: 3 }, true],
    ]);
  });

  it('says why when there is no such array', async () => {
    expect((await read('{"orderedItems": "x", "first": "https://m.example/outbox?page=true"}', 'orderedItems')).reason).toBe('no "orderedItems" array at the top level');
    expect((await read('{"a": {"orderedItems": [1]}}', 'orderedItems')).reason).toBe('no "orderedItems" array at the top level');
    expect((await read('  ', 'orderedItems')).reason).toBe('empty file');
    expect((await read('"just a string"', 'orderedItems')).reason).toBe('not a JSON object or array');
  });
});
