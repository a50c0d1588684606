/**
 * Options of `compareGroups`: one schema, every default beside it, unknown options rejected; the TypeScript type
 * comes from the schema.
 */
import { z } from 'zod';
import { resolveOptions } from '../stats/options.js';

/** The defaults of a cross-sectional comparison. */
export const COMPARE_DEFAULTS = {
  /** Estimators, in the order reported (the first one's estimate gets the E-value and the within-support re-run). */
  methods: ['matching', 'ipw', 'aipw'] as ('matching' | 'ipw' | 'aipw')[],
  /** Effect on the treated ('att') or on everyone ('ate'). */
  estimand: 'att' as 'att' | 'ate',
  /** Matching caliper in s.d. units of logit e (Austin 2011); null = none. */
  caliper: 0.2 as number | null,
  /** Matches per focal unit (1:K). */
  ratio: 1,
  /**
   * Match with replacement (the ATE always does). On by default: Abadie–Imbens' variance is for it, and without
   * replacement the controls run short where the treated are dense, so the caliper drops more treated units (changing
   * the estimand) and the estimate leans on the bias correction's outcome model (bench/compare-calibration.ts).
   */
  replace: true,
  /** Bias-corrected matching (Abadie & Imbens 2011): each match's outcome moved by the outcome model's difference. */
  bias_adjust: true,
  /** Multiplier-bootstrap draws for IPW and AIPW intervals; 0 = the analytic (influence-function) interval. */
  bootstrap: 1000,
  /** Seed of the bootstrap and of the cross-fitting folds. */
  seed: 1,
  /** AIPW's outcome model: least squares, or Poisson regression for counts. */
  outcome_model: 'linear' as 'linear' | 'poisson',
  /** AIPW's cross-fitting folds. */
  folds: 5,
  /** Interval level. */
  level: 0.95,
  /** IPW trimming: drop units with e outside [trim, 1 − trim]; null = none. */
  trim: null as number | null,
} as const;

const D = COMPARE_DEFAULTS;

const compareOptionsSchema = z
  .object({
    methods: z
      .array(z.enum(['matching', 'ipw', 'aipw']))
      .min(1)
      .refine((m) => new Set(m).size === m.length, 'must not repeat a method')
      .default([...D.methods]),
    estimand: z.enum(['att', 'ate']).default(D.estimand),
    caliper: z.number().gt(0).max(10).nullable().default(D.caliper),
    ratio: z.number().int().min(1).max(100).default(D.ratio),
    replace: z.boolean().default(D.replace),
    bias_adjust: z.boolean().default(D.bias_adjust),
    bootstrap: z.number().int().min(0).max(100_000).default(D.bootstrap),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(D.seed),
    outcome_model: z.enum(['linear', 'poisson']).default(D.outcome_model),
    folds: z.number().int().min(2).max(20).default(D.folds),
    level: z.number().gt(0).lt(1).default(D.level),
    trim: z.number().gt(0).lt(0.5).nullable().default(D.trim),
  })
  .strict();

/** Options as the caller gives them (every field optional). */
export type CompareOptionsInput = z.input<typeof compareOptionsSchema>;
/** Options resolved. */
export type CompareOptionsResolved = z.output<typeof compareOptionsSchema>;

/** Resolves compareGroups' options against the schema (`bad_option` CloutError on anything unknown or out of range). */
export function resolveCompareOptions(options: unknown): CompareOptionsResolved {
  return resolveOptions('compare', compareOptionsSchema, options);
}
