/**
 * What framing does to clicks and conversions, controlling for author: a Poisson regression of each post's count on
 * its framing with one fixed effect per author,
 *
 *   E[y_i] = exp(α_author(i) + β_framing(i)) × (exposure_i + w × shared_i),   β_pitch = 0,
 *
 * so exp(β_f) is the multiplier of framing f relative to a pitch *by the same author*: an author's fame, audience
 * and persuasion sit in α and cannot pass for framing. The audience is the post's own exposure (e.g. the author's
 * followers; 1 when unknown) plus, when given, the audience it reached through reposts, weighted by w — what a
 * reposter's follower is worth relative to one's own — estimated with the rest (a post that a big account reposted
 * gets many clicks whatever its framing, and one such post can otherwise outweigh an author's other posts).
 *
 * The author effects α are profiled out exactly: given the rest, each α has a closed form, and what is left is the
 * conditional (multinomial) likelihood of Hausman, Hall & Griliches (1984) — each author's total count is split over
 * their posts in proportion to their rates. Only authors with a count and two framings or more (or, for w, posts
 * reposted to different extents) inform the fit; an author with a single framing only fits their own α. Fisher
 * scoring with step halving maximises it over a handful of parameters; the loops run over posts in typed arrays.
 * Counts are overdispersed and correlated within an author, so intervals are clustered by author: a leave-one-author-
 * out jackknife (one Newton step per author, θ₍₋a₎ − θ ≈ −(A − A_a)⁻¹ s_a), valid whatever the variance (Wooldridge
 * 1999), with Student t quantiles on (authors informing the coefficient − 1) degrees of freedom. The plain sandwich
 * A⁻¹ (Σ_a s_a s_aᵀ) A⁻¹ × G/(G − 1) is returned too; it ran narrow when few authors carry a framing.
 *
 * The same fit with conversions as the count and clicks as the exposure gives the effect of framing on conversions
 * per click (the conversion rate), again within author.
 */
import { CloutError } from '../../domain/index.js';
import { studentQuantile } from '../stats/normal.js';
import type { Framing } from './framing.js';

/** Framings in report order (the classifier's order; a type-only import keeps the NLP model unloaded here). */
const FRAMING_ORDER: readonly Framing[] = ['pitch', 'endorsement', 'bare_link', 'other'];

/** Bounds of log w: below, reposts add nothing; above, one's own audience adds nothing. */
const LOG_WEIGHT_RANGE = [-12, 7] as const;

/** One post's counts. */
export interface FramingPost {
  author: string;
  framing: Framing;
  /** The click outcome (clout framing passes human clicks that no conversion carries: the post's own pull). */
  clicks: number;
  /** Conversions carried by the post's clicks. */
  conversions: number;
  /** Denominator of conversions per click: every human click, converters' included (default: clicks). */
  all_clicks?: number;
  /** The post's own audience (e.g. the author's followers); 1 when absent. Constant within an author, it cancels. */
  exposure?: number;
  /** The audience reached through reposts (e.g. the reposters' followers), in the same unit; 0 when absent. */
  shared?: number;
}

/** Options of framingEffects (defaults in FRAMING_EFFECTS_DEFAULTS). */
export interface FramingEffectsOptions {
  /** Interval level (default 0.9). */
  level?: number;
  /** The framing every effect is relative to (default pitch). */
  reference?: Framing;
  /** Iteration cap (default 100) and the largest parameter step that counts as converged (default 1e-9). */
  maxIter?: number;
  tol?: number;
}

/** The defaults of framingEffects. */
export const FRAMING_EFFECTS_DEFAULTS = { level: 0.9, reference: 'pitch', maxIter: 100, tol: 1e-9 } as const satisfies Required<FramingEffectsOptions>;

/** Effect of one framing on one outcome, relative to the reference framing. */
export interface FramingEffectRow {
  outcome: 'clicks' | 'conversions';
  framing: Framing;
  /** Posts of this framing that inform the fit, and their authors. */
  posts: number;
  authors: number;
  /** Multiplier relative to the reference within author, and its interval (the reference row is 1, 1, 1). */
  effect: number;
  lower: number;
  upper: number;
  /** The naive multiplier without author effects (ratio of pooled counts per exposure): what fame does to a comparison. */
  pooled: number;
}

