/**
 * Outcome influence: who moves outcomes (the outcome model, ./outcome-model.ts) and how far the usual proxies of
 * influence are from it (./comparison.ts). The public face of src/analysis/influence.
 */
export {
  fitOutcomeInfluence,
  summarise,
  OUTCOME_INFLUENCE_DEFAULTS,
  resolveOutcomeInfluenceOptions,
  type ResolvedOutcomeInfluenceOptions,
  type ChainCheck,
  type OutcomeInfluenceData,
  type OutcomeInfluenceDiagnostics,
  type OutcomeInfluenceOptions,
  type OutcomeInfluenceResult,
  type Interval,
  type TieSummary,
} from './outcome-model.js';
export { compareScores, kloutLike, topIndices, type NamedScore, type ScorePair } from './comparison.js';
