/**
 * Rolling-origin backtests in the pre-period (Tashman 2000; scored by the log predictive density, a proper score —
 * Gneiting & Raftery 2007): the model is fitted by the Gibbs sampler to the pre-period's first part only, and from
 * several origins after it the running sums of the next H points are forecast by the Kalman filter — for a spread
 * of the fit's posterior draws, so the forecast carries the parameters' uncertainty — and scored against data that
 * had no intervention. H is the post period's length, capped at a third of the pre-period. A forecast that misses
 * these sums more often than its level says will miss the post period's counterfactual as well.
 */
import type { Rng } from '../../domain/index.js';
import { normalCdf, normalQuantile } from '../stats/normal.js';
import type { PreparedData } from './data.js';
import { forecastSums } from './forecast.js';
import { KalmanKernel } from './kalman.js';
import { buildModel } from './model.js';
import type { ResolvedImpactOptions } from './options.js';
import { runGibbs } from './sampler.js';

/** Where the backtests cut the pre-period (indices into the modelling window). */
export interface BacktestPlan {
  /** The fit uses the pre-period's rows before `fitEnd`. */
  fitEnd: number;
  /** Forecast origins (ascending, ≥ fitEnd) and the horizon H. */
  origins: number[];
  horizon: number;
}

/** Sampler settings of a backtest fit and the posterior draws its forecast mixes. */
export const BACKTEST_SETTINGS = {
  niter: 300,
  burn: 100,
  draws: 25,
  maxOrigins: 12,
  /** The pre-period needs this many observed points (fit + forecast) for a backtest. */
  minPre: 20,
} as const;

/** One backtest window: the sum of its H points, its forecast and interval (original units). */
export interface BacktestWindow {
  /** First and last row of the window in the input. */
  start: number;
  end: number;
  actual: number;
  predicted: number;
  lower: number;
  upper: number;
  covered: boolean;
}

/** A backtest's score, the coverage of its intervals and the full-horizon windows. */
export interface Backtest {
  /** Mean log predictive density of the running sums (higher is better), per scored sum. */
  score: number;
  /** Share of the scored running sums inside their (1 − α) interval. */
  coverage: number;
  /** Running sums scored (origins × horizons with complete data). */
  scored: number;
  /** Root mean square of the scored sums' errors in predictive s.d.s (through the PIT: Φ⁻¹(F(actual))); 1 when calibrated. */
  rms_z: number;
  windows: BacktestWindow[];
}

/** Plans the backtests of a prepared series with a post period of `postLength` points; undefined when too short. */
export function planBacktest(d: PreparedData, postLength: number): BacktestPlan | undefined {
  const nPre = d.preEnd + 1;
  let observed = 0;
  for (let t = 0; t < nPre; t++) if (!Number.isNaN(d.y[t]!)) observed++;
  if (observed < BACKTEST_SETTINGS.minPre) return undefined;
  const horizon = Math.max(1, Math.min(postLength, Math.floor(nPre / 3)));
  const last = nPre - horizon;
  const fitEnd = Math.min(Math.floor(nPre / 2), last);
  const count = Math.min(BACKTEST_SETTINGS.maxOrigins, last - fitEnd + 1);
  const origins: number[] = [];
  for (let k = 0; k < count; k++) {
    const c = count === 1 ? last : fitEnd + Math.round((k * (last - fitEnd)) / (count - 1));
    if (origins[origins.length - 1] !== c) origins.push(c);
  }
  return { fitEnd, origins, horizon };
}

function logMeanExp(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let s = 0;
  for (const v of values) s += Math.exp(v - max);
  return max + Math.log(s / values.length);
}

