/**
 * Streaming writers of the interchange format: one Table per kind encodes rows (CSV with RFC 4180 quoting, or
 * NDJSON) into big string chunks; a Sink hands each chunk to a file stream (optionally gzipped) and waits for
 * 'drain' when the stream pushes back. Callers fill `cells` positionally (FIELDS order, '' = absent) and call end().
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { FIELDS, byKind, type Kind, MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';

export type WorldFormat = 'csv' | 'ndjson';

/** How a field is encoded: `id` (safe string), `text` (may need quoting/escaping), `num`, `bool` (raw in NDJSON). */
type FieldType = 'id' | 'text' | 'num' | 'bool';

/** Fields that are not safe ids, by name (every other field of every kind is one). */
const ENCODING: Readonly<Record<string, FieldType>> = {
  platform: 'text', handle: 'text', name: 'text', text: 'text', url: 'text', key: 'text', referrer: 'text', metric: 'text',
  utm_source: 'text', utm_medium: 'text', utm_campaign: 'text', utm_content: 'text', landing_url: 'text', code: 'text', status: 'text', lang: 'text',
  followers: 'num', following: 'num', goal_value: 'num', value: 'num', refunded_value: 'num',
  likes: 'num', reposts: 'num', replies: 'num', quotes: 'num', views: 'num',
  is_bot: 'bool',
};

/** Each kind's field encodings, in FIELDS order. */
const TYPES = byKind((k): readonly FieldType[] => FIELDS[k].map((f) => ENCODING[f] ?? 'id'));

const CHUNK = 1 << 20;
const SMALL = 1 << 14;
const GZIP_LEVEL = 4;
const QUEUE = 8 * CHUNK;
const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes one CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** A file being written in big chunks (rows are UTF-8 encoded straight into 1 MiB buffers), gzipped when asked. */
export class Sink {
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private small = '';
  private readonly ready: Buffer[] = [];
  private readonly file: WriteStream;
  private readonly gz: Gzip | undefined;
  private readonly target: WriteStream | Gzip;
  private error: Error | undefined;

  constructor(readonly path: string, gzip: boolean) {
    this.file = createWriteStream(path);
    // One compression job per 1 MiB chunk (libuv thread pool), so gzip runs beside the generator.
    this.gz = gzip ? createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK }) : undefined;
    if (this.gz) this.gz.pipe(this.file);
    this.target = this.gz ?? this.file;
    // Remember stream errors (e.g. a full disk) and raise them at the next flush or close.
    this.file.on('error', (e: Error) => {
      this.error ??= e;
      this.gz?.destroy(e); // so a wait for the gzip stream's 'drain' ends too
    });
    this.gz?.on('error', (e: Error) => {
      this.error ??= e;
    });
  }

  /** Appends text; returns true when a full chunk is waiting and the caller should `await flush()`. */
  add(text: string): boolean {
    this.small += text;
    if (this.small.length >= SMALL) this.encode();
    return this.ready.length > 0;
  }

  /** Encodes the small string buffer into the current chunk (sealing the chunk first when it could overflow). */
  private encode(): void {
    const text = this.small;
    this.small = '';
    if (this.pos + text.length * 3 > CHUNK) {
      this.seal();
      if (text.length * 3 > CHUNK) {
        this.ready.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.pos += this.chunk.write(text, this.pos, 'utf8');
  }

  private seal(): void {
    if (this.small.length > 0) this.encode();
    if (this.pos === 0) return;
    this.ready.push(this.chunk.subarray(0, this.pos));
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  /**
   * Hands the full chunks to the stream. Backpressure: up to QUEUE bytes may wait in the stream (so compression and
   * disk writes overlap with generation); beyond that, wait for 'drain'.
   */
  async flush(): Promise<void> {
    while (this.ready.length > 0) {
      if (this.error) throw this.error;
      this.target.write(this.ready.shift()!);
      if (this.target.writableLength >= QUEUE) await once(this.target, 'drain');
    }
    if (this.error) throw this.error;
  }

  /** Stops writing after a failure elsewhere: destroys the stream(s) without waiting. */
  abort(): void {
    this.ready.length = 0;
    this.gz?.destroy();
    this.file.destroy();
  }

  /** Flushes everything, ends the stream(s) and waits until the file is completely written. */
  async close(): Promise<void> {
    this.seal();
    await this.flush();
    this.target.end();
    await finished(this.file).catch((e: Error) => {
      throw this.error ?? e;
    });
    if (this.error) throw this.error;
  }
}

/** Rows of one kind, encoded into a Sink. */
export class Table {
  /** The cells of the row being built, in FIELDS order; '' means absent. Reset by end(). */
  readonly cells: string[];
  rows = 0;
  private readonly fields: readonly string[];
  private readonly types: readonly FieldType[];
  private readonly keys: string[];

  constructor(
    readonly kind: Kind,
    readonly format: WorldFormat,
    readonly sink: Sink,
  ) {
    this.fields = FIELDS[kind];
    this.types = TYPES[kind];
    this.cells = this.fields.map(() => '');
    this.keys = this.fields.map((f) => `"${f}":`);
    if (format === 'csv') sink.add(this.fields.join(',') + '\n');
  }

  /** Encodes the current cells as one row and clears them; returns true when the sink wants a flush. */
  end(): boolean {
    const c = this.cells;
    const n = c.length;
    let line: string;
    if (this.format === 'csv') {
      line = this.types[0] === 'text' ? csvField(c[0]!) : c[0]!;
      for (let i = 1; i < n; i++) line += ',' + (this.types[i] === 'text' ? csvField(c[i]!) : c[i]!);
    } else {
      line = '{';
      let first = true;
      for (let i = 0; i < n; i++) {
        const v = c[i]!;
        if (v === '') continue;
        const t = this.types[i];
        line += (first ? '' : ',') + this.keys[i] + (t === 'num' || t === 'bool' ? v : t === 'id' ? '"' + v + '"' : JSON.stringify(v));
        first = false;
      }
      line += '}';
    }
    for (let i = 0; i < n; i++) c[i] = '';
    this.rows++;
    return this.sink.add(line + '\n');
  }

  /** Flushes the underlying sink. */
  flush(): Promise<void> {
    return this.sink.flush();
  }
}

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_CACHE = new Map<number, string>();

/** Formats epoch ms as `YYYY-MM-DDTHH:MM:SS.mmmZ` (same as Date#toISOString, for years 1970–9999, faster). */
export function iso(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / MS_PER_DAY);
  let date = DAY_CACHE.get(day);
  if (date === undefined) {
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    DAY_CACHE.set(day, date);
  }
  let r = t - day * MS_PER_DAY;
  const h = Math.floor(r / MS_PER_HOUR);
  r -= h * MS_PER_HOUR;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return date + PAD2[h] + ':' + PAD2[m] + ':' + PAD2[s] + '.' + PAD3[r - s * 1000] + 'Z';
}

/** Formats epoch ms as a UTC date `YYYY-MM-DD`. */
export function isoDate(ms: number): string {
  return iso(ms).slice(0, 10);
}
