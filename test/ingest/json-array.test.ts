/**
 * The streaming JSON-array reader on its own: the same elements, lines and indexes whatever the chunking (a chunk
 * boundary at every byte: inside multi-byte characters, escapes, CRLFs and the prefix), broken elements reported
 * and skipped, a broken structure ending the file with one fatal problem.
 */
import { describe, expect, it } from 'vitest';
import { readJsonArray, type JsonArrayItem } from '../../src/ingest/json-array.js';
import { DamagedSourceError } from '../../src/ingest/source.js';

/** `text` handed out in chunks of `size` bytes, or split at the given byte offsets. */
async function* chunks(text: string | Buffer, size: number, cuts?: number[]): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  if (cuts !== undefined) {
    let from = 0;
    for (const c of cuts) {
      yield bytes.subarray(from, c);
      from = c;
    }
    yield bytes.subarray(from);
    return;
  }
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(source: AsyncIterable<Buffer>, batch?: number): Promise<JsonArrayItem[]> {
  const out: JsonArrayItem[] = [];
  for await (const b of readJsonArray(source, batch === undefined ? {} : { batch })) out.push(...b);
  return out;
}

const summary = (items: JsonArrayItem[]) => items.map((i) => [i.index, i.line, i.problem ?? i.value]);

const ARCHIVE =
  '\uFEFFwindow.YTD.tweets.part0 = [\r\n' + // 1
  '  {\r\n' + // 2
  '    "tweet" : { "full_text" : "brackets ] } [ { and \\"quotes\\" and \\\\ and , commas", "n" : 1 }\r\n' + // 3
  '  },\r\n' + // 4
  '  {\n' + // 5
  '    "tweet" : { "full_text" : "é 中 🚀 \\u00e9 \\n escaped", "end" : "\\\\" }\n' + // 6
  '  }, "a string ] element", 42, [1, [2, {"x": "}"}]],\n' + // 7
  '  {"emoji": "👍🏽"}\n' + // 8
  '];\n'; // 9

const EXPECTED = [
  [0, 2, { tweet: { full_text: 'brackets ] } [ { and "quotes" and \\ and , commas', n: 1 } }],
  [1, 5, { tweet: { full_text: 'é 中 🚀 é \n escaped', end: '\\' } }],
  [2, 7, 'a string ] element'],
  [3, 7, 42],
  [4, 7, [1, [2, { x: '}' }]]],
  [5, 8, { emoji: '👍🏽' }],
];