/** Conversions per click by framing: the pooled rate, and its multiplier relative to the reference within author. */
export interface ConversionRateRow {
  framing: Framing;
  posts: number;
  /** Every human click (all_clicks) of these posts. */
  clicks: number;
  conversions: number;
  /** Pooled conversions per click over every post of this framing (null without clicks). */
  rate: number | null;
  /** Multiplier of conversions per click relative to the reference within author (nulls when not estimable). */
  effect: number | null;
  lower: number | null;
  upper: number | null;
}

/** How one fit went. */
export interface FitDiagnostics {
  outcome: 'clicks' | 'conversions' | 'conversions_per_click';
  /** Authors that inform the fit, and their posts. */
  authors_used: number;
  posts_used: number;
  iterations: number;
  converged: boolean;
  /** Framings present in the data whose effect cannot be estimated (no within-author contrast, or no counts). */
  not_estimable: Framing[];
  /** The weight w of the audience reached through reposts, with its interval; null when not estimated. */
  shared_weight: { estimate: number; lower: number; upper: number; at_bound: boolean } | null;
}

/** Everything framingEffects returns. */
export interface FramingEffectsResult {
  level: number;
  reference: Framing;
  posts: number;
  authors: number;
  effects: FramingEffectRow[];
  conversion_rates: ConversionRateRow[];
  fits: FitDiagnostics[];
  warnings: string[];
}

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

