/**
 * truth.json: every planted parameter and every planted per-account, per-post and per-edge quantity, streamed in
 * chunks (edges can number 10M). Small sections first, then `accounts`, `posts` and `edges`.
 */
import { accountId, ROLE, TRIBE_KIND, type Accounts } from './accounts.js';
import type { CampaignTruth } from './campaign.js';
import type { SalesLedger } from './conversions.js';
import type { ShoutoutTruth } from './shoutouts.js';
import type { FollowerGraph } from './graph.js';
import type { Baseline, Charity } from './metrics.js';
import { FRAMINGS, type Size, type WorldParams } from './params.js';
import { postId, TOPIC_NAMES, type Posts } from './posts.js';
import { accountHandle } from './text.js';
import { isoDate, type Sink } from './writers.js';
import { MS_PER_DAY } from '../domain/index.js';

const ROLE_NAMES = ['regular', 'celebrity', 'loyal'] as const;
const TRIBE_NAMES = ['celebrity', 'loyal', 'general'] as const;

/** Everything truth.json needs besides the typed arrays. */
export interface TruthInput {
  seed: number;
  size: Size;
  params: WorldParams;
  startMs: number;
  acc: Accounts;
  graph: FollowerGraph;
  posts: Posts;
  base: Baseline;
  sales: SalesLedger;
  campaign: CampaignTruth;
  charity: Charity;
  shoutouts: ShoutoutTruth;
  summary: Record<string, unknown>;
}

/** Rounds to 6 decimals (stable, compact text for floats). */
function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The sales parameters without the (unplanted) code shares. */
function withoutCodes(s: WorldParams['sales']): Omit<WorldParams['sales'], 'codeShare' | 'couponShare'> {
  const { codeShare: _c, couponShare: _s, ...rest } = s;
  return rest;
}

/** Streams truth.json into a sink. */
export async function writeTruth(t: TruthInput, sink: Sink): Promise<void> {
  const { params: p, acc, graph, posts, base, sales } = t;
  const codesPlanted = p.sales.codeShare > 0 || p.sales.couponShare > 0;
  const daily = [];
  for (let d = 0; d < p.days; d++) {
    daily.push({
      date: isoDate(t.startMs + d * MS_PER_DAY),
      baseline_level: r6(base.level[d]!),
      baseline_mean: r6(base.mean[d]!),
      baseline_rate: r6(base.rate[d]!),
      baseline_sales: base.realized[d],
      caused_sales: sales.causedPerDay[d],
      book_sales: sales.salesPerDay[d],
      charity_level: r6(t.charity.level[d]!),
      charity_donations: t.charity.total[d],
    });
  }
  const tribes = [];
  for (let k = 0; k < acc.tribeCount; k++) {
    const leader = acc.tribeLeader[k]!;
    tribes.push({
      id: k,
      kind: TRIBE_NAMES[acc.tribeKind[k]! as (typeof TRIBE_KIND)[keyof typeof TRIBE_KIND]],
      leader_id: leader >= 0 ? accountId(leader) : null,
      size: acc.tribeOffsets[k + 1]! - acc.tribeOffsets[k]!,
    });
  }
  const head = {
    format: 'clout-synth-truth/1',
    seed: t.seed,
    size: t.size,
    start: p.start,
    days: p.days,
    ids: { account: 'a<index>', post: 'p<index>', link: 'l<index>', click: 'c<index>', conversion: 'o<index>', interaction: 'i<index>' },
    framing_effects: p.framing.effects,
    persuasion: {
      meaning: 'true incremental book sales caused per book post at framing multiplier 1 (lift = persuasion × framing effect × eta)',
      spike_share: p.authors.spikeShare,
      slab: { shape: p.authors.slabShape, mean: p.authors.slabMean },
      loyal: { shape: p.loyal.persuasionShape, mean: p.loyal.persuasionMean },
      celebrity: p.celebrity.persuasion,
    },
    baseline: {
      level: p.baseline.level,
      weekly: p.baseline.weekly,
      drift_sd: p.baseline.driftSd,
      noise_sd: p.baseline.noiseSd,
      click_first: p.baseline.clickFirst,
      lookback_days: p.baseline.lookbackDays,
    },
    sales: {
      price: p.sales.price,
      currency: p.sales.currency,
      caused_total: sales.causedTotal,
      caused_via_click: sales.causedViaClick,
      baseline_total: sales.baselineTotal,
      baseline_via_click: sales.baselineViaClick,
      ...(codesPlanted
        ? {
            code_share: p.sales.codeShare,
            coupon_share: p.sales.couponShare,
            caused_via_code: sales.causedViaCode,
            baseline_via_code: sales.baselineViaCode,
            code_given_caused: sales.causedTotal > 0 ? r6(sales.causedViaCode / sales.causedTotal) : 0,
            code_given_baseline: sales.baselineTotal > 0 ? r6(sales.baselineViaCode / sales.baselineTotal) : 0,
          }
        : {}),
    },
    daily,
    campaigns: [t.campaign],
    shoutouts: t.shoutouts,
    summary: t.summary,
    // a world without codes lists no code parameters, so its truth is the same as before codes existed
    params: codesPlanted ? p : { ...p, sales: withoutCodes(p.sales) },
    tribes,
  };
  const json = JSON.stringify(head, null, 1);
  sink.add(json.slice(0, -2) + ',\n "accounts": [\n');

  for (let i = 0; i < acc.n; i++) {
    const line =
      `  {"id":"${accountId(i)}","handle":${JSON.stringify(i === 0 ? p.celebrity.handle : accountHandle(i))},"followers":${acc.followers[i]},` +
      `"tribe":${acc.tribe[i]},"persuasion":${r6(acc.persuasion[i]!)},"is_author":${acc.isAuthor[i] === 1},` +
      `"role":"${ROLE_NAMES[acc.role[i]! as (typeof ROLE)[keyof typeof ROLE]]}"}` +
      (i < acc.n - 1 ? ',\n' : '\n');
    if (sink.add(line)) await sink.flush();
  }
  sink.add(' ],\n "posts": [\n');
  for (let i = 0; i < posts.n; i++) {
    const line =
      `  {"id":"${postId(i)}","author_id":"${accountId(posts.author[i]!)}","topic":"${TOPIC_NAMES[posts.topic[i]!]}",` +
      `"framing":"${FRAMINGS[posts.framing[i]!]}","lift":${r6(posts.lift[i]!)},"caused":${posts.caused[i]},` +
      `"donations":${posts.donations[i]},"donated":${posts.donated[i]}}` +
      (i < posts.n - 1 ? ',\n' : '\n');
    if (sink.add(line)) await sink.flush();
  }
  sink.add(' ],\n "edges": [\n');
  const n = graph.off.length - 1;
  let written = 0;
  for (let u = 0; u < n; u++) {
    const from = `  {"from":"${accountId(u)}","to":"`;
    for (let e = graph.off[u]!, end = graph.off[u + 1]!; e < end; e++) {
      written++;
      const line = from + accountId(graph.followers[e]!) + '","p":' + r6(graph.p[e]!) + (written < graph.edges ? '},\n' : '}\n');
      if (sink.add(line)) await sink.flush();
    }
  }
  sink.add(' ]\n}\n');
}
