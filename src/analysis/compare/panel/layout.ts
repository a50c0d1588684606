/**
 * The panel's layout: checks a long panel (one row per unit and period) and lays it out as a dense unit × period
 * matrix of outcomes (NaN where a unit was not observed), with each kept unit's adoption cohort. Units treated in or
 * before their first observed period have no untreated period to compare from; they are dropped and counted.
 */
import { CloutError } from '../../../domain/index.js';
import type { PanelData } from '../types.js';

export interface PanelLayout {
  nUnits: number;
  nPeriods: number;
  /** Outcome of unit i at period t at `y[i * nPeriods + t]`; NaN when the cell was not observed. */
  y: Float64Array;
  /** Per unit: 1 when it takes part (observed, and not treated from its first observation on). */
  keep: Uint8Array;
  /** Per unit: first treated period index, or -1 for never treated (as given). */
  treatedAt: Int32Array;
  /** Distinct first treated periods of the kept treated units, ascending, with their unit counts. */
  cohorts: number[];
  cohortSize: number[];
  nKept: number;
  nTreatedKept: number;
  nNeverKept: number;
  /** Units dropped because they were treated in or before their first observed period. */
  droppedAlwaysTreated: number;
  /** Units without any observation. */
  droppedUnobserved: number;
  /** Unit × period cells missing among kept units (0 for a balanced panel). */
  missingCells: number;
  periodLabel: (t: number) => string;
}

const WHAT = 'compare --panel';

/** Checks a panel and lays it out densely; throws CloutError('input') naming the first problem. */
export function layoutPanel(data: PanelData, comparison: 'not-yet-treated' | 'never-treated'): PanelLayout {
  const { unit, period, outcome, treatedAt } = data;
  const rows = outcome.length;
  if (unit.length !== rows || period.length !== rows) {
    throw new CloutError('input', `${WHAT}: unit, period and outcome must have one entry per row (got ${unit.length}, ${period.length} and ${rows})`);
  }
  const nUnits = treatedAt.length;
  let maxPeriod = -1;
  for (let r = 0; r < rows; r++) if (period[r]! > maxPeriod) maxPeriod = period[r]!;
  const nPeriods = Math.max(data.periodLabels?.length ?? 0, maxPeriod + 1);
  if (nPeriods < 2) throw new CloutError('input', `${WHAT}: the panel has ${nPeriods} period${nPeriods === 1 ? '' : 's'}; need ≥ 2`);
  const periodLabel = (t: number): string => data.periodLabels?.[t] ?? String(t);
  const unitLabel = (i: number): string => data.unitLabels?.[i] ?? String(i);

  const y = new Float64Array(nUnits * nPeriods).fill(NaN);
  for (let r = 0; r < rows; r++) {
    const i = unit[r]!, t = period[r]!, v = outcome[r]!;
    if (!(i >= 0 && i < nUnits)) throw new CloutError('input', `${WHAT}: row ${r} has unit index ${i}; units are 0..${nUnits - 1} (one treatedAt entry per unit)`);
    if (!(t >= 0 && t < nPeriods)) throw new CloutError('input', `${WHAT}: row ${r} has period index ${t}; periods are 0..${nPeriods - 1}`);
    if (!Number.isFinite(v)) throw new CloutError('input', `${WHAT}: row ${r} (unit ${unitLabel(i)}, period ${periodLabel(t)}) has outcome ${v}; need a finite number`);
    const k = i * nPeriods + t;
    if (!Number.isNaN(y[k]!)) throw new CloutError('input', `${WHAT}: unit ${unitLabel(i)} has two rows for period ${periodLabel(t)}`);
    y[k] = v;
  }

  const keep = new Uint8Array(nUnits);
  const sizes = new Map<number, number>();
  let droppedAlwaysTreated = 0, droppedUnobserved = 0, nNeverKept = 0, missingCells = 0;
  for (let i = 0; i < nUnits; i++) {
    const g = treatedAt[i]!;
    if (!Number.isInteger(g) || g < -1 || g >= nPeriods) {
      throw new CloutError('input', `${WHAT}: unit ${unitLabel(i)} has first treated period ${g}; need -1 (never) or 0..${nPeriods - 1}`);
    }
    let first = -1, observed = 0;
    for (let t = 0; t < nPeriods; t++) {
      if (Number.isNaN(y[i * nPeriods + t]!)) continue;
      if (first < 0) first = t;
      observed++;
    }
    if (first < 0) {
      droppedUnobserved++;
      continue;
    }
    if (g >= 0 && g <= first) {
      droppedAlwaysTreated++;
      continue;
    }
    keep[i] = 1;
    missingCells += nPeriods - observed;
    if (g < 0) nNeverKept++;
    else sizes.set(g, (sizes.get(g) ?? 0) + 1);
  }
  const cohorts = [...sizes.keys()].sort((a, b) => a - b);
  const cohortSize = cohorts.map((g) => sizes.get(g)!);
  const nTreatedKept = cohortSize.reduce((s, n) => s + n, 0);

  if (nTreatedKept === 0) {
    const why = droppedAlwaysTreated > 0 ? ` (${droppedAlwaysTreated} treated unit${droppedAlwaysTreated === 1 ? ' was' : 's were'} treated from their first period on, with no period before treatment)` : '';
    throw new CloutError('input', `${WHAT}: no treated units${why}; need ≥ 1 unit treated after its first period`);
  }
  if (comparison === 'never-treated' && nNeverKept === 0) {
    throw new CloutError('input', `${WHAT}: no never-treated units to compare with; use the not-yet-treated comparison or add units that are never treated`);
  }
  if (nNeverKept === 0 && cohorts.length < 2) {
    throw new CloutError('input', `${WHAT}: no comparison units: every unit is treated at period ${periodLabel(cohorts[0]!)}; need never-treated units or units treated at other times`);
  }
  return {
    nUnits, nPeriods, y, keep, treatedAt, cohorts, cohortSize,
    nKept: nTreatedKept + nNeverKept, nTreatedKept, nNeverKept,
    droppedAlwaysTreated, droppedUnobserved, missingCells, periodLabel,
  };
}
