/**
 * The Metropolis step of a learned level s.d. (model.ts `StateNoise.learned`): a random walk on log σ under a
 * log-uniform prior on [lower, upper], with the trend's states integrated out — the likelihood is the Kalman filter's
 * of the trend alone (level, and slope for a local linear trend) on y minus the regression and minus the current
 * draw of the other states (seasonal, dynamic). Integrating the level out is what lets σ move: drawn from its
 * conditional given sampled states, a small σ makes a smooth level, whose small disturbances keep σ small (the chain
 * sticks near its start). The step is a partially collapsed Gibbs step (van Dyk & Park 2008): the sampler draws all
 * states next, given the new σ. The step size adapts during burn-in only (towards 44% acceptance), so kept draws come
 * from a fixed kernel.
 */
import type { Rng } from '../../domain/index.js';
import type { StateSpaceModel } from './model.js';

/** Adaptation: every `every` burn-in sweeps the step grows or shrinks towards the target acceptance. */
const ADAPT = { every: 20, target: 0.44, grow: 1.3, shrink: 0.77, start: 0.5 } as const;

/**
 * Log-likelihood of r (NaN = missing) under a local level (trendSize 1) or local linear trend (2) with level variance
 * qLevel, slope variance qSlope and observation variance h, from the model's initial trend state.
 */
export function trendLogLikelihood(r: Float64Array, h: number, qLevel: number, qSlope: number, md: StateSpaceModel): number {
  const trend2 = md.trendSize === 2;
  let a0 = md.a1[0]!, a1 = trend2 ? md.a1[1]! : 0;
  let p00 = md.p1[0]!, p01 = 0, p11 = trend2 ? md.p1[1]! : 0;
  let ll = 0;
  const n = r.length;
  for (let t = 0; t < n; t++) {
    const y = r[t]!;
    if (!Number.isNaN(y)) {
      const F = p00 + h;
      const v = y - a0;
      ll -= 0.5 * (Math.log(2 * Math.PI * F) + (v * v) / F);
      const k0 = p00 / F, k1 = p01 / F;
      a0 += k0 * v;
      a1 += k1 * v;
      const n00 = p00 - k0 * p00, n01 = p01 - k0 * p01, n11 = p11 - k1 * p01;
      p00 = n00;
      p01 = n01;
      p11 = n11;
    }
    // predict: level += slope; P ← T P Tᵀ + Q
    if (trend2) {
      a0 += a1;
      const n00 = p00 + 2 * p01 + p11, n01 = p01 + p11;
      p00 = n00 + qLevel;
      p01 = n01;
      p11 = p11 + qSlope;
    } else {
      p00 += qLevel;
    }
  }
  return ll;
}

/** The learned level variance's Metropolis step, with its adaptive step size. */
export class LearnedLevelStep {
  private step: number = ADAPT.start;
  private accepted = 0;

  constructor(
    private readonly model: StateSpaceModel,
    /** Index of the level noise in `q`, and of the slope noise (−1 without one). */
    private readonly levelNoise: number,
    private readonly slopeNoise: number,
    private readonly lower: number,
    private readonly upper: number,
  ) {}

  /**
   * One Metropolis update of q[levelNoise], given the data with the regression and the other states removed (`r`,
   * NaN where missing) and σ²_obs = h. Returns the (possibly unchanged) variance.
   */
  update(rng: Rng, r: Float64Array, h: number, q: Float64Array, iter: number, burn: number): number {
    const current = q[this.levelNoise]!;
    const qSlope = this.slopeNoise >= 0 ? q[this.slopeNoise]! : 0;
    const u = 0.5 * Math.log(current);
    const proposal = u + this.step * rng.normal();
    let next = current;
    if (proposal >= Math.log(this.lower) && proposal <= Math.log(this.upper)) {
      const v = Math.exp(2 * proposal);
      const logRatio = trendLogLikelihood(r, h, v, qSlope, this.model) - trendLogLikelihood(r, h, current, qSlope, this.model);
      if (Math.log(rng.uniform() || Number.MIN_VALUE) < logRatio) {
        next = v;
        this.accepted++;
      }
    }
    if (iter < burn && (iter + 1) % ADAPT.every === 0) {
      this.step *= this.accepted / ADAPT.every > ADAPT.target ? ADAPT.grow : ADAPT.shrink;
      this.accepted = 0;
    }
    return next;
  }
}
