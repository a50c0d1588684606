/**
 * Options one way across the analysis kernels (src/analysis/stats/options.ts): an unknown option and an out-of-range
 * option each throw CloutError('bad_option') naming the kernel, never a plain Error, and defaults stay as documented.
 */
import { describe, expect, it } from 'vitest';
import { CloutError } from '../../src/domain/index.js';
import { pagerank, PAGERANK_DEFAULTS } from '../../src/analysis/network/pagerank.js';
import { leiden } from '../../src/analysis/network/leiden.js';
import { imm } from '../../src/analysis/network/imm.js';
import { simulateSpread } from '../../src/analysis/network/spread-sim.js';
import { markovAttribution } from '../../src/analysis/attribution/markov.js';
import { shapleyValues } from '../../src/analysis/attribution/shapley.js';
import { ruleAttribution } from '../../src/analysis/attribution/rules.js';
import { mixtureSprt } from '../../src/analysis/experiments/msprt.js';
import { framingEffects } from '../../src/analysis/content/framing-effects.js';
import { fitConditionalPoisson } from '../../src/analysis/content/conditional-poisson.js';
import { fitOutcomeInfluence, OUTCOME_INFLUENCE_DEFAULTS, resolveOutcomeInfluenceOptions, type OutcomeInfluenceData } from '../../src/analysis/influence/index.js';
import { resolveOptions } from '../../src/analysis/stats/options.js';
import { graphFromEdges } from '../../src/analysis/network/graph.js';
import { z } from 'zod';

/** What `f` throws. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectBadOption(f: () => unknown, pattern: RegExp): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(CloutError);
  expect((e as CloutError).code).toBe('bad_option');
  expect((e as CloutError).message).toMatch(pattern);
}

const g = graphFromEdges([
  ['a', 'b'],
  ['b', 'c'],
  ['c', 'd'],
  ['d', 'a'],
]);

const tinyInfluence: OutcomeInfluenceData = {
  binMs: 3_600_000,
  startMs: 0,
  nBins: 2,
  unclicked: new Float64Array(2),
  baselineX: new Float64Array(2).fill(1),
  postTime: new Float64Array(0),
  postAuthor: new Int32Array(0),
  postFraming: new Int32Array(0),
  nAuthors: 0,
  framings: ['pitch'],
  referenceFraming: 0,
  clickedBin: new Int32Array(0),
  clickedPost: new Int32Array(0),
  clickedCount: new Float64Array(0),
  clickedShare: new Float64Array(0),
  clickBin: new Uint8Array(2),
};

describe('unknown and out-of-range options are bad_option errors', () => {
  const cases: [string, () => unknown, () => unknown, RegExp, RegExp][] = [
    ['pagerank', () => pagerank(g, { colour: 1 } as never), () => pagerank(g, { alpha: 1.5 }), /^pagerank: unknown option 'colour'/, /^pagerank: alpha must be ≤ 1, got 1\.5/],
    ['leiden', () => leiden(g, { resolutoin: 1 } as never), () => leiden(g, { resolution: 0 }), /^leiden: unknown option/, /^leiden: resolution must be > 0, got 0/],
    ['imm', () => imm(g, { k: 1, epsilon: 0.1 } as never), () => imm(g, { k: 1, eps: 1 }), /^imm: unknown option 'epsilon'/, /^imm: eps must be < 1, got 1/],
    ['spread simulation', () => simulateSpread(g, [0], { run: 5 } as never), () => simulateSpread(g, [0], { runs: 0 }), /^spread simulation: unknown/, /runs must be ≥ 1, got 0/],
    ['markov', () => markovAttribution([], { orders: 2 } as never), () => markovAttribution([], { order: 1.5 }), /^markov: unknown/, /^markov: order must be an integer, got 1\.5/],
    ['shapley', () => shapleyValues(2, () => 0, { perms: 5 } as never), () => shapleyValues(2, () => 0, { permutations: -1 }), /^shapley: unknown/, /permutations must be ≥ 1/],
    ['rules', () => ruleAttribution('linear', [], { half: 1 } as never), () => ruleAttribution('linear', [], { firstShare: 0.7, lastShare: 0.7 }), /unknown option 'half'/, /firstShare \+ lastShare must be ≤ 1/],
    ['mSPRT', () => mixtureSprt([0], [0], 0.5, { beta: 0.2 } as never), () => mixtureSprt([0], [0], 0.5, { alpha: 0 }), /^mSPRT: unknown/, /^mSPRT: alpha must be > 0, got 0/],
    ['framing effects', () => framingEffects([], { colour: 'red' } as never), () => framingEffects([], { reference: 'shout' as never }), /^framing effects: unknown/, /reference must be one of/],
    ['conditional Poisson', () => fitConditionalPoisson({ nGroups: 0, nLevels: 1, group: new Int32Array(0), level: new Int32Array(0), y: new Float64Array(0), logExposure: new Float64Array(0) }, 0, { level: 0.9 } as never), () => fitConditionalPoisson({ nGroups: 0, nLevels: 1, group: new Int32Array(0), level: new Int32Array(0), y: new Float64Array(0), logExposure: new Float64Array(0) }, 0, { tol: 0 }), /^conditional Poisson: unknown option 'level'/, /tol must be > 0, got 0/],
    ['outcome influence', () => fitOutcomeInfluence(tinyInfluence, { iterations: 10 } as never), () => fitOutcomeInfluence(tinyInfluence, { level: 1.2 }), /^outcome influence: unknown option 'iterations'/, /^outcome influence: level must be < 1, got 1\.2/],
  ];
  for (const [name, unknown, outOfRange, unknownPattern, rangePattern] of cases) {
    it(`${name}: an unknown option`, () => expectBadOption(unknown, unknownPattern));
    it(`${name}: an out-of-range option`, () => expectBadOption(outOfRange, rangePattern));
  }
});

describe('defaults', () => {
  it('are applied unchanged', () => {
    expect(PAGERANK_DEFAULTS).toEqual({ alpha: 0.85, tol: 1e-6, maxIter: 100, weighted: true });
    expect(resolveOutcomeInfluenceOptions({})).toEqual(OUTCOME_INFLUENCE_DEFAULTS);
    expect(resolveOutcomeInfluenceOptions({ blockBins: 7 }).blockBins).toBe(7);
  });

  it('the shared resolver reports the option, its bound and the value given', () => {
    const schema = z.object({ n: z.number().int().min(1).default(3), mode: z.enum(['a', 'b']).default('a') }).strict();
    expect(resolveOptions('k', schema, undefined)).toEqual({ n: 3, mode: 'a' });
    expectBadOption(() => resolveOptions('k', schema, { n: 0 }), /^k: n must be ≥ 1, got 0$/);
    expectBadOption(() => resolveOptions('k', schema, { mode: 'c' }), /^k: mode must be one of 'a', 'b', got 'c'$/);
    expectBadOption(() => resolveOptions('k', schema, { n: 'x' }), /^k: n must be a number, got 'x'$/);
    expectBadOption(() => resolveOptions('k', schema, { x: 1, y: 2 }), /^k: unknown options 'x', 'y'$/);
  });
});
