/**
 * Attribution: who gets credit for a conversion among the touches that preceded it — rule models (last/first touch,
 * linear, time decay, position-based), Markov removal effects, Shapley values. Credit is evidence, not cause: the
 * causal question (what would have happened without the post) belongs to analysis/impact and analysis/influence.
 */
import { z } from 'zod';
import { resolveOptions } from '../stats/options.js';
import { markovAttribution, type MarkovOptions } from './markov.js';
import type { Path } from './paths.js';
import { RULE_MODELS, ruleAttribution, type ChannelCredit, type RuleModel, type RuleOptions } from './rules.js';
import { shapleyAttribution, type ShapleyOptions } from './shapley.js';

export * from './paths.js';
export * from './rules.js';
export * from './markov.js';
export * from './shapley.js';
export * from './channel-paths.js';

/** Every attribution model: the rules, Markov removal effects, Shapley values. */
export const ATTRIBUTION_MODELS = [...RULE_MODELS, 'markov', 'shapley'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** The result every model returns (the `clout attribute --json` document). */
export interface AttributionResult {
  model: AttributionModel;
  total_conversions: number;
  total_value: number;
  channels: (ChannelCredit & { removal_effect?: number })[];
}

/** Option names of each family of models (each model checks its own values). */
const RULE_KEYS = ['halfLifeMs', 'firstShare', 'lastShare'] as const;
const MARKOV_KEYS = ['order', 'collapse'] as const;
const SHAPLEY_KEYS = ['exactMax', 'permutations', 'seed'] as const;

/** Every option attribute takes, of any model (unknown names are rejected; values are checked by the model run). */
const attributeSchema = z.object(Object.fromEntries([...RULE_KEYS, ...MARKOV_KEYS, ...SHAPLEY_KEYS].map((k) => [k, z.unknown().optional()]))).strict();

/** The given options among `keys` (absent and undefined ones left out). */
function pick<T extends object>(options: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => keys.includes(k) && v !== undefined)) as Partial<T>;
}

/** Runs one attribution model over paths; channels sorted by credited conversions, largest first. */
export function attribute(paths: readonly Path[], model: AttributionModel, options: RuleOptions & MarkovOptions & ShapleyOptions = {}): AttributionResult {
  resolveOptions('attribute', attributeSchema, options);
  let channels: AttributionResult['channels'];
  if (model === 'markov') channels = markovAttribution(paths, pick(options, MARKOV_KEYS)).channels;
  else if (model === 'shapley') channels = shapleyAttribution(paths, pick(options, SHAPLEY_KEYS)).channels;
  else channels = ruleAttribution(model as RuleModel, paths, pick(options, RULE_KEYS));
  channels.sort((a, b) => b.conversions - a.conversions || a.channel.localeCompare(b.channel));
  return {
    model,
    total_conversions: paths.reduce((s, p) => s + p.conversions, 0),
    total_value: paths.reduce((s, p) => s + p.value, 0),
    channels,
  };
}
