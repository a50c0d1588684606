/**
 * What a fetch has done, kept in `fetch-state.json` in its output folder so an interrupted or bounded run picks up
 * where it stopped: per paginated list ("stream": an account's feed, one post's likes, its followers…) the cursor of
 * the next page, pages and items fetched and whether the list is complete; per account the posts whose likes and
 * reposts are to be fetched; and small lookups a connector wants to keep (Mastodon's local status ids → URIs).
 * The file is rewritten atomically after every page, after that page's records were appended.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloutError } from '../domain/index.js';

/** One paginated list's progress. */
export interface StreamState {
  /** The cursor (Bluesky) or next-page URL (Mastodon) of the next page; absent before the first page and at the end. */
  cursor?: string;
  pages: number;
  items: number;
  /** True when the service said there is nothing after the last page fetched. */
  complete: boolean;
}

/** A post of a fetched account whose likes and reposts are fetched: its id, the service's handle on it, counters. */
export interface TargetPost {
  /** The interchange post id (AT-URI, status URI). */
  id: string;
  /** What the service needs to name it (Bluesky: the AT-URI; Mastodon: the local status id). */
  ref: string;
  author_id: string;
  created_at: string;
  likes: number;
  reposts: number;
}

interface StateFile {
  version: 1;
  platform: string;
  service: string;
  streams: Record<string, StreamState>;
  targets: Record<string, TargetPost[]>;
  lookups: Record<string, string>;
}

/** The name of the state file in an output folder. */
export const STATE_FILE = 'fetch-state.json';

/** The resumable state of one output folder. */
export class FetchState {
  private readonly path: string;
  private readonly data: StateFile;

  private constructor(path: string, data: StateFile) {
    this.path = path;
    this.data = data;
  }

  /** Reads the folder's state (or starts one); a folder fetched from another platform or service is a usage error. */
  static open(dir: string, platform: string, service: string): FetchState {
    const path = join(dir, STATE_FILE);
    if (!existsSync(path)) return new FetchState(path, { version: 1, platform, service, streams: {}, targets: {}, lookups: {} });
    let data: StateFile;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
    } catch {
      throw new CloutError('input', `cannot read ${path}: not a fetch state file; remove it to start the fetch over`);
    }
    if (data.platform !== platform || data.service !== service) {
      throw new CloutError(
        'usage',
        `${dir} holds a ${data.platform} fetch from ${data.service}; give another --out for a ${platform} fetch from ${service}`,
      );
    }
    return new FetchState(path, { ...data, streams: data.streams ?? {}, targets: data.targets ?? {}, lookups: data.lookups ?? {} });
  }

  /** A stream's progress (a fresh one when never started). */
  stream(key: string): StreamState {
    return this.data.streams[key] ?? { pages: 0, items: 0, complete: false };
  }

  /** Records a stream's progress (saved by `save`). */
  setStream(key: string, s: StreamState): void {
    this.data.streams[key] = s;
  }

  /** Every stream's key and progress. */
  streams(): [string, StreamState][] {
    return Object.entries(this.data.streams);
  }

  /** The posts of `accountId` whose engagement is fetched. */
  targets(accountId: string): TargetPost[] {
    return this.data.targets[accountId] ?? [];
  }

  /** Adds posts of `accountId` to those whose engagement is fetched (each post once). */
  addTargets(accountId: string, posts: readonly TargetPost[]): void {
    const list = (this.data.targets[accountId] ??= []);
    const known = new Set(list.map((p) => p.id));
    for (const p of posts) if (!known.has(p.id)) {
      list.push(p);
      known.add(p.id);
    }
  }

  /** A value a connector kept under `key`, or undefined. */
  lookup(key: string): string | undefined {
    return this.data.lookups[key];
  }

  /** Keeps a value under `key` (saved by `save`). */
  setLookup(key: string, value: string): void {
    this.data.lookups[key] = value;
  }

  /** Writes the state file atomically. */
  save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 1) + '\n');
    renameSync(tmp, this.path);
  }
}

/** One page of a list: its items and the cursor or URL of the next page (absent at the end). */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/** How far a stream goes in one run: pages per run, and items in all (across runs) when bounded. */
export interface StreamBounds {
  maxPages: number;
  maxItems?: number;
}

/**
 * Fetches a stream's next pages from where its state stopped: at most `maxPages` pages this run and `maxItems` items in
 * all; each page's items go to `onPage` (which appends them) before the state is saved. Returns the stream's state.
 */
export async function runStream<T>(
  state: FetchState,
  key: string,
  bounds: StreamBounds,
  fetchPage: (cursor: string | undefined, limit: number | undefined) => Promise<Page<T>>,
  onPage: (items: T[]) => void | Promise<void>,
): Promise<StreamState> {
  let s = state.stream(key);
  let pages = 0;
  while (!s.complete && pages < bounds.maxPages && (bounds.maxItems === undefined || s.items < bounds.maxItems)) {
    const room = bounds.maxItems === undefined ? undefined : bounds.maxItems - s.items;
    const page = await fetchPage(s.cursor, room);
    const items = room === undefined ? page.items : page.items.slice(0, room);
    await onPage(items);
    s = {
      ...(page.next !== undefined ? { cursor: page.next } : {}),
      pages: s.pages + 1,
      items: s.items + items.length,
      complete: page.next === undefined || page.items.length === 0,
    };
    state.setStream(key, s);
    state.save();
    pages++;
  }
  return s;
}
