/**
 * Click ids: URL-safe, 22 characters, unique, and ordered by the click's time (so a merge's ids land together in the
 * primary-key index of `clicks`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newClickId, timePrefix } from '../../../src/server/clicks/ids.js';

const MAX_MS = 2 ** 48 - 1;

describe('click ids', () => {
  it('the time prefix preserves order and equality of any two times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), fc.integer({ min: 0, max: MAX_MS }), (a, b) => {
        const pa = timePrefix(a);
        const pb = timePrefix(b);
        expect(pa).toHaveLength(8);
        expect(Math.sign(pa < pb ? -1 : pa > pb ? 1 : 0)).toBe(Math.sign(a - b));
      }),
      { seed: 7, numRuns: 5_000 },
    );
  });

  it('ids are 22 URL-safe characters, sort by time, and never repeat within one millisecond', () => {
    const t0 = Date.UTC(2026, 10, 26, 12);
    const ids: string[] = [];
    for (let ms = 0; ms < 50; ms++) for (let i = 0; i < 200; i++) ids.push(newClickId(t0 + ms * 37));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 200; i < ids.length; i += 200) {
      // every id of a later millisecond sorts after every id of an earlier one
      const earlier = ids.slice(i - 200, i).sort().at(-1)!;
      const later = ids.slice(i, i + 200).sort()[0]!;
      expect(earlier < later).toBe(true);
    }
  });

  it('the random part differs between ids of the same millisecond (80 bits: no shared suffixes)', () => {
    const t = Date.UTC(2026, 0, 1);
    const suffixes = new Set(Array.from({ length: 20_000 }, () => newClickId(t).slice(8)));
    expect(suffixes.size).toBe(20_000);
  });
});
