/** The store: the only place with SQL. */
export * from './db.js';
export * from './migrations.js';
export * from './queries.js';
export * from './writer.js';
export * from './series.js';
export * from './attribution.js';
export * from './influence.js';
export * from './experiments.js';
export * from './framing.js';
export * from './server-analytics.js';
