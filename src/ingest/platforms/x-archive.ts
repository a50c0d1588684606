/**
 * The X/Twitter archive importer ("Download an archive of your data"): account.js, tweets.js (older: tweet.js) and
 * its tweets-partN.js, follower.js, following.js and like.js, recognised by their `window.YTD.<name>.partN = [`
 * content and streamed element by element (src/ingest/json-array.ts). account.js is read first: every other
 * record belongs to its owner. Other YTD files (direct messages, ads, …) are not claimed. See docs/importers/x-archive.md.
 */
import type { Kind } from '../../domain/index.js';
import { readJsonArray } from '../json-array.js';
import type { Emitted, PlatformImporter, SourceEntry } from './types.js';
import { mapAccount, mapFollow, mapLike } from './x/people.js';
import { mapTweet, type Owner, type TweetContext } from './x/tweet.js';
import { isReadYtd, readingOrder, ytdHeader, YTD_KINDS, type YtdHeader } from './x/ytd.js';

/** The field each kind's records lack when the archive has no owner. */
const OWNER_FIELD: Readonly<Partial<Record<Kind, string>>> = { posts: 'author_id', follows: 'follower_id', interactions: 'actor_id' };
const NO_OWNER = 'the archive has no account.js with an accountId: the owner of this record is unknown';

/** The X/Twitter archive importer. */
export const xArchiveImporter: PlatformImporter = {
  id: 'x-archive',
  label: 'X/Twitter archive',

  async claim(entries: readonly SourceEntry[]): Promise<SourceEntry[]> {
    const claimed: SourceEntry[] = [];
    for (const entry of entries) {
      const header = await ytdHeader(entry);
      if (header !== undefined && isReadYtd(header.name)) claimed.push(entry);
    }
    return claimed;
  },

  async *read(entries: readonly SourceEntry[]): AsyncGenerator<Emitted[]> {
    const files: { entry: SourceEntry; header: YtdHeader }[] = [];
    for (const entry of entries) {
      const header = await ytdHeader(entry);
      if (header !== undefined && isReadYtd(header.name)) files.push({ entry, header });
    }
    let owner: Owner | undefined;
    let tweets: TweetContext | undefined; // set with the owner
    for (const { entry, header } of readingOrder(files)) {
      const kind = YTD_KINDS[header.name]!;
      const file = entry.path;
      for await (const items of readJsonArray(entry.open())) {
        const out: Emitted[] = [];
        for (const item of items) {
          if (item.problem !== undefined) {
            out.push({ type: 'reject', kind, origin: { file, line: item.line }, field: '', reason: item.problem, raw: item.text });
            continue;
          }
          if (header.name === 'account') {
            const named = mapAccount(item.value, item.text, file, item.line, out);
            if (owner === undefined && named !== undefined) {
              owner = named;
              tweets = { owner, accountsSeen: new Set([owner.id]), stubsSeen: new Set() };
            }
            continue;
          }
          if (owner === undefined || tweets === undefined) {
            out.push({ type: 'reject', kind, origin: { file, line: item.line }, field: OWNER_FIELD[kind]!, reason: NO_OWNER, raw: item.text });
            continue;
          }
          switch (header.name) {
            case 'tweets':
            case 'tweet':
              mapTweet(item.value, item.text, file, item.line, tweets, out);
              break;
            case 'follower':
              mapFollow(item.value, item.text, file, item.line, tweets, false, out);
              break;
            case 'following':
              mapFollow(item.value, item.text, file, item.line, tweets, true, out);
              break;
            case 'like':
              mapLike(item.value, item.text, file, item.line, owner, out);
              break;
          }
        }
        if (out.length > 0) yield out;
      }
    }
  },
};
