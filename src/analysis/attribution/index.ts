/**
 * Attribution: who gets credit for a conversion among the touches that preceded it — rule models (last/first touch,
 * linear, time decay, position-based), Markov removal effects, Shapley values. Credit is evidence, not cause: the
 * causal question (what would have happened without the post) belongs to analysis/impact and analysis/influence.
 */
import { markovAttribution, type MarkovOptions } from './markov.js';
import type { Path } from './paths.js';
import { RULE_MODELS, ruleAttribution, type ChannelCredit, type RuleModel, type RuleOptions } from './rules.js';
import { shapleyAttribution, type ShapleyOptions } from './shapley.js';

export * from './paths.js';
export * from './rules.js';
export * from './markov.js';
export * from './shapley.js';
export * from './channel-paths.js';

export const ATTRIBUTION_MODELS = [...RULE_MODELS, 'markov', 'shapley'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** The result every model returns (the `clout attribute --json` document). */
export interface AttributionResult {
  model: AttributionModel;
  total_conversions: number;
  total_value: number;
  channels: (ChannelCredit & { removal_effect?: number })[];
}

/** Runs one attribution model over paths; channels sorted by credited conversions, largest first. */
export function attribute(paths: readonly Path[], model: AttributionModel, options: RuleOptions & MarkovOptions & ShapleyOptions = {}): AttributionResult {
  let channels: AttributionResult['channels'];
  if (model === 'markov') channels = markovAttribution(paths, options).channels;
  else if (model === 'shapley') channels = shapleyAttribution(paths, options).channels;
  else channels = ruleAttribution(model as RuleModel, paths, options);
  channels.sort((a, b) => b.conversions - a.conversions || a.channel.localeCompare(b.channel));
  return {
    model,
    total_conversions: paths.reduce((s, p) => s + p.conversions, 0),
    total_value: paths.reduce((s, p) => s + p.value, 0),
    channels,
  };
}
