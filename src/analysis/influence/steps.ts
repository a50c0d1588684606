/**
 * The steps of one outcome-influence Gibbs sweep, one function each, over the explicit chain state of ./sampler.ts:
 * data augmentation (allocate every count to its sources), the conjugate draws of every rate (Gamma, Beta; log θ by
 * Metropolis), the Metropolis flip of each author's on/off switch, and the Metropolis moves along the ridges the
 * allocation updates cross too slowly (day-effect precision, "caused without a click vs baseline", reference framing).
 * Each step reads and writes only the state; the order of calls (./sampler.ts) fixes the random stream.
 */
import type { Rng } from '../../domain/index.js';
import { gammaLogDensity, lnGamma } from '../stats/gamma.js';
import { A0_GRID, NU_GRID, drawGridShape, drawNu, drawShareConcentration } from './grid-draws.js';
import { entryBaseRate, logAddExp, ridgeLogLik, switchLogLik } from './likelihoods.js';
import type { ChainSetup, ChainState } from './chain.js';

/** log u for a uniform draw u (never −∞). */
function logUniform(rng: Rng): number {
  return Math.log(rng.uniform() || Number.MIN_VALUE);
}

/** Robbins–Monro style tuning toward ~40% acceptance: grow the step after an acceptance, shrink it after a rejection. */
function adaptStep(step: number, accepted: boolean): number {
  return Math.min(2, Math.max(1e-4, step * (accepted ? 1.03 : 0.98)));
}

/**
 * Step 1: each tied count to its candidate posts or the baseline (binomial ∝ π_k Σ β g vs ω_k μ w; an account's
 * count then split over its posts in reach ∝ β g by sequential binomials).
 */
export function allocateClicked(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, kernel, nc, entryKind, entryAccount, learned } = c;
  const { tiedOff, tiedPost, tiedG } = kernel;
  const { beta, mu, caused, causedClicked, baseAlloc, baseClicked, q, causedTiedKind, baseTiedKind, baseTiedAccount } = st;
  for (let i = 0; i < nc; i++) {
    const b = data.clickedBin[i]!, n = data.clickedCount[i]!, kind = entryKind[i]!;
    const lo = tiedOff[i]!, hi = tiedOff[i + 1]!;
    let restRate = 0;
    for (let e = lo; e < hi; e++) restRate += beta[tiedPost[e]!]! * tiedG[e]!;
    const rc = q[kind]! * restRate, rb = entryBaseRate(c, st, mu, i);
    const k = rc + rb > 0 ? rng.binomial(n, rc / (rc + rb)) : 0;
    // the caused ones to the candidates: sequential binomials (none needed for a single candidate)
    let left = k;
    for (let e = lo; e < hi && left > 0; e++) {
      const p = tiedPost[e]!, r = beta[p]! * tiedG[e]!;
      const m = e === hi - 1 ? left : rng.binomial(left, Math.min(1, r / restRate));
      restRate -= r;
      caused[p]! += m;
      causedClicked[p]! += m;
      left -= m;
    }
    causedTiedKind[kind]! += k;
    baseTiedKind[kind]! += n - k;
    if (learned[kind]) baseTiedAccount[kind]![entryAccount[i]!]! += n - k;
    baseAlloc[b]! += n - k;
    baseClicked[b]! += n - k;
  }
}

/**
 * Step 2: each untied outcome to the baseline or a post active in its bin, ∝ its rate (cumulative weights +
 * binary search: O(active posts + outcomes · log active posts) per bin).
 */
export function allocateUnclicked(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, nb } = c;
  const { binOff, binPost, binG } = c.kernel;
  const { beta, mu, caused, baseAlloc, untiedPost, untiedBase } = st;
  for (let b = 0; b < nb; b++) {
    const n = data.unclicked[b]!;
    if (n === 0) continue;
    const lo = binOff[b]!, hi = binOff[b + 1]!;
    const K = hi - lo;
    if (K + 1 > st.cumBuf.length) st.cumBuf = new Float64Array(2 * (K + 1));
    const cumBuf = st.cumBuf;
    let total = untiedBase[b]! * mu[b]!; // index 0: the baseline
    cumBuf[0] = total;
    for (let e = lo; e < hi; e++) cumBuf[e - lo + 1] = total += untiedPost[binPost[e]!]! * beta[binPost[e]!]! * binG[e]!;
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
}

