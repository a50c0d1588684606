/**
 * Overlap of the propensity score (Crump et al. 2009; MatchIt's `discard = "both"` min/max rule): the score's
 * histogram per arm over [0, 1], and the units outside common support — a treated unit whose score lies outside the
 * controls' [min, max], a control outside the treated's. Those units have no comparable counterpart; the caller
 * re-estimates without them (estimate_within_support) to show what they weigh.
 */

/** Histogram bins over [0, 1]. */
export const OVERLAP_BINS = 20;

/** The histogram of e per arm (edges of OVERLAP_BINS bins) and the units outside common support. */
export function overlapOf(e: Float64Array, treatment: Uint8Array): { bins: number[]; treated_counts: number[]; control_counts: number[]; outside: Int32Array; inside: Uint8Array } {
  const n = e.length;
  const bins = Array.from({ length: OVERLAP_BINS + 1 }, (_, k) => k / OVERLAP_BINS);
  const treated = new Array<number>(OVERLAP_BINS).fill(0), control = new Array<number>(OVERLAP_BINS).fill(0);
  let min1 = Infinity, max1 = -Infinity, min0 = Infinity, max0 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = e[i]!;
    const b = Math.min(OVERLAP_BINS - 1, Math.floor(v * OVERLAP_BINS));
    if (treatment[i]) {
      treated[b]!++;
      if (v < min1) min1 = v;
      if (v > max1) max1 = v;
    } else {
      control[b]!++;
      if (v < min0) min0 = v;
      if (v > max0) max0 = v;
    }
  }
  const inside = new Uint8Array(n);
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = e[i]!;
    const ok = treatment[i] ? v >= min0 && v <= max0 : v >= min1 && v <= max1;
    if (ok) inside[i] = 1;
    else outside.push(i);
  }
  return { bins, treated_counts: treated, control_counts: control, outside: Int32Array.from(outside), inside };
}
