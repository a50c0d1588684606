/**
 * Experiments: A/B analysis of links with variants — conversion rates, lift, and always-valid sequential p-values
 * and confidence sequences (mixture SPRT), so a test can be watched continuously without inflating false positives.
 */
export * from './ab-test.js';
export * from './msprt.js';
