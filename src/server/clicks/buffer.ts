/**
 * The click buffer: the redirect pushes a record and returns. A flush appends everything buffered to the click
 * journal (store/click-journal.ts) and fdatasyncs it, at most `groupCommitMs` after the first buffered click or as
 * soon as `batchRows` are waiting. A merge moves the journal into `clicks` (whose primary-key index makes inserts
 * costly, so it is kept out of busy periods): before every read through the server, at stop, once the
 * redirect has been quiet for `mergeIdleMs`, and whenever the journal holds `mergeRows` clicks.
 *
 * Merges run on their own connection, so conversions (and every other write) never queue behind one. Until its
 * merge, a click's link is known from memory (`linkOf`), so a conversion that follows a click at once is attributed.
 *
 * A crash loses at most the clicks accepted in the last groupCommitMs plus those of the one batch being written.
 * Journaled but unmerged clicks are merged when the store is next opened.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mergeClickSegments, type ClickJournal, type ClickRecord } from '../../store/click-journal.js';

/** When the journal is merged into `clicks` besides reads and stop. */
export interface MergePolicy {
  /** Merge once no click has arrived for this long (ms). */
  mergeIdleMs: number;
  /** Merge whenever the journal holds this many clicks. */
  mergeRows: number;
}

export const MERGE_DEFAULTS: MergePolicy = { mergeIdleMs: 1_000, mergeRows: 262_144 };

/**
 * Click id → link id of the clicks accepted since a merge. The redirect only appends to two arrays (a Map insert per
 * click cost the event loop ≈ 1.8 µs under load: rehashing and cache misses in a map of 100,000s of ids); the map is
 * built from them only when a conversion asks for an id.
 */
class ClickLinks {
  private ids: string[] = [];
  private links: string[] = [];
  private index = new Map<string, string>();
  private indexed = 0;

  add(id: string, link: string): void {
    this.ids.push(id);
    this.links.push(link);
  }

  get(id: string): string | undefined {
    const known = this.index.get(id);
    if (known !== undefined || this.indexed === this.ids.length) return known;
    for (; this.indexed < this.ids.length; this.indexed++) this.index.set(this.ids[this.indexed]!, this.links[this.indexed]!);
    return this.index.get(id);
  }

  /** Adds every click of `other`. */
  addAll(other: ClickLinks): void {
    for (let i = 0; i < other.ids.length; i++) this.add(other.ids[i]!, other.links[i]!);
  }
}

/** Buffered, batched click writes. */
export class ClickBuffer {
  private rows: ClickRecord[] = [];
  /** Click id → link id of every click accepted and not yet merged. */
  private unmerged = new ClickLinks();
  /**
   * Clicks handed to merges not committed yet, then those of the last committed merge: a conversion transaction that
   * began just before that commit does not see them in `clicks` yet.
   */
  private handedOver: ClickLinks[] = [];
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
    private readonly journal: ClickJournal,
    private readonly mergeConn: DuckDBConnection,
    private readonly groupCommitMs: number,
    private readonly batchRows: number,
    private readonly onError: (e: unknown) => void = () => undefined,
    private readonly policy: MergePolicy = MERGE_DEFAULTS,
  ) {}

  /** Buffers one click (never waits). */
  push(click: ClickRecord): void {
    this.rows.push(click);
    this.unmerged.add(click.id, click.link_id);
    this.lastPush = Date.now();
    if (this.rows.length >= this.batchRows) void this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(() => void this.flush(), this.groupCommitMs);
  }

  /** Clicks waiting in memory. */
  get pending(): number {
    return this.rows.length;
  }

  /** The link of an accepted click not yet (or only just) merged into `clicks`; undefined for any other id. */
  linkOf(clickId: string): string | undefined {
    const link = this.unmerged.get(clickId);
    if (link !== undefined) return link;
    for (let i = this.handedOver.length - 1; i >= 0; i--) {
      const l = this.handedOver[i]!.get(clickId);
      if (l !== undefined) return l;
    }
    return undefined;
  }

  /** Appends everything buffered so far to the journal; resolves when it (and every earlier batch) is on disk. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.rows.length === 0) return this.inflight;
    const batch = this.rows;
    this.rows = [];
    const run = this.journal.append(batch).then(() => {
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

  /** Moves the journal (as appended so far) into `clicks`; resolves once committed. */
  merge(): Promise<void> {
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    this.logged = 0;
    // Everything accepted so far goes into the journal first, so the clicks handed over below are all in it.
    if (this.rows.length > 0) void this.flush();
    const merged = this.unmerged;
    this.unmerged = new ClickLinks();
    this.handedOver.push(merged);
    this.merging = this.merging
      .then(() => this.journal.seal())
      .then((segments) => mergeClickSegments(this.mergeConn, segments))
      .then(
        () => {
          this.handedOver = this.handedOver.slice(this.handedOver.indexOf(merged));
        },
        (e) => {
          // Not merged: keep answering for these clicks (the segments stay on disk for the next merge).
          this.handedOver = this.handedOver.filter((h) => h !== merged);
          merged.addAll(this.unmerged);
          this.unmerged = merged;
          this.fail(e);
        },
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

  /** Settles, then closes the journal and the merge connection. */
  async close(): Promise<void> {
    await this.settle();
    await this.journal.close();
    this.mergeConn.closeSync();
  }
}
