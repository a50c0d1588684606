/** The report: assemble analyses into one result; render it for the terminal, as JSON or as one HTML file. */
export * from './influence-report.js';
export * from './load.js';
export * from './render-terminal.js';
export * from './table.js';
export * from './truth-check.js';
export * from './impact-input.js';
export * from './full-report.js';
export * from './full-report-run.js';
export * from './load-full-report.js';
export * from './tribes-summary.js';
export * from './render-html.js';
export * from './framing-input.js';
export * from './framing-effects-section.js';
export * from './truth-outcomes.js';
export * from './render-terminal-truth-outcomes.js';
