/** Intervals for a binomial proportion. */

/**
 * Wilson score interval for x successes in n trials at normal quantile z (Wilson 1927); NaNs when n = 0. Unlike the
 * Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1.
 */
export function wilsonInterval(x: number, n: number, z: number): { lower: number; upper: number } {
  if (n === 0) return { lower: NaN, upper: NaN };
  const p = x / n, z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
