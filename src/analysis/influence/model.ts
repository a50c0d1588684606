/**
 * The outcome-influence model's data, options, defaults and response kernel (see ./outcome-model.ts for the model):
 * what goes in, what comes out, and the sparse kernel g_b(p) every step of the sampler reads.
 */
import { z } from 'zod';
import { resolveOptions } from '../stats/options.js';
/** Binned outcome data and the posts that may have caused some of it (indices are dense). */
export interface OutcomeInfluenceData {
  /** Bin width (ms) and start of bin 0 (epoch ms). */
  binMs: number;
  startMs: number;
  nBins: number;
  /** Outcomes per bin that carry no click id on a candidate post. */
  unclicked: Float64Array;
  /** Baseline covariate per bin (> 0): a control series scaled to mean 1, or all 1s. */
  baselineX: Float64Array;
  /** Posts: time (epoch ms), author index, framing index. */
  postTime: Float64Array;
  postAuthor: Int32Array;
  postFraming: Int32Array;
  nAuthors: number;
  /** Framing names; index `referenceFraming` has multiplier 1. */
  framings: string[];
  referenceFraming: number;
  /** Outcomes that carry a click id on post `clickedPost[i]` in bin `clickedBin[i]`, `clickedCount[i]` of them. */
  clickedBin: Int32Array;
  clickedPost: Int32Array;
  clickedCount: Float64Array;
  /** That post's share of the bin's human clicks (w_{b,p}), aligned with the clicked entries. */
  clickedShare: Float64Array;
  /** 1 for bins with any human click on a candidate post (where a baseline outcome can carry a click). */
  clickBin: Uint8Array;
  /**
   * Tie kinds (default ['click']): the clicked entries are tied entries, entry i of kind `clickedKind[i]` (default 0),
   * each kind with its own P(tie | caused) and P(tie | baseline). See ./outcome-model.ts.
   */
  tieKinds?: string[];
  clickedKind?: Int32Array;
  /**
   * For an entry tied to an account rather than a post (a discount code; `clickedPost[i]` = −1): that account's index
   * (its posts in reach of the bin are the entry's candidate parents); −1 for entries tied to a post.
   */
  clickedAuthor?: Int32Array;
  /** Per kind: 1 for bins where a baseline outcome can carry that kind of tie (default: [clickBin]). */
  tieBins?: Uint8Array[];
  /** Per kind: 1 for posts whose caused outcomes can carry that kind of tie (default: every post). */
  tiePosts?: Uint8Array[];
  /**
   * Per kind: true when w (which account's tie a baseline outcome carries) is learned per account (codes: a Dirichlet
   * over the accounts whose posts can carry the kind; `clickedShare` is then unused), false when `clickedShare` gives it.
   */
  tieLearned?: boolean[];
}

/** The sampler's defaults (blockBins defaults to one week of bins). */
export const OUTCOME_INFLUENCE_DEFAULTS = {
  niter: 1500,
  burn: 300,
  seed: 1,
  kernelMeanMs: 86_400_000,
  horizonMs: 7 * 86_400_000,
  kappa: 2,
  level: 0.9,
  learnKernel: 'auto' as boolean | 'auto',
};

