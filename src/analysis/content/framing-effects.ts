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
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { studentQuantile } from '../stats/normal.js';
import { resolveOptions } from '../stats/options.js';
import { CONDITIONAL_POISSON_DEFAULTS, fitConditionalPoisson, type ConditionalPoissonData, type ConditionalPoissonFit } from './conditional-poisson.js';
import type { Framing } from './framing.js';

export {
  CONDITIONAL_POISSON_DEFAULTS,
  fitConditionalPoisson,
  type ConditionalPoissonData,
  type ConditionalPoissonFit,
  type ConditionalPoissonOptions,
} from './conditional-poisson.js';

/** Framings in report order (the classifier's order; a type-only import keeps the NLP model unloaded here). */
const FRAMING_ORDER: readonly Framing[] = ['pitch', 'endorsement', 'bare_link', 'other'];

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
  /** Who decided the post's framing: a person's label (format v1.1 `framing`) or clout's classifier (default). */
  labelled_by?: 'user' | 'clout';
}

/** The defaults of framingEffects: interval level, reference framing, and the fit's iteration cap and tolerance. */
export const FRAMING_EFFECTS_DEFAULTS = { level: 0.9, reference: 'pitch', ...CONDITIONAL_POISSON_DEFAULTS } as const;

const framingEffectsOptionsSchema = z
  .object({
    /** Interval level. */
    level: z.number().gt(0).lt(1).default(FRAMING_EFFECTS_DEFAULTS.level),
    /** The framing every effect is relative to. */
    reference: z.enum(['pitch', 'endorsement', 'bare_link', 'other']).default(FRAMING_EFFECTS_DEFAULTS.reference),
    /** Iteration cap and the largest parameter step that counts as converged. */
    maxIter: z.number().int().min(1).default(FRAMING_EFFECTS_DEFAULTS.maxIter),
    tol: z.number().gt(0).default(FRAMING_EFFECTS_DEFAULTS.tol),
  })
  .strict();

/** Options of framingEffects (defaults in FRAMING_EFFECTS_DEFAULTS). */
export type FramingEffectsOptions = z.input<typeof framingEffectsOptionsSchema>;

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

/** Multiplicative effect of each framing relative to pitch on clicks and conversions, controlling for author. */
export function framingEffects(posts: readonly FramingPost[], options: FramingEffectsOptions = {}): FramingEffectsResult {
  const o = resolveOptions('framing effects', framingEffectsOptionsSchema, options);
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
    const fit = fitConditionalPoisson(data, ref, { maxIter: o.maxIter, tol: o.tol });
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
