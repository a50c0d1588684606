/**
 * A cross-sectional matched comparison (`clout compare`): checks the data, builds the design, fits the propensity
 * score, runs the requested estimators (matching, IPW, AIPW) beside the naive difference, and gathers the
 * diagnostics — balance, overlap, the E-value — and the warnings, in plain words, into one self-contained result.
 *
 * The naive difference is ȳ_treated − ȳ_control with Welch's interval (Student t on the Welch–Satterthwaite df).
 * Each estimator's statement and variance are in its module's banner: matching.ts, ipw.ts, aipw.ts; balance in
 * balance.ts, overlap in overlap.ts, the E-value in evalue.ts.
 */
import { CloutError } from '../../domain/index.js';
import { normalQuantile, studentQuantile } from '../stats/normal.js';
import { aipwEstimate, AIPW_CLIP } from './aipw.js';
import { balanceTable } from './balance.js';
import { multiplierDraws, summariseDraws } from './bootstrap.js';
import { buildDesign, type Design } from './design.js';
import { eValueMeanDifference } from './evalue.js';
import { ipwEstimate } from './ipw.js';
import { matchingEstimate, matchNearest } from './matching.js';
import { resolveCompareOptions, type CompareOptionsInput, type CompareOptionsResolved } from './options.js';
import { overlapOf } from './overlap.js';
import { fitOutcome, predictOutcome } from './outcome-model.js';
import { expit, fitLogit, linearPredictor, type LogitFit } from './propensity.js';
import type { CompareData, CompareMethod, CompareResult, MethodEstimate } from './types.js';

/** Units needed in each group. */
export const MIN_PER_GROUP = 5;

