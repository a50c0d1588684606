/**
 * Conditional (fixed-effects) Poisson regression: E[y_i] = exp(α_g(i) + β_l(i)) e_i (1 + w r_i), with one fixed
 * effect α per group profiled out exactly — the conditional multinomial likelihood of Hausman, Hall & Griliches (1984)
 * — one coefficient β per level (the reference level's is 0), and optionally the weight w of a shared exposure r.
 * Fisher scoring with step halving; cluster-robust standard errors by group: a leave-one-group-out jackknife (one
 * Newton step per group; Wooldridge 1999) and the CR1 sandwich, plus model-based ones. Used by ./framing-effects.ts
 * (groups = authors, levels = framings).
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { invertSpd, solveSpd } from '../stats/linalg.js';
import { resolveOptions } from '../stats/options.js';

/** Bounds of log w: below, reposts add nothing; above, one's own audience adds nothing. */
const LOG_WEIGHT_RANGE = [-12, 7] as const;

/** Smallest Cholesky pivot taken as positive (below it the information matrix counts as singular). */
const MIN_PIVOT = 1e-300;

/** The defaults of fitConditionalPoisson: iteration cap and the largest parameter step that counts as converged. */
export const CONDITIONAL_POISSON_DEFAULTS = { maxIter: 100, tol: 1e-9 } as const;

const conditionalPoissonOptionsSchema = z
  .object({
    maxIter: z.number().int().min(1).default(CONDITIONAL_POISSON_DEFAULTS.maxIter),
    tol: z.number().gt(0).default(CONDITIONAL_POISSON_DEFAULTS.tol),
  })
  .strict();

/** Options of fitConditionalPoisson (defaults in CONDITIONAL_POISSON_DEFAULTS). */
export type ConditionalPoissonOptions = z.input<typeof conditionalPoissonOptionsSchema>;

/** Posts as dense arrays for the fit: group (author) and level (framing) indices, counts and exposures. */
export interface ConditionalPoissonData {
  nGroups: number;
  nLevels: number;
  group: Int32Array;
  level: Int32Array;
  y: Float64Array;
  /** log of the post's own exposure. */
  logExposure: Float64Array;
  /** Shared audience over own exposure (r ≥ 0); absent: no shared term. */
  sharedRatio?: Float64Array;
}

/** A conditional (author fixed-effects) Poisson fit. */
export interface ConditionalPoissonFit {
  /** Coefficient per level (reference 0; NaN when not estimable). */
  beta: Float64Array;
  /** Cluster-robust standard errors: leave-one-author-out jackknife (used for intervals) and the CR1 sandwich. */
  robustSe: Float64Array;
  sandwichSe: Float64Array;
  /** Model-based (Poisson, no clustering) standard errors. */
  modelSe: Float64Array;
  estimable: Uint8Array;
  /** log w and its robust standard error (NaN when not estimated; se NaN when at a bound and held there). */
  logWeight: number;
  logWeightSe: number;
  logWeightAtBound: boolean;
  groupsUsed: number;
  /** Posts per level in the groups used, and the groups used that have posts of each level. */
  postsUsed: Int32Array;
  groupsWithLevel: Int32Array;
  /** Groups used whose posts differ in their shared ratio (they inform log w). */
  groupsWithShared: number;
  iterations: number;
  converged: boolean;
  logLik: number;
}

/**
 * Poisson regression with one fixed effect per group, one coefficient per level (the reference level's is 0) and,
 * when shared ratios are given, the weight w of the shared audience: E[y_i] = exp(α_g + β_l) e_i (1 + w r_i). Fisher
 * scoring on the conditional likelihood; cluster-robust (by group) and model-based standard errors.
 */
