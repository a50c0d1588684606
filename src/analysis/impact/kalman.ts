/**
 * Kalman filter and fast state smoother (de Jong 1989; Koopman 1993; Durbin & Koopman 2012 §4.4–4.6) for the
 * model of model.ts, exploiting its sparse transition: T is block-diagonal with a 1×1 or 2×2 trend block, the
 * seasonal "minus the sum, then shift" block and an identity for dynamic coefficients, so T·P·Tᵀ costs O(m·S)
 * instead of O(m³). The state covariances are never stored: the backward pass needs only v_t, F_t and K_t, and the
 * smoothed means come forward from the smoothed disturbances. All buffers are allocated once.
 */
import type { StateSpaceModel } from './model.js';

/** Filter and smoother over one model, with preallocated buffers (not reentrant). */
export class KalmanKernel {
  readonly model: StateSpaceModel;
  readonly n: number;
  readonly m: number;
  /** Variances of the state noises (model.noises order); set before each filter run. */
  readonly q: Float64Array;
  /** r_t at each noise index, per t (row-major n × noises): the smoothed disturbances are q_i · r_t[i]. */
  readonly rNoise: Float64Array;
  /** Last time index with an observation (−1 when none). */
  readonly lastObserved: number;
  private readonly P: Float64Array;
  private readonly a: Float64Array;
  private readonly pz: Float64Array;
  private readonly tmp: Float64Array;
  private readonly r: Float64Array;
  private readonly v: Float64Array;
  private readonly finv: Float64Array;
  private readonly K: Float64Array;
  private readonly noiseIndex: Int32Array;
  private readonly noiseSeasonal: Uint8Array;

  constructor(model: StateSpaceModel) {
    this.model = model;
    const { n, m } = model;
    this.n = n;
    this.m = m;
    const nq = model.noises.length;
    this.q = new Float64Array(nq);
    this.rNoise = new Float64Array(n * nq);
    this.P = new Float64Array(m * m);
    this.a = new Float64Array(m);
    this.pz = new Float64Array(m);
    this.tmp = new Float64Array(m);
    this.r = new Float64Array(m);
    this.v = new Float64Array(n);
    this.finv = new Float64Array(n);
    this.K = new Float64Array(n * m);
    this.noiseIndex = Int32Array.from(model.noises.map((s) => s.index));
    this.noiseSeasonal = Uint8Array.from(model.noises.map((s) => (s.seasonal ? 1 : 0)));
    let last = -1;
    for (let t = 0; t < n; t++) if (model.observed[t]) last = t;
    this.lastObserved = last;
  }

  /** x ← T_t x for the vector stored at x[off], x[off + stride], … (T_t: the transition from t to t + 1). */
  applyT(x: Float64Array, off: number, stride: number, change: number): void {
    const md = this.model;
    if (md.trendSize === 2) x[off] = x[off]! + x[off + stride]!;
    const S = md.seasons;
    if (S > 1 && change) {
      const base = off + md.seasonStart * stride;
      let sum = 0;
      for (let i = 0; i < S - 1; i++) sum += x[base + i * stride]!;
      for (let i = S - 2; i > 0; i--) x[base + i * stride] = x[base + (i - 1) * stride]!;
      x[base] = -sum;
    }
  }

  /** P ← T_t P T_tᵀ in place, block by block: O(m·S) instead of the O(m³) of a dense product (scratch: m values). */
  transformCovariance(change: number, P: Float64Array = this.P, scratch: Float64Array = this.pz): void {
    const { m } = this;
    const md = this.model;
    if (md.trendSize === 2) {
      for (let c = 0; c < m; c++) P[c] = P[c]! + P[m + c]!; // row 0 += row 1
      for (let r = 0; r < m; r++) P[r * m] = P[r * m]! + P[r * m + 1]!; // column 0 += column 1
    }
    const S = md.seasons;
    if (S <= 1 || !change) return;
    const s0 = md.seasonStart;
    const L = S - 1;
    // rows: new row s0 = −(sum of seasonal rows), rows shift down by one
    const sum = scratch; // free at this point of the step
    sum.fill(0);
    for (let i = 0; i < L; i++) {
      const base = (s0 + i) * m;
      for (let c = 0; c < m; c++) sum[c] = sum[c]! + P[base + c]!;
    }
    P.copyWithin((s0 + 1) * m, s0 * m, (s0 + L - 1) * m);
    for (let c = 0; c < m; c++) P[s0 * m + c] = -sum[c]!;
    // columns: the same within every row
    for (let r = 0; r < m; r++) {
      const row = r * m + s0;
      let t = 0;
      for (let i = 0; i < L; i++) t += P[row + i]!;
      for (let i = L - 1; i > 0; i--) P[row + i] = P[row + i - 1]!;
      P[row] = -t;
    }
  }

  /** x ← T_tᵀ x (in place). */
  applyTt(x: Float64Array, change: number): void {
    const md = this.model;
    if (md.trendSize === 2) x[1] = x[1]! + x[0]!;
    const S = md.seasons;
    if (S > 1 && change) {
      const s0 = md.seasonStart;
      const r0 = x[s0]!;
      for (let j = 0; j < S - 2; j++) x[s0 + j] = x[s0 + j + 1]! - r0;
      x[s0 + S - 2] = -r0;
    }
  }