/** Compares treated with control units by matching, IPW and AIPW on a propensity score, with balance, overlap and E-value. */
export function compareGroups(data: CompareData, options?: CompareOptionsInput): CompareResult {
  const o = resolveCompareOptions(options);
  const { treatment, outcome: y } = data;
  const n = treatment.length;
  checkData(data, n);
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += treatment[i]!;
  const n0 = n - n1;
  if (n1 < MIN_PER_GROUP || n0 < MIN_PER_GROUP) {
    const which = n1 < MIN_PER_GROUP ? `${n1} treated units` : `${n0} control units`;
    throw new CloutError('input', `compare: treatment column has ${which}; need ≥ ${MIN_PER_GROUP} (it has ${n1} treated and ${n0} control)`);
  }
  const design = buildDesign(data.covariates, n);
  const warnings = [...design.warnings];
  if (design.p === 0) warnings.push('no covariate varies: the score is constant, so IPW and AIPW reduce to the naive difference and matching pairs units by row order — nothing is adjusted');

  const fit = fitLogit(design.X, n, design.p, treatment, design.names);
  if (fit.separation.length > 0) {
    warnings.push(
      `the propensity model separates treated from control on ${fit.separation.map((s) => `'${s}'`).join(', ')}: scores near 0 or 1 there, ` +
        'so those units have no comparable counterpart and the estimates lean on extrapolation',
    );
  } else if (!fit.converged) warnings.push(`the propensity model did not converge in ${fit.iterations} iterations`);
  const lp = linearPredictor(fit, design.X, n);
  const e = Float64Array.from(lp, expit);

  const z = normalQuantile(1 - (1 - o.level) / 2);
  const naive = naiveDifference(treatment, y, o.level);
  const ids = data.ids ?? Array.from({ length: n }, (_, i) => String(i));

  const methods: MethodEstimate[] = [];
  let matchWeights: Float64Array | null = null;
  let matchAdjust: { mu0: Float64Array; mu1: Float64Array | null } | undefined;
  const ipw = ipwEstimate(design.X, design.p, fit, e, treatment, y, o.estimand, o.trim);
  const boot: { method: MethodEstimate; psi: Float64Array }[] = [];
  for (const method of o.methods) {
    if (method === 'matching') {
      const m = matchNearest(lp, treatment, { estimand: o.estimand, ratio: o.ratio, replace: o.replace, caliper: o.caliper });
      const adjust = o.bias_adjust ? armPredictions(design, treatment, y, o) : undefined;
      matchAdjust = adjust;
      const est = matchingEstimate(m, lp, treatment, y, adjust);
      matchWeights = est.weights;
      methods.push({
        method,
        estimate: est.estimate,
        lower: est.estimate - z * est.se,
        upper: est.estimate + z * est.se,
        se: est.se,
        interval: est.variance,
        n_used: est.nUsed,
        details: {
          matched_focal: est.nFocal,
          unmatched_treated: m.unmatchedTreated,
          unmatched_control: m.unmatchedControl,
          caliper_logit: m.caliperWidth,
          ratio: o.ratio,
          replace: m.replace ? 'yes' : 'no',
          bias_adjust: o.bias_adjust ? 'yes' : 'no',
        },
      });
      const focal = o.estimand === 'att' ? n1 : n;
      const dropped = m.unmatchedTreated + m.unmatchedControl;
      if (dropped > 0) {
        const who = o.estimand === 'att' ? 'treated units' : 'units';
        warnings.push(
          `matching: ${dropped} of ${focal} ${who} had no match within the caliper and were dropped; the estimate is the effect on the ` +
            `${focal - dropped} matched ${who}, not on all of them`,
        );
      }
      if (o.estimand === 'ate' && !o.replace) warnings.push('matching: the ATE matches both ways with replacement (replace = false applies to the ATT only)');
    } else if (method === 'ipw') {
      const est = influenceEstimate(method, ipw.estimate, ipw.se, z, ipw.nUsed, {
        ess_treated: ipw.essTreated,
        ess_control: ipw.essControl,
        largest_weight_share_treated: ipw.maxShareTreated,
        largest_weight_share_control: ipw.maxShareControl,
        trimmed: ipw.trimmed,
        trim: o.trim,
      });
      methods.push(est);
      boot.push({ method: est, psi: ipw.psi });
      if (ipw.trimmed > 0) warnings.push(`ipw: ${ipw.trimmed} units with a score outside [${o.trim}, ${1 - o.trim!}] were trimmed; the estimate is the effect on the rest`);
      for (const [arm, ess, count] of [['treated', ipw.essTreated, n1], ['control', ipw.essControl, n0]] as const) {
        if (ess < 0.1 * count) warnings.push(`ipw: the ${arm} group's effective sample size is ${ess.toFixed(0)} of ${count} (${((100 * ess) / count).toFixed(1)}%): a few units carry the weights — poor overlap`);
      }
    } else {
      const a = aipwEstimate(design.X, design.p, design.names, treatment, y, o.estimand, o.outcome_model, o.folds, o.seed, fit);
      const est = influenceEstimate(method, a.estimate, a.se, z, n, { folds: a.folds, outcome_model: o.outcome_model, clipped: a.clipped });
      methods.push(est);
      boot.push({ method: est, psi: a.psi });
      if (a.clipped > 0) {
        warnings.push(`aipw: ${a.clipped} cross-fitted scores were clipped to [${AIPW_CLIP}, ${1 - AIPW_CLIP}] before dividing — a sign of poor overlap`);
      }
    }
  }
  if (o.bootstrap > 0 && boot.length > 0) {
    const draws = multiplierDraws(boot.map((b) => b.method.estimate), boot.map((b) => b.psi), o.bootstrap, o.seed);
    boot.forEach((b, k) => {
      const s = summariseDraws(draws[k]!, o.level);
      b.method.se = s.se;
      b.method.lower = s.lower;
      b.method.upper = s.upper;
      b.method.interval = 'multiplier-bootstrap';
      b.method.details.draws = o.bootstrap;
    });
  }

  const balance = balanceTable(design.X, design.p, design.names, treatment, matchWeights, o.methods.includes('ipw') ? ipw.weights : matchWeights ? null : ipw.weights);
  if (matchWeights) {
    const poor = balance.filter((b) => !(Math.abs(b.smd_after) < 0.1));
    if (poor.length > 0) {
      warnings.push(`balance after matching is still poor (|SMD| ≥ 0.1) on ${poor.map((b) => `'${b.covariate}' (${b.smd_after.toFixed(2)})`).join(', ')}`);
    }
  }

  const ov = overlapOf(e, treatment);
  const first = methods[0]!;
  let withinSupport: number | null = first.estimate;
  if (ov.outside.length > 0) {
    withinSupport = estimateWithin(first.method, ov.inside, design, fit, treatment, y, lp, o, matchAdjust);
    warnings.push(
      `${ov.outside.length} units lie outside common support (their score is outside the other group's range); ` +
        `${first.method} without them: ${withinSupport === null ? 'not estimable' : withinSupport.toPrecision(4)}`,
    );
  }

  const sdControl = armSd(y, treatment, 0);
  const sens = eValueMeanDifference(first.estimate, first.lower, first.upper, sdControl);

  return {
    kind: 'cross-section',
    estimand: o.estimand,
    n_treated: n1,
    n_control: n0,
    naive,
    methods,
    balance,
    overlap: {
      outside_support: ov.outside.length,
      outside_support_ids: Array.from(ov.outside, (i) => ids[i]!),
      bins: ov.bins,
      treated_counts: ov.treated_counts,
      control_counts: ov.control_counts,
      estimate_within_support: withinSupport,
    },
    propensity: {
      coefficients: ['(intercept)', ...design.names].map((name, k) => ({ name, estimate: fit.coef[k]!, se: fit.se[k]! })),
      iterations: fit.iterations,
      converged: fit.converged,
      separation: fit.separation,
    },
    sensitivity: { ...sens, method: first.method },
    options: { ...o },
    warnings,
  };
}

function checkData(data: CompareData, n: number): void {
  if (data.outcome.length !== n) throw new CloutError('input', `compare: outcome has ${data.outcome.length} values for ${n} units`);
  if (data.ids && data.ids.length !== n) throw new CloutError('input', `compare: ids has ${data.ids.length} values for ${n} units`);
  for (let i = 0; i < n; i++) {
    const t = data.treatment[i]!;
    if (t !== 0 && t !== 1) throw new CloutError('input', `compare: treatment must be 0 or 1; got ${t} at row ${i}`);
    if (!Number.isFinite(data.outcome[i]!)) throw new CloutError('input', `compare: outcome is missing or not finite at row ${i}`);
  }
}