describe('readJsonArray', () => {
  it('reads elements, lines and indexes after a window.YTD prefix and a BOM', async () => {
    const items = await read(chunks(ARCHIVE, 1 << 20));
    expect(summary(items)).toEqual(EXPECTED);
    expect(items[0]!.text).toBe('{\r\n    "tweet" : { "full_text" : "brackets ] } [ { and \\"quotes\\" and \\\\ and , commas", "n" : 1 }\r\n  }');
    expect(items.every((i) => !i.fatal)).toBe(true);
  });

  it('gives the same result with a chunk boundary at every byte', async () => {
    const bytes = Buffer.from(ARCHIVE);
    for (let cut = 1; cut < bytes.length; cut++) {
      const items = await read(chunks(bytes, 0, [cut]));
      expect(summary(items), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same result with two boundaries around every byte and with 1-, 2- and 3-byte chunks', async () => {
    const bytes = Buffer.from(ARCHIVE);
    for (let cut = 1; cut + 1 < bytes.length; cut++) {
      expect(summary(await read(chunks(bytes, 0, [cut, cut + 1]))), `cuts at ${cut}, ${cut + 1}`).toEqual(EXPECTED);
    }
    for (const size of [1, 2, 3, 7]) expect(summary(await read(chunks(bytes, size), 2))).toEqual(EXPECTED);
  });

  it('reads a plain array, an empty one, and escapes that end a chunk', async () => {
    expect(summary(await read(chunks('[]', 1)))).toEqual([]);
    expect(summary(await read(chunks(' [ ] \n', 1)))).toEqual([]);
    expect(summary(await read(chunks('[{"a":"x\\\\"},{"b":"\\"\\\\\\""}]', 1)))).toEqual([
      [0, 1, { a: 'x\\' }],
      [1, 1, { b: '"\\"' }],
    ]);
  });

  it('reports a broken element and goes on with the next one, lines intact', async () => {
    const text = 'window.YTD.like.part0 = [\n{"a": 1},\n{"b": tru},\n{"c": "raw\nnewline"},\n{"d": 4}\n]';
    const items = await read(chunks(text, 5));
    expect(items.map((i) => [i.index, i.line, i.problem === undefined ? i.value : i.problem.slice(0, 12), i.fatal])).toEqual([
      [0, 2, { a: 1 }, false],
      [1, 3, 'invalid JSON', false],
      [2, 4, 'invalid JSON', false],
      [3, 6, { d: 4 }, false],
    ]);
    expect(items[1]!.text).toBe('{"b": tru}');
  });

  it('reports empty elements, a trailing comma and text after the array', async () => {
    const items = await read(chunks('[1,,2,]\nnot js', 1));
    expect(items.map((i) => [i.index, i.line, i.problem ?? i.value])).toEqual([
      [0, 1, 1],
      [1, 1, 'empty element (two commas in a row, or a comma after [)'],
      [2, 1, 2],
      [3, 1, 'a comma before ] (trailing comma)'],
      [3, 2, 'unexpected text after the array'],
    ]);
  });

  it('stops with one fatal problem when the structure breaks', async () => {
    const truncated = await read(chunks('window.YTD.tweets.part0 = [\n{"a": 1},\n{"b": [2, 3', 4));
    expect(truncated.map((i) => [i.index, i.line, i.problem ?? i.value, i.fatal])).toEqual([
      [0, 2, { a: 1 }, false],
      [1, 3, 'the file ends inside this element (truncated?); the array is not closed', true],
    ]);
    expect(truncated[1]!.text).toBe('{"b": [2, 3');
    const stray = await read(chunks('[{"a": 1}},\n{"b": 2}]', 3));
    expect(stray.map((i) => [i.index, i.problem ?? i.value, i.fatal])).toEqual([
      [0, 'unexpected } at the top level of the array; the rest of the file cannot be read', true],
    ]);
    const notArray = await read(chunks('{"a": 1}', 3));
    expect(notArray.map((i) => [i.line, i.problem, i.fatal])).toEqual([[1, 'expected a JSON array (optionally after an assignment such as window.YTD.tweets.part0 =)', true]]);
    const prose = await read(chunks('hello there [1]', 3));
    expect(prose[0]!.fatal).toBe(true);
    expect((await read(chunks('', 3)))[0]!.problem).toBe('the file is empty: expected a JSON array');
    expect((await read(chunks('[1, 2', 3))).map((i) => i.problem ?? i.value)).toEqual([1, 'the file ends inside this element (truncated?); the array is not closed']);
  });

  it('reports an element longer than the limit and goes on', async () => {
    const big = `[{"a": "${'x'.repeat(100)}"}, {"b": 2}]`;
    const items = await read(chunks(big, 16), undefined);
    expect(summary(items)).toHaveLength(2);
    const limited: JsonArrayItem[] = [];
    for await (const b of readJsonArray(chunks(big, 16), { maxElementBytes: 50 })) limited.push(...b);
    expect(limited.map((i) => i.problem ?? i.value)).toEqual(['element is longer than 50 bytes', { b: 2 }]);
  });

  it('ends with a fatal problem when the bytes are damaged', async () => {
    async function* damaged(): AsyncGenerator<Buffer> {
      yield Buffer.from('[{"a": 1},\n{"b": ');
      throw new DamagedSourceError('unexpected end of file');
    }
    const items = await read(damaged());
    expect(items.map((i) => [i.index, i.line, i.problem ?? i.value, i.fatal])).toEqual([
      [0, 1, { a: 1 }, false],
      [1, 2, 'the file is damaged here (unexpected end of file); the rest of it cannot be read', true],
    ]);
  });

  it('holds only the element being read: memory stays flat over many elements', async () => {
    const element = Buffer.from('  {\n    "tweet" : { "id_str" : "1", "full_text" : "' + 'é'.repeat(200) + '" }\n  },\n');
    const count = 20_000;
    async function* many(): AsyncGenerator<Buffer> {
      yield Buffer.from('window.YTD.tweets.part0 = [\n');
      for (let i = 0; i < count; i++) yield element;
      yield Buffer.from('  {}\n]');
    }
    let seen = 0;
    let lastLine = 0;
    for await (const batch of readJsonArray(many())) {
      seen += batch.length;
      lastLine = batch[batch.length - 1]!.line;
    }
    expect(seen).toBe(count + 1);
    expect(lastLine).toBe(2 + count * 3);
  });
});
