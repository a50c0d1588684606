/**
 * Use case "did this post or campaign change the outcome?" from the store (`clout impact --post ID | --campaign ID`):
 * the outcome series around the event (a metric series or conversions per bucket) with metric controls, ready for the
 * causal impact engine — and the same question of a researcher's wide CSV file (`clout impact DATA.csv`, read by
 * ingest/wide-csv.ts). Each runs the engine with the caller's progress hooks.
 */
import { z } from 'zod';
import { CONVERSION_TYPES, CloutError } from '../domain/index.js';
import {
  IMPACT_DEFAULTS,
  buildEventSeries,
  chooseBucket,
  type Bucket,
  type ImpactData,
  type ImpactHooks,
  type ImpactOptions,
  type ImpactResult,
} from '../analysis/impact/index.js';
import { csvImpactData, readCsvTable } from '../ingest/wide-csv.js';
import { runImpact } from './impact-run.js';
import {
  campaignCurrency,
  campaignEvent,
  campaignMetrics,
  campaignPostSpan,
  conversionBuckets,
  conversionSpan,
  metricPoints,
  metricSeriesList,
  postEvent,
  type Conn,
} from '../store/index.js';

export type { ImpactHooks, ImpactOptions, ImpactResult };

/** The store's outcome series around a post or campaign, ready for the engine. */
export interface StoreImpactInput {
  data: ImpactData;
  bucket: Bucket;
  event: { kind: 'post' | 'campaign'; id: string; at: string };
  outcome: string;
  notes: string[];
}

/** Options of `impact` around a post or campaign of the store (`post` is a range START..END with a CSV file). */
/**
 * Iterations of the joint model's sampler when `impact --post` fits it (`--joint-niter`; a fifth are burn-in).
 * Moderate on purpose: the command fits every candidate post of the store to answer about one. On the demo world
 * (seed 42, 663 candidate posts) 300, 600, 1000 and 1500 iterations gave the same false positives (0 of 309) and
 * power (29 of 29) in `npm run check:impact-posts`; 600 and fewer left convergence warnings (ESS < 100), 1000 none.
 */
export const JOINT_NITER = 1000;

export const IMPACT_STORE_OPTIONS = z
  .object({
    post: z.string().optional().describe('the post whose effect is measured (with a CSV file: the post-period START..END)'),
    campaign: z.string().optional().describe('the campaign whose effect is measured'),
    target: z.string().optional().describe('the outcome: a metric series (default: the campaign metric, else conversions per bucket); with a CSV file, its column'),
    controls: z.array(z.string().min(1)).default([]).describe('control series (default from the store: every other metric series covering the window)'),
    type: z.array(z.enum(CONVERSION_TYPES)).default([]).describe('conversion types counted as the outcome (default: sales for a post, its own for a campaign)'),
    bucket: z.enum(['day', 'hour']).optional().describe('time bucket of the series (default: chosen from the data)'),
    window: z.number().int().min(1).max(100_000).optional().describe('buckets after the event in the post-period'),
    pre_buckets: z.number().int().min(3).max(10_000_000).optional().describe('buckets before the event in the pre-period (default: all the data before it)'),
    joint: z.boolean().default(true).describe("with --post: answer from the outcome model's joint per-post estimate when neighbouring posts overlap the window"),
    joint_niter: z.number().int().min(50).max(1_000_000).default(JOINT_NITER).describe("with --post: iterations of the joint model's sampler"),
  })
  .strict();
export type ImpactStoreOptions = z.output<typeof IMPACT_STORE_OPTIONS>;

/** The request of `storeImpactInput` from the options. */
export function storeImpactRequest(o: ImpactStoreOptions): StoreImpactRequest {
  return { post: o.post, campaign: o.campaign, target: o.target, controls: o.controls, types: o.type, bucket: o.bucket, window: o.window, preBuckets: o.pre_buckets };
}

