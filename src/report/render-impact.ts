/** The causal impact engine's own renderers, for the doors: the summary table and the SVG chart. */
export { calibrationSentence, renderImpactSvg, renderSummaryTable, type PlotOptions } from '../analysis/impact/index.js';
