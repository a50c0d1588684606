/**
 * Nearest-neighbour matching on the linear propensity score logit e(x) (Rosenbaum & Rubin 1985; Austin 2011 for the
 * caliper; Abadie & Imbens 2006 for the estimator and its variance).
 *
 * Matches. Each focal unit (the treated for the ATT; every unit for the ATE, which matches both ways) takes the K
 * (`ratio`) nearest units of the other group on logit e. The caliper, when set, is `caliper` × the s.d. of logit e
 * over all units: no match farther than that is taken, so a focal unit can get fewer than K matches or none (it is
 * then dropped, which changes the estimand to the effect on the matched units). Ties are broken deterministically:
 * candidates are ordered by (distance, logit e, row number) — at equal distance the one with the lower score, then
 * the lower row. Without replacement (ATT only; the ATE always matches with replacement), matching is greedy in
 * rounds like MatchIt's: in round r every focal unit still in play, taken by decreasing logit e (ties: lower row
 * first), takes its nearest still-unused control; a unit that finds none within the caliper stops. The search is by
 * sorting and walking outward from each focal unit's place (binary search; skip pointers with path compression
 * step over used controls), O(n log n) overall.
 *
 * Estimate: τ̂ = mean over matched focal units of Ŷ(1) − Ŷ(0), a unit's own outcome standing for its observed arm
 * and the mean of its matches for the other. Bias correction (Abadie & Imbens 2011; on by default in compareGroups,
 * `bias_adjust`): a match j of unit i stands in with Y_j + μ̂(X_i) − μ̂(X_j), μ̂ the outcome model of j's arm (linear
 * or Poisson, fitted on that whole arm), which removes what is left of the covariate gap inside each matched set —
 * needed without replacement, where controls run short where the treated are dense and matches drift to lower
 * scores. It is the regression adjustment in the matched sample that MatchIt's documentation recommends, done per
 * match. The variance formulas below are unchanged by it (Abadie & Imbens 2011, §3).
 *
 * Variance. With replacement: Abadie & Imbens (2006, Theorem 7) generalised to a varying number of matches M_j.
 * Write K_i = Σ_{j matched to i} 1/M_j and K2_i = Σ_{j matched to i} 1/M_j², a_i = 1 when i is a matched focal
 * unit. Then V̂ = (1/N²)[Σ_focal (Ŷ_j(1) − Ŷ_j(0) − τ̂)² + Σ_i (K_i² + 2 a_i K_i − K2_i) σ̂²_i], N the matched
 * focal units, which reduces to AI's ATT form (K(K − 1)/M² for controls) and ATE form ((K/M)² + (2M − 1)K/M²)
 * when every M_j = M. σ̂²_i, the conditional variance of Y at unit i's score in its own arm, is estimated by
 * matching within the arm: J = 2 nearest others on logit e, σ̂² = J/(J + 1) · (Y_i − mean of the J)². The
 * correction for an estimated score (Abadie & Imbens 2016) is not applied; the simulations (bench/compare-calibration)
 * check coverage. The bootstrap is not used: it is not valid for matching with replacement (Abadie & Imbens 2008).
 * Without replacement (ATT): the matched-sets variance of Austin & Small (2014), as MatchIt's documentation
 * recommends (pair membership as the cluster): d_s = Y_t − mean of its matches, V̂ = Σ (d_s − τ̂)² / (S (S − 1)).
 */
import { CloutError } from '../../domain/index.js';
import type { Estimand } from './types.js';

/** How to match. */
export interface MatchSpec {
  estimand: Estimand;
  /** Matches per focal unit (K). */
  ratio: number;
  /** With replacement (a control may serve several treated units). The ATE always matches with replacement. */
  replace: boolean;
  /** Caliper in s.d. units of logit e; null = none. */
  caliper: number | null;
}

/** The matches of every unit (compressed rows: unit i's matches are list[start[i]] … list[start[i + 1] − 1]). */
export interface Matches {
  start: Int32Array;
  list: Int32Array;
  /** Focal units that got no match within the caliper, per group. */
  unmatchedTreated: number;
  unmatchedControl: number;
  /** The caliper in logit units, or null. */
  caliperWidth: number | null;
  /** Whether matching ran with replacement (forced for the ATE). */
  replace: boolean;
}

