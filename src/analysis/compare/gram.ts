/**
 * The two hot kernels of the regressions (propensity.ts, outcome-model.ts): the standardised design in column-major
 * order (columns centred and scaled over the rows fitted, an intercept column of ones first), built in row blocks so
 * that reads and writes both stay in cache, and the weighted cross-product H = Zᵀ diag(w) Z with g = Zᵀ v, as dot
 * products over contiguous columns, four output columns per pass over the rows.
 */

/**
 * Column-major standardised design of the rows fitted: Z (m × (p + 1), intercept first), with each column's centre
 * and scale — computed over those rows, or the ones given (`given`, e.g. a fit on all units, for fold fits).
 */
export function standardisedColumns(X: Float64Array, n: number, p: number, rows?: Int32Array, given?: { center: Float64Array; scale: Float64Array }): { Z: Float64Array; m: number; center: Float64Array; scale: Float64Array } {
  const m = rows ? rows.length : n;
  const q = p + 1;
  const { center, scale } = given ?? centreAndScale(X, n, p, rows);
  const Z = new Float64Array(m * q);
  Z.fill(1, 0, m);
  const inv = Float64Array.from(scale, (s) => 1 / s);
  const BLOCK = 512;
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const r1 = Math.min(m, r0 + BLOCK);
    for (let j = 0; j < p; j++) {
      const col = (1 + j) * m, c = center[j]!, s = inv[j]!;
      for (let r = r0; r < r1; r++) Z[col + r] = (X[(rows ? rows[r]! : r) * p + j]! - c) * s;
    }
  }
  return { Z, m, center, scale };
}

/** Rows per chunk of the cross-product: q columns × 1,024 rows × 8 bytes ≈ 170 KB for 20 covariates, in cache. */
const CHUNK = 1024;

/**
 * H = Zᵀ diag(w) Z (full symmetric, q × q) and g = Zᵀ v, for a column-major Z of m rows and q columns, over the
 * rows [from, to) (all by default; w and v are indexed like Z's rows). The rows go
 * in chunks so that each chunk's columns are read from cache for all q(q + 1)/2 products (reading whole columns per
 * product would stream Z from memory q/2 times).
 */
export function weightedGram(Z: Float64Array, m: number, q: number, w: Float64Array, v: Float64Array, H: Float64Array, g: Float64Array, from = 0, to = m): void {
  const wz = new Float64Array(CHUNK);
  H.fill(0);
  g.fill(0);
  for (let r0 = from; r0 < to; r0 += CHUNK) {
    const len = Math.min(CHUNK, to - r0);
    for (let a = 0; a < q; a++) {
      const oa = a * m + r0;
      let ga = 0;
      for (let r = 0; r < len; r++) {
        const z = Z[oa + r]!;
        ga += v[r0 + r]! * z;
        wz[r] = w[r0 + r]! * z;
      }
      g[a] += ga;
      let b = a;
      for (; b + 3 < q; b += 4) {
        const o0 = b * m + r0, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let r = 0; r < len; r++) {
          const x = wz[r]!;
          s0 += x * Z[o0 + r]!;
          s1 += x * Z[o1 + r]!;
          s2 += x * Z[o2 + r]!;
          s3 += x * Z[o3 + r]!;
        }
        H[a * q + b] += s0;
        H[a * q + b + 1] += s1;
        H[a * q + b + 2] += s2;
        H[a * q + b + 3] += s3;
      }
      for (; b < q; b++) {
        const ob = b * m + r0;
        let s0 = 0;
        for (let r = 0; r < len; r++) s0 += wz[r]! * Z[ob + r]!;
        H[a * q + b] += s0;
      }
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) H[a * q + b] = H[b * q + a]!;
}

/** Mean and s.d. (1 when constant) of each column over the rows. */
function centreAndScale(X: Float64Array, n: number, p: number, rows?: Int32Array): { center: Float64Array; scale: Float64Array } {
  const m = rows ? rows.length : n;
  const center = new Float64Array(p), scale = new Float64Array(p);
  for (let r = 0; r < m; r++) {
    const off = (rows ? rows[r]! : r) * p;
    for (let j = 0; j < p; j++) center[j] += X[off + j]!;
  }
  for (let j = 0; j < p; j++) center[j] /= m;
  for (let r = 0; r < m; r++) {
    const off = (rows ? rows[r]! : r) * p;
    for (let j = 0; j < p; j++) {
      const d = X[off + j]! - center[j]!;
      scale[j] += d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt(scale[j]! / Math.max(1, m - 1));
    scale[j] = s > 0 ? s : 1;
  }
  return { center, scale };
}
