/**
 * One post among many: which other posts of the same outcome fall inside the window of a single-post analysis, and
 * which answer to give. A single-series counterfactual (Brodersen et al. 2015) credits the post with everything that
 * moved the outcome in its post period — the caused outcomes of every neighbouring post included — and learns its
 * noise from a pre-period that holds other posts' effects too. A joint model of every post's incremental outcomes
 * (the outcome-influence model: Xu, Duan & Whinston 2014; Rasmussen 2013) separates them. So: when neighbours overlap
 * the window and a joint estimate exists, the verdict comes from the joint estimate; otherwise from the single series.
 * Pure: the window, the posts and both estimates come in as plain data.
 */
import { CloutError, MS_PER_DAY, MS_PER_HOUR } from '../../domain/index.js';
import type { Bucket } from './event-series.js';
import type { ImpactResult } from './types.js';

/** A post's id and time (epoch ms). */
export interface PostTime {
  id: string;
  at: number;
}

/** The window of a single-post analysis, in epoch ms: pre-period [preStart, postStart), post period [postStart, postEnd). */
export interface AnalysisWindow {
  preStart: number;
  postStart: number;
  postEnd: number;
}

/** Other posts of the same outcome inside the window, by period. */
export interface OverlappingPosts {
  /** How many other posts fall in the pre-period plus the post period. */
  count: number;
  /** How many fall in the pre-period (they shape the counterfactual's level and noise). */
  pre: number;
  /** How many fall in the post period (their effects add to the post's measured effect). */
  post: number;
  /** Their ids in time order, by period. */
  pre_ids: string[];
  post_ids: string[];
  /** Which posts were counted (e.g. 'link posts outside campaigns (sale)'). */
  of: string;
  /** The window, as ISO times. */
  window: { pre_start: string; post_start: string; post_end: string };
}

const STEP: Record<Bucket, number> = { day: MS_PER_DAY, hour: MS_PER_HOUR };

/**
 * The analysis window from the impact input's row labels (the bucket starts, as `buildEventSeries` writes them) and
 * its periods: from the first pre-period bucket to the end of the last post-period bucket.
 */
export function analysisWindow(times: readonly (string | number)[], pre: readonly [number, number], post: readonly [number, number], bucket: Bucket): AnalysisWindow {
  const at = (i: number): number => {
    const t = times[i];
    const ms = typeof t === 'number' ? t : Date.parse(String(t));
    if (!Number.isFinite(ms)) throw new CloutError('input', `impact: row ${i} has no time ('${String(t)}')`);
    return ms;
  };
  return { preStart: at(pre[0]), postStart: at(post[0]), postEnd: at(post[1]) + STEP[bucket] };
}

/** The posts other than `self` inside the window (`posts` in any order; ids come back in time order). */
export function overlappingPosts(window: AnalysisWindow, posts: readonly PostTime[], self: string, of: string): OverlappingPosts {
  const sorted = [...posts].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pre_ids: string[] = [];
  const post_ids: string[] = [];
  for (const p of sorted) {
    if (p.id === self) continue;
    if (p.at >= window.preStart && p.at < window.postStart) pre_ids.push(p.id);
    else if (p.at >= window.postStart && p.at < window.postEnd) post_ids.push(p.id);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    count: pre_ids.length + post_ids.length,
    pre: pre_ids.length,
    post: post_ids.length,
    pre_ids,
    post_ids,
    of,
    window: { pre_start: iso(window.preStart), post_start: iso(window.postStart), post_end: iso(window.postEnd) },
  };
}

/** The joint model's estimate of one post's incremental outcomes (expected outcomes it caused). */
export interface JointEstimate {
  /** Which model: every candidate post's effect fitted together. */
  model: 'outcome-influence';
  post: string;
  mean: number;
  lower: number;
  upper: number;
  /** Interval level (1 − α of the analysis). */
  level: number;
  /** Posterior probability that the post caused any outcome (its author's P(moves outcomes)). */
  prob_positive: number;
  /** True when the interval excludes 0 (lower > 0: the post moved the outcome). */
  excludes_zero: boolean;
  /** The author's posts in the model, and how many candidate posts the model fitted jointly. */
  author_posts: number;
  posts_modelled: number;
  /** Sampler settings and the fit's convergence warnings. */
  niter: number;
  burn: number;
  seed: number;
  warnings: string[];
}

/** Which answer the command gives, and why. */
export interface PostVerdict {
  /** 'joint' (the outcome model's per-post estimate), 'bsts' (the single-series counterfactual), or 'none'. */
  from: 'joint' | 'bsts' | 'none';
  /** True: the post moved the outcome; false: no evidence it did; null: no answer. */
  moved: boolean | null;
  /** Direction of the effect when moved (the joint estimate is never negative). */
  direction: 'up' | 'down' | null;
  /** One line for the reader. */
  text: string;
}

/** True when the cumulative (1 − α) interval of the single-series effect excludes 0. */
export function bstsExcludesZero(r: ImpactResult): boolean | null {
  const c = r.cumulative;
  if (!r.ok || c === null) return null;
  return c.abs_effect_lower > 0 || c.abs_effect_upper < 0;
}

/**
 * Chooses the answer: the joint estimate when other posts overlap the window and the joint estimate exists; else
 * the single-series counterfactual; else none (aborted inference and no joint estimate).
 */
export function postVerdict(bsts: ImpactResult, joint: JointEstimate | null, overlap: OverlappingPosts): PostVerdict {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (joint !== null && (overlap.count > 0 || !bsts.ok)) {
    const why = overlap.count > 0
      ? `${overlap.count} other post${overlap.count === 1 ? '' : 's'} of this outcome fall in the window (${overlap.post} in the post period), so the single-series effect mixes their effects in`
      : 'the single-series inference was aborted';
    const interval = `${pct(joint.level)} interval ${fmt(joint.lower)} to ${fmt(joint.upper)}`;
    return joint.excludes_zero
      ? { from: 'joint', moved: true, direction: 'up', text: `the post moved the outcome: the joint estimate is ${fmt(joint.mean)} caused (${interval}); ${why}` }
      : { from: 'joint', moved: false, direction: null, text: `no evidence the post moved the outcome: the joint estimate is ${fmt(joint.mean)} caused (${interval}, includes 0); ${why}` };
  }
  const ex = bstsExcludesZero(bsts);
  if (ex === null) return { from: 'none', moved: null, direction: null, text: 'no answer: the single-series inference was aborted and there is no joint estimate' };
  const c = bsts.cumulative!;
  const interval = `${pct(1 - bsts.alpha)} interval ${fmt(c.abs_effect_lower)} to ${fmt(c.abs_effect_upper)}`;
  const caveat = overlap.count > 0 ? `; ${overlap.count} other post${overlap.count === 1 ? '' : 's'} overlap the window and there is no joint estimate, so read it with care` : '';
  return ex
    ? { from: 'bsts', moved: true, direction: c.abs_effect > 0 ? 'up' : 'down', text: `the post moved the outcome: the single-series effect is ${fmt(c.abs_effect)} (${interval})${caveat}` }
    : { from: 'bsts', moved: false, direction: null, text: `no evidence the post moved the outcome: the single-series effect is ${fmt(c.abs_effect)} (${interval}, includes 0)${caveat}` };
}

function fmt(x: number): string {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}
