/**
 * A/B analysis of a link with variants: per variant, visitors, conversions and the conversion rate with a Wilson
 * interval; per non-control variant, the lift over the control with a (fixed-horizon) interval on the log rate ratio,
 * and the always-valid p-value and confidence sequence for the difference of rates from the mixture SPRT (msprt.ts),
 * which stay valid however often the test is looked at. Each comparison uses the visitors of its two variants, with
 * the share sent to the variant taken from the allocation weights.
 */
import { CloutError } from '../../domain/index.js';
import { mixtureSprt, MSPRT_DEFAULTS, resolveMsprtOptions, type MsprtOptions } from './msprt.js';
import { normalQuantile } from '../stats/normal.js';
import { wilsonInterval } from '../stats/proportion.js';

/** Visitors of one experiment in arrival order. */
export interface AbTestData {
  /** Variant labels in their configured order. */
  labels: readonly string[];
  /** Each visitor's variant, as an index into labels. */
  variant: ArrayLike<number>;
  /** 1 when the visitor converted (any positive number counts as converted). */
  converted: ArrayLike<number>;
  /**
   * The variants' allocation weights (what share of visitors each is sent), in label order. When absent, each
   * comparison uses the shares observed, which is only approximately valid.
   */
  weights?: readonly number[];
}

/** Options of abTest: the mSPRT's (alpha, tau, minVisitors) plus which variant is the control. */
export interface AbTestOptions extends MsprtOptions {
  /** Label of the control variant (default: the first label). */
  control?: string;
}

/** The defaults of abTest (control: the first label). */
export const AB_TEST_DEFAULTS = { ...MSPRT_DEFAULTS } as const;

/** One variant's counts and conversion rate with its interval (Wilson, level 1 − alpha). */
export interface VariantSummary {
  label: string;
  control: boolean;
  visitors: number;
  conversions: number;
  rate: number;
  lower: number;
  upper: number;
}

/** One variant against the control. */
export interface VariantComparison {
  variant: string;
  control: string;
  /** Rate of the variant − rate of the control, with its always-valid confidence sequence (level 1 − alpha). */
  difference: number;
  difference_lower: number;
  difference_upper: number;
  /** Relative lift (rate ratio − 1) with a fixed-horizon interval (level 1 − alpha; null without conversions). */
  lift: number | null;
  lift_lower: number | null;
  lift_upper: number | null;
  /** Always-valid p-value for "no difference". */
  p_value: number;
  significant: boolean;
  /** Visitors (variant + control) seen when p first fell below alpha, or null. */
  significant_after: number | null;
}

/** What abTest returns. */
export interface AbTestResult {
  alpha: number;
  tau: number;
  min_visitors: number;
  control: string;
  /** Where the allocation shares come from: the configured weights, or the shares observed. */
  allocation: 'weights' | 'observed';
  visitors: number;
  variants: VariantSummary[];
  comparisons: VariantComparison[];
  warnings: string[];
}

