/**
 * Spike-and-slab regression step of the Gibbs sampler (George & McCulloch 1997; BOOM `BregVsSampler`, used by
 * bsts for `bma.method = "SSVS"`). Given the residual e = y − state over the observed points:
 *  1. every inclusion indicator γ_j (in random order; `max_flips` of them) by a Metropolis flip on
 *     p(γ | e) ∝ p(γ) |Ω⁻¹_γ|^½ |V⁻¹_γ|^−½ SS_γ^−(ν+n)/2, with β and σ² integrated out
 *     (V⁻¹_γ = XᵀX_γ + Ω⁻¹_γ, SS_γ = ss + eᵀe − eᵀX_γ V_γ X_γᵀe);
 *  2. σ² from its inverse-gamma conditional given γ, truncated at the upper limit;
 *  3. β_γ ~ N(V_γ X_γᵀe, σ² V_γ); excluded coefficients are 0.
 * XᵀX over the observed points never changes, so only Xᵀe and eᵀe are recomputed per iteration.
 */
import type { Rng } from '../../domain/index.js';
import type { RegressionSpec } from './model.js';
import { choleskyInPlace, solveLower, solveLowerTransposed } from '../stats/linalg.js';
import { drawVariance } from './variance.js';

/** The spike-and-slab sampler's state (γ, β, σ²) and its preallocated work space. */
export class SpikeSlabSampler {
  readonly spec: RegressionSpec;
  /** Inclusion indicators, coefficients (0 when excluded) and residual variance. */
  readonly gamma: Uint8Array;
  readonly beta: Float64Array;
  sigma2: number;
  private readonly logPi: Float64Array;
  private readonly log1mPi: Float64Array;
  private readonly sel: Int32Array;
  private readonly order: Int32Array;
  private readonly A: Float64Array;
  private readonly B: Float64Array;
  private readonly z: Float64Array;
  private q = 0;
  private ss = 0;

  constructor(spec: RegressionSpec) {
    this.spec = spec;
    const p = spec.p;
    this.gamma = new Uint8Array(p);
    this.beta = new Float64Array(p);
    this.logPi = new Float64Array(p);
    this.log1mPi = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const pi = spec.pi[j]!;
      this.gamma[j] = pi >= 1 ? 1 : 0; // bsts starts with only the forced-in coefficients
      this.logPi[j] = Math.log(pi);
      this.log1mPi[j] = Math.log(1 - pi);
    }
    this.sigma2 = spec.sigma.initial;
    this.sel = new Int32Array(p);
    this.order = new Int32Array(p);
    this.A = new Float64Array(p * p);
    this.B = new Float64Array(p * p);
    this.z = new Float64Array(p);
  }

  /**
   * log p(γ | e) up to a constant, for the current indicators. Leaves the Cholesky factor of V⁻¹_γ in A, the
   * selected columns in sel[0..q), L⁻¹X_γᵀe in z and SS_γ in ss.
   */
  logModelProb(xty: Float64Array, yty: number, nObs: number): number {
    const { spec, gamma, sel, A, B, z } = this;
    const p = spec.p;
    let lp = 0;
    let q = 0;
    for (let j = 0; j < p; j++) {
      if (gamma[j]) {
        lp += this.logPi[j]!;
        sel[q++] = j;
      } else {
        lp += this.log1mPi[j]!;
      }
    }
    this.q = q;
    const DF = spec.sigma.df + nObs;
    if (lp === -Infinity) return lp;
    if (q === 0) {
      this.ss = spec.sigma.ss + yty;
      return lp - 0.5 * DF * Math.log(this.ss);
    }
    for (let a = 0; a < q; a++) {
      const ja = sel[a]!;
      for (let b = 0; b < q; b++) {
        const jb = sel[b]!;
        const om = spec.omegaInv[ja * p + jb]!;
        B[a * q + b] = om;
        A[a * q + b] = om + spec.xtxObserved[ja * p + jb]!;
      }
      z[a] = xty[ja]!;
    }
    if (!choleskyInPlace(B, q) || !choleskyInPlace(A, q)) return -Infinity;
    let logdet = 0;
    for (let a = 0; a < q; a++) logdet += Math.log(B[a * q + a]!) - Math.log(A[a * q + a]!);
    // z ← L⁻¹ X_γᵀe
    solveLower(A, q, z);
    let zz = 0;
    for (let a = 0; a < q; a++) zz += z[a]! * z[a]!;
    this.ss = Math.max(spec.sigma.ss + yty - zz, 1e-12 * (spec.sigma.ss + yty));
    return lp + logdet - 0.5 * DF * Math.log(this.ss);
  }

  /** One full update of (γ, σ², β) given Xᵀe, eᵀe and the number of observed points. */
  draw(rng: Rng, xty: Float64Array, yty: number, nObs: number): void {
    const { spec, gamma, order } = this;
    const p = spec.p;
    for (let j = 0; j < p; j++) order[j] = j;
    for (let i = p - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let logp = this.logModelProb(xty, yty, nObs);
    const flips = Math.min(spec.maxFlips, p);
    for (let i = 0; i < flips; i++) {
      const j = order[i]!;
      const pi = spec.pi[j]!;
      if (pi <= 0 || pi >= 1) continue; // forced out / in: a flip is always rejected
      gamma[j] = 1 - gamma[j]!;
      const next = this.logModelProb(xty, yty, nObs);
      if (Math.log(rng.uniform()) > next - logp) gamma[j] = 1 - gamma[j]!;
      else logp = next;
    }
    this.logModelProb(xty, yty, nObs);
    const q = this.q;
    this.sigma2 = drawVariance(rng, spec.sigma, nObs, this.ss - spec.sigma.ss);
    this.beta.fill(0);
    if (q === 0) return;
    // β_γ = L⁻ᵀ (z + σ ε)
    const { A, z, sel } = this;
    const sigma = Math.sqrt(this.sigma2);
    for (let a = 0; a < q; a++) z[a] = z[a]! + sigma * rng.normal();
    solveLowerTransposed(A, q, z);
    for (let a = 0; a < q; a++) this.beta[sel[a]!] = z[a]!;
  }
}
