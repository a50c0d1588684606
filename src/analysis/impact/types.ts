/**
 * The self-contained result of an impact analysis. Rendering (terminal table, report paragraph, JSON, SVG chart)
 * reads it and computes nothing else. Field names follow the `--json` document (docs/impact.md).
 */
import type { ResolvedImpactOptions } from './options.js';

/** One column of R's `summary(impact)`: Average or Cumulative over the post period, original units. */
export interface ImpactColumn {
  actual: number;
  predicted: number;
  predicted_sd: number;
  predicted_lower: number;
  predicted_upper: number;
  abs_effect: number;
  abs_effect_sd: number;
  abs_effect_lower: number;
  abs_effect_upper: number;
  /** Relative effect sum(actual) / sum(predicted draw) − 1; the same in both columns by construction. */
  rel_effect: number;
  rel_effect_sd: number;
  rel_effect_lower: number;
  rel_effect_upper: number;
}

/** One row of the point-wise series (null where a value does not exist, e.g. effects outside the periods). */
export interface ImpactSeriesRow {
  /** 0-based row of the input and its label (date) when one was given. */
  index: number;
  time: string | number | null;
  response: number | null;
  cum_response: number | null;
  point_pred: number | null;
  point_pred_lower: number | null;
  point_pred_upper: number | null;
  cum_pred: number | null;
  cum_pred_lower: number | null;
  cum_pred_upper: number | null;
  point_effect: number | null;
  point_effect_lower: number | null;
  point_effect_upper: number | null;
  cum_effect: number | null;
  cum_effect_lower: number | null;
  cum_effect_upper: number | null;
}

/** A period as rows of the input, with their labels when the input had them. */
export interface ImpactPeriod {
  start: number;
  end: number;
  start_time: string | number | null;
  end_time: string | number | null;
}

/** A regression coefficient's posterior (on the scale the model was fitted on; standardised by default). */
export interface ImpactCoefficient {
  name: string;
  inclusion_probability: number;
  /** Posterior mean counting exclusions as 0, and the mean over the draws that include it (null if none do). */
  mean: number;
  mean_when_included: number | null;
}

/** What was fitted: sampler settings and posterior summaries of the parameters. */
export interface ImpactModelInfo {
  niter: number;
  burn: number;
  kept: number;
  seed: number;
  standardized: boolean;
  /** Target's pre-period mean and s.d. used to standardise (0 and 1 when not standardised). */
  target_mean: number;
  target_sd: number;
  controls: string[];
  components: string[];
  /** Posterior mean of the observation s.d. and of each state-noise s.d., original units. */
  sigma_obs: number;
  state_sd: Record<string, number>;
  coefficients: ImpactCoefficient[];
}

/** One backtest window of the pre-period: the sum of its points, its forecast and interval (original units). */
export interface ImpactBacktestWindow {
  start: number;
  end: number;
  start_time: string | number | null;
  end_time: string | number | null;
  actual: number;
  predicted: number;
  lower: number;
  upper: number;
  covered: boolean;
}

/**
 * How well the model forecasts data that had no intervention, and how the level's drift was set (docs/impact.md,
 * "Calibration"): rolling-origin backtests in the pre-period, fitted to its first half, forecasting the running sums
 * of the next `horizon` points from each origin.
 */
export interface ImpactCalibration {
  /** How the level's random-walk s.d. was set: learned from the pre-period (default), given, or R's default. */
  chosen_by: 'learned' | 'user' | 'r_defaults';
  /** The level's random-walk s.d. as a share of the target's pre-period s.d.: the posterior mean when learned. */
  prior_level_sd: number;
  /** The learned share's posterior (1 − α) interval; null when it was fixed. */
  prior_level_sd_interval: [number, number] | null;
  /** Points forecast ahead from each origin (the post period's length, capped at a third of the pre-period). */
  horizon: number | null;
  /** The full-horizon windows, one per origin. */
  backtests: ImpactBacktestWindow[];
  /** Share of the scored running sums (every origin × every horizon up to `horizon`) inside their (1 − α) interval. */
  coverage: number | null;
  /** The coverage the intervals claim, 1 − α. */
  nominal: number;
  /** Mean log predictive density of the scored running sums, standardised units (higher is better). */
  score: number | null;
  scored: number;
  /** Root mean square of the scored sums' errors in predictive s.d.s; about 1 when the forecasts are calibrated. */
  rms_z: number | null;
  /** Why there is no backtest, when there is none. */
  note: string | null;
}

/** Everything an impact analysis produces. */
export interface ImpactResult {
  /** Name of the target series. */
  target: string;
  /** False when inference was aborted (degenerate input): then the summary fields are null. */
  ok: boolean;
  warnings: string[];
  alpha: number;
  pre: ImpactPeriod;
  post: ImpactPeriod;
  average: ImpactColumn | null;
  cumulative: ImpactColumn | null;
  /**
   * Two-sided posterior tail-area probability of the cumulative effect: p < α exactly when the (1 − α) interval
   * excludes zero. R CausalImpact prints the one-sided tail area as "p"; that value is `p_one_sided` (= p / 2).
   */
  p: number | null;
  p_one_sided: number | null;
  /** Posterior probability of an effect in the observed direction, 1 − p_one_sided (R's "probability of a causal effect"). */
  prob_effect: number | null;
  series: ImpactSeriesRow[];
  /** Plain-language interpretation of the summary. */
  report: string | null;
  model: ImpactModelInfo | null;
  /** The pre-period backtest and the level prior's choice; null when inference was aborted. */
  calibration: ImpactCalibration | null;
  options: ResolvedImpactOptions;
}
