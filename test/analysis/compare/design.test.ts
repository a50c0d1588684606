// The design matrix: log(1 + x), one-hot with the most frequent level as reference, missing and negative values
// refused with the column and row named, constant columns dropped with a warning.
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../../src/analysis/compare/index.js';
import { CloutError } from '../../../src/domain/index.js';
import { errorCode } from '../../support/errors.js';

describe('buildDesign', () => {
  it('logs counts and one-hots categories against the most frequent level', () => {
    const d = buildDesign(
      [
        { name: 'followers', values: Float64Array.of(0, 9, 99, 999), log: true },
        { name: 'country', values: ['DE', 'US', 'US', 'BR'], categorical: true },
      ],
      4,
    );
    expect(d.names).toEqual(['followers', 'country=BR', 'country=DE']);
    expect(d.sources).toEqual(['followers', 'country', 'country']);
    expect(Array.from(d.X)).toEqual([0, 0, 1, Math.log(10), 0, 0, Math.log(100), 0, 0, Math.log(1000), 1, 0]);
  });

  it('breaks a tie for the reference level by code-point order', () => {
    const d = buildDesign([{ name: 'c', values: ['b', 'a', 'b', 'a', 'c'], categorical: true }], 5);
    expect(d.names).toEqual(['c=b', 'c=c']);
  });

  it('names the column and first row of a missing or negative value', () => {
    const missing = (): unknown => buildDesign([{ name: 'activity', values: Float64Array.of(1, 2, NaN, NaN) }], 4);
    expect(errorCode(missing)).toBe('input');
    expect(() => missing()).toThrow(/'activity' is missing or not finite at row 2/);
    expect(() => buildDesign([{ name: 'posts', values: Float64Array.of(1, -3), log: true }], 2)).toThrow(/'posts' is negative \(-3\) at row 1/);
    expect(() => buildDesign([{ name: 'country', values: ['DE', ''], categorical: true }], 2)).toThrow(CloutError);
    expect(() => buildDesign([{ name: 'x', values: Float64Array.of(1, 2, 3) }], 2)).toThrow(/3 values for 2 units/);
  });

  it('drops constant columns and single-level categories with a warning', () => {
    const d = buildDesign(
      [
        { name: 'flat', values: Float64Array.of(5, 5, 5) },
        { name: 'one', values: ['x', 'x', 'x'], categorical: true },
        { name: 'ok', values: Float64Array.of(1, 2, 3) },
      ],
      3,
    );
    expect(d.names).toEqual(['ok']);
    expect(d.warnings).toEqual(["covariate 'flat' is constant; dropped", "covariate 'one' has a single level in the data; dropped"]);
  });
});
