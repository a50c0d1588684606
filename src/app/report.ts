/**
 * Use case "the report" (`clout report`, `GET /api/report`, the demo): who has followers, who brought and who caused
 * outcomes — about one outcome type at a time — and what each campaign caused. `loadReport` reads the store
 * (last-touch rows, the outcome model's sources, the social graph, the framing posts, each campaign's outcome
 * series); `runReport` fits and builds (pure, seeded; the server runs it in a worker thread so the redirect never
 * waits behind the samplers).
 */
import { z } from 'zod';
import { CONVERSION_TYPES, isoCurrencySchema } from '../domain/index.js';
import { FULL_REPORT_DEFAULTS, RANK_BY, buildFullReport, type FullReport, type FullReportInput, type FullReportOptions } from '../report/index.js';
import type { Conn } from '../store/index.js';
import { fitCampaignImpacts, loadCampaignImpacts } from './campaign-impact.js';
import { loadFramingPosts, defaultFramingRequest } from './framing.js';
import { SAMPLER_OPTIONS, SERIES_OPTION, fitSources, loadOutcomeInfluenceSources } from './influence.js';
import { loadLastTouchRows } from './last-touch.js';
import { storeGraph } from './network.js';
import { resolveOutcomeType } from './outcome-type.js';

/** An ISO 4217 currency option (any case; upper-cased). */
export const currencyOption = isoCurrencySchema;

/** Options of the report: one schema for the CLI's flags and the HTTP query. */
export const REPORT_OPTIONS = z
  .object({
    type: z.enum(CONVERSION_TYPES).optional().describe('the outcome type the report is about (default: the most common conversion type in the store)'),
    currency: currencyOption.optional().describe('currency of the value columns (default: that of most credited conversions)'),
    rank_by: z.enum(RANK_BY).default(FULL_REPORT_DEFAULTS.rankBy).describe('what the outcome ranking orders accounts by'),
    model: z.boolean().default(FULL_REPORT_DEFAULTS.model).describe('fit the outcome model (off: only the last-touch sections)'),
    series: SERIES_OPTION,
    ...SAMPLER_OPTIONS,
  })
  .strict();
export type ReportRequest = z.output<typeof REPORT_OPTIONS>;

/** The report's options for the builders, with the outcome type resolved. */
export function fullReportOptions(req: ReportRequest, type: string): FullReportOptions {
  return { types: [type], currency: req.currency, rankBy: req.rank_by, model: req.model, niter: req.niter, seed: req.seed, ...(req.series !== undefined ? { series: req.series } : {}) };
}

/** The loaded input and the options it was loaded for (the outcome type resolved against the store). */
export interface LoadedReport {
  input: FullReportInput;
  options: FullReportOptions;
}

/**
 * Loads last-touch rows, the outcome model's sources (unless the model is off), the social graph for the tribes, and
 * the link posts for the framing effects — all for one outcome type — and every campaign's outcome series (any type).
 */
export async function loadReport(conn: Conn, req: ReportRequest): Promise<LoadedReport> {
  const type = await resolveOutcomeType(conn, req.type);
  const options = fullReportOptions(req, type);
  const report = await loadLastTouchRows(conn, options);
  const outcome = options.model ? await loadOutcomeInfluenceSources(conn, { types: [type], report, series: req.series }) : null;
  const social = await storeGraph(conn, 'social');
  const request = defaultFramingRequest([type]);
  const framing = { request, posts: await loadFramingPosts(conn, request) };
  const campaignImpact = await loadCampaignImpacts(conn, report.campaigns.map((c) => c.id));
  return { input: { report, outcome, social, framing, campaignImpact }, options };
}

/**
 * Fits the model on loaded input (when on and there is something to fit), runs causal impact on every campaign with a
 * long enough series, and builds the report (pure, seeded).
 */
export function runReport(loaded: LoadedReport): FullReport {
  const { input, options } = loaded;
  const fit = options.model && input.outcome !== null ? fitSources(input.outcome, options) : null;
  return buildFullReport(input, fit, options, fitCampaignImpacts(input.campaignImpact, options.seed));
}

/** The whole report from a store connection: load, then fit and build. */
export async function report(conn: Conn, req: ReportRequest): Promise<FullReport> {
  return runReport(await loadReport(conn, req));
}
