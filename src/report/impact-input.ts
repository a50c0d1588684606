/**
 * The causal impact engine's input, built at the edge: from a wide CSV file (a date column and numeric columns) or
 * from the store around a post or campaign (a metric series or conversions per bucket, with metric controls).
 */
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { CloutError, parseTimestamp } from '../domain/index.js';
import { buildEventSeries, chooseBucket, type Bucket, type ImpactData } from '../analysis/impact/index.js';
import {
  campaignEvent,
  campaignMetrics,
  campaignPostSpan,
  conversionBuckets,
  conversionSpan,
  metricPoints,
  metricSeriesList,
  postEvent,
  type Store,
} from '../store/index.js';

const DATE_COLUMNS = ['date', 'time', 'day', 'timestamp', 'at', 'datetime', 'hour'];
const MISSING = new Set(['', 'na', 'nan', 'null', 'none']);
/** A decimal number as text (CSV cells and numeric flags). */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV file read into named numeric columns (NaN = missing) and optional row labels. */
export interface CsvTable {
  columns: string[];
  values: Map<string, Float64Array>;
  dateColumn: string | undefined;
  times: string[] | undefined;
  /** Per column, the first cell that is not a number (line, text), if any. */
  bad: Map<string, { line: number; text: string }>;
}

/** Reads a CSV (header row; optionally gzipped) into numeric columns; the date column becomes row labels. */
export function readCsvTable(path: string): CsvTable {
  if (!existsSync(path)) throw new CloutError('file_not_found', `no such file: ${path}`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  let records: string[][];
  try {
    records = parse(buf, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (e) {
    throw new CloutError('input', `${basename(path)}: not a readable CSV file: ${(e as Error).message}`);
  }
  if (records.length < 2) throw new CloutError('input', `${basename(path)}: needs a header row and at least one data row`);
  const columns = records[0]!.map((c) => c.trim());
  const rows = records.slice(1);
  const isNumberColumn = (j: number) => rows.every((r) => MISSING.has(r[j]!.toLowerCase()) || NUMBER.test(r[j]!));
  let dateIndex = columns.findIndex((c) => DATE_COLUMNS.includes(c.toLowerCase()));
  if (dateIndex < 0 && !isNumberColumn(0)) dateIndex = 0;
  const values = new Map<string, Float64Array>();
  const bad = new Map<string, { line: number; text: string }>();
  columns.forEach((name, j) => {
    if (j === dateIndex) return;
    const col = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const text = r[j]!;
      if (MISSING.has(text.toLowerCase())) col[i] = NaN;
      else if (NUMBER.test(text)) col[i] = Number(text);
      else {
        col[i] = NaN;
        if (!bad.has(name)) bad.set(name, { line: i + 2, text });
      }
    });
    values.set(name, col);
  });
  return {
    columns,
    values,
    dateColumn: dateIndex >= 0 ? columns[dateIndex] : undefined,
    times: dateIndex >= 0 ? rows.map((r) => r[dateIndex]!) : undefined,
    bad,
  };
}

/** Parses `START..END` (dates of the date column, or 0-based row numbers) into inclusive row indices. */
export function parsePeriod(text: string, flag: string, times: readonly string[] | undefined, rows: number): [number, number] {
  const m = /^(.+?)\.\.(.+)$/.exec(text.trim());
  if (!m) throw new CloutError('usage', `--${flag} must look like START..END (dates or 0-based row numbers), got '${text}'`);
  const find = (s: string): number => {
    const t = s.trim();
    if (times) {
      let i = times.indexOf(t);
      if (i >= 0) return i;
      const ms = parseTimestamp(t);
      if (ms !== undefined) {
        i = times.findIndex((x) => parseTimestamp(x) === ms);
        if (i >= 0) return i;
      }
    }
    if (/^\d+$/.test(t)) {
      const i = Number(t);
      if (i >= rows) throw new CloutError('usage', `--${flag}: row ${i} is past the last row (${rows - 1})`);
      return i;
    }
    throw new CloutError('usage', `--${flag}: no row has the date '${t}'${times ? '' : ' (the file has no date column; use 0-based row numbers)'}`);
  };
  return [find(m[1]!), find(m[2]!)];
}

/** Builds the engine's input from a CSV table and the flags (target, controls, periods). */
export function csvImpactData(table: CsvTable, file: string, target: string, controlNames: string[], pre: string, post: string): ImpactData {
  const known = [...table.values.keys()];
  const need = (name: string): Float64Array => {
    const col = table.values.get(name);
    if (!col) {
      const what = name === table.dateColumn ? 'is the date column' : 'does not exist';
      throw new CloutError('usage', `column '${name}' ${what} in ${basename(file)}; numeric columns: ${known.join(', ')}`);
    }
    const b = table.bad.get(name);
    if (b) throw new CloutError('input', `${basename(file)} line ${b.line}, column '${name}': '${b.text}' is not a number`);
    return col;
  };
  const rows = table.times?.length ?? table.values.values().next().value?.length ?? 0;
  const y = need(target);
  const names = controlNames.length > 0 ? controlNames : known.filter((c) => c !== target);
  const controls = names.map((name) => ({ name, values: need(name) }));
  return {
    y,
    controls,
    pre: parsePeriod(pre, 'pre', table.times, rows),
    post: parsePeriod(post, 'post', table.times, rows),
    times: table.times ?? Array.from({ length: rows }, (_, i) => i),
    target,
  };
}

/** The store's outcome series around a post or campaign, ready for the engine. */
export interface StoreImpactInput {
  data: ImpactData;
  bucket: Bucket;
  event: { kind: 'post' | 'campaign'; id: string; at: string };
  outcome: string;
  notes: string[];
}

/** Options of a store-based analysis (from the flags). */
export interface StoreImpactRequest {
  post?: string;
  campaign?: string;
  target?: string;
  controls: string[];
  types: string[];
  bucket?: Bucket;
  window?: number;
  preBuckets?: number;
}

const nearlySame = (a: Float64Array, b: Float64Array): boolean => {
  let same = 0, both = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
    both++;
    if (Math.abs(a[i]! - b[i]!) <= 1e-9 * Math.max(1, Math.abs(a[i]!))) same++;
  }
  return both > 0 && same >= 0.95 * both;
};

