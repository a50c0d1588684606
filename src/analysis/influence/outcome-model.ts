/**
 * Outcome influence: how many outcomes (sales, donations) each post caused, with intervals, by a Poisson-process
 * model of the binned outcome counts (Xu, Duan & Whinston 2014; the latent-parent augmentation of Rasmussen 2013 /
 * Veen & Schoenberg 2008; partial pooling as in Gelman et al., BDA ch. 5):
 *
 *   outcomes in bin b ~ Poisson( μ_b + Σ_p β_p g_b(p) )
 *   μ_b = α_{week(b)} · s_{slot(b)} · ε_{day(b)} · x_b
 *                                             baseline: a weekly level × an hour-of-week shape (one multiplier per
 *                                             bin of the week, the first fixed at 1) × a day effect ε ~ Gamma(ν, ν)
 *                                             (days busier or quieter than their week; ν learned) × a covariate
 *                                             (control series, else 1)
 *   g_b(p) = ∫_bin g(t − t_p) dt              response kernel: exponential, mean τ, truncated at the horizon
 *   β_p = s_a θ_a φ_f η_p                     author persuasion × framing multiplier × post noise η ~ Gamma(κ, κ)
 *   s_a ~ Bernoulli(ρ), θ_a ~ Gamma(1, b₀) (an exponential: near-zero persuasion stays possible), b₀ ~ Gamma
 *   (pooled across authors), φ_ref = 1, φ_f ~ InvGamma
 *
 * Click ids as evidence, not proof: a caused outcome carries a click on its post with probability π; a baseline
 * outcome carries a click on post p with probability ω · w_{b,p}, w = p's share of the bin's human clicks. So an
 * outcome that carries a click on p has parent p or the baseline — never another post — and a post that merely
 * collects many clicks (reach) gets baseline buyers' clicks without credit for them.
 *
 * Gibbs sampling with data augmentation: allocate every count to its sources (binomial for clicked counts,
 * multinomial for the rest), then draw every rate from its conditional (Gamma, Beta; log θ by Metropolis), flip s_a
 * by a Metropolis step with an informed proposal of the author's effects, and take Metropolis steps along the ridge
 * "more caused outcomes without a click, less baseline" (all effects × e^δ, π × e^−δ, baseline levels rescaled), which
 * the allocation updates alone cross far too slowly when posts are dense. Pure and seeded.
 */
import { Rng } from '../../domain/index.js';
import { effectiveSampleSize, splitRhat } from '../stats/mcmc.js';

/** Binned outcome data and the posts that may have caused some of it (indices are dense). */
export interface InfluenceData {
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
}

/** Options of the sampler; defaults in INFLUENCE_DEFAULTS. */
export interface InfluenceOptions {
  niter?: number;
  burn?: number;
  seed?: number;
  /** Mean of the exponential response kernel and its horizon (ms). */
  kernelMeanMs?: number;
  horizonMs?: number;
  /** Post-level noise shape κ (η ~ Gamma(κ, κ)). */
  kappa?: number;
  /** Level blocks of the baseline, in bins, and the length of its repeating shape (default: one week of bins). */
  blockBins?: number;
  /** Interval level of the summaries (default 0.9). */
  level?: number;
}

export const INFLUENCE_DEFAULTS = {
  niter: 1500,
  burn: 300,
  seed: 1,
  kernelMeanMs: 86_400_000,
  horizonMs: 7 * 86_400_000,
  kappa: 2,
  level: 0.9,
};

/** A posterior summary: mean and central interval. */
export interface Interval {
  mean: number;
  lower: number;
  upper: number;
}

/** What the sampler returns: per post, per author, per framing, and the model's global parameters. */
export interface InfluenceResult {
  level: number;
  kept: number;
  /** Incremental outcomes caused by each post (β_p). */
  posts: Interval[];
  /** Mean incremental outcomes per post of each author, and P(s_a = 1): the probability the author moves outcomes at all. */
  authors: (Interval & { prob_positive: number; posts: number })[];
  /** Framing multipliers relative to the reference framing. */
  framing: (Interval & { framing: string; posts: number })[];
  /** Share of all outcomes caused by posts (vs baseline). */
  share_caused: Interval;
  /** P(click id | caused) and P(click id | baseline, in a bin with clicks). */
  click_given_caused: Interval;
  click_given_baseline: Interval;
  /** Convergence of the chain (split-R̂, effective sample size) and what looks unconverged. */
  diagnostics: InfluenceDiagnostics;
}

/** Split-R̂ and effective sample size of one quantity's kept draws. */
export interface ChainCheck {
  rhat: number;
  ess: number;
}

/** Convergence diagnostics of the fit: global quantities, framing multipliers, and the worst of the per-author means. */
export interface InfluenceDiagnostics {
  share_caused: ChainCheck;
  click_given_caused: ChainCheck;
  click_given_baseline: ChainCheck;
  framing: (ChainCheck & { framing: string })[];
  /** Over authors with posts: the largest R̂, the smallest ESS, and how many have R̂ > 1.05 or ESS < 100. */
  authors: { max_rhat: number; min_ess: number; unconverged: number; checked: number };
  /** Plain-language warnings when a threshold is crossed (empty when the chain looks converged). */
  warnings: string[];
}