/** Step 3: each post effect β_p from its Gamma conditional (0 when its author is off). */
export function drawPostEffects(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, np, kappa } = c;
  const { exposure } = c.kernel;
  const { beta, s, theta, phi, caused } = st;
  for (let p = 0; p < np; p++) {
    const a = data.postAuthor[p]!;
    beta[p] = s[a] ? rng.gamma(kappa + caused[p]!, kappa / (theta[a]! * phi[data.postFraming[p]!]!) + exposure[p]!) : 0;
  }
}

/**
 * Step 4: author persuasion. log θ by random-walk Metropolis on its conditional
 * p(θ | β) ∝ θ^(a₀ − 1) e^(−b₀θ) · Π_p Gamma(β_p; κ, κ/(θφ_p)) ∝ θ^(a₀ − 1 − κn) exp(−b₀θ − κS/θ), S = Σ β_p/φ_p;
 * then the shape a₀ of θ's prior from the accounts that are on (the off ones' θ is then redrawn from the prior: a
 * blocked draw of (a₀, θ_off)), so the pool's spread is learned rather than fixed at an exponential's; then the pooled
 * rate b₀ from its Gamma conditional.
 */
export function drawAuthorPersuasion(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, na, kappa, authorPosts } = c;
  const { beta, s, theta, phi } = st;
  let thetaSum = 0, active = 0;
  for (let a = 0; a < na; a++) {
    const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
    if (s[a] && hi > lo) {
      let sb = 0;
      for (let e = lo; e < hi; e++) sb += beta[authorPosts.items[e]!]! / phi[data.postFraming[authorPosts.items[e]!]!]!;
      const n = hi - lo;
      const a0 = st.a0, b0 = st.b0;
      const logf = (u: number) => (a0 - kappa * n) * u - b0 * Math.exp(u) - kappa * sb * Math.exp(-u);
      let u = Math.log(theta[a]!), fu = logf(u);
      const step = 2.4 / Math.sqrt(kappa * n + 1);
      for (let k = 0; k < 3; k++) {
        const v = u + step * rng.normal();
        const fv = logf(v);
        if (logUniform(rng) < fv - fu) (u = v), (fu = fv);
      }
      theta[a] = Math.exp(u);
    }
  }
  let m = 0, sumLog = 0;
  for (let a = 0; a < na; a++) if (s[a] && authorPosts.off[a + 1]! > authorPosts.off[a]!) (m++, (sumLog += Math.log(theta[a]!)));
  st.a0 = drawGridShape(A0_GRID, m, sumLog, st.b0, rng);
  for (let a = 0; a < na; a++) {
    if (!(s[a] && authorPosts.off[a + 1]! > authorPosts.off[a]!)) theta[a] = rng.gamma(st.a0, st.b0);
    thetaSum += theta[a]!;
    active++;
  }
  st.b0 = rng.gamma(1 + st.a0 * active, 1 + thetaSum);
}

/** Step 5: framing multipliers φ_f from their inverse-Gamma conditionals (the reference fixed at 1). */
export function drawFramingMultipliers(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, np, nf, kappa } = c;
  const { beta, s, theta, phi } = st;
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
}