/** Multiplicative effect of each framing relative to pitch on clicks and conversions, controlling for author. */
export function framingEffects(posts: readonly FramingPost[], options: FramingEffectsOptions = {}): FramingEffectsResult {
  const o = resolveOptions(options);
  const authors = new Map<string, number>();
  posts.forEach((p, i) => checkPost(p, i) && authors.set(p.author, authors.get(p.author) ?? authors.size));
  const ref = FRAMING_ORDER.indexOf(o.reference);
  // Student t quantiles with (authors informing the coefficient − 1) degrees of freedom: few authors, wide intervals.
  const quantile = (clusters: number) => studentQuantile(0.5 + o.level / 2, Math.max(1, clusters - 1));
  const present = FRAMING_ORDER.map((f) => posts.some((p) => p.framing === f));
  const warnings: string[] = [];
  if (posts.length === 0) warnings.push('no posts: nothing to estimate');
  else if (!present[ref]) warnings.push(`no ${o.reference} posts: every effect is relative to ${o.reference}, so none can be estimated`);
  const hasShared = posts.some((p) => (p.shared ?? 0) > 0);

  const fits: FitDiagnostics[] = [];
  const fitOne = (outcome: FitDiagnostics['outcome'], y: (p: FramingPost) => number, e: (p: FramingPost) => number, shared: boolean) => {
    const kept = posts.filter((p) => e(p) > 0);
    const data: ConditionalPoissonData = {
      nGroups: authors.size,
      nLevels: FRAMING_ORDER.length,
      group: Int32Array.from(kept, (p) => authors.get(p.author)!),
      level: Int32Array.from(kept, (p) => FRAMING_ORDER.indexOf(p.framing)),
      y: Float64Array.from(kept, y),
      logExposure: Float64Array.from(kept, (p) => Math.log(e(p))),
      ...(shared ? { sharedRatio: Float64Array.from(kept, (p) => (p.shared ?? 0) / e(p)) } : {}),
    };
    const fit = fitConditionalPoisson(data, ref, o);
    const notEstimable = FRAMING_ORDER.filter((_, k) => k !== ref && present[k] && !fit.estimable[k]);
    if (!fit.converged) warnings.push(`${outcome}: the fit did not converge in ${fit.iterations} iterations (a framing with counts in too few authors?)`);
    if (notEstimable.length > 0 && present[ref]) warnings.push(`${outcome}: no within-author contrast with ${o.reference} for ${notEstimable.join(', ')}`);
    if (fit.logWeightAtBound) warnings.push(`${outcome}: the weight of the audience reached through reposts sits at a bound (${Math.exp(fit.logWeight).toPrecision(2)}) and is held there`);
    let postsUsed = 0;
    for (let k = 0; k < FRAMING_ORDER.length; k++) postsUsed += fit.postsUsed[k]!;
    const w = fit.logWeight, se = fit.logWeightSe, z = quantile(fit.groupsWithShared);
    fits.push({
      outcome,
      authors_used: fit.groupsUsed,
      posts_used: postsUsed,
      iterations: fit.iterations,
      converged: fit.converged,
      not_estimable: notEstimable,
      shared_weight: Number.isNaN(w)
        ? null
        : { estimate: Math.exp(w), lower: Number.isNaN(se) ? Math.exp(w) : Math.exp(w - z * se), upper: Number.isNaN(se) ? Math.exp(w) : Math.exp(w + z * se), at_bound: fit.logWeightAtBound },
    });
    return fit;
  };
  const interval = (fit: ConditionalPoissonFit, k: number) => {
    if (k === ref) return { effect: 1, lower: 1, upper: 1 };
    const z = quantile(fit.groupsWithLevel[k]!);
    return { effect: Math.exp(fit.beta[k]!), lower: Math.exp(fit.beta[k]! - z * fit.robustSe[k]!), upper: Math.exp(fit.beta[k]! + z * fit.robustSe[k]!) };
  };

  const effects: FramingEffectRow[] = [];
  const audience = (p: FramingPost) => p.exposure ?? 1;
  for (const outcome of ['clicks', 'conversions'] as const) {
    const fit = fitOne(outcome, (p) => p[outcome], audience, hasShared);
    const pooled = pooledRatios(posts, outcome, ref);
    FRAMING_ORDER.forEach((framing, k) => {
      if (!present[ref] || !present[k] || (k !== ref && !fit.estimable[k])) return;
      effects.push({ outcome, framing, posts: fit.postsUsed[k]!, authors: fit.groupsWithLevel[k]!, ...interval(fit, k), pooled: pooled[k]! });
    });
  }

  const allClicks = (p: FramingPost) => p.all_clicks ?? p.clicks;
  const perClick = fitOne('conversions_per_click', (p) => p.conversions, allClicks, false);
  const conversionRates: ConversionRateRow[] = [];
  FRAMING_ORDER.forEach((framing, k) => {
    const mine = posts.filter((p) => p.framing === framing);
    if (mine.length === 0) return;
    const clicks = mine.reduce((s, p) => s + allClicks(p), 0);
    const conversions = mine.reduce((s, p) => s + p.conversions, 0);
    const estimable = present[ref] && (k === ref || perClick.estimable[k] === 1);
    conversionRates.push({
      framing,
      posts: mine.length,
      clicks,
      conversions,
      rate: clicks > 0 ? conversions / clicks : null,
      ...(estimable ? interval(perClick, k) : { effect: null, lower: null, upper: null }),
    });
  });
  return { level: o.level, reference: o.reference, posts: posts.length, authors: authors.size, effects, conversion_rates: conversionRates, fits, warnings };
}

/** Checks one post's fields (throws a CloutError naming the post and the field). */
function checkPost(p: FramingPost, i: number): true {
  if (!FRAMING_ORDER.includes(p.framing)) throw new CloutError('input', `framing effects: post ${i} has unknown framing '${p.framing}'`);
  for (const k of ['clicks', 'conversions', 'all_clicks', 'shared'] as const) {
    const v = p[k];
    if (v === undefined && (k === 'all_clicks' || k === 'shared')) continue;
    if (!(v !== undefined && Number.isFinite(v) && v >= 0)) throw new CloutError('input', `framing effects: post ${i} has ${k} = ${v}; need a finite number ≥ 0`);
  }
  if (p.exposure !== undefined && !(Number.isFinite(p.exposure) && p.exposure > 0)) {
    throw new CloutError('input', `framing effects: post ${i} has exposure ${p.exposure}; need a finite value > 0`);
  }
  return true;
}

