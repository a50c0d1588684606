import { describe, expect, it } from 'vitest';
import { pearson, ranks, spearman } from '../../../src/analysis/stats/rank.js';

describe('ranks', () => {
  it('ranks distinct values 1..n', () => {
    expect(Array.from(ranks([10, 30, 20]))).toEqual([1, 3, 2]);
  });
  it('gives ties the average of the ranks they span', () => {
    // sorted: 1 (r1), 2,2 (r2,r3 → 2.5), 3 (r4), 5,5,5 (r5..r7 → 6)
    expect(Array.from(ranks([5, 2, 1, 5, 2, 3, 5]))).toEqual([6, 2.5, 1, 6, 2.5, 4, 6]);
  });
  it('handles empty input and rejects NaN', () => {
    expect(ranks([]).length).toBe(0);
    expect(() => ranks([1, NaN])).toThrow(/NaN/);
  });
});

describe('spearman', () => {
  it('is 1 for a monotone increasing relation and -1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [8, 4, 2, 1])).toBeCloseTo(-1, 12);
  });
  it('matches 1 - 6Σd²/(n(n²-1)) without ties', () => {
    // x ranks 1..5, y ranks [2,1,4,3,5]: d² = 1+1+1+1+0 = 4 → ρ = 1 - 24/120 = 0.8
    expect(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(0.8, 12);
  });
  it('uses Pearson on average ranks with ties (hand-computed)', () => {
    // x = [1,2,2,3] → ranks [1,2.5,2.5,4]; y = [1,2,3,4] → ranks [1,2,3,4]
    // mean 2.5 both; dx = [-1.5,0,0,1.5], dy = [-1.5,-0.5,0.5,1.5]
    // Σdxdy = 2.25+0+0+2.25 = 4.5; Σdx² = 4.5; Σdy² = 5 → ρ = 4.5/√22.5 = 0.9486832981
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
  });
  it('is NaN for a constant sample and throws on length mismatch', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/lengths/);
  });
  it('pearson of a hand example', () => {
    // x=[1,2,3], y=[2,4,7]: mx=2, my=13/3; dx=[-1,0,1], dy=[-7/3,-1/3,8/3]; Σdxdy=5; Σdx²=2; Σdy²=(49+1+64)/9=114/9
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (114 / 9)), 12);
  });
});