/** The model options the CLI exposes (the engine's own schema, analysis/impact/options.ts, holds the rest). */
export const IMPACT_MODEL_OPTIONS = z
  .object({
    seasons: z.number().int().min(1).max(10_000).default(IMPACT_DEFAULTS.seasons).describe('seasons of the seasonal component (1: none)'),
    season_duration: z.number().int().min(1).max(100_000).default(IMPACT_DEFAULTS.season_duration).describe('time points per season'),
    trend: z.enum(['local_level', 'local_linear_trend']).default(IMPACT_DEFAULTS.trend).describe('trend component'),
    dynamic: z.boolean().default(false).describe('random-walk regression coefficients instead of static spike-and-slab ones'),
    prior_level_sd: z.number().gt(0).optional().describe("fix the prior guess of the level's random-walk s.d., as a share of the target's s.d., as R's prior.level.sd (default: learned from the pre-period)"),
    r_defaults: z.boolean().default(false).describe("R CausalImpact's model exactly: prior.level.sd 0.01 (unless given) and its observation prior"),
    backtest: z.boolean().default(IMPACT_DEFAULTS.backtest).describe('backtest the forecasts on the pre-period (calibration); --no-backtest skips it'),
    standardize: z.boolean().default(true).describe('standardise every series with its pre-period mean and s.d.'),
    niter: z.number().int().min(10).max(1_000_000).default(IMPACT_DEFAULTS.niter).describe('MCMC iterations'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(IMPACT_DEFAULTS.seed).describe('seed of the sampler'),
    alpha: z.number().gt(0).lt(1).optional().describe(`tail area of the intervals (default ${IMPACT_DEFAULTS.alpha}: 95% intervals)`),
  })
  .strict();
export type ImpactModelOptions = z.output<typeof IMPACT_MODEL_OPTIONS>;

/** The engine's options from the model options. */
export function impactModelOptions(o: ImpactModelOptions): ImpactOptions {
  return {
    niter: o.niter,
    seed: o.seed,
    seasons: o.seasons,
    season_duration: o.season_duration,
    trend: o.trend,
    dynamic_regression: o.dynamic,
    standardize: o.standardize,
    r_defaults: o.r_defaults,
    backtest: o.backtest,
    ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
    ...(o.prior_level_sd !== undefined ? { prior_level_sd: o.prior_level_sd } : {}),
  };
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
export async function storeImpactInput(conn: Conn, req: StoreImpactRequest): Promise<StoreImpactInput> {
  if ((req.post === undefined) === (req.campaign === undefined)) {
    throw new CloutError('usage', 'give exactly one of --post ID or --campaign ID (or a CSV file)');
  }
  let kind: 'post' | 'campaign';
  let eventAt: number;
  let eventEnd: number | undefined;
  let campaignId: string | undefined;
  let campaignMetric: string | null = null;
  if (req.post !== undefined) {
    const post = await postEvent(conn, req.post);
    if (!post) throw new CloutError('usage', `no post '${req.post}' in the store`);
    kind = 'post';
    eventAt = post.created_at;
  } else {
    const c = await campaignEvent(conn, req.campaign!);
    if (!c) throw new CloutError('usage', `no campaign '${req.campaign}' in the store`);
    kind = 'campaign';
    campaignId = c.id;
    campaignMetric = c.metric;
    const span = await campaignPostSpan(conn, c.id);
    const start = c.starts_at ?? span.first;
    if (start === null) throw new CloutError('input', `campaign '${c.id}' has no start date and no posts; cannot place the intervention`);
    eventAt = start;
    eventEnd = c.ends_at ?? span.last ?? undefined;
  }
  const metrics = await metricSeriesList(conn);
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
    targetPoints = await metricPoints(conn, metricTarget);
  } else {
    const cspan = await conversionSpan(conn);
    if (cspan.first === null || cspan.last === null) throw new CloutError('input', 'the store has no conversions and no metric series to measure an outcome');
    const types = req.types.length > 0 ? req.types : kind === 'post' ? ['sale'] : [];
    const daily = metrics.find((m) => m.all_midnight);
    bucket = req.bucket ?? (daily ? 'day' : chooseBucket({ spanMs: cspan.last - cspan.first }));
    targetPoints = await conversionBuckets(conn, { bucket, types, campaignId });
    targetName = `${campaignId ? `${campaignId} ` : ''}${types.length > 0 ? types.join('+') : 'conversion'} count per ${bucket}`;
    emptyIsZero = true;
    const mspan = metrics.length > 0 ? { from: Math.min(...metrics.map((m) => m.first_at)), to: Math.max(...metrics.map((m) => m.last_at)) } : undefined;
    span = mspan ?? { from: cspan.first, to: cspan.last };
    // A metric series that repeats these counts is the same outcome measured elsewhere: use it, never as a control.
    const probe = buildEventSeries({ bucket, eventAt, eventEnd, window: req.window, preBuckets: req.preBuckets, target: { name: targetName, points: targetPoints, emptyIsZero }, controls: [], span });
    for (const m of metrics) {
      const s = buildEventSeries({ bucket, eventAt, eventEnd, window: req.window, preBuckets: req.preBuckets, target: { name: m.series, points: await metricPoints(conn, m.series), emptyIsZero: false }, controls: [], span });
      if (s.data.y.length === probe.data.y.length && nearlySame(probe.data.y as Float64Array, s.data.y as Float64Array)) {
        duplicate = m.series;
        break;
      }
    }
    if (duplicate !== undefined) {
      notes.push(`metric series '${duplicate}' equals the ${targetName}; it is the outcome`);
      targetName = duplicate;
      targetPoints = await metricPoints(conn, duplicate);
      emptyIsZero = false;
    }
  }
  let controlNames = req.controls;
  if (controlNames.length === 0) {
    // Default controls: every other series, except the outcomes of campaigns (an intervention moves those).
    const outcomes = new Map((await campaignMetrics(conn)).map((c) => [c.metric, c.id]));
    controlNames = [...metricNames].filter((s) => s !== targetName && s !== duplicate && !outcomes.has(s));
    const skipped = [...metricNames].filter((s) => s !== targetName && s !== duplicate && outcomes.has(s));
    if (skipped.length > 0) {
      notes.push(`not used as controls: ${skipped.map((s) => `'${s}' (outcome of campaign ${outcomes.get(s)})`).join(', ')}`);
    }
  }
  const controls = [];
  for (const name of controlNames) controls.push({ name, points: await metricPoints(conn, name) });
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

/** What `clout impact DATA.csv` asks of a wide CSV file: the target column, its controls, and the two periods. */
export interface CsvImpactRequest {
  target: string;
  controls: string[];
  pre: string;
  post: string;
}

/** Causal impact on one column of a wide CSV file (one column per series), the others given as controls. */
export async function impactFromCsv(file: string, req: CsvImpactRequest, options: ImpactOptions, hooks: ImpactHooks = {}): Promise<ImpactResult> {
  const data = csvImpactData(readCsvTable(file), file, req.target, req.controls, req.pre, req.post);
  return runImpact(data, options, hooks);
}

/** Causal impact around a campaign (or post) in the store, with its outcome series' context. */
export interface ImpactAround {
  input: StoreImpactInput;
  result: ImpactResult;
  /** The campaign's currency when the outcome is its own metric series (which counts money); else null. */
  currency: string | null;
}

/**
 * Reads the outcome series around the event from the store and runs the engine on it; `currency: true` also looks up
 * the currency a campaign's own metric series counts in.
 */
export async function impactAround(conn: Conn, req: StoreImpactRequest, options: ImpactOptions, hooks: ImpactHooks = {}, want: { currency?: boolean } = {}): Promise<ImpactAround> {
  const input = await storeImpactInput(conn, req);
  const currency = req.campaign !== undefined && want.currency === true ? await outcomeCurrency(conn, req.campaign, input.outcome) : null;
  return { input, result: await runImpact(input.data, options, hooks), currency };
}

/** The currency of a campaign's outcome series when it is the campaign's own metric series (which counts money); else null. */
export async function outcomeCurrency(conn: Conn, campaign: string, outcome: string): Promise<string | null> {
  const c = await campaignEvent(conn, campaign);
  return c?.metric != null && c.metric === outcome ? campaignCurrency(conn, campaign) : null;
}