/** Matches focal units to their nearest units of the other group on the linear score `lp`. */
export function matchNearest(lp: Float64Array, treatment: Uint8Array, spec: MatchSpec): Matches {
  const n = lp.length;
  const treated: number[] = [], control: number[] = [];
  for (let i = 0; i < n; i++) (treatment[i] ? treated : control).push(i);
  const caliperWidth = spec.caliper === null ? null : spec.caliper * sd(lp);
  const maxDist = caliperWidth ?? Infinity;
  const replace = spec.estimand === 'ate' ? true : spec.replace;
  const perUnit: Int32Array[] = new Array<Int32Array>(n);
  const empty = new Int32Array(0);
  for (let i = 0; i < n; i++) perUnit[i] = empty;
  const tIdx = Int32Array.from(treated), cIdx = Int32Array.from(control);
  let unmatchedTreated = 0, unmatchedControl = 0;
  if (replace) {
    const donorsC = new Donors(lp, cIdx);
    const buf = new Int32Array(spec.ratio);
    for (const i of treated) {
      const k = donorsC.nearest(lp[i]!, spec.ratio, maxDist, buf, false);
      if (k === 0) unmatchedTreated++;
      else perUnit[i] = buf.slice(0, k);
    }
    if (spec.estimand === 'ate') {
      const donorsT = new Donors(lp, tIdx);
      for (const i of control) {
        const k = donorsT.nearest(lp[i]!, spec.ratio, maxDist, buf, false);
        if (k === 0) unmatchedControl++;
        else perUnit[i] = buf.slice(0, k);
      }
    }
  } else {
    const donors = new Donors(lp, cIdx);
    const order = treated.slice().sort((a, b) => lp[b]! - lp[a]! || a - b);
    const got: number[][] = order.map(() => []);
    const active = new Uint8Array(order.length).fill(1);
    const one = new Int32Array(1);
    for (let round = 0; round < spec.ratio; round++) {
      for (let r = 0; r < order.length; r++) {
        if (!active[r]) continue;
        const k = donors.nearest(lp[order[r]!]!, 1, maxDist, one, true);
        if (k === 0) active[r] = 0;
        else got[r]!.push(one[0]!);
      }
    }
    for (let r = 0; r < order.length; r++) {
      if (got[r]!.length === 0) unmatchedTreated++;
      else perUnit[order[r]!] = Int32Array.from(got[r]!);
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + perUnit[i]!.length;
  const list = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) list.set(perUnit[i]!, start[i]!);
  return { start, list, unmatchedTreated, unmatchedControl, caliperWidth, replace };
}

/** A matched estimate with its variance. */
export interface MatchEstimate {
  estimate: number;
  se: number;
  /** 'abadie-imbens' (with replacement) or 'matched-sets' (without). */
  variance: string;
  /** Matched focal units, distinct units used, and the match weights (a_i + K_i) of every unit for balance. */
  nFocal: number;
  nUsed: number;
  weights: Float64Array;
}

/**
 * The matching estimate of the ATT or ATE and its variance (Abadie–Imbens with replacement, matched sets without);
 * with `adjust` (predictions of an outcome model per arm for every unit), bias-corrected (Abadie & Imbens 2011).
 */
export function matchingEstimate(m: Matches, lp: Float64Array, treatment: Uint8Array, y: Float64Array, adjust?: { mu0: Float64Array; mu1: Float64Array | null }): MatchEstimate {
  const n = lp.length;
  const K = new Float64Array(n), K2 = new Float64Array(n), a = new Float64Array(n);
  const diff = new Float64Array(n);
  let nFocal = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    const s = m.start[i]!, e = m.start[i + 1]!;
    const M = e - s;
    if (M === 0) continue;
    let mean = 0;
    const fit = adjust ? (treatment[i] ? adjust.mu0 : adjust.mu1) : null;
    for (let r = s; r < e; r++) {
      const j = m.list[r]!;
      mean += fit ? y[j]! + fit[i]! - fit[j]! : y[j]!;
      K[j] += 1 / M;
      K2[j] += 1 / (M * M);
    }
    mean /= M;
    a[i] = 1;
    diff[i] = treatment[i] ? y[i]! - mean : mean - y[i]!;
    sum += diff[i]!;
    nFocal++;
  }
  if (nFocal === 0) throw new CloutError('input', 'compare: no unit found a match within the caliper; widen the caliper or drop it');
  const tau = sum / nFocal;
  let ss = 0;
  for (let i = 0; i < n; i++) if (a[i]) ss += (diff[i]! - tau) ** 2;
  const weights = new Float64Array(n);
  let nUsed = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = a[i]! + K[i]!;
    if (weights[i]! > 0) nUsed++;
  }
  if (!m.replace) {
    const se = nFocal > 1 ? Math.sqrt(ss / (nFocal * (nFocal - 1))) : NaN;
    return { estimate: tau, se, variance: 'matched-sets', nFocal, nUsed, weights };
  }
  const coef = new Float64Array(n);
  let need = false;
  for (let i = 0; i < n; i++) {
    coef[i] = K[i]! * K[i]! + 2 * a[i]! * K[i]! - K2[i]!;
    if (coef[i] !== 0) need = true;
  }
  let extra = 0;
  if (need) {
    const sigma2 = conditionalVariance(lp, treatment, y, coef, 2);
    for (let i = 0; i < n; i++) if (coef[i] !== 0) extra += coef[i]! * sigma2[i]!;
  }
  const v = (ss + extra) / (nFocal * nFocal);
  return { estimate: tau, se: Math.sqrt(Math.max(0, v)), variance: 'abadie-imbens', nFocal, nUsed, weights };
}

/**
 * σ̂²_i = J/(J + 1) · (Y_i − mean of its J nearest same-arm neighbours on logit e)², for the units with `need[i]`
 * non-zero (Abadie & Imbens 2006, §4.2).
 */
