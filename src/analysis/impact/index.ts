/**
 * Causal impact of an intervention on a time series — a TypeScript CausalImpact (Brodersen, Gallusser, Koehler,
 * Remy & Scott 2015, "Inferring causal impact using Bayesian structural time-series models", Annals of Applied
 * Statistics 9(1)) on a bsts-style Gibbs sampler (Scott & Varian 2014) with the Durbin & Koopman (2002) simulation
 * smoother. Pure and seeded: same data, options and seed → identical result.
 *
 * Stages, one file each: options → data (checks, standardisation) → model (state space, priors) → sampler (Gibbs:
 * simulation-smoother + kalman, variance, spike-slab) → inference (predictions, summary, p) → report-text; plot-svg
 * draws the result.
 */
import { Rng } from '../../domain/index.js';
import { prepareData, type ImpactData, type PreparedData } from './data.js';
import { compileInferences, type Inferences } from './inference.js';
import { buildModel, type StateSpaceModel } from './model.js';
import { burnCount, resolveImpactOptions, type ImpactOptions, type ResolvedImpactOptions } from './options.js';
import { BACKTEST_SETTINGS, planBacktest, runBacktest, type Backtest } from './backtest.js';
import { calibrationWarnings, designWarnings } from './warnings.js';
import { quantileSorted } from '../stats/quantile.js';
import { renderReport } from './report-text.js';
import { runGibbs, type Draws } from './sampler.js';
import type { ImpactCalibration, ImpactModelInfo, ImpactPeriod, ImpactResult, ImpactSeriesRow } from './types.js';

export { IMPACT_DEFAULTS, resolveImpactOptions, type ImpactOptions, type ResolvedImpactOptions } from './options.js';
export type { ImpactControl, ImpactData } from './data.js';
export type * from './types.js';
export { calibrationSentence, renderReport, renderSummaryTable, formatNumber, formatPercent } from './report-text.js';
export { niceTicks, renderImpactSvg, type PlotOptions } from './plot-svg.js';
export { buildEventSeries, chooseBucket, DEFAULT_WINDOW, type Bucket, type EventSeriesInput, type EventSeries } from './event-series.js';
export {
  analysisWindow,
  bstsExcludesZero,
  overlappingPosts,
  postVerdict,
  type AnalysisWindow,
  type JointEstimate,
  type OverlappingPosts,
  type PostTime,
  type PostVerdict,
} from './neighbours.js';

/** Hooks for long runs (progress bars); they never change the result. */
export interface ImpactHooks {
  onProgress?: (done: number, total: number) => void;
}

/** The pre-period backtest of an analysis, or why there is none. */
export interface BacktestOutcome {
  horizon: number | null;
  backtest: Backtest | null;
  note: string | null;
}

/** Seed of the backtest's own random stream: the main fit's draws do not depend on whether a backtest ran. */
const backtestSeed = (seed: number): number => (seed + 0x9e3779b9) >>> 0;

/**
 * Runs the pre-period backtest of `causalImpact(data, options)` on its own — what a worker thread runs beside
 * `fitImpact`; `attachBacktest(fitImpact(data, options), impactBacktest(data, options))` is `causalImpact`'s result.
 */
export function impactBacktest(data: ImpactData, options: ImpactOptions = {}): BacktestOutcome {
  const o = resolveImpactOptions(options);
  const d = prepareData(data, o.standardize);
  if (d.illConditioned !== undefined) return { horizon: null, backtest: null, note: d.illConditioned };
  if (!o.backtest) return { horizon: null, backtest: null, note: 'backtest turned off' };
  const plan = planBacktest(d, data.post[1] - data.post[0] + 1);
  if (!plan) {
    return { horizon: null, backtest: null, note: `the pre-period has fewer than ${BACKTEST_SETTINGS.minPre} observed points to backtest` };
  }
  return { horizon: plan.horizon, backtest: runBacktest(d, o, plan, new Rng(backtestSeed(o.seed))), note: null };
}

