/**
 * Conjugate variance draws with an upper limit on the s.d. (BOOM `GenericGaussianVarianceSampler`): with the prior
 * 1/σ² ~ Gamma(df/2, ss/2) and data contributing `dataDf` squares summing to `dataSs`,
 * 1/σ² | data ~ Gamma((df + dataDf)/2, (ss + dataSs)/2) truncated to 1/σ² ≥ 1/upper².
 * The truncated gamma is drawn exactly by rejection: from the gamma itself when the bound is below the mean, else
 * from an exponential proposal on the tail (bound on the ratio from log x ≤ x − 1).
 */
import type { Rng } from '../../domain/index.js';
import type { VariancePrior } from './model.js';

/** Gamma(shape, rate) conditioned on x ≥ lower (exact). */
export function truncatedGamma(rng: Rng, shape: number, rate: number, lower: number): number {
  if (!(lower > 0)) return rng.gamma(shape, rate);
  if (shape >= 1 && lower * rate <= shape) {
    // The bound is below the mean: plain rejection accepts with probability ≥ P(X ≥ mean) > 1/4.
    for (;;) {
      const x = rng.gamma(shape, rate);
      if (x >= lower) return x;
    }
  }
  if (shape < 1 && lower * rate < 1) {
    for (let i = 0; i < 1000; i++) {
      const x = rng.gamma(shape, rate);
      if (x >= lower) return x;
    }
  }
  // Tail: proposal lower + Exp(λ). For shape ≥ 1 (here lower > shape/rate), λ = rate − (shape − 1)/lower > 0 puts
  // the peak of the density ratio at the bound; for shape < 1 the factor x^(shape−1) only falls, so λ = rate.
  const lambda = shape >= 1 ? rate - (shape - 1) / lower : rate;
  for (;;) {
    const x = lower + rng.exponential(lambda);
    const logAccept = (shape - 1) * Math.log(x / lower) - (rate - lambda) * (x - lower);
    if (Math.log(rng.uniform() || Number.MIN_VALUE) <= logAccept) return x;
  }
}

/** Draws σ² from its conditional posterior given `dataDf` squared disturbances summing to `dataSs`. */
export function drawVariance(rng: Rng, prior: VariancePrior, dataDf: number, dataSs: number): number {
  const shape = (prior.df + dataDf) / 2;
  const rate = (prior.ss + dataSs) / 2;
  const lower = Number.isFinite(prior.upper) ? 1 / (prior.upper * prior.upper) : 0;
  return 1 / truncatedGamma(rng, shape, rate, lower);
}
