/** Writers of the synthetic world: RFC 4180 quoting, NDJSON typing, chunked sinks, fast ISO timestamps. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/domain/index.js';
import { csvField, iso, isoDate, Sink, Table } from '../../src/synth/writers.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-writers-'));

describe('csvField', () => {
  it('leaves plain fields alone and quotes commas, quotes and line breaks', () => {
    expect(csvField('plain text — ok')).toBe('plain text — ok');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
});

describe('iso', () => {
  it('matches Date#toISOString', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(Date.UTC(2015, 0, 1) + rng.uniform() * 20 * 365 * 86_400_000);
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
    expect(iso(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000Z');
    expect(isoDate(Date.UTC(2026, 1, 28, 23, 59))).toBe('2026-02-28');
  });
});

describe('Table + Sink', () => {
  it('writes CSV that a real parser reads back, across many chunks', async () => {
    const path = join(dir, 'posts.csv');
    const t = new Table('posts', 'csv', new Sink(path, false));
    const texts = ['WOW! This book — amazing', 'a, b', 'quote "this"', 'line\nbreak', 'ünïcödé ✓'];
    const n = 60_000; // > 1 MiB, so several chunks
    for (let i = 0; i < n; i++) {
      t.cells[0] = 'p' + i;
      t.cells[1] = 'a1';
      t.cells[2] = '2026-01-01T00:00:00.000Z';
      t.cells[3] = texts[i % texts.length]!;
      if (t.end()) await t.flush();
    }
    await t.sink.close();
    const rows = parse(readFileSync(path), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(n);
    expect(rows[3]!.text).toBe('line\nbreak');
    expect(rows[n - 1]!.id).toBe(`p${n - 1}`);
    expect(rows[4]!.text).toBe('ünïcödé ✓');
    expect(rows[0]!.url).toBe('');
  });

  it('writes gzipped NDJSON with numbers and booleans unquoted and blanks omitted', async () => {
    const path = join(dir, 'clicks.ndjson.gz');
    const t = new Table('clicks', 'ndjson', new Sink(path, true));
    t.cells[0] = 'c1';
    t.cells[1] = 'l1';
    t.cells[2] = '2026-01-01T00:00:00.000Z';
    t.cells[4] = 'say "hi"';
    t.cells[7] = 'true';
    t.end();
    await t.sink.close();
    const line = gunzipSync(readFileSync(path)).toString('utf8');
    expect(line).toBe('{"id":"c1","link_id":"l1","at":"2026-01-01T00:00:00.000Z","referrer":"say \\"hi\\"","is_bot":true}\n');
  });
});

describe('Sink errors', () => {
  it('raises a write error (missing directory) at close instead of crashing the process', async () => {
    const t = new Table('metrics', 'csv', new Sink(join(dir, 'no-such-dir', 'metrics.csv'), false));
    t.cells[0] = 'book_sales';
    t.cells[1] = '2026-01-01';
    t.cells[2] = '1';
    t.end();
    await expect(t.sink.close()).rejects.toThrow(/ENOENT/);
  });
});
