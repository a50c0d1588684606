/** Intervals for a binomial proportion. */

/**
 * Wilson score interval for x successes in n trials at normal quantile z (Wilson 1927); NaNs when n = 0. Unlike the
 * Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1.
 */
export function wilsonInterval(x: number, n: number, z: number): { lower: number; upper: number } {
  if (n === 0) return { lower: NaN, upper: NaN };
  const p = x / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