const influenceOptionsSchema = z
  .object({
    niter: z.number().int().min(1).default(OUTCOME_INFLUENCE_DEFAULTS.niter),
    burn: z.number().int().min(0).default(OUTCOME_INFLUENCE_DEFAULTS.burn),
    seed: z.number().int().default(OUTCOME_INFLUENCE_DEFAULTS.seed),
    /** Mean of the exponential response kernel and its horizon (ms). */
    kernelMeanMs: z.number().gt(0).default(OUTCOME_INFLUENCE_DEFAULTS.kernelMeanMs),
    horizonMs: z.number().gt(0).default(OUTCOME_INFLUENCE_DEFAULTS.horizonMs),
    /**
     * Learn the kernel mean τ (Metropolis over KERNEL_MEAN_FACTORS × kernelMeanMs, prebuilt kernels) — `auto`: only when
     * some outcomes carry a click id (tied sales show the delay); with none, timing alone cannot tell a slow kernel
     * from a drifting baseline, and τ is held at kernelMeanMs.
     */
    learnKernel: z.union([z.boolean(), z.literal('auto')]).default(OUTCOME_INFLUENCE_DEFAULTS.learnKernel),
    /** Post-level noise shape κ (η ~ Gamma(κ, κ)). */
    kappa: z.number().gt(0).default(OUTCOME_INFLUENCE_DEFAULTS.kappa),
    /** Level blocks of the baseline, in bins, and the length of its repeating shape (default: one week of bins). */
    blockBins: z.number().int().min(1).optional(),
    /** Interval level of the summaries. */
    level: z.number().gt(0).lt(1).default(OUTCOME_INFLUENCE_DEFAULTS.level),
    /**
     * A known baseline rate μ_b per bin (nBins values, each > 0), held fixed: the baseline draws and the day-effect
     * precision move are skipped and the ridge moves leave μ in place, so only the effects (and click rates) are
     * learned. For oracle fits on synthetic worlds (the planted baseline); not for real data.
     */
    fixedBaseline: z.custom<Float64Array>((v) => v instanceof Float64Array, 'must be a Float64Array').optional(),
  })
  .strict();

/** Options of the sampler; defaults in OUTCOME_INFLUENCE_DEFAULTS. */
export type OutcomeInfluenceOptions = z.input<typeof influenceOptionsSchema>;
/** Options with every default applied. */
export type ResolvedOutcomeInfluenceOptions = z.output<typeof influenceOptionsSchema>;

/** Checks the sampler's options and applies defaults; an unknown or out-of-range option is a `bad_option` error. */
export function resolveOutcomeInfluenceOptions(options: OutcomeInfluenceOptions = {}): ResolvedOutcomeInfluenceOptions {
  return resolveOptions('outcome influence', influenceOptionsSchema, options);
}

/** The kernel means the τ move visits, as multiples of kernelMeanMs (steps of √2, from 1/8 to 4 times). */
export const KERNEL_MEAN_FACTORS = [1 / 8, Math.SQRT1_2 / 4, 1 / 4, Math.SQRT1_2 / 2, 1 / 2, Math.SQRT1_2, 1, Math.SQRT2, 2, 2 * Math.SQRT2, 4];

/** A posterior summary: mean and central interval. */
export interface Interval {
  mean: number;
  lower: number;
  upper: number;
}

/** What the sampler returns: per post, per author, per framing, and the model's global parameters. */
export interface OutcomeInfluenceResult {
  level: number;
  kept: number;
  /** Incremental outcomes caused by each post (β_p). */
  posts: Interval[];
  /**
   * Mean incremental outcomes per post of each author, and P(s_a = 1): the probability the author moves outcomes at
   * all; how much of it rests on timing alone: `timing_share`, the share of the outcomes allocated to the author's
   * posts that carry no tie (no click id), over the kept draws (when none were ever allocated: the data's share of untied
   * outcomes), and `isolated_share`, the share of the author's posts with no other account's post
   * within one kernel mean of it (timing can tell those apart; a post in a burst is identified only with the burst).
   */
  authors: (Interval & { prob_positive: number; posts: number; timing_share: number; isolated_share: number })[];
  /** Framing multipliers relative to the reference framing. */
  framing: (Interval & { framing: string; posts: number })[];
  /** Share of all outcomes caused by posts (vs baseline). */
  share_caused: Interval;
  /** Mean of the response kernel (hours): learned (posterior) or held (a point). */
  kernel_mean_hours: Interval & { learned: boolean };
  /** P(click id | caused) and P(click id | baseline, in a bin with clicks). */
  click_given_caused: Interval;
  click_given_baseline: Interval;
  /** Every tie kind (click first): tied outcomes, P(tie | caused) = π_k and P(tie | baseline, where possible) = ω_k. */
  ties: TieSummary[];
  /** Convergence of the chain (split-R̂, effective sample size) and what looks unconverged. */
  diagnostics: OutcomeInfluenceDiagnostics;
}

