/**
 * The per-account proxies of influence that outcome influence is compared with — reach (followers), engagement
 * received per post (Cha et al. 2010), PageRank on the follow graph, click-attributed outcomes per post. Pure: reads
 * the last-touch report, the follow graph and the received counts it is given. Shared by `clout influence` and
 * `clout report`.
 */
import { pagerank, type Graph, type ReceivedCounts } from '../analysis/network/index.js';
import type { AccountReport } from './credit-report.js';

/** Per-account proxies, by account id. */
export interface AccountProxies {
  handle: string | null;
  followers: number;
  /** Reposts, quotes and mentions received per post (Cha et al. 2010). */
  engagement_per_post: number;
  pagerank: number;
  /** Click-attributed (last-touch) conversions per post. */
  attributed_per_post: number;
}

/** Builds the proxies of every account of the report, by account id. */
export function buildAccountProxies(
  accounts: readonly AccountReport[],
  follows: Graph,
  received: ReadonlyMap<string, ReceivedCounts>,
): Map<string, AccountProxies> {
  const pr = pagerank(follows);
  const proxies = new Map<string, AccountProxies>();
  for (const a of accounts) {
    const r = received.get(a.id);
    const ix = follows.index.get(a.id);
    proxies.set(a.id, {
      handle: a.handle,
      followers: a.followers,
      engagement_per_post: r && r.posts > 0 ? (r.reposts + r.quotes + r.mentions) / r.posts : 0,
      pagerank: ix === undefined ? 0 : pr.rank[ix]!,
      attributed_per_post: a.conversions_per_post,
    });
  }
  return proxies;
}
