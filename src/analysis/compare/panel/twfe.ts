/**
 * Two-way fixed effects: Y_it = α_i + λ_t + β·D_it + ε_it with D_it = 1 once unit i is treated, by the within
 * transformation (Frisch–Waugh–Lovell: β from the residuals of Y and D on unit and period dummies). Shown beside the
 * staggered-robust estimator because under staggered adoption with effects that change over time β is a weighted
 * average of 2×2 comparisons, some with negative weights (Goodman-Bacon 2021; de Chaisemartin & D'Haultfœuille 2020).
 *
 * Balanced panels are demeaned exactly in both directions; unbalanced panels concentrate out the unit effects and
 * solve the period effects' normal equations exactly (a T × T positive semi-definite system). Standard errors are
 * cluster-robust by unit with the factor G/(G−1)·(N−1)/(N−K), K = 1 + the period effects' rank (unit effects are
 * nested in the clusters and not counted, as reghdfe and Stata's xtreg do), and a t interval on G − 1 degrees of freedom.
 */
import { studentQuantile } from '../../stats/normal.js';
import type { PanelEstimate } from '../types.js';
import type { PanelLayout } from './layout.js';

/** LDLᵀ of a PSD matrix (in place, lower part), with pivots ≤ tol·diagonal marked unused; returns the rank. */
function ldlPsd(a: Float64Array, n: number, used: Uint8Array): number {
  let rank = 0;
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = a[j * n + j]!;
  for (let j = 0; j < n; j++) {
    let dj = a[j * n + j]!;
    for (let m = 0; m < j; m++) if (used[m]) dj -= a[j * n + m]! * a[j * n + m]! * a[m * n + m]!;
    if (!(dj > 1e-10 * Math.max(diag[j]!, 1e-300))) {
      for (let r = j; r < n; r++) a[r * n + j] = 0;
      continue;
    }
    used[j] = 1;
    rank++;
    a[j * n + j] = dj;
    for (let r = j + 1; r < n; r++) {
      let s = a[r * n + j]!;
      for (let m = 0; m < j; m++) if (used[m]) s -= a[r * n + m]! * a[j * n + m]! * a[m * n + m]!;
      a[r * n + j] = s / dj;
    }
  }
  return rank;
}

/** Solves with the factor of ldlPsd (unused unknowns set to 0). */
function ldlSolve(a: Float64Array, n: number, used: Uint8Array, b: Float64Array): Float64Array {
  const z = Float64Array.from(b);
  for (let j = 0; j < n; j++) {
    if (!used[j]) continue;
    for (let m = 0; m < j; m++) if (used[m]) z[j] -= a[j * n + m]! * z[m]!;
  }
  for (let j = 0; j < n; j++) z[j] = used[j] ? z[j]! / a[j * n + j]! : 0;
  for (let j = n - 1; j >= 0; j--) {
    if (!used[j]) continue;
    for (let r = j + 1; r < n; r++) if (used[r]) z[j] -= a[r * n + j]! * z[r]!;
  }
  return z;
}

/**
 * Residuals of each unit × period matrix in `xs` (NaN = missing, same pattern as layout.y) on unit and period
 * dummies over the kept units, and the period effects' rank.
 */