/** One tie kind's evidence: how many outcomes carry it and its two rates (with their chain checks). */
export interface TieSummary {
  kind: string;
  /** Outcomes that carry this kind of tie to a candidate post or its account. */
  tied: number;
  given_caused: Interval;
  given_baseline: Interval;
  /** How w is found: 'given' (clicks' intensity share) or 'learned' (a share per account, codes). */
  share: 'given' | 'learned';
  diagnostics: { given_caused: ChainCheck; given_baseline: ChainCheck };
}

/** Split-R̂ and effective sample size of one quantity's kept draws. */
export interface ChainCheck {
  rhat: number;
  ess: number;
}

/** Convergence diagnostics of the fit: global quantities, framing multipliers, and the worst of the per-author means. */
export interface OutcomeInfluenceDiagnostics {
  share_caused: ChainCheck;
  click_given_caused: ChainCheck;
  click_given_baseline: ChainCheck;
  framing: (ChainCheck & { framing: string })[];
  /** Over authors with posts: the largest R̂, the smallest ESS, and how many have R̂ > 1.05 or ESS < 100. */
  authors: { max_rhat: number; min_ess: number; unconverged: number; checked: number };
  /** Plain-language warnings when a threshold is crossed (empty when the chain looks converged). */
  warnings: string[];
}

/** The response kernel g_b(p) of every post in every bin it reaches, in CSR by post and by bin. */
export interface Kernel {
  postOff: Int32Array;
  postBin: Int32Array;
  postG: Float64Array;
  binOff: Int32Array;
  binPost: Int32Array;
  binG: Float64Array;
  /** ∫ g over the observed bins (< 1 for posts near the end of the data). */
  exposure: Float64Array;
  /** g_{b,p} of every clicked entry (bin, post), aligned with data.clickedBin (summed over its candidates). */
  clickedG: Float64Array;
  /** Candidate parent posts of every tied entry and their g (CSR by entry): its post, or its account's posts in reach. */
  tiedOff: Int32Array;
  tiedPost: Int32Array;
  tiedG: Float64Array;
}

/** Kernel mass of each post in each bin it reaches, in CSR by post and by bin. */
export function buildKernel(data: OutcomeInfluenceData, meanMs: number, horizonMs: number): Kernel {
  const np = data.postTime.length, nb = data.nBins;
  const cdf = (t: number) => (t <= 0 ? 0 : (1 - Math.exp(-Math.min(t, horizonMs) / meanMs)) / (1 - Math.exp(-horizonMs / meanMs)));
  const postOff = new Int32Array(np + 1);
  const bins: number[] = [], gs: number[] = [];
  const exposure = new Float64Array(np);
  for (let p = 0; p < np; p++) {
    const t0 = data.postTime[p]!;
    const first = Math.max(0, Math.floor((t0 - data.startMs) / data.binMs));
    const last = Math.min(nb - 1, Math.floor((t0 + horizonMs - data.startMs) / data.binMs));
    for (let b = first; b <= last; b++) {
      const lo = data.startMs + b * data.binMs - t0, hi = lo + data.binMs;
      const g = cdf(hi) - cdf(lo);
      if (g <= 0) continue;
      bins.push(b);
      gs.push(g);
      exposure[p]! += g;
    }
    postOff[p + 1] = bins.length;
  }
  const postBin = Int32Array.from(bins), postG = Float64Array.from(gs);
  const binOff = new Int32Array(nb + 1);
  for (const b of postBin) binOff[b + 1]!++;
  for (let b = 0; b < nb; b++) binOff[b + 1]! += binOff[b]!;
  const cursor = binOff.slice(0, nb);
  const binPost = new Int32Array(postBin.length), binG = new Float64Array(postBin.length);
  for (let p = 0; p < np; p++) {
    for (let e = postOff[p]!; e < postOff[p + 1]!; e++) {
      const at = cursor[postBin[e]!]!++;
      binPost[at] = p;
      binG[at] = postG[e]!;
    }
  }
  const kernel = { postOff, postBin, postG, binOff, binPost, binG, exposure, clickedG: new Float64Array(0), tiedOff: new Int32Array(1), tiedPost: new Int32Array(0), tiedG: new Float64Array(0) };
  const nc = data.clickedBin.length;
  const tiedOff = new Int32Array(nc + 1), cand: number[] = [], candG: number[] = [];
  for (let i = 0; i < nc; i++) {
    const b = data.clickedBin[i]!, p = data.clickedPost[i]!;
    if (p >= 0) {
      cand.push(p);
      candG.push(gAt(kernel, p, b));
    } else {
      // an account's tie: its posts in reach of the bin
      const a = data.clickedAuthor?.[i] ?? -1;
      for (let e = binOff[b]!; e < binOff[b + 1]!; e++) {
        if (data.postAuthor[binPost[e]!] !== a) continue;
        cand.push(binPost[e]!);
        candG.push(binG[e]!);
      }
    }
    tiedOff[i + 1] = cand.length;
  }
  kernel.tiedOff = tiedOff;
  kernel.tiedPost = Int32Array.from(cand);
  kernel.tiedG = Float64Array.from(candG);
  kernel.clickedG = Float64Array.from(data.clickedBin, (_, i) => {
    let g = 0;
    for (let e = tiedOff[i]!; e < tiedOff[i + 1]!; e++) g += candG[e]!;
    return g;
  });
  return kernel;
}

