/**
 * The whole report (`clout report`): the last-touch report (followers vs credited outcomes, rank agreement,
 * campaigns) joined with what the outcome model says posts caused — each account's outcome influence with its
 * interval, every modelled post's incremental outcomes, framing effects, the million-follower-fallacy table — the
 * within-author framing effects on clicks and conversions (with or without the model), and the tribes of the social
 * graph with their conversion. Pure: it reads store rows and the model's fit and returns a
 * self-contained document that the terminal, JSON and HTML renderers only read.
 */
import { OUTCOME_INFLUENCE_DEFAULTS, type OutcomeInfluenceResult, type Interval } from '../analysis/influence/outcome-model.js';
import type { ScorePair } from '../analysis/influence/comparison.js';
import { findTribes, type Graph } from '../analysis/network/index.js';
import type { ImpactResult } from '../analysis/impact/index.js';
import { CloutError } from '../domain/index.js';
import type { CandidatePosts } from '../domain/index.js';
import { framingEffectsSection, framingLabels, type FramingInput, type FramingLabels, type ReportFramingEffect } from './framing-effects-section.js';
import { campaignImpactBlock, campaignImpactRuns, type CampaignImpact, type CampaignImpactInput } from './campaign-impact.js';
import { CREDIT_REPORT_DEFAULTS, buildCreditReport, type AccountReport, type CampaignReport, type CreditReport, type CreditReportInput, type CreditReportOptions } from './credit-report.js';
import { outcomeInfluenceDoc, type OutcomeInfluenceAccount, type OutcomeInfluenceDoc, type OutcomeTie } from './outcome-influence.js';
import { burnFor, candidatesFor, modelTypes, type OutcomeInfluenceSources } from './outcome-influence-input.js';
import { summarizeTribes, type TribeSummary } from './tribes-summary.js';

/** Options of the whole report: the last-touch report's, plus the outcome model's. */
export interface FullReportOptions extends CreditReportOptions {
  /** Fit the outcome model (`--no-model` turns it off: only the last-touch sections). */
  model: boolean;
  /** Sampler iterations (a fifth of them burn-in) and seed; the seed also seeds Leiden for the tribes. */
  niter: number;
  seed: number;
  /** A metric series the model fits as the outcome instead of the conversions of `types` (absent: conversions). */
  series?: string;
}

/** Defaults of the whole report (the CLI flags and the server query fall back to these). */
/**
 * Whole Leiden iterations for the report's tribes (igraph's default): on a 1M-account social graph, iterating until
 * stable took ≈ 200 s of a 270 s report; two iterations reach nearly the same modularity (docs/network.md). For the
 * most refined partition, run `clout network tribes`.
 */
export const REPORT_LEIDEN_ITERATIONS = 2;

export const FULL_REPORT_DEFAULTS: FullReportOptions = { ...CREDIT_REPORT_DEFAULTS, model: true, niter: OUTCOME_INFLUENCE_DEFAULTS.niter, seed: 1 };

/** What the report reads, loaded at the edge (load.ts loadFullReportInput). */
export interface FullReportInput {
  /** Last-touch rows for the report's outcome types. */
  report: CreditReportInput;
  /** The model's sources for the model's outcome types; null when the model is off. */
  outcome: OutcomeInfluenceSources | null;
  /** The social graph (follows + interactions) the tribes are found on. */
  social: Graph;
  /** Link posts with their framing, clicks and conversions, for the framing effects on clicks and conversions. */
  framing: FramingInput;
  /** Every campaign's outcome series for its causal impact, or why there is none (one entry per campaign). */
  campaignImpact: CampaignImpactInput[];
}

/** An account's outcome influence: incremental outcomes per post (interval), per 1,000 followers, P(moves outcomes). */
export type OutcomeInfluence = OutcomeInfluenceAccount['outcome_influence'];

/** One account of the report: its last-touch line plus its outcome influence (null when the model did not cover it). */
export interface FullAccountReport extends AccountReport {
  outcome_influence: OutcomeInfluence | null;
}

/** One campaign of the report: its last-touch line plus its causal impact (or why there is none). */
export interface FullCampaignReport extends CampaignReport {
  impact: CampaignImpact;
}

/** One modelled post: its framing and the incremental outcomes it caused. */
export interface ReportPost {
  id: string;
  author_id: string;
  created_at: string;
  text: string | null;
  framing: string;
  framing_reason: string;
  incremental: Interval;
}

/** A framing's multiplier of a post's effect relative to a pitch. */
export interface ReportFraming {
  framing: string;
  posts: number;
  effect: number;
  lower: number;
  upper: number;
}

