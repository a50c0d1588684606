/**
 * Matched comparisons (`clout compare`): did units that got a shout-out fare better than similar units that did not?
 * Propensity score by logistic IRLS, nearest-neighbour matching on logit e, IPW, cross-fitted AIPW, balance, overlap
 * and the E-value (cross-sectional), over the typed contract of types.ts.
 */
export * from './types.js';
export { compareGroups, naiveDifference, MIN_PER_GROUP } from './compare-groups.js';
export { COMPARE_DEFAULTS, resolveCompareOptions, type CompareOptionsInput as CompareOptions, type CompareOptionsResolved } from './options.js';
export { buildDesign, type Design } from './design.js';
export { fitLogit, refitLogit, linearPredictor, expit, PROPENSITY_DEFAULTS, type LogitFit, type PropensityOptions } from './propensity.js';
export { matchNearest, matchingEstimate, type MatchSpec, type Matches, type MatchEstimate } from './matching.js';
export { ipwEstimate, type IpwEstimate } from './ipw.js';
export { aipwEstimate, assignFolds, AIPW_CLIP, type AipwEstimate } from './aipw.js';
export { crossFittedLinear, fitOutcome, predictOutcome, type OutcomeFit, type OutcomeModelKind } from './outcome-model.js';
export { balanceTable } from './balance.js';
export { overlapOf, OVERLAP_BINS } from './overlap.js';
export { eValueRiskRatio, eValueMeanDifference } from './evalue.js';
export { multiplierDraws, summariseDraws } from './bootstrap.js';
export { comparePanel, PANEL_DEFAULTS, type PanelOptions } from './panel/index.js';