export function conditionalVariance(lp: Float64Array, treatment: Uint8Array, y: Float64Array, need: Float64Array, J: number): Float64Array {
  const n = lp.length;
  const out = new Float64Array(n);
  for (const arm of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (treatment[i] === arm) members.push(i);
    if (members.length < 2) continue;
    const donors = new Donors(lp, Int32Array.from(members));
    const jj = Math.min(J, members.length - 1);
    const buf = new Int32Array(jj + 1);
    for (const i of members) {
      if (need[i] === 0) continue;
      const k = donors.nearest(lp[i]!, jj + 1, Infinity, buf, false);
      let mean = 0, used = 0;
      for (let r = 0; r < k && used < jj; r++) {
        if (buf[r] === i) continue;
        mean += y[buf[r]!]!;
        used++;
      }
      mean /= used;
      out[i] = (jj / (jj + 1)) * (y[i]! - mean) ** 2;
    }
  }
  return out;
}

/**
 * One group's units sorted by score for outward search: `up` ordered by (score, row) for walking right, `down` by
 * (score, −row) for walking left, so each side yields candidates by (distance, row); skip pointers step over
 * used units.
 */
class Donors {
  private readonly m: number;
  private readonly up: Int32Array;
  private readonly upScore: Float64Array;
  private readonly down: Int32Array;
  private readonly downScore: Float64Array;
  private readonly posUp: Int32Array;
  private readonly posDown: Int32Array;
  /** nextUp[p]: the first unused position ≥ p in `up` (m = none); prevDown[p + 1] − 1: the last unused ≤ p in `down`. */
  private readonly nextUp: Int32Array;
  private readonly prevDown: Int32Array;

  constructor(lp: Float64Array, units: Int32Array) {
    const m = (this.m = units.length);
    this.up = Int32Array.from(units).sort((a, b) => lp[a]! - lp[b]! || a - b);
    this.upScore = Float64Array.from(this.up, (i) => lp[i]!);
    // `down` is `up` with each run of equal scores reversed (rows descending within a tie).
    this.down = this.up.slice();
    for (let a = 0; a < m; ) {
      let b = a + 1;
      while (b < m && this.upScore[b] === this.upScore[a]) b++;
      if (b - a > 1) this.down.subarray(a, b).reverse();
      a = b;
    }
    this.downScore = this.upScore;
    const n = lp.length;
    const posUp = new Int32Array(n), posDown = new Int32Array(n);
    for (let p = 0; p < m; p++) {
      posUp[this.up[p]!] = p;
      posDown[this.down[p]!] = p;
    }
    this.posUp = posUp;
    this.posDown = posDown;
    this.nextUp = new Int32Array(m + 1);
    for (let p = 0; p <= m; p++) this.nextUp[p] = p;
    this.prevDown = new Int32Array(m + 1);
    for (let p = 0; p <= m; p++) this.prevDown[p] = p;
  }

  /**
   * Writes into `out` up to k nearest (unused) units to score t within maxDist, nearest first, ties by lower score
   * then lower row; with `consume`, marks them used. Returns how many.
   */
  nearest(t: number, k: number, maxDist: number, out: Int32Array, consume: boolean): number {
    let right = this.findUp(lowerBound(this.upScore, t));
    // left: the last position in `down` with score < t
    let left = this.findDown(lowerBound(this.downScore, t) - 1);
    let got = 0;
    while (got < k) {
      const dl = left >= 0 ? t - this.downScore[left]! : Infinity;
      const dr = right < this.m ? this.upScore[right]! - t : Infinity;
      if (dl === Infinity && dr === Infinity) break;
      // At equal distance the left one (lower score) comes first.
      if (dl <= dr) {
        if (!(dl <= maxDist)) break;
        out[got++] = this.down[left]!;
        left = this.findDown(left - 1);
      } else {
        if (!(dr <= maxDist)) break;
        out[got++] = this.up[right]!;
        right = this.findUp(right + 1);
      }
    }
    if (consume) for (let r = 0; r < got; r++) this.use(out[r]!);
    return got;
  }

  private use(unit: number): void {
    const pu = this.posUp[unit]!;
    this.nextUp[pu] = pu + 1;
    const pd = this.posDown[unit]!;
    this.prevDown[pd + 1] = pd;
  }

  /** The first unused position ≥ p (m when none), with path compression. */
  private findUp(p: number): number {
    let root = p;
    while (this.nextUp[root] !== root) root = this.nextUp[root]!;
    while (this.nextUp[p] !== root) {
      const next = this.nextUp[p]!;
      this.nextUp[p] = root;
      p = next;
    }
    return root;
  }

  /** The last unused position ≤ p (−1 when none), with path compression (prevDown is shifted by one). */
  private findDown(p: number): number {
    let root = p + 1;
    while (this.prevDown[root] !== root) root = this.prevDown[root]!;
    let q = p + 1;
    while (this.prevDown[q] !== root) {
      const next = this.prevDown[q]!;
      this.prevDown[q] = root;
      q = next;
    }
    return root - 1;
  }
}

/** The first index whose value is ≥ t in an ascending array. */
function lowerBound(a: Float64Array, t: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sd(x: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - mean) ** 2;
  return Math.sqrt(ss / Math.max(1, x.length - 1));
}
