/**
 * Convergence diagnostics of one Markov chain's draws: split-R̂ (the chain's halves compared as two chains; Gelman et
 * al., BDA3 §11.4) and the effective sample size from the autocorrelations, summed over Geyer's initial positive
 * sequence of pairs (Geyer 1992). Values near R̂ = 1 and an ESS in the hundreds mean the summaries can be trusted.
 */

/** Split-R̂ of one chain: ≈ 1 when both halves sample the same distribution; NaN for fewer than 4 draws. */
export function splitRhat(draws: ArrayLike<number>): number {
  const n = Math.floor(draws.length / 2);
  if (n < 2) return NaN;
  const [m1, v1] = meanVar(draws, 0, n);
  const [m2, v2] = meanVar(draws, draws.length - n, draws.length);
  const w = (v1 + v2) / 2; // within-half variance
  const mean = (m1 + m2) / 2;
  const b = n * ((m1 - mean) ** 2 + (m2 - mean) ** 2); // between-half variance × n (2 halves: divisor 1)
  if (w === 0) return b === 0 ? 1 : Infinity;
  const varPlus = ((n - 1) / n) * w + b / n;
  return Math.sqrt(varPlus / w);
}

/**
 * Effective sample size of one chain (n / (1 + 2 Σ ρ_t), Geyer's initial positive sequence); n for constant draws.
 * `maxLag` bounds the work for many chains: a chain still correlated at that lag gets a conservative (low) ESS.
 */
export function effectiveSampleSize(draws: ArrayLike<number>, maxLag = Infinity): number {
  const n = draws.length;
  if (n < 4) return n;
  const [mean, variance] = meanVar(draws, 0, n);
  if (!(variance > 0)) return n;
  const acf = (lag: number): number => {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += (draws[i]! - mean) * (draws[i + lag]! - mean);
    return s / (n * variance * ((n - 1) / n));
  };
  // Γ_k = ρ_{2k} + ρ_{2k+1} is positive and decreasing for a reversible chain: sum while positive, kept monotone
  let sum = 0, prev = Infinity, k = 0, ended = false;
  for (; 2 * k + 1 < n; k++) {
    if (2 * k + 1 >= maxLag) break;
    let gamma = acf(2 * k) + acf(2 * k + 1);
    if (!(gamma > 0)) {
      ended = true;
      break;
    }
    if (gamma > prev) gamma = prev;
    sum += gamma;
    prev = gamma;
  }
  // cut at maxLag while still correlated: every remaining pair counted at the last one's value (an upper bound, as
  // the sequence decreases), so the ESS errs low
  if (!ended && 2 * k + 1 < n) sum += prev * (Math.floor(n / 2) - k);
  const tau = -1 + 2 * sum; // ρ_0 = 1 is counted once in Γ_0
  return Math.min(n * Math.log10(n), n / Math.max(tau, 1e-12));
}

/** Mean and sample variance of xs[lo, hi). */
function meanVar(xs: ArrayLike<number>, lo: number, hi: number): [number, number] {
  const n = hi - lo;
  let m = 0;
  for (let i = lo; i < hi; i++) m += xs[i]!;
  m /= n;
  let v = 0;
  for (let i = lo; i < hi; i++) v += (xs[i]! - m) ** 2;
  return [m, n > 1 ? v / (n - 1) : 0];
}
