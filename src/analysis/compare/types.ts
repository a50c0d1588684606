/**
 * Matched comparisons (`clout compare`): the typed input and result of the cross-sectional estimators (matching, IPW,
 * AIPW over a propensity score) and of the panel estimators (difference in differences, event study, staggered
 * adoption). The JSON of `clout compare --json` is these results, as they are.
 */

/** One covariate as the user gave it, before the design expands it. */
export interface CovariateColumn {
  name: string;
  /** Numeric values (NaN = missing) or, for a categorical covariate, its levels as text. */
  values: Float64Array | string[];
  /** One-hot with a reference level (the most frequent); numeric columns are not categorical. */
  categorical?: boolean;
  /** log(1 + x) before use (heavy-tailed counts: followers, posts). */
  log?: boolean;
}

/** A cross-sectional comparison's data: one row per unit. */
export interface CompareData {
  /** 1 = treated (got the shout-out), 0 = control. */
  treatment: Uint8Array;
  outcome: Float64Array;
  covariates: CovariateColumn[];
  /** Unit labels (for matched pairs and units outside support); row numbers when absent. */
  ids?: string[];
}

export type CompareMethod = 'matching' | 'ipw' | 'aipw';
export type Estimand = 'att' | 'ate';

/** One estimator's answer. */
export interface MethodEstimate {
  method: CompareMethod;
  estimate: number;
  /** 95% interval (or the requested level). */
  lower: number;
  upper: number;
  se: number;
  /** How the interval was made: 'abadie-imbens', 'bootstrap', 'influence-function'. */
  interval: string;
  /** Units that entered the estimate (matched units; weighted units after trimming). */
  n_used: number;
  /** Estimator-specific facts: matches per treated unit, effective sample size, largest weights, trimmed units … */
  details: Record<string, number | string | null>;
}

/** Balance of one expanded covariate (a categorical one gives a row per level). */
export interface BalanceRow {
  covariate: string;
  smd_before: number;
  /** In the matched sample (or the weighted one when matching was not run). */
  smd_after: number;
  variance_ratio_before: number;
  variance_ratio_after: number;
  /** In the IPW-weighted sample, when IPW ran. */
  smd_weighted: number | null;
}

/** The propensity score's distribution by group and the units outside common support. */
export interface Overlap {
  /** Units whose score lies outside the other group's range. */
  outside_support: number;
  outside_support_ids: string[];
  /** Histogram of the score (bins over [0, 1]) per group. */
  bins: number[];
  treated_counts: number[];
  control_counts: number[];
  /** The estimate (first method) when units outside support are dropped. */
  estimate_within_support: number | null;
}

/** The propensity model's fit. */
export interface PropensityFit {
  /** Coefficient per expanded column, intercept first. */
  coefficients: { name: string; estimate: number; se: number }[];
  iterations: number;
  converged: boolean;
  /** Expanded columns that (quasi-)separate treated from control, named; empty when none. */
  separation: string[];
}

export interface CompareResult {
  kind: 'cross-section';
  estimand: Estimand;
  n_treated: number;
  n_control: number;
  naive: { estimate: number; lower: number; upper: number; se: number };
  methods: MethodEstimate[];
  balance: BalanceRow[];
  overlap: Overlap;
  propensity: PropensityFit;
  /** E-value of the first method's estimate and of its interval's bound nearer to the null (1 when it crosses). */
  sensitivity: { e_value: number; e_value_bound: number; method: CompareMethod };
  /** Options as resolved (caliper, ratio, replacement, bootstrap draws, seed, outcome model, folds, level). */
  options: Record<string, unknown>;
  warnings: string[];
}

/** A panel's data: one row per unit and period. */
export interface PanelData {
  /** Dense unit index per row (0..n_units-1). */
  unit: Int32Array;
  /** Dense period index per row (0..n_periods-1, in time order). */
  period: Int32Array;
  outcome: Float64Array;
  /** Per unit, the first treated period index, or -1 for never treated. */
  treatedAt: Int32Array;
  unitLabels?: string[];
  periodLabels?: string[];
}

export interface PanelEstimate {
  estimate: number;
  lower: number;
  upper: number;
  se: number;
}

export interface EventStudyRow extends PanelEstimate {
  /** Periods relative to treatment (−1 is the reference, not estimated). */
  relative_period: number;
  n_units: number;
}

/** One group-time effect ATT(g, t) of the staggered-robust estimator. */
export interface GroupTimeRow extends PanelEstimate {
  /** The cohort's first treated period and the period, as labelled in the data. */
  treated_at: string;
  period: string;
  relative_period: number;
  n_treated: number;
  n_comparison: number;
}

export interface PanelResult {
  kind: 'panel';
  n_units: number;
  n_periods: number;
  n_treated_units: number;
  /** Adoption cohorts: first treated period and units in it. */
  cohorts: { treated_at: string; units: number }[];
  /** Overall ATT of the staggered-robust estimator (Callaway–Sant'Anna style). */
  att: PanelEstimate & { method: string; comparison: 'not-yet-treated' | 'never-treated' };
  /** Plain 2×2 difference in differences when there is one adoption date; null otherwise. */
  did: PanelEstimate | null;
  /** Two-way fixed effects, shown beside for comparison (biased under staggered, heterogeneous effects). */
  twfe: PanelEstimate;
  event_study: EventStudyRow[];
  /** Joint test that the leads (pre-treatment relative periods) are zero. */
  pre_trend: { statistic: number; df: number; p_value: number };
  /** Every estimated group-time effect ATT(g, t) (cohort treated at g, period t), leads included. */
  group_time: GroupTimeRow[];
  /** Units left out because they were treated from their first observed period on (no period before treatment). */
  dropped_units: number;
  options: Record<string, unknown>;
  warnings: string[];
}
