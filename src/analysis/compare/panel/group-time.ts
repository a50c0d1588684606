/**
 * Group-time average treatment effects ATT(g, t) — Callaway, B. & Sant'Anna, P. H. C. (2021), "Difference-in-
 * differences with multiple time periods", Journal of Econometrics 225(2), 200–230 — under unconditional parallel
 * trends, without covariates.
 *
 * For cohort g (units first treated at period g) and period t, ATT(g, t) is the change of the cohort's mean from its
 * last untreated period g − 1 to t, minus the same change among the comparison units: the never treated, or (the
 * default) every unit not yet treated by max(t, g − 1), cohort g excluded. The base period is universal: g − 1 for
 * the pre-periods too, so ATT(g, g − 1) = 0 is the event study's reference and a lead ATT(g, t), t < g − 1, is the
 * long difference Y_t − Y_{g−1} (a pre-trend accumulated over g − 1 − t periods). Each cell uses the units observed
 * at both t and g − 1, so unbalanced panels need no imputation.
 *
 * Inference by influence functions: each unit's contribution to each ATT(g, t) (a difference of two means), scaled
 * by √(n / (n − 1)) within each side so one cell's variance is the unbiased two-sample one; variances and
 * covariances of aggregates are sums of products of the aggregated contributions over units (clustered by unit).
 */
import type { PanelLayout } from './layout.js';

/** One estimated ATT(g, t). */
export interface GroupTimeCell {
  /** Index into layout.cohorts. */
  cohort: number;
  /** First treated period of the cohort, its base period (g − 1) and the period t. */
  g: number;
  base: number;
  t: number;
  /** Relative period t − g. */
  e: number;
  estimate: number;
  se: number;
  nTreated: number;
  nComparison: number;
  /** Side means of Y_t − Y_base and the small-sample scalings, for the influence function. */
  muTreated: number;
  muComparison: number;
  scaleTreated: number;
  scaleComparison: number;
}

export interface GroupTimeResult {
  cells: GroupTimeCell[];
  /** Post-treatment cells (t ≥ g) with treated units but no comparison units, per cohort g. */
  unestimable: { g: number; t: number }[];
}

/**
 * The comparison units of cohort index c at period t, as ranges of laid-out units: the never treated, and with
 * not-yet-treated comparisons every cohort first treated after max(t, g − 1) except cohort c itself.
 */
function comparisonRanges(layout: PanelLayout, c: number, t: number, notYet: boolean): [number, number][] {
  const { cohorts, cohortStart, nUnits } = layout;
  const G = cohorts.length;
  if (!notYet) return [[cohortStart[G]!, nUnits]];
  const m = Math.max(t, cohorts[c]! - 1);
  let c0 = 0;
  while (c0 < G && cohorts[c0]! <= m) c0++;
  if (c0 > c) return [[cohortStart[c0]!, nUnits]];
  return [[cohortStart[c0]!, cohortStart[c]!], [cohortStart[c + 1]!, nUnits]];
}

/** Estimates every ATT(g, t) that has treated and comparison units observed at t and g − 1. */
export function groupTimeEffects(layout: PanelLayout, comparison: 'not-yet-treated' | 'never-treated'): GroupTimeResult {
  const { nUnits: N, byPeriod: y, cohorts, cohortStart } = layout;
  const notYet = comparison === 'not-yet-treated';
  const cells: GroupTimeCell[] = [];
  const unestimable: { g: number; t: number }[] = [];
  for (let c = 0; c < cohorts.length; c++) {
    const g = cohorts[c]!, base = g - 1;
    for (let t = 0; t < layout.nPeriods; t++) {
      if (t === base) continue;
      const rowT = t * N, rowB = base * N;
      let nT = 0, sT = 0, ssT = 0, nC = 0, sC = 0, ssC = 0;
      for (let i = cohortStart[c]!; i < cohortStart[c + 1]!; i++) {
        const d = y[rowT + i]! - y[rowB + i]!;
        if (Number.isNaN(d)) continue;
        nT++;
        sT += d;
        ssT += d * d;
      }
      if (nT === 0) continue;
      for (const [from, to] of comparisonRanges(layout, c, t, notYet)) {
        for (let i = from; i < to; i++) {
          const d = y[rowT + i]! - y[rowB + i]!;
          if (Number.isNaN(d)) continue;
          nC++;
          sC += d;
          ssC += d * d;
        }
      }
      if (nC === 0) {
        if (t >= g) unestimable.push({ g, t });
        continue;
      }
      const muT = sT / nT, muC = sC / nC;
      // Σ (d − μ)² per side; the unbiased variance of each mean is that / (n (n − 1)), or 0 with one unit.
      const devT = Math.max(0, ssT - nT * muT * muT), devC = Math.max(0, ssC - nC * muC * muC);
      const scaleT = nT > 1 ? Math.sqrt(nT / (nT - 1)) : 1;
      const scaleC = nC > 1 ? Math.sqrt(nC / (nC - 1)) : 1;
      const variance = (scaleT * scaleT * devT) / (nT * nT) + (scaleC * scaleC * devC) / (nC * nC);
      cells.push({
        cohort: c, g, base, t, e: t - g, estimate: muT - muC, se: Math.sqrt(variance),
        nTreated: nT, nComparison: nC, muTreated: muT, muComparison: muC, scaleTreated: scaleT, scaleComparison: scaleC,
      });
    }
  }
  return { cells, unestimable };
}

/**
 * Adds `weight` × each unit's influence-function contribution to `cell` into `target` (one entry per laid-out
 * unit): scale·(ΔY_i − μ)/n for its treated units, −scale·(ΔY_j − μ)/n for its comparison units.
 */
export function addCellInfluence(layout: PanelLayout, comparison: 'not-yet-treated' | 'never-treated', cell: GroupTimeCell, weight: number, target: Float64Array): void {
  const { nUnits: N, byPeriod: y, cohortStart } = layout;
  const { t, base, cohort: c } = cell;
  const rowT = t * N, rowB = base * N;
  const wT = (weight * cell.scaleTreated) / cell.nTreated;
  const wC = (weight * cell.scaleComparison) / cell.nComparison;
  for (let i = cohortStart[c]!; i < cohortStart[c + 1]!; i++) {
    const d = y[rowT + i]! - y[rowB + i]!;
    if (!Number.isNaN(d)) target[i] += wT * (d - cell.muTreated);
  }
  for (const [from, to] of comparisonRanges(layout, c, t, comparison === 'not-yet-treated')) {
    for (let i = from; i < to; i++) {
      const d = y[rowT + i]! - y[rowB + i]!;
      if (!Number.isNaN(d)) target[i] -= wC * (d - cell.muComparison);
    }
  }
}

/** Adds each treated unit's share of the estimated aggregation weights: (ATT(g,t) − θ)/M over the cells it is treated in (M = treated unit-cells). */
export function addWeightInfluence(layout: PanelLayout, cells: readonly GroupTimeCell[], theta: number, target: Float64Array): void {
  const { nUnits: N, byPeriod: y, cohortStart } = layout;
  let m = 0;
  for (const c of cells) m += c.nTreated;
  if (m === 0) return;
  for (const c of cells) {
    const a = (c.estimate - theta) / m;
    if (a === 0) continue;
    for (let i = cohortStart[c.cohort]!; i < cohortStart[c.cohort + 1]!; i++) {
      if (!Number.isNaN(y[c.t * N + i]! - y[c.base * N + i]!)) target[i] += a;
    }
  }
}