// One function of ~160 lines: the likelihood, its maximiser and the variances share the arranged posts and the work
// arrays through closures (evaluate, maximise), which keeps the hot loop allocation-free; splitting it would mean a
// state object threaded through each piece for no gain in clarity.
export function fitConditionalPoisson(data: ConditionalPoissonData, reference: number, options: ConditionalPoissonOptions = {}): ConditionalPoissonFit {
  const { nGroups, nLevels, group, level, y, logExposure, sharedRatio } = data;
  const n = group.length;
  if (level.length !== n || y.length !== n || logExposure.length !== n || (sharedRatio !== undefined && sharedRatio.length !== n)) {
    throw new CloutError('input', 'conditional Poisson: the post arrays differ in length');
  }
  const { maxIter, tol } = resolveOptions('conditional Poisson', conditionalPoissonOptionsSchema, options);
  const { active, groupTotal, groupsUsed, hasWeight, start, m, py, pe, pr, pl, postsUsed, groupsWithLevel, groupsWithShared } = arrangePosts(data, reference);

  // Parameters: active non-reference levels 0..K-1, then log w (index K) when estimated.
  const param = new Int32Array(nLevels).fill(-1);
  let K = 0;
  for (let k = 0; k < nLevels; k++) if (active[k] && k !== reference) param[k] = K++;
  let weightIndex = hasWeight ? K : -1;
  let P = hasWeight ? K + 1 : K;
  const theta = new Float64Array(P);
  const ppar = Int32Array.from(pl, (l) => param[l]!);

  const eta = new Float64Array(m), d = new Float64Array(m);
  let grad = new Float64Array(P), info = new Float64Array(P * P), meat = new Float64Array(P * P);
  const mean = new Float64Array(P + 1), score = new Float64Array(P + 1);
  let groupInfo = new Float64Array(P * P);
  /**
   * Conditional log-likelihood at th (log w held at `logW` when not a parameter); with derivatives, fills grad, info
   * and meat, and hands each group's score and information to `collect` when given.
   */
  const evaluate = (th: Float64Array, logW: number, derivatives: boolean, collect?: (score: Float64Array, info: Float64Array) => void): number => {
    const w = hasWeight ? Math.exp(weightIndex >= 0 ? th[weightIndex]! : logW) : 0;
    if (derivatives) grad.fill(0), info.fill(0), meat.fill(0);
    let ll = 0;
    for (let g = 0; g < nGroups; g++) {
      const lo = start[g]!, hi = start[g + 1]!;
      if (lo === hi) continue;
      let max = -Infinity;
      for (let j = lo; j < hi; j++) {
        const wr = w * pr[j]!;
        d[j] = wr / (1 + wr);
        const e = pe[j]! + (ppar[j]! >= 0 ? th[ppar[j]!]! : 0) + Math.log1p(wr);
        eta[j] = e;
        if (e > max) max = e;
      }
      let sum = 0;
      for (let j = lo; j < hi; j++) sum += eta[j] = Math.exp(eta[j]! - max);
      for (let j = lo; j < hi; j++) {
        eta[j]! /= sum; // now the share π_j
        if (py[j]! > 0) ll += py[j]! * Math.log(eta[j]!);
      }
      if (!derivatives) continue;
      const total = groupTotal[g]!;
      mean.fill(0);
      score.fill(0);
      groupInfo.fill(0);
      // E_π[∂η] and Σ y ∂η; the covariance E_π[∂η ∂ηᵀ] − mean meanᵀ, times the group's total, is its information.
      for (let j = lo; j < hi; j++) {
        const k = ppar[j]!, pi = eta[j]!;
        if (k >= 0) (mean[k]! += pi), (score[k]! += py[j]!), (groupInfo[k * P + k]! += total * pi);
        if (weightIndex >= 0) {
          mean[weightIndex]! += pi * d[j]!;
          score[weightIndex]! += py[j]! * d[j]!;
          groupInfo[weightIndex * P + weightIndex]! += total * pi * d[j]! * d[j]!;
          if (k >= 0) (groupInfo[k * P + weightIndex]! += total * pi * d[j]!), (groupInfo[weightIndex * P + k]! += total * pi * d[j]!);
        }
      }
      for (let a = 0; a < P; a++) {
        score[a]! -= total * mean[a]!;
        grad[a]! += score[a]!;
        for (let b = 0; b < P; b++) groupInfo[a * P + b]! -= total * mean[a]! * mean[b]!;
      }
      for (let a = 0; a < P * P; a++) info[a]! += groupInfo[a]!;
      for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) meat[a * P + b]! += score[a]! * score[b]!;
      collect?.(score, groupInfo);
    }
    return ll;
  };

  // Start log w at the best point of a coarse grid (the likelihood can be flat far from it).
  let logW = NaN;
  if (hasWeight) {
    let best = -Infinity;
    for (let lw = LOG_WEIGHT_RANGE[0]; lw <= LOG_WEIGHT_RANGE[1]; lw += 0.5) {
      theta[weightIndex] = lw;
      const ll = evaluate(theta, lw, false);
      if (ll > best) (best = ll), (logW = lw);
    }
    theta[weightIndex] = logW;
  }
  let ll = 0, iterations = 0, converged = false;
  /** Fisher scoring with step halving over the current parameters, from theta. */
  const maximise = (): void => {
    ll = evaluate(theta, logW, true);
    converged = P === 0;
    const trial = new Float64Array(P);
    for (let it = 0; !converged && it < maxIter; it++) {
      iterations++;
      const step = solveSpd(info, grad, P, MIN_PIVOT);
      if (step === undefined) break;
      let t = 1;
      for (let halvings = 0; halvings < 40; halvings++, t /= 2) {
        for (let a = 0; a < P; a++) trial[a] = theta[a]! + t * step[a]!;
        if (weightIndex >= 0) trial[weightIndex] = Math.min(LOG_WEIGHT_RANGE[1], Math.max(LOG_WEIGHT_RANGE[0], trial[weightIndex]!));
        if (evaluate(trial, logW, false) >= ll - 1e-12 * Math.abs(ll)) break;
      }
      let biggest = 0;
      for (let a = 0; a < P; a++) biggest = Math.max(biggest, Math.abs(trial[a]! - theta[a]!));
      for (let a = 0; a < P; a++) theta[a] = trial[a]!;
      ll = evaluate(theta, logW, true);
      if (biggest < tol) converged = true;
    }
  };
  maximise();
  // log w at a bound: hold it there and fit the rest (and their covariance) without it.
  let atBound = false;
  if (weightIndex >= 0) {
    logW = theta[weightIndex]!;
    if (logW <= LOG_WEIGHT_RANGE[0] + 1e-6 || logW >= LOG_WEIGHT_RANGE[1] - 1e-6) {
      atBound = true;
      weightIndex = -1;
      P = K;
      grad = new Float64Array(P);
      info = new Float64Array(P * P);
      meat = new Float64Array(P * P);
      groupInfo = new Float64Array(P * P);
      maximise();
    }
  }

  // Leave-one-author-out (jackknife) variance by one Newton step per author: θ₍₋g₎ − θ ≈ −(A − A_g)⁻¹ s_g. Unlike the
  // plain sandwich it does not shrink when a few authors dominate a coefficient; a coefficient that some author's
  // removal leaves unidentified gets an unbounded interval.
  const scores: Float64Array[] = [], infos: Float64Array[] = [];
  evaluate(theta, logW, true, (s, aG) => (scores.push(s.slice(0, P)), infos.push(aG.slice())));
  const jackknife = leaveOneOutSe(info, scores, infos, P);

  const beta = new Float64Array(nLevels).fill(NaN), robustSe = new Float64Array(nLevels).fill(NaN), sandwichSe = new Float64Array(nLevels).fill(NaN);
  const modelSe = new Float64Array(nLevels).fill(NaN);
  const estimable = new Uint8Array(nLevels);
  if (active[reference]) (beta[reference] = 0), (robustSe[reference] = 0), (sandwichSe[reference] = 0), (modelSe[reference] = 0);
  let logWeightSe = NaN;
  const inverse = invertSpd(info, P, MIN_PIVOT);
  const correction = groupsUsed > 1 ? groupsUsed / (groupsUsed - 1) : NaN;
  const sandwich = (a: number): number => {
    let v = 0;
    for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) v += inverse![a * P + p]! * meat[p * P + q]! * inverse![q * P + a]!;
    return Math.sqrt(Math.max(0, v) * correction);
  };
  if (inverse !== undefined) {
    for (let k = 0; k < nLevels; k++) {
      const a = param[k]!;
      if (a < 0) continue;
      estimable[k] = 1;
      beta[k] = theta[a]!;
      modelSe[k] = Math.sqrt(inverse[a * P + a]!);
      sandwichSe[k] = sandwich(a);
      robustSe[k] = jackknife[a]!;
    }
    if (weightIndex >= 0) logWeightSe = jackknife[weightIndex]!;
  }
  return { beta, robustSe, sandwichSe, modelSe, estimable, logWeight: hasWeight ? logW : NaN, logWeightSe, logWeightAtBound: atBound, groupsUsed, postsUsed, groupsWithLevel, groupsWithShared, iterations, converged, logLik: ll };
}

