/**
 * The first influence report: who has followers, and who brought outcomes (last-touch credit through click ids).
 * Pure: takes the store's rows, returns a self-contained result that the terminal and JSON renderers read.
 * Click credit is evidence, not causation — the report says so; causal estimates come from the influence engine.
 */
import { fromMinorUnits } from '../domain/index.js';
import { spearman } from '../analysis/stats/rank.js';
import type { AccountActivityRow, AccountCreditRow, CampaignCreditRow, CampaignRow, TieRule } from '../domain/index.js';
import { formatInt } from './table.js';

/** What the outcome ranking orders accounts by. */
export const RANK_BY = ['conversions_per_post', 'conversions', 'value'] as const;
export type RankBy = (typeof RANK_BY)[number];

/** Options of the report; defaults beside them. */
export interface CreditReportOptions {
  /** Conversion types counted as outcomes; empty = all types. */
  types: readonly string[];
  /** Currency of `value`; default: the currency of most credited conversions. */
  currency?: string | undefined;
  rankBy: RankBy;
}

export const CREDIT_REPORT_DEFAULTS: CreditReportOptions = { types: [], rankBy: 'conversions_per_post' };

/** One account's line of the report: its activity from the store plus what was credited to it. */
export interface AccountReport extends AccountActivityRow {
  conversions: number;
  /** Credited value in the report currency (major units). */
  value: number;
  /** Credited value per currency (major units). */
  values: Record<string, number>;
  by_type: Record<string, { conversions: number; value: number }>;
  conversions_per_post: number;
  conversions_per_1k_followers: number | null;
  conversion_rate: number | null;
  rank_followers: number;
  rank_outcomes: number;
}

/** One campaign's line of the report. */
export interface CampaignReport {
  id: string;
  name: string | null;
  owner_id: string | null;
  goal_value: number | null;
  raised: number;
  currency: string | null;
  progress: number | null;
  conversions: number;
  contributors: number;
  top_accounts: { id: string; handle: string | null; conversions: number; value: number }[];
}

/** The whole report: self-contained, stable JSON (docs/report.md). */
export interface CreditReport {
  outcome: { types: string[] | 'all'; currency: string | null; rank_by: RankBy; attribution: 'last_touch' };
  totals: {
    authors: number;
    posts: number;
    clicks: number;
    conversions: number;
    credited_conversions: number;
    uncredited_conversions: number;
    /** How many conversions each tie rule tied (click id, named link, named post, code, UTM tags, nothing). */
    tied_by: Record<TieRule, number>;
  };
  accounts: AccountReport[];
  rank_agreement: {
    spearman_followers_vs_outcomes: number | null;
    spearman_clicks_vs_outcomes: number | null;
    spearman_followers_vs_clicks: number | null;
    n: number;
    top_k: number;
    top_k_overlap: number;
  };
  campaigns: CampaignReport[];
  warnings: string[];
}

/** Inputs of the report, as read from the store. */
export interface CreditReportInput {
  activity: AccountActivityRow[];
  credit: AccountCreditRow[];
  totals: { conversions: number; credited: number; tied_by: Record<TieRule, number> };
  campaigns: CampaignRow[];
  campaignCredit: CampaignCreditRow[];
}

