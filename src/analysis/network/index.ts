/** The network engine: compact graph, centrality, cores, communities and account measures (pure kernels). */
export * from './graph.js';
export * from './pagerank.js';
export * from './kcore.js';
export * from './modularity.js';
export * from './leiden.js';
export * from './measures.js';
export * from './tribes.js';
// Spread: adoptions, cascades, contagion (exposure curves, shuffle/reversal tests), learned edge probabilities,
// diffusion models with Monte-Carlo spread, RR sets, IMM and CELF.
export * from './adoptions.js';
export * from './cascades.js';
export * from './exposure.js';
export * from './contagion-tests.js';
export * from './edge-index.js';
export * from './probabilities.js';
export * from './spread-model.js';
export * from './spread-sim.js';
export * from './rr-sets.js';
export * from './imm.js';
export * from './celf.js';
