/**
 * Rank statistics: average ranks with ties, and Spearman's rank correlation ρ (Spearman 1904), computed as the
 * Pearson correlation of the average ranks — the tie-correct definition.
 */

/** Average ranks (1-based) of `x`; tied values share the mean of the ranks they span. NaN values are not allowed. */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i]!)) throw new RangeError(`ranks: value ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => x[a]! - x[b]! || a - b);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && x[order[j]!] === x[order[i]!]) j++;
    const avg = (i + j + 1) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k++) out[order[k]!] = avg;
    i = j;
  }
  return out;
}

/** Pearson correlation of two equally long samples; NaN when either has zero variance or fewer than 2 points. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`pearson: lengths differ (${n} vs ${y.length})`);
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation of `x` and `y` (average ranks for ties); NaN when either sample is constant. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`spearman: lengths differ (${x.length} vs ${y.length})`);
  return pearson(ranks(x), ranks(y));
}
