/**
 * Warnings users of CausalImpact ask for, in plain words: forecasts that failed their own backtest, controls that
 * barely move with the target, a pre-period too short for the seasonality asked for, and a post period longer than
 * the pre-period. Each reads the prepared data or the calibration block and says what to do about it.
 */
import { pearson } from '../stats/rank.js';
import type { PreparedData } from './data.js';
import type { ResolvedImpactOptions } from './options.js';
import type { ImpactCalibration } from './types.js';

/** Thresholds of the warnings. */
export const WARNING_LIMITS = {
  /** Backtest coverage this far below the nominal level is "far from nominal". */
  coverageShortfall: 0.15,
  /** A control whose pre-period correlation with the target is below this (in absolute value) "barely correlates". */
  weakCorrelation: 0.2,
  /** Full seasonal cycles the pre-period should hold. */
  seasonalCycles: 2,
} as const;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A warning when the backtest's intervals held the pre-period's data far less often than they claim. */
export function calibrationWarnings(c: ImpactCalibration): string[] {
  if (c.coverage === null || c.coverage >= c.nominal - WARNING_LIMITS.coverageShortfall) return [];
  return [
    `in backtests on the pre-period the ${pct(c.nominal)} intervals held the data only ${pct(c.coverage)} of the time: ` +
      `the post period's interval is likely too narrow too (a level that drifts more than the model allows, a trend, ` +
      `or a break in the pre-period); ` +
      (c.chosen_by === 'learned'
        ? 'try --trend local_linear_trend, or a pre-period that starts after the break'
        : 'leave out --prior-level-sd and --r-defaults to let the pre-period set the level\'s drift'),
  ];
}

/** Warnings about the data's design: weak controls, too few seasonal cycles, a post period longer than the pre-period. */
export function designWarnings(d: PreparedData, o: ResolvedImpactOptions): string[] {
  const warnings: string[] = [];
  const preRows = d.preEnd + 1;
  const target: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < preRows; t++) {
    if (Number.isNaN(d.y[t]!)) continue;
    target.push(d.y[t]!);
    rows.push(t);
  }
  d.x.forEach((col, j) => {
    const r = pearson(target, rows.map((t) => col[t]!));
    if (Number.isFinite(r) && Math.abs(r) < WARNING_LIMITS.weakCorrelation) {
      warnings.push(
        `control '${d.names[j]}' barely moves with the target in the pre-period (correlation ${r.toFixed(2)}); it adds ` +
          'little to the counterfactual — a control that tracks the target narrows the interval',
      );
    }
  });
  const cycle = o.seasons * o.season_duration;
  if (o.seasons > 1 && cycle * WARNING_LIMITS.seasonalCycles > preRows) {
    warnings.push(
      `the pre-period (${preRows} points) holds ${cycle > preRows ? 'less than one' : 'fewer than two'} seasonal cycle${cycle > preRows ? '' : 's'} ` +
        `(${cycle} points each); the seasonal effects rest largely on the prior — give a longer pre-period or drop --seasons`,
    );
  }
  const postRows = d.postEnd - d.postStart + 1;
  if (postRows > preRows) {
    warnings.push(
      `the post period (${postRows} points) is longer than the pre-period (${preRows}): the counterfactual is projected ` +
        'further than the data behind it, and its interval widens with every point — give a longer pre-period or a shorter post period',
    );
  }
  return warnings;
}
