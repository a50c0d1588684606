/**
 * Builds the impact engine's input around an event (a post, a campaign) from plain time-stamped points: buckets
 * them by UTC day or hour, lays out the pre-period (everything before the event's bucket) and the post period (the
 * event's bucket onward, for a window or through the campaign's end), and aligns the controls. Pure: the store
 * queries that feed it live in src/store/series.ts.
 */
import { CloutError, MS_PER_DAY, MS_PER_HOUR, formatDate } from '../../domain/index.js';
import type { ImpactData } from './data.js';

/** Width of a time bucket (UTC). */
export type Bucket = 'day' | 'hour';

/** A time-stamped value (epoch ms). */
export interface PointLike {
  at: number;
  value: number;
}

/** What to build the series from. */
export interface EventSeriesInput {
  bucket: Bucket;
  /** When the intervention happened (epoch ms) and, for a campaign, when it ended. */
  eventAt: number;
  eventEnd?: number;
  /** Post-period length in buckets when there is no end (default: 7 days or 48 hours). */
  window?: number;
  /** At most this many buckets before the event (default: all the data has). */
  preBuckets?: number;
  /** The outcome; empty buckets are 0 for counted events (conversions) and missing for a measured series. */
  target: { name: string; points: readonly PointLike[]; emptyIsZero: boolean };
  controls: readonly { name: string; points: readonly PointLike[] }[];
  /** Controls named by the user: a gap in one is an error instead of leaving it out. */
  controlsRequired?: boolean;
  /** Extent of the data (epoch ms) when the target alone does not show it (sparse counts). */
  span?: { from: number; to: number };
}

/** The impact input around the event, and what was adjusted on the way. */
export interface EventSeries {
  data: ImpactData;
  bucket: Bucket;
  notes: string[];
}

/** Default post-period length per bucket: a week of days, two days of hours. */
export const DEFAULT_WINDOW: Record<Bucket, number> = { day: 7, hour: 48 };

const STEP: Record<Bucket, number> = { day: MS_PER_DAY, hour: MS_PER_HOUR };

function floorTo(ms: number, bucket: Bucket): number {
  const step = STEP[bucket];
  return Math.floor(ms / step) * step;
}

function label(ms: number, bucket: Bucket): string {
  return bucket === 'day' ? formatDate(ms) : new Date(ms).toISOString().slice(0, 13) + ':00Z';
}

/**
 * Chooses day or hour buckets from the data: a metric series keeps its own spacing (daily when every point is at
 * midnight UTC at least a day apart); counted events use days when they span at least two weeks, else hours.
 */
export function chooseBucket(info: { metric?: { all_midnight: boolean; min_step: number | null }; spanMs?: number }): Bucket {
  if (info.metric) return info.metric.all_midnight && (info.metric.min_step === null || info.metric.min_step >= MS_PER_DAY) ? 'day' : 'hour';
  return (info.spanMs ?? 0) >= 14 * MS_PER_DAY ? 'day' : 'hour';
}

/** Buckets the points and returns the impact input with pre = [first bucket, event − 1], post = [event, end]. */
export function buildEventSeries(input: EventSeriesInput): EventSeries {
  const { bucket } = input;
  const step = STEP[bucket];
  const notes: string[] = [];
  const tp = input.target.points;
  if (tp.length === 0 && !input.span) throw new CloutError('input', `impact: the outcome '${input.target.name}' has no data`);
  let first = floorTo(input.span?.from ?? tp[0]!.at, bucket);
  const last = floorTo(input.span?.to ?? tp[tp.length - 1]!.at, bucket);
  const event = floorTo(input.eventAt, bucket);
  if (input.preBuckets !== undefined) first = Math.max(first, event - input.preBuckets * step);
  const fmt = (ms: number) => label(ms, bucket);
  if (event > last) {
    throw new CloutError('input', `impact: the event (${fmt(event)}) comes after the last data point (${fmt(last)}); there is no post period`);
  }
  const preCount = Math.round((event - first) / step);
  if (preCount < 3) {
    throw new CloutError('input', `impact: only ${Math.max(0, preCount)} ${bucket}(s) of data before the event (${fmt(event)}); need ≥ 3`);
  }
  let end = input.eventEnd !== undefined ? floorTo(input.eventEnd, bucket) : event + ((input.window ?? DEFAULT_WINDOW[bucket]) - 1) * step;
  if (end < event) end = event;
  if (end > last) {
    notes.push(`the post period is cut at the end of the data (${fmt(last)})`);
    end = last;
  }
  const rows = Math.round((end - first) / step) + 1;
  const times: string[] = [];
  for (let i = 0; i < rows; i++) times.push(fmt(first + i * step));

  const align = (points: readonly PointLike[], empty: number): { values: Float64Array; missing: number } => {
    const values = new Float64Array(rows).fill(empty);
    const seen = new Uint8Array(rows);
    for (const p of points) {
      const i = Math.round((floorTo(p.at, bucket) - first) / step);
      if (i < 0 || i >= rows) continue;
      values[i] = seen[i] ? values[i]! + p.value : p.value; // several points in one bucket add up
      seen[i] = 1;
    }
    let missing = 0;
    for (let i = 0; i < rows; i++) if (!seen[i]) missing++;
    return { values, missing };
  };
  const y = align(tp, input.target.emptyIsZero ? 0 : NaN).values;
  const controls = [];
  for (const c of input.controls) {
    const { values, missing } = align(c.points, NaN);
    if (missing > 0) {
      const msg = `control '${c.name}' has no value for ${missing} of ${rows} ${bucket}s`;
      if (input.controlsRequired) throw new CloutError('input', `impact: ${msg}; controls need a value at every ${bucket}`);
      notes.push(`${msg}; it is left out`);
      continue;
    }
    controls.push({ name: c.name, values });
  }
  const e = preCount;
  return {
    data: { y, controls, pre: [0, e - 1], post: [e, rows - 1], times, target: input.target.name },
    bucket,
    notes,
  };
}
