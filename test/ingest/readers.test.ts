/**
 * The readers on their own: line numbers whatever the chunking (multibyte characters and CRLF split across
 * chunks), blank lines, BOM, quoted line breaks; Parquet rows numbered from 1; gzip, including a damaged one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { importPaths } from '../../src/ingest/index.js';
import { readNdjson } from '../../src/ingest/ndjson.js';
import type { ByteSource } from '../../src/ingest/source.js';
import type { RawRecord } from '../../src/ingest/types.js';
import { closeStore } from '../../src/store/index.js';
import { dumpTable, freshStore, readRejects, tempDir } from '../support/import.js';

/** A source that hands out `text` in chunks of `size` bytes (so characters and CRLFs get split). */
function chunked(text: string | Buffer, size: number): ByteSource {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    chunks: (async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
    bytesRead: () => 0,
  };
}

async function collect(batches: AsyncGenerator<RawRecord[]>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const b of batches) out.push(...b);
  return out;
}

const CSV =
  '\uFEFFid,name,note\r\n' + // 1
  '\r\n' + // 2 blank
  'a,"x, ""y""",é\r\n' + // 3
  'b,"two\r\nlines",ü\n' + // 4-5 (a CRLF inside quotes is one line end; then an LF ending)
  'c,"three\nline\nfield",中\r\n' + // 6-8
  '   \r\n' + // 9 blank (spaces)
  'd,short\r\n' + // 10
  'e,🚀,"end"'; // 11, no final line end

describe('CSV reader', () => {
  it.each([1, 2, 3, 5, 64, 1 << 20])('numbers lines and keeps values whatever the chunk size (%i bytes)', async (size) => {
    let header: unknown;
    const records = await collect(readCsv(chunked(CSV, size), (h) => (header = h)));
    expect(header).toEqual({ names: ['id', 'name', 'note'], line: 1 });
    expect(records.map((r) => [r.line, r.fields ?? r.problem])).toEqual([
      [3, { id: 'a', name: 'x, "y"', note: 'é' }],
      [4, { id: 'b', name: 'two\r\nlines', note: 'ü' }],
      [6, { id: 'c', name: 'three\nline\nfield', note: '中' }],
      [10, { field: '', reason: 'expected 3 columns, got 2' }],
      [11, { id: 'e', name: '🚀', note: 'end' }],
    ]);
    expect(records.map((r) => r.raw)).toEqual([
      'a,"x, ""y""",é',
      'b,"two\r\nlines",ü',
      'c,"three\nline\nfield",中',
      'd,short',
      'e,🚀,"end"',
    ]);
  });

  it('reads a quoted header and mixes quoted and unquoted records', async () => {
    let header: unknown;
    const records = await collect(readCsv(chunked('\n"ID"," Name "\r\n"q1","x"\r\nq2,y\n', 4), (h) => (header = h)));
    expect(header).toEqual({ names: ['id', 'name'], line: 2 });
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [3, { id: 'q1', name: 'x' }],
      [4, { id: 'q2', name: 'y' }],
    ]);
  });

  it('leaves empty cells out (absent), keeps whitespace-only cells', async () => {
    const records = await collect(readCsv(chunked('a,b,c\n1,,  \n', 4), () => undefined));
    expect(records[0]!.fields).toEqual({ a: '1', c: '  ' });
  });

  it('rejects a field whose quote never closes as one record, keeping the rows before it', async () => {
    const records = await collect(readCsv(chunked('id,name\n1,ok\n2,"never closed\n3,swallowed\n', 7), () => undefined));
    expect(records.map((r) => [r.line, r.fields ?? r.problem])).toEqual([
      [2, { id: '1', name: 'ok' }],
      [3, { field: '', reason: expect.stringMatching(/quoted field is never closed/) }],
    ]);
  });

  it('keeps a quote inside an unquoted field as a character', async () => {
    const records = await collect(readCsv(chunked('id,name\n1,say "hi"\n2,next\n', 5), () => undefined));
    expect(records.map((r) => r.fields)).toEqual([{ id: '1', name: 'say "hi"' }, { id: '2', name: 'next' }]);
  });
});

const NDJSON =
  '\uFEFF{"id":"a","t":"é"}\r\n' + // 1 (BOM, CRLF)
  '\n' + // 2 blank
  '{"id":"b","t":"🚀 中"}\n' + // 3
  '  \t \n' + // 4 blank
  '{"id":"c",\n' + // 5 broken
  '42\n' + // 6 not an object
  'null\n' + // 7
  '{"id":"d"}'; // 8, no final newline

