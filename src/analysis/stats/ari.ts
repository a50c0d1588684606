/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items: 1 for identical partitions
 * (up to renaming), ≈ 0 for independent ones. Same formula as scikit-learn's `adjusted_rand_score`.
 */
import { CloutError } from '../../domain/index.js';

const choose2 = (x: number): number => (x * (x - 1)) / 2;

/** Adjusted Rand index of labelings a and b (integer labels ≥ 0 or strings). */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length) throw new CloutError('input', `adjustedRandIndex: labelings have ${a.length} and ${b.length} items`);
  const n = a.length;
  if (n < 2) return 1;
  const ia = new Map<number | string, number>();
  const ib = new Map<number | string, number>();
  const ka = new Int32Array(n), kb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = ia.get(a[i]!); if (x === undefined) { x = ia.size; ia.set(a[i]!, x); } ka[i] = x;
    let y = ib.get(b[i]!); if (y === undefined) { y = ib.size; ib.set(b[i]!, y); } kb[i] = y;
  }
  const rows = new Float64Array(ia.size), cols = new Float64Array(ib.size);
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    rows[ka[i]!]!++;
    cols[kb[i]!]!++;
    const key = ka[i]! * ib.size + kb[i]!;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  let sumCells = 0;
  for (const c of cells.values()) sumCells += choose2(c);
  let sumRows = 0, sumCols = 0;
  for (const r of rows) sumRows += choose2(r);
  for (const c of cols) sumCols += choose2(c);
  const expected = (sumRows * sumCols) / choose2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1; // both labelings trivial (all in one, or all singletons) and equal in structure
  return (sumCells - expected) / (max - expected);
}
