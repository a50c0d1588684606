/**
 * Use case "who moves outcomes" (`clout influence`, and the model sections of `clout report`): reads what the
 * outcome-influence model and its comparison scores need from the store, then fits the (pure, seeded) model — one
 * outcome type at a time, the same posts and sampler settings for both commands.
 */
import { z } from 'zod';
import { OUTCOME_INFLUENCE_DEFAULTS, fitOutcomeInfluence, type OutcomeInfluenceResult } from '../analysis/influence/outcome-model.js';
import { CONVERSION_TYPES, CloutError, type CandidatePosts } from '../domain/index.js';
import { burnFor, candidatesFor, type OutcomeInfluenceSources } from '../report/outcome-influence-input.js';
import { noOutcomesNote, outcomeInfluenceDoc, type OutcomeInfluenceDoc, type CreditReportInput } from '../report/index.js';
import { campaignMetrics, type Conn } from '../store/index.js';
import { metricSeriesNames } from './series-outcome.js';
import { loadInfluenceInput } from './influence-input.js';
import { loadLastTouchRows } from './last-touch.js';
import { storeGraph, storeReceivedCounts } from './network.js';
import { resolveOutcomeType } from './outcome-type.js';

/** Sampler settings shared by `influence` and `report`: iterations (a fifth of them burn-in) and seed. */
export const SAMPLER_OPTIONS = {
  niter: z.number().int().min(50).max(1_000_000).default(OUTCOME_INFLUENCE_DEFAULTS.niter).describe("iterations of the outcome model's sampler (a fifth burn-in)"),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).describe('seed of the sampler'),
};

/** A metric series as the outcome, shared by `influence` and `report`. */
export const SERIES_OPTION = z
  .string()
  .min(1)
  .optional()
  .describe('a metric series of counts per day (or hour) to model as the outcome instead of conversions, e.g. daily units sold');

/** Options of `influence`: one schema for the CLI's flags and the HTTP query. */
export const INFLUENCE_OPTIONS = z
  .object({
    type: z.enum(CONVERSION_TYPES).optional().describe('the outcome type to model (default: the most common conversion type in the store)'),
    series: SERIES_OPTION,
    controls: z.array(z.string().min(1)).default([]).describe('daily metric series that track the baseline'),
    ...SAMPLER_OPTIONS,
  })
  .strict();
export type InfluenceRequest = z.output<typeof INFLUENCE_OPTIONS>;

/** Request of loadOutcomeInfluenceSources. */
export interface SourcesRequest {
  /** Outcome types of the model (one type); must not be empty. */
  types: string[];
  /** Daily metric series used as the baseline covariate (default none). */
  controls?: string[];
  /** Last-touch rows already loaded for exactly these types (saves the queries). */
  report?: CreditReportInput;
  /** A metric series whose values are the outcome counts (the model's outcome instead of the conversions of `types`). */
  series?: string;
}

/** Reads the model's input, the last-touch rows, the follow graph and the received counts from the store. */
export async function loadOutcomeInfluenceSources(conn: Conn, req: SourcesRequest): Promise<OutcomeInfluenceSources> {
  const candidates = req.series === undefined ? candidatesFor(req.types) : await candidatesForSeries(conn, req.series);
  const input = await loadInfluenceInput(conn, { types: req.types, candidates, controls: req.controls ?? [], series: req.series });
  const report = req.report ?? (await loadLastTouchRows(conn, { types: req.types }));
  const follows = await storeGraph(conn, 'follows');
  const received = await storeReceivedCounts(conn);
  return { types: [...req.types], candidates, input, report, follows, received };
}

/** Which posts may move a series: a campaign's posts when a campaign names it as its outcome, else link posts outside campaigns. */
async function candidatesForSeries(conn: Conn, series: string): Promise<CandidatePosts> {
  return (await campaignMetrics(conn)).some((c) => c.metric === series) ? 'in_campaigns' : 'outside_campaigns';
}

/** Fits the outcome-influence model to the sources (null when there is no candidate post or no outcome event). */
export function fitSources(sources: OutcomeInfluenceSources, settings: { niter: number; seed: number }): OutcomeInfluenceResult | null {
  if (sources.input.posts.length === 0 || sources.input.outcomes === 0) return null;
  return fitOutcomeInfluence(sources.input.data, { niter: settings.niter, burn: burnFor(settings.niter), seed: settings.seed });
}

/** Reads the sources of the asked outcome type (the store is only read here). */
export async function loadInfluence(conn: Conn, options: InfluenceRequest): Promise<OutcomeInfluenceSources> {
  const type = await resolveOutcomeType(conn, options.type);
  const sources = await loadOutcomeInfluenceSources(conn, { types: [type], controls: options.controls, series: options.series });
  if (sources.input.outcomes === 0) throw new CloutError('input', noOutcomesNote(sources.types, await metricSeriesNames(conn)));
  return sources;
}

/** Fits the model on loaded sources and builds the `clout influence` document (pure, seeded; seconds). */
export function runInfluence(sources: OutcomeInfluenceSources, options: InfluenceRequest): OutcomeInfluenceDoc {
  if (sources.input.outcomes === 0) throw new CloutError('input', noOutcomesNote(sources.types, []));
  const fit = fitSources(sources, options);
  if (fit === null) {
    const what = sources.input.series === null ? `${sources.types.join('+')} outcomes` : `the series '${sources.input.series}' (posts made while it was recorded)`;
    throw new CloutError('input', `no candidate posts with links in the store for ${what}`);
  }
  return outcomeInfluenceDoc(sources, fit);
}
