/**
 * Covariate balance (Austin 2009; Stuart 2010): per expanded covariate, the standardised mean difference
 * SMD = (x̄_treated − x̄_control) / s and the variance ratio s²_treated / s²_control, before adjustment, in the matched
 * sample (match weights a_i + K_i: a unit's weight is how often it stands in the comparison) and in the IPW-weighted
 * sample. One denominator for every column and every sample: s = √((s²_t + s²_c)/2), the pooled s.d. of the
 * *unadjusted* groups (Austin 2009; cobalt's default for the ATE — cobalt uses the treated s.d. for the ATT; we keep
 * the pooled one for both so before/after and ATT/ATE read alike). 0/1 columns (categorical levels) are standardised
 * the same way. Weighted variances use the reliability-weights form Σw(x − x̄)² / (Σw − Σw²/Σw), as cobalt does.
 * The usual bars: |SMD| < 0.1 and variance ratios within [0.5, 2].
 */
import type { BalanceRow } from './types.js';

/** Weighted mean and variance of column j over one arm (weights null = all 1). */
function moments(X: Float64Array, p: number, j: number, treatment: Uint8Array, arm: number, w: Float64Array | null): { mean: number; variance: number } {
  let sw = 0, sw2 = 0, sx = 0;
  const n = treatment.length;
  for (let i = 0; i < n; i++) {
    if (treatment[i] !== arm) continue;
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    sw += wi;
    sw2 += wi * wi;
    sx += wi * X[i * p + j]!;
  }
  const mean = sx / sw;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    if (treatment[i] !== arm) continue;
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    ss += wi * (X[i * p + j]! - mean) ** 2;
  }
  const denom = sw - sw2 / sw;
  return { mean, variance: denom > 0 ? ss / denom : 0 };
}

/** The balance table: SMD and variance ratio before, after matching (or weighting) and after IPW weighting. */
export function balanceTable(X: Float64Array, p: number, names: readonly string[], treatment: Uint8Array, after: Float64Array | null, weighted: Float64Array | null): BalanceRow[] {
  const rows: BalanceRow[] = [];
  for (let j = 0; j < p; j++) {
    const t0 = moments(X, p, j, treatment, 1, null), c0 = moments(X, p, j, treatment, 0, null);
    const s = Math.sqrt((t0.variance + c0.variance) / 2);
    const smd = (a: number, b: number): number => (s > 0 ? (a - b) / s : a === b ? 0 : Math.sign(a - b) * Infinity);
    const row: BalanceRow = {
      covariate: names[j]!,
      smd_before: smd(t0.mean, c0.mean),
      smd_after: NaN,
      variance_ratio_before: t0.variance / c0.variance,
      variance_ratio_after: NaN,
      smd_weighted: null,
    };
    const afterWeights = after ?? weighted;
    if (afterWeights) {
      const t1 = moments(X, p, j, treatment, 1, afterWeights), c1 = moments(X, p, j, treatment, 0, afterWeights);
      row.smd_after = smd(t1.mean, c1.mean);
      row.variance_ratio_after = t1.variance / c1.variance;
    }
    if (weighted) {
      const t2 = moments(X, p, j, treatment, 1, weighted), c2 = moments(X, p, j, treatment, 0, weighted);
      row.smd_weighted = smd(t2.mean, c2.mean);
    }
    rows.push(row);
  }
  return rows;
}