/** Fits the model by Gibbs sampling and summarises the kept draws. */
export function fitOutcomeInfluence(data: InfluenceData, options: InfluenceOptions = {}): InfluenceResult {
  const o = { ...INFLUENCE_DEFAULTS, ...options };
  const blockBins = o.blockBins ?? Math.max(1, Math.round((7 * 86_400_000) / data.binMs));
  // slots count from a fixed weekday (Monday 00:00 UTC) so the shape means the same thing in every run
  const slotOffset = ((Math.round((data.startMs - Date.UTC(2024, 0, 1)) / data.binMs) % blockBins) + blockBins) % blockBins;
  const rng = new Rng(o.seed);
  const nb = data.nBins, np = data.postTime.length, na = data.nAuthors, nf = data.framings.length;
  const kernel = buildKernel(data, o.kernelMeanMs, o.horizonMs);
  const { postOff, postBin, postG, binOff, binPost, binG, exposure } = kernel;
  const nBlocks = Math.ceil(nb / blockBins);
  const nc = data.clickedBin.length;

  // state
  const beta = new Float64Array(np);
  const theta = new Float64Array(na).fill(1);
  const s = new Uint8Array(na).fill(1);
  const phi = new Float64Array(nf).fill(1);
  const alpha = new Float64Array(nBlocks);
  const shape = new Float64Array(blockBins).fill(1); // hour-of-week multipliers; shape[0] = 1 is the reference
  const slotOf = (b: number) => (b + slotOffset) % blockBins;
  const dayOf = (b: number) => Math.floor(((b * data.binMs) + (data.startMs % 86_400_000)) / 86_400_000);
  const nDays = dayOf(nb - 1) + 1;
  const dayEffect = new Float64Array(nDays).fill(1);
  const dayCount = new Float64Array(nDays), dayExposure = new Float64Array(nDays);
  let nu = 100;
  const refSum = new Float64Array(nb), sumBetaNew = new Float64Array(nb);
  const dayK = new Float64Array(nDays), dayX = new Float64Array(nDays), dayNew = new Float64Array(nDays), muNew = new Float64Array(nb);
  let pi = 0.5, omega = 0.05, rho = 0.5, b0 = 1;
  let ridgeStep = 0.05, scaleStep = 0.05; // Metropolis step sizes of the two ridge moves, tuned during burn-in
  let a0 = 1; // Gamma shape of θ (learned on a grid); its rate b0 is pooled across authors
  const kappa = o.kappa;
  const totalOutcomes = data.unclicked.reduce((x, y) => x + y, 0) + data.clickedCount.reduce((x, y) => x + y, 0);
  {
    let xs = 0;
    for (let b = 0; b < nb; b++) xs += data.baselineX[b]!;
    alpha.fill(totalOutcomes / Math.max(xs, 1e-9));
  }
  const authorPosts = csrBy(data.postAuthor, na);
  const framingCount = new Int32Array(nf);
  for (let p = 0; p < np; p++) framingCount[data.postFraming[p]!]!++;
  for (let p = 0; p < np; p++) beta[p] = rng.gamma(kappa, kappa / (theta[data.postAuthor[p]!]! * phi[data.postFraming[p]!]!));

  // allocations
  const caused = new Float64Array(np);
  const causedClicked = new Float64Array(np);
  const baseAlloc = new Float64Array(nb);
  const baseClicked = new Float64Array(nb);
  const mu = new Float64Array(nb);
  const slotCount = new Float64Array(blockBins), slotExposure = new Float64Array(blockBins);
  const sumBeta = new Float64Array(nb);

  // draws kept
  const kept = Math.max(1, o.niter - o.burn);
  // per-post and per-account draws are thinned to at most MAX_STORED (memory: 500k posts × 1200 draws would be 2.4 GB)
  const thin = Math.ceil(kept / MAX_STORED), stored = Math.floor((kept - 1) / thin) + 1;
  const betaDraws = new Float32Array(stored * np);
  const authorDraws = new Float32Array(stored * na);
  const sDraws = new Uint32Array(na);
  const phiDraws = new Float32Array(kept * nf);
  const shareDraws = new Float64Array(kept);
  const piDraws = new Float64Array(kept), omegaDraws = new Float64Array(kept);
  let cumBuf = new Float64Array(64);
  let proposalBuf = new Float64Array(64);
  const clickedByPost = csrBy(data.clickedPost, np);
  const scratch = { delta: new Float64Array(nb), touched: new Int32Array(nb), mark: new Uint8Array(nb) };
  const clickedTotal = new Float64Array(np);
  const baseClickedExpected = new Float64Array(np); // ω Σ μ_b w_{b,p} over the bins where p's link got clicked outcomes
  for (let i = 0; i < nc; i++) clickedTotal[data.clickedPost[i]!]! += data.clickedCount[i]!;

  const updateMu = (): void => {
    for (let b = 0; b < nb; b++) mu[b] = alpha[Math.floor(b / blockBins)]! * shape[slotOf(b)]! * dayEffect[dayOf(b)]! * data.baselineX[b]!;
  };
  updateMu(); // kept current from here on: recomputed after the baseline draws, scaled with the ridge steps

  for (let iter = 0; iter < o.niter; iter++) {
    caused.fill(0);
    causedClicked.fill(0);
    baseAlloc.fill(0);
    baseClicked.fill(0);
    // 1. clicked outcomes: their post or the baseline
    for (let i = 0; i < nc; i++) {
      const b = data.clickedBin[i]!, p = data.clickedPost[i]!, n = data.clickedCount[i]!;
      const g = kernel.clickedG[i]!;
      const rc = pi * beta[p]! * g, rb = omega * mu[b]! * data.clickedShare[i]!;
      const k = rc + rb > 0 ? rng.binomial(n, rc / (rc + rb)) : 0;
      caused[p]! += k;
      causedClicked[p]! += k;
      baseAlloc[b]! += n - k;
      baseClicked[b]! += n - k;
    }
    // 2. unclicked outcomes: each to the baseline or a post active in the bin, ∝ its rate (cumulative weights +
    //    binary search: O(active posts + outcomes · log active posts) per bin)
    for (let b = 0; b < nb; b++) {
      const n = data.unclicked[b]!;
      if (n === 0) continue;
      const lo = binOff[b]!, hi = binOff[b + 1]!;
      const K = hi - lo;
      if (K + 1 > cumBuf.length) cumBuf = new Float64Array(2 * (K + 1));
      let total = (1 - omega * data.clickBin[b]!) * mu[b]!; // index 0: the baseline
      cumBuf[0] = total;
      for (let e = lo; e < hi; e++) cumBuf[e - lo + 1] = total += (1 - pi) * beta[binPost[e]!]! * binG[e]!;
      let toBase = 0;
      for (let i = 0; i < n; i++) {
        const u = rng.uniform() * total;
        let l = 0, h = K; // first index with cum > u
        while (l < h) {
          const mid = (l + h) >> 1;
          if (cumBuf[mid]! > u) h = mid;
          else l = mid + 1;
        }
        if (l === 0) toBase++;
        else caused[binPost[lo + l - 1]!]!++;
      }
      baseAlloc[b]! += toBase;
    }
    // 3. post effects
    for (let p = 0; p < np; p++) {
      const a = data.postAuthor[p]!;
      beta[p] = s[a] ? rng.gamma(kappa + caused[p]!, kappa / (theta[a]! * phi[data.postFraming[p]!]!) + exposure[p]!) : 0;
    }
    // 4. author persuasion: log θ by random-walk Metropolis on its conditional
    //    p(θ | β) ∝ θ^(a₀ − 1) e^(−b₀θ) · Π_p Gamma(β_p; κ, κ/(θφ_p)) ∝ θ^(a₀ − 1 − κn) exp(−b₀θ − κS/θ), S = Σ β_p/φ_p;
    //    off authors draw θ from the prior. The pooled rate b₀ has a Gamma conditional.
    let thetaSum = 0, active = 0;
    for (let a = 0; a < na; a++) {
      const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
      if (s[a] && hi > lo) {
        let sb = 0;
        for (let e = lo; e < hi; e++) sb += beta[authorPosts.items[e]!]! / phi[data.postFraming[authorPosts.items[e]!]!]!;
        const n = hi - lo;
        const logf = (u: number) => (a0 - kappa * n) * u - b0 * Math.exp(u) - kappa * sb * Math.exp(-u);
        let u = Math.log(theta[a]!), fu = logf(u);
        const step = 2.4 / Math.sqrt(kappa * n + 1);
        for (let k = 0; k < 3; k++) {
          const v = u + step * rng.normal();
          const fv = logf(v);
          if (Math.log(rng.uniform() || Number.MIN_VALUE) < fv - fu) (u = v), (fu = fv);
        }
        theta[a] = Math.exp(u);
      }
    }
    //    the shape a₀ of θ's prior, from the accounts that are on (the off ones' θ is then redrawn from the prior: a
    //    blocked draw of (a₀, θ_off)), so the pool's spread is learned rather than fixed at an exponential's
    {
      let m = 0, sumLog = 0;
      for (let a = 0; a < na; a++) if (s[a] && authorPosts.off[a + 1]! > authorPosts.off[a]!) (m++, (sumLog += Math.log(theta[a]!)));
      a0 = drawGridShape(A0_GRID, m, sumLog, b0, rng);
      for (let a = 0; a < na; a++) {
        if (!(s[a] && authorPosts.off[a + 1]! > authorPosts.off[a]!)) theta[a] = rng.gamma(a0, b0);
        thetaSum += theta[a]!;
        active++;
      }
    }
    b0 = rng.gamma(1 + a0 * active, 1 + thetaSum);
    // 5. framing multipliers (reference fixed at 1)
    for (let f = 0; f < nf; f++) {
      if (f === data.referenceFraming) continue;
      let sb = 0, n = 0;
      for (let p = 0; p < np; p++) {
        if (data.postFraming[p] !== f || !s[data.postAuthor[p]!]) continue;
        sb += beta[p]! / theta[data.postAuthor[p]!]!;
        n++;
      }
      phi[f] = 1 / rng.gamma(1 + kappa * n, 1 + kappa * sb);
    }
    // 6. baseline levels, click probabilities
    let baseC = 0, baseU = 0, causedC = 0, causedU = 0;
    for (let k = 0; k < nBlocks; k++) {
      let count = 0, xs = 0;
      for (let b = k * blockBins; b < Math.min(nb, (k + 1) * blockBins); b++) {
        count += baseAlloc[b]!;
        xs += shape[slotOf(b)]! * dayEffect[dayOf(b)]! * data.baselineX[b]!;
      }
      alpha[k] = rng.gamma(1 + count, 1e-6 + xs);
    }
    dayCount.fill(0);
    dayExposure.fill(0);
    for (let b = 0; b < nb; b++) {
      dayCount[dayOf(b)]! += baseAlloc[b]!;
      dayExposure[dayOf(b)]! += alpha[Math.floor(b / blockBins)]! * shape[slotOf(b)]! * data.baselineX[b]!;
    }
    for (let d = 0; d < nDays; d++) dayEffect[d] = rng.gamma(nu + dayCount[d]!, nu + dayExposure[d]!);
    nu = drawNu(dayEffect, rng);
    slotCount.fill(0);
    slotExposure.fill(0);
    for (let b = 0; b < nb; b++) {
      slotCount[slotOf(b)]! += baseAlloc[b]!;
      slotExposure[slotOf(b)]! += alpha[Math.floor(b / blockBins)]! * dayEffect[dayOf(b)]! * data.baselineX[b]!;
    }
    for (let j = 1; j < blockBins; j++) shape[j] = slotExposure[j]! > 0 ? rng.gamma(1 + slotCount[j]!, 1 + slotExposure[j]!) : 1;
    let baseInClickBins = 0;
    for (let b = 0; b < nb; b++) {
      baseC += baseClicked[b]!;
      if (data.clickBin[b]) baseInClickBins += baseAlloc[b]!;
    }
    baseU = baseInClickBins - baseC;
    for (let p = 0; p < np; p++) {
      causedC += causedClicked[p]!;
      causedU += caused[p]! - causedClicked[p]!;
    }
    pi = rng.beta(1 + causedC, 1 + causedU);
    omega = rng.beta(1 + baseC, 1 + Math.max(0, baseU));
    // 7. does the author move outcomes at all? Metropolis flip of s_a with the author's effects proposed from the prior
    updateMu();
    sumBeta.fill(0);
    for (let p = 0; p < np; p++) {
      const bt = beta[p]!;
      if (bt === 0) continue;
      for (let e = postOff[p]!; e < postOff[p + 1]!; e++) sumBeta[postBin[e]!]! += bt * postG[e]!;
    }
    baseClickedExpected.fill(0);
    for (let i = 0; i < nc; i++) baseClickedExpected[data.clickedPost[i]!]! += omega * mu[data.clickedBin[i]!]! * data.clickedShare[i]!;
    let on = 0;
    for (let a = 0; a < na; a++) {
      const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
      if (hi === lo) continue;
      // Switching on proposes the author's effects from a two-part mixture: half the time each β_p from its
      // conditional given no caused outcomes, Gamma(κ, κ/(θφ) + E_p), else from Gamma(κ + ñ_p, κ/(θφ) + E_p) with
      // ñ_p = the post's clicked outcomes beyond what baseline buyers' clicks explain, over π. Switching off
      // proposes zeros; the ratio carries prior(β)/q(β) for the effects that appear or disappear. The first part keeps
      // the reverse move (off) open for an account whose links collect many baseline buyers' clicks: a proposal
      // informed by raw click counts alone would put no mass near its small current effects and never let it go.
      if (proposalBuf.length < hi - lo) proposalBuf = new Float64Array(2 * (hi - lo));
      const proposal = proposalBuf.subarray(0, hi - lo).fill(0);
      const informed = rng.uniform() < 0.5;
      let logPrior = 0, logQ0 = Math.log(0.5), logQ1 = Math.log(0.5);
      for (let e = lo; e < hi; e++) {
        const p = authorPosts.items[e]!;
        const r0 = kappa / (theta[a]! * phi[data.postFraming[p]!]!);
        const excess = Math.max(0, clickedTotal[p]! - baseClickedExpected[p]!) / Math.max(pi, 1e-3);
        const rate = r0 + exposure[p]!, shape1 = kappa + excess;
        const b = s[a] ? beta[p]! : (proposal[e - lo] = informed ? rng.gamma(shape1, rate) : rng.gamma(kappa, rate));
        logPrior += logGamma(b, kappa, r0);
        logQ0 += logGamma(b, kappa, rate);
        logQ1 += logGamma(b, shape1, rate);
      }
      const logPriorOverQ = logPrior - logAddExp(logQ0, logQ1);
      const logRatio = switchLogLik(data, kernel, clickedByPost, authorPosts.items.subarray(lo, hi), beta, proposal, mu, sumBeta, pi, omega, scratch);
      const prior = s[a] ? Math.log((1 - rho) / rho) - logPriorOverQ : Math.log(rho / (1 - rho)) + logPriorOverQ;
      if (Math.log(rng.uniform() || Number.MIN_VALUE) < logRatio + prior) {
        // accept: apply the new effects and keep sumBeta current
        for (let e = lo; e < hi; e++) {
          const p = authorPosts.items[e]!;
          const nbp = proposal[e - lo]!;
          const d = nbp - beta[p]!;
          for (let q = postOff[p]!; q < postOff[p + 1]!; q++) sumBeta[postBin[q]!]! += d * postG[q]!;
          beta[p] = nbp;
        }
        s[a] = s[a] ? 0 : 1;
      }
      on += s[a]!;
    }
    rho = rng.beta(1 + on, 1 + (countAuthorsWithPosts(authorPosts) - on));
    // 7b. day-effect precision with the day effects: ν moves to a neighbour on its grid and every log ε_d is scaled by
    //     √(ν/ν') (how far days stray from their week shrinks or grows with it), so ν is not stuck to the effects it
    //     was just drawn from. Symmetric proposal; Jacobian Π √(ν/ν') ε'/ε.
    let llNu: number | undefined; // the current state's log-likelihood, kept across the steps
    for (let rep = 0; rep < 3; rep++) {
      const gi = NU_GRID.indexOf(nu);
      const gj = gi + (rng.uniform() < 0.5 ? -1 : 1);
      if (gj < 0 || gj >= NU_GRID.length) continue;
      const nu2 = NU_GRID[gj]!, r = Math.sqrt(nu / nu2);
      let logRatio = 0;
      for (let d = 0; d < nDays; d++) {
        const e1 = dayEffect[d]!, e2 = Math.exp(r * Math.log(e1));
        dayNew[d] = e2;
        logRatio += nu2 * Math.log(nu2) - lnGammaFn(nu2) + (nu2 - 1) * Math.log(e2) - nu2 * e2;
        logRatio -= nu * Math.log(nu) - lnGammaFn(nu) + (nu - 1) * Math.log(e1) - nu * e1;
        logRatio += Math.log(r) + Math.log(e2 / e1);
      }
      for (let b = 0; b < nb; b++) muNew[b] = (mu[b]! * dayNew[dayOf(b)]!) / dayEffect[dayOf(b)]!;
      llNu ??= ridgeLogLik(data, kernel, beta, sumBeta, mu, pi, omega, 1);
      const ll2 = ridgeLogLik(data, kernel, beta, sumBeta, muNew, pi, omega, 1);
      if (Math.log(rng.uniform() || Number.MIN_VALUE) < ll2 - llNu + logRatio) {
        llNu = ll2;
        nu = nu2;
        mu.set(muNew);
        dayEffect.set(dayNew);
      }
    }
    // 8. the ridge: scale every effect by e^δ, π by e^−δ (clicked caused outcomes unchanged), the baseline levels so
    //    that the unclicked total stays put, and with the effects their prior scale (every θ × e^δ, the pooled rate
    //    b₀ × e^−δ), so that the thousands of effect priors do not pin the move. The allocation-based updates cross
    //    this direction only very slowly when posts are dense. Metropolis on the observed-data likelihood; the effect
    //    and θ priors cancel their Jacobian terms, leaving −2δ, b₀'s Gamma(1, 1) prior and (blocks − 1)·log c.
    {
      // mu and sumBeta are current: step 7 computed them after the last change of α, shape and day effects
      let S = 0, M = 0;
      for (let p = 0; p < np; p++) S += beta[p]! * exposure[p]!;
      for (let b = 0; b < nb; b++) M += mu[b]!;
      let ll: number | undefined; // the current state's log-likelihood, kept across the steps
      for (let rep = 0; rep < 6 && S > 0; rep++) {
        const delta = ridgeStep * rng.normal();
        const e = Math.exp(delta);
        const pi2 = pi / e;
        const c = 1 - ((e - 1) * S) / ((1 - omega) * M);
        if (!(pi2 > 0 && pi2 < 1 && c > 0)) continue;
        ll ??= ridgeLogLik(data, kernel, beta, sumBeta, mu, pi, omega, 1);
        for (let b = 0; b < nb; b++) muNew[b] = c * mu[b]!;
        const ll2 = ridgeLogLik(data, kernel, beta, sumBeta, muNew, pi2, omega, e);
        const logRest = -2 * delta - b0 * (1 / e - 1) + (nBlocks - 1) * Math.log(c);
        const accept = Math.log(rng.uniform() || Number.MIN_VALUE) < ll2 - ll + logRest;
        if (iter < o.burn) ridgeStep = adaptStep(ridgeStep, accept);
        if (accept) {
          for (let p = 0; p < np; p++) beta[p]! *= e;
          for (let b = 0; b < nb; b++) {
            sumBeta[b]! *= e;
            mu[b]! *= c;
          }
          for (let k = 0; k < nBlocks; k++) alpha[k]! *= c;
          for (let a = 0; a < na; a++) theta[a]! *= e;
          b0 /= e;
          pi = pi2;
          S *= e;
          ll = ll2;
          M *= c;
        }
      }
    }

    // 9. the framing ridge: the reference framing's effects × e^δ with every θ × e^δ, every other φ × e^−δ and b₀ × e^−δ
    //    leaves every other post's θφ and every prior but φ's and b₀'s in place, so only the data decide how the
    //    reference posts' effects compare with the rest. Metropolis on the observed-data likelihood.
    {
      refSum.fill(0);
      for (let p = 0; p < np; p++) {
        if (data.postFraming[p] !== data.referenceFraming || beta[p] === 0) continue;
        for (let e = postOff[p]!; e < postOff[p + 1]!; e++) refSum[postBin[e]!]! += beta[p]! * postG[e]!;
      }
      let ll: number | undefined;
      for (let rep = 0; rep < 4; rep++) {
        const delta = scaleStep * rng.normal();
        const e = Math.exp(delta);
        for (let b = 0; b < nb; b++) sumBetaNew[b] = sumBeta[b]! + (e - 1) * refSum[b]!;
        ll ??= ridgeLogLik(data, kernel, beta, sumBeta, mu, pi, omega, 1);
        const ll2 = ridgeLogLik(data, kernel, beta, sumBetaNew, mu, pi, omega, 1, e);
        let logRest = -delta - b0 * (1 / e - 1);
        for (let f = 0; f < nf; f++) if (f !== data.referenceFraming) logRest += delta - (e - 1) / phi[f]!;
        const accept = Math.log(rng.uniform() || Number.MIN_VALUE) < ll2 - ll + logRest;
        if (iter < o.burn) scaleStep = adaptStep(scaleStep, accept);
        if (!accept) continue;
        for (let p = 0; p < np; p++) if (data.postFraming[p] === data.referenceFraming) beta[p]! *= e;
        sumBeta.set(sumBetaNew);
        for (let b = 0; b < nb; b++) refSum[b]! *= e;
        for (let a = 0; a < na; a++) theta[a]! *= e;
        for (let f = 0; f < nf; f++) if (f !== data.referenceFraming) phi[f]! /= e;
        b0 /= e;
        ll = ll2;
      }
    }

    if (iter >= o.burn) {
      const k = iter - o.burn;
      const kk = (k % thin === 0) ? k / thin : -1; // slot of the thinned per-post and per-account draws, or none
      if (kk >= 0) for (let p = 0; p < np; p++) betaDraws[kk * np + p] = beta[p]!;
      let causedTotal = 0;
      for (let p = 0; p < np; p++) causedTotal += caused[p]!;
      for (let a = 0; a < na; a++) {
        sDraws[a]! += s[a]!;
        if (kk < 0) continue;
        const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
        let sb = 0;
        for (let e = lo; e < hi; e++) sb += beta[authorPosts.items[e]!]!;
        authorDraws[kk * na + a] = hi > lo ? sb / (hi - lo) : 0;
      }
      for (let f = 0; f < nf; f++) phiDraws[k * nf + f] = phi[f]!;
      shareDraws[k] = totalOutcomes > 0 ? causedTotal / totalOutcomes : 0;
      piDraws[k] = pi;
      omegaDraws[k] = omega;
    }
  }

  const q = (1 - o.level) / 2;
  const column = (draws: Float32Array | Float64Array, stride: number, j: number, n = kept): Interval => summarise(columnOf(draws, stride, j, n), q);
  return {
    level: o.level,
    kept,
    posts: Array.from({ length: np }, (_, p) => column(betaDraws, np, p, stored)),
    authors: Array.from({ length: na }, (_, a) => ({
      ...column(authorDraws, na, a, stored),
      prob_positive: sDraws[a]! / kept,
      posts: authorPosts.off[a + 1]! - authorPosts.off[a]!,
    })),
    framing: data.framings.map((name, f) => ({ framing: name, posts: framingCount[f]!, ...column(phiDraws, nf, f) })),
    share_caused: summarise(shareDraws, q),
    click_given_caused: summarise(piDraws, q),
    click_given_baseline: summarise(omegaDraws, q),
    diagnostics: diagnose(data, kept, stored, shareDraws, piDraws, omegaDraws, phiDraws, authorDraws, authorPosts),
  };
}

