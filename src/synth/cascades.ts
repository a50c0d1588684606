/**
 * Interactions grown as independent cascades (Kempe, Kleinberg, Tardos 2003): a post's author is active; each newly
 * active account u gets one chance to activate each follower v with the planted edge probability p(u→v), and an
 * activation is a repost (or quote). Exposed followers who do not adopt sometimes like, reply or mention the author.
 * Each cascade is bounded (maxAdopters) and clipped at the end of the world; nothing per row is kept in memory.
 */
import type { Rng } from '../domain/index.js';
import { accountId, type Accounts } from './accounts.js';
import type { FollowerGraph } from './graph.js';
import type { WorldParams } from './params.js';
import { postId, type Posts } from './posts.js';
import { iso, type Table } from './writers.js';
import { MS_PER_HOUR } from '../domain/index.js';

/** Counts of the interactions written. */
export interface CascadeStats {
  reposts: number;
  quotes: number;
  likes: number;
  replies: number;
  mentions: number;
  largest: number;
}

/** An organic repost, quote or mention by the celebrity (account 0): the account it points at and when. */
export interface CelebrityTouch {
  target: number;
  at: number;
}

/**
 * Runs one cascade per post, writing interactions and filling posts.reshareFollowers; the celebrity's own reposts,
 * quotes and mentions (shout-outs that carry no planted effect) are pushed onto `celebrityTouches`.
 */
export async function runCascades(
  p: WorldParams,
  acc: Accounts,
  graph: FollowerGraph,
  posts: Posts,
  rng: Rng,
  out: Table,
  endMs: number,
  celebrityTouches: CelebrityTouch[] = [],
): Promise<CascadeStats> {
  const c = p.cascade;
  const hopRate = 1 / (c.hopDelayHours * MS_PER_HOUR);
  const likeCut = c.like, replyCut = c.like + c.reply, mentionCut = c.like + c.reply + c.mention;
  const adopted = new Int32Array(acc.n);
  const exposed = new Int32Array(acc.n);
  const queue = new Int32Array(c.maxAdopters + 1);
  const qtime = new Float64Array(c.maxAdopters + 1);
  const { off, followers: fol, p: prob } = graph;
  const stats: CascadeStats = { reposts: 0, quotes: 0, likes: 0, replies: 0, mentions: 0, largest: 0 };
  const cells = out.cells;
  let ix = 0;

  for (let i = 0; i < posts.n; i++) {
    const stamp = i + 1;
    const a = posts.author[i]!;
    const pid = postId(i);
    adopted[a] = stamp;
    exposed[a] = stamp;
    queue[0] = a;
    qtime[0] = posts.time[i]!;
    let head = 0, tail = 1, reshare = 0;
    while (head < tail) {
      const u = queue[head]!;
      const tu = qtime[head]!;
      head++;
      for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
        const v = fol[e]!;
        if (adopted[v] === stamp) continue;
        if (tail <= c.maxAdopters && rng.uniform() < prob[e]!) {
          const t = tu + rng.exponential(hopRate);
          if (t >= endMs) continue;
          adopted[v] = stamp;
          exposed[v] = stamp;
          queue[tail] = v;
          qtime[tail] = t;
          tail++;
          reshare += acc.followers[v]!;
          const quote = rng.uniform() < c.quoteShare;
          if (quote) stats.quotes++;
          else stats.reposts++;
          cells[0] = 'i' + ix++;
          cells[1] = quote ? 'quote' : 'repost';
          cells[2] = accountId(v);
          cells[3] = pid;
          cells[5] = iso(t);
          if (v === 0) celebrityTouches.push({ target: a, at: t });
          if (out.end()) await out.flush();
        } else if (exposed[v] !== stamp) {
          exposed[v] = stamp;
          const r = rng.uniform();
          if (r >= mentionCut) continue;
          const t = tu + rng.exponential(hopRate);
          if (t >= endMs) continue;
          cells[0] = 'i' + ix++;
          cells[2] = accountId(v);
          cells[5] = iso(t);
          if (r < likeCut) {
            cells[1] = 'like';
            cells[3] = pid;
            stats.likes++;
          } else if (r < replyCut) {
            cells[1] = 'reply';
            cells[3] = pid;
            stats.replies++;
          } else {
            cells[1] = 'mention';
            cells[4] = accountId(a);
            stats.mentions++;
            if (v === 0) celebrityTouches.push({ target: a, at: t });
          }
          if (out.end()) await out.flush();
        }
      }
    }
    posts.reshareFollowers[i] = reshare;
    if (tail - 1 > stats.largest) stats.largest = tail - 1;
  }
  return stats;
}
