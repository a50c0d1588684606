/**
 * What the framing-effects estimate reads from the store, shared by `clout framing` and `clout report`: every post
 * that owns a tracked link, its framing read from its text, its human clicks and the conversions they carry, and its
 * audience. The I/O edge; `framingEffects` (analysis/content) does the estimating.
 */
import type { FramingPost } from '../analysis/content/framing-effects.js';
import { classifyFraming } from '../analysis/content/framing.js';
import { framingPostCounts, type FramingScope, type Store } from '../store/index.js';
import { candidatesFor, modelTypes } from './outcome-influence-sources.js';

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

/** The request both commands default to: the outcome model's types (else sales) and its candidate posts, with reach. */
export function defaultFramingRequest(types: readonly string[]): FramingPostsRequest {
  const modelled = modelTypes(types);
  return { types: modelled, scope: candidatesFor(modelled) === 'in_campaigns' ? 'in_campaigns' : 'outside_campaigns', exposure: 'reach' };
}

/** Loads per-post counts from the store and classifies each post's framing from its text (empty when no link post). */
export async function loadFramingPosts(store: Store, req: FramingPostsRequest): Promise<FramingPost[]> {
  const rows = await framingPostCounts(store, req.types, req.scope);
  return rows.map((r) => ({
    author: r.author_id,
    framing: classifyFraming(r.text).framing,
    clicks: r.organic_clicks,
    all_clicks: r.clicks,
    conversions: r.conversions,
    ...(req.exposure === 'reach' ? { exposure: Math.max(1, r.followers), shared: r.shared_reach } : {}),
  }));
}
