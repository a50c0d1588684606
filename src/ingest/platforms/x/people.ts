/**
 * The owner and their graph in an X archive: account.js → the owner's account; follower.js and following.js →
 * follows; like.js → the owner's likes (dated by the liked tweet's id, as the archive has no time of the like).
 */
import type { Emitted } from '../types.js';
import { snowflakeTime } from './dates.js';
import type { Owner, TweetContext } from './tweet.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const DIGITS = /^\d+$/;
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && DIGITS.test(v) ? v : undefined);

/** Maps one element of account.js; returns the owner it names (undefined when it names none). */
export function mapAccount(element: unknown, raw: string, file: string, line: number, out: Emitted[]): Owner | undefined {
  const account = isObj(element) && isObj(element.account) ? element.account : undefined;
  if (account === undefined) {
    out.push({ type: 'reject', kind: 'accounts', origin: { file, line }, field: 'account', reason: 'expected an object { "account": { … } }', raw });
    return undefined;
  }
  const id = idOf(account.accountId);
  if (id === undefined) {
    const reason = account.accountId === undefined ? 'is required' : `expected a numeric account id, got ${JSON.stringify(account.accountId)}`;
    out.push({ type: 'reject', kind: 'accounts', origin: { file, line }, field: 'accountId', reason, raw });
    return undefined;
  }
  const username = str(account.username);
  out.push({
    type: 'record',
    kind: 'accounts',
    fields: { id, platform: 'x', handle: username, name: str(account.accountDisplayName), created_at: str(account.createdAt) },
    origin: { file, line, record: id },
    raw,
  });
  return { id, username };
}

/**
 * Maps one element of follower.js (`following` false) or following.js (`following` true) to a follow, and the other
 * account, the first time it is seen, to a bare account (id, platform): the archive names it by id only, and an
 * import fills in a stored account rather than erasing it, so the bare record only makes the follow's end known.
 */
export function mapFollow(element: unknown, raw: string, file: string, line: number, ctx: TweetContext, following: boolean, out: Emitted[]): void {
  const owner = ctx.owner;
  const key = following ? 'following' : 'follower';
  const body = isObj(element) && isObj(element[key]) ? element[key] : undefined;
  if (body === undefined) {
    out.push({ type: 'reject', kind: 'follows', origin: { file, line }, field: key, reason: `expected an object { "${key}": { … } }`, raw });
    return;
  }
  const other = idOf(body.accountId);
  if (other === undefined) {
    const reason = body.accountId === undefined ? 'is required' : `expected a numeric account id, got ${JSON.stringify(body.accountId)}`;
    out.push({ type: 'reject', kind: 'follows', origin: { file, line }, field: 'accountId', reason, raw });
    return;
  }
  if (!ctx.accountsSeen.has(other) && !ctx.stubsSeen.has(other)) {
    ctx.stubsSeen.add(other);
    out.push({ type: 'record', kind: 'accounts', fields: { id: other, platform: 'x' }, origin: { file, line, record: other }, raw });
  }
  const fields = following ? { follower_id: owner.id, followee_id: other } : { follower_id: other, followee_id: owner.id };
  out.push({ type: 'record', kind: 'follows', fields, origin: { file, line, record: other }, raw });
}

/** Maps one element of like.js to the owner's like, dated by the liked tweet's id (the archive has no like time). */
export function mapLike(element: unknown, raw: string, file: string, line: number, owner: Owner, out: Emitted[]): void {
  const like = isObj(element) && isObj(element.like) ? element.like : undefined;
  if (like === undefined) {
    out.push({ type: 'reject', kind: 'interactions', origin: { file, line }, field: 'like', reason: 'expected an object { "like": { … } }', raw });
    return;
  }
  const tweetId = idOf(like.tweetId);
  if (tweetId === undefined) {
    const reason = like.tweetId === undefined ? 'is required' : `expected a numeric tweet id, got ${JSON.stringify(like.tweetId)}`;
    out.push({ type: 'reject', kind: 'interactions', origin: { file, line }, field: 'tweetId', reason, raw });
    return;
  }
  const at = snowflakeTime(tweetId);
  if (at === undefined) {
    const reason = 'the liked tweet is older than X ids that carry a time (2010-11-04) and the archive gives no time for the like';
    out.push({ type: 'reject', kind: 'interactions', origin: { file, line, record: tweetId }, field: 'tweetId', reason, raw });
    return;
  }
  out.push({
    type: 'record',
    kind: 'interactions',
    fields: { type: 'like', actor_id: owner.id, post_id: tweetId, created_at: at },
    origin: { file, line, record: tweetId },
    raw,
  });
}
