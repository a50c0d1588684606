/**
 * Inverse-probability weighting (Rosenbaum 1987; Hirano, Imbens & Ridder 2003), normalised within each arm (Hájek).
 * ATT: treated weight 1, control weight e/(1 − e); τ̂ = mean of treated Y − Σ_c w Y / Σ_c w. ATE: weights 1/e and
 * 1/(1 − e); τ̂ = Σ_t w Y / Σ_t w − Σ_c w Y / Σ_c w. Reported: the effective sample size (Σw)²/Σw² per arm (Kish)
 * and the largest weight's share of its arm's total. Trimming, only on request: units with e outside
 * [trim, 1 − trim] are dropped (Crump et al. 2009) and counted — the estimand becomes the effect on the rest.
 *
 * Variance: the sandwich of the stacked estimating equations (the logit score and the two weighted means; Lunceford
 * & Davidian 2004), so the uncertainty of the estimated score is included. Influence function of an arm mean μ with
 * weight w(e): ψ_i = (g_i + Gᵀ (H/n)⁻¹ s_i) / c, where g_i = 1{arm} w_i (Y_i − μ), s_i = (T_i − e_i) z_i the logit
 * score, H the logit Hessian, G = (1/n) Σ ∂g_i/∂γ, c = (1/n) Σ 1{arm} w_i; τ̂'s influence is ψ_treated − ψ_control
 * and V̂ = Σ ψ_i² / n². With draws requested, the interval comes from the multiplier bootstrap over this ψ
 * (bootstrap.ts); without, it is the normal interval τ̂ ± z·√V̂.
 */
import type { LogitFit } from './propensity.js';
import type { Estimand } from './types.js';

/** The IPW estimate, its influence function and the weights. */
export interface IpwEstimate {
  estimate: number;
  se: number;
  /** Per-unit influence ψ_i (V̂ = Σ ψ² / n²). */
  psi: Float64Array;
  /** Unnormalised weights (0 for trimmed units). */
  weights: Float64Array;
  essTreated: number;
  essControl: number;
  /** Largest weight's share of its arm's total. */
  maxShareTreated: number;
  maxShareControl: number;
  trimmed: number;
  nUsed: number;
}

/** IPW (Hájek) estimate of the ATT or ATE with its sandwich influence function, given the fitted score. */
export function ipwEstimate(X: Float64Array, p: number, fit: LogitFit, e: Float64Array, treatment: Uint8Array, y: Float64Array, estimand: Estimand, trim: number | null): IpwEstimate {
  const n = e.length;
  const q = p + 1;
  const keep = new Uint8Array(n);
  const w = new Float64Array(n);
  let trimmed = 0;
  for (let i = 0; i < n; i++) {
    const ei = e[i]!;
    if (trim !== null && (ei < trim || ei > 1 - trim)) {
      trimmed++;
      continue;
    }
    keep[i] = 1;
    w[i] = treatment[i] ? (estimand === 'att' ? 1 : 1 / ei) : estimand === 'att' ? ei / (1 - ei) : 1 / (1 - ei);
  }
  let sw1 = 0, sw0 = 0, swy1 = 0, swy0 = 0, sq1 = 0, sq0 = 0, max1 = 0, max0 = 0, nUsed = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    nUsed++;
    const wi = w[i]!;
    if (treatment[i]) {
      sw1 += wi;
      swy1 += wi * y[i]!;
      sq1 += wi * wi;
      if (wi > max1) max1 = wi;
    } else {
      sw0 += wi;
      swy0 += wi * y[i]!;
      sq0 += wi * wi;
      if (wi > max0) max0 = wi;
    }
  }
  const mu1 = swy1 / sw1, mu0 = swy0 / sw0;
  // G vectors: derivative of each arm's estimating function in the standardised logit coefficients.
  const G1 = new Float64Array(q), G0 = new Float64Array(q);
  const z = new Float64Array(q);
  const zrow = (i: number): void => {
    z[0] = 1;
    for (let j = 0; j < p; j++) z[1 + j] = (X[i * p + j]! - fit.center[j]!) / fit.scale[j]!;
  };
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const ei = e[i]!;
    let d1 = 0, d0 = 0;
    if (treatment[i]) {
      if (estimand === 'ate') d1 = (y[i]! - mu1) * -((1 - ei) / ei); // ∂(1/e)/∂γ = −(1 − e)/e · z
    } else {
      d0 = (y[i]! - mu0) * (ei / (1 - ei)); // ∂(e/(1−e))/∂γ and ∂(1/(1−e))/∂γ are both e/(1−e) · z
    }
    if (d1 === 0 && d0 === 0) continue;
    zrow(i);
    for (let a = 0; a < q; a++) {
      G1[a] += d1 * z[a]!;
      G0[a] += d0 * z[a]!;
    }
  }
  // v = n (H/n)⁻¹ G / n = covStd · G  (G as a sum here), so Gᵀ(H/n)⁻¹ s_i = (T_i − e_i) v·z_i with G averaged.
  const v1 = new Float64Array(q), v0 = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      v1[a] += fit.covStd[a * q + b]! * G1[b]!;
      v0[a] += fit.covStd[a * q + b]! * G0[b]!;
    }
  }
  const c1 = sw1 / n, c0 = sw0 / n;
  const psi = new Float64Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    zrow(i);
    let dot1 = 0, dot0 = 0;
    for (let a = 0; a < q; a++) {
      dot1 += v1[a]! * z[a]!;
      dot0 += v0[a]! * z[a]!;
    }
    const s = treatment[i]! - e[i]!;
    let g1 = 0, g0 = 0;
    if (keep[i]) {
      if (treatment[i]) g1 = w[i]! * (y[i]! - mu1);
      else g0 = w[i]! * (y[i]! - mu0);
    }
    const val = (g1 + s * dot1) / c1 - (g0 + s * dot0) / c0;
    psi[i] = val;
    ss += val * val;
  }
  return {
    estimate: mu1 - mu0,
    se: Math.sqrt(ss) / n,
    psi,
    weights: w,
    essTreated: (sw1 * sw1) / sq1,
    essControl: (sw0 * sw0) / sq0,
    maxShareTreated: max1 / sw1,
    maxShareControl: max0 / sw0,
    trimmed,
    nUsed,
  };
}