/** Draws k = 0..n−1 of quantity j from a row-major draws array (one row of `stride` quantities per kept draw). */
function columnOf(draws: Float32Array | Float64Array, stride: number, j: number, n: number): Float64Array {
  const xs = new Float64Array(n);
  for (let k = 0; k < n; k++) xs[k] = draws[k * stride + j]!;
  return xs;
}

/** Robbins–Monro style tuning toward ~40% acceptance: grow the step after an acceptance, shrink it after a rejection. */
function adaptStep(step: number, accepted: boolean): number {
  return Math.min(2, Math.max(1e-4, step * (accepted ? 1.03 : 0.98)));
}

/** Per-post and per-account draws kept for the summaries, at most (the chain is thinned to fit). */
const MAX_STORED = 500;

/** R̂ above this, or an ESS below the other, marks a quantity as not converged. */
const RHAT_LIMIT = 1.05, ESS_LIMIT = 100;

/** Convergence diagnostics of the kept draws (one chain: split-R̂ and ESS). */
function diagnose(
  data: InfluenceData,
  kept: number,
  stored: number,
  share: Float64Array,
  pi: Float64Array,
  omega: Float64Array,
  phi: Float32Array,
  authorDraws: Float32Array,
  authorPosts: { off: Int32Array },
): InfluenceDiagnostics {
  const check = (xs: ArrayLike<number>, maxLag = Infinity): ChainCheck => ({ rhat: splitRhat(xs), ess: effectiveSampleSize(xs, maxLag) });
  const column = (draws: Float32Array, stride: number, j: number, n = kept): Float64Array => columnOf(draws, stride, j, n);
  const nf = data.framings.length, na = data.nAuthors;
  const framing = data.framings
    .map((name, f) => ({ framing: name, ...check(column(phi, nf, f)) }))
    .filter((_, f) => f !== data.referenceFraming);
  let maxRhat = 1, minEss = stored, unconverged = 0, checked = 0;
  for (let a = 0; a < na; a++) {
    if (authorPosts.off[a + 1] === authorPosts.off[a]) continue;
    const c = check(column(authorDraws, na, a, stored), 100);
    checked++;
    const rhat = Number.isNaN(c.rhat) ? 1 : c.rhat;
    if (rhat > maxRhat) maxRhat = rhat;
    if (c.ess < minEss) minEss = c.ess;
    if (rhat > RHAT_LIMIT || c.ess < ESS_LIMIT) unconverged++;
  }
  const out: InfluenceDiagnostics = {
    share_caused: check(share),
    click_given_caused: check(pi),
    click_given_baseline: check(omega),
    framing,
    authors: { max_rhat: maxRhat, min_ess: minEss, unconverged, checked },
    warnings: [],
  };
  const globals: [string, ChainCheck][] = [
    ['share caused', out.share_caused],
    ['P(click | caused)', out.click_given_caused],
    ['P(click | baseline)', out.click_given_baseline],
    ...framing.map((f): [string, ChainCheck] => [`framing ${f.framing}`, f]),
  ];
  for (const [name, c] of globals) {
    if (c.rhat > RHAT_LIMIT || c.ess < ESS_LIMIT) out.warnings.push(`${name}: R-hat ${c.rhat.toFixed(3)}, ESS ${Math.round(c.ess)} (want R-hat ≤ ${RHAT_LIMIT} and ESS ≥ ${ESS_LIMIT}); run more iterations`);
  }
  if (unconverged > 0.05 * checked) out.warnings.push(`${unconverged} of ${checked} accounts have R-hat > ${RHAT_LIMIT} or ESS < ${ESS_LIMIT}; run more iterations`);
  return out;
}

