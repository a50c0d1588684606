/** Reads the whole report's inputs from the store (the I/O edge of `clout report`). */
import type { Store } from '../store/index.js';
import type { FullReportInput, FullReportOptions } from './full-report.js';
import { defaultFramingRequest, loadFramingPosts } from './framing-input.js';
import { loadReportInput } from './load.js';
import { storeGraph } from './network-input.js';
import { loadOutcomeInfluenceSources, modelTypes } from './outcome-influence-sources.js';

/**
 * Loads last-touch rows, the outcome model's sources (unless the model is off), the social graph for the tribes, and
 * the link posts for the framing effects (the model's outcome types and candidate posts, as `clout framing` defaults).
 */
export async function loadFullReportInput(store: Store, options: Pick<FullReportOptions, 'types' | 'model'>): Promise<FullReportInput> {
  const report = await loadReportInput(store, options);
  const types = modelTypes(options.types);
  const same = types.length === options.types.length && types.every((t, i) => t === options.types[i]);
  const outcome = options.model ? await loadOutcomeInfluenceSources(store, { types, ...(same ? { report } : {}) }) : null;
  const social = await storeGraph(store, 'social');
  const request = defaultFramingRequest(options.types);
  const framing = { request, posts: await loadFramingPosts(store, request) };
  return { report, outcome, social, framing };
}
