/** The domain: record kinds and their schemas, errors, time, money and the seeded random source. */
export * from './schemas.js';
export * from './errors.js';
export * from './time.js';
export * from './money.js';
export * from './random.js';
export * from './memo.js';
export * from './rows.js';
export * from './vocabulary.js';
export * from './version.js';