const A0_GRID = [0.5, 0.75, 1, 1.5, 2, 3, 4, 6];

/** Draws the shape of a Gamma(shape, rate) prior from m values with Σ log x = sumLog, on a grid (uniform prior). */
function drawGridShape(grid: readonly number[], m: number, sumLog: number, rate: number, rng: Rng): number {
  return drawFromGrid(grid, grid.map((a) => (m === 0 ? 0 : m * (a * Math.log(rate) - lnGammaFn(a)) + a * sumLog)), rng);
}

const NU_GRID = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

/** Draws the day-effect precision ν from its conditional on a grid (uniform prior over the grid). */
function drawNu(eps: Float64Array, rng: Rng): number {
  let sumLog = 0, sum = 0;
  for (const e of eps) {
    sumLog += Math.log(e);
    sum += e;
  }
  const n = eps.length;
  return drawFromGrid(NU_GRID, NU_GRID.map((v) => n * (v * Math.log(v) - lnGammaFn(v)) + (v - 1) * sumLog - v * sum), rng);
}

/** Draws a grid point with probability ∝ exp(logp) (one uniform). */
function drawFromGrid(grid: readonly number[], logp: number[], rng: Rng): number {
  const top = Math.max(...logp);
  const w = logp.map((l) => Math.exp(l - top));
  let u = rng.uniform() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) if ((u -= w[i]!) <= 0) return grid[i]!;
  return grid[grid.length - 1]!;
}