/** Quantile of a normal mixture with equal weights, by bisection. */
function mixtureQuantile(means: Float64Array, sds: Float64Array, p: number): number {
  let lo = Infinity, hi = -Infinity;
  for (let l = 0; l < means.length; l++) {
    lo = Math.min(lo, means[l]! - 10 * sds[l]!);
    hi = Math.max(hi, means[l]! + 10 * sds[l]!);
  }
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    let F = 0;
    for (let l = 0; l < means.length; l++) F += normalCdf((mid - means[l]!) / sds[l]!);
    if (F / means.length < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Fits the model to the plan's fit rows and scores its forecasts from every origin against the pre-period data. */
export function runBacktest(d: PreparedData, options: ResolvedImpactOptions, plan: BacktestPlan, rng: Rng): Backtest {
  const o = options;
  const yFit = Float64Array.from(d.y, (v, t) => (t < plan.fitEnd ? v : NaN));
  const fitModel = buildModel({ ...d, y: yFit }, options);
  const draws = runGibbs(fitModel, yFit, { niter: BACKTEST_SETTINGS.niter, burn: BACKTEST_SETTINGS.burn }, rng);
  const filterModel = buildModel(d, options);
  const kernel = new KalmanKernel(filterModel);
  const reg = filterModel.regression;
  const p = reg ? reg.p : 0;
  const { origins, horizon: H } = plan;
  const L = Math.min(BACKTEST_SETTINGS.draws, draws.kept);
  const nq = draws.noiseNames.length;
  const n = d.preEnd + 1;
  const means = new Float64Array(L * origins.length * H);
  const sds = new Float64Array(L * origins.length * H);
  const yAdj = new Float64Array(n);
  const regPart = new Float64Array(n);
  for (let l = 0; l < L; l++) {
    const s = Math.floor(((l + 0.5) * draws.kept) / L);
    for (let i = 0; i < nq; i++) kernel.q[i] = draws.noiseSd[s * nq + i]! ** 2;
    for (let t = 0; t < n; t++) {
      let r = 0;
      if (reg) for (let j = 0; j < p; j++) r += reg.X[t * p + j]! * draws.beta[s * p + j]!;
      regPart[t] = r;
      yAdj[t] = d.y[t]! - r;
    }
    const f = forecastSums(kernel, yAdj, draws.sigmaObs[s]! ** 2, origins, H);
    for (let oi = 0; oi < origins.length; oi++) {
      let regSum = 0;
      for (let k = 0; k < H; k++) {
        regSum += regPart[origins[oi]! + k]!;
        const at = (oi * H + k) * L + l;
        means[at] = f.mean[oi * H + k]! + regSum;
        sds[at] = Math.sqrt(f.variance[oi * H + k]!);
      }
    }
  }
  const alpha = o.alpha;
  const logDens = new Float64Array(L);
  let scoreSum = 0, scored = 0, covered = 0, z2 = 0;
  const windows: BacktestWindow[] = [];
  for (let oi = 0; oi < origins.length; oi++) {
    let actual = 0;
    for (let k = 0; k < H; k++) {
      actual += d.y[origins[oi]! + k]!;
      if (Number.isNaN(actual)) break;
      const at = (oi * H + k) * L;
      let F = 0;
      for (let l = 0; l < L; l++) {
        const z = (actual - means[at + l]!) / sds[at + l]!;
        logDens[l] = -0.5 * z * z - Math.log(sds[at + l]!) - 0.5 * Math.log(2 * Math.PI);
        F += normalCdf(z);
      }
      F /= L;
      const zPit = normalQuantile(Math.min(1 - 1e-9, Math.max(1e-9, F)));
      z2 += zPit * zPit;
      scoreSum += logMeanExp(logDens);
      scored++;
      const inside = F >= alpha / 2 && F <= 1 - alpha / 2;
      if (inside) covered++;
      if (k === H - 1) {
        const mu = means.subarray(at, at + L);
        const sd = sds.subarray(at, at + L);
        let predicted = 0;
        for (let l = 0; l < L; l++) predicted += mu[l]!;
        predicted /= L;
        const back = (v: number): number => H * d.mu + d.sd * v;
        windows.push({
          start: d.start + origins[oi]!,
          end: d.start + origins[oi]! + H - 1,
          actual: back(actual),
          predicted: back(predicted),
          lower: back(mixtureQuantile(mu, sd, alpha / 2)),
          upper: back(mixtureQuantile(mu, sd, 1 - alpha / 2)),
          covered: inside,
        });
      }
    }
  }
  return {
    score: scored > 0 ? scoreSum / scored : -Infinity,
    coverage: scored > 0 ? covered / scored : NaN,
    scored,
    rms_z: scored > 0 ? Math.sqrt(z2 / scored) : NaN,
    windows,
  };
}