/** How the outcome model ran, and its global answers (null when it did not run). */
export interface ReportModel {
  /** fitted; skipped (--no-model); no_outcomes, no_candidates (nothing to fit or to model — `note` says why). */
  status: 'fitted' | 'skipped' | 'no_outcomes' | 'no_candidates';
  note: string | null;
  /** Outcome types the model counts (or the metric series it models instead, else null), and which posts may cause them. */
  types: string[];
  series: string | null;
  candidates: CandidatePosts;
  niter: number | null;
  burn: number | null;
  seed: number | null;
  /** Interval level (0.9) and posterior draws kept. */
  level: number | null;
  kept: number | null;
  /** Modelled posts, their authors, and outcome events of the model's types. */
  posts: number | null;
  accounts: number | null;
  outcomes: number | null;
  bin_hours: number | null;
  /** Share of all outcomes caused by posts; P(click id | caused); P(click id | baseline). */
  share_caused: Interval | null;
  click_given_caused: Interval | null;
  click_given_baseline: Interval | null;
  /** Every tie kind read as evidence (click, code, utm) with its rates; absent without a model. */
  ties?: OutcomeTie[];
  /** Mean of the response kernel in hours (learned from tied outcomes, else held); absent without a model. */
  kernel_mean_hours?: Interval & { learned: boolean };
  /** The sampler's diagnostics, passed through when the model gives them. */
  diagnostics?: unknown;
}

/** The whole report document (`clout report --json`, docs/report.md). */
export interface FullReport extends Omit<CreditReport, 'accounts' | 'campaigns' | 'warnings'> {
  accounts: FullAccountReport[];
  /** Every campaign's progress and credit (last touch) and its causal impact. */
  campaigns: FullCampaignReport[];
  model: ReportModel;
  /** Modelled posts, most incremental outcomes first. */
  posts: ReportPost[];
  framing: ReportFraming[];
  /** Framing effects on clicks and conversions within author (computed with or without the model). */
  framing_effects: ReportFramingEffect[];
  /** Of the link posts the framing effects read, how many the user labelled (format v1.1 `framing`) and how many clout classified. */
  framing_labels: FramingLabels;
  /** The million-follower-fallacy table over the modelled accounts. */
  fallacy: ScorePair[];
  tribes: TribeSummary[];
  warnings: string[];
}

/** Whether a report carries the outcome-influence sections (a FullReport, not only the last-touch report). */
export function isFullReport(r: CreditReport | FullReport): r is FullReport {
  return 'model' in r && 'tribes' in r;
}

