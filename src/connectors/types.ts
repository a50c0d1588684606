/** What a connector run is given (the HTTP client, the output folder, its state, the bounds) and what it returns. */
import type { HttpClient } from './http.js';
import { FETCH_KINDS, type FetchKind, type NdjsonOutput, type OutRecord } from './output.js';
import type { FetchState } from './state.js';

/** How much a connector fetches. */
export interface ConnectorLimits {
  /** Feed items (posts and reposts) per account, across runs. */
  maxPosts: number;
  /** Pages per list per run (a list stopped by this bound goes on at the next run). */
  maxPages: number;
  /** Fetch who liked and reposted each post. */
  engagement: boolean;
  /** Fetch followers and follows. */
  graph: boolean;
}

/** One connector run. */
export interface ConnectorRun {
  http: HttpClient;
  out: NdjsonOutput;
  state: FetchState;
  limits: ConnectorLimits;
  /** A progress line (the CLI shows them on stderr). */
  log: (line: string) => void;
}

/** An account a connector fetched: as asked on the command line, and its interchange id. */
export interface FetchedAccount {
  asked: string;
  id: string;
  handle: string;
}

/** Records of several kinds from one API item, written together. */
export type RecordBatch = { [K in FetchKind]?: OutRecord[] };

/** Writes a batch of records of several kinds (accounts first, as the import loads them). */
export function writeBatch(out: NdjsonOutput, batch: RecordBatch): void {
  for (const kind of FETCH_KINDS) {
    const records = batch[kind];
    if (records !== undefined && records.length > 0) out.write(kind, records);
  }
}

/** Merges batches into one. */
export function mergeBatches(batches: readonly RecordBatch[]): RecordBatch {
  const merged: RecordBatch = {};
  for (const b of batches) {
    for (const [kind, records] of Object.entries(b) as [FetchKind, OutRecord[]][]) (merged[kind] ??= []).push(...records);
  }
  return merged;
}

/** The link records of a post: `<post id>#<n>` for the n-th distinct http(s) URL. */
export function linkRecords(postId: string, authorId: string, createdAt: string, urls: readonly string[]): OutRecord[] {
  return urls.map((url, i) => ({ id: `${postId}#${i + 1}`, url, post_id: postId, author_id: authorId, created_at: createdAt }));
}
