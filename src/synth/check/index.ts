/** Checks of a report against the planted truth of a synthetic world (the demo's last section). */
export * from './truth-check.js';
export * from './truth-outcomes.js';
export * from './render-truth-outcomes.js';
