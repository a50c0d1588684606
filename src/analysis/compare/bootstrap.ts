/**
 * The multiplier (wild) bootstrap over influence functions (Kline & Santos 2012; Chernozhukov, Chetverikov & Kato
 * 2013 for its use with cross-fitted estimators): for an estimator with τ̂ − τ ≈ (1/n) Σ ψ_i, draw b is
 * τ̂ + (1/n) Σ ξ_bi ψ_i with independent Rademacher multipliers ξ (±1, probability ½ each). It reuses the fitted
 * score and outcome models instead of re-fitting them per draw — their estimation is already in ψ — so 1,000 draws
 * cost 1,000 passes over ψ (a table lookup per four units). All ψ vectors given are drawn with the same multipliers
 * (one stream).
 */
import { Rng } from '../../domain/index.js';
import { quantileSorted } from '../stats/quantile.js';

/** Groups of four units per table block: 1,024 groups × 16 sums × 8 bytes = 128 KB per ψ, which stays in cache. */
const BLOCK_GROUPS = 1024;

/** The draws of τ̂ + (1/n) Σ ξ_i ψ_i for each ψ in `psis` (all of length n), B draws, seeded. */
export function multiplierDraws(estimates: readonly number[], psis: readonly Float64Array[], draws: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const n = psis[0]!.length;
  const k = psis.length;
  const groups = Math.ceil(n / 4);
  // Σ ξ ψ = 2 Σ_{ξ = +1} ψ − Σ ψ. Units go in groups of four: table[16 g + mask] is the sum of ψ over the units of
  // group g whose bit is set in mask, so one lookup adds four units (32 random bits serve eight groups). The units
  // are taken block by block (every draw of one block, then the next), so each block's tables stay in cache; the
  // random bits come from one seeded stream in that order.
  const sums = new Float64Array(k * draws);
  const tables = psis.map(() => new Float64Array(BLOCK_GROUPS * 16));
  for (let g0 = 0; g0 < groups; g0 += BLOCK_GROUPS) {
    const g1 = Math.min(groups, g0 + BLOCK_GROUPS);
    for (let c = 0; c < k; c++) {
      const t = tables[c]!, psi = psis[c]!;
      for (let g = g0; g < g1; g++) {
        const base = 16 * (g - g0);
        t[base] = 0;
        for (let mask = 1; mask < 16; mask++) {
          const low = mask & -mask;
          const i = 4 * g + (31 - Math.clz32(low));
          t[base + mask] = t[base + (mask ^ low)]! + (i < n ? psi[i]! : 0);
        }
      }
    }
    const t0 = tables[0]!, t1 = k > 1 ? tables[1]! : t0;
    for (let b = 0; b < draws; b++) {
      let s0 = 0, s1 = 0;
      for (let g = g0; g < g1; g += 8) {
        let bits = rng.nextUint32();
        const end = Math.min(g1, g + 8);
        for (let h = g; h < end; h++, bits >>>= 4) {
          const idx = 16 * (h - g0) + (bits & 15);
          s0 += t0[idx]!;
          s1 += t1[idx]!;
          for (let c = 2; c < k; c++) sums[c * draws + b] += tables[c]![idx]!;
        }
      }
      sums[b] += s0;
      if (k > 1) sums[draws + b] += s1;
    }
  }
  const out: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    let total = 0;
    const psi = psis[c]!;
    for (let i = 0; i < n; i++) total += psi[i]!;
    const d = new Float64Array(draws);
    for (let b = 0; b < draws; b++) d[b] = estimates[c]! + (2 * sums[c * draws + b]! - total) / n;
    out.push(d);
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
