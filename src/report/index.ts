/** The report: assemble analyses into one self-contained result; render it for the terminal, as JSON or as one HTML file. */
export * from './credit-report.js';
export * from './render-terminal.js';
export * from './table.js';
export * from './full-report.js';
export * from './tribes-summary.js';
export * from './render-html.js';
export * from './framing-effects-section.js';
export * from './outcome-influence.js';
export * from './outcome-influence-input.js';
export * from './campaign-progress.js';
export * from './campaign-impact.js';