/** The calibration block before the backtest: the level prior's choice (and its posterior when learned). */
function levelCalibration(o: ResolvedImpactOptions, draws: Draws, model: StateSpaceModel): ImpactCalibration {
  const learned = o.prior_level_sd === 'learned';
  let share = learned ? NaN : (o.prior_level_sd as number);
  let interval: [number, number] | null = null;
  if (learned) {
    const nq = draws.noiseNames.length;
    const level = draws.noiseNames.indexOf('level');
    const values = new Float64Array(draws.kept);
    for (let s = 0; s < draws.kept; s++) values[s] = draws.noiseSd[s * nq + level]! / model.sdy;
    share = values.reduce((a, b) => a + b, 0) / draws.kept;
    values.sort();
    interval = [quantileSorted(values, o.alpha / 2), quantileSorted(values, 1 - o.alpha / 2)];
  }
  return {
    chosen_by: learned ? 'learned' : o.r_defaults && o.prior_level_sd === 0.01 ? 'r_defaults' : 'user',
    prior_level_sd: share,
    prior_level_sd_interval: interval,
    horizon: null,
    backtests: [],
    coverage: null,
    nominal: 1 - o.alpha,
    score: null,
    scored: 0,
    rms_z: null,
    note: o.backtest ? 'not backtested' : 'backtest turned off',
  };
}

/**
 * Adds a backtest (from `impactBacktest` on the same data and options) to a result of `fitImpact`: the calibration
 * block, its warning and the report paragraph's sentence. Returns a new result; the input is not changed.
 */
export function attachBacktest(result: ImpactResult, data: ImpactData, outcome: BacktestOutcome): ImpactResult {
  if (!result.ok || result.calibration === null) return result;
  const bt = outcome.backtest;
  const label = (i: number): string | number | null => data.times?.[i] ?? null;
  const calibration: ImpactCalibration = {
    ...result.calibration,
    horizon: outcome.horizon,
    backtests: (bt?.windows ?? []).map((w) => ({ ...w, start_time: label(w.start), end_time: label(w.end) })),
    coverage: bt ? bt.coverage : null,
    score: bt ? bt.score : null,
    scored: bt ? bt.scored : 0,
    rms_z: bt ? bt.rms_z : null,
    note: outcome.note,
  };
  const next: ImpactResult = { ...result, calibration, warnings: [...result.warnings, ...calibrationWarnings(calibration)] };
  next.report = renderReport(next);
  return next;
}

const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

function period(data: ImpactData, p: readonly [number, number]): ImpactPeriod {
  return {
    start: p[0],
    end: p[1],
    start_time: data.times?.[p[0]] ?? null,
    end_time: data.times?.[p[1]] ?? null,
  };
}

function emptyRow(data: ImpactData, i: number): ImpactSeriesRow {
  return {
    index: i,
    time: data.times?.[i] ?? null,
    response: nul(data.y[i]!),
    cum_response: null,
    point_pred: null,
    point_pred_lower: null,
    point_pred_upper: null,
    cum_pred: null,
    cum_pred_lower: null,
    cum_pred_upper: null,
    point_effect: null,
    point_effect_lower: null,
    point_effect_upper: null,
    cum_effect: null,
    cum_effect_lower: null,
    cum_effect_upper: null,
  };
}

function seriesRows(data: ImpactData, d: PreparedData, inf: Inferences | undefined): ImpactSeriesRow[] {
  const rows: ImpactSeriesRow[] = [];
  let cum = 0;
  for (let i = 0; i < d.rows; i++) {
    const row = emptyRow(data, i);
    rows.push(row);
    if (i < d.start) continue;
    const t = i - d.start;
    const y = d.actual[t]!;
    if (!Number.isNaN(y)) cum += y;
    row.cum_response = Number.isNaN(y) ? null : cum;
    if (!inf) continue;
    row.point_pred = nul(inf.pointPred[t]!);
    row.point_pred_lower = nul(inf.pointLower[t]!);
    row.point_pred_upper = nul(inf.pointUpper[t]!);
    row.cum_pred = nul(inf.cumPred[t]!);
    row.cum_pred_lower = nul(inf.cumLower[t]!);
    row.cum_pred_upper = nul(inf.cumUpper[t]!);
    const inGap = t > d.preEnd && t < d.postStart;
    if (inGap || t > d.postEnd) continue;
    row.point_effect = nul(y - inf.pointPred[t]!);
    row.point_effect_lower = nul(y - inf.pointUpper[t]!);
    row.point_effect_upper = nul(y - inf.pointLower[t]!);
    const cr = inf.cumResponse[t]!;
    row.cum_effect = nul(cr - inf.cumPred[t]!);
    row.cum_effect_lower = nul(cr - inf.cumUpper[t]!);
    row.cum_effect_upper = nul(cr - inf.cumLower[t]!);
  }
  return rows;
}

