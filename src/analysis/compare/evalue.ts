/**
 * Sensitivity to hidden confounding: the E-value (VanderWeele & Ding 2017) — the minimum strength of association, on
 * the risk-ratio scale, that an unmeasured confounder would need with both treatment and outcome to explain away the
 * estimate. For RR ≥ 1, E = RR + √(RR(RR − 1)); for RR < 1, the same of 1/RR. A mean difference is first put on the
 * risk-ratio scale through its standardised size d = estimate / s.d.(outcome among the controls) and RR ≈ exp(0.91 d)
 * (VanderWeele 2017, from Hasselblad & Hedges 1995); the controls' s.d. because the treatment does not move it. The
 * E-value of the interval is that of its bound nearer to the null, and 1 when the interval contains the null.
 */

/** E-value of a risk ratio (RR < 1 is inverted first). */
export function eValueRiskRatio(rr: number): number {
  if (!(rr > 0)) return NaN;
  const r = rr < 1 ? 1 / rr : rr;
  return r + Math.sqrt(r * (r - 1));
}

/** E-values of a mean difference and of its interval's bound nearer to the null, given the outcome's s.d. */
export function eValueMeanDifference(estimate: number, lower: number, upper: number, sd: number): { e_value: number; e_value_bound: number } {
  if (!(sd > 0)) return { e_value: NaN, e_value_bound: NaN };
  const toRR = (x: number): number => Math.exp((0.91 * x) / sd);
  const e_value = eValueRiskRatio(toRR(estimate));
  const crosses = lower <= 0 && upper >= 0;
  const nearer = estimate >= 0 ? lower : upper;
  return { e_value, e_value_bound: crosses ? 1 : eValueRiskRatio(toRR(nearer)) };
}
