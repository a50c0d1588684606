/**
 * What the outcome-influence sections of the report read: the model's input and the rows beside it, loaded by the
 * use case (app/influence.ts), and the small rules both share (which outcome types, which posts, how much burn-in).
 */
import type { OutcomeInfluenceData } from '../analysis/influence/outcome-model.js';
import type { Graph, ReceivedCounts } from '../analysis/network/index.js';
import type { Framing } from '../analysis/content/framing.js';
import type { CandidatePostRow, CandidatePosts } from '../domain/index.js';
import type { CreditReportInput } from './credit-report.js';

/** The model input plus what it takes to read the result back. */
export interface OutcomeInfluenceInput {
  data: OutcomeInfluenceData;
  posts: (CandidatePostRow & { framing: Framing; framing_reason: string })[];
  authors: string[];
  /** Metric series used as the baseline covariate (empty: flat). */
  controls: string[];
  /** Outcomes modelled: conversions of the types, or the sum of the series. */
  outcomes: number;
  /** The metric series whose values are the outcome counts, or null when the outcomes are conversions. */
  series: string | null;
}

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
  input: OutcomeInfluenceInput;
  /** Last-touch rows for the same outcome types (the "attributed" proxy). */
  report: CreditReportInput;
  /** Follow graph (for PageRank) and counts received per account (for engagement). */
  follows: Graph;
  received: Map<string, ReceivedCounts>;
}

/** Burn-in draws for `niter` iterations: the first fifth. */
export function burnFor(niter: number): number {
  return Math.floor(niter / 5);
}

