/** Runs the whole report on loaded input: fits the outcome model (when on and there is something to fit), then builds. */
import { buildFullReport, type FullReport, type FullReportInput, type FullReportOptions } from './full-report.js';
import { fitSources } from './outcome-influence-sources.js';

/** Fits the model on the input's sources (pure, seeded; ~4 s on the demo world at 1000 iterations) and builds the report. */
export function runFullReport(input: FullReportInput, options: FullReportOptions): FullReport {
  const fit = options.model && input.outcome !== null ? fitSources(input.outcome, options) : null;
  return buildFullReport(input, fit, options);
}
