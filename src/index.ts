/**
 * The typed library entry: `import { … } from 'clout'`. Deliberately small — the kernels and use cases a script
 * needs, with their options and result types; everything else stays internal. Examples: docs/library.md.
 */

/** Causal impact of an intervention on a time series (BSTS, CausalImpact): pure and seeded. */
export { causalImpact, IMPACT_DEFAULTS } from './analysis/impact/index.js';
export type { ImpactData, ImpactControl, ImpactOptions, ImpactResult, ImpactColumn, ImpactSeriesRow } from './analysis/impact/index.js';

/** Networks: build a compact graph by external id, then rank its nodes with PageRank. */
export { GraphBuilder, pagerank, PAGERANK_DEFAULTS } from './analysis/network/index.js';
export type { Graph, BuildOptions, PageRankOptions, PageRankResult } from './analysis/network/index.js';

/** The outcome-influence model: which accounts' posts cause outcomes (fit on plain typed data; `outcomeInfluence` is the same function). */
export { fitOutcomeInfluence, fitOutcomeInfluence as outcomeInfluence, OUTCOME_INFLUENCE_DEFAULTS } from './analysis/influence/index.js';
export type { OutcomeInfluenceData, OutcomeInfluenceOptions, OutcomeInfluenceResult, Interval } from './analysis/influence/index.js';

/** Matched comparisons: matching, IPW and AIPW over a propensity score with balance, overlap and E-values; panels (DiD, event study, staggered adoption). */
export { compareGroups, COMPARE_DEFAULTS, comparePanel, PANEL_DEFAULTS } from './analysis/compare/index.js';
export type { CompareData, CompareResult, CovariateColumn, PanelData, PanelResult, CompareOptions, PanelOptions } from './analysis/compare/index.js';

/** The store (DuckDB): open it (created and migrated as needed), hand its `conn` to a use case, close it. */
export { openStore, closeStore } from './store/db.js';
export type { Store, Conn } from './store/db.js';

/** Import interchange-format files (CSV, NDJSON, Parquet, gzip) into a store. */
export { importPaths } from './ingest/index.js';
export type { ImportOptions, ImportSummary } from './ingest/index.js';

/** Synthetic worlds with planted truth, written as interchange-format files. */
export { generateWorld } from './synth/index.js';
export type { GenerateOptions, GenerateResult, Size } from './synth/index.js';

/** The report use case: `report(conn, parseOptions(REPORT_OPTIONS, { … }))` — options checked and defaulted by one schema. */
export { report, REPORT_OPTIONS } from './app/report.js';
export type { ReportRequest } from './app/report.js';
export { parseOptions } from './app/options.js';
export type { FullReport, FullAccountReport } from './report/full-report.js';

/** Framing: how a post asks (pitch, endorsement, bare link, other) and why; a file's text column or the store's posts, classified. */
export { classifyFraming, FRAMINGS } from './analysis/content/framing.js';
export type { Framing, FramingContext, FramingResult, FramingFeatures } from './analysis/content/framing.js';
export { classifyFramingFile, classifyStoreFramings, FRAMING_CLASSIFY_OPTIONS } from './app/framing-classify.js';
export type { FramingClassifyDoc, FramingClassifyOptions, FramingItem, FramingCounts } from './app/framing-classify.js';

/** The one error class: a stable `code` and a message naming the problem. */
export { CloutError, isCloutError, ERROR_CODES } from './domain/errors.js';
export type { ErrorCode } from './domain/errors.js';