/** Step 6: the baseline — weekly levels α, day effects ε and their precision ν, the hour-of-week shape — from the baseline allocations. */
export function drawBaseline(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, nb, nBlocks, nDays, blockBins, slotOf, dayOf } = c;
  const { alpha, shape, dayEffect, baseAlloc, dayCount, dayExposure, slotCount, slotExposure } = st;
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
  for (let d = 0; d < nDays; d++) dayEffect[d] = rng.gamma(st.nu + dayCount[d]!, st.nu + dayExposure[d]!);
  st.nu = drawNu(dayEffect, rng);
  slotCount.fill(0);
  slotExposure.fill(0);
  for (let b = 0; b < nb; b++) {
    slotCount[slotOf(b)]! += baseAlloc[b]!;
    slotExposure[slotOf(b)]! += alpha[Math.floor(b / blockBins)]! * dayEffect[dayOf(b)]! * data.baselineX[b]!;
  }
  for (let j = 1; j < blockBins; j++) shape[j] = slotExposure[j]! > 0 ? rng.gamma(1 + slotCount[j]!, 1 + slotExposure[j]!) : 1;
}

/**
 * Step 6 (end): the tie probabilities π_k (caused) and ω_k (baseline, where kind k is possible) from their Dirichlet
 * conditionals (one kind: Beta), and the learned kinds' shares per account with their concentration α (on a grid,
 * the shares integrated out; then the shares from Dirichlet(α + n_a), n_a = the account's baseline ties).
 * A post (bin) that can carry only some kinds says nothing about how often the others would have been carried: its
 * untied outcomes are split between "untied" and the kinds it cannot carry ∝ their rates (data augmentation), so
 * the conditionals stay conjugate; with one kind no split is needed.
 */
export function drawClickProbabilities(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { nb, np, nk, postMask, binMask, learned, eligibleAccount } = c;
  const { baseAlloc, baseClicked, caused, causedClicked, causedTiedKind, baseTiedKind } = st;
  const full = (1 << nk) - 1;
  const causedUntied = new Float64Array(1 << nk), baseUntied = new Float64Array(1 << nk);
  for (let b = 0; b < nb; b++) baseUntied[binMask[b]!]! += baseAlloc[b]! - baseClicked[b]!;
  for (let p = 0; p < np; p++) causedUntied[postMask[p]!]! += caused[p]! - causedClicked[p]!;
  if (nk === 1) {
    st.q[0] = rng.beta(1 + causedTiedKind[0]!, 1 + causedUntied[full]!);
    st.w[0] = rng.beta(1 + baseTiedKind[0]!, 1 + Math.max(0, baseUntied[full]!));
  } else {
    st.q.set(drawTieRates(nk, causedTiedKind, causedUntied, st.q, rng));
    st.w.set(drawTieRates(nk, baseTiedKind, baseUntied, st.w, rng));
  }
  for (let k = 0; k < nk; k++) {
    if (!learned[k]) continue;
    const share = st.share[k]!, n = st.baseTiedAccount[k]!, e = eligibleAccount[k]!;
    const counts: number[] = [];
    for (let a = 0; a < share.length; a++) if (e[a]) counts.push(n[a]!);
    const conc = (st.shareConc[k] = drawShareConcentration(counts, rng));
    let sum = 0;
    for (let a = 0; a < share.length; a++) sum += share[a] = e[a] ? rng.gamma(conc + n[a]!, 1) : 0;
    for (let a = 0; a < share.length; a++) share[a]! /= sum;
  }
}

/**
 * One draw of (r_1..r_K, 1 − Σ r) ~ Dirichlet(1 + tied_k + intents_k, 1 + untied), where the untied outcomes of each
 * kind mask are split into genuinely untied and the kinds the mask lacks, ∝ the current rates.
 */
