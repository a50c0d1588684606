/**
 * Options of the causal impact engine: one schema, every default beside it (CausalImpact's `model.args` plus the
 * spike-and-slab constants it passes to bsts), unknown options rejected. The TypeScript type comes from the schema.
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';

/** CausalImpact's defaults (R `.defaults`, `kStaticRegression*`) and BoomSpikeSlab's `SpikeSlabPrior` defaults. */
export const IMPACT_DEFAULTS = {
  /** MCMC iterations (R `niter`). */
  niter: 1000,
  /** Share of the first iterations discarded as burn-in. */
  burn: 0.1,
  /** Seed of the one random stream (R fixes it to 1 and hides it; we expose it). */
  seed: 1,
  /** Tail area of the posterior intervals: 0.05 gives central 95% intervals. */
  alpha: 0.05,
  /** Standardise every column with its pre-period mean and s.d. before fitting (R `standardize.data`). */
  standardize: true,
  /**
   * The level's random-walk s.d., as a share of the target's s.d.: `'learned'` samples it from the pre-period under a
   * log-uniform prior on [0.001, 1] (every decade equally likely); a number is R's `prior.level.sd`, a prior guess
   * held by an inverse gamma worth 32 observations.
   */
  prior_level_sd: 'learned' as 'learned' | number,
  /** Give R CausalImpact's model exactly: `prior_level_sd` 0.01 unless a number is given, and `prior_df` 50. */
  r_defaults: false,
  /** Backtest the forecasts in the pre-period (calibration): rolling origins, scored against data without intervention. */
  backtest: true,
  /** Trend component: a local level (R's only choice) or a local linear trend (level + slope). */
  trend: 'local_level' as 'local_level' | 'local_linear_trend',
  /** Seasons of the dummy seasonal component; 1 = none (R `nseasons`). */
  seasons: 1,
  /** Time points per season (R `season.duration`). */
  season_duration: 1,
  /** Random-walk regression coefficients instead of static spike-and-slab ones (R `dynamic.regression`). */
  dynamic_regression: false,
  /** Prior expected number of included regressors, intercept counted (R constant 3). */
  expected_model_size: 3,
  /** Prior expected R² of the regression (R constant 0.8). */
  expected_r2: 0.8,
  /**
   * Prior sample size of the residual variance; `'auto'`: R's constant 50 with a fixed level prior, 1 when the level's
   * s.d. is learned (R's 50 observations' worth of "R² = 0.8" pushes the noise into the level when the level is free).
   */
  prior_df: 'auto' as 'auto' | number,
  /** Observations' worth of weight of the slab's prior mean (BoomSpikeSlab default 0.01). */
  prior_information_weight: 0.01,
  /** Weight of the diagonal in the slab's prior precision (BoomSpikeSlab default 0.5). */
  diagonal_shrinkage: 0.5,
  /** Inclusion indicators proposed per iteration; -1 = all of them (R `max.flips`). */
  max_flips: -1,
} as const;

const D = IMPACT_DEFAULTS;

const impactOptionsSchema = z
  .object({
    niter: z.number().int().min(10, 'must be ≥ 10 (1000 recommended)').max(1_000_000).default(D.niter),
    burn: z.number().min(0).max(0.9).default(D.burn),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(D.seed),
    alpha: z.number().gt(0).lt(1).default(D.alpha),
    standardize: z.boolean().default(D.standardize),
    prior_level_sd: z.union([z.literal('learned'), z.number().gt(0).max(10)]).default(D.prior_level_sd),
    r_defaults: z.boolean().default(D.r_defaults),
    backtest: z.boolean().default(D.backtest),
    trend: z.enum(['local_level', 'local_linear_trend']).default(D.trend),
    seasons: z.number().int().min(1).max(10_000).default(D.seasons),
    season_duration: z.number().int().min(1).max(100_000).default(D.season_duration),
    dynamic_regression: z.boolean().default(D.dynamic_regression),
    expected_model_size: z.number().gt(0).default(D.expected_model_size),
    expected_r2: z.number().gt(0).lt(1).default(D.expected_r2),
    prior_df: z.union([z.literal('auto'), z.number().gt(0)]).default(D.prior_df),
    prior_information_weight: z.number().gt(0).default(D.prior_information_weight),
    diagonal_shrinkage: z.number().min(0).max(1).default(D.diagonal_shrinkage),
    max_flips: z
      .number()
      .int()
      .refine((v) => v === -1 || v > 0, 'must be -1 (all) or > 0')
      .default(D.max_flips),
  })
  .strict();

/** Options accepted by `causalImpact` (every field optional). */
export type ImpactOptions = z.input<typeof impactOptionsSchema>;
/** Options with every default applied: `r_defaults` resolved into the level prior, `prior_df` and `backtest`. */
export type ResolvedImpactOptions = Omit<z.output<typeof impactOptionsSchema>, 'prior_df'> & { prior_df: number };

/** Residual variance prior's sample size: R's with a fixed level prior, weak with a learned one. */
export const PRIOR_DF = { fixed: 50, learned: 1 } as const;

/** Checks options and applies defaults; an unknown or out-of-range option is a `bad_option` error. */
export function resolveImpactOptions(options: ImpactOptions = {}): ResolvedImpactOptions {
  const result = impactOptionsSchema.safeParse(options);
  if (result.success) {
    const o = result.data;
    const level = o.r_defaults && o.prior_level_sd === 'learned' ? 0.01 : o.prior_level_sd;
    const priorDf = o.prior_df !== 'auto' ? o.prior_df : level === 'learned' ? PRIOR_DF.learned : PRIOR_DF.fixed;
    return { ...o, prior_level_sd: level, prior_df: priorDf };
  }
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  const message = issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message;
  throw new CloutError('bad_option', `impact: ${where}: ${message}`);
}

/** Number of burn-in iterations for the resolved options (at least one draw is always kept). */
export function burnCount(o: Pick<ResolvedImpactOptions, 'niter' | 'burn'>): number {
  return Math.min(o.niter - 1, Math.floor(o.burn * o.niter));
}
