/**
 * The outcome-influence Gibbs sampler's chain: its fixed setup (kernel, index structures, constants), its state (every
 * rate, allocation and tuned step size in one explicit object), the sweep that calls each step of ./steps.ts in a
 * fixed order, and the kept draws. Same data, options and seed → the same draws: the steps consume the one random
 * stream in a fixed order.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { ChainSetup, ChainState } from './chain.js';
import { KERNEL_MEAN_FACTORS, buildKernel, countAuthorsWithPosts, csrBy, type OutcomeInfluenceData, type Kernel } from './model.js';
import {
  allocateClicked,
  allocateUnclicked,
  drawAuthorPersuasion,
  drawBaseline,
  drawClickProbabilities,
  drawFramingMultipliers,
  drawPostEffects,
  flipAuthors,
  moveDayPrecision,
  moveFramingRidge,
  moveKernel,
  moveRidge,
} from './steps.js';

/** Sampler settings the chain needs (resolved options). */
export interface ChainOptions {
  niter: number;
  burn: number;
  seed: number;
  kernelMeanMs: number;
  horizonMs: number;
  kappa: number;
  blockBins: number | undefined;
  /** Learn the kernel mean (`auto`: when any outcome carries a click id). */
  learnKernel?: boolean | 'auto' | undefined;
  /** A known baseline rate per bin, held fixed (see the `fixedBaseline` option). */
  fixedBaseline?: Float64Array | undefined;
}

/** Kept draws of the chain (per-post and per-author ones thinned to at most MAX_STORED). */
export interface ChainDraws {
  kept: number;
  stored: number;
  betaDraws: Float32Array;
  authorDraws: Float32Array;
  /** Kept draws with the author on, per author. */
  sDraws: Uint32Array;
  phiDraws: Float32Array;
  shareDraws: Float64Array;
  /** π_k and ω_k per kept draw (row-major, one row of nk per draw). */
  piDraws: Float64Array;
  omegaDraws: Float64Array;
  /** Outcomes allocated to each author's posts over the kept draws: all, and those without a tie (click id). */
  authorCaused: Float64Array;
  authorUntied: Float64Array;
  /** Kernel mean (ms) per kept draw. */
  kernelDraws: Float64Array;
}

/** Per-post and per-account draws kept for the summaries, at most (the chain is thinned to fit). */
const MAX_STORED = 500;

/** Builds the kernel, index structures and constants of a chain. */
export function setupChain(data: OutcomeInfluenceData, o: ChainOptions): ChainSetup {
  // documented default, derived from the data: one week of bins
  const blockBins = o.blockBins ?? Math.max(1, Math.round((7 * 86_400_000) / data.binMs));
  // slots count from a fixed weekday (Monday 00:00 UTC) so the shape means the same thing in every run
  const slotOffset = ((Math.round((data.startMs - Date.UTC(2024, 0, 1)) / data.binMs) % blockBins) + blockBins) % blockBins;
  const nb = data.nBins, np = data.postTime.length, na = data.nAuthors, nf = data.framings.length;
  const fixedMu = o.fixedBaseline;
  if (fixedMu !== undefined && (fixedMu.length !== nb || !fixedMu.every((m) => m > 0 && Number.isFinite(m)))) {
    throw new CloutError('bad_option', `outcome influence: fixedBaseline needs ${nb} positive values (one per bin), got ${fixedMu.length}`);
  }
  const nc = data.clickedBin.length;
  const learnKernel = o.learnKernel === true || ((o.learnKernel ?? 'auto') === 'auto' && nc > 0);
  const kernelGrid = learnKernel ? KERNEL_MEAN_FACTORS.map((f) => f * o.kernelMeanMs) : [o.kernelMeanMs];
  const kernels = new Map<number, Kernel>();
  const kernelAt = (i: number): Kernel => {
    let k = kernels.get(i);
    if (k === undefined) kernels.set(i, (k = buildKernel(data, kernelGrid[i]!, o.horizonMs)));
    return k;
  };
  const kernel = kernelAt(learnKernel ? KERNEL_MEAN_FACTORS.indexOf(1) : 0);
  const slotOf = (b: number) => (b + slotOffset) % blockBins;
  const dayOf = (b: number) => Math.floor(((b * data.binMs) + (data.startMs % 86_400_000)) / 86_400_000);
  const totalOutcomes = data.unclicked.reduce((x, y) => x + y, 0) + data.clickedCount.reduce((x, y) => x + y, 0);
  const authorPosts = csrBy(data.postAuthor, na);
  const framingCount = new Int32Array(nf);
  for (let p = 0; p < np; p++) framingCount[data.postFraming[p]!]!++;
  const ties = setupTies(data, kernel, authorPosts);
  const clickedTotal = new Float64Array(np);
  for (let i = 0; i < nc; i++) {
    const lo = kernel.tiedOff[i]!, hi = kernel.tiedOff[i + 1]!;
    if (hi - lo === 1) clickedTotal[kernel.tiedPost[lo]!]! += data.clickedCount[i]!;
    else for (let e = lo; e < hi; e++) clickedTotal[kernel.tiedPost[e]!]! += (data.clickedCount[i]! * kernel.tiedG[e]!) / kernel.clickedG[i]!;
  }
  return {
    ...ties,
    data,
    kernel,
    kernelGrid,
    kernelAt,
    learnKernel,
    nb,
    np,
    na,
    nf,
    nc,
    blockBins,
    nBlocks: Math.ceil(nb / blockBins),
    nDays: dayOf(nb - 1) + 1,
    kappa: o.kappa,
    burn: o.burn,
    totalOutcomes,
    authorPosts,
    clickedTotal,
    framingCount,
    authorsWithPosts: countAuthorsWithPosts(authorPosts),
    slotOf,
    dayOf,
    fixedMu,
  };
}