function drawTieRates(nk: number, tied: Float64Array, untiedByMask: Float64Array, rates: Float64Array, rng: Rng): Float64Array {
  const full = (1 << nk) - 1;
  const counts = Float64Array.from(tied);
  let untied = Math.max(0, untiedByMask[full]!);
  for (let m = 1; m < full; m++) {
    let left = Math.max(0, Math.round(untiedByMask[m]!));
    if (left === 0) continue;
    // categories: the kinds m lacks, then untied; weights r_k and 1 − Σ r
    let rest = 1;
    for (let k = 0; k < nk; k++) if (m & (1 << k)) rest -= rates[k]!;
    for (let k = 0; k < nk && left > 0; k++) {
      if (m & (1 << k)) continue;
      const x = rng.binomial(left, Math.min(1, rates[k]! / rest));
      counts[k]! += x;
      left -= x;
      rest -= rates[k]!;
    }
    untied += left;
  }
  const g = new Float64Array(nk + 1);
  let sum = 0;
  for (let k = 0; k < nk; k++) sum += g[k] = rng.gamma(1 + counts[k]!, 1);
  sum += g[nk] = rng.gamma(1 + untied, 1);
  return g.subarray(0, nk).map((x) => x / sum);
}

/** Σ_k π_k over the tie kinds of each kind mask (a post's P(some tie | caused by it)). */
function tieRateByMask(nk: number, q: Float64Array): Float64Array {
  const byMask = new Float64Array(1 << nk);
  for (let m = 0; m < 1 << nk; m++) for (let k = 0; k < nk; k++) if (m & (1 << k)) byMask[m]! += q[k]!;
  return byMask;
}

/** Σ_p β_p g_b(p) and Σ_p π_p β_p g_b(p) of every bin under `kernel`, into `sumBeta` and `sumTied`. */
function sumEffects(c: ChainSetup, kernel: ChainSetup['kernel'], beta: Float64Array, qMask: Float64Array, sumBeta: Float64Array, sumTied: Float64Array): void {
  const { postOff, postBin, postG } = kernel;
  sumBeta.fill(0);
  sumTied.fill(0);
  for (let p = 0; p < c.np; p++) {
    const bt = beta[p]!;
    if (bt === 0) continue;
    const qp = qMask[c.postMask[p]!]!;
    for (let e = postOff[p]!; e < postOff[p + 1]!; e++) {
      sumBeta[postBin[e]!]! += bt * postG[e]!;
      sumTied[postBin[e]!]! += qp * bt * postG[e]!;
    }
  }
}

/**
 * Step 7: does the author move outcomes at all? A Metropolis flip of each s_a with the author's effects proposed
 * from the prior (informed half the time), then ρ from its Beta conditional. Expects μ current; leaves sumBeta current.
 */
