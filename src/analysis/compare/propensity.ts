/**
 * The propensity score e(x) = P(T = 1 | x) by logistic regression (Rosenbaum & Rubin 1983), fitted by IRLS: Newton's
 * method on the log-likelihood with step halving whenever a step would lower it (McCullagh & Nelder 1989, §4.4).
 *
 * The columns are centred and scaled internally (each by its mean and s.d. over the rows fitted), which keeps the
 * Hessian well conditioned when counts sit beside shares; the coefficients are reported on the original scale, with
 * standard errors from the inverse Hessian (the observed = expected information of the logit link) carried through
 * the same linear map: β_j = γ_j / s_j, β_0 = γ_0 − Σ γ_j m_j / s_j, Cov(β) = A Cov(γ) Aᵀ.
 *
 * Separation (Albert & Anderson 1984): when some combination of covariates splits treated from control, the
 * likelihood keeps rising as a coefficient runs to infinity and no maximum exists. It is reported when Newton does
 * not settle, or when a coefficient on the standardised scale exceeds 10 (a one-s.d. change multiplying the odds by
 * e¹⁰ ≈ 22,000 — only a (quasi-)separating column gets there); the columns named are those runaway coefficients and
 * every column that on its own orders the groups (max over one group ≤ min over the other).
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { choleskyInPlace, invertSpd, solveLower, solveLowerTransposed } from '../stats/linalg.js';
import { resolveOptions } from '../stats/options.js';
import { standardisedColumns, weightedGram } from './gram.js';

/** Newton's iterations cap and convergence tolerance. */
export const PROPENSITY_DEFAULTS = {
  /** Newton iterations at most. */
  max_iter: 60,
  /** Converged when the largest step (standardised scale) is below tol·(1 + max |γ|) and the log-likelihood settles. */
  tol: 1e-10,
  /** A standardised coefficient above this is a runaway one (separation). */
  runaway: 10,
} as const;

const propensitySchema = z
  .object({
    max_iter: z.number().int().min(1).max(10_000).default(PROPENSITY_DEFAULTS.max_iter),
    tol: z.number().gt(0).lt(1).default(PROPENSITY_DEFAULTS.tol),
    runaway: z.number().gt(0).default(PROPENSITY_DEFAULTS.runaway),
  })
  .strict();

export type PropensityOptions = z.input<typeof propensitySchema>;

/** A logistic regression fit: original-scale coefficients and the standardised internals the estimators reuse. */
export interface LogitFit {
  /** Number of covariates (the intercept not counted). */
  p: number;
  /** Intercept first, original scale. */
  coef: Float64Array;
  se: Float64Array;
  /** Standardised-scale coefficients (intercept first), and each column's centre and scale. */
  gamma: Float64Array;
  center: Float64Array;
  scale: Float64Array;
  /** Inverse Hessian on the standardised scale, (p + 1)² row-major. */
  covStd: Float64Array;
  loglik: number;
  iterations: number;
  converged: boolean;
  /** Names of the (quasi-)separating columns; empty when none. */
  separation: string[];
}

/**
 * Fits P(y = 1 | x) = 1 / (1 + exp(−β₀ − xβ)) to the n × p row-major X, on all rows or only on `rows`; columns named
 * by `names` (for separation messages); `start` (original-scale coefficients, e.g. a fit on all rows) warm-starts
 * Newton.
 */
