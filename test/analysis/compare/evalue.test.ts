// The E-value against its closed form (VanderWeele & Ding 2017) on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { eValueMeanDifference, eValueRiskRatio } from '../../../src/analysis/compare/index.js';

describe('E-value', () => {
  it('equals RR + sqrt(RR (RR − 1)) for a risk ratio ≥ 1, and inverts one below 1', () => {
    // VanderWeele & Ding's example: RR 3.9 → E = 7.26
    expect(eValueRiskRatio(3.9)).toBeCloseTo(3.9 + Math.sqrt(3.9 * 2.9), 12);
    expect(eValueRiskRatio(3.9)).toBeCloseTo(7.26, 2);
    expect(eValueRiskRatio(1)).toBe(1);
    expect(eValueRiskRatio(0.5)).toBeCloseTo(2 + Math.sqrt(2), 12);
  });

  it('converts a mean difference by RR = exp(0.91 d) and takes the bound nearer to the null', () => {
    const sd = 4;
    const r = eValueMeanDifference(2, 1, 3, sd);
    const rr = Math.exp((0.91 * 2) / 4), rrLow = Math.exp((0.91 * 1) / 4);
    expect(r.e_value).toBeCloseTo(rr + Math.sqrt(rr * (rr - 1)), 12);
    expect(r.e_value_bound).toBeCloseTo(rrLow + Math.sqrt(rrLow * (rrLow - 1)), 12);
  });

  it('uses the upper bound for a negative effect, and gives 1 when the interval crosses zero', () => {
    const neg = eValueMeanDifference(-2, -3, -0.5, 2);
    const rrUp = 1 / Math.exp((0.91 * -0.5) / 2);
    expect(neg.e_value_bound).toBeCloseTo(rrUp + Math.sqrt(rrUp * (rrUp - 1)), 12);
    expect(neg.e_value).toBeGreaterThan(neg.e_value_bound);
    expect(eValueMeanDifference(1, -0.2, 2.2, 3).e_value_bound).toBe(1);
    expect(eValueMeanDifference(1, -0.2, 2.2, 3).e_value).toBeGreaterThan(1);
  });
});
