/**
 * Per-account measures of reach and attention: followers and following (degrees of the follow graph, beside the
 * counts the platform reported), PageRank on the follow graph, core number, and — after Cha, Haddadi, Benevenuto,
 * Gummadi 2010 ("Measuring user influence in Twitter: the million follower fallacy") — reposts, mentions and replies
 * received per post, plus an engagement rate: interactions received per post per follower.
 * These are the comparison scores clout keeps to show where reach misleads; none of them is an outcome.
 */
import type { Graph } from './graph.js';
import { inDegrees, outDegrees } from './graph.js';
import { coreNumbers } from './kcore.js';
import { pagerank, type PageRankOptions } from './pagerank.js';

/**
 * Weights of interaction types on the interaction graph: sharing (repost, quote) carries most, then conversation
 * (reply, mention), then a like; views are not edges.
 */
export const INTERACTION_WEIGHTS = { repost: 3, quote: 3, reply: 2, mention: 2, like: 1 } as const;

/** Counts received by one account (from the store or elsewhere), keyed by account id. */
export interface ReceivedCounts {
  reported_followers: number | null;
  reported_following: number | null;
  posts: number;
  reposts: number;
  quotes: number;
  replies: number;
  likes: number;
  mentions: number;
}

/** The measures of one account (JSON shape of `clout network metrics`). */
export interface AccountMeasures {
  id: string;
  /** In-degree on the follow graph (followers seen in the data). */
  followers: number;
  /** Out-degree on the follow graph. */
  following: number;
  /** Followers the platform reported for the account, when present. */
  reported_followers: number | null;
  pagerank: number;
  /** Rank by PageRank, 1 = highest (ties broken by node order). */
  pagerank_rank: number;
  core: number;
  posts: number;
  /** Reposts + quotes received per post (null without posts). */
  reposts_per_post: number | null;
  mentions_per_post: number | null;
  replies_per_post: number | null;
  /** (Reposts + quotes + replies + mentions + likes received) / posts / followers; null without posts or followers. */
  engagement_rate: number | null;
}

/** Options of accountMeasures. */
export interface MeasureOptions {
  pagerank?: PageRankOptions;
}

/** Measures of every node of the follow graph (follower → followee), joined with received counts where known. */
export function accountMeasures(follows: Graph, counts: ReadonlyMap<string, ReceivedCounts> = new Map(), options: MeasureOptions = {}): {
  accounts: AccountMeasures[];
  pagerank: { iterations: number; converged: boolean };
} {
  const pr = pagerank(follows, options.pagerank);
  const core = coreNumbers(follows);
  const fin = inDegrees(follows), fout = outDegrees(follows);
  const order = Array.from({ length: follows.n }, (_, i) => i).sort((a, b) => pr.rank[b]! - pr.rank[a]! || a - b);
  const rankOf = new Int32Array(follows.n);
  order.forEach((v, i) => { rankOf[v] = i + 1; });
  const accounts = order.map((v): AccountMeasures => {
    const id = follows.ids[v]!;
    const c = counts.get(id);
    const followers = fin[v]!;
    const posts = c?.posts ?? 0;
    const per = (x: number): number | null => (posts > 0 ? x / posts : null);
    const audience = c?.reported_followers ?? followers;
    const received = c === undefined ? 0 : c.reposts + c.quotes + c.replies + c.mentions + c.likes;
    return {
      id,
      followers,
      following: fout[v]!,
      reported_followers: c?.reported_followers ?? null,
      pagerank: pr.rank[v]!,
      pagerank_rank: rankOf[v]!,
      core: core[v]!,
      posts,
      reposts_per_post: per(c === undefined ? 0 : c.reposts + c.quotes),
      mentions_per_post: per(c?.mentions ?? 0),
      replies_per_post: per(c?.replies ?? 0),
      engagement_rate: posts > 0 && audience > 0 ? received / posts / audience : null,
    };
  });
  return { accounts, pagerank: { iterations: pr.iterations, converged: pr.converged } };
}