export function fitLogit(X: Float64Array, n: number, p: number, y: ArrayLike<number>, names: readonly string[], options?: PropensityOptions, rows?: Int32Array, start?: Float64Array): LogitFit {
  const o = resolveOptions('compare: propensity', propensitySchema, options);
  const q = p + 1;
  const { Z, m, center, scale } = standardisedColumns(X, n, p, rows);
  const yy = new Float64Array(m);
  let ySum = 0;
  for (let r = 0; r < m; r++) {
    yy[r] = y[rows ? rows[r]! : r]! > 0 ? 1 : 0;
    ySum += yy[r]!;
  }
  if (ySum === 0 || ySum === m) throw new CloutError('input', `compare: the propensity model needs treated and control units; got ${ySum} treated of ${m}`);

  const gamma = new Float64Array(q);
  gamma[0] = Math.log(ySum / (m - ySum));
  if (start) {
    // γ_j = β_j s_j, γ_0 = β_0 + Σ β_j m_j
    gamma[0] = start[0]!;
    for (let j = 0; j < p; j++) {
      gamma[1 + j] = start[1 + j]! * scale[j]!;
      gamma[0] += start[1 + j]! * center[j]!;
    }
  }
  const eta = new Float64Array(m);
  const mu = new Float64Array(m);
  const H = new Float64Array(q * q);
  const g = new Float64Array(q);
  const trial = new Float64Array(q);
  const lastH = new Float64Array(q * q);
  let lastStep = Infinity;
  let ll = evaluate(Z, m, q, gamma, yy, eta, mu);
  let converged = false;
  let iterations = 0;
  let singular = false;
  for (; iterations < o.max_iter && !converged; ) {
    iterations++;
    hessianAndGradient(Z, m, q, yy, mu, H, g);
    lastH.set(H);
    if (!choleskyInPlace(H, q, 1e-300)) {
      singular = true;
      break;
    }
    solveLower(H, q, g);
    solveLowerTransposed(H, q, g);
    let step = 1;
    let llNew = ll;
    for (let halving = 0; halving < 40; halving++) {
      for (let a = 0; a < q; a++) trial[a] = gamma[a]! + step * g[a]!;
      llNew = evaluate(Z, m, q, trial, yy, eta, mu);
      if (llNew >= ll - 1e-12 * (1 + Math.abs(ll))) break;
      step /= 2;
    }
    let maxStep = 0, maxCoef = 0;
    for (let a = 0; a < q; a++) {
      maxStep = Math.max(maxStep, Math.abs(trial[a]! - gamma[a]!));
      maxCoef = Math.max(maxCoef, Math.abs(trial[a]!));
      gamma[a] = trial[a]!;
    }
    const settled = Math.abs(llNew - ll) <= 1e-12 * (1 + Math.abs(ll));
    lastStep = maxStep / (1 + maxCoef);
    ll = llNew; // eta and mu hold the accepted trial's values
    converged = maxStep <= o.tol * (1 + maxCoef) || (settled && maxStep <= 1e-6 * (1 + maxCoef));
  }
  // Inverse Hessian at the solution (standardised scale); the last iteration's when its step was negligible.
  if (lastStep <= 1e-9 && !singular) H.set(lastH);
  else hessianAndGradient(Z, m, q, yy, mu, H, g);
  const covStd = invertSymmetric(H, q);

  const coef = new Float64Array(q);
  coef[0] = gamma[0]!;
  for (let j = 0; j < p; j++) {
    coef[1 + j] = gamma[1 + j]! / scale[j]!;
    coef[0] -= (gamma[1 + j]! * center[j]!) / scale[j]!;
  }
  // A maps γ to β: row 0 = (1, −m_j/s_j), row j = e_j / s_j.
  const A = new Float64Array(q * q);
  A[0] = 1;
  for (let j = 0; j < p; j++) {
    A[1 + j] = -center[j]! / scale[j]!;
    A[(1 + j) * q + 1 + j] = 1 / scale[j]!;
  }
  const se = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    let v = 0;
    for (let b = 0; b < q; b++) {
      const Aab = A[a * q + b]!;
      if (Aab === 0) continue;
      for (let c = 0; c < q; c++) v += Aab * covStd[b * q + c]! * A[a * q + c]!;
    }
    se[a] = Math.sqrt(Math.max(0, v));
  }

  // A column that on its own splits the groups is the cause; when there is one, the others' runaway coefficients
  // are its echo (every coefficient drifts while Newton chases the split) and are not named.
  const flagged = new Set<string>();
  let maxGamma = 0, argMax = -1;
  const separates = separatingColumns(X, n, p, y, rows);
  for (const j of separates) flagged.add(names[j] ?? `x${j}`);
  for (let j = 0; j < p; j++) {
    const a = Math.abs(gamma[1 + j]!);
    if (a > o.runaway && separates.length === 0) flagged.add(names[j] ?? `x${j}`);
    if (a > maxGamma) [maxGamma, argMax] = [a, j];
  }
  if ((!converged || singular) && flagged.size === 0 && argMax >= 0) flagged.add(names[argMax] ?? `x${argMax}`);
  return { p, coef, se, gamma, center, scale, covStd, loglik: ll, iterations, converged: converged && !singular, separation: [...flagged] };
}