export function flipAuthors(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { data, kernel, np, na, nc, kappa, authorPosts, clickedTotal, postMask, nk } = c;
  const { postOff, postBin, postG, exposure, tiedOff, tiedPost, tiedG, clickedG } = kernel;
  const { beta, s, theta, phi, mu, sumBeta, sumTied, baseClickedExpected, scratch, q } = st;
  const { rho } = st;
  const qMask = tieRateByMask(nk, q);
  sumEffects(c, kernel, beta, qMask, sumBeta, sumTied);
  baseClickedExpected.fill(0);
  for (let i = 0; i < nc; i++) {
    const rb = entryBaseRate(c, st, mu, i), lo = tiedOff[i]!, hi = tiedOff[i + 1]!;
    if (hi - lo === 1) baseClickedExpected[tiedPost[lo]!]! += rb;
    else for (let e = lo; e < hi; e++) baseClickedExpected[tiedPost[e]!]! += (rb * tiedG[e]!) / clickedG[i]!;
  }
  let on = 0;
  for (let a = 0; a < na; a++) {
    const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
    if (hi === lo) continue;
    // Switching on proposes the author's effects from a two-part mixture: half the time each β_p from its
    // conditional given no caused outcomes, Gamma(κ, κ/(θφ) + E_p), else from Gamma(κ + ñ_p, κ/(θφ) + E_p) with
    // ñ_p = the post's tied outcomes beyond what baseline buyers' ties explain, over π_p (Σ π_k of its kinds).
    // Switching off proposes zeros; the ratio carries prior(β)/q(β) for the effects that appear or disappear. The
    // first part keeps the reverse move (off) open for an account whose links collect many baseline buyers' clicks:
    // a proposal informed by raw click counts alone would put no mass near its small current effects and never let it go.
    if (st.proposalBuf.length < hi - lo) st.proposalBuf = new Float64Array(2 * (hi - lo));
    const proposal = st.proposalBuf.subarray(0, hi - lo).fill(0);
    const informed = rng.uniform() < 0.5;
    let logPrior = 0, logQ0 = Math.log(0.5), logQ1 = Math.log(0.5);
    for (let e = lo; e < hi; e++) {
      const p = authorPosts.items[e]!;
      const r0 = kappa / (theta[a]! * phi[data.postFraming[p]!]!);
      const excess = Math.max(0, clickedTotal[p]! - baseClickedExpected[p]!) / Math.max(qMask[postMask[p]!]!, 1e-3);
      const rate = r0 + exposure[p]!, shape1 = kappa + excess;
      const b = s[a] ? beta[p]! : (proposal[e - lo] = informed ? rng.gamma(shape1, rate) : rng.gamma(kappa, rate));
      logPrior += gammaLogDensity(b, kappa, r0);
      logQ0 += gammaLogDensity(b, kappa, rate);
      logQ1 += gammaLogDensity(b, shape1, rate);
    }
    const logPriorOverQ = logPrior - logAddExp(logQ0, logQ1);
    const logRatio = switchLogLik(c, a, beta, proposal, mu, sumBeta, sumTied, st, scratch);
    const prior = s[a] ? Math.log((1 - rho) / rho) - logPriorOverQ : Math.log(rho / (1 - rho)) + logPriorOverQ;
    if (logUniform(rng) < logRatio + prior) {
      // accept: apply the new effects and keep sumBeta and sumTied current
      for (let e = lo; e < hi; e++) {
        const p = authorPosts.items[e]!;
        const nbp = proposal[e - lo]!;
        const d = nbp - beta[p]!, qp = qMask[postMask[p]!]!;
        for (let j = postOff[p]!; j < postOff[p + 1]!; j++) {
          sumBeta[postBin[j]!]! += d * postG[j]!;
          sumTied[postBin[j]!]! += qp * d * postG[j]!;
        }
        beta[p] = nbp;
      }
      s[a] = s[a] ? 0 : 1;
    }
    on += s[a]!;
  }
  st.rho = rng.beta(1 + on, 1 + (c.authorsWithPosts - on));
}

/**
 * Step 7a: the kernel mean τ. Propose a neighbour on the grid of kernel means (prebuilt kernels), with every effect,
 * the baseline and the click rates in place; accept by the observed-data likelihood (uniform prior over the grid).
 * Tied (clicked) outcomes carry most of the information: their bins sit at the kernel's delay from their post.
 * Expects μ and sumBeta current; leaves sumBeta current for the new kernel.
 */
export function moveKernel(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { nb, nk } = c;
  const { beta, sumBeta, sumBetaNew, sumTied, sumTiedNew, mu, q } = st;
  const j = st.kernelIx + (rng.uniform() < 0.5 ? -1 : 1);
  if (j < 0 || j >= c.kernelGrid.length) return;
  const k2 = c.kernelAt(j);
  sumEffects(c, k2, beta, tieRateByMask(nk, q), sumBetaNew, sumTiedNew);
  const ll = ridgeLogLik(c, beta, sumBeta, sumTied, mu, st, 1);
  const ll2 = ridgeLogLik({ ...c, kernel: k2 }, beta, sumBetaNew, sumTiedNew, mu, st, 1);
  if (logUniform(rng) < ll2 - ll) {
    st.kernelIx = j;
    c.kernel = k2;
    for (let b = 0; b < nb; b++) (sumBeta[b] = sumBetaNew[b]!), (sumTied[b] = sumTiedNew[b]!);
  }
}

/**
 * Step 7b: day-effect precision with the day effects. ν moves to a neighbour on its grid and every log ε_d is scaled
 * by √(ν/ν') (how far days stray from their week shrinks or grows with it), so ν is not stuck to the effects it was
 * just drawn from. Symmetric proposal; Jacobian Π √(ν/ν') ε'/ε.
 */
