/**
 * The plain 2×2 difference in differences (Card & Krueger 1994; Angrist & Pischke 2009, ch. 5) when every treated
 * unit adopts at one date g: (Ȳ treated, post − Ȳ treated, pre) − (Ȳ control, post − Ȳ control, pre) over the
 * observed unit-periods, pre = periods before g, post = g on, controls = never treated. It is the interaction of the
 * saturated regression Y = b0 + b1·treated + b2·post + b3·treated·post, whose cluster-robust (by unit) sandwich gives
 * the standard error, with the CR1 small-sample factor G/(G−1)·(N−1)/(N−4) and a t interval on G − 1 degrees of freedom.
 */
import { invertSpd } from '../../stats/linalg.js';
import { studentQuantile } from '../../stats/normal.js';
import type { PanelEstimate } from '../types.js';
import type { PanelLayout } from './layout.js';

/** The 2×2 DiD with cluster-robust s.e. by unit, or null unless all kept treated units share one adoption period. */
export function twoByTwo(layout: PanelLayout, level: number): PanelEstimate | null {
  const { nUnits, nPeriods: T, y, treatedAt, cohorts } = layout;
  if (cohorts.length !== 1 || layout.nNeverKept === 0) return null;
  const g = cohorts[0]!;
  // Cell sums and counts: index 2·treated + post.
  const sum = new Float64Array(4), count = new Float64Array(4);
  for (let i = 0; i < nUnits; i++) {
    const tr = treatedAt[i]! >= 0 ? 2 : 0;
    for (let t = 0; t < T; t++) {
      const v = y[i * T + t]!;
      if (Number.isNaN(v)) continue;
      const k = tr + (t >= g ? 1 : 0);
      sum[k] += v;
      count[k]++;
    }
  }
  if (count[0] === 0 || count[1] === 0 || count[2] === 0 || count[3] === 0) return null;
  const mean = (k: number): number => sum[k]! / count[k]!;
  const estimate = mean(3) - mean(2) - (mean(1) - mean(0));
  // X'X for columns (1, treated, post, treated·post) and the per-unit scores Σ_t x_it e_it.
  const xtx = new Float64Array(16);
  const meat = new Float64Array(16);
  const score = new Float64Array(4);
  const x = new Float64Array(4);
  let nObs = 0, clusters = 0;
  for (let i = 0; i < nUnits; i++) {
    const tr = treatedAt[i]! >= 0 ? 1 : 0;
    score.fill(0);
    let seen = false;
    for (let t = 0; t < T; t++) {
      const v = y[i * T + t]!;
      if (Number.isNaN(v)) continue;
      seen = true;
      nObs++;
      const post = t >= g ? 1 : 0;
      x[0] = 1, x[1] = tr, x[2] = post, x[3] = tr * post;
      const e = v - mean(2 * tr + post);
      for (let a = 0; a < 4; a++) {
        score[a] += x[a]! * e;
        for (let b = 0; b < 4; b++) xtx[a * 4 + b] += x[a]! * x[b]!;
      }
    }
    if (!seen) continue;
    clusters++;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) meat[a * 4 + b] += score[a]! * score[b]!;
  }
  const inv = invertSpd(xtx, 4);
  if (!inv || clusters < 2 || nObs <= 4) return null;
  // Row 3 of the sandwich (X'X)⁻¹ M (X'X)⁻¹, entry (3, 3).
  let v = 0;
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) v += inv[3 * 4 + a]! * meat[a * 4 + b]! * inv[b * 4 + 3]!;
  v *= (clusters / (clusters - 1)) * ((nObs - 1) / (nObs - 4));
  const se = Math.sqrt(v);
  const q = studentQuantile(0.5 + level / 2, clusters - 1);
  return { estimate, lower: estimate - q * se, upper: estimate + q * se, se };
}
