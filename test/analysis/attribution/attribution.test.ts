/**
 * Attribution models against known answers: the Markov examples (solved by hand in docs/attribution.md),
 * hand-solved 2- and 3-player Shapley games, the equal-split identity of the journey game, rule weights, path
 * building from touches, ChannelAttribution's file format, and `clout attribute` on a file and on a store.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../../src/ingest/index.js';
import { closeStore, openStore } from '../../../src/store/index.js';
import {
  attribute,
  buildPaths,
  equalSplit,
  markovAttribution,
  parseChannelPaths,
  shapleyAttribution,
  shapleyValues,
  touchWeights,
  type Path,
} from '../../../src/analysis/attribution/index.js';
import { clout } from '../../support/cli.js';

const path = (s: string, conversions: number, nulls = 0, value = conversions): Path => ({
  channels: s.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
});
const byChannel = <T extends { channel: string }>(xs: T[]) => Object.fromEntries(xs.map((x) => [x.channel, x]));

describe('Markov removal effects', () => {
  it('C1>C2>C3 converted, C1 null, C2>C3 null → removal effects 0.5, 1, 1; shares 0.2, 0.4, 0.4', () => {
    const r = markovAttribution([path('C1 > C2 > C3', 1), path('C1', 0, 1), path('C2 > C3', 0, 1)]);
    expect(r.conversionProbability).toBeCloseTo(1 / 3, 12);
    const c = byChannel(r.channels);
    expect(c.C1!.removal_effect).toBeCloseTo(0.5, 12);
    expect(c.C2!.removal_effect).toBeCloseTo(1, 12);
    expect(c.C3!.removal_effect).toBeCloseTo(1, 12);
    expect(c.C1!.conversions).toBeCloseTo(0.2, 12);
    expect(c.C2!.conversions).toBeCloseTo(0.4, 12);
    expect(c.C3!.conversions).toBeCloseTo(0.4, 12);
  });

  it('A>B>A>B>B>A, A>B>B>A>A, A>A all converted → A 2, B 1 (repeats collapsed)', () => {
    const r = markovAttribution([path('A>B>A>B>B>A', 1), path('A>B>B>A>A', 1), path('A>A', 1)]);
    const c = byChannel(r.channels);
    expect(c.A!.conversions).toBeCloseTo(2, 12);
    expect(c.B!.conversions).toBeCloseTo(1, 12);
    expect(c.A!.removal_effect).toBeCloseTo(1, 12);
    expect(c.B!.removal_effect).toBeCloseTo(0.5, 12);
  });

  it('credits sum to the totals for any paths, at order 1 and 2, and each removal effect lies in [0, 1]', () => {
    const channel = fc.constantFrom('A', 'B', 'C', 'D');
    const arbPath = fc.record({
      channels: fc.array(channel, { minLength: 1, maxLength: 6 }),
      conversions: fc.integer({ min: 0, max: 5 }),
      value: fc.integer({ min: 0, max: 500 }),
      nulls: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(arbPath, { minLength: 1, maxLength: 12 }), fc.constantFrom(1, 2), (paths, order) => {
        const r = markovAttribution(paths, { order });
        const total = paths.reduce((s, p) => s + p.conversions, 0);
        const sum = r.channels.reduce((s, c) => s + c.conversions, 0);
        const effects = r.channels.map((c) => c.removal_effect);
        if (r.conversionProbability > 0 && effects.some((e) => e > 0)) expect(sum).toBeCloseTo(total, 9);
        for (const e of effects) {
          expect(e).toBeGreaterThanOrEqual(0);
          expect(e).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('solves chains of more than 1,500 states (iterative solver) to the exact answer', () => {
    // 1,600 journeys c_i > hub (1,602 transient states). The chain is memoryless at the hub, so removing any c_i
    // only removes the 1/1600 of journeys that start there: removal effect 1/1600 each, whether c_i converted or not.
    const paths = Array.from({ length: 1600 }, (_, i) => path(`c${i} > hub`, i % 3 === 0 ? 1 : 0, i % 3 === 0 ? 0 : 1));
    const r = markovAttribution(paths);
    expect(r.conversionProbability).toBeCloseTo(534 / 1600, 12);
    const big = byChannel(r.channels);
    expect(big.c0!.removal_effect).toBeCloseTo(1 / 1600, 12);
    expect(big.c1!.removal_effect).toBeCloseTo(1 / 1600, 12);
    expect(big.hub!.removal_effect).toBeCloseTo(1, 12);
  });
});

describe('Shapley values', () => {
  it('solves a hand-solved 2-player game: v(A)=10, v(B)=20, v(AB)=50 → A 20, B 30', () => {
    const v = [0, 10, 20, 50]; // bit 0 = A, bit 1 = B
    const { values, exact } = shapleyValues(2, (m) => v[m]!);
    expect(exact).toBe(true);
    expect(values[0]).toBeCloseTo(20, 12);
    expect(values[1]).toBeCloseTo(30, 12);
  });

  it('solves a hand-solved 3-player glove game: one left glove (A), two right (B, C) → 2/3, 1/6, 1/6', () => {
    const v = (m: number) => ((m & 1) && (m & 6) ? 1 : 0);
    const { values } = shapleyValues(3, v);
    expect(values[0]).toBeCloseTo(2 / 3, 12);
    expect(values[1]).toBeCloseTo(1 / 6, 12);
    expect(values[2]).toBeCloseTo(1 / 6, 12);
  });

  it('is efficient (credits sum to v(all)) and sampling agrees with enumeration', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 16, maxLength: 16 }), (table) => {
        table[0] = 0;
        const v = (m: number) => table[m]!;
        const exact = shapleyValues(4, v).values;
        expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(table[15]!, 9);
        const sampled = shapleyValues(4, v, { exactMax: 0, permutations: 20_000, seed: 3 }).values;
        sampled.forEach((s, i) => expect(Math.abs(s - exact[i]!)).toBeLessThan(3));
      }),
      { seed: 11, numRuns: 20 },
    );
  });

  it('on journeys equals the equal split over distinct channels, enumerated or not', () => {
    const paths = [path('A > B', 3, 1, 30), path('B > C > B', 2, 0, 50), path('C', 1, 4, 10), path('A > C', 0, 2, 0)];
    const enumerated = byChannel(shapleyAttribution(paths).channels);
    const split = byChannel(equalSplit(paths));
    for (const c of ['A', 'B', 'C']) {
      expect(enumerated[c]!.conversions).toBeCloseTo(split[c]!.conversions, 12);
      expect(enumerated[c]!.value).toBeCloseTo(split[c]!.value, 12);
    }
    expect(enumerated.A!.conversions).toBeCloseTo(1.5, 12);
    expect(enumerated.B!.conversions).toBeCloseTo(2.5, 12);
    expect(enumerated.C!.conversions).toBeCloseTo(2, 12);
  });
});

describe('rule models', () => {
  const p: Path = { channels: ['A', 'B', 'C', 'D'], conversions: 1, value: 100, nulls: 0, times: [0, 7, 14, 21].map((d) => d * 86_400_000), at: 21 * 86_400_000 };
  it('give the documented weights', () => {
    expect(touchWeights('last_touch', p)).toEqual([0, 0, 0, 1]);
    expect(touchWeights('first_touch', p)).toEqual([1, 0, 0, 0]);
    expect(touchWeights('linear', p)).toEqual([0.25, 0.25, 0.25, 0.25]);
    touchWeights('position_based', p).forEach((w, i) => expect(w).toBeCloseTo([0.4, 0.1, 0.1, 0.4][i]!, 12));
    expect(touchWeights('position_based', { ...p, channels: ['A', 'B'] })).toEqual([0.5, 0.5]);
    // 7-day half-life, touches 21/14/7/0 days old: weights ∝ 1/8, 1/4, 1/2, 1
    const td = touchWeights('time_decay', p);
    [1 / 8, 1 / 4, 1 / 2, 1].forEach((w, i) => expect(td[i]).toBeCloseTo(w / (15 / 8), 12));
  });

  it('credit every conversion once', () => {
    const paths = [path('A > B', 3), path('B', 2), path('C > A > C', 1, 5)];
    for (const model of ['last_touch', 'first_touch', 'linear', 'position_based', 'markov', 'shapley'] as const) {
      const r = attribute(paths, model);
      expect(r.total_conversions).toBe(6);
      expect(r.channels.reduce((s, c) => s + c.conversions, 0), model).toBeCloseTo(6, 9);
    }
    const last = byChannel(attribute(paths, 'last_touch').channels);
    expect(last.B!.conversions).toBe(5);
    expect(last.C!.conversions).toBe(1);
  });
});

describe('paths from touches', () => {
  const DAY = 86_400_000;
  it('uses the touches inside the 30-day lookback, each once; older or unconverted touches become null journeys', () => {
    const touches = [
      { who: 'v1', at: 0, channel: 'old' },
      { who: 'v1', at: 40 * DAY, channel: 'A' },
      { who: 'v1', at: 41 * DAY, channel: 'B' },
      { who: 'v1', at: 50 * DAY, channel: 'C' },
      { who: 'v2', at: 5 * DAY, channel: 'A' },
    ];
    const conversions = [
      { who: 'v1', at: 42 * DAY, value: 10 },
      { who: 'v1', at: 60 * DAY, value: 20 },
      { who: 'v3', at: 1 * DAY, value: 5 }, // no touch: baseline, no path
    ];
    const paths = buildPaths(touches, conversions);
    const summary = paths.map((p) => `${p.channels.join('>')}:${p.conversions}/${p.nulls}/${p.value}`).sort();
    expect(summary).toEqual(['A:0/1/0', 'A>B:1/0/10', 'C:1/0/20', 'old:0/1/0']);
  });
});

describe('ChannelAttribution path files', () => {
  it('reads path, total_conversions, total_conversion_value, total_null', () => {
    const paths = parseChannelPaths('path,total_conversions,total_conversion_value,total_null\n"A > B > C",3,120.5,10\nB,0,0,4\n');
    expect(paths).toEqual([
      { channels: ['A', 'B', 'C'], conversions: 3, value: 120.5, nulls: 10 },
      { channels: ['B'], conversions: 0, value: 0, nulls: 4 },
    ]);
  });

  it('names the line and field of every bad row', () => {
    expect(() => parseChannelPaths('path,total_conversions\nA > ,1\nB,-2\n', 'p.csv')).toThrow(
      /p\.csv: 2 bad rows: line 2, field path: empty channel in 'A > '; line 3, field total_conversions: expected a number ≥ 0, got '-2'/,
    );
    expect(() => parseChannelPaths('channel,count\nA,1\n', 'p.csv')).toThrow(/needs 'path' and 'total_conversions'/);
  });
});

describe('clout attribute', () => {
  const run = (args: string[]) => clout(['attribute', ...args]);
  const dir = mkdtempSync(join(tmpdir(), 'clout-attribute-'));

  it('--paths FILE --model markov --json gives the documented document and the known answer', async () => {
    const file = join(dir, 'paths.csv');
    writeFileSync(file, 'path,total_conversions,total_conversion_value,total_null\n"C1 > C2 > C3",1,10,0\nC1,0,0,1\n"C2 > C3",0,0,1\n');
    const r = await run(['--paths', file, '--model', 'markov', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['model', 'total_conversions', 'total_value', 'channels']);
    expect(doc.model).toBe('markov');
    expect(doc.total_conversions).toBe(1);
    expect(doc.total_value).toBe(10);
    expect(doc.channels.map((c: { channel: string; conversions: number; value: number; removal_effect: number }) => [c.channel, +c.conversions.toFixed(9), +c.value.toFixed(9), c.removal_effect])).toEqual([
      ['C2', 0.4, 4, 1],
      ['C3', 0.4, 4, 1],
      ['C1', 0.2, 2, 0.5],
    ]);
    expect((await run(['--paths', join(dir, 'nope.csv')])).code).toBe(2);
    expect((await run(['--paths', file, '--model', 'magic'])).stderr).toMatch(/--model must be one of last_touch, first_touch/);
  });

  it('builds paths from the store: a visitor clicks two posts, then buys through the second', async () => {
    const world = join(dir, 'store-world');
    mkdirSync(world);
    writeFileSync(join(world, 'posts.csv'), 'id,author_id,created_at,link_id\np1,ann,2026-01-01T00:00:00Z,l1\np2,bob,2026-01-02T00:00:00Z,l2\n');
    writeFileSync(join(world, 'links.csv'), 'id,url,post_id\nl1,https://shop.example/a,p1\nl2,https://shop.example/b,p2\n');
    writeFileSync(
      join(world, 'clicks.csv'),
      'id,link_id,at,visitor_id,is_bot\nk1,l1,2026-01-01T10:00:00Z,v1,false\nk2,l2,2026-01-03T10:00:00Z,v1,false\nk3,l2,2026-01-03T10:00:01Z,v1,true\nk4,l1,2026-01-04T10:00:00Z,v2,false\n',
    );
    writeFileSync(join(world, 'conversions.csv'), 'id,at,type,value,currency,click_id\ns1,2026-01-03T12:00:00Z,sale,20.00,USD,k2\ns2,2026-01-05T12:00:00Z,sale,5.00,USD,\n');
    const db = join(dir, 'store.duckdb');
    const store = await openStore(db);
    try {
      await importPaths(store, [world], { rejectsPath: join(dir, 'rejects.ndjson') });
    } finally {
      await closeStore(store);
    }
    const credit = async (model: string) => {
      const r = await run(['--db', db, '--by', 'account', '--model', model, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.conversions_without_path).toBe(1); // s2 carries no click
      return Object.fromEntries(doc.channels.map((c: { channel: string; value: number }) => [c.channel, c.value]));
    };
    expect(await credit('last_touch')).toEqual({ bob: 20, ann: 0 });
    expect(await credit('first_touch')).toEqual({ ann: 20, bob: 0 });
    expect(await credit('linear')).toEqual({ ann: 10, bob: 10 });
  });
});
