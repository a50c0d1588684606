/**
 * The outcome models of AIPW, m_t(x) = E[Y | X = x, T = t], fitted on one arm's training rows: linear (ordinary least
 * squares by the normal equations on centred and scaled columns, Cholesky) or Poisson with a log link for counts
 * (IRLS: Newton on the Poisson log-likelihood with step halving; McCullagh & Nelder 1989, §6.2). Both return
 * predictions for any rows; a tiny ridge (1e-10 × the diagonal) keeps the solve defined when columns are collinear
 * within an arm — the predictions are what AIPW needs, not the coefficients.
 */
import { CloutError } from '../../domain/index.js';
import { choleskyInPlace, solveLower, solveLowerTransposed } from '../stats/linalg.js';
import { standardisedColumns, weightedGram } from './gram.js';

export type OutcomeModelKind = 'linear' | 'poisson';

/** A fitted outcome model: coefficients on the original scale, intercept first. */
export interface OutcomeFit {
  kind: OutcomeModelKind;
  p: number;
  coef: Float64Array;
}

/** Fits the outcome model to the given rows of the n × p design (rows as indices into X and y). */
export function fitOutcome(kind: OutcomeModelKind, X: Float64Array, p: number, y: Float64Array, rows: Int32Array): OutcomeFit {
  const m = rows.length;
  const q = p + 1;
  if (m === 0) throw new CloutError('input', 'compare: an outcome model has no rows to fit (an arm is empty in a training fold)');
  const { Z, center, scale } = standardisedColumns(X, rows.length, p, rows);
  const yy = Float64Array.from(rows, (i) => y[i]!);
  const gamma = kind === 'linear' ? leastSquares(Z, m, q, yy) : poissonIrls(Z, m, q, yy);
  const coef = new Float64Array(q);
  coef[0] = gamma[0]!;
  for (let j = 0; j < p; j++) {
    coef[1 + j] = gamma[1 + j]! / scale[j]!;
    coef[0] -= (gamma[1 + j]! * center[j]!) / scale[j]!;
  }
  return { kind, p, coef };
}

/** The model's mean prediction for row i of X. */
export function predictOutcome(fit: OutcomeFit, X: Float64Array, i: number): number {
  let s = fit.coef[0]!;
  const off = i * fit.p;
  for (let j = 0; j < fit.p; j++) s += fit.coef[1 + j]! * X[off + j]!;
  return fit.kind === 'linear' ? s : Math.exp(Math.min(s, 700));
}

/** Solves (ZᵀWZ + ridge) γ = ZᵀW y in place of H and b (a tiny ridge, 1e-10 × the diagonal). */
export function solveRidged(H: Float64Array, b: Float64Array, q: number): Float64Array {
  for (let a = 0; a < q; a++) H[a * q + a] += 1e-10 * Math.max(1, H[a * q + a]!);
  if (!choleskyInPlace(H, q, 1e-300)) throw new CloutError('input', 'compare: the outcome model cannot be fitted (its design is singular)');
  solveLower(H, q, b);
  solveLowerTransposed(H, q, b);
  return b;
}

function leastSquares(Z: Float64Array, m: number, q: number, y: Float64Array): Float64Array {
  const H = new Float64Array(q * q), b = new Float64Array(q);
  accumulate(Z, m, q, null, y, H, b);
  return solveRidged(H, b, q);
}

/** Accumulates H = Zᵀ diag(w) Z (w = 1 when null) and b = Zᵀ v, for a column-major Z. */
function accumulate(Z: Float64Array, m: number, q: number, w: Float64Array | null, v: Float64Array, H: Float64Array, b: Float64Array): void {
  weightedGram(Z, m, q, w ?? new Float64Array(m).fill(1), v, H, b);
}

