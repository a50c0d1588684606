/** The report: assemble analyses into one result; render it for the terminal or as JSON. */
export * from './influence-report.js';
export * from './load.js';
export * from './render-terminal.js';
export * from './table.js';
export * from './truth-check.js';
export * from './impact-input.js';
