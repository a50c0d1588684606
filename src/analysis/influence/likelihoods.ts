/**
 * Observed-data log-likelihoods of the outcome-influence model, used by its Metropolis steps: the whole data under
 * scaled effects and baseline (the ridge moves, the day-effect precision move), and the change from switching one
 * author's effects (the on/off flip). Counts enter as Poisson with the rates of ./outcome-model.ts.
 */
import type { ChainSetup } from './chain.js';

/** The tie rates a likelihood reads: π_k, ω_k, the learned kinds' shares per account, 1 − Σ ω_k per bin. */
export interface TieRates {
  q: Float64Array;
  w: Float64Array;
  share: Float64Array[];
  untiedBase: Float64Array;
}

/** ω_k μ_b w of tied entry i: the rate at which baseline outcomes carry its tie (w given, or learned per account). */
export function entryBaseRate(c: ChainSetup, t: TieRates, mu: Float64Array, i: number): number {
  const k = c.entryKind[i]!;
  const w = c.learned[k] ? t.share[k]![c.entryAccount[i]!] ?? 0 : c.data.clickedShare[i]!;
  return t.w[k]! * mu[c.data.clickedBin[i]!]! * w;
}

/**
 * Observed-data log-likelihood (up to a constant) with every effect scaled by `e` (the reference framing's by
 * `e · refScale`; `sumBeta` and `sumTied` must already carry that) and baseline rates `mu`: untied counts
 * n log(e Σβg − Σ π_p β g + (1 − Σ ω_k over the bin's kinds) μ), tied counts n log(π_k e Σ_candidates β g + ω_k μ w),
 * minus the total rate. (π_p: the sum of π_k over the kinds post p can carry; `t.q` are the π_k of the state scored.)
 */
export function ridgeLogLik(c: ChainSetup, beta: Float64Array, sumBeta: Float64Array, sumTied: Float64Array, mu: Float64Array, t: TieRates, e: number, refScale = 1): number {
  const { data, kernel: k } = c;
  let ll = 0;
  for (let b = 0; b < data.nBins; b++) {
    const sb = e * sumBeta[b]!, m = mu[b]!;
    ll -= sb + m;
    const n = data.unclicked[b]!;
    if (n > 0) ll += n * Math.log(Math.max(0, sb - sumTied[b]!) + t.untiedBase[b]! * m);
  }
  for (let i = 0; i < data.clickedBin.length; i++) {
    let rc = 0;
    for (let j = k.tiedOff[i]!; j < k.tiedOff[i + 1]!; j++) {
      const p = k.tiedPost[j]!;
      rc += (data.postFraming[p] === data.referenceFraming ? e * refScale : e) * beta[p]! * k.tiedG[j]!;
    }
    ll += data.clickedCount[i]! * Math.log(t.q[c.entryKind[i]!]! * rc + entryBaseRate(c, t, mu, i));
  }
  return ll;
}

/** log(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/**
 * Log-likelihood ratio of the observed counts when author `a`'s post effects change from `beta` (their current
 * values) to `proposal` (all zero when the author is on, drawn from the prior when off; indexed as the author's
 * posts), everything else fixed. `sumBeta` and `sumTied` are current.
 */
export function switchLogLik(
  c: ChainSetup,
  a: number,
  beta: Float64Array,
  proposal: Float64Array,
  mu: Float64Array,
  sumBeta: Float64Array,
  sumTied: Float64Array,
  t: TieRates,
  scratch: { delta: Float64Array; deltaTied: Float64Array; touched: Int32Array; mark: Uint8Array },
): number {
  const { data, kernel: k, authorPosts, tiedByAuthor, authorPos, entryKind, postMask, nk } = c;
  let ll = 0;
  // −(total rate) changes by −Σ (new − old) · exposure; delta[b] = change of Σ β g in bin b, deltaTied[b] of Σ π_p β g
  const { delta, deltaTied, touched, mark } = scratch;
  let nt = 0;
  const lo = authorPosts.off[a]!, hi = authorPosts.off[a + 1]!;
  for (let i = lo; i < hi; i++) {
    const p = authorPosts.items[i]!;
    const d = proposal[i - lo]! - beta[p]!;
    if (d === 0) continue;
    let qp = 0;
    for (let kk = 0; kk < nk; kk++) if (postMask[p]! & (1 << kk)) qp += t.q[kk]!;
    ll -= d * k.exposure[p]!;
    for (let e = k.postOff[p]!; e < k.postOff[p + 1]!; e++) {
      const b = k.postBin[e]!;
      if (!mark[b]) {
        mark[b] = 1;
        touched[nt++] = b;
      }
      delta[b]! += d * k.postG[e]!;
      deltaTied[b]! += qp * d * k.postG[e]!;
    }
  }
  // untied counts: n log((1 − Σω) μ + Σ (1 − π_p) β g)
  for (let j = 0; j < nt; j++) {
    const b = touched[j]!;
    const d = delta[b]! - deltaTied[b]!;
    delta[b] = 0;
    deltaTied[b] = 0;
    mark[b] = 0;
    const n = data.unclicked[b]!;
    if (n === 0) continue;
    const base = t.untiedBase[b]! * mu[b]!;
    ll += n * Math.log1p(d / (base + Math.max(0, sumBeta[b]! - sumTied[b]!)));
  }
  // tied counts on the author's posts or account: n log(π_k Σ β g + ω_k μ w)
  for (let j = tiedByAuthor.off[a]!; j < tiedByAuthor.off[a + 1]!; j++) {
    const i = tiedByAuthor.items[j]!;
    const rb = entryBaseRate(c, t, mu, i);
    let g0 = 0, g1 = 0;
    for (let e = k.tiedOff[i]!; e < k.tiedOff[i + 1]!; e++) {
      const p = k.tiedPost[e]!;
      g0 += beta[p]! * k.tiedG[e]!;
      g1 += proposal[authorPos[p]!]! * k.tiedG[e]!;
    }
    const q = t.q[entryKind[i]!]!;
    ll += data.clickedCount[i]! * (Math.log(q * g1 + rb) - Math.log(q * g0 + rb));
  }
  return ll;
}
