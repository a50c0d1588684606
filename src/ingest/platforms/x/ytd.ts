/** The files of an X archive, recognised by content: `window.YTD.<name>.part<N> = [`. */
import type { Kind } from '../../../domain/index.js';
import type { SourceEntry } from '../types.js';

/** The YTD files this importer reads, and the kind each one's records become. */
export const YTD_KINDS: Readonly<Record<string, Kind>> = {
  account: 'accounts',
  tweets: 'posts',
  tweet: 'posts',
  follower: 'follows',
  following: 'follows',
  like: 'interactions',
};

/** Order in which the files are read: the owner's account first (everything else needs its id). */
const RANK: Readonly<Record<string, number>> = { account: 0, tweets: 1, tweet: 1, follower: 2, following: 3, like: 4 };

const HEAD = /^\uFEFF?\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*\[/;

/** An archive file's YTD name and part, read from its first bytes. */
export interface YtdHeader {
  name: string;
  part: number;
}

/** The YTD name and part of an entry, or undefined when it is not an archive data file. */
export async function ytdHeader(entry: SourceEntry): Promise<YtdHeader | undefined> {
  const head = (await entry.head(256)).toString('utf8');
  const m = HEAD.exec(head);
  return m === null ? undefined : { name: m[1]!, part: Number(m[2]) };
}

/** True when this importer reads the YTD file of that name. */
export function isReadYtd(name: string): boolean {
  return Object.hasOwn(YTD_KINDS, name);
}

/** Entries with their headers in reading order: account, tweets, follower, following, like; then part, then name. */
export function readingOrder<T extends { header: YtdHeader; entry: SourceEntry }>(files: T[]): T[] {
  return [...files].sort(
    (a, b) =>
      RANK[a.header.name]! - RANK[b.header.name]! ||
      a.header.part - b.header.part ||
      (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0),
  );
}
