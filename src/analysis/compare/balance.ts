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

/** Weighted means and variances of every column over one arm (weights null = all 1), two passes over the rows. */
function moments(X: Float64Array, p: number, treatment: Uint8Array, arm: number, w: Float64Array | null): { mean: Float64Array; variance: Float64Array } {
  let sw = 0, sw2 = 0;
  const n = treatment.length;
  const mean = new Float64Array(p), ss = new Float64Array(p), variance = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (treatment[i] !== arm) continue;
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    sw += wi;
    sw2 += wi * wi;
    const off = i * p;
    for (let j = 0; j < p; j++) mean[j] += wi * X[off + j]!;
  }
  for (let j = 0; j < p; j++) mean[j] /= sw;
  for (let i = 0; i < n; i++) {
    if (treatment[i] !== arm) continue;
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    const off = i * p;
    for (let j = 0; j < p; j++) ss[j] += wi * (X[off + j]! - mean[j]!) ** 2;
  }
  const denom = sw - sw2 / sw;
  for (let j = 0; j < p; j++) variance[j] = denom > 0 ? ss[j]! / denom : 0;
  return { mean, variance };
}

/** The balance table: SMD and variance ratio before, after matching (or weighting) and after IPW weighting. */
export function balanceTable(X: Float64Array, p: number, names: readonly string[], treatment: Uint8Array, after: Float64Array | null, weighted: Float64Array | null): BalanceRow[] {
  const rows: BalanceRow[] = [];
  const t0 = moments(X, p, treatment, 1, null), c0 = moments(X, p, treatment, 0, null);
  const afterWeights = after ?? weighted;
  const t1 = afterWeights ? moments(X, p, treatment, 1, afterWeights) : null, c1 = afterWeights ? moments(X, p, treatment, 0, afterWeights) : null;
  const t2 = weighted ? moments(X, p, treatment, 1, weighted) : null, c2 = weighted ? moments(X, p, treatment, 0, weighted) : null;
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt((t0.variance[j]! + c0.variance[j]!) / 2);
    const smd = (a: number, b: number): number => (s > 0 ? (a - b) / s : a === b ? 0 : Math.sign(a - b) * Infinity);
    rows.push({
      covariate: names[j]!,
      smd_before: smd(t0.mean[j]!, c0.mean[j]!),
      smd_after: t1 && c1 ? smd(t1.mean[j]!, c1.mean[j]!) : NaN,
      variance_ratio_before: t0.variance[j]! / c0.variance[j]!,
      variance_ratio_after: t1 && c1 ? t1.variance[j]! / c1.variance[j]! : NaN,
      smd_weighted: t2 && c2 ? smd(t2.mean[j]!, c2.mean[j]!) : null,
    });
  }
  return rows;
}
