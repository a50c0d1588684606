/** The fallacy table's arithmetic on hand-made scores: Spearman and top-N overlap per pair, the Klout-like composite. */
import { describe, expect, it } from 'vitest';
import { compareScores, kloutLike, topIndices } from '../../../src/analysis/influence/comparison.js';

describe('compareScores', () => {
  const n = 30;
  const up = Array.from({ length: n }, (_, i) => i);
  const down = up.map((i) => n - i);
  const same = up.map((i) => 10 * i + 3);

  it('gives ρ = 1 and full overlap for the same order, ρ = −1 and no overlap for the reverse', () => {
    const pairs = compareScores([{ name: 'a', values: up }, { name: 'b', values: same }, { name: 'c', values: down }], 10);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([['a', 'b'], ['a', 'c'], ['b', 'c']]);
    expect(pairs[0]).toMatchObject({ spearman: 1, top_overlap: 10 });
    expect(pairs[1]!.spearman).toBeCloseTo(-1, 12);
    expect(pairs[1]!.top_overlap).toBe(0);
  });

  it('counts the overlap of the top N exactly', () => {
    // top 3 of x: indices 4, 3, 2; of y: 4, 0, 2 → overlap 2
    expect(topIndices([1, 2, 3, 4, 5], 3)).toEqual([4, 3, 2]);
    const [p] = compareScores([{ name: 'x', values: [1, 2, 3, 4, 5] }, { name: 'y', values: [4, 1, 3, 0, 5] }], 3);
    expect(p!.top_overlap).toBe(2);
    expect(() => compareScores([{ name: 'x', values: [1, 2] }, { name: 'y', values: [1] }])).toThrow(/has 1 values, expected 2/);
  });
});

describe('kloutLike', () => {
  it('averages the z-scores of log reach, log attention and log PageRank', () => {
    const k = kloutLike([0, Math.E - 1, Math.E ** 2 - 1], [1, 1, 1], [0.1, 0.1, 0.1]);
    // only followers vary: log1p → 0, 1, 2 → z = −1, 0, 1; the other parts are 0 → mean = z/3
    expect([...k].map((x) => +x.toFixed(12))).toEqual([-1 / 3, 0, 1 / 3].map((x) => +x.toFixed(12)));
  });
});