/**
 * Observed-data log-likelihood (up to a constant) with every effect scaled by `e` (the reference framing's by
 * `e · refScale`; `sumBeta` must already carry that) and baseline rates `mu`: unclicked
 * counts n log((1 − π) e Σβg + (1 − ω·click bin) μ), clicked counts n log(π e β g + ω μ w), minus the total rate.
 */
function ridgeLogLik(data: InfluenceData, k: Kernel, beta: Float64Array, sumBeta: Float64Array, mu: Float64Array, pi: number, omega: number, e: number, refScale = 1): number {
  let ll = 0;
  for (let b = 0; b < data.nBins; b++) {
    const sb = e * sumBeta[b]!, m = mu[b]!;
    ll -= sb + m;
    const n = data.unclicked[b]!;
    if (n > 0) ll += n * Math.log((1 - pi) * sb + (1 - omega * data.clickBin[b]!) * m);
  }
  for (let i = 0; i < data.clickedBin.length; i++) {
    const b = data.clickedBin[i]!, p = data.clickedPost[i]!;
    const scale = data.postFraming[p] === data.referenceFraming ? e * refScale : e;
    ll += data.clickedCount[i]! * Math.log(pi * scale * beta[p]! * k.clickedG[i]! + omega * mu[b]! * data.clickedShare[i]!);
  }
  return ll;
}