/** The linear predictor logit e(x) of every row of X under a fit. */
export function linearPredictor(fit: LogitFit, X: Float64Array, n: number, out = new Float64Array(n)): Float64Array {
  const p = fit.p;
  for (let i = 0; i < n; i++) {
    let s = fit.coef[0]!;
    const off = i * p;
    for (let j = 0; j < p; j++) s += fit.coef[1 + j]! * X[off + j]!;
    out[i] = s;
  }
  return out;
}

/** The logistic function, computed without overflow. */
export function expit(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** g = Zᵀ res (Z column-major, m rows, q columns), four columns per pass over the rows. */
function gradient(Z: Float64Array, m: number, q: number, res: Float64Array, g: Float64Array): void {
  let a = 0;
  for (; a + 3 < q; a += 4) {
    const o0 = a * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let r = 0; r < m; r++) {
      const x = res[r]!;
      s0 += x * Z[o0 + r]!;
      s1 += x * Z[o1 + r]!;
      s2 += x * Z[o2 + r]!;
      s3 += x * Z[o3 + r]!;
    }
    g[a] = s0;
    g[a + 1] = s1;
    g[a + 2] = s2;
    g[a + 3] = s3;
  }
  for (; a < q; a++) {
    const off = a * m;
    let s = 0;
    for (let r = 0; r < m; r++) s += res[r]! * Z[off + r]!;
    g[a] = s;
  }
}

/** η = Zγ, μ = expit(η) and the log-likelihood Σ y η − log(1 + e^η) (Z column-major, m rows). */
function evaluate(Z: Float64Array, m: number, q: number, gamma: Float64Array, y: Float64Array, eta: Float64Array, mu: Float64Array): number {
  eta.fill(gamma[0]!);
  let a = 1;
  for (; a + 3 < q; a += 4) {
    const g0 = gamma[a]!, g1 = gamma[a + 1]!, g2 = gamma[a + 2]!, g3 = gamma[a + 3]!;
    const o0 = a * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    for (let r = 0; r < m; r++) eta[r] += g0 * Z[o0 + r]! + g1 * Z[o1 + r]! + g2 * Z[o2 + r]! + g3 * Z[o3 + r]!;
  }
  for (; a < q; a++) {
    const g = gamma[a]!;
    if (g === 0) continue;
    const off = a * m;
    for (let r = 0; r < m; r++) eta[r] += g * Z[off + r]!;
  }
  let ll = 0;
  for (let r = 0; r < m; r++) {
    const s = eta[r]!;
    if (s > 0) {
      const t = Math.exp(-s);
      ll += y[r]! * s - s - Math.log1p(t);
      mu[r] = 1 / (1 + t);
    } else {
      const t = Math.exp(s);
      ll += y[r]! * s - Math.log1p(t);
      mu[r] = t / (1 + t);
    }
  }
  return ll;
}

/** H = Zᵀ diag(μ(1 − μ)) Z (full symmetric) and g = Zᵀ(y − μ). */
function hessianAndGradient(Z: Float64Array, m: number, q: number, y: Float64Array, mu: Float64Array, H: Float64Array, g: Float64Array): void {
  const w = new Float64Array(m), res = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    w[r] = mu[r]! * (1 - mu[r]!);
    res[r] = y[r]! - mu[r]!;
  }
  weightedGram(Z, m, q, w, res, H, g);
}

/** The inverse of a symmetric positive (semi)definite matrix by Cholesky; a tiny ridge when it is singular. */
function invertSymmetric(H: Float64Array, q: number): Float64Array {
  let ridge = 0;
  for (let attempt = 0; attempt < 30; attempt++) {
    const A = H.slice();
    for (let a = 0; a < q; a++) A[a * q + a] += ridge;
    const inverse = invertSpd(A, q, 1e-300);
    if (inverse !== undefined) return inverse;
    ridge = ridge === 0 ? 1e-12 : ridge * 10;
  }
  return new Float64Array(q * q).fill(NaN);
}

