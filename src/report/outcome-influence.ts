/**
 * The outcome-influence document: the model's per-account and per-post answers (with intervals) beside the proxies
 * they are usually confused with — followers, engagement, PageRank, a Klout-like composite, click-attributed
 * outcomes — and the fallacy table of how they agree. Pure: it reads the fitted result and the per-account
 * measures it is given.
 */
import { compareScores, kloutLike, type ScorePair } from '../analysis/influence/comparison.js';
import type { OutcomeInfluenceResult, Interval } from '../analysis/influence/outcome-model.js';
import { buildAccountProxies, type AccountProxies } from './account-proxies.js';
export type { AccountProxies } from './account-proxies.js';
import { buildCreditReport } from './credit-report.js';
import type { OutcomeInfluenceInput, OutcomeInfluenceSources } from './outcome-influence-input.js';
import { MS_PER_HOUR } from '../domain/index.js';

/** One account of the document. */
export interface OutcomeInfluenceAccount {
  id: string;
  handle: string | null;
  followers: number;
  posts: number;
  /** timing_share / isolated_share: how much of the estimate rests on timing alone (see OutcomeInfluenceResult.authors). */
  outcome_influence: Interval & { per_1k_followers: number | null; prob_positive: number; timing_share: number; isolated_share: number };
  attributed_per_post: number;
  engagement_per_post: number;
  pagerank: number;
  klout_like: number;
}

/** One tie kind in the model block: how many outcomes carry it and its two rates. */
export interface OutcomeTie {
  kind: string;
  tied: number;
  given_caused: Interval;
  given_baseline: Interval;
  share: 'given' | 'learned';
}

/** The whole document (`clout influence --json`). */
export interface OutcomeInfluenceDoc {
  /** What was modelled: conversions of `types`, or the metric series `series` (null for conversions). */
  outcome: { types: string[]; series: string | null; posts: number; accounts: number; outcomes: number; bin_hours: number; controls: string[] };
  model: {
    level: number;
    kept: number;
    share_caused: Interval;
    click_given_caused: Interval;
    click_given_baseline: Interval;
    /** Every tie kind the model read as evidence (click first): tied outcomes, P(tie | caused), P(tie | baseline). */
    ties: OutcomeTie[];
    /** Mean of the response kernel (hours): learned from tied outcomes, else held at its default (`learned` false). */
    kernel_mean_hours: Interval & { learned: boolean };
  };
  accounts: OutcomeInfluenceAccount[];
  posts: { id: string; author_id: string; framing: string; framing_reason: string; incremental: Interval }[];
  /** Multipliers of a post's effect relative to a pitch. */
  framing: { framing: string; posts: number; effect: number; lower: number; upper: number }[];
  fallacy: ScorePair[];
}

/** The document from the loaded sources and the model's fit: the proxies from the last-touch rows, then the doc. */
export function outcomeInfluenceDoc(sources: OutcomeInfluenceSources, fit: OutcomeInfluenceResult): OutcomeInfluenceDoc {
  const report = buildCreditReport(sources.report, { types: sources.types, rankBy: 'conversions_per_post' });
  const proxies = buildAccountProxies(report.accounts, sources.follows, sources.received);
  return buildOutcomeInfluenceDoc(sources.input, fit, proxies, sources.types);
}

/** Assembles the document; accounts ordered by outcome influence (mean incremental outcomes per post). */
export function buildOutcomeInfluenceDoc(input: OutcomeInfluenceInput, fit: OutcomeInfluenceResult, proxies: ReadonlyMap<string, AccountProxies>, types: string[]): OutcomeInfluenceDoc {
  const accounts = input.authors.map((id, a): OutcomeInfluenceAccount => {
    const p = proxies.get(id);
    const s = fit.authors[a]!;
    const followers = p?.followers ?? 0;
    return {
      id,
      handle: p?.handle ?? null,
      followers,
      posts: s.posts,
      outcome_influence: {
        mean: s.mean,
        lower: s.lower,
        upper: s.upper,
        per_1k_followers: followers > 0 ? (1000 * s.mean) / followers : null,
        prob_positive: s.prob_positive,
        timing_share: s.timing_share,
        isolated_share: s.isolated_share,
      },
      attributed_per_post: p?.attributed_per_post ?? 0,
      engagement_per_post: p?.engagement_per_post ?? 0,
      pagerank: p?.pagerank ?? 0,
      klout_like: 0,
    };
  });
  const klout = kloutLike(accounts.map((a) => a.followers), accounts.map((a) => a.engagement_per_post), accounts.map((a) => a.pagerank || 1e-12));
  accounts.forEach((a, i) => (a.klout_like = klout[i]!));
  const fallacy = compareScores([
    { name: 'followers', values: accounts.map((a) => a.followers) },
    { name: 'engagement', values: accounts.map((a) => a.engagement_per_post) },
    { name: 'pagerank', values: accounts.map((a) => a.pagerank) },
    { name: 'klout_like', values: accounts.map((a) => a.klout_like) },
    { name: 'attributed', values: accounts.map((a) => a.attributed_per_post) },
    { name: 'outcome_influence', values: accounts.map((a) => a.outcome_influence.mean) },
  ]);
  return {
    outcome: {
      types,
      series: input.series,
      posts: input.posts.length,
      accounts: input.authors.length,
      outcomes: input.outcomes,
      bin_hours: input.data.binMs / MS_PER_HOUR,
      controls: input.controls,
    },
    model: {
      level: fit.level,
      kept: fit.kept,
      share_caused: fit.share_caused,
      click_given_caused: fit.click_given_caused,
      click_given_baseline: fit.click_given_baseline,
      ties: fit.ties.map((t) => ({ kind: t.kind, tied: t.tied, given_caused: t.given_caused, given_baseline: t.given_baseline, share: t.share })),
      kernel_mean_hours: fit.kernel_mean_hours,
    },
    accounts: accounts.sort((x, y) => y.outcome_influence.mean - x.outcome_influence.mean || x.id.localeCompare(y.id)),
    posts: input.posts.map((p, i) => ({ id: p.id, author_id: p.author_id, framing: p.framing, framing_reason: p.framing_reason, incremental: fit.posts[i]! })),
    framing: fit.framing
      .filter((f) => f.posts > 0)
      .map((f) => ({ framing: f.framing, posts: f.posts, effect: f.mean, lower: f.lower, upper: f.upper })),
    fallacy,
  };
}