export function moveDayPrecision(c: ChainSetup, st: ChainState, rng: Rng): void {
  const { nb, nDays, dayOf } = c;
  const { beta, sumBeta, mu, muNew, dayEffect, dayNew } = st;
  let llNu: number | undefined; // the current state's log-likelihood, kept across the steps
  for (let rep = 0; rep < 3; rep++) {
    const nu = st.nu;
    const gi = NU_GRID.indexOf(nu);
    const gj = gi + (rng.uniform() < 0.5 ? -1 : 1);
    if (gj < 0 || gj >= NU_GRID.length) continue;
    const nu2 = NU_GRID[gj]!, r = Math.sqrt(nu / nu2);
    let logRatio = 0;
    for (let d = 0; d < nDays; d++) {
      const e1 = dayEffect[d]!, e2 = Math.exp(r * Math.log(e1));
      dayNew[d] = e2;
      logRatio += nu2 * Math.log(nu2) - lnGamma(nu2) + (nu2 - 1) * Math.log(e2) - nu2 * e2;
      logRatio -= nu * Math.log(nu) - lnGamma(nu) + (nu - 1) * Math.log(e1) - nu * e1;
      logRatio += Math.log(r) + Math.log(e2 / e1);
    }
    for (let b = 0; b < nb; b++) muNew[b] = (mu[b]! * dayNew[dayOf(b)]!) / dayEffect[dayOf(b)]!;
    llNu ??= ridgeLogLik(c, beta, sumBeta, st.sumTied, mu, st, 1);
    const ll2 = ridgeLogLik(c, beta, sumBeta, st.sumTied, muNew, st, 1);
    if (logUniform(rng) < ll2 - llNu + logRatio) {
      llNu = ll2;
      st.nu = nu2;
      mu.set(muNew);
      dayEffect.set(dayNew);
    }
  }
}

/**
 * Step 8: the ridge. Scale every effect by e^δ, every π_k by e^−δ (tied caused outcomes unchanged), the baseline
 * levels so that the untied total stays put, and with the effects their prior scale (every θ × e^δ, the pooled rate b₀ ×
 * e^−δ), so that the thousands of effect priors do not pin the move. The allocation-based updates cross this
 * direction only very slowly when posts are dense. Metropolis on the observed-data likelihood; the effect and θ
 * priors cancel their Jacobian terms, leaving −(kinds + 1)δ (the π_k and b₀), b₀'s Gamma(1, 1) prior and
 * (blocks − 1)·log c. Expects μ, sumBeta and sumTied current (step 7 computed them after the last change of α, shape
 * and day effects); sumTied = Σ π_p β g does not move.
 */
export function moveRidge(c: ChainSetup, st: ChainState, rng: Rng, tuning: boolean): void {
  const { kernel, nb, np, na, nBlocks, nk } = c;
  const { exposure } = kernel;
  const { beta, sumBeta, sumTied, mu, muNew, alpha, theta } = st;
  let S = 0, M = 0, Q = 0, W = 0;
  for (let k = 0; k < nk; k++) (Q += st.q[k]!), (W += st.w[k]!);
  const q2 = new Float64Array(nk);
  for (let p = 0; p < np; p++) S += beta[p]! * exposure[p]!;
  for (let b = 0; b < nb; b++) M += mu[b]!;
  let ll: number | undefined; // the current state's log-likelihood, kept across the steps
  for (let rep = 0; rep < 6 && S > 0; rep++) {
    const delta = st.ridgeStep * rng.normal();
    const e = Math.exp(delta);
    // with a given baseline μ stays put (cc = 1): still a valid Metropolis move of effects and π together
    const cc = c.fixedMu !== undefined ? 1 : 1 - ((e - 1) * S) / ((1 - W) * M);
    if (!(Q / e < 1 && cc > 0)) continue;
    for (let k = 0; k < nk; k++) q2[k] = st.q[k]! / e;
    ll ??= ridgeLogLik(c, beta, sumBeta, sumTied, mu, st, 1);
    for (let b = 0; b < nb; b++) muNew[b] = cc * mu[b]!;
    const ll2 = ridgeLogLik(c, beta, sumBeta, sumTied, muNew, { ...st, q: q2 }, e);
    const logRest = -(nk + 1) * delta - st.b0 * (1 / e - 1) + (nBlocks - 1) * Math.log(cc);
    const accept = logUniform(rng) < ll2 - ll + logRest;
    if (tuning) st.ridgeStep = adaptStep(st.ridgeStep, accept);
    if (accept) {
      for (let p = 0; p < np; p++) beta[p]! *= e;
      for (let b = 0; b < nb; b++) {
        sumBeta[b]! *= e;
        mu[b]! *= cc;
      }
      for (let k = 0; k < nBlocks; k++) alpha[k]! *= cc;
      for (let a = 0; a < na; a++) theta[a]! *= e;
      st.b0 /= e;
      st.q.set(q2);
      Q /= e;
      S *= e;
      ll = ll2;
      M *= cc;
    }
  }
}