/** The tie kinds' index structures: kinds, each entry's kind and account, the kind masks of posts and bins, entries by author. */
function setupTies(data: OutcomeInfluenceData, kernel: Kernel, authorPosts: { off: Int32Array; items: Int32Array }) {
  const np = data.postTime.length, na = data.nAuthors, nb = data.nBins, nc = data.clickedBin.length;
  const tieKinds = data.tieKinds ?? ['click'];
  const nk = tieKinds.length;
  if (nk < 1 || nk > 8) throw new CloutError('input', `outcome influence: ${nk} tie kinds; need 1 to 8`);
  const entryKind = data.clickedKind ?? new Int32Array(nc);
  const entryAccount = Int32Array.from(data.clickedPost, (p, i) => (p >= 0 ? data.postAuthor[p]! : (data.clickedAuthor?.[i] ?? -1)));
  const learned = tieKinds.map((_, k) => data.tieLearned?.[k] ?? false);
  const postMask = new Int32Array(np), binMask = new Int32Array(nb);
  for (let k = 0; k < nk; k++) {
    const posts = data.tiePosts?.[k], bins = data.tieBins?.[k] ?? (k === 0 ? data.clickBin : undefined);
    for (let p = 0; p < np; p++) if (posts === undefined || posts[p]) postMask[p]! |= 1 << k;
    if (bins !== undefined) for (let b = 0; b < nb; b++) if (bins[b]) binMask[b]! |= 1 << k;
  }
  const eligibleAccount = tieKinds.map((_, k) => {
    const e = new Uint8Array(na);
    for (let p = 0; p < np; p++) if (postMask[p]! & (1 << k)) e[data.postAuthor[p]!] = 1;
    return e;
  });
  const authorPos = new Int32Array(np);
  for (let a = 0; a < na; a++) for (let e = authorPosts.off[a]!; e < authorPosts.off[a + 1]!; e++) authorPos[authorPosts.items[e]!] = e - authorPosts.off[a]!;
  // entries of each author: those on each of its posts in post order, then those on the account (codes)
  const byPost = csrBy(Int32Array.from(data.clickedPost, (p) => (p >= 0 ? p : np)), np + 1);
  const accountEntries = csrBy(Int32Array.from(data.clickedPost, (p, i) => (p >= 0 || entryAccount[i]! < 0 ? na : entryAccount[i]!)), na + 1);
  const off = new Int32Array(na + 1), items: number[] = [];
  for (let a = 0; a < na; a++) {
    for (let e = authorPosts.off[a]!; e < authorPosts.off[a + 1]!; e++) {
      const p = authorPosts.items[e]!;
      for (let j = byPost.off[p]!; j < byPost.off[p + 1]!; j++) items.push(byPost.items[j]!);
    }
    for (let j = accountEntries.off[a]!; j < accountEntries.off[a + 1]!; j++) items.push(accountEntries.items[j]!);
    off[a + 1] = items.length;
  }
  for (let i = 0; i < nc; i++) {
    if (entryKind[i]! < 0 || entryKind[i]! >= nk) throw new CloutError('input', `outcome influence: tied entry ${i} has kind ${entryKind[i]}; kinds: ${tieKinds.join(', ')}`);
    if (data.clickedPost[i]! < 0 && kernel.tiedOff[i + 1]! === kernel.tiedOff[i]! && entryAccount[i]! < 0) throw new CloutError('input', `outcome influence: tied entry ${i} names neither a post nor an account`);
  }
  return { nk, tieKinds, entryKind, entryAccount, learned, eligibleAccount, postMask, binMask, tiedByAuthor: { off, items: Int32Array.from(items) }, authorPos };
}