export function twoWayResiduals(layout: PanelLayout, xs: readonly Float64Array[]): { residuals: Float64Array[]; periodRank: number } {
  const { nUnits, nPeriods: T, y } = layout;
  const out = xs.map((x) => Float64Array.from(x));
  // Demean by unit.
  const nObs = new Int32Array(nUnits);
  for (let i = 0; i < nUnits; i++) {
    for (let t = 0; t < T; t++) if (!Number.isNaN(y[i * T + t]!)) nObs[i]++;
    for (const r of out) {
      let s = 0;
      for (let t = 0; t < T; t++) if (!Number.isNaN(y[i * T + t]!)) s += r[i * T + t]!;
      const m = s / nObs[i]!;
      for (let t = 0; t < T; t++) r[i * T + t] -= m;
    }
  }
  // Period effects: A λ = b, A = diag(count) − Σ_i (1/n_i) 1_{S_i} 1_{S_i}', b_t = Σ_i x̃_it.
  const a = new Float64Array(T * T);
  const bs = out.map(() => new Float64Array(T));
  const seen = new Int32Array(T);
  // Units observed in every period all add (1/T)·11'; only the others need their own outer product.
  let complete = 0;
  for (let i = 0; i < nUnits; i++) {
    if (nObs[i] === T) {
      complete++;
      for (let t = 0; t < T; t++) {
        a[t * T + t] += 1;
        for (let j = 0; j < out.length; j++) bs[j]![t] += out[j]![i * T + t]!;
      }
      continue;
    }
    let k = 0;
    for (let t = 0; t < T; t++) if (!Number.isNaN(y[i * T + t]!)) seen[k++] = t;
    const w = 1 / nObs[i]!;
    for (let p = 0; p < k; p++) {
      const tp = seen[p]!;
      a[tp * T + tp] += 1;
      for (let q = 0; q < k; q++) a[tp * T + seen[q]!] -= w;
      for (let j = 0; j < out.length; j++) bs[j]![tp] += out[j]![i * T + tp]!;
    }
  }
  if (complete > 0) for (let k = 0; k < T * T; k++) a[k] -= complete / T;
  const used = new Uint8Array(T);
  const periodRank = ldlPsd(a, T, used);
  for (let j = 0; j < out.length; j++) {
    const lambda = ldlSolve(a, T, used, bs[j]!);
    const r = out[j]!;
    for (let i = 0; i < nUnits; i++) {
      let s = 0;
      for (let t = 0; t < T; t++) if (!Number.isNaN(y[i * T + t]!)) s += lambda[t]!;
      const mean = s / nObs[i]!;
      for (let t = 0; t < T; t++) r[i * T + t] -= lambda[t]! - mean;
    }
  }
  return { residuals: out, periodRank };
}

/** The TWFE coefficient of the treated-after dummy with cluster-robust (by unit) s.e.; NaN when D has no within variation. */
export function twoWayFixedEffects(layout: PanelLayout, level: number): PanelEstimate {
  const { nUnits, nPeriods: T, y, treatedAt } = layout;
  const d = new Float64Array(nUnits * T);
  for (let i = 0; i < nUnits; i++) {
    const g = treatedAt[i]!;
    for (let t = 0; t < T; t++) d[i * T + t] = g >= 0 && t >= g ? 1 : 0;
  }
  const { residuals: [ry, rd], periodRank } = twoWayResiduals(layout, [y, d]);
  let sdd = 0, sdy = 0, nObs = 0, clusters = 0;
  for (let i = 0; i < nUnits; i++) {
    clusters++;
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      if (Number.isNaN(y[k]!)) continue;
      nObs++;
      sdd += rd![k]! * rd![k]!;
      sdy += rd![k]! * ry![k]!;
    }
  }
  const nan = { estimate: NaN, lower: NaN, upper: NaN, se: NaN };
  if (!(sdd > 1e-12 * nObs)) return nan;
  const beta = sdy / sdd;
  let meat = 0;
  for (let i = 0; i < nUnits; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      if (Number.isNaN(y[k]!)) continue;
      s += rd![k]! * (ry![k]! - beta * rd![k]!);
    }
    meat += s * s;
  }
  const kParams = 1 + periodRank;
  if (clusters < 2 || nObs <= kParams) return { ...nan, estimate: beta };
  const se = Math.sqrt(((clusters / (clusters - 1)) * ((nObs - 1) / (nObs - kParams)) * meat) / (sdd * sdd));
  const q = studentQuantile(0.5 + level / 2, clusters - 1);
  return { estimate: beta, lower: beta - q * se, upper: beta + q * se, se };
}
