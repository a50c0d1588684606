/**
 * Posterior inference from the kept draws (CausalImpact `impact_inference.R`): response trajectories = state draws
 * plus fresh observation noise (the posterior predictive, so intervals include noise); point predictions = the mean
 * of the state draws; intervals = α/2 and 1 − α/2 quantiles (R's type-7 quantiles); the Average / Cumulative summary;
 * the relative effect sum(actual)/sum(predicted draw) − 1; R's one-sided tail area with the actual sum counted on
 * both sides, p₁ = min(1 + #draws ≥ actual, 1 + #draws ≤ actual) / (S + 1), and the two-sided p = min(1, 2·p₁), which
 * falls below α exactly when the (1 − α) interval of the cumulative effect excludes zero (up to Monte Carlo error).
 * Everything goes back to the original scale.
 */
import type { Rng } from '../../domain/index.js';
import { quantileSelect, quantileSorted } from '../stats/quantile.js';
import type { PreparedData } from './data.js';
import type { Draws } from './sampler.js';
import type { ImpactColumn } from './types.js';

/** Point-wise arrays over the modelling window (NaN where a value does not exist) and the summary. */
export interface Inferences {
  pointPred: Float64Array;
  pointLower: Float64Array;
  pointUpper: Float64Array;
  cumResponse: Float64Array;
  cumPred: Float64Array;
  cumLower: Float64Array;
  cumUpper: Float64Array;
  average: ImpactColumn;
  cumulative: ImpactColumn;
  /** Two-sided posterior tail-area probability, min(1, 2·pOneSided). */
  p: number;
  /** R CausalImpact's one-sided tail area. */
  pOneSided: number;
}

/** Type-7 quantiles (moved to stats/quantile.ts; re-exported for existing callers). */
export { quantileSelect, quantileSorted };

/** Mean and sample s.d. (n − 1) of an array. */
export function meanAndSd(a: ArrayLike<number>): { mean: number; sd: number } {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i]! - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

function summarize(values: Float64Array, alpha: number): { mean: number; sd: number; lower: number; upper: number } {
  const { mean, sd } = meanAndSd(values);
  const sorted = Float64Array.from(values).sort();
  return { mean, sd, lower: quantileSorted(sorted, alpha / 2), upper: quantileSorted(sorted, 1 - alpha / 2) };
}

/** Cumulative sum that treats missing values as 0 but keeps them missing (R `cumsum.na.rm`). */
export function cumsumNaRm(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isNaN(v)) s += v;
    out[i] = Number.isNaN(v) ? NaN : s;
  }
  return out;
}

/** Turns the kept draws into predictions, intervals and the post-period summary (original scale). */
export function compileInferences(d: PreparedData, draws: Draws, alpha: number, rng: Rng): Inferences {
  const { n, kept: S } = draws;
  const { mu, sd } = d;
  // Response trajectories: state + regression + N(0, σ²_obs), back on the original scale.
  const ySamples = new Float64Array(S * n);
  const pointPred = new Float64Array(n);
  for (let s = 0; s < S; s++) {
    const sigma = draws.sigmaObs[s]!;
    const base = s * n;
    for (let t = 0; t < n; t++) {
      const c = draws.contribution[base + t]!;
      pointPred[t] = pointPred[t]! + c;
      ySamples[base + t] = mu + sd * (c + sigma * rng.normal());
    }
  }
  for (let t = 0; t < n; t++) pointPred[t] = mu + (sd * pointPred[t]!) / S;

  const lo = alpha / 2, hi = 1 - alpha / 2;
  const column = new Float64Array(S);
  const pointLower = new Float64Array(n);
  const pointUpper = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    for (let s = 0; s < S; s++) column[s] = ySamples[s * n + t]!;
    pointLower[t] = quantileSelect(column, S, lo);
    pointUpper[t] = quantileSelect(column, S, hi);
  }

  // Cumulative predictions: the observed cumulative response before the post period, then predictions added.
  const ps = d.postStart;
  const cumResponse = cumsumNaRm(d.actual);
  const cumPred = new Float64Array(n);
  const cumLower = new Float64Array(n);
  const cumUpper = new Float64Array(n);
  let base = 0;
  for (let t = 0; t < ps; t++) {
    cumPred[t] = cumLower[t] = cumUpper[t] = cumResponse[t]!;
    if (!Number.isNaN(cumResponse[t]!)) base = cumResponse[t]!;
  }
  const running = new Float64Array(S).fill(base);
  let runningMean = base;
  for (let t = ps; t < n; t++) {
    runningMean += pointPred[t]!;
    cumPred[t] = runningMean;
    for (let s = 0; s < S; s++) {
      running[s] = running[s]! + ySamples[s * n + t]!;
      column[s] = running[s]!;
    }
    cumLower[t] = quantileSelect(column, S, lo);
    cumUpper[t] = quantileSelect(column, S, hi);
  }

  // Summary over the post period.
  const pe = d.postEnd;
  const len = pe - ps + 1;
  let actualSum = 0, predSum = 0;
  for (let t = ps; t <= pe; t++) {
    actualSum += d.actual[t]!;
    predSum += pointPred[t]!;
  }
  const sums = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let t = ps; t <= pe; t++) sum += ySamples[s * n + t]!;
    sums[s] = sum;
  }
  const means = sums.map((v) => v / len);
  const absSums = sums.map((v) => actualSum - v);
  const absMeans = means.map((v) => actualSum / len - v);
  const rel = sums.map((v) => actualSum / v - 1);
  const sumStats = summarize(sums, alpha);
  const meanStats = summarize(means, alpha);
  const absSumStats = summarize(absSums, alpha);
  const absMeanStats = summarize(absMeans, alpha);
  const relStats = summarize(rel, alpha);
  const relPart = {
    rel_effect: relStats.mean,
    rel_effect_sd: relStats.sd,
    rel_effect_lower: relStats.lower,
    rel_effect_upper: relStats.upper,
  };
  const average: ImpactColumn = {
    actual: actualSum / len,
    predicted: predSum / len,
    predicted_sd: meanStats.sd,
    predicted_lower: meanStats.lower,
    predicted_upper: meanStats.upper,
    abs_effect: actualSum / len - predSum / len,
    abs_effect_sd: absMeanStats.sd,
    abs_effect_lower: absMeanStats.lower,
    abs_effect_upper: absMeanStats.upper,
    ...relPart,
  };
  const cumulative: ImpactColumn = {
    actual: actualSum,
    predicted: predSum,
    predicted_sd: sumStats.sd,
    predicted_lower: sumStats.lower,
    predicted_upper: sumStats.upper,
    abs_effect: actualSum - predSum,
    abs_effect_sd: absSumStats.sd,
    abs_effect_lower: absSumStats.lower,
    abs_effect_upper: absSumStats.upper,
    ...relPart,
  };
  let ge = 1, le = 1; // the actual sum counts on both sides, as in R
  for (let s = 0; s < S; s++) {
    if (sums[s]! >= actualSum) ge++;
    if (sums[s]! <= actualSum) le++;
  }
  const pOneSided = Math.min(ge, le) / (S + 1);
  const p = Math.min(1, 2 * pOneSided);
  return { pointPred, pointLower, pointUpper, cumResponse, cumPred, cumLower, cumUpper, average, cumulative, p, pOneSided };
}
