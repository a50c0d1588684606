/**
 * Property-based tests of the importer: random and mutated inputs (byte flips, truncated lines, random quotes,
 * random unicode, blank lines, CRLF, wrong column counts, repeated keys) never crash it and never lose a good row.
 *
 * The oracles restate the import's contract simply: split the file into records, validate each one alone with the
 * zod schema (validateRecord — not the importer's fast path), and the last valid record of each key is what the
 * store must hold; every other non-blank record must be rejected on its own line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/domain/index.js';
import { importPaths } from '../../src/ingest/index.js';
import { rejection } from '../../src/ingest/validate.js';
import { closeStore, openStore, TABLE_COLUMNS, type Store } from '../../src/store/index.js';
import { dumpTable, readRejects, tempDir } from '../support/import.js';

const RUNS = Number(process.env.CLOUT_PROPERTY_RUNS ?? 40);

interface Expected {
  rows: Map<string, Record<string, unknown>>;
  rejects: { line: number; field: string; reason: string }[];
  read: number;
}

/** Folds validated records (in file order) into the expected table and rejects. */
function oracle(records: { line: number; fields: Record<string, unknown> | undefined; problem?: { field: string; reason: string } }[]): Expected {
  const rows = new Map<string, Record<string, unknown>>();
  const rejects: Expected['rejects'] = [];
  for (const r of records) {
    if (r.fields === undefined) {
      rejects.push({ line: r.line, ...r.problem! });
      continue;
    }
    const v = validateRecord('posts', r.fields);
    if (v.ok) rows.set(v.record.id, v.record);
    else rejects.push({ line: r.line, ...rejection(v.issues) });
  }
  return { rows, rejects, read: records.length };
}

/** Rows in id order, the same for both sides (JS compares UTF-16 units, DuckDB code points: sort both here). */
function byId(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
}

/** The posts table as the oracle writes it (absent fields as null). */
function asTable(rows: Map<string, Record<string, unknown>>): Record<string, unknown>[] {
  const cols = TABLE_COLUMNS.posts;
  return byId([...rows.values()].map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))));
}

// --- generators ---------------------------------------------------------------------------------------------

const idArb = fc.integer({ min: 0, max: 12 }).map((i) => `p${i}`); // few ids: keys repeat
const isoArb = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((t) => new Date(t).toISOString());
const textArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('Title of book — https://ex.am/b', 'WOW! This book amazes me 📚', 'a, b, "c"', 'two\nlines', 'crlf\r\nline', 'zoë 中文'),
);
const postArb = fc.record(
  {
    id: idArb,
    author_id: fc.constantFrom('a1', 'a2', ' a3 '),
    created_at: fc.oneof(isoArb, fc.constantFrom('2026-02-30', 'yesterday', '2025-01-01')),
    text: textArb,
    url: fc.constantFrom('https://ex.am/b', 'javascript:alert(1)', 'http://x.y/z?a=1,b=2'),
  },
  { requiredKeys: ['id', 'created_at'] },
);

type Mutation =
  | { type: 'none' }
  | { type: 'flip'; at: number; bit: number }
  | { type: 'truncate'; at: number }
  | { type: 'insert'; at: number; text: string }
  | { type: 'blank' }
  | { type: 'crlf' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ type: 'none' } as Mutation) },
  fc.record({ type: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    type: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom('"', '""', ',', '\\', '{', '}', '\r', '\u0000'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })),
  }),
  fc.constant({ type: 'blank' } as Mutation),
  fc.constant({ type: 'crlf' } as Mutation),
);

/** Applies a mutation to one line's bytes (without its line end). */
function mutate(line: Buffer, m: Mutation): { bytes: Buffer; end: string; blankBefore: boolean } {
  let bytes = line;
  if (m.type === 'flip' && bytes.length > 0) {
    bytes = Buffer.from(bytes);
    const i = m.at % bytes.length;
    bytes[i] = bytes[i]! ^ (1 << m.bit);
  } else if (m.type === 'truncate') {
    bytes = bytes.subarray(0, m.at % (bytes.length + 1));
  } else if (m.type === 'insert') {
    const i = m.at % (bytes.length + 1);
    bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.text), bytes.subarray(i)]);
  }
  return { bytes, end: m.type === 'crlf' ? '\r\n' : '\n', blankBefore: m.type === 'blank' };
}