/** Kernel mass of post p in bin b (0 when out of reach). */
export function gAt(k: Kernel, p: number, b: number): number {
  for (let e = k.postOff[p]!; e < k.postOff[p + 1]!; e++) if (k.postBin[e] === b) return k.postG[e]!;
  return 0;
}

/**
 * Per author, the share of its posts that stand alone in time: no post by another author within `windowMs` before or
 * after (0 for an author without posts).
 */
export function isolatedShares(data: OutcomeInfluenceData, windowMs: number): Float64Array {
  const np = data.postTime.length;
  const order = Array.from({ length: np }, (_, i) => i).sort((x, y) => data.postTime[x]! - data.postTime[y]!);
  const alone = new Float64Array(data.nAuthors), count = new Float64Array(data.nAuthors);
  for (let k = 0; k < np; k++) {
    const p = order[k]!, t = data.postTime[p]!, a = data.postAuthor[p]!;
    let isolated = true;
    for (let j = k - 1; isolated && j >= 0 && t - data.postTime[order[j]!]! <= windowMs; j--) if (data.postAuthor[order[j]!] !== a) isolated = false;
    for (let j = k + 1; isolated && j < np && data.postTime[order[j]!]! - t <= windowMs; j++) if (data.postAuthor[order[j]!] !== a) isolated = false;
    count[a]!++;
    if (isolated) alone[a]!++;
  }
  return alone.map((x, a) => (count[a]! > 0 ? x / count[a]! : 0));
}

/** Items 0..n−1 grouped by key (CSR: items of key k are items[off[k]..off[k+1])). */
export function csrBy(keys: Int32Array, n: number): { off: Int32Array; items: Int32Array } {
  const off = new Int32Array(n + 1);
  for (const k of keys) off[k + 1]!++;
  for (let i = 0; i < n; i++) off[i + 1]! += off[i]!;
  const cursor = off.slice(0, n);
  const items = new Int32Array(keys.length);
  keys.forEach((k, i) => (items[cursor[k]!++] = i));
  return { off, items };
}

/** Authors with at least one post. */
export function countAuthorsWithPosts(c: { off: Int32Array }): number {
  let n = 0;
  for (let a = 0; a + 1 < c.off.length; a++) if (c.off[a + 1]! > c.off[a]!) n++;
  return n;
}