/** log(e^x + e^y) without overflow. */
function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/** Log density of Gamma(shape, rate) at x > 0. */
function logGamma(x: number, shape: number, rate: number): number {
  return shape * Math.log(rate) - lnGammaFn(shape) + (shape - 1) * Math.log(x) - rate * x;
}

/** ln Γ(z) for z > 0 (Lanczos, g = 7). */
function lnGammaFn(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGammaFn(1 - z);
  z -= 1;
  let x = c[0]!;
  for (let i = 1; i < 9; i++) x += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Mean and central (1 − 2q) interval of draws (type-7 quantiles). */
export function summarise(xs: Float64Array, q: number): Interval {
  const sorted = Float64Array.from(xs).sort();
  let m = 0;
  for (const x of sorted) m += x;
  return { mean: m / Math.max(1, sorted.length), lower: quantile(sorted, q), upper: quantile(sorted, 1 - q) };
}

function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

interface Kernel {
  postOff: Int32Array;
  postBin: Int32Array;
  postG: Float64Array;
  binOff: Int32Array;
  binPost: Int32Array;
  binG: Float64Array;
  /** ∫ g over the observed bins (< 1 for posts near the end of the data). */
  exposure: Float64Array;
  /** g_{b,p} of every clicked entry (bin, post), aligned with data.clickedBin. */
  clickedG: Float64Array;
}

/** Kernel mass of each post in each bin it reaches, in CSR by post and by bin. */
function buildKernel(data: InfluenceData, meanMs: number, horizonMs: number): Kernel {
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
  const kernel = { postOff, postBin, postG, binOff, binPost, binG, exposure, clickedG: new Float64Array(0) };
  kernel.clickedG = Float64Array.from(data.clickedBin, (b, i) => gAt(kernel, data.clickedPost[i]!, b));
  return kernel;
}

/** Kernel mass of post p in bin b (0 when out of reach). */
function gAt(k: Kernel, p: number, b: number): number {
  for (let e = k.postOff[p]!; e < k.postOff[p + 1]!; e++) if (k.postBin[e] === b) return k.postG[e]!;
  return 0;
}

function csrBy(keys: Int32Array, n: number): { off: Int32Array; items: Int32Array } {
  const off = new Int32Array(n + 1);
  for (const k of keys) off[k + 1]!++;
  for (let i = 0; i < n; i++) off[i + 1]! += off[i]!;
  const cursor = off.slice(0, n);
  const items = new Int32Array(keys.length);
  keys.forEach((k, i) => (items[cursor[k]!++] = i));
  return { off, items };
}

function countAuthorsWithPosts(c: { off: Int32Array }): number {
  let n = 0;
  for (let a = 0; a + 1 < c.off.length; a++) if (c.off[a + 1]! > c.off[a]!) n++;
  return n;
}

/**
 * Log-likelihood ratio of the observed counts when the author's post effects change from `beta` (their current
 * values) to `proposal` (all zero when the author is on, drawn from the prior when off), everything else fixed.
 */
function switchLogLik(
  data: InfluenceData,
  k: Kernel,
  clickedByPost: { off: Int32Array; items: Int32Array },
  posts: Int32Array,
  beta: Float64Array,
  proposal: Float64Array,
  mu: Float64Array,
  sumBeta: Float64Array,
  pi: number,
  omega: number,
  scratch: { delta: Float64Array; touched: Int32Array; mark: Uint8Array },
): number {
  let ll = 0;
  // −(total rate) changes by −Σ (new − old) · exposure; delta[b] = change of Σ β g in bin b
  const { delta, touched, mark } = scratch;
  let nt = 0;
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i]!;
    const d = proposal[i]! - beta[p]!;
    if (d === 0) continue;
    ll -= d * k.exposure[p]!;
    for (let e = k.postOff[p]!; e < k.postOff[p + 1]!; e++) {
      const b = k.postBin[e]!;
      if (!mark[b]) {
        mark[b] = 1;
        touched[nt++] = b;
      }
      delta[b]! += d * k.postG[e]!;
    }
  }
  // unclicked counts: n log((1 − ωc) μ + (1 − π) Σβg)
  for (let j = 0; j < nt; j++) {
    const b = touched[j]!;
    const d = delta[b]!;
    delta[b] = 0;
    mark[b] = 0;
    const n = data.unclicked[b]!;
    if (n === 0) continue;
    const base = (1 - omega * data.clickBin[b]!) * mu[b]!;
    ll += n * Math.log1p(((1 - pi) * d) / (base + (1 - pi) * sumBeta[b]!));
  }
  // clicked counts on the author's posts: n log(π β g + ω μ w)
  for (let j = 0; j < posts.length; j++) {
    const p = posts[j]!;
    for (let e = clickedByPost.off[p]!; e < clickedByPost.off[p + 1]!; e++) {
      const i = clickedByPost.items[e]!;
      const b = data.clickedBin[i]!, n = data.clickedCount[i]!;
      const g = k.clickedG[i]!;
      const rb = omega * mu[b]! * data.clickedShare[i]!;
      ll += n * (Math.log(pi * proposal[j]! * g + rb) - Math.log(pi * beta[p]! * g + rb));
    }
  }
  return ll;
}
