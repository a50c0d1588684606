/**
 * What the outcome-influence model and its comparison need from the store, and the fit — shared by `clout influence`
 * and `clout report` so both model the same outcomes from the same posts with the same sampler settings.
 * The loader is the I/O edge; `fitSources` runs the (pure, seeded) sampler.
 */
import { fitOutcomeInfluence, type InfluenceResult } from '../analysis/influence/outcome-model.js';
import type { Graph, ReceivedCounts } from '../analysis/network/index.js';
import type { CandidatePosts, Store } from '../store/index.js';
import type { ReportInput } from './influence-report.js';
import { loadInfluenceInput, type InfluenceInput } from './influence-input.js';
import { loadReportInput } from './load.js';
import { storeGraph, storeReceivedCounts } from './network-input.js';

/** The outcome types the model counts: the ones asked for, else sales. */
export function modelTypes(types: readonly string[]): string[] {
  return types.length > 0 ? [...types] : ['sale'];
}

/** Which posts may cause these outcomes: campaign posts for donations, else link posts outside campaigns. */
export function candidatesFor(types: readonly string[]): CandidatePosts {
  return types.length > 0 && types.every((t) => t === 'donation') ? 'in_campaigns' : 'outside_campaigns';
}

/** Everything the model and the comparison scores read, for one set of outcome types. */
export interface OutcomeInfluenceSources {
  types: string[];
  candidates: CandidatePosts;
  /** The model's input (posts, bins, clicks). */
  input: InfluenceInput;
  /** Last-touch rows for the same outcome types (the "attributed" proxy). */
  report: ReportInput;
  /** Follow graph (for PageRank) and counts received per account (for engagement). */
  follows: Graph;
  received: Map<string, ReceivedCounts>;
}

/** Request of loadOutcomeInfluenceSources. */
export interface SourcesRequest {
  /** Outcome types of the model (give modelTypes(...)); must not be empty. */
  types: string[];
  /** Daily metric series used as the baseline covariate (default none). */
  controls?: string[];
  /** Last-touch rows already loaded for exactly these types (saves the queries). */
  report?: ReportInput;
}

/** Reads the model's input, the last-touch rows, the follow graph and the received counts from the store. */
export async function loadOutcomeInfluenceSources(store: Store, req: SourcesRequest): Promise<OutcomeInfluenceSources> {
  const candidates = candidatesFor(req.types);
  const input = await loadInfluenceInput(store, { types: req.types, candidates, controls: req.controls ?? [] });
  const report = req.report ?? (await loadReportInput(store, { types: req.types }));
  const follows = await storeGraph(store, 'follows');
  const received = await storeReceivedCounts(store);
  return { types: [...req.types], candidates, input, report, follows, received };
}

/** Sampler settings of both commands: iterations (a fifth of them burn-in) and seed. */
export interface FitSettings {
  niter: number;
  seed: number;
}

/** Burn-in draws for `niter` iterations: the first fifth. */
export function burnFor(niter: number): number {
  return Math.floor(niter / 5);
}

/** Fits the outcome-influence model to the sources (null when there is no candidate post to model). */
export function fitSources(sources: OutcomeInfluenceSources, settings: FitSettings): InfluenceResult | null {
  if (sources.input.posts.length === 0) return null;
  return fitOutcomeInfluence(sources.input.data, { niter: settings.niter, burn: burnFor(settings.niter), seed: settings.seed });
}