describe('NDJSON reader', () => {
  it.each([1, 2, 3, 7, 1 << 20])('numbers lines whatever the chunk size (%i bytes)', async (size) => {
    const records = await collect(readNdjson(chunked(NDJSON, size)));
    expect(records.map((r) => [r.line, r.fields ?? r.problem])).toEqual([
      [1, { id: 'a', t: 'é' }],
      [3, { id: 'b', t: '🚀 中' }],
      [5, { field: '', reason: expect.stringMatching(/^invalid JSON: /) }],
      [6, { field: '', reason: 'expected a JSON object, got number' }],
      [7, { field: '', reason: 'expected a JSON object, got null' }],
      [8, { id: 'd' }],
    ]);
    expect(records[0]!.raw).toBe('{"id":"a","t":"é"}');
  });

  it('turns bytes that are not UTF-8 into U+FFFD instead of failing', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const records = await collect(readNdjson(chunked(bytes, 3)));
    expect(records[0]!.fields).toEqual({ id: '\uFFFD\uFFFD' });
  });
});

describe('import of Parquet, gzip and --kind', () => {
  it('reads Parquet through DuckDB; the line of a row is its row number + 1', async () => {
    const { store, dir } = await freshStore();
    try {
      const path = join(dir, 'metrics.parquet');
      await store.conn.run(
        `COPY (SELECT * FROM (VALUES ('s', TIMESTAMP '2025-01-01 00:00:00', 1.5), ('s', TIMESTAMP '2025-01-02 12:30:00', NULL), ` +
          `('t', TIMESTAMP '2025-01-01 00:00:00', 3.0)) v(series, "at", value)) TO '${path}' (FORMAT parquet)`,
      );
      const summary = await importPaths(store, [path]);
      expect(summary.files).toEqual([
        { file: path, kind: 'metrics', read: 3, imported: 2, updated: 0, unchanged: 0, rejected: 1, reported: 0, warnings: 0 },
      ]);
      expect(readRejects(summary.rejects_path)).toEqual([
        { file: path, line: 2, kind: 'metrics', field: 'value', reason: 'is required', raw: '{"series":"s","at":"2025-01-02 12:30:00"}' },
      ]);
      expect(await dumpTable(store, 'metrics')).toEqual([
        { series: 's', at: Date.parse('2025-01-01T00:00:00Z'), value: 1.5 },
        { series: 't', at: Date.parse('2025-01-01T00:00:00Z'), value: 3 },
      ]);
    } finally {
      await closeStore(store);
    }
  });

  it('imports the rows before the damage of a truncated gzip file and rejects the rest as one record', async () => {
    const { store, dir } = await freshStore();
    try {
      const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ series: 'x', at: `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, value: i }));
      const gz = gzipSync(lines.join('\n') + '\n');
      const path = join(dir, 'metrics.ndjson.gz');
      writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
      const summary = await importPaths(store, [path]);
      const rejects = readRejects(summary.rejects_path);
      expect(rejects).toHaveLength(1);
      expect(rejects[0]).toMatchObject({ field: '', reason: expect.stringMatching(/^the file is damaged here \(.+\); the rest of it cannot be read$/) });
      const f = summary.files[0]!;
      expect(f.rejected).toBe(1);
      expect(f.read).toBe(rejects[0]!.line); // every line before the damaged one was read
      expect(f.imported + f.updated + f.unchanged).toBe(f.read - 1);
    } finally {
      await closeStore(store);
    }
  });

  it('reads a file of any name as the kind given with --kind', async () => {
    const { store, dir } = await freshStore();
    try {
      const path = join(dir, 'export-2025.jsonl');
      writeFileSync(path, '{"series":"s","at":"2025-01-01","value":1}\n');
      const summary = await importPaths(store, [path], { kind: 'metrics' });
      expect(summary.files[0]).toMatchObject({ kind: 'metrics', imported: 1 });
      expect(summary.rejects_path).toBeNull();
    } finally {
      await closeStore(store);
    }
  });

  it('appends to the rejects file it is given', async () => {
    const { store } = await freshStore();
    const dir = tempDir();
    try {
      const path = join(dir, 'metrics.ndjson');
      writeFileSync(path, '{"series":"s","at":"2025-01-01"}\n');
      const rejectsPath = join(dir, 'sub', 'mine.ndjson');
      await importPaths(store, [path], { rejectsPath });
      const summary = await importPaths(store, [path], { rejectsPath });
      expect(summary.rejects_path).toBe(rejectsPath);
      expect(readRejects(rejectsPath)).toHaveLength(2);
    } finally {
      await closeStore(store);
    }
  });
});