/**
 * Jackknife standard errors from one Newton step per left-out group: step_g = (A − A_g)⁻¹ s_g, variance
 * (G − 1)/G Σ_g (step_g − mean)². A coefficient that loses all its information without some group is unbounded.
 */
function leaveOneOutSe(info: Float64Array, scores: Float64Array[], infos: Float64Array[], P: number): Float64Array {
  const G = scores.length;
  const sum = new Float64Array(P), sumSq = new Float64Array(P);
  const unbounded = new Uint8Array(P);
  for (let g = 0; g < G; g++) {
    const rest = new Float64Array(P * P);
    for (let a = 0; a < P * P; a++) rest[a] = info[a]! - infos[g]![a]!;
    // Coefficients left without information are dropped from this step (and marked unbounded).
    const keep: number[] = [];
    for (let a = 0; a < P; a++) {
      if (rest[a * P + a]! > 1e-9 * info[a * P + a]!) keep.push(a);
      else unbounded[a] = 1;
    }
    const Q = keep.length;
    const sub = new Float64Array(Q * Q), rhs = new Float64Array(Q);
    keep.forEach((a, i) => {
      rhs[i] = scores[g]![a]!;
      keep.forEach((b, j) => (sub[i * Q + j] = rest[a * P + b]!));
    });
    const step = solveSpd(sub, rhs, Q, MIN_PIVOT);
    if (step === undefined) return new Float64Array(P).fill(Infinity);
    keep.forEach((a, i) => ((sum[a]! += step[i]!), (sumSq[a]! += step[i]! * step[i]!)));
  }
  return Float64Array.from({ length: P }, (_, a) =>
    unbounded[a] || G < 2 ? Infinity : Math.sqrt(Math.max(0, ((G - 1) / G) * (sumSq[a]! - (sum[a]! * sum[a]!) / G))),
  );
}

