/**
 * The multiplier (wild) bootstrap over influence functions (Kline & Santos 2012; Chernozhukov, Chetverikov & Kato
 * 2013 for its use with cross-fitted estimators): for an estimator with τ̂ − τ ≈ (1/n) Σ ψ_i, draw b is
 * τ̂ + (1/n) Σ ξ_bi ψ_i with independent Rademacher multipliers ξ (±1, probability ½ each). It reuses the fitted
 * score and outcome models instead of re-fitting them per draw — their estimation is already in ψ — so 1,000 draws
 * cost 1,000 passes of additions over ψ. All ψ vectors given are drawn with the same multipliers (one stream).
 */
import { Rng } from '../../domain/index.js';
import { quantileSorted } from '../stats/quantile.js';

/** The draws of τ̂ + (1/n) Σ ξ_i ψ_i for each ψ in `psis` (all of length n), B draws, seeded. */
export function multiplierDraws(estimates: readonly number[], psis: readonly Float64Array[], draws: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const n = psis[0]!.length;
  const k = psis.length;
  const out = psis.map(() => new Float64Array(draws));
  const sums = new Float64Array(k);
  const total = psis.map((psi) => psi.reduce((s, v) => s + v, 0));
  for (let b = 0; b < draws; b++) {
    // Σ ξ ψ = 2 Σ_{ξ = +1} ψ − Σ ψ
    sums.fill(0);
    for (let i0 = 0; i0 < n; i0 += 32) {
      let bits = rng.nextUint32();
      const end = Math.min(n, i0 + 32);
      for (let i = i0; i < end; i++, bits >>>= 1) {
        if (bits & 1) for (let c = 0; c < k; c++) sums[c] += psis[c]![i]!;
      }
    }
    for (let c = 0; c < k; c++) out[c]![b] = estimates[c]! + (2 * sums[c]! - total[c]!) / n;
  }
  return out;
}

/** Standard deviation and the central `level` percentile interval of bootstrap draws. */
export function summariseDraws(draws: Float64Array, level: number): { se: number; lower: number; upper: number } {
  const sorted = Float64Array.from(draws).sort();
  let mean = 0;
  for (const d of sorted) mean += d;
  mean /= sorted.length;
  let ss = 0;
  for (const d of sorted) ss += (d - mean) ** 2;
  const alpha = (1 - level) / 2;
  return { se: Math.sqrt(ss / Math.max(1, sorted.length - 1)), lower: quantileSorted(sorted, alpha), upper: quantileSorted(sorted, 1 - alpha) };
}