/** Each framing's pooled count per unit of exposure relative to the reference's, ignoring authors (the naive comparison). */
function pooledRatios(posts: readonly FramingPost[], outcome: 'clicks' | 'conversions', reference: number): Float64Array {
  const y = new Float64Array(FRAMING_ORDER.length), e = new Float64Array(FRAMING_ORDER.length);
  for (const p of posts) {
    const k = FRAMING_ORDER.indexOf(p.framing);
    y[k]! += p[outcome];
    e[k]! += (p.exposure ?? 1) + (p.shared ?? 0);
  }
  const refRate = y[reference]! / e[reference]!;
  return Float64Array.from(y, (yk, k) => yk / e[k]! / refRate);
}

/**
 * Poisson regression with one fixed effect per group, one coefficient per level (the reference level's is 0) and,
 * when shared ratios are given, the weight w of the shared audience: E[y_i] = exp(α_g + β_l) e_i (1 + w r_i). Fisher
 * scoring on the conditional likelihood; cluster-robust (by group) and model-based standard errors.
 */
export function fitConditionalPoisson(data: ConditionalPoissonData, reference: number, options: { maxIter?: number; tol?: number } = {}): ConditionalPoissonFit {
  const { nGroups, nLevels, group, level, y, logExposure, sharedRatio } = data;
  const n = group.length;
  if (level.length !== n || y.length !== n || logExposure.length !== n || (sharedRatio !== undefined && sharedRatio.length !== n)) {
    throw new CloutError('input', 'conditional Poisson: the post arrays differ in length');
  }
  const maxIter = options.maxIter ?? FRAMING_EFFECTS_DEFAULTS.maxIter;
  const tol = options.tol ?? FRAMING_EFFECTS_DEFAULTS.tol;

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
      const step = solveSymmetric(info, grad, P);
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
  const inverse = invertSymmetric(info, P);
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
    const step = solveSymmetric(sub, rhs, Q);
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

/** Solves A x = r for a small symmetric positive-definite A (K×K, row-major) by Cholesky; undefined when singular. */
function solveSymmetric(a: Float64Array, r: Float64Array, K: number): Float64Array | undefined {
  const L = cholesky(a, K);
  if (L === undefined) return undefined;
  const x = Float64Array.from(r);
  for (let i = 0; i < K; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= L[i * K + j]! * x[j]!;
    x[i] = s / L[i * K + i]!;
  }
  for (let i = K - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < K; j++) s -= L[j * K + i]! * x[j]!;
    x[i] = s / L[i * K + i]!;
  }
  return x;
}

/** The inverse of a small symmetric positive-definite matrix, column by column. */
function invertSymmetric(a: Float64Array, K: number): Float64Array | undefined {
  const out = new Float64Array(K * K);
  const e = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    e.fill(0);
    e[j] = 1;
    const col = solveSymmetric(a, e, K);
    if (col === undefined) return undefined;
    for (let i = 0; i < K; i++) out[i * K + j] = col[i]!;
  }
  return out;
}

/** Lower Cholesky factor of a K×K row-major matrix; undefined when not positive definite. */
function cholesky(a: Float64Array, K: number): Float64Array | undefined {
  const L = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * K + j]!;
      for (let k = 0; k < j; k++) s -= L[i * K + k]! * L[j * K + k]!;
      if (i === j) {
        if (!(s > 1e-300)) return undefined;
        L[i * K + i] = Math.sqrt(s);
      } else L[i * K + j] = s / L[j * K + j]!;
    }
  }
  return L;
}

function resolveOptions(options: FramingEffectsOptions): Required<FramingEffectsOptions> {
  for (const k of Object.keys(options)) {
    if (!(k in FRAMING_EFFECTS_DEFAULTS)) throw new CloutError('bad_option', `framing effects: unknown option '${k}'`);
  }
  const o = { ...FRAMING_EFFECTS_DEFAULTS, ...options };
  if (!(o.level > 0 && o.level < 1)) throw new CloutError('bad_option', `framing effects: level must be in (0, 1), got ${o.level}`);
  if (!FRAMING_ORDER.includes(o.reference)) throw new CloutError('bad_option', `framing effects: unknown reference framing '${o.reference}'`);
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) throw new CloutError('bad_option', `framing effects: maxIter must be an integer ≥ 1, got ${o.maxIter}`);
  if (!(o.tol > 0)) throw new CloutError('bad_option', `framing effects: tol must be > 0, got ${o.tol}`);
  return o;
}