/**
 * Levels identified against the reference: groups with a count and two levels or more connect levels; a level is
 * active when connected to the reference and it has a count in such groups (with none its coefficient is −∞).
 * Repeats until stable, because dropping a level can leave a group with one level.
 */
function activeLevels(nGroups: number, nLevels: number, cellY: Float64Array, cellPosts: Int32Array, reference: number): Uint8Array {
  const active = new Uint8Array(nLevels).fill(1);
  for (;;) {
    const parent = Int32Array.from({ length: nLevels }, (_, k) => k);
    const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k]!)));
    const counts = new Float64Array(nLevels);
    for (let g = 0; g < nGroups; g++) {
      let levels = 0, total = 0, first = -1;
      for (let k = 0; k < nLevels; k++) {
        if (!active[k] || cellPosts[g * nLevels + k] === 0) continue;
        levels++;
        total += cellY[g * nLevels + k]!;
      }
      if (levels < 2 || !(total > 0)) continue;
      for (let k = 0; k < nLevels; k++) {
        if (!active[k] || cellPosts[g * nLevels + k] === 0) continue;
        counts[k]! += cellY[g * nLevels + k]!;
        if (first < 0) first = k;
        else parent[find(k)] = find(first);
      }
    }
    let changed = false;
    for (let k = 0; k < nLevels; k++) {
      if (active[k] && !(counts[k]! > 0 && find(k) === find(reference))) (active[k] = 0), (changed = true);
    }
    if (!active[reference]) return active.fill(0);
    if (!changed) return active;
  }
}