/** Columns that on their own order the groups: max over one group ≤ min over the other (quasi-complete separation). */
function separatingColumns(X: Float64Array, n: number, p: number, y: ArrayLike<number>, rows?: Int32Array): number[] {
  const m = rows ? rows.length : n;
  const min1 = new Float64Array(p).fill(Infinity), max1 = new Float64Array(p).fill(-Infinity);
  const min0 = new Float64Array(p).fill(Infinity), max0 = new Float64Array(p).fill(-Infinity);
  for (let r = 0; r < m; r++) {
    const i = rows ? rows[r]! : r;
    const off = i * p;
    const [lo, hi] = y[i]! > 0 ? [min1, max1] : [min0, max0];
    for (let j = 0; j < p; j++) {
      const v = X[off + j]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
  const out: number[] = [];
  for (let j = 0; j < p; j++) if (max0[j]! <= min1[j]! || max1[j]! <= min0[j]!) out.push(j);
  return out;
}

/**
 * The same logistic model re-fitted on a subset of rows (a cross-fitting fold), for its predictions: started at the
 * fit on all units and iterated with that fit's Hessian scaled to the subset, γ ← γ + (n/m) H_all⁻¹ g(γ) — a
 * quasi-Newton step that costs a gradient instead of a Hessian and converges linearly at a rate set by how much the
 * subset's curvature differs from the whole's (small for a random fold). Converged when the step is below 1e-9 ·
 * (1 + max |γ|); if it stalls or the likelihood drops, the full Newton fit takes over. No standard errors.
 */
export function refitLogit(base: LogitFit, X: Float64Array, n: number, y: ArrayLike<number>, names: readonly string[], rows: Int32Array): LogitFit {
  const p = base.p, q = p + 1;
  const { Z, m } = standardisedColumns(X, n, p, rows, base);
  const yy = new Float64Array(m);
  let ySum = 0;
  for (let r = 0; r < m; r++) {
    yy[r] = y[rows[r]!]! > 0 ? 1 : 0;
    ySum += yy[r]!;
  }
  if (ySum === 0 || ySum === m || base.separation.length > 0) return fitLogit(X, n, p, y, names, undefined, rows, base.coef);
  const gamma = base.gamma.slice();
  const eta = new Float64Array(m), mu = new Float64Array(m), res = new Float64Array(m);
  const g = new Float64Array(q), step = new Float64Array(q);
  const scaleH = n / m;
  let ll = evaluate(Z, m, q, gamma, yy, eta, mu);
  let converged = false, iterations = 0;
  for (; iterations < 50 && !converged; iterations++) {
    for (let r = 0; r < m; r++) res[r] = yy[r]! - mu[r]!;
    gradient(Z, m, q, res, g);
    let maxStep = 0, maxCoef = 0;
    for (let a = 0; a < q; a++) {
      let s = 0;
      for (let b = 0; b < q; b++) s += base.covStd[a * q + b]! * g[b]!;
      step[a] = scaleH * s;
      gamma[a] += step[a]!;
      maxStep = Math.max(maxStep, Math.abs(step[a]!));
      maxCoef = Math.max(maxCoef, Math.abs(gamma[a]!));
    }
    const llNew = evaluate(Z, m, q, gamma, yy, eta, mu);
    if (!(llNew >= ll - 1e-9 * (1 + Math.abs(ll)))) return fitLogit(X, n, p, y, names, undefined, rows, base.coef);
    ll = llNew;
    converged = maxStep <= 1e-9 * (1 + maxCoef);
  }
  if (!converged) return fitLogit(X, n, p, y, names, undefined, rows, base.coef);
  const coef = new Float64Array(q);
  coef[0] = gamma[0]!;
  for (let j = 0; j < p; j++) {
    coef[1 + j] = gamma[1 + j]! / base.scale[j]!;
    coef[0] -= (gamma[1 + j]! * base.center[j]!) / base.scale[j]!;
  }
  const separation = separatingColumns(X, n, p, y, rows).map((j) => names[j] ?? `x${j}`);
  return { ...base, coef, se: new Float64Array(q).fill(NaN), gamma, covStd: new Float64Array(q * q).fill(NaN), loglik: ll, iterations, converged, separation };
}