/** The starting state: flat baseline at the mean rate, every author on, effects drawn from their prior. */
export function initialState(c: ChainSetup, rng: Rng): ChainState {
  const { data, nb, np, na, nf, nBlocks, nDays, blockBins, kappa } = c;
  const theta = new Float64Array(na).fill(1);
  const phi = new Float64Array(nf).fill(1);
  const alpha = new Float64Array(nBlocks);
  let xs = 0;
  for (let b = 0; b < nb; b++) xs += data.baselineX[b]!;
  alpha.fill(c.totalOutcomes / Math.max(xs, 1e-9));
  const beta = new Float64Array(np);
  for (let p = 0; p < np; p++) beta[p] = rng.gamma(kappa, kappa / (theta[data.postAuthor[p]!]! * phi[data.postFraming[p]!]!));
  const st: ChainState = {
    beta,
    theta,
    s: new Uint8Array(na).fill(1),
    phi,
    alpha,
    shape: new Float64Array(blockBins).fill(1),
    dayEffect: new Float64Array(nDays).fill(1),
    nu: 100,
    mu: new Float64Array(nb),
    sumBeta: new Float64Array(nb),
    q: new Float64Array(c.nk).fill(0.5 / c.nk),
    w: new Float64Array(c.nk).fill(0.05 / c.nk),
    share: c.learned.map((l, k) => {
      const e = c.eligibleAccount[k]!;
      const n = l ? e.reduce((x, y) => x + y, 0) : 0;
      return l ? Float64Array.from(e, (y) => y / Math.max(1, n)) : new Float64Array(0);
    }),
    shareConc: new Float64Array(c.nk).fill(0.5),
    untiedPost: new Float64Array(np),
    untiedBase: new Float64Array(nb),
    sumTied: new Float64Array(nb),
    rho: 0.5,
    kernelIx: c.learnKernel ? KERNEL_MEAN_FACTORS.indexOf(1) : 0,
    b0: 1,
    a0: 1,
    ridgeStep: 0.05,
    scaleStep: 0.05,
    caused: new Float64Array(np),
    causedClicked: new Float64Array(np),
    baseAlloc: new Float64Array(nb),
    baseClicked: new Float64Array(nb),
    causedTiedKind: new Float64Array(c.nk),
    baseTiedKind: new Float64Array(c.nk),
    baseTiedAccount: c.learned.map((l) => new Float64Array(l ? na : 0)),
    refTied: new Float64Array(nb),
    sumTiedNew: new Float64Array(nb),
    refSum: new Float64Array(nb),
    sumBetaNew: new Float64Array(nb),
    muNew: new Float64Array(nb),
    dayNew: new Float64Array(nDays),
    dayCount: new Float64Array(nDays),
    dayExposure: new Float64Array(nDays),
    slotCount: new Float64Array(blockBins),
    slotExposure: new Float64Array(blockBins),
    baseClickedExpected: new Float64Array(np), // ω Σ μ_b w_{b,p} over the bins where p's link got clicked outcomes
    cumBuf: new Float64Array(64),
    proposalBuf: new Float64Array(64),
    scratch: { delta: new Float64Array(nb), deltaTied: new Float64Array(nb), touched: new Int32Array(nb), mark: new Uint8Array(nb) },
  };
  updateMu(c, st); // kept current from here on: recomputed after the baseline draws, scaled with the ridge steps
  updateUntied(c, st);
  return st;
}

/** Recomputes the baseline rate μ_b = α_week · shape_slot · ε_day · x_b of every bin (the given one when held fixed). */
export function updateMu(c: ChainSetup, st: ChainState): void {
  const { data, nb, blockBins, slotOf, dayOf } = c;
  if (c.fixedMu !== undefined) {
    st.mu.set(c.fixedMu);
    return;
  }
  const { mu, alpha, shape, dayEffect } = st;
  for (let b = 0; b < nb; b++) mu[b] = alpha[Math.floor(b / blockBins)]! * shape[slotOf(b)]! * dayEffect[dayOf(b)]! * data.baselineX[b]!;
}

/** Recomputes the untied factors 1 − Σ π_k of each post and 1 − Σ ω_k of each bin (over the kinds each can carry). */
export function updateUntied(c: ChainSetup, st: ChainState): void {
  const { nk, postMask, binMask } = c;
  const byMask = (rates: Float64Array, mask: number): number => {
    let s = 0;
    for (let k = 0; k < nk; k++) if (mask & (1 << k)) s += rates[k]!;
    return 1 - s;
  };
  const postByMask = new Float64Array(1 << nk), binByMask = new Float64Array(1 << nk);
  for (let m = 0; m < 1 << nk; m++) (postByMask[m] = byMask(st.q, m)), (binByMask[m] = byMask(st.w, m));
  for (let p = 0; p < c.np; p++) st.untiedPost[p] = postByMask[postMask[p]!]!;
  for (let b = 0; b < c.nb; b++) st.untiedBase[b] = binByMask[binMask[b]!]!;
}

