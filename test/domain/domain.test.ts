import { describe, expect, it } from 'vitest';
import {
  AliasTable,
  Rng,
  fromMinorUnits,
  isIsoCurrency,
  parseTimestamp,
  toMinorUnits,
  validateRecord,
  interactionId,
} from '../../src/domain/index.js';

describe('timestamps', () => {
  it('reads dates as UTC midnight and zone-less times as UTC', () => {
    expect(parseTimestamp('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(parseTimestamp('2026-01-02T03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseTimestamp('2026-01-02 03:04')).toBe(Date.UTC(2026, 0, 2, 3, 4));
  });
  it('applies offsets and fractional seconds', () => {
    expect(parseTimestamp('2026-01-02T03:04:05.250Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 250));
    expect(parseTimestamp('2026-01-02T05:04:05+02:00')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseTimestamp('2026-01-01T22:00:00-0530')).toBe(Date.UTC(2026, 0, 2, 3, 30));
  });
  it('rejects impossible or malformed ones', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-01-01T24:00:00Z', 'yesterday', '01/02/2026', '2026-01-01T10:00:00+25:00', '']) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });
});

describe('money', () => {
  it('accepts ISO 4217 codes and refuses three letters that are none', () => {
    for (const code of ['USD', 'EUR', 'JPY', 'KWD', 'CHF', 'VED']) expect(isIsoCurrency(code)).toBe(true);
    for (const code of ['XYZ', 'ABC', 'usd', 'US', 'USDD', '']) expect(isIsoCurrency(code)).toBe(false);
  });

  it('converts decimals to minor units by currency exponent', () => {
    expect(toMinorUnits(14.99, 'USD')).toBe(1499);
    expect(toMinorUnits(0.1 + 0.2, 'USD')).toBe(30);
    expect(toMinorUnits(1500, 'JPY')).toBe(1500);
    expect(toMinorUnits(1.234, 'KWD')).toBe(1234);
    expect(toMinorUnits(1.234, 'USD')).toBeUndefined();
    expect(toMinorUnits(1.5, 'JPY')).toBeUndefined();
    expect(fromMinorUnits(3_955_100, 'USD')).toBe(39_551);
  });
});

describe('schemas', () => {
  it('normalizes a conversion: lower-case enum, upper-case currency, minor units, epoch ms', () => {
    const v = validateRecord('conversions', { id: 7, at: '2026-01-05', type: 'SALE', value: '14.99', currency: 'usd' });
    expect(v).toEqual({ ok: true, record: { id: '7', at: Date.UTC(2026, 0, 5), type: 'sale', value_minor: 1499, currency: 'USD' } });
  });
  it('names the field and the reason of each problem', () => {
    const cases: [Parameters<typeof validateRecord>[0], Record<string, unknown>, string, RegExp][] = [
      ['accounts', { followers: 3 }, 'id', /required/],
      ['accounts', { id: 'a', followers: 'many' }, 'followers', /non-negative integer/],
      ['accounts', { id: 'a', followers: 1.5 }, 'followers', /integer/],
      ['posts', { id: 'p', author_id: 'a', created_at: 'soon' }, 'created_at', /ISO 8601/],
      ['conversions', { id: 'c', at: '2026-01-01', type: 'sale', value: -1, currency: 'USD' }, 'value', /≥ 0/],
      ['conversions', { id: 'c', at: '2026-01-01', type: 'sale', value: 5 }, 'currency', /required when value > 0/],
      ['conversions', { id: 'c', at: '2026-01-01', type: 'sale', value: 5, currency: 'XYZ' }, 'currency', /ISO 4217/],
      ['campaigns', { id: 'c', goal_value: 100, currency: 'ABC' }, 'currency', /ISO 4217/],
      ['links', { id: 'l', url: 'javascript:alert(1)' }, 'url', /http\(s\) URL/],
      ['interactions', { type: 'like', actor_id: 'a', created_at: '2026-01-01' }, 'post_id', /required for a like/],
      ['interactions', { type: 'hug', actor_id: 'a', post_id: 'p', created_at: '2026-01-01' }, 'type', /one of repost/],
      ['campaigns', { id: 'c', starts_at: '2026-02-01', ends_at: '2026-01-01' }, 'ends_at', /before starts_at/],
      ['clicks', { id: 'k', link_id: 'l', at: '2026-01-01', is_bot: 'maybe' }, 'is_bot', /true or false/],
    ];
    for (const [kind, raw, field, reason] of cases) {
      const v = validateRecord(kind, raw);
      expect(v.ok, JSON.stringify(raw)).toBe(false);
      if (!v.ok) {
        expect(v.issues[0]!.field, JSON.stringify(raw)).toBe(field);
        expect(v.issues[0]!.reason, JSON.stringify(raw)).toMatch(reason);
      }
    }
  });
  it('derives the same interaction id from the same content, and a different one otherwise', () => {
    const base = { type: 'like', actor_id: 'a', post_id: 'p', created_at: 1 };
    expect(interactionId(base)).toBe(interactionId({ ...base }));
    expect(interactionId(base)).not.toBe(interactionId({ ...base, created_at: 2 }));
    const v = validateRecord('interactions', { type: 'like', actor_id: 'a', post_id: 'p', created_at: '2026-01-01' });
    expect(v.ok && v.record.id).toBe(interactionId({ ...base, created_at: Date.UTC(2026, 0, 1) }));
  });
});

describe('seeded random source', () => {
  it('is reproducible and seed-dependent', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  const n = 200_000;
  const moments = (draw: () => number): { mean: number; variance: number } => {
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      ss += x * x;
    }
    const mean = s / n;
    return { mean, variance: ss / n - mean * mean };
  };

  it('draws normal, gamma, Poisson and binomial variables with the right moments', () => {
    const r = new Rng(1);
    // tolerances ≈ 5 standard errors of the sample mean / variance
    const normal = moments(() => r.normal(2, 3));
    expect(normal.mean).toBeCloseTo(2, 1);
    expect(Math.abs(normal.variance - 9)).toBeLessThan(0.2);
    for (const [shape, rate] of [[0.5, 2], [3, 0.5]] as const) {
      const g = moments(() => r.gamma(shape, rate));
      expect(Math.abs(g.mean - shape / rate)).toBeLessThan(5 * Math.sqrt(shape / rate ** 2 / n));
      expect(Math.abs(g.variance / (shape / rate ** 2) - 1)).toBeLessThan(0.05);
    }
    for (const lambda of [0.7, 4, 35, 900]) {
      const p = moments(() => r.poisson(lambda));
      expect(Math.abs(p.mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(p.variance / lambda - 1)).toBeLessThan(0.05);
    }
    for (const [trials, prob] of [[10, 0.3], [500, 0.02], [1000, 0.9]] as const) {
      const b = moments(() => r.binomial(trials, prob));
      const v = trials * prob * (1 - prob);
      expect(Math.abs(b.mean - trials * prob)).toBeLessThan(5 * Math.sqrt(v / n));
      expect(Math.abs(b.variance / v - 1)).toBeLessThan(0.05);
    }
  });

  it('samples an alias table in proportion to its weights', () => {
    const r = new Rng(3);
    const w = [1, 0, 3, 6];
    const table = new AliasTable(w);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[table.sample(r)]!++;
    expect(counts[1]).toBe(0);
    for (const i of [0, 2, 3]) {
      const p = w[i]! / 10;
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe('memoizeString', () => {
  it('computes each key once and empties itself at its limit', async () => {
    const { memoizeString } = await import('../../src/domain/index.js');
    let calls = 0;
    const len = memoizeString((s: string) => (calls++, s.length), 2);
    expect([len('ab'), len('ab'), len('xyz'), len('ab')]).toEqual([2, 2, 3, 2]);
    expect(calls).toBe(2);
    len('q'); // a third key: the memo is full, so it starts over
    len('ab');
    expect(calls).toBe(4);
  });
});
