/**
 * Augmented inverse-probability weighting, the doubly robust estimator (Robins, Rotnitzky & Zhao 1994; Bang & Robins
 * 2005), cross-fitted (Chernozhukov et al. 2018, "double/debiased machine learning"): the units are split into K
 * folds (seeded, within each arm so every fold holds treated and control units); for each fold the propensity score
 * and the outcome models m_t(x) = E[Y | x, T = t] (outcome-model.ts: linear or Poisson, one per arm) are fitted on
 * the other folds and predicted on this one.
 *
 * ATE: ψ_i = m1_i − m0_i + T_i (Y_i − m1_i)/e_i − (1 − T_i)(Y_i − m0_i)/(1 − e_i); τ̂ = mean ψ; influence ψ_i − τ̂.
 * ATT (Moodie et al. 2018; the ATTE score of Chernozhukov et al. 2018, §5.1, with the control part normalised as in
 * Hájek): τ̂ = Σ_t (Y − m0)/n_t − Σ_c r (Y − m0) / Σ_c r, r = e/(1 − e); influence
 * T_i (Y_i − m0_i − A)/p̂ − (1 − T_i) r_i (Y_i − m0_i − B)/c₀ with A, B the two terms, p̂ = n_t/n, c₀ = Σ_c r/n.
 * Either is consistent when the score or the outcome model is right. Variance V̂ = Σ (influence)² / n²; with draws
 * requested the interval comes from the multiplier bootstrap over the influence (bootstrap.ts).
 *
 * Safeguard: cross-fitted scores are clipped to [0.01, 0.99] before they divide (AIPW_CLIP); each clipped score is
 * counted and the caller warns — many clipped scores mean poor overlap, where no weighting estimator is reliable.
 */
import { Rng } from '../../domain/index.js';
import { fitLogit, linearPredictor, expit, refitLogit, type LogitFit } from './propensity.js';
import { crossFittedLinear, fitOutcome, predictOutcome, type OutcomeModelKind } from './outcome-model.js';
import type { Estimand } from './types.js';

/** Scores are clipped to [AIPW_CLIP, 1 − AIPW_CLIP] before they divide. */
export const AIPW_CLIP = 0.01;

/** The AIPW estimate with its influence function and what cross-fitting did. */
export interface AipwEstimate {
  estimate: number;
  se: number;
  psi: Float64Array;
  clipped: number;
  folds: number;
  /** Folds whose propensity model separated (named columns), if any. */
  separation: string[];
}

/** Assigns each unit a fold 0..K−1: a seeded shuffle within each arm, dealt round-robin. */
export function assignFolds(treatment: Uint8Array, folds: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const n = treatment.length;
  const fold = new Int32Array(n);
  for (const arm of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (treatment[i] === arm) members.push(i);
    rng.shuffle(members);
    members.forEach((i, r) => (fold[i] = r % folds));
  }
  return fold;
}

/**
 * Cross-fitted AIPW estimate of the ATT or ATE; `base` (the score fitted on all units) starts each fold's fit, which
 * then iterates with its Hessian (refitLogit) — the same fold fit at the cost of a few gradients.
 */
export function aipwEstimate(X: Float64Array, p: number, names: readonly string[], treatment: Uint8Array, y: Float64Array, estimand: Estimand, model: OutcomeModelKind, folds: number, seed: number, base?: LogitFit): AipwEstimate {
  const n = treatment.length;
  const fold = assignFolds(treatment, folds, seed);
  const e = new Float64Array(n), m0 = new Float64Array(n), m1 = new Float64Array(n);
  const lp = new Float64Array(n);
  const separation = new Set<string>();
  let clipped = 0;
  for (let k = 0; k < folds; k++) {
    const train: number[] = [], train1: number[] = [], train0: number[] = [], test: number[] = [];
    for (let i = 0; i < n; i++) {
      if (fold[i] === k) test.push(i);
      else {
        train.push(i);
        (treatment[i] ? train1 : train0).push(i);
      }
    }
    if (test.length === 0) continue;
    const ps = base ? refitLogit(base, X, n, treatment, names, Int32Array.from(train)) : fitLogit(X, n, p, treatment, names, undefined, Int32Array.from(train));
    for (const s of ps.separation) separation.add(s);
    const out0 = model === 'poisson' ? fitOutcome(model, X, p, y, Int32Array.from(train0)) : null;
    const out1 = model === 'poisson' && estimand === 'ate' ? fitOutcome(model, X, p, y, Int32Array.from(train1)) : null;
    linearPredictor(ps, X, n, lp);
    for (const i of test) {
      let ei = expit(lp[i]!);
      if (ei < AIPW_CLIP || ei > 1 - AIPW_CLIP) {
        clipped++;
        ei = Math.min(1 - AIPW_CLIP, Math.max(AIPW_CLIP, ei));
      }
      e[i] = ei;
      if (out0) m0[i] = predictOutcome(out0, X, i);
      if (out1) m1[i] = predictOutcome(out1, X, i);
    }
  }
  if (model === 'linear') {
    // least squares: every fold's fit from one pass over each arm (crossFittedLinear)
    const arm = (a: number): Int32Array => Int32Array.from(Array.from(treatment.keys()).filter((i) => treatment[i] === a));
    const all0 = new Float64Array(n);
    crossFittedLinear(X, p, y, arm(0), fold, folds, all0);
    m0.set(all0);
    if (estimand === 'ate') {
      const all1 = new Float64Array(n);
      crossFittedLinear(X, p, y, arm(1), fold, folds, all1);
      m1.set(all1);
    }
  }
  const psi = new Float64Array(n);
  let estimate: number;
  if (estimand === 'ate') {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = treatment[i]!;
      const v = m1[i]! - m0[i]! + (t ? (y[i]! - m1[i]!) / e[i]! : -(y[i]! - m0[i]!) / (1 - e[i]!));
      psi[i] = v;
      sum += v;
    }
    estimate = sum / n;
    for (let i = 0; i < n; i++) psi[i] -= estimate;
  } else {
    let n1 = 0, sumA = 0, sumR = 0, sumRB = 0;
    for (let i = 0; i < n; i++) {
      const d = y[i]! - m0[i]!;
      if (treatment[i]) {
        n1++;
        sumA += d;
      } else {
        const r = e[i]! / (1 - e[i]!);
        sumR += r;
        sumRB += r * d;
      }
    }
    const A = sumA / n1, B = sumRB / sumR;
    estimate = A - B;
    const pHat = n1 / n, c0 = sumR / n;
    for (let i = 0; i < n; i++) {
      const d = y[i]! - m0[i]!;
      psi[i] = treatment[i] ? (d - A) / pHat : (-(e[i]! / (1 - e[i]!)) * (d - B)) / c0;
    }
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += psi[i]! * psi[i]!;
  return { estimate, se: Math.sqrt(ss) / n, psi, clipped, folds, separation: [...separation] };
}
