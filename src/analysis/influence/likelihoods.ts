/**
 * Observed-data log-likelihoods of the outcome-influence model, used by its Metropolis steps: the whole data under
 * scaled effects and baseline (the ridge moves, the day-effect precision move), and the change from switching one
 * author's effects (the on/off flip). Counts enter as Poisson with the rates of ./outcome-model.ts.
 */
import type { OutcomeInfluenceData, Kernel } from './model.js';

/**
 * Observed-data log-likelihood (up to a constant) with every effect scaled by `e` (the reference framing's by
 * `e · refScale`; `sumBeta` must already carry that) and baseline rates `mu`: unclicked
 * counts n log((1 − π) e Σβg + (1 − ω·click bin) μ), clicked counts n log(π e β g + ω μ w), minus the total rate.
 */
export function ridgeLogLik(data: OutcomeInfluenceData, k: Kernel, beta: Float64Array, sumBeta: Float64Array, mu: Float64Array, pi: number, omega: number, e: number, refScale = 1): number {
  let ll = 0;
  for (let b = 0; b < data.nBins; b++) {
    const sb = e * sumBeta[b]!, m = mu[b]!;
    ll -= sb + m;
    const n = data.unclicked[b]!;
    if (n > 0) ll += n * Math.log((1 - pi) * sb + (1 - omega * data.clickBin[b]!) * m);
  }
  for (let i = 0; i < data.clickedBin.length; i++) {
    const b = data.clickedBin[i]!, p = data.clickedPost[i]!;
    const scale = data.postFraming[p] === data.referenceFraming ? e * refScale : e;
    ll += data.clickedCount[i]! * Math.log(pi * scale * beta[p]! * k.clickedG[i]! + omega * mu[b]! * data.clickedShare[i]!);
  }
  return ll;
}

/** log(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/**
 * Log-likelihood ratio of the observed counts when the author's post effects change from `beta` (their current
 * values) to `proposal` (all zero when the author is on, drawn from the prior when off), everything else fixed.
 */
export function switchLogLik(
  data: OutcomeInfluenceData,
  k: Kernel,
  clickedByPost: { off: Int32Array; items: Int32Array },
  posts: Int32Array,
  beta: Float64Array,
  proposal: Float64Array,
  mu: Float64Array,
  sumBeta: Float64Array,
  pi: number,
  omega: number,
  scratch: { delta: Float64Array; touched: Int32Array; mark: Uint8Array },
): number {
  let ll = 0;
  // −(total rate) changes by −Σ (new − old) · exposure; delta[b] = change of Σ β g in bin b
  const { delta, touched, mark } = scratch;
  let nt = 0;
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i]!;
    const d = proposal[i]! - beta[p]!;
    if (d === 0) continue;
    ll -= d * k.exposure[p]!;
    for (let e = k.postOff[p]!; e < k.postOff[p + 1]!; e++) {
      const b = k.postBin[e]!;
      if (!mark[b]) {
        mark[b] = 1;
        touched[nt++] = b;
      }
      delta[b]! += d * k.postG[e]!;
    }
  }
  // unclicked counts: n log((1 − ωc) μ + (1 − π) Σβg)
  for (let j = 0; j < nt; j++) {
    const b = touched[j]!;
    const d = delta[b]!;
    delta[b] = 0;
    mark[b] = 0;
    const n = data.unclicked[b]!;
    if (n === 0) continue;
    const base = (1 - omega * data.clickBin[b]!) * mu[b]!;
    ll += n * Math.log1p(((1 - pi) * d) / (base + (1 - pi) * sumBeta[b]!));
  }
  // clicked counts on the author's posts: n log(π β g + ω μ w)
  for (let j = 0; j < posts.length; j++) {
    const p = posts[j]!;
    for (let e = clickedByPost.off[p]!; e < clickedByPost.off[p + 1]!; e++) {
      const i = clickedByPost.items[e]!;
      const b = data.clickedBin[i]!, n = data.clickedCount[i]!;
      const g = k.clickedG[i]!;
      const rb = omega * mu[b]! * data.clickedShare[i]!;
      ll += n * (Math.log(pi * proposal[j]! * g + rb) - Math.log(pi * beta[p]! * g + rb));
    }
  }
  return ll;
}
