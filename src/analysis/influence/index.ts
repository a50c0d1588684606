/**
 * Outcome influence: who moves outcomes (the outcome model, ./outcome-model.ts) and how far the usual proxies of
 * influence are from it (./comparison.ts). The public face of src/analysis/influence.
 */
export {
  fitOutcomeInfluence,
  summarise,
  INFLUENCE_DEFAULTS,
  resolveInfluenceOptions,
  type ResolvedInfluenceOptions,
  type ChainCheck,
  type InfluenceData,
  type InfluenceDiagnostics,
  type InfluenceOptions,
  type InfluenceResult,
  type Interval,
} from './outcome-model.js';
export { compareScores, kloutLike, topIndices, type NamedScore, type ScorePair } from './comparison.js';