function poissonIrls(Z: Float64Array, m: number, q: number, y: Float64Array): Float64Array {
  let total = 0;
  for (let r = 0; r < m; r++) {
    if (!(y[r]! >= 0)) throw new CloutError('input', `compare: the Poisson outcome model needs outcomes ≥ 0; got ${y[r]}`);
    total += y[r]!;
  }
  const gamma = new Float64Array(q);
  gamma[0] = Math.log(Math.max(total / m, 1e-8));
  const mu = new Float64Array(m), res = new Float64Array(m);
  const H = new Float64Array(q * q), b = new Float64Array(q), trial = new Float64Array(q);
  const loglik = (g: Float64Array): number => {
    let ll = 0;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let a = 0; a < q; a++) s += Z[a * m + r]! * g[a]!;
      s = Math.min(s, 700);
      mu[r] = Math.exp(s);
      ll += y[r]! * s - mu[r]!;
    }
    return ll;
  };
  let ll = loglik(gamma);
  for (let it = 0; it < 100; it++) {
    for (let r = 0; r < m; r++) res[r] = y[r]! - mu[r]!;
    accumulate(Z, m, q, mu, res, H, b);
    const step = solveRidged(H, b, q);
    let t = 1, llNew = ll;
    for (let h = 0; h < 40; h++) {
      for (let a = 0; a < q; a++) trial[a] = gamma[a]! + t * step[a]!;
      llNew = loglik(trial);
      if (llNew >= ll - 1e-12 * (1 + Math.abs(ll))) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let a = 0; a < q; a++) {
      maxStep = Math.max(maxStep, Math.abs(trial[a]! - gamma[a]!));
      gamma[a] = trial[a]!;
    }
    ll = loglik(gamma);
    if (maxStep < 1e-9 * (1 + Math.abs(gamma[0]!))) break;
  }
  return gamma;
}

/**
 * Cross-fitted least-squares predictions for one arm: each unit of `rows` predicted by the model fitted on the arm's
 * units of the other folds. The cross-products are additive over rows, so each fold's is computed once and the
 * training fits come from the total minus the fold's — one pass over the arm instead of one per fold.
 */
export function crossFittedLinear(X: Float64Array, p: number, y: Float64Array, rows: Int32Array, fold: Int32Array, folds: number, out: Float64Array): void {
  const q = p + 1;
  const sorted = Int32Array.from(rows).sort((a, b) => fold[a]! - fold[b]! || a - b);
  const { Z, m, center, scale } = standardisedColumns(X, sorted.length, p, sorted);
  const ones = new Float64Array(m).fill(1);
  const yy = Float64Array.from(sorted, (i) => y[i]!);
  const Hk: Float64Array[] = [], bk: Float64Array[] = [];
  const H = new Float64Array(q * q), b = new Float64Array(q);
  let start = 0;
  for (let k = 0; k < folds; k++) {
    let end = start;
    while (end < m && fold[sorted[end]!] === k) end++;
    const h = new Float64Array(q * q), g = new Float64Array(q);
    if (end > start) weightedGram(Z, m, q, ones, yy, h, g, start, end);
    Hk.push(h);
    bk.push(g);
    for (let a = 0; a < q * q; a++) H[a] += h[a]!;
    for (let a = 0; a < q; a++) b[a] += g[a]!;
    start = end;
  }
  for (let k = 0; k < folds; k++) {
    const Ht = Float64Array.from(H, (v, a) => v - Hk[k]![a]!);
    const bt = Float64Array.from(b, (v, a) => v - bk[k]![a]!);
    if (Ht[0]! <= 0) throw new CloutError('input', 'compare: an outcome model has no rows to fit (an arm is empty in a training fold)');
    const gamma = solveRidged(Ht, bt, q);
    const coef = new Float64Array(q);
    coef[0] = gamma[0]!;
    for (let j = 0; j < p; j++) {
      coef[1 + j] = gamma[1 + j]! / scale[j]!;
      coef[0] -= (gamma[1 + j]! * center[j]!) / scale[j]!;
    }
    const fit: OutcomeFit = { kind: 'linear', p, coef };
    for (let i = 0; i < fold.length; i++) if (fold[i] === k) out[i] = predictOutcome(fit, X, i);
  }
}
