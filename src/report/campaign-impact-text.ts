/**
 * The words of a campaign's impact block, shared by the terminal and HTML renderers: a heading, the effect with its
 * interval and p, and the calibration sentence (how the level's drift was set, how the backtest covered). Reads the
 * block; computes nothing new.
 */
import { calibrationSentence } from '../analysis/impact/report-text.js';
import type { CampaignImpact, CampaignImpactPeriod } from './campaign-impact.js';
import { formatFixed } from './table.js';

/** A campaign's impact as plain lines (no markup). */
export interface CampaignImpactText {
  /** What was measured: the outcome series, its bucket, the start, and the two periods. */
  heading: string;
  /** Actual against expected without the campaign, with the interval (null without an estimate). */
  expected: string | null;
  /** The effect, its interval, the relative effect, p and P(effect); or why there is none. */
  effect: string;
  /** The calibration sentence (null without an estimate). */
  calibration: string | null;
}

/** A number in the outcome's units: whole numbers from 100 on, two decimals below; with the currency when it counts money. */
function amount(x: number, currency: string | null, sign = false): string {
  const text = formatFixed(x, Math.abs(x) >= 100 ? 0 : 2);
  return `${sign && x > 0 ? '+' : ''}${text}${currency ? ` ${currency}` : ''}`;
}

const percent = (x: number, sign = false): string => `${sign && x > 0 ? '+' : ''}${formatFixed(x * 100, Math.abs(x) >= 1 ? 0 : 1)}%`;

function span(p: CampaignImpactPeriod, unit: string): string {
  const a = String(p.from), b = String(p.to);
  return `${a === b ? a : `${a} to ${b}`} (${p.points} ${unit}${p.points === 1 ? '' : 's'})`;
}

/** The words of one campaign's impact block. */
export function campaignImpactText(name: string, c: CampaignImpact): CampaignImpactText {
  const unit = c.bucket ?? 'point';
  const what = c.outcome === null ? '' : ` on ${c.outcome} per ${unit}`;
  const when = c.event_at === null ? '' : `, from ${c.event_at.slice(0, c.bucket === 'day' ? 10 : 16)}`;
  const periods = c.pre !== null && c.post !== null ? `; pre-period ${span(c.pre, unit)}, post period ${span(c.post, unit)}` : '';
  const heading = `Causal impact of ${name}${what}${when}${periods}`;
  if (c.status !== 'estimated' || c.cumulative === null || c.relative === null || c.level === null || c.p === null || c.prob_effect === null) {
    return { heading, expected: null, effect: `No estimate: ${c.note ?? 'the engine did not run'}.`, calibration: null };
  }
  const k = c.cumulative, r = c.relative, cur = c.currency;
  const level = `${Math.round(c.level * 100)}%`;
  const expected = `Observed ${amount(k.actual, cur)} over the post period; expected without the campaign ${amount(k.predicted, cur)} (${level} interval ${amount(k.predicted_lower, cur)} to ${amount(k.predicted_upper, cur)}).`;
  const effect =
    `Effect ${amount(k.effect, cur, true)} (${level} interval ${amount(k.effect_lower, cur, true)} to ${amount(k.effect_upper, cur, true)}), ` +
    `${percent(r.effect, true)} (${percent(r.lower, true)} to ${percent(r.upper, true)}); p = ${formatFixed(c.p, 3)}, P(effect) = ${formatFixed(c.prob_effect * 100, 1)}%.`;
  return { heading, expected, effect, calibration: c.calibration === null ? null : calibrationSentence(c.calibration) };
}