/**
 * Step 9: the framing ridge. The reference framing's effects × e^δ with every θ × e^δ, every other φ × e^−δ and b₀ ×
 * e^−δ leaves every other post's θφ and every prior but φ's and b₀'s in place, so only the data decide how the
 * reference posts' effects compare with the rest. Metropolis on the observed-data likelihood.
 */
export function moveFramingRidge(c: ChainSetup, st: ChainState, rng: Rng, tuning: boolean): void {
  const { data, kernel, nb, np, na, nf, nk, postMask } = c;
  const { postOff, postBin, postG } = kernel;
  const { beta, sumBeta, sumBetaNew, sumTied, sumTiedNew, refSum, refTied, mu, theta, phi } = st;
  refSum.fill(0);
  refTied.fill(0);
  for (let p = 0; p < np; p++) {
    if (data.postFraming[p] !== data.referenceFraming || beta[p] === 0) continue;
    let qp = 0;
    for (let k = 0; k < nk; k++) if (postMask[p]! & (1 << k)) qp += st.q[k]!;
    for (let e = postOff[p]!; e < postOff[p + 1]!; e++) {
      refSum[postBin[e]!]! += beta[p]! * postG[e]!;
      refTied[postBin[e]!]! += qp * beta[p]! * postG[e]!;
    }
  }
  let ll: number | undefined;
  for (let rep = 0; rep < 4; rep++) {
    const delta = st.scaleStep * rng.normal();
    const e = Math.exp(delta);
    for (let b = 0; b < nb; b++) {
      sumBetaNew[b] = sumBeta[b]! + (e - 1) * refSum[b]!;
      sumTiedNew[b] = sumTied[b]! + (e - 1) * refTied[b]!;
    }
    ll ??= ridgeLogLik(c, beta, sumBeta, sumTied, mu, st, 1);
    const ll2 = ridgeLogLik(c, beta, sumBetaNew, sumTiedNew, mu, st, 1, e);
    let logRest = -delta - st.b0 * (1 / e - 1);
    for (let f = 0; f < nf; f++) if (f !== data.referenceFraming) logRest += delta - (e - 1) / phi[f]!;
    const accept = logUniform(rng) < ll2 - ll + logRest;
    if (tuning) st.scaleStep = adaptStep(st.scaleStep, accept);
    if (!accept) continue;
    for (let p = 0; p < np; p++) if (data.postFraming[p] === data.referenceFraming) beta[p]! *= e;
    sumBeta.set(sumBetaNew);
    sumTied.set(sumTiedNew);
    for (let b = 0; b < nb; b++) (refSum[b]! *= e), (refTied[b]! *= e);
    for (let a = 0; a < na; a++) theta[a]! *= e;
    for (let f = 0; f < nf; f++) if (f !== data.referenceFraming) phi[f]! /= e;
    st.b0 /= e;
    ll = ll2;
  }
}