// --- the properties ---------------------------------------------------------------------------------------------

describe('import properties', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('clout-prop-');
    store = await openStore(':memory:');
  });
  afterAll(async () => {
    await closeStore(store);
  });

  async function importFresh(name: string, bytes: Buffer) {
    await store.conn.run('DELETE FROM posts');
    const path = join(dir, name);
    const rejectsPath = join(dir, `${name}.${Math.random().toString(36).slice(2)}.rejects`);
    writeFileSync(path, bytes);
    const summary = await importPaths(store, [path], { kind: 'posts', rejectsPath, batchRows: 7 });
    return { summary, rejects: readRejects(summary.rejects_path), table: byId(await dumpTable(store, 'posts')) };
  }

  it('NDJSON: byte-level mutations never crash it; every line that validates alone is in the store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(postArb, mutationArb), { maxLength: 25 }), fc.boolean(), async (rows, finalNewline) => {
        const parts: Buffer[] = [];
        for (const [post, m] of rows) {
          const { bytes, end, blankBefore } = mutate(Buffer.from(JSON.stringify(post)), m);
          if (blankBefore) parts.push(Buffer.from('  \n'));
          parts.push(bytes, Buffer.from(end));
        }
        let file = Buffer.concat(parts);
        if (!finalNewline && file.length > 0) file = file.subarray(0, file.length - 1);
        // Oracle: physical lines split at the newline byte, each decoded and parsed alone.
        const records: Parameters<typeof oracle>[0] = [];
        let start = 0;
        for (let line = 1; start <= file.length; line++) {
          let end = file.indexOf(10, start);
          if (end === -1) end = file.length;
          let text = file.toString('utf8', start, end);
          if (text.endsWith('\r')) text = text.slice(0, -1);
          start = end + 1;
          if (text.trim() === '') continue;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            records.push({ line, fields: undefined, problem: { field: '', reason: 'invalid JSON' } });
            continue;
          }
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            records.push({ line, fields: undefined, problem: { field: '', reason: 'not an object' } });
            continue;
          }
          records.push({ line, fields: value as Record<string, unknown> });
        }
        const expected = oracle(records);
        const { summary, rejects, table } = await importFresh('posts.ndjson', file);
        expect(table).toEqual(asTable(expected.rows));
        expect(rejects.map((r) => r.line)).toEqual(expected.rejects.map((r) => r.line));
        const validationRejects = expected.rejects.filter((r) => r.field !== '' || !/^(invalid JSON|not an object)$/.test(r.reason));
        for (const r of validationRejects) expect(rejects.find((x) => x.line === r.line)).toMatchObject(r);
        const f = summary.files[0]!;
        expect(f.read).toBe(expected.read);
        expect(f.rejected).toBe(expected.rejects.length);
        expect(f.imported + f.updated + f.unchanged + f.rejected).toBe(f.read);
        expect(f.imported).toBe(expected.rows.size);
      }),
      { numRuns: RUNS },
    );
  });

  /** A CSV cell, quoted when it must be (RFC 4180). */
  const cell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const cellArb = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 5, arbitrary: base },
      fc.constant(''),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      base.chain((s) => fc.nat().map((n) => s.slice(0, n % (s.length + 1)))), // a truncated value
      base.chain((s) => fc.constantFrom('"', ',', '\n', '\r\n', '""').map((q) => s + q)), // random quotes and breaks
    );
  const csvRowArb = fc.record({
    cells: fc.tuple(cellArb(idArb), cellArb(fc.constantFrom('a1', 'a2')), cellArb(isoArb), cellArb(textArb)),
    arity: fc.constantFrom(0, 0, 0, 0, -1, 1), // sometimes a column short or one too many
    end: fc.constantFrom('\n', '\r\n'),
    blankBefore: fc.boolean().map((b) => b && Math.random() < 0.3),
  });

  it('CSV: mutated values, quotes, breaks and column counts never crash it; exactly the bad records are rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(csvRowArb, { maxLength: 25 }), fc.boolean(), async (rows, bom) => {
        const header = ['id', 'author_id', 'created_at', 'text'];
        let text = (bom ? '\uFEFF' : '') + header.join(',') + '\n';
        let line = 2;
        const records: Parameters<typeof oracle>[0] = [];
        for (const row of rows) {
          // What the file will hold: a value cut inside a surrogate pair is written (and read back) as U+FFFD.
          const cells = row.cells.map((c) => Buffer.from(c, 'utf8').toString('utf8'));
          if (row.arity < 0) cells.pop();
          if (row.arity > 0) cells.push('extra');
          const serialized = cells.map(cell).join(',');
          if (serialized.trim() === '') continue; // that would be a blank line
          if (row.blankBefore) {
            text += '\n';
            line++;
          }
          if (cells.length !== header.length) {
            records.push({ line, fields: undefined, problem: { field: '', reason: `expected ${header.length} columns, got ${cells.length}` } });
          } else {
            const fields: Record<string, string> = {};
            cells.forEach((c, i) => {
              if (c !== '') fields[header[i]!] = c;
            });
            records.push({ line, fields });
          }
          text += serialized + row.end;
          line += 1 + (serialized.match(/\n/g)?.length ?? 0);
        }
        const expected = oracle(records);
        const { summary, rejects, table } = await importFresh('posts.csv', Buffer.from(text));
        expect(table).toEqual(asTable(expected.rows));
        expect(rejects.map((r) => ({ line: r.line, field: r.field, reason: r.reason }))).toEqual(expected.rejects);
        expect(summary.files[0]!.read).toBe(expected.read);
      }),
      { numRuns: RUNS },
    );
  });

  it('CSV: byte-level chaos never crashes it, keeps its accounts straight, and loses no row before the first quote', async () => {
    const header = 'id,author_id,created_at,text';
    const simpleRow = fc
      .tuple(idArb, fc.constantFrom('a1', 'a2'), isoArb, fc.string({ unit: 'grapheme-ascii', maxLength: 12 }))
      .map(([id, author, at, t]) => [id, author, at, t.replace(/[",\r\n]/g, ' ')].join(','));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(simpleRow, mutationArb), { maxLength: 25 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (rows, cut) => {
          const parts: Buffer[] = [Buffer.from(header + '\n')];
          for (const [row, m] of rows) {
            const { bytes, end, blankBefore } = mutate(Buffer.from(row), m);
            if (blankBefore) parts.push(Buffer.from('\n'));
            parts.push(bytes, Buffer.from(end));
          }
          let file = Buffer.concat(parts);
          if (cut !== undefined) file = file.subarray(0, cut % (file.length + 1)); // truncate the file anywhere
          const firstLine = file.toString('utf8').split('\n')[0]!.split(',');
          if (!['id', 'author_id', 'created_at'].every((c) => firstLine.includes(c))) {
            // A header cut short of a required column: the file is refused as a whole, not crashed on.
            if (file.length === 0) return;
            await expect(importFresh('posts.csv', file)).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/lacks required column/) });
            return;
          }
          const { summary, rejects, table } = await importFresh('posts.csv', file);
          const f = summary.files[0]!;
          expect(f.imported + f.updated + f.unchanged + f.rejected).toBe(f.read);
          const physicalLines = file.toString('utf8').split('\n').length;
          for (const r of rejects) expect(r.line).toBeGreaterThanOrEqual(2);
          for (const r of rejects) expect(r.line).toBeLessThanOrEqual(physicalLines);
          expect(rejects.map((r) => r.line)).toEqual([...rejects.map((r) => r.line)].sort((a, b) => a - b));
          // Before the first quote character, every line is a record of its own: each one that validates alone
          // and whose id appears nowhere else in the file must be in the store as it is.
          const text = file.toString('utf8');
          const quote = text.indexOf('"');
          const clean = (quote === -1 ? text : text.slice(0, text.lastIndexOf('\n', quote) + 1)).split('\n').slice(1, -1);
          for (const l of clean) {
            const cells = l.replace(/\r$/, '').split(',');
            if (cells.length !== 4) continue;
            const fields = Object.fromEntries(['id', 'author_id', 'created_at', 'text'].flatMap((k, i) => (cells[i] === '' ? [] : [[k, cells[i]]])));
            const v = validateRecord('posts', fields);
            if (!v.ok) continue;
            if (text.split(String(cells[0])).length !== 2) continue; // the id occurs elsewhere too
            expect(table).toContainEqual(asTable(new Map([[v.record.id, v.record]]))[0]);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