/** The sampler's plain-language convergence warnings, when its diagnostics carry any (e.g. "run more iterations"). */
export function modelWarnings(model: ReportModel): string[] {
  const w = (model.diagnostics as { warnings?: unknown } | null | undefined)?.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Builds the whole report from the loaded rows, the model's fit (null when the model is off or had nothing to fit)
 * and the impact engine's result for every campaign whose series it runs on (`campaignImpactRuns`), by campaign id.
 */
export function buildFullReport(
  input: FullReportInput,
  fit: OutcomeInfluenceResult | null,
  options: FullReportOptions = FULL_REPORT_DEFAULTS,
  impacts: ReadonlyMap<string, ImpactResult> = new Map(),
): FullReport {
  const base = buildCreditReport(input.report, options);
  if (options.model && input.outcome === null) throw new CloutError('internal', 'report: the outcome model is on but its sources were not loaded');
  const src = options.model ? input.outcome : null;
  let doc: OutcomeInfluenceDoc | null = null;
  if (src !== null && src.input.posts.length > 0 && src.input.outcomes > 0) {
    if (fit === null) throw new CloutError('internal', `report: ${src.input.posts.length} candidate posts and ${src.input.outcomes} outcomes but no model fit`);
    if (fit.posts.length !== src.input.posts.length || fit.authors.length !== src.input.authors.length) {
      throw new CloutError('internal', `report: the fit covers ${fit.posts.length} posts and ${fit.authors.length} authors; the input has ${src.input.posts.length} and ${src.input.authors.length}`);
    }
    doc = outcomeInfluenceDoc(src, fit);
  }
  const influence = new Map((doc?.accounts ?? []).map((a) => [a.id, a.outcome_influence]));
  const accounts: FullAccountReport[] = base.accounts.map((a) => ({ ...a, outcome_influence: influence.get(a.id) ?? null }));
  const posts: ReportPost[] =
    doc === null || src === null
      ? []
      : doc.posts
          .map((p, i) => {
            const row = src.input.posts[i]!;
            return {
              id: p.id,
              author_id: p.author_id,
              created_at: new Date(row.at).toISOString(),
              text: row.text,
              framing: p.framing,
              framing_reason: p.framing_reason,
              incremental: p.incremental,
            };
          })
          .sort((x, y) => y.incremental.mean - x.incremental.mean || cmp(x.id, y.id));
  // the same interval level as the model's (its default when the model did not run)
  const framingEffects = framingEffectsSection(input.framing, doc?.model.level ?? OUTCOME_INFLUENCE_DEFAULTS.level);
  const tribes = input.social.n === 0 ? [] : summarizeTribes(findTribes(input.social, { seed: options.seed, maxIterations: REPORT_LEIDEN_ITERATIONS }), base.accounts, doc === null ? null : posts);
  return {
    outcome: base.outcome,
    totals: base.totals,
    accounts,
    rank_agreement: base.rank_agreement,
    campaigns: campaignsWithImpact(base.campaigns, input.campaignImpact, impacts),
    model: modelSection(options, src, fit, doc),
    posts,
    framing: doc?.framing ?? [],
    framing_effects: framingEffects.rows,
    framing_labels: framingLabels(input.framing.posts),
    fallacy: doc?.fallacy ?? [],
    tribes,
    warnings: [...base.warnings, ...framingEffects.warnings],
  };
}

function campaignsWithImpact(campaigns: CampaignReport[], inputs: readonly CampaignImpactInput[], impacts: ReadonlyMap<string, ImpactResult>): FullCampaignReport[] {
  const byId = new Map(inputs.map((c) => [c.campaign_id, c]));
  return campaigns.map((c) => {
    const input = byId.get(c.id);
    if (input === undefined) throw new CloutError('internal', `report: campaign '${c.id}' has no loaded impact input`);
    const result = impacts.get(c.id) ?? null;
    if (campaignImpactRuns(input) && result === null) throw new CloutError('internal', `report: campaign '${c.id}' has a series but no impact result`);
    return { ...c, impact: campaignImpactBlock(input, campaignImpactRuns(input) ? result : null) };
  });
}

function modelSection(options: FullReportOptions, src: OutcomeInfluenceSources | null, fit: OutcomeInfluenceResult | null, doc: OutcomeInfluenceDoc | null): ReportModel {
  const types = src?.types ?? modelTypes(options.types);
  const candidates = src?.candidates ?? candidatesFor(types);
  const empty = {
    types, series: src?.input.series ?? options.series ?? null, candidates, niter: null, burn: null, seed: null, level: null, kept: null, posts: null, accounts: null, outcomes: null,
    bin_hours: null, share_caused: null, click_given_caused: null, click_given_baseline: null,
  };
  if (src === null) {
    return { status: 'skipped', note: 'the outcome model was skipped (--no-model): only the last-touch sections', ...empty };
  }
  if (src.input.outcomes === 0) {
    return { status: 'no_outcomes', note: noOutcomesNote(types), ...empty, outcomes: 0 };
  }
  if (doc === null || fit === null) {
    const which = candidates === 'in_campaigns' ? 'posts in a campaign' : 'posts outside campaigns';
    return {
      status: 'no_candidates',
      note: `no candidate posts: the model looks for ${which} that share a link (link_id, or a link naming the post), and the store has none`,
      ...empty,
      posts: 0,
      accounts: 0,
      outcomes: src.input.outcomes,
    };
  }
  const diagnostics = (fit as { diagnostics?: unknown }).diagnostics;
  return {
    status: 'fitted',
    note: null,
    types,
    series: src.input.series,
    candidates,
    niter: options.niter,
    burn: burnFor(options.niter),
    seed: options.seed,
    level: doc.model.level,
    kept: doc.model.kept,
    posts: doc.outcome.posts,
    accounts: doc.outcome.accounts,
    outcomes: doc.outcome.outcomes,
    bin_hours: doc.outcome.bin_hours,
    share_caused: doc.model.share_caused,
    click_given_caused: doc.model.click_given_caused,
    click_given_baseline: doc.model.click_given_baseline,
    ties: doc.model.ties,
    kernel_mean_hours: doc.model.kernel_mean_hours,
    ...(diagnostics !== undefined ? { diagnostics } : {}),
  };
}

/** The outcome a report is about, in words for headings ('sales', 'donations'). */
export function outcomeWords(types: readonly string[] | 'all'): string {
  return types === 'all' ? 'all conversions' : types.map((t) => (t.endsWith('s') ? t : `${t}s`)).join(' + ');
}

/** The outcome the model fitted, in words: the series' name when it modelled a metric series, else the outcome types'. */
export function modelOutcomeWords(model: Pick<ReportModel, 'types' | 'series'>): string {
  return model.series === null ? outcomeWords(model.types) : `series ${model.series}`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Why the outcome model has nothing to fit, and what would give it something (a metric series of the store, when it has any). */
export function noOutcomesNote(types: readonly string[], series: readonly string[] = []): string {
  const shown = series.slice(0, 5).join(', ') + (series.length > 5 ? ', …' : '');
  return (
    `no ${types.join('+')} conversions in the store, so the outcome model has nothing to fit (it reports no numbers ` +
    'rather than numbers from no data); import orders or donations — Stripe, Shopify or a conversions file ' +
    '(docs/importers.md) — or choose a type the store has with --type' +
    (series.length > 0 ? `, or model a daily series of counts with --series NAME (the store has: ${shown})` : '')
  );
}
