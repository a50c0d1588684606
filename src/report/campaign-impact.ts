/**
 * Each campaign's causal impact in the report: a compact block from the impact engine's result (docs/impact.md) —
 * the cumulative effect over the post period with its interval, p, and the calibration (how the level's drift was
 * set, the pre-period backtest) — or the reason there is none. The point-wise series stays out of the document.
 * Pure: it reads the series loaded at the edge and the engine's result.
 */
import type { Bucket, ImpactCalibration, ImpactData, ImpactPeriod, ImpactResult } from '../analysis/impact/index.js';

/** Fewest observed points of a campaign's series the report analyses (fewer: a note, not a fit). */
export const CAMPAIGN_IMPACT_MIN_POINTS = 10;

/** A campaign's outcome series around its start, as the store gave it (app/impact.ts storeImpactInput). */
export interface CampaignImpactSeries {
  data: ImpactData;
  bucket: Bucket;
  /** The intervention's time: the campaign's start (else its first post), ISO 8601. */
  event_at: string;
  /** The outcome series' name: the campaign's metric series, else its conversions per bucket. */
  outcome: string;
  /** The campaign's currency when the outcome is its own metric series (which counts money); else null. */
  currency: string | null;
  /** How the series was built (controls left out, a metric series standing in for conversion counts, …). */
  notes: string[];
}

/** What the report loads per campaign: its series, or why the store has none. */
export interface CampaignImpactInput {
  campaign_id: string;
  series: CampaignImpactSeries | null;
  /** Why there is no series (null when there is one). */
  note: string | null;
}

/** A period by its first and last labels (dates) and its number of points. */
export interface CampaignImpactPeriod {
  from: string | number | null;
  to: string | number | null;
  points: number;
}

/** The cumulative column over the post period (original units): what happened, what was expected, the difference. */
export interface CampaignImpactCumulative {
  actual: number;
  predicted: number;
  predicted_lower: number;
  predicted_upper: number;
  effect: number;
  effect_lower: number;
  effect_upper: number;
}

/** One campaign's impact block in the report document (docs/report.md, "Campaign impact"). */
export interface CampaignImpact {
  /** estimated; no_series (the store has no usable series); too_short (< CAMPAIGN_IMPACT_MIN_POINTS); aborted (degenerate series). */
  status: 'estimated' | 'no_series' | 'too_short' | 'aborted';
  outcome: string | null;
  bucket: Bucket | null;
  currency: string | null;
  event_at: string | null;
  pre: CampaignImpactPeriod | null;
  post: CampaignImpactPeriod | null;
  /** Interval level, 1 − α (0.95 by default). */
  level: number | null;
  cumulative: CampaignImpactCumulative | null;
  /** Relative effect sum(actual) / sum(predicted) − 1 with its interval. */
  relative: { effect: number; lower: number; upper: number } | null;
  /** Two-sided posterior tail-area probability of the cumulative effect, and P(effect in the observed direction). */
  p: number | null;
  prob_effect: number | null;
  /** The engine's calibration block (backtest windows included; they are few). */
  calibration: ImpactCalibration | null;
  warnings: string[];
  /** How the series was built. */
  notes: string[];
  /** Why there is no estimate (null when there is one). */
  note: string | null;
}

/** Observed (non-missing) points of a series. */
function observed(y: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) n++;
  return n;
}

/** Whether the report runs the engine on this campaign's series (it exists and has enough observed points). */
export function campaignImpactRuns(input: CampaignImpactInput): boolean {
  return input.series !== null && observed(input.series.data.y) >= CAMPAIGN_IMPACT_MIN_POINTS;
}

const EMPTY = {
  pre: null,
  post: null,
  level: null,
  cumulative: null,
  relative: null,
  p: null,
  prob_effect: null,
  calibration: null,
} as const;

function period(p: ImpactPeriod): CampaignImpactPeriod {
  return { from: p.start_time ?? p.start, to: p.end_time ?? p.end, points: p.end - p.start + 1 };
}

/** Builds a campaign's impact block from its loaded series and the engine's result (null when the engine did not run). */
export function campaignImpactBlock(input: CampaignImpactInput, result: ImpactResult | null): CampaignImpact {
  const s = input.series;
  if (s === null) {
    return { status: 'no_series', outcome: null, bucket: null, currency: null, event_at: null, ...EMPTY, warnings: [], notes: [], note: input.note ?? 'the store has no series for this campaign' };
  }
  const head = { outcome: s.outcome, bucket: s.bucket, currency: s.currency, event_at: s.event_at, notes: s.notes };
  if (result === null) {
    const n = observed(s.data.y);
    return { status: 'too_short', ...head, ...EMPTY, warnings: [], note: `the ${s.outcome} series has ${n} observed point${n === 1 ? '' : 's'}; the report analyses ${CAMPAIGN_IMPACT_MIN_POINTS} or more (run clout impact --campaign ${input.campaign_id})` };
  }
  const c = result.cumulative;
  if (!result.ok || c === null || result.p === null || result.prob_effect === null) {
    const abort = result.warnings.find((w) => w.startsWith('aborting inference')) ?? 'the engine could not fit the series';
    return { status: 'aborted', ...head, ...EMPTY, pre: period(result.pre), post: period(result.post), warnings: result.warnings, note: abort };
  }
  return {
    status: 'estimated',
    ...head,
    pre: period(result.pre),
    post: period(result.post),
    level: 1 - result.alpha,
    cumulative: {
      actual: c.actual,
      predicted: c.predicted,
      predicted_lower: c.predicted_lower,
      predicted_upper: c.predicted_upper,
      effect: c.abs_effect,
      effect_lower: c.abs_effect_lower,
      effect_upper: c.abs_effect_upper,
    },
    relative: { effect: c.rel_effect, lower: c.rel_effect_lower, upper: c.rel_effect_upper },
    p: result.p,
    prob_effect: result.prob_effect,
    calibration: result.calibration,
    warnings: result.warnings,
    note: null,
  };
}