/** Runs the chain: `niter` sweeps, the first `burn` discarded (and used to tune the ridge steps). */
export function runChain(data: OutcomeInfluenceData, o: ChainOptions): { setup: ChainSetup; draws: ChainDraws } {
  const rng = new Rng(o.seed);
  const c = setupChain(data, o);
  const st = initialState(c, rng);
  const kept = Math.max(1, o.niter - o.burn);
  // per-post and per-account draws are thinned to at most MAX_STORED (memory: 500k posts × 1200 draws would be 2.4 GB)
  const thin = Math.ceil(kept / MAX_STORED), stored = Math.floor((kept - 1) / thin) + 1;
  const draws: ChainDraws = {
    kept,
    stored,
    betaDraws: new Float32Array(stored * c.np),
    authorDraws: new Float32Array(stored * c.na),
    sDraws: new Uint32Array(c.na),
    phiDraws: new Float32Array(kept * c.nf),
    shareDraws: new Float64Array(kept),
    piDraws: new Float64Array(kept * c.nk),
    omegaDraws: new Float64Array(kept * c.nk),
    kernelDraws: new Float64Array(kept),
    authorCaused: new Float64Array(c.na),
    authorUntied: new Float64Array(c.na),
  };
  for (let iter = 0; iter < o.niter; iter++) {
    sweep(c, st, rng, iter);
    if (iter >= o.burn) record(c, st, draws, iter - o.burn, thin);
  }
  return { setup: c, draws };
}

/** One sweep of the sampler: every step once, in the order that fixes the random stream. */
function sweep(c: ChainSetup, st: ChainState, rng: Rng, iter: number): void {
  st.caused.fill(0);
  st.causedClicked.fill(0);
  st.baseAlloc.fill(0);
  st.baseClicked.fill(0);
  st.causedTiedKind.fill(0);
  st.baseTiedKind.fill(0);
  for (const x of st.baseTiedAccount) x.fill(0);
  updateUntied(c, st); // π moved with the last ridge step
  allocateClicked(c, st, rng); // 1
  allocateUnclicked(c, st, rng); // 2
  drawPostEffects(c, st, rng); // 3
  drawAuthorPersuasion(c, st, rng); // 4
  drawFramingMultipliers(c, st, rng); // 5
  if (c.fixedMu === undefined) drawBaseline(c, st, rng); // 6 (skipped when the baseline is given)
  drawClickProbabilities(c, st, rng);
  updateUntied(c, st);
  updateMu(c, st);
  flipAuthors(c, st, rng); // 7
  if (c.learnKernel) moveKernel(c, st, rng); // 7a (τ learned from tied outcomes)
  if (c.fixedMu === undefined) moveDayPrecision(c, st, rng); // 7b
  moveRidge(c, st, rng, iter < c.burn); // 8
  moveFramingRidge(c, st, rng, iter < c.burn); // 9
}

/** Stores kept draw k (per-post and per-account quantities only every `thin`-th draw). */
function record(c: ChainSetup, st: ChainState, d: ChainDraws, k: number, thin: number): void {
  const { np, na, nf, authorPosts, totalOutcomes } = c;
  const { beta, s, caused, causedClicked, phi } = st;
  const kk = (k % thin === 0) ? k / thin : -1; // slot of the thinned per-post and per-account draws, or none
  if (kk >= 0) for (let p = 0; p < np; p++) d.betaDraws[kk * np + p] = beta[p]!;
  let causedTotal = 0;
  for (let p = 0; p < np; p++) {
    causedTotal += caused[p]!;
    const a = c.data.postAuthor[p]!;
    d.authorCaused[a]! += caused[p]!;
    d.authorUntied[a]! += caused[p]! - causedClicked[p]!;
  }
  for (let a = 0; a < na; a++) {
    d.sDraws[a]! += s[a]!;
    if (kk < 0) continue;
    const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
    let sb = 0;
    for (let e = lo; e < hi; e++) sb += beta[authorPosts.items[e]!]!;
    d.authorDraws[kk * na + a] = hi > lo ? sb / (hi - lo) : 0;
  }
  for (let f = 0; f < nf; f++) d.phiDraws[k * nf + f] = phi[f]!;
  d.shareDraws[k] = totalOutcomes > 0 ? causedTotal / totalOutcomes : 0;
  for (let j = 0; j < c.nk; j++) (d.piDraws[k * c.nk + j] = st.q[j]!), (d.omegaDraws[k * c.nk + j] = st.w[j]!);
  d.kernelDraws[k] = c.kernelGrid[st.kernelIx]!;
}