/** Conversion rates, lift and always-valid sequential p-values of each variant against the control. */
export function abTest(data: AbTestData, options: AbTestOptions = {}): AbTestResult {
  const { control: controlLabel, ...rest } = options;
  const msprt = resolveMsprtOptions(rest);
  const { labels, variant, converted } = data;
  if (labels.length < 2) throw new CloutError('input', `A/B test: need at least two variants, got ${labels.length}`);
  if (new Set(labels).size !== labels.length) throw new CloutError('input', 'A/B test: variant labels must be distinct');
  if (variant.length !== converted.length) throw new CloutError('input', `A/B test: ${variant.length} visitors but ${converted.length} outcomes`);
  const { weights } = data;
  if (weights !== undefined && (weights.length !== labels.length || weights.some((w) => !(w > 0 && Number.isFinite(w))))) {
    throw new CloutError('input', `A/B test: need one finite weight > 0 per variant; got [${weights.join(', ')}] for ${labels.length} variants`);
  }
  const control = controlLabel === undefined ? 0 : labels.indexOf(controlLabel);
  if (control < 0) throw new CloutError('bad_option', `A/B test: no variant labelled '${controlLabel}'; variants: ${labels.join(', ')}`);

  const visitors = new Float64Array(labels.length), conversions = new Float64Array(labels.length);
  for (let i = 0; i < variant.length; i++) {
    const v = variant[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= labels.length) throw new CloutError('input', `A/B test: visitor ${i} has variant ${v}; there are ${labels.length}`);
    visitors[v]!++;
    if (converted[i]! > 0) conversions[v]!++;
  }
  const z = normalQuantile(1 - msprt.alpha / 2);
  const variants: VariantSummary[] = labels.map((label, k) => ({
    label,
    control: k === control,
    visitors: visitors[k]!,
    conversions: conversions[k]!,
    rate: visitors[k]! > 0 ? conversions[k]! / visitors[k]! : NaN,
    ...wilsonInterval(conversions[k]!, visitors[k]!, z),
  }));

  const warnings: string[] = [];
  const comparisons: VariantComparison[] = [];
  for (let k = 0; k < labels.length; k++) {
    if (k === control) continue;
    // The visitors of this variant and the control, in arrival order: arm 0 = control, 1 = variant.
    const arm: number[] = [], y: number[] = [];
    for (let i = 0; i < variant.length; i++) {
      if (variant[i] === control) (arm.push(0), y.push(converted[i]! > 0 ? 1 : 0));
      else if (variant[i] === k) (arm.push(1), y.push(converted[i]! > 0 ? 1 : 0));
    }
    const shareB = weights !== undefined ? weights[k]! / (weights[k]! + weights[control]!) : visitors[k]! / (visitors[k]! + visitors[control]!);
    const t = shareB > 0 && shareB < 1 ? mixtureSprt(arm, y, shareB, msprt) : mixtureSprt([], [], 0.5, msprt);
    if (t.visitors[0] < msprt.minVisitors || t.visitors[1] < msprt.minVisitors) {
      warnings.push(`${labels[k]} vs ${labels[control]}: fewer than ${msprt.minVisitors} visitors in an arm; no look taken yet`);
    }
    comparisons.push({
      variant: labels[k]!,
      control: labels[control]!,
      difference: t.difference,
      difference_lower: t.lower,
      difference_upper: t.upper,
      ...liftInterval(conversions[k]!, visitors[k]!, conversions[control]!, visitors[control]!, z),
      p_value: t.p_value,
      significant: t.p_value < msprt.alpha,
      significant_after: t.significant_after,
    });
  }
  if (weights === undefined) warnings.push('allocation weights unknown: the shares observed stand in for them, so the guarantee is approximate');
  if (labels.length > 2) {
    warnings.push(`${labels.length - 1} comparisons with the control: each p-value is valid alone; for all at once compare them with alpha / ${labels.length - 1}`);
  }
  return { alpha: msprt.alpha, tau: msprt.tau, min_visitors: msprt.minVisitors, control: labels[control]!, allocation: weights !== undefined ? 'weights' : 'observed', visitors: variant.length, variants, comparisons, warnings };
}

/** Relative lift r_B / r_A − 1 with the log rate-ratio interval (Katz et al. 1978); nulls when either arm has no conversions. */
export function liftInterval(xB: number, nB: number, xA: number, nA: number, z: number): { lift: number | null; lift_lower: number | null; lift_upper: number | null } {
  if (nA === 0 || nB === 0 || xA === 0) return { lift: null, lift_lower: null, lift_upper: null };
  const ratio = xB / nB / (xA / nA);
  if (xB === 0) return { lift: ratio - 1, lift_lower: null, lift_upper: null };
  const se = Math.sqrt(1 / xB - 1 / nB + 1 / xA - 1 / nA);
  return { lift: ratio - 1, lift_lower: ratio * Math.exp(-z * se) - 1, lift_upper: ratio * Math.exp(z * se) - 1 };
}
