/**
 * The panel's layout: checks a long panel (one row per unit and period) and lays it out as a dense unit × period
 * matrix of outcomes (NaN where a unit was not observed), with each kept unit's adoption cohort. Units treated in or
 * before their first observed period have no untreated period to compare from; they are dropped and counted.
 */
import { CloutError } from '../../../domain/index.js';
import type { PanelData } from '../types.js';

export interface PanelLayout {
  /** Kept units (laid out by cohort; the input's order is not kept). */
  nUnits: number;
  nPeriods: number;
  /** Outcome of laid-out unit i at period t at `y[i * nPeriods + t]`; NaN when the cell was not observed. */
  y: Float64Array;
  /** The same outcomes period-major, `byPeriod[t * nUnits + i]`: the group-time loops read two contiguous rows. */
  byPeriod: Float64Array;
  /** Per laid-out unit: first treated period index, or -1 for never treated. */
  treatedAt: Int32Array;
  /** Distinct first treated periods of the kept treated units, ascending, with their unit counts. */
  cohorts: number[];
  cohortSize: number[];
  /** Cohort c's units are [cohortStart[c], cohortStart[c + 1]); the never treated are [cohortStart[G], nUnits). */
  cohortStart: Int32Array;
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
  // Lay the kept units out by cohort, never treated last.
  const cohortStart = new Int32Array(cohorts.length + 1);
  const slot = new Map<number, number>();
  let at = 0;
  cohorts.forEach((g, c) => {
    cohortStart[c] = at;
    slot.set(g, at);
    at += cohortSize[c]!;
  });
  cohortStart[cohorts.length] = at;
  slot.set(-1, at);
  const nKept = nTreatedKept + nNeverKept;
  const yOut = new Float64Array(nKept * nPeriods);
  const gOut = new Int32Array(nKept);
  for (let i = 0; i < nUnits; i++) {
    if (keep[i] === 0) continue;
    const g = treatedAt[i]!;
    const k = slot.get(g)!;
    slot.set(g, k + 1);
    gOut[k] = g;
    yOut.set(y.subarray(i * nPeriods, (i + 1) * nPeriods), k * nPeriods);
  }
  const byPeriod = new Float64Array(nKept * nPeriods);
  for (let i = 0; i < nKept; i++) for (let t = 0; t < nPeriods; t++) byPeriod[t * nKept + i] = yOut[i * nPeriods + t]!;
  return {
    nUnits: nKept, nPeriods, y: yOut, byPeriod, treatedAt: gOut, cohorts, cohortSize, cohortStart,
    nKept, nTreatedKept, nNeverKept,
    droppedAlwaysTreated, droppedUnobserved, missingCells, periodLabel,
  };
}
