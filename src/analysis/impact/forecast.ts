/**
 * Forecasts of running sums from a Kalman filter with fixed variances (Durbin & Koopman 2012 §4.3, §4.11): the
 * filter runs forward over y from the model's initial state; at each origin c it projects the state H steps ahead
 * and keeps the predictive mean and variance of S_k = y_c + … + y_{c+k−1} for k = 1..H, observation noise included.
 * The sum's variance needs the state–sum covariance, carried along: with D = Cov(α_τ, S_{k−1}),
 * Var S_k = Var S_{k−1} + 2 Z D + Z P Zᵀ and Cov(α_{τ+1}, S_k) = T (D + P Zᵀ).
 */
import type { KalmanKernel } from './kalman.js';

/** Predictive means and variances of the running sums, row-major origins × H. */
export interface SumForecasts {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Filters `y` (NaN = missing) with the kernel's state variances `kernel.q` and observation variance `h`, and
 * forecasts the running sums of the next `H` points from each origin (ascending rows; y from the origin on is not
 * used for that origin's forecast).
 */
export function forecastSums(kernel: KalmanKernel, y: Float64Array, h: number, origins: readonly number[], H: number): SumForecasts {
  const md = kernel.model;
  const { m } = kernel;
  const nq = kernel.q.length;
  const mean = new Float64Array(origins.length * H);
  const variance = new Float64Array(origins.length * H);
  const a = Float64Array.from(md.a1);
  const P = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = md.p1[i]!;
  const pz = new Float64Array(m);
  const scratch = new Float64Array(m);
  const fa = new Float64Array(m);
  const fP = new Float64Array(m * m);
  const D = new Float64Array(m);
  const addNoise = (M: Float64Array, t: number): void => {
    for (let i = 0; i < nq; i++) {
      if (!kernel.noiseActive(i, t)) continue;
      const idx = kernel.noiseAt(i);
      M[idx * m + idx] = M[idx * m + idx]! + kernel.q[i]!;
    }
  };
  const lastT = origins.length > 0 ? origins[origins.length - 1]! : -1;
  let next = 0;
  for (let t = 0; t <= lastT; t++) {
    while (next < origins.length && origins[next] === t) {
      // project from the predicted moments of α_t given y before t
      fa.set(a);
      fP.set(P);
      D.fill(0);
      let sumMean = 0, sumVar = 0;
      const base = next * H;
      for (let k = 0; k < H; k++) {
        const tau = t + k;
        if (tau >= kernel.n) break;
        sumMean += kernel.zDot(fa, tau);
        kernel.covZ(fP, tau, pz);
        sumVar += 2 * kernel.zDot(D, tau) + kernel.zDot(pz, tau);
        mean[base + k] = sumMean;
        variance[base + k] = sumVar + (k + 1) * h;
        // to τ + 1: a ← T a; D ← T (D + P Zᵀ); P ← T P Tᵀ + Q
        const change = md.seasonChange[tau]!;
        kernel.applyT(fa, 0, 1, change);
        for (let i = 0; i < m; i++) D[i] = D[i]! + pz[i]!;
        kernel.applyT(D, 0, 1, change);
        kernel.transformCovariance(change, fP, scratch);
        addNoise(fP, tau);
      }
      next++;
    }
    // update with y_t, then predict t + 1
    const yt = y[t]!;
    if (!Number.isNaN(yt)) {
      kernel.covZ(P, t, pz);
      const F = kernel.zDot(pz, t) + h;
      const g = (yt - kernel.zDot(a, t)) / F;
      for (let i = 0; i < m; i++) {
        a[i] = a[i]! + pz[i]! * g;
        const pi = pz[i]! / F;
        for (let j = 0; j < m; j++) P[i * m + j] = P[i * m + j]! - pi * pz[j]!;
      }
    }
    const change = md.seasonChange[t]!;
    kernel.applyT(a, 0, 1, change);
    kernel.transformCovariance(change, P, scratch);
    addNoise(P, t);
  }
  return { mean, variance };
}