/** The posts that inform the fit, ordered by group, with which levels are identified and which groups are used. */
function arrangePosts(data: ConditionalPoissonData, reference: number) {
  const { nGroups, nLevels, group, level, y, logExposure, sharedRatio } = data;
  const n = group.length;
  // Which levels are identified against the reference (through groups with two levels or more and a count).
  const cellY = new Float64Array(nGroups * nLevels), cellPosts = new Int32Array(nGroups * nLevels);
  for (let i = 0; i < n; i++) (cellY[group[i]! * nLevels + level[i]!]! += y[i]!), cellPosts[group[i]! * nLevels + level[i]!]!++;
  const active = activeLevels(nGroups, nLevels, cellY, cellPosts, reference);

  // Posts of active levels, ordered by group; which groups vary in their shared ratio.
  const groupTotal = new Float64Array(nGroups), groupLevels = new Int32Array(nGroups);
  for (let g = 0; g < nGroups; g++) {
    for (let k = 0; k < nLevels; k++) {
      if (!active[k] || cellPosts[g * nLevels + k] === 0) continue;
      groupLevels[g]!++;
      groupTotal[g]! += cellY[g * nLevels + k]!;
    }
  }
  const sharedVaries = new Uint8Array(nGroups);
  if (sharedRatio !== undefined) {
    const first = new Float64Array(nGroups).fill(NaN);
    for (let i = 0; i < n; i++) {
      if (!active[level[i]!]) continue;
      const g = group[i]!;
      if (Number.isNaN(first[g]!)) first[g] = sharedRatio[i]!;
      else if (sharedRatio[i] !== first[g]) sharedVaries[g] = 1;
    }
  }
  let hasWeight = false;
  for (let g = 0; g < nGroups; g++) if (sharedVaries[g] && groupTotal[g]! > 0) hasWeight = true;
  const used = new Uint8Array(nGroups);
  let groupsUsed = 0;
  for (let g = 0; g < nGroups; g++) {
    used[g] = groupTotal[g]! > 0 && (groupLevels[g]! >= 2 || (hasWeight && sharedVaries[g] === 1)) ? 1 : 0;
    groupsUsed += used[g]!;
  }
  const start = new Int32Array(nGroups + 1);
  for (let i = 0; i < n; i++) if (active[level[i]!] && used[group[i]!]) start[group[i]! + 1]!++;
  for (let g = 0; g < nGroups; g++) start[g + 1]! += start[g]!;
  const m = start[nGroups]!;
  const fill = start.slice(0, nGroups);
  const py = new Float64Array(m), pe = new Float64Array(m), pr = new Float64Array(m), pl = new Int32Array(m);
  const postsUsed = new Int32Array(nLevels), groupsWithLevel = new Int32Array(nLevels);
  let groupsWithShared = 0;
  for (let g = 0; g < nGroups; g++) {
    if (!used[g]) continue;
    if (hasWeight && sharedVaries[g]) groupsWithShared++;
    for (let k = 0; k < nLevels; k++) if (active[k] && cellPosts[g * nLevels + k]! > 0) groupsWithLevel[k]!++;
  }
  for (let i = 0; i < n; i++) {
    if (!active[level[i]!] || !used[group[i]!]) continue;
    const j = fill[group[i]!]!++;
    py[j] = y[i]!;
    pe[j] = logExposure[i]!;
    pr[j] = sharedRatio?.[i] ?? 0;
    pl[j] = level[i]!;
    postsUsed[level[i]!]!++;
  }

  return { active, groupTotal, groupsUsed, hasWeight, start, m, py, pe, pr, pl, postsUsed, groupsWithLevel, groupsWithShared };
}
