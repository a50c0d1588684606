/**
 * Simulation smoother of Durbin & Koopman (2002), "A simple and efficient simulation smoother for state space time
 * series analysis", Biometrika 89(3): draw (α⁺, y⁺) from the model, smooth y − y⁺ with a zero initial mean, and
 * add: α̃ = α⁺ + E(α | y − y⁺) is a draw from p(α | y). The disturbances come with it: η̃ = η⁺ + Q r_t.
 * One filter pass, one backward pass and one forward pass per draw; every buffer is allocated once.
 */
import type { Rng } from '../../domain/index.js';
import type { KalmanKernel } from './kalman.js';

/** One draw of the states given the data and the variances. */
export class SimulationSmoother {
  private readonly kernel: KalmanKernel;
  private readonly alpha: Float64Array;
  private readonly yStar: Float64Array;
  private readonly cPlus: Float64Array;
  private readonly etaPlus: Float64Array;
  private readonly sq: Float64Array;
  /** Per noise: sum of squared drawn disturbances and their count (for the variance draws). */
  readonly ss: Float64Array;
  readonly df: Float64Array;
  /** The drawn level α̃_t[0] per t (the trend's part of Z α̃; the rest is seasonal or dynamic). */
  readonly level: Float64Array;
  private readonly levelPlus: Float64Array;

  constructor(kernel: KalmanKernel) {
    this.kernel = kernel;
    const { n, m } = kernel;
    const nq = kernel.q.length;
    this.alpha = new Float64Array(m);
    this.yStar = new Float64Array(n);
    this.cPlus = new Float64Array(n);
    this.etaPlus = new Float64Array(n * nq);
    this.sq = new Float64Array(nq);
    this.ss = new Float64Array(nq);
    this.df = new Float64Array(nq);
    this.level = new Float64Array(n);
    this.levelPlus = new Float64Array(n);
  }

  /**
   * Draws the states given `y` (NaN = missing; any static regression already subtracted), observation variance h
   * and the state-noise variances in kernel.q. Writes Z_t α̃_t into `contribution`; leaves the drawn disturbances'
   * sums of squares in `ss` / `df`.
   */
  draw(rng: Rng, y: Float64Array, h: number, contribution: Float64Array): void {
    const k = this.kernel;
    const md = k.model;
    const { n, m, q } = k;
    const nq = q.length;
    const alpha = this.alpha;
    const sh = Math.sqrt(h);
    // 1. unconditional draw of states, disturbances and observations
    for (let i = 0; i < m; i++) alpha[i] = md.a1[i]! + Math.sqrt(md.p1[i]!) * rng.normal();
    const sq = this.sq;
    for (let i = 0; i < nq; i++) sq[i] = Math.sqrt(q[i]!);
    for (let t = 0; t < n; t++) {
      const c = k.zDot(alpha, t);
      this.cPlus[t] = c;
      this.levelPlus[t] = alpha[0]!;
      this.yStar[t] = md.observed[t] ? y[t]! - (c + sh * rng.normal()) : NaN;
      if (t === n - 1) break;
      const change = md.seasonChange[t]!;
      k.applyT(alpha, 0, 1, change);
      const row = t * nq;
      for (let i = 0; i < nq; i++) {
        if (!k.noiseActive(i, t)) {
          this.etaPlus[row + i] = 0;
          continue;
        }
        const e = sq[i]! * rng.normal();
        this.etaPlus[row + i] = e;
        const idx = k.noiseAt(i);
        alpha[idx] = alpha[idx]! + e;
      }
    }
    // 2. smooth y − y⁺ (mean-zero problem)
    k.filterAndSmooth(this.yStar, h);
    k.smoothedMeans(contribution, undefined, this.level);
    for (let t = 0; t < n; t++) {
      contribution[t] = contribution[t]! + this.cPlus[t]!;
      this.level[t] = this.level[t]! + this.levelPlus[t]!;
    }
    // 3. drawn disturbances over the transitions 0 → 1 … n−2 → n−1
    this.ss.fill(0);
    this.df.fill(0);
    const rNoise = k.rNoise;
    for (let t = 0; t < n - 1; t++) {
      const row = t * nq;
      for (let i = 0; i < nq; i++) {
        if (!k.noiseActive(i, t)) continue;
        const e = this.etaPlus[row + i]! + q[i]! * rNoise[row + i]!;
        this.ss[i] = this.ss[i]! + e * e;
        this.df[i] = this.df[i]! + 1;
      }
    }
  }
}
