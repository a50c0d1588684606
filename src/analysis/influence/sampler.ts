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
  const clickedTotal = new Float64Array(np);
  for (let i = 0; i < nc; i++) clickedTotal[data.clickedPost[i]!]! += data.clickedCount[i]!;
  return {
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
    clickedByPost: csrBy(data.clickedPost, np),
    clickedTotal,
    framingCount,
    authorsWithPosts: countAuthorsWithPosts(authorPosts),
    slotOf,
    dayOf,
    fixedMu,
  };
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
    pi: 0.5,
    omega: 0.05,
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
    scratch: { delta: new Float64Array(nb), touched: new Int32Array(nb), mark: new Uint8Array(nb) },
  };
  updateMu(c, st); // kept current from here on: recomputed after the baseline draws, scaled with the ridge steps
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
    piDraws: new Float64Array(kept),
    omegaDraws: new Float64Array(kept),
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
  allocateClicked(c, st, rng); // 1
  allocateUnclicked(c, st, rng); // 2
  drawPostEffects(c, st, rng); // 3
  drawAuthorPersuasion(c, st, rng); // 4
  drawFramingMultipliers(c, st, rng); // 5
  if (c.fixedMu === undefined) drawBaseline(c, st, rng); // 6 (skipped when the baseline is given)
  drawClickProbabilities(c, st, rng);
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
  d.piDraws[k] = st.pi;
  d.omegaDraws[k] = st.omega;
  d.kernelDraws[k] = c.kernelGrid[st.kernelIx]!;
}
