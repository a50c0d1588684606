/**
 * Use case "which messages work" (`clout framing`, and the framing section of `clout report`): every post that owns a
 * tracked link, its framing read from its text, its human clicks and the conversions they carry, and its audience,
 * read from the store; `framingEffects` (analysis/content) does the estimating.
 */
import { z } from 'zod';
import { framingEffects, type FramingEffectsResult, type FramingPost } from '../analysis/content/framing-effects.js';
import { CONVERSION_TYPES, CloutError, type FramingScope } from '../domain/index.js';
import { FRAMING_CLICKS, FRAMING_EXPOSURES, candidatesFor, modelTypes, type FramingExposure, type FramingPostsRequest } from '../report/index.js';
import { framingPostCounts, type Conn } from '../store/index.js';
import { resolveOutcomeType } from './outcome-type.js';
import { countLabels, framingOf, loadPostFramings, type FramingLabelCounts, type PostFraming } from './post-framing.js';

/** The framing and its source, as a framing-effects post carries them. */
function pick(f: PostFraming): Pick<FramingPost, 'framing' | 'labelled_by'> {
  return { framing: f.framing, labelled_by: f.labelled_by };
}

/** The request both commands default to: the outcome model's types (else sales) and its candidate posts, with reach. */
export function defaultFramingRequest(types: readonly string[]): FramingPostsRequest {
  const modelled = modelTypes(types);
  return { types: modelled, scope: candidatesFor(modelled) === 'in_campaigns' ? 'in_campaigns' : 'outside_campaigns', exposure: 'reach' };
}

/**
 * Loads per-post counts from the store with each post's framing: the user's label when the post has one, else
 * clout's reading of its text and store context (empty when no link post).
 */
export async function loadFramingPosts(conn: Conn, req: FramingPostsRequest): Promise<FramingPost[]> {
  const rows = await framingPostCounts(conn, req.types, req.scope);
  const framings = await loadPostFramings(conn);
  return rows.map((r) => ({
    author: r.author_id,
    ...pick(framingOf(framings, r.id, r.text)),
    clicks: r.organic_clicks,
    all_clicks: r.clicks,
    conversions: r.conversions,
    ...(req.exposure === 'reach' ? { exposure: Math.max(1, r.followers), shared: r.shared_reach } : {}),
  }));
}

/** Which link posts: outside campaigns, inside them, or all. */
export const FRAMING_SCOPES = ['outside_campaigns', 'in_campaigns', 'all'] as const satisfies readonly FramingScope[];

/** Options of `framing`: one schema for the CLI's flags and the HTTP query. */
export const FRAMING_OPTIONS = z
  .object({
    type: z.enum(CONVERSION_TYPES).optional().describe('the outcome type counted (default: the most common conversion type in the store)'),
    scope: z.enum(FRAMING_SCOPES).optional().describe('which link posts (default: outside campaigns; inside them for donations)'),
    exposure: z.enum(FRAMING_EXPOSURES).default('reach').describe("how a post's audience enters: reach (followers + reposts' reach) or none"),
    level: z.number().gt(0).lt(1).default(0.9).describe('level of the intervals'),
  })
  .strict();
export type FramingOptions = z.output<typeof FRAMING_OPTIONS>;

/** The `clout framing --json` document. */
export interface FramingDoc extends FramingEffectsResult {
  outcome: { types: string[]; scope: FramingScope; exposure: FramingExposure; clicks: string };
  /** How many of the posts were labelled by the user (format v1.1 `framing`) and how many by clout's classifier. */
  labels: FramingLabelCounts;
}

/** Loads the link posts of the asked outcome and scope and estimates the framing effects; no link post is an error. */
export async function framing(conn: Conn, options: FramingOptions): Promise<FramingDoc> {
  const defaults = defaultFramingRequest([await resolveOutcomeType(conn, options.type)]);
  const req: FramingPostsRequest = { types: defaults.types, scope: options.scope ?? defaults.scope, exposure: options.exposure };
  const posts = await loadFramingPosts(conn, req);
  if (posts.length === 0) throw new CloutError('input', `no posts with tracked links in the store (scope ${req.scope})`);
  const result = framingEffects(posts, { level: options.level });
  return { outcome: { types: req.types, scope: req.scope, exposure: req.exposure, clicks: FRAMING_CLICKS }, labels: countLabels(posts), ...result };
}
