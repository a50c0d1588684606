/**
 * The rejects file: one JSON object per rejected row, `{file, line, kind, field, reason, raw}`, appended.
 * It is created on the first reject only, so a clean import leaves no file behind.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RejectRecord } from './types.js';

/** Buffered text is written out once it reaches this many characters. */
const FLUSH_CHARS = 1 << 20;

/** The default rejects file of a run: `<store dir>/<store name>.rejects/<run id>.rejects.ndjson`. */
export function defaultRejectsPath(storePath: string, runId: string): string {
  const inMemory = storePath === '' || storePath === ':memory:' || storePath.startsWith(':memory:');
  const dir = inMemory ? '.' : dirname(storePath);
  const name = inMemory ? 'clout' : basename(storePath).replace(/\.duckdb$/i, '') || 'clout';
  return join(dir, `${name}.rejects`, `${runId}.rejects.ndjson`);
}

/** Collects rejected rows and appends them to the rejects file. */
export class RejectSink {
  private buffer = '';
  private count = 0;
  private created = false;

  constructor(readonly path: string) {}

  /** Rows rejected so far. */
  get rejected(): number {
    return this.count;
  }

  /** Adds one rejected row. */
  add(record: RejectRecord): void {
    this.buffer += JSON.stringify(record) + '\n';
    this.count++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Writes buffered rows to the file. */
  flush(): void {
    if (this.buffer.length === 0) return;
    if (!this.created) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.created = true;
    }
    appendFileSync(this.path, this.buffer);
    this.buffer = '';
  }
}