/** Builds the influence report from store rows. */
export function buildCreditReport(input: CreditReportInput, options: CreditReportOptions = CREDIT_REPORT_DEFAULTS): CreditReport {
  const warnings: string[] = [];
  const currency = options.currency ?? dominantCurrency(input.credit);
  const handles = new Map(input.activity.map((a) => [a.id, a.handle]));
  const creditByAccount = groupBy(input.credit, (c) => c.account_id);

  const accounts: AccountReport[] = input.activity.map((a) => {
    const rows = creditByAccount.get(a.id) ?? [];
    const minorByCurrency = new Map<string, number>();
    const byTypeMinor = new Map<string, { conversions: number; minor: number }>();
    let conversions = 0;
    for (const r of rows) {
      conversions += r.conversions;
      if (r.currency) minorByCurrency.set(r.currency, (minorByCurrency.get(r.currency) ?? 0) + r.value_minor);
      const t = byTypeMinor.get(r.type) ?? { conversions: 0, minor: 0 };
      t.conversions += r.conversions;
      if (r.currency !== null && r.currency === currency) t.minor += r.value_minor;
      byTypeMinor.set(r.type, t);
    }
    const values: Record<string, number> = {};
    for (const [cur, minor] of minorByCurrency) values[cur] = fromMinorUnits(minor, cur);
    const byType: Record<string, { conversions: number; value: number }> = {};
    for (const [type, t] of byTypeMinor) {
      byType[type] = { conversions: t.conversions, value: currency ? fromMinorUnits(t.minor, currency) : 0 };
    }
    return {
      ...a,
      conversions,
      value: currency ? values[currency] ?? 0 : 0,
      values,
      by_type: byType,
      conversions_per_post: a.posts > 0 ? conversions / a.posts : 0,
      conversions_per_1k_followers: a.followers > 0 ? (1000 * conversions) / a.followers : null,
      conversion_rate: a.clicks > 0 ? conversions / a.clicks : null,
      rank_followers: 0,
      rank_outcomes: 0,
    };
  });

  const outcomeOf = (a: AccountReport): number =>
    options.rankBy === 'conversions' ? a.conversions : options.rankBy === 'value' ? a.value : a.conversions_per_post;
  assignRanks(accounts, (a) => a.followers, (a, r) => (a.rank_followers = r));
  assignRanks(accounts, outcomeOf, (a, r) => (a.rank_outcomes = r));
  accounts.sort((x, y) => x.rank_outcomes - y.rank_outcomes);

  const followers = accounts.map((a) => a.followers);
  const outcomes = accounts.map(outcomeOf);
  const clicks = accounts.map((a) => a.clicks);
  const topK = Math.min(10, accounts.length);
  const topFollowers = new Set(accounts.filter((a) => a.rank_followers <= topK).map((a) => a.id));
  const overlap = accounts.filter((a) => a.rank_outcomes <= topK && topFollowers.has(a.id)).length;
  if (accounts.length < 3) warnings.push(`only ${accounts.length} accounts: rank correlations need at least 3`);
  if (input.totals.conversions === 0) warnings.push('no conversions in the store for this outcome: nothing to credit');
  const uncredited = input.totals.conversions - input.totals.credited;
  if (input.totals.conversions > 0 && uncredited > 0) {
    warnings.push(
      `${formatInt(uncredited)} of ${formatInt(input.totals.conversions)} conversions carry no click, link, post, code or UTM tag ` +
        'that ties them to an account and are credited to nobody; last-touch credit misses outcomes that arrive untied',
    );
  }

  return {
    outcome: {
      types: options.types.length > 0 ? [...options.types] : 'all',
      currency: currency ?? null,
      rank_by: options.rankBy,
      attribution: 'last_touch',
    },
    totals: {
      authors: accounts.length,
      posts: sum(accounts.map((a) => a.posts)),
      clicks: sum(clicks),
      conversions: input.totals.conversions,
      credited_conversions: input.totals.credited,
      uncredited_conversions: uncredited,
      tied_by: { ...input.totals.tied_by },
    },
    accounts,
    rank_agreement: {
      spearman_followers_vs_outcomes: finiteOrNull(accounts.length >= 3 ? spearman(followers, outcomes) : NaN),
      spearman_clicks_vs_outcomes: finiteOrNull(accounts.length >= 3 ? spearman(clicks, outcomes) : NaN),
      spearman_followers_vs_clicks: finiteOrNull(accounts.length >= 3 ? spearman(followers, clicks) : NaN),
      n: accounts.length,
      top_k: topK,
      top_k_overlap: overlap,
    },
    campaigns: buildCampaigns(input, handles),
    warnings,
  };
}

/** Each campaign's line: goal, raised, progress, contributors and its top five credited accounts (by value). */
export function buildCampaigns(input: Pick<CreditReportInput, 'campaigns' | 'campaignCredit'>, handles: ReadonlyMap<string, string | null>): CampaignReport[] {
  const creditByCampaign = groupBy(input.campaignCredit, (c) => c.campaign_id);
  return input.campaigns.map((c) => {
    const cur = c.currency;
    const toMajor = (minor: number): number => (cur ? fromMinorUnits(minor, cur) : minor / 100);
    const goal = c.goal_minor === null ? null : toMajor(c.goal_minor);
    const raised = toMajor(c.raised_minor);
    const top = (creditByCampaign.get(c.id) ?? [])
      .slice()
      .sort((a, b) => b.value_minor - a.value_minor || b.conversions - a.conversions || cmp(a.account_id, b.account_id))
      .slice(0, 5)
      .map((r) => ({
        id: r.account_id,
        handle: handles.get(r.account_id) ?? null,
        conversions: r.conversions,
        value: toMajor(r.value_minor),
      }));
    return {
      id: c.id,
      name: c.name,
      owner_id: c.owner_id,
      goal_value: goal,
      raised,
      currency: cur,
      progress: goal !== null && goal > 0 ? raised / goal : null,
      conversions: c.conversions,
      contributors: c.contributors,
      top_accounts: top,
    };
  });
}

/** Dense 1-based ranks, highest value first; ties broken by id so the order is stable. */
function assignRanks<T extends { id: string }>(items: T[], key: (t: T) => number, set: (t: T, rank: number) => void): void {
  const sorted = items.slice().sort((a, b) => key(b) - key(a) || cmp(a.id, b.id));
  sorted.forEach((t, i) => set(t, i + 1));
}

function dominantCurrency(rows: AccountCreditRow[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.currency) counts.set(r.currency, (counts.get(r.currency) ?? 0) + r.conversions);
  let best: string | undefined;
  for (const [cur, n] of counts) if (best === undefined || n > counts.get(best)! || (n === counts.get(best)! && cur < best)) best = cur;
  return best;
}

function groupBy<T>(rows: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
