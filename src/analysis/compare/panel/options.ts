/**
 * The options of `comparePanel`: one defaults object and one strict schema (unknown options are rejected).
 * There is no seed: every interval here is analytic (influence functions and cluster-robust sandwiches), so the
 * answer is deterministic.
 */
import { z } from 'zod';
import { resolveOptions } from '../../stats/options.js';

export const PANEL_DEFAULTS = {
  /** Whom each cohort is compared with: units not yet treated by the period (and never treated), or never treated only. */
  comparison: 'not-yet-treated' as 'not-yet-treated' | 'never-treated',
  /** Confidence level of every interval; the pre-trend warning fires when p < 1 − level. */
  level: 0.95,
  /** Most pre-treatment relative periods shown in the event study and tested for pre-trends (e = −1 … −leads). */
  leads: 10,
  /** Most post-treatment relative periods shown in the event study (e = 0 … lags); the overall ATT uses all of them. */
  lags: 10,
};

export const panelOptionsSchema = z
  .object({
    comparison: z.enum(['not-yet-treated', 'never-treated']).default(PANEL_DEFAULTS.comparison),
    level: z.number().gt(0).lt(1).default(PANEL_DEFAULTS.level),
    leads: z.number().int().min(1).max(1000).default(PANEL_DEFAULTS.leads),
    lags: z.number().int().min(0).max(1000).default(PANEL_DEFAULTS.lags),
  })
  .strict();

export type PanelOptions = z.input<typeof panelOptionsSchema>;
export type ResolvedPanelOptions = z.output<typeof panelOptionsSchema>;

/** Checks and completes the options of `comparePanel` (a `bad_option` CloutError names the option). */
export function resolvePanelOptions(options: unknown): ResolvedPanelOptions {
  return resolveOptions('compare --panel', panelOptionsSchema, options);
}
