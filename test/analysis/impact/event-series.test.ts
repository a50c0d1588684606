/**
 * Building the impact input around an event from time-stamped points (the store path's pure half): buckets, periods,
 * empty buckets, controls with gaps, and the errors when there is too little data around the event.
 */
import { describe, expect, it } from 'vitest';
import { buildEventSeries, chooseBucket } from '../../../src/analysis/impact/index.js';
import { CloutError } from '../../../src/domain/index.js';

const DAY = 86_400_000, HOUR = 3_600_000;
const t0 = Date.UTC(2026, 0, 1);

describe('buildEventSeries', () => {
  it('lays out days before the event as the pre-period and a week from the event as the post period', () => {
    const points = Array.from({ length: 30 }, (_, d) => ({ at: t0 + d * DAY, value: d }));
    const s = buildEventSeries({
      bucket: 'day',
      eventAt: t0 + 20 * DAY + 17 * HOUR,
      target: { name: 'sales', points, emptyIsZero: false },
      controls: [{ name: 'other', points: points.map((p) => ({ ...p, value: 2 * p.value })) }],
    });
    expect(s.data.pre).toEqual([0, 19]);
    expect(s.data.post).toEqual([20, 26]);
    expect(s.data.times![20]).toBe('2026-01-21');
    expect(Array.from(s.data.y)).toEqual(Array.from({ length: 27 }, (_, d) => d));
    expect(s.data.controls![0]!.values[5]).toBe(10);
  });

  it('counts events per hour with empty hours as 0, cuts the window at the end of the data and drops gappy controls', () => {
    const sales = [
      { at: t0 + 1 * HOUR + 5, value: 1 },
      { at: t0 + 1 * HOUR + 900, value: 1 },
      { at: t0 + 7 * HOUR, value: 1 },
    ];
    const s = buildEventSeries({
      bucket: 'hour',
      eventAt: t0 + 5 * HOUR + 30 * 60_000,
      target: { name: 'sale count', points: sales, emptyIsZero: true },
      controls: [{ name: 'gappy', points: [{ at: t0, value: 1 }] }],
      span: { from: t0, to: t0 + 9 * HOUR },
    });
    expect(Array.from(s.data.y)).toEqual([0, 2, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(s.data.pre).toEqual([0, 4]);
    expect(s.data.post).toEqual([5, 9]);
    expect(s.data.times![5]).toBe('2026-01-01T05:00Z');
    expect(s.data.controls).toHaveLength(0);
    expect(s.notes.join(' ')).toMatch(/cut at the end of the data/);
    expect(s.notes.join(' ')).toMatch(/control 'gappy' has no value for 9 of 10 hours; it is left out/);
  });

  it('refuses events with fewer than 3 buckets before them or after the data', () => {
    const points = Array.from({ length: 10 }, (_, d) => ({ at: t0 + d * DAY, value: d }));
    const base = { bucket: 'day' as const, target: { name: 'y', points, emptyIsZero: false }, controls: [] };
    expect(() => buildEventSeries({ ...base, eventAt: t0 + 2 * DAY })).toThrow(/only 2 day\(s\) of data before the event/);
    expect(() => buildEventSeries({ ...base, eventAt: t0 + 20 * DAY })).toThrow(CloutError);
    expect(() =>
      buildEventSeries({ ...base, eventAt: t0 + 5 * DAY, controls: [{ name: 'c', points: points.slice(0, 8) }], controlsRequired: true }),
    ).toThrow(/control 'c' has no value for 2 of 10 days/);
    expect(buildEventSeries({ ...base, eventAt: t0 + 8 * DAY, preBuckets: 4 }).data.pre).toEqual([0, 3]);
  });

  it('chooses days for midnight-spaced metrics and long spans, hours otherwise', () => {
    expect(chooseBucket({ metric: { all_midnight: true, min_step: DAY } })).toBe('day');
    expect(chooseBucket({ metric: { all_midnight: false, min_step: HOUR } })).toBe('hour');
    expect(chooseBucket({ spanMs: 30 * DAY })).toBe('day');
    expect(chooseBucket({ spanMs: 3 * DAY })).toBe('hour');
  });
});
