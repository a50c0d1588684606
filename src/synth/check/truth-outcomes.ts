/**
 * Compares the whole report's causal answers with the planted truth of a synthetic world (what `clout demo` prints
 * under "Who moves outcomes"): the top accounts by outcome influence and the celebrity, each beside the mean planted
 * lift of its modelled posts, and the framing multipliers beside the planted ones. Pure.
 */
import { framingSideBySide } from '../../report/index.js';
import type { FullReport, OutcomeInfluence } from '../../report/index.js';

/** The part of truth.json this check reads. */
export interface PlantedOutcomes {
  accounts: { id: string; role?: string }[];
  /** Every post's planted lift: the incremental sales it caused in expectation. */
  posts: { id: string; lift: number }[];
  /** Planted multipliers of a post's incremental sales per framing. */
  framing_effects: Record<string, number>;
  params: { framing: { clickMultiplier: Record<string, number> } };
}

/** One account's outcome influence beside its planted mean lift per modelled post. */
export interface AccountVsTruth {
  id: string;
  handle: string | null;
  followers: number;
  rank_followers: number;
  /** Rank by outcome influence among the modelled accounts (1 = causes most per post). */
  rank: number;
  outcome_influence: OutcomeInfluence;
  /** Mean planted lift of the account's modelled posts (null when the truth has none of them). */
  planted_per_post: number | null;
  /** Whether the planted value lies inside the interval (null without a planted value). */
  inside: boolean | null;
}

/** An estimated multiplier beside the planted one (planted null when the world plants no single value for it). */
export interface EffectVsTruth {
  effect: number;
  lower: number;
  upper: number;
  planted: number | null;
  inside: boolean | null;
}

/** One framing: clicks, conversions and incremental outcomes, each beside the truth (null where not estimated). */
export interface FramingVsTruth {
  framing: string;
  clicks: EffectVsTruth | null;
  conversions: EffectVsTruth | null;
  outcomes: EffectVsTruth | null;
}

/** The whole comparison. */
export interface OutcomesTruthCheck {
  /** The model's status and why it did not run (accounts are empty then). */
  model: { status: FullReport['model']['status']; note: string | null; level: number | null; types: string[] };
  accounts: AccountVsTruth[];
  /** The world's celebrity (its planted role; without one, the most followed modelled account); null when not modelled. */
  celebrity: AccountVsTruth | null;
  /** Modelled accounts (the denominator of `rank`). */
  modelled: number;
  framing: FramingVsTruth[];
}

/** Checks the report's top `top` accounts, the celebrity and the framing multipliers against the planted truth. */
export function checkOutcomesAgainstTruth(report: FullReport, truth: PlantedOutcomes, top = 5): OutcomesTruthCheck {
  const lift = new Map(truth.posts.map((p) => [p.id, p.lift]));
  const lifts = new Map<string, number[]>();
  for (const p of report.posts) {
    const l = lift.get(p.id);
    if (l !== undefined) lifts.set(p.author_id, [...(lifts.get(p.author_id) ?? []), l]);
  }
  const ranked = report.accounts
    .filter((a): a is typeof a & { outcome_influence: OutcomeInfluence } => a.outcome_influence !== null)
    .sort((x, y) => y.outcome_influence.mean - x.outcome_influence.mean || (x.id < y.id ? -1 : 1))
    .map((a, i): AccountVsTruth => {
      const mine = lifts.get(a.id);
      const planted = mine === undefined ? null : mine.reduce((s, x) => s + x, 0) / mine.length;
      const o = a.outcome_influence;
      return {
        id: a.id, handle: a.handle, followers: a.followers, rank_followers: a.rank_followers, rank: i + 1, outcome_influence: o,
        planted_per_post: planted, inside: planted === null ? null : o.lower <= planted && planted <= o.upper,
      };
    });
  const planted = truth.accounts.find((a) => a.role === 'celebrity');
  const celebrity =
    planted !== undefined
      ? (ranked.find((a) => a.id === planted.id) ?? null)
      : ranked.reduce<AccountVsTruth | null>((b, a) => (b === null || a.followers > b.followers ? a : b), null);
  const ratio = (m: Record<string, number>, f: string): number | null => {
    const v = m[f], pitch = m.pitch;
    return v === undefined || pitch === undefined || !(pitch > 0) ? null : v / pitch;
  };
  const vs = (e: { effect: number; lower: number; upper: number } | null, planted: number | null): EffectVsTruth | null =>
    e === null ? null : { effect: e.effect, lower: e.lower, upper: e.upper, planted, inside: planted === null ? null : e.lower <= planted && planted <= e.upper };
  const framing = framingSideBySide(report).map((r) => ({
    framing: r.framing,
    clicks: vs(r.clicks, ratio(truth.params.framing.clickMultiplier, r.framing)),
    // conversions carried by clicks mix buyers the post moved with baseline buyers who click first: no single planted value
    conversions: vs(r.conversions, null),
    outcomes: vs(r.outcomes, ratio(truth.framing_effects, r.framing)),
  }));
  const m = report.model;
  return { model: { status: m.status, note: m.note, level: m.level, types: m.types }, accounts: ranked.slice(0, top), celebrity, modelled: ranked.length, framing };
}
