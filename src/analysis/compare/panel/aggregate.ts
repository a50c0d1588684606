/**
 * Aggregations of group-time effects — Callaway & Sant'Anna (2021), §3: the overall ATT and the event study by
 * relative period e = t − g. Every aggregate weighs its ATT(g, t) cells by their treated units, so it is the average
 * effect over the treated unit-periods it covers; its influence function includes the part due to estimating those
 * weights (cohort shares), and its variance is the sum of squared influences over units (clustered by unit).
 */
import { addCellInfluence, addWeightInfluence, type GroupTimeCell } from './group-time.js';
import type { PanelLayout } from './layout.js';

export interface Aggregate {
  estimate: number;
  se: number;
  /** Treated units behind the estimate (distinct within one relative period; unit-cells over several). */
  nTreated: number;
  /** Per unit: its influence-function contribution (sums to ≈ 0; its squares sum to the variance). */
  influence: Float64Array;
}

/** The cell-size-weighted average of `cells` with its influence function and standard error; NaN when empty. */
export function aggregateCells(layout: PanelLayout, comparison: 'not-yet-treated' | 'never-treated', cells: readonly GroupTimeCell[]): Aggregate {
  const influence = new Float64Array(layout.nUnits);
  let m = 0, s = 0;
  for (const c of cells) {
    m += c.nTreated;
    s += c.nTreated * c.estimate;
  }
  if (m === 0) return { estimate: NaN, se: NaN, nTreated: 0, influence };
  const theta = s / m;
  for (const c of cells) addCellInfluence(layout, comparison, c, c.nTreated / m, influence);
  addWeightInfluence(layout, cells, theta, influence);
  let v = 0;
  for (let i = 0; i < influence.length; i++) v += influence[i]! * influence[i]!;
  return { estimate: theta, se: Math.sqrt(v), nTreated: m, influence };
}

/** The overall ATT: every post-treatment cell (t ≥ g), weighted by its treated units. */
export function overallAtt(layout: PanelLayout, comparison: 'not-yet-treated' | 'never-treated', cells: readonly GroupTimeCell[]): Aggregate {
  return aggregateCells(layout, comparison, cells.filter((c) => c.e >= 0));
}

/** The event study: one aggregate per relative period e in [−leads, lags] with cells (e = −1 is the reference and has none). */
export function eventStudy(layout: PanelLayout, comparison: 'not-yet-treated' | 'never-treated', cells: readonly GroupTimeCell[], leads: number, lags: number): Map<number, Aggregate> {
  const byE = new Map<number, GroupTimeCell[]>();
  for (const c of cells) {
    if (c.e < -leads || c.e > lags) continue;
    const list = byE.get(c.e);
    if (list) list.push(c);
    else byE.set(c.e, [c]);
  }
  const out = new Map<number, Aggregate>();
  for (const e of [...byE.keys()].sort((a, b) => a - b)) out.set(e, aggregateCells(layout, comparison, byE.get(e)!));
  return out;
}