/** ȳ_treated − ȳ_control with Welch's interval. */
export function naiveDifference(treatment: Uint8Array, y: Float64Array, level: number): { estimate: number; lower: number; upper: number; se: number } {
  const m1 = armMean(y, treatment, 1), m0 = armMean(y, treatment, 0);
  const s1 = armSd(y, treatment, 1), s0 = armSd(y, treatment, 0);
  let n1 = 0;
  for (let i = 0; i < treatment.length; i++) n1 += treatment[i]!;
  const n0 = treatment.length - n1;
  const v1 = (s1 * s1) / n1, v0 = (s0 * s0) / n0;
  const se = Math.sqrt(v1 + v0);
  const df = (v1 + v0) ** 2 / ((v1 * v1) / (n1 - 1) + (v0 * v0) / (n0 - 1));
  const t = se > 0 ? studentQuantile(1 - (1 - level) / 2, Math.max(1, df)) : 0;
  return { estimate: m1 - m0, lower: m1 - m0 - t * se, upper: m1 - m0 + t * se, se };
}

function armMean(y: Float64Array, treatment: Uint8Array, arm: number): number {
  let s = 0, c = 0;
  for (let i = 0; i < y.length; i++) if (treatment[i] === arm) (s += y[i]!), c++;
  return s / c;
}

function armSd(y: Float64Array, treatment: Uint8Array, arm: number): number {
  const m = armMean(y, treatment, arm);
  let ss = 0, c = 0;
  for (let i = 0; i < y.length; i++) if (treatment[i] === arm) (ss += (y[i]! - m) ** 2), c++;
  return Math.sqrt(ss / Math.max(1, c - 1));
}

/** The first method's point estimate on the units inside common support (score re-used; AIPW re-fitted), or null. */
function estimateWithin(method: CompareMethod, inside: Uint8Array, design: Design, fit: LogitFit, treatment: Uint8Array, y: Float64Array, lp: Float64Array, o: CompareOptionsResolved, adjust?: { mu0: Float64Array; mu1: Float64Array | null }): number | null {
  const rows: number[] = [];
  for (let i = 0; i < inside.length; i++) if (inside[i]) rows.push(i);
  const m = rows.length, p = design.p;
  const t = Uint8Array.from(rows, (i) => treatment[i]!);
  let m1 = 0;
  for (const v of t) m1 += v;
  if (m1 < 2 || m - m1 < 2) return null;
  const yy = Float64Array.from(rows, (i) => y[i]!);
  const ll = Float64Array.from(rows, (i) => lp[i]!);
  const subsetX = (): Float64Array => {
    const X = new Float64Array(m * p);
    rows.forEach((i, r) => X.set(design.X.subarray(i * p, i * p + p), r * p));
    return X;
  };
  try {
    if (method === 'matching') {
      const mm = matchNearest(ll, t, { estimand: o.estimand, ratio: o.ratio, replace: o.replace, caliper: o.caliper });
      // the bias correction's outcome models stay those fitted on all units
      const pick = (v: Float64Array): Float64Array => Float64Array.from(rows, (i) => v[i]!);
      const sub = adjust ? { mu0: pick(adjust.mu0), mu1: adjust.mu1 ? pick(adjust.mu1) : null } : undefined;
      return matchingEstimate(mm, ll, t, yy, sub).estimate;
    }
    if (method === 'ipw') {
      return ipwEstimate(subsetX(), p, fit, Float64Array.from(ll, expit), t, yy, o.estimand, o.trim).estimate;
    }
    return aipwEstimate(subsetX(), p, design.names, t, yy, o.estimand, o.outcome_model, o.folds, o.seed, fit).estimate;
  } catch {
    return null;
  }
}

/** Predictions of the outcome model of each arm (fitted on the whole arm) for every unit: bias-corrected matching. */
function armPredictions(design: Design, treatment: Uint8Array, y: Float64Array, o: CompareOptionsResolved): { mu0: Float64Array; mu1: Float64Array | null } {
  const n = treatment.length;
  const predict = (arm: number): Float64Array => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (treatment[i] === arm) rows.push(i);
    const fit = fitOutcome(o.outcome_model, design.X, design.p, y, Int32Array.from(rows));
    return Float64Array.from({ length: n }, (_, i) => predictOutcome(fit, design.X, i));
  };
  return { mu0: predict(0), mu1: o.estimand === 'ate' ? predict(1) : null };
}

/** An estimate with its normal interval from the influence-function standard error (the bootstrap may replace it). */
function influenceEstimate(method: MethodEstimate['method'], estimate: number, se: number, z: number, nUsed: number, details: MethodEstimate['details']): MethodEstimate {
  return { method, estimate, lower: estimate - z * se, upper: estimate + z * se, se, interval: 'influence-function', n_used: nUsed, details };
}
