/**
 * The report's framing effects on clicks and conversions (`framing_effects[]`): the within-author estimate of
 * analysis/content/framing-effects.ts on the posts report/framing-input.ts loads, cut down to the rows the report
 * carries — and a warning, never a failure, when the store holds too little to compare framings. Also the side-by-side
 * view the renderers read: per framing, its effect on clicks, on conversions and (from the outcome model) on
 * incremental outcomes. Pure.
 */
import { framingEffects, type FramingEffectsResult, type FramingPost } from '../analysis/content/framing-effects.js';
import { FRAMINGS, REFERENCE_FRAMING, type FramingScope } from '../domain/index.js';

/** How a post's audience enters: reach = the author's followers plus those reached through reposts; none = 1 per post. */
export const FRAMING_EXPOSURES = ['reach', 'none'] as const;
export type FramingExposure = (typeof FRAMING_EXPOSURES)[number];

/** What the click outcome counts (the loader passes these clicks as `clicks`). */
export const FRAMING_CLICKS = 'human clicks that no conversion carries';

/** Which posts and counts to load. */
export interface FramingPostsRequest {
  /** Conversion types counted (all when empty). */
  types: string[];
  /** Which link posts: outside campaigns, inside them, or all. */
  scope: FramingScope;
  exposure: FramingExposure;
}


const FRAMING_ORDER = FRAMINGS;
const REFERENCE = REFERENCE_FRAMING;

/** The posts the framing effects are estimated on, and which posts and counts they are. */
export interface FramingInput {
  request: FramingPostsRequest;
  posts: FramingPost[];
}

/** One framing's effect on clicks or conversions: a multiplier relative to a pitch by the same author, with its interval. */
export interface ReportFramingEffect {
  outcome: 'clicks' | 'conversions';
  framing: string;
  /** Posts of this framing that inform the estimate. */
  posts: number;
  effect: number;
  lower: number;
  upper: number;
}

/** How many link posts had their framing from the user's label (format v1.1 `framing`) and how many from clout's classifier. */
export interface FramingLabels {
  user: number;
  clout: number;
}

/** The section's rows (pitch first per outcome, then every framing estimated with a finite interval) and its warnings. */
export interface FramingEffectsSection {
  rows: ReportFramingEffect[];
  warnings: string[];
}

/** Counts the posts whose framing the user labelled and those clout classified. */
export function framingLabels(posts: readonly FramingPost[]): FramingLabels {
  let user = 0;
  for (const p of posts) if (p.labelled_by === 'user') user++;
  return { user, clout: posts.length - user };
}

/** Estimates framing effects on clicks and conversions at `level`; too little data gives no rows and a warning saying why. */
export function framingEffectsSection(input: FramingInput, level: number): FramingEffectsSection {
  const { posts, request } = input;
  const which = `${request.types.join('+')} posts with tracked links${request.scope === 'all' ? '' : ` ${request.scope.replace('_', ' ')}`}`;
  if (posts.length === 0) return { rows: [], warnings: [`framing effects: no ${which}, so nothing to compare`] };
  if (!posts.some((p) => p.framing === REFERENCE)) {
    return { rows: [], warnings: [`framing effects: none of the ${posts.length} ${which} is a pitch, and every effect is relative to a pitch`] };
  }
  const result = framingEffects(posts, { level, reference: REFERENCE });
  const rows: ReportFramingEffect[] = [];
  const warnings: string[] = [];
  for (const outcome of ['clicks', 'conversions'] as const) {
    const [kept, notes] = outcomeRows(result, outcome);
    rows.push(...kept);
    warnings.push(...notes.map((n) => `framing effects on ${outcome}: ${n}`));
  }
  return { rows, warnings };
}

/** One outcome's rows and what kept rows out: no within-author contrast, an unbounded interval, a fit that did not converge. */
function outcomeRows(result: FramingEffectsResult, outcome: 'clicks' | 'conversions'): [ReportFramingEffect[], string[]] {
  const fit = result.fits.find((f) => f.outcome === outcome);
  const estimated = result.effects.filter((e) => e.outcome === outcome && e.framing !== REFERENCE);
  const bounded = estimated.filter((e) => [e.effect, e.lower, e.upper].every(Number.isFinite));
  const notes: string[] = [];
  const alone = `no author has ${outcome} on both a pitch and`;
  if (bounded.length === 0 && estimated.length === 0) notes.push(`none estimated — ${alone} another framing (${fit?.authors_used ?? 0} authors inform the fit)`);
  else if (fit !== undefined && fit.not_estimable.length > 0) notes.push(`${fit.not_estimable.join(', ')} left out — ${alone} that framing`);
  for (const e of estimated.filter((x) => !bounded.includes(x))) notes.push(`${e.framing} left out — its interval is unbounded (one author carries its contrast with a pitch)`);
  if (fit !== undefined && !fit.converged) notes.push(`the fit did not converge in ${fit.iterations} iterations; treat these effects with care`);
  if (bounded.length === 0) return [[], notes];
  const reference = result.effects.find((e) => e.outcome === outcome && e.framing === REFERENCE)!;
  const row = (e: typeof reference): ReportFramingEffect => ({ outcome, framing: e.framing, posts: e.posts, effect: e.effect, lower: e.lower, upper: e.upper });
  return [[row(reference), ...bounded.map(row)], notes];
}

/** One framing's three effects side by side (null where that estimate has no row). */
export interface FramingSideBySide {
  framing: string;
  clicks: ReportFramingEffect | null;
  conversions: ReportFramingEffect | null;
  /** The outcome model's multiplier of a post's incremental outcomes (`framing[]`). */
  outcomes: { posts: number; effect: number; lower: number; upper: number } | null;
}

/** Per framing (report order), its effect on clicks, on conversions and on incremental outcomes, from the report's rows. */
export function framingSideBySide(report: {
  framing_effects: readonly ReportFramingEffect[];
  framing: readonly { framing: string; posts: number; effect: number; lower: number; upper: number }[];
}): FramingSideBySide[] {
  const find = (outcome: ReportFramingEffect['outcome'], f: string) => report.framing_effects.find((e) => e.outcome === outcome && e.framing === f) ?? null;
  const known = new Set<string>(FRAMING_ORDER);
  const framings = [...FRAMING_ORDER, ...[...report.framing_effects, ...report.framing].map((r) => r.framing).filter((f) => !known.has(f))];
  return [...new Set(framings)]
    .map((framing) => ({ framing, clicks: find('clicks', framing), conversions: find('conversions', framing), outcomes: report.framing.find((r) => r.framing === framing) ?? null }))
    .filter((r) => r.clicks !== null || r.conversions !== null || r.outcomes !== null);
}