  /** out = P Z_tᵀ for a symmetric P (row-major m × m), reading Z_t's sparse structure directly. */
  covZ(P: Float64Array, t: number, out: Float64Array): void {
    const md = this.model;
    const m = this.m;
    const S = md.seasons, s0 = md.seasonStart, k = md.dynK, d0 = md.dynStart;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      let s = P[row]!;
      if (S > 1) s += P[row + s0]!;
      for (let j = 0; j < k; j++) s += md.xDyn[t * k + j]! * P[row + d0 + j]!;
      out[i] = s;
    }
  }

  /** Z_t · x. */
  zDot(x: Float64Array, t: number): number {
    const md = this.model;
    let s = x[0]!;
    if (md.seasons > 1) s += x[md.seasonStart]!;
    const k = md.dynK;
    if (k > 0) {
      const d0 = md.dynStart;
      const row = t * k;
      for (let j = 0; j < k; j++) s += md.xDyn[row + j]! * x[d0 + j]!;
    }
    return s;
  }

  /**
   * Filters y (NaN = missing) with observation variance h, initial mean 0 and initial variance diag(p1), then runs
   * the backward smoothing recursion: afterwards `rNoise` holds r_t at the noise indices and the internal r holds
   * r_{−1}. Only the mean-zero problem of the simulation smoother is ever filtered here.
   */
  filterAndSmooth(y: Float64Array, h: number): void {
    const { n, m, P, a, pz, tmp, v, finv, K, q } = this;
    const md = this.model;
    const S = md.seasons;
    const s0 = md.seasonStart;
    const k = md.dynK;
    const d0 = md.dynStart;
    const last = this.lastObserved;
    P.fill(0);
    for (let i = 0; i < m; i++) P[i * m + i] = md.p1[i]!;
    a.fill(0);
    const nq = q.length;
    for (let t = 0; t <= last; t++) {
      const change = md.seasonChange[t]!;
      if (md.observed[t]) {
        this.covZ(P, t, pz);
        const F = this.zDot(pz, t) + h;
        const fi = 1 / F;
        const vt = y[t]! - this.zDot(a, t);
        v[t] = vt;
        finv[t] = fi;
        // K_t = T_t P Z_tᵀ / F_t
        for (let i = 0; i < m; i++) tmp[i] = pz[i]!;
        this.applyT(tmp, 0, 1, change);
        const kt = t * m;
        for (let i = 0; i < m; i++) K[kt + i] = tmp[i]! * fi;
        // filtered moments
        const g = vt * fi;
        for (let i = 0; i < m; i++) {
          a[i] = a[i]! + pz[i]! * g;
          const pi = pz[i]! * fi;
          const row = i * m;
          for (let j = 0; j < m; j++) P[row + j] = P[row + j]! - pi * pz[j]!;
        }
      }
      if (t === last) break;
      // predict: a ← T a, P ← T P Tᵀ + R Q Rᵀ
      this.applyT(a, 0, 1, change);
      this.transformCovariance(change);
      for (let i = 0; i < nq; i++) {
        if (this.noiseSeasonal[i] && !change) continue;
        const idx = this.noiseIndex[i]!;
        P[idx * m + idx] = P[idx * m + idx]! + q[i]!;
      }
    }

    // backward: r_{t−1} = T_tᵀ r_t + Z_tᵀ (v_t / F_t − K_t · r_t); r_t = 0 for t ≥ last observed
    const r = this.r;
    const rNoise = this.rNoise;
    r.fill(0);
    rNoise.fill(0, 0, n * nq);
    for (let t = last; t >= 0; t--) {
      const row = t * nq;
      for (let i = 0; i < nq; i++) rNoise[row + i] = r[this.noiseIndex[i]!]!;
      const change = md.seasonChange[t]!;
      let u = 0;
      const obs = md.observed[t]!;
      if (obs) {
        const kt = t * m;
        let kr = 0;
        for (let i = 0; i < m; i++) kr += K[kt + i]! * r[i]!;
        u = v[t]! * finv[t]! - kr;
      }
      this.applyTt(r, change);
      if (obs) {
        r[0] = r[0]! + u;
        if (S > 1) r[s0] = r[s0]! + u;
        for (let j = 0; j < k; j++) r[d0 + j] = r[d0 + j]! + md.xDyn[t * k + j]! * u;
      }
    }
  }

  /**
   * Smoothed means of the mean-zero problem, forward from the smoothed disturbances:
   * α̂_0 = P_1 r_{−1}, α̂_{t+1} = T_t α̂_t + R Q Rᵀ r_t. Writes Z_t α̂_t into `contribution` and, when given,
   * the full smoothed state into `states` (row-major n × m) and the level alone into `level`.
   */
  smoothedMeans(contribution: Float64Array, states?: Float64Array, level?: Float64Array): void {
    const { n, m, q, rNoise } = this;
    const md = this.model;
    const alpha = this.tmp;
    const nq = q.length;
    for (let i = 0; i < m; i++) alpha[i] = md.p1[i]! * this.r[i]!;
    for (let t = 0; t < n; t++) {
      contribution[t] = this.zDot(alpha, t);
      if (states) for (let i = 0; i < m; i++) states[t * m + i] = alpha[i]!;
      if (level) level[t] = alpha[0]!;
      const change = md.seasonChange[t]!;
      this.applyT(alpha, 0, 1, change);
      const row = t * nq;
      for (let i = 0; i < nq; i++) {
        if (this.noiseSeasonal[i] && !change) continue;
        const idx = this.noiseIndex[i]!;
        alpha[idx] = alpha[idx]! + q[i]! * rNoise[row + i]!;
      }
    }
  }

  /** True when noise i acts on the transition t → t + 1. */
  noiseActive(i: number, t: number): boolean {
    return !this.noiseSeasonal[i] || this.model.seasonChange[t] === 1;
  }

  /** State index driven by noise i. */
  noiseAt(i: number): number {
    return this.noiseIndex[i]!;
  }
}