function modelInfo(o: ResolvedImpactOptions, d: PreparedData, model: StateSpaceModel, draws: Draws): ImpactModelInfo {
  const S = draws.kept;
  const mean = (f: (s: number) => number): number => {
    let sum = 0;
    for (let s = 0; s < S; s++) sum += f(s);
    return sum / S;
  };
  const nq = draws.noiseNames.length;
  const stateSd: Record<string, number> = {};
  draws.noiseNames.forEach((name, i) => {
    const scale = name.startsWith('dynamic:') ? 1 : d.sd;
    stateSd[name] = mean((s) => draws.noiseSd[s * nq + i]!) * scale;
  });
  const coefficients = [];
  const p = draws.p;
  for (let j = 1; j < p; j++) {
    let inc = 0, sum = 0;
    for (let s = 0; s < S; s++) {
      if (draws.gamma[s * p + j]) {
        inc++;
        sum += draws.beta[s * p + j]!;
      }
    }
    coefficients.push({
      name: model.regression!.names[j]!,
      inclusion_probability: inc / S,
      mean: sum / S,
      mean_when_included: inc > 0 ? sum / inc : null,
    });
  }
  const components = [model.trendSize === 2 ? 'local_linear_trend' : 'local_level'];
  if (model.seasons > 1) components.push(`seasonal(${model.seasons}×${o.season_duration})`);
  if (model.regression) components.push('static_regression');
  if (model.dynK > 0) components.push('dynamic_regression');
  return {
    niter: o.niter,
    burn: o.niter - S,
    kept: S,
    seed: o.seed,
    standardized: o.standardize,
    target_mean: d.mu,
    target_sd: d.sd,
    controls: d.names,
    components,
    sigma_obs: mean((s) => draws.sigmaObs[s]!) * d.sd,
    state_sd: stateSd,
    coefficients,
  };
}

/**
 * Estimates the causal effect of an intervention that starts at `data.post[0]`: fits a Bayesian structural
 * time-series model to the pre-period (target + controls), predicts the counterfactual post-period target, and
 * compares; then backtests the model's forecasts in the pre-period (unless `backtest: false`). Degenerate input (too
 * few observed values, constant target) gives `ok: false`, a warning and an empty summary instead of an error; bad
 * input (unknown periods, missing controls, non-numbers) throws a CloutError.
 */
export function causalImpact(data: ImpactData, options: ImpactOptions = {}, hooks: ImpactHooks = {}): ImpactResult {
  const fit = fitImpact(data, options, hooks);
  return fit.options.backtest ? attachBacktest(fit, data, impactBacktest(data, options)) : fit;
}

/** `causalImpact` without the backtest (its calibration block says "not backtested"); see `attachBacktest`. */
export function fitImpact(data: ImpactData, options: ImpactOptions = {}, hooks: ImpactHooks = {}): ImpactResult {
  const o = resolveImpactOptions(options);
  const d = prepareData(data, o.standardize);
  const warnings = [...d.warnings];
  if (o.niter < 1000) warnings.push(`niter is ${o.niter}; results may be inaccurate with fewer than 1000 MCMC iterations`);
  const base = {
    target: data.target ?? 'y',
    alpha: o.alpha,
    pre: period(data, data.pre),
    post: period(data, data.post),
    options: o,
  };
  if (d.illConditioned !== undefined) {
    warnings.push(`aborting inference: ${d.illConditioned}`);
    return {
      ...base,
      ok: false,
      warnings,
      average: null,
      cumulative: null,
      p: null,
      p_one_sided: null,
      prob_effect: null,
      series: seriesRows(data, d, undefined),
      report: null,
      model: null,
      calibration: null,
    };
  }
  const model = buildModel(d, o);
  const rng = new Rng(o.seed);
  const draws = runGibbs(model, d.y, { niter: o.niter, burn: burnCount(o), onProgress: hooks.onProgress }, rng);
  const inf = compileInferences(d, draws, o.alpha, rng);
  warnings.push(...designWarnings(d, o));
  const result: ImpactResult = {
    ...base,
    ok: true,
    warnings,
    average: inf.average,
    cumulative: inf.cumulative,
    p: inf.p,
    p_one_sided: inf.pOneSided,
    prob_effect: 1 - inf.pOneSided,
    series: seriesRows(data, d, inf),
    report: null,
    model: modelInfo(o, d, model, draws),
    calibration: levelCalibration(o, draws, model),
  };
  result.report = renderReport(result);
  return result;
}
