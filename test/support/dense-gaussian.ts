/** Dense Gaussian algebra for exact answers in tests: solving A X = B with log|det A|. */

/** A dense matrix as rows. */
export type Mat = number[][];

/** Solves A X = B by Gauss–Jordan with partial pivoting; also returns log|det A|. */
export function solve(A: Mat, B: Mat): { X: Mat; logdet: number } {
  const n = A.length;
  const M = A.map((r, i) => [...r, ...B[i]!]);
  let logdet = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]!;
    logdet += Math.log(Math.abs(piv));
    for (let j = 0; j < M[c]!.length; j++) M[c]![j]! /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]!;
      if (f !== 0) for (let j = 0; j < M[r]!.length; j++) M[r]![j]! -= f * M[c]![j]!;
    }
  }
  return { X: M.map((r) => r.slice(n)), logdet };
}
