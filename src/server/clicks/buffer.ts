/**
 * The click buffer: the redirect pushes a record and returns. A flush appends everything buffered to the store's
 * click log in one committed batch, at most `groupCommitMs` after the first buffered click or as soon as
 * `batchRows` are waiting. A merge moves the log into `clicks` (whose primary-key index makes inserts costly, so
 * it is kept out of busy periods): before every read through the server, at stop and start, once the redirect has
 * been quiet for `mergeIdleMs`, and whenever the log holds `mergeRows` rows.
 *
 * Merges run on their own connection, so click batches (and every other write) never queue behind one.
 *
 * A crash loses at most the clicks accepted in the last groupCommitMs plus those of the one batch being appended —
 * and, while the writer connection is busy with something longer (an import through the server), the batches
 * queued behind it. Logged but unmerged clicks are merged when the server next starts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { appendClickLog, mergeClickLog, type ClickRecord } from '../../store/server-clicks.js';
import type { DbQueue } from '../db-queue.js';

/** When the log is merged into `clicks` besides reads, stop and start. */
export interface MergePolicy {
  /** Merge once no click has arrived for this long (ms). */
  mergeIdleMs: number;
  /** Merge whenever the log holds this many rows. */
  mergeRows: number;
}

export const MERGE_DEFAULTS: MergePolicy = { mergeIdleMs: 1_000, mergeRows: 262_144 };

/** Buffered, batched click writes. */
export class ClickBuffer {
  private rows: ClickRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private merging: Promise<void> = Promise.resolve();
  private lastPush = 0;
  private logged = 0;
  /** Clicks appended to the log so far. */
  written = 0;
  /** Batch appends and merges that failed (each reported through onError). */
  failures = 0;

  /** `mergeConn`: a connection of the same store used only for merges (one at a time). */
  constructor(
    private readonly db: DbQueue,
    private readonly mergeConn: DuckDBConnection,
    private readonly groupCommitMs: number,
    private readonly batchRows: number,
    private readonly onError: (e: unknown) => void = () => undefined,
    private readonly policy: MergePolicy = MERGE_DEFAULTS,
  ) {}

  /** Buffers one click (never waits). */
  push(click: ClickRecord): void {
    this.rows.push(click);
    this.lastPush = Date.now();
    if (this.rows.length >= this.batchRows) void this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(() => void this.flush(), this.groupCommitMs);
  }

  /** Clicks waiting in memory. */
  get pending(): number {
    return this.rows.length;
  }

  /** Appends everything buffered so far to the click log; resolves when it (and every earlier batch) is committed. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.rows.length === 0) return this.inflight;
    const batch = this.rows;
    this.rows = [];
    const run = this.db.write(async (conn) => {
      await appendClickLog(conn, batch);
      this.written += batch.length;
    });
    this.inflight = run.catch((e) => this.fail(e));
    this.logged += batch.length;
    if (this.logged >= this.policy.mergeRows) void this.merge();
    else this.armIdleMerge();
    return this.inflight;
  }

  private armIdleMerge(): void {
    if (this.idleTimer !== undefined) return;
    const check = (): void => {
      this.idleTimer = undefined;
      const quiet = Date.now() - this.lastPush;
      if (quiet >= this.policy.mergeIdleMs) void this.merge();
      else this.idleTimer = setTimeout(check, this.policy.mergeIdleMs - quiet);
    };
    this.idleTimer = setTimeout(check, this.policy.mergeIdleMs);
  }

  /** Moves the click log (as committed so far) into `clicks`; resolves once committed. */
  merge(): Promise<void> {
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    this.logged = 0;
    this.merging = this.merging.then(() => mergeClickLog(this.mergeConn)).then(
      () => undefined,
      (e) => this.fail(e),
    );
    return this.merging;
  }

  private fail(e: unknown): void {
    this.failures++;
    this.onError(e);
  }

  /** Flushes the buffer and merges the log: afterwards every accepted click is in `clicks`. */
  async settle(): Promise<void> {
    await this.flush();
    await this.merge();
  }

  /** Settles, then closes the merge connection. */
  async close(): Promise<void> {
    await this.settle();
    this.mergeConn.closeSync();
  }
}