/**
 * Builds the outcome series around a post or campaign from the store. Outcome: `--target` (a metric series), else
 * the campaign's `metric` series when the store has it, else conversions counted per bucket (`--type`; a post
 * counts sales, a campaign its own conversions) — and a metric series that repeats those counts is used in their
 * place. Controls: `--controls`, else every other metric series that covers the whole window and is not the outcome
 * metric of a campaign.
 */
export async function storeImpactInput(store: Store, req: StoreImpactRequest): Promise<StoreImpactInput> {
  if ((req.post === undefined) === (req.campaign === undefined)) {
    throw new CloutError('usage', 'give exactly one of --post ID or --campaign ID (or a CSV file)');
  }
  let kind: 'post' | 'campaign';
  let eventAt: number;
  let eventEnd: number | undefined;
  let campaignId: string | undefined;
  let campaignMetric: string | null = null;
  if (req.post !== undefined) {
    const post = await postEvent(store, req.post);
    if (!post) throw new CloutError('usage', `no post '${req.post}' in the store`);
    kind = 'post';
    eventAt = post.created_at;
  } else {
    const c = await campaignEvent(store, req.campaign!);
    if (!c) throw new CloutError('usage', `no campaign '${req.campaign}' in the store`);
    kind = 'campaign';
    campaignId = c.id;
    campaignMetric = c.metric;
    const span = await campaignPostSpan(store, c.id);
    const start = c.starts_at ?? span.first;
    if (start === null) throw new CloutError('input', `campaign '${c.id}' has no start date and no posts; cannot place the intervention`);
    eventAt = start;
    eventEnd = c.ends_at ?? span.last ?? undefined;
  }
  const metrics = await metricSeriesList(store);
  const metricNames = new Set(metrics.map((m) => m.series));
  for (const name of [...(req.target ? [req.target] : []), ...req.controls]) {
    if (!metricNames.has(name)) {
      throw new CloutError('usage', `no metric series '${name}' in the store; series: ${[...metricNames].join(', ') || '(none)'}`);
    }
  }
  const notes: string[] = [];
  let targetName: string;
  let targetPoints: { at: number; value: number }[];
  let emptyIsZero = false;
  let bucket: Bucket;
  let span: { from: number; to: number } | undefined;
  const metricTarget = req.target ?? (campaignMetric !== null && metricNames.has(campaignMetric) ? campaignMetric : undefined);
  let duplicate: string | undefined;
  if (metricTarget !== undefined) {
    const info = metrics.find((m) => m.series === metricTarget)!;
    bucket = req.bucket ?? chooseBucket({ metric: info });
    targetName = metricTarget;
    targetPoints = await metricPoints(store, metricTarget);
  } else {
    const cspan = await conversionSpan(store);
    if (cspan.first === null || cspan.last === null) throw new CloutError('input', 'the store has no conversions and no metric series to measure an outcome');
    const types = req.types.length > 0 ? req.types : kind === 'post' ? ['sale'] : [];
    const daily = metrics.find((m) => m.all_midnight);
    bucket = req.bucket ?? (daily ? 'day' : chooseBucket({ spanMs: cspan.last - cspan.first }));
    targetPoints = await conversionBuckets(store, { bucket, types, campaignId });
    targetName = `${campaignId ? `${campaignId} ` : ''}${types.length > 0 ? types.join('+') : 'conversion'} count per ${bucket}`;
    emptyIsZero = true;
    const mspan = metrics.length > 0 ? { from: Math.min(...metrics.map((m) => m.first_at)), to: Math.max(...metrics.map((m) => m.last_at)) } : undefined;
    span = mspan ?? { from: cspan.first, to: cspan.last };
    // A metric series that repeats these counts is the same outcome measured elsewhere: use it, never as a control.
    const probe = buildEventSeries({ bucket, eventAt, eventEnd, window: req.window, preBuckets: req.preBuckets, target: { name: targetName, points: targetPoints, emptyIsZero }, controls: [], span });
    for (const m of metrics) {
      const s = buildEventSeries({ bucket, eventAt, eventEnd, window: req.window, preBuckets: req.preBuckets, target: { name: m.series, points: await metricPoints(store, m.series), emptyIsZero: false }, controls: [], span });
      if (s.data.y.length === probe.data.y.length && nearlySame(probe.data.y as Float64Array, s.data.y as Float64Array)) {
        duplicate = m.series;
        break;
      }
    }
    if (duplicate !== undefined) {
      notes.push(`metric series '${duplicate}' equals the ${targetName}; it is the outcome`);
      targetName = duplicate;
      targetPoints = await metricPoints(store, duplicate);
      emptyIsZero = false;
    }
  }
  let controlNames = req.controls;
  if (controlNames.length === 0) {
    // Default controls: every other series, except the outcomes of campaigns (an intervention moves those).
    const outcomes = new Map((await campaignMetrics(store)).map((c) => [c.metric, c.id]));
    controlNames = [...metricNames].filter((s) => s !== targetName && s !== duplicate && !outcomes.has(s));
    const skipped = [...metricNames].filter((s) => s !== targetName && s !== duplicate && outcomes.has(s));
    if (skipped.length > 0) {
      notes.push(`not used as controls: ${skipped.map((s) => `'${s}' (outcome of campaign ${outcomes.get(s)})`).join(', ')}`);
    }
  }
  const controls = [];
  for (const name of controlNames) controls.push({ name, points: await metricPoints(store, name) });
  const built = buildEventSeries({
    bucket,
    eventAt,
    eventEnd,
    window: req.window,
    preBuckets: req.preBuckets,
    target: { name: targetName, points: targetPoints, emptyIsZero },
    controls,
    controlsRequired: req.controls.length > 0,
    span,
  });
  return {
    data: built.data,
    bucket,
    event: { kind, id: (req.post ?? req.campaign)!, at: new Date(eventAt).toISOString() },
    outcome: targetName,
    notes: [...notes, ...built.notes],
  };
}
