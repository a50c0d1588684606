/**
 * Empirical quantiles of draws: R's default type-7 quantile (Hyndman & Fan 1996), of a sorted array or by
 * quickselect without sorting (same value).
 */

/** R's default (type 7) quantile of an ascending-sorted array; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, prob: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Moves the k-th smallest value of a[0..n) to a[k] (smaller before, larger after): Hoare quickselect. */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The type-7 quantile of the first n values of `a` (reorders them); same value as sorting. */
export function quantileSelect(a: Float64Array, n: number, prob: number): number {
  const h = (n - 1) * prob;
  const k = Math.floor(h);
  select(a, n, k);
  const lo = a[k]!;
  if (h === k || k + 1 >= n) return lo;
  let next = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i]! < next) next = a[i]!;
  return lo + (h - k) * (next - lo);
}
