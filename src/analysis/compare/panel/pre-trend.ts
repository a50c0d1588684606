/**
 * The pre-trend test: a joint Wald test that every lead of the event study is zero, W = θ' V⁻¹ θ against a
 * chi-square with as many degrees of freedom as independent leads, V the leads' covariance from their influence
 * functions (clustered by unit). Under parallel trends (and no anticipation) the leads estimate zero; a small p
 * says the groups were already drifting apart before treatment (Callaway & Sant'Anna 2021, §4; Roth 2022 on what
 * such tests can and cannot show).
 */
import { chiSquareSurvival } from './chi-square.js';

export interface WaldTest {
  statistic: number;
  df: number;
  p_value: number;
}

/**
 * Wald test of θ = 0 with covariance Σ_i φ_i φ_i' from per-unit influence vectors; leads whose influence is a linear
 * combination of earlier ones (a zero pivot) are left out of the test and the degrees of freedom. NaN with df 0.
 */
export function waldZero(estimates: readonly number[], influences: readonly Float64Array[]): WaldTest {
  const k = estimates.length;
  if (k === 0) return { statistic: NaN, df: 0, p_value: NaN };
  const n = influences[0]!.length;
  const v = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const fa = influences[a]!;
    for (let b = 0; b <= a; b++) {
      const fb = influences[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += fa[i]! * fb[i]!;
      v[a * k + b] = s;
      v[b * k + a] = s;
    }
  }
  // LDLᵀ without pivoting, skipping a lead whose pivot is ≤ 1e-10 of its variance (dependent on earlier leads).
  const l = new Float64Array(k * k), d = new Float64Array(k), used = new Uint8Array(k);
  let df = 0;
  for (let j = 0; j < k; j++) {
    let dj = v[j * k + j]!;
    for (let m = 0; m < j; m++) if (used[m]) dj -= l[j * k + m]! * l[j * k + m]! * d[m]!;
    if (!(dj > 1e-10 * v[j * k + j]!) || !(v[j * k + j]! > 0)) continue;
    used[j] = 1;
    d[j] = dj;
    l[j * k + j] = 1;
    df++;
    for (let r = j + 1; r < k; r++) {
      let s = v[r * k + j]!;
      for (let m = 0; m < j; m++) if (used[m]) s -= l[r * k + m]! * l[j * k + m]! * d[m]!;
      l[r * k + j] = s / dj;
    }
  }
  if (df === 0) return { statistic: NaN, df: 0, p_value: NaN };
  // W = Σ_j z_j² / d_j with L z = θ over the used leads.
  const z = new Float64Array(k);
  let w = 0;
  for (let j = 0; j < k; j++) {
    if (!used[j]) continue;
    let s = estimates[j]!;
    for (let m = 0; m < j; m++) if (used[m]) s -= l[j * k + m]! * z[m]!;
    z[j] = s;
    w += (s * s) / d[j]!;
  }
  return { statistic: w, df, p_value: chiSquareSurvival(w, df) };
}
