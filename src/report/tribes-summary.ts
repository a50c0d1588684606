/**
 * Tribes and their conversion: the Leiden communities of the social graph (found by the network engine's
 * `findTribes`, exactly as `clout network tribes` finds them), each summed over its members — who posts, the human
 * clicks on their links, the conversions credited to them by last touch, and the outcomes their posts caused
 * according to the outcome model. Pure.
 */
import type { TribesResult } from '../analysis/network/index.js';
import type { AccountReport } from './credit-report.js';

/** One tribe's line of the report. */
export interface TribeSummary {
  /** Community id from Leiden (stable for a given store and seed). */
  id: number;
  /** Accounts in the community. */
  members: number;
  /** Members that authored at least one post. */
  posting_members: number;
  /** Up to `coreMembers` of the members that carry half of the tribe's internal engagement weight (strongest first). */
  core_members: string[];
  /** Posts by members. */
  posts: number;
  /** Human clicks on members' links. */
  clicks: number;
  /** Conversions credited to members by last touch (the report's outcome types). */
  conversions: number;
  /** Their value in the report currency (major units). */
  value: number;
  /** conversions / clicks; null without clicks. */
  conversion_rate: number | null;
  /** Outcomes caused by members' posts: the sum of the posts' posterior mean incremental outcomes; null without the model. */
  caused: number | null;
  /** Members' posts the model covered (0 without the model). */
  modeled_posts: number;
}

/** Options of summarizeTribes. */
export interface TribeSummaryOptions {
  /** Core members listed per tribe (default 5). */
  coreMembers?: number;
}

/**
 * Sums every community that has at least one posting member. `posts` are the model's per-post answers (null when the
 * model did not run). Ordered by caused outcomes, then credited conversions, then size, then id.
 */
export function summarizeTribes(
  tribes: TribesResult,
  accounts: readonly AccountReport[],
  posts: readonly { author_id: string; incremental: { mean: number } }[] | null,
  options: TribeSummaryOptions = {},
): TribeSummary[] {
  const coreMembers = options.coreMembers ?? 5;
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const caused = new Map<string, { sum: number; n: number }>();
  for (const p of posts ?? []) {
    const c = caused.get(p.author_id) ?? { sum: 0, n: 0 };
    c.sum += p.incremental.mean;
    c.n++;
    caused.set(p.author_id, c);
  }
  const out: TribeSummary[] = [];
  for (const t of tribes.communities) {
    let posting = 0, nPosts = 0, clicks = 0, conversions = 0, value = 0, causedSum = 0, modeled = 0;
    for (const id of t.members) {
      const a = byId.get(id);
      if (a === undefined) continue; // only posting accounts are in the report
      posting++;
      nPosts += a.posts;
      clicks += a.clicks;
      conversions += a.conversions;
      value += a.value;
      const c = caused.get(id);
      if (c !== undefined) (causedSum += c.sum), (modeled += c.n);
    }
    if (posting === 0) continue;
    out.push({
      id: t.id,
      members: t.size,
      posting_members: posting,
      core_members: t.core_members.slice(0, coreMembers),
      posts: nPosts,
      clicks,
      conversions,
      value: Math.round(value * 1e6) / 1e6, // (a sum of money in major units: no float dust)
      conversion_rate: clicks > 0 ? conversions / clicks : null,
      caused: posts === null ? null : causedSum,
      modeled_posts: modeled,
    });
  }
  return out.sort(
    (x, y) => (y.caused ?? 0) - (x.caused ?? 0) || y.conversions - x.conversions || y.members - x.members || x.id - y.id,
  );
}
