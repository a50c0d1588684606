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

/** H = Zᵀ diag(w) Z (full symmetric, q × q) and g = Zᵀ v, for a column-major Z of m rows and q columns. */
export function weightedGram(Z: Float64Array, m: number, q: number, w: Float64Array, v: Float64Array, H: Float64Array, g: Float64Array, wz: Float64Array = new Float64Array(m)): void {
  for (let a = 0; a < q; a++) {
    const oa = a * m;
    let ga = 0;
    for (let r = 0; r < m; r++) {
      const z = Z[oa + r]!;
      ga += v[r]! * z;
      wz[r] = w[r]! * z;
    }
    g[a] = ga;
    let b = a;
    for (; b + 3 < q; b += 4) {
      const o0 = b * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let r = 0; r < m; r++) {
        const x = wz[r]!;
        s0 += x * Z[o0 + r]!;
        s1 += x * Z[o1 + r]!;
        s2 += x * Z[o2 + r]!;
        s3 += x * Z[o3 + r]!;
      }
      H[a * q + b] = H[b * q + a] = s0;
      H[a * q + b + 1] = H[(b + 1) * q + a] = s1;
      H[a * q + b + 2] = H[(b + 2) * q + a] = s2;
      H[a * q + b + 3] = H[(b + 3) * q + a] = s3;
    }
    for (; b < q; b++) {
      const ob = b * m;
      let s = 0;
      for (let r = 0; r < m; r++) s += wz[r]! * Z[ob + r]!;
      H[a * q + b] = H[b * q + a] = s;
    }
  }
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
