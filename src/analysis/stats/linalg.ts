/**
 * Dense linear algebra for the small symmetric positive-definite systems of the analysis kernels (spike-and-slab
 * regression, conditional Poisson scoring): Cholesky factorisation, triangular solves, SPD solve and inverse.
 * Matrices are row-major Float64Arrays of n × n. Golub & Van Loan, Matrix Computations, §4.2.
 */

/**
 * In-place lower Cholesky factor of the n × n row-major matrix A (the upper triangle is zeroed); false when a pivot
 * is not above `minPivot` (A not positive definite to that tolerance; A is then partly overwritten).
 */
export function choleskyInPlace(A: Float64Array, n: number, minPivot = 0): boolean {
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) d -= A[j * n + k]! * A[j * n + k]!;
    if (!(d > minPivot)) return false;
    const ljj = Math.sqrt(d);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) A[j * n + k] = 0;
  }
  return true;
}

/** Lower Cholesky factor of the n × n row-major matrix A as a new array; undefined when not positive definite. */
export function cholesky(A: Float64Array, n: number, minPivot = 0): Float64Array | undefined {
  const L = A.slice(0, n * n);
  return choleskyInPlace(L, n, minPivot) ? L : undefined;
}

/** Solves L x = b in place (x holds b on entry) for a lower-triangular L. */
export function solveLower(L: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= L[i * n + j]! * x[j]!;
    x[i] = s / L[i * n + i]!;
  }
}

/** Solves Lᵀ x = b in place (x holds b on entry) for a lower-triangular L. */
export function solveLowerTransposed(L: Float64Array, n: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= L[j * n + i]! * x[j]!;
    x[i] = s / L[i * n + i]!;
  }
}

/** Solves A x = b for a symmetric positive-definite A by Cholesky; undefined when A is not positive definite. */
export function solveSpd(A: Float64Array, b: ArrayLike<number>, n: number, minPivot = 0): Float64Array | undefined {
  const L = cholesky(A, n, minPivot);
  if (L === undefined) return undefined;
  const x = Float64Array.from(b);
  solveLower(L, n, x);
  solveLowerTransposed(L, n, x);
  return x;
}

/** The inverse of a symmetric positive-definite A, column by column from one factorisation; undefined when singular. */
export function invertSpd(A: Float64Array, n: number, minPivot = 0): Float64Array | undefined {
  const L = cholesky(A, n, minPivot);
  if (L === undefined) return undefined;
  const out = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    solveLower(L, n, e);
    solveLowerTransposed(L, n, e);
    for (let i = 0; i < n; i++) out[i * n + j] = e[i]!;
  }
  return out;
}
