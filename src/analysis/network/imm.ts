/**
 * IMM — Influence Maximization via Martingales (Tang, Shi, Xiao 2015): picks k seeds whose expected spread is at
 * least (1 − 1/e − ε) of the optimum with probability ≥ 1 − n^−ℓ, under IC or LT, from θ reverse-reachable sets.
 * Sampling phase: for x = n/2, n/4, … draw θ_i = λ′/x sets, select greedily, and stop once n·F(S_i) ≥ (1 + ε′)·x,
 * setting the lower bound LB = n·F(S_i)/(1 + ε′) (ε′ = √2·ε). Then θ = λ* / LB sets (the earlier ones reused, as in the
 * paper), greedy maximum coverage, and the spread estimate n·F(S). ℓ is raised to ℓ·(1 + ln 2 / ln n) so the whole
 * procedure holds with probability 1 − n^−ℓ. Chen (2018) notes that reusing the sampling-phase sets breaks the
 * martingale argument in theory; the effect on results is negligible in practice and we keep the paper's algorithm.
 */
import { CloutError, Rng, logFactorial } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { edgeParameters, type DiffusionModel } from './spread-model.js';
import { maxCoverage, RRSets } from './rr-sets.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of imm. */
export interface ImmOptions {
  k: number;
  /** Approximation slack ε (default 0.5). */
  eps?: number;
  /** Failure exponent ℓ: guarantee holds with probability ≥ 1 − n^−ℓ (default 1). */
  ell?: number;
  model?: DiffusionModel;
  /** Edge parameters aligned with g.outTargets; default weighted cascade (IC) or normalised weights (LT). */
  probabilities?: Float64Array;
  seed?: number;
  /** Upper bound on RR sets, to bound memory (default 50 million). */
  maxRRSets?: number;
  /**
   * When > 0, the spread is re-estimated on this many fresh RR sets after selection (unbiased: no selection bias, and
   * as precise as asked); default 0 = the paper's estimate n·F_R(S) on the selection sets (biased slightly upward).
   */
  spreadSets?: number;
}

/** IMM's answer. */
export interface ImmResult {
  seeds: Int32Array;
  /** Estimated expected spread n·F_R(S), seeds included. */
  spread: number;
  /** RR sets drawn for selection (sampling phase and final phase). */
  rrSets: number;
  /** Standard error of the spread estimate (binomial, over the sets it was computed on). */
  spreadSe: number;
}

/** The defaults of imm (k has none: it is required). */
export const IMM_DEFAULTS = { eps: 0.5, ell: 1, model: 'ic', seed: 1, maxRRSets: 50_000_000, spreadSets: 0 } as const;

const immSchema = z
  .object({
    k: O.positiveInt(),
    eps: z.number().gt(0).lt(1).default(IMM_DEFAULTS.eps),
    ell: z.number().gt(0).default(IMM_DEFAULTS.ell),
    model: O.model().default(IMM_DEFAULTS.model),
    probabilities: O.float64().optional(),
    seed: O.seed().default(IMM_DEFAULTS.seed),
    maxRRSets: O.positiveInt().default(IMM_DEFAULTS.maxRRSets),
    spreadSets: z.number().min(0).default(IMM_DEFAULTS.spreadSets),
  })
  .strict();

/** Selects k seed nodes on the influence graph g (edge u → v: u can activate v). */
export function imm(g: Graph, options: ImmOptions): ImmResult {
  const o = resolveOptions('imm', immSchema, options);
  const { k, eps, model } = o;
  const ell0 = o.ell;
  const cap = o.maxRRSets;
  const n = g.n;
  if (n === 0) throw new CloutError('input', 'imm: the graph has no nodes');
  const w = edgeParameters(g, model, o.probabilities);
  if (k >= n) return { seeds: Int32Array.from({ length: n }, (_, i) => i), spread: n, rrSets: 0, spreadSe: 0 };

  const rng = new Rng(o.seed);
  const rr = new RRSets(g, model, w);
  const logN = Math.log(n);
  const ell = ell0 * (1 + Math.LN2 / logN);
  const logCnk = logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const epsP = Math.SQRT2 * eps;
  const lambdaP = ((2 + (2 * epsP) / 3) * (logCnk + ell * logN + Math.log(Math.max(1, Math.log2(n)))) * n) / (epsP * epsP);
  const draw = (target: number) => {
    if (target > cap) throw new CloutError('input', `imm: needs ${Math.ceil(target)} RR sets, more than maxRRSets = ${cap}; raise eps or maxRRSets`);
    rr.fill(Math.ceil(target), rng);
  };

  let LB = 1;
  for (let i = 1; i < Math.log2(n); i++) {
    const x = n / 2 ** i;
    draw(lambdaP / x);
    const { covered } = maxCoverage(rr, n, k);
    if (n * covered >= (1 + epsP) * x) {
      LB = (n * covered) / (1 + epsP);
      break;
    }
  }
  const e1 = 1 - 1 / Math.E;
  const alpha = Math.sqrt(ell * logN + Math.LN2);
  const beta = Math.sqrt(e1 * (logCnk + ell * logN + Math.LN2));
  const lambdaStar = (2 * n * (e1 * alpha + beta) ** 2) / (eps * eps);
  draw(lambdaStar / LB);
  const { seeds, covered } = maxCoverage(rr, n, k);
  const rrSets = rr.count;
  const sets = o.spreadSets;
  if (!(sets > 0)) return { seeds, spread: n * covered, rrSets, spreadSe: n * Math.sqrt((covered * (1 - covered)) / rrSets) };
  const est = rrSpread(g, seeds, { model, resolved: w, sets, seed: rng.nextUint32() });
  return { seeds, spread: est.spread, rrSets, spreadSe: est.se };
}

/** Options of rrSpread. */
export interface RRSpreadOptions {
  model?: DiffusionModel;
  probabilities?: Float64Array;
  /** Edge parameters already resolved by edgeParameters. */
  resolved?: Float64Array;
  sets: number;
  seed?: number;
}

/** The defaults of rrSpread (sets has none: it is required). */
export const RR_SPREAD_DEFAULTS = { model: 'ic', seed: 1 } as const;

const rrSpreadSchema = z
  .object({
    model: O.model().default(RR_SPREAD_DEFAULTS.model),
    probabilities: O.float64().optional(),
    resolved: O.float64().optional(),
    sets: z.number().gt(0),
    seed: O.seed().default(RR_SPREAD_DEFAULTS.seed),
  })
  .strict();

/** Unbiased spread estimate of a seed set on fresh RR sets: n × the share of sets holding a seed, with its se. */
export function rrSpread(g: Graph, seeds: ArrayLike<number>, options: RRSpreadOptions): { spread: number; se: number; sets: number } {
  const o = resolveOptions('rrSpread', rrSpreadSchema, options);
  const model = o.model;
  const count = Math.ceil(o.sets);
  // already-resolved edge parameters skip resolving them again (not a fallback: both are the same parameters)
  const w = o.resolved ?? edgeParameters(g, model, o.probabilities);
  const f = coverageOf(new RRSets(g, model, w), seeds, count, new Rng(o.seed), g.n);
  return { spread: g.n * f, se: g.n * Math.sqrt((f * (1 - f)) / count), sets: count };
}

/** Share of `count` fresh RR sets that hold at least one seed (sets are drawn and dropped in batches). */
function coverageOf(rr: RRSets, seeds: ArrayLike<number>, count: number, rng: Rng, n: number): number {
  const isSeed = new Uint8Array(n);
  for (let i = 0; i < seeds.length; i++) isSeed[seeds[i]!] = 1;
  let hit = 0;
  for (let done = 0; done < count; ) {
    const batch = Math.min(65_536, count - done);
    rr.clear();
    rr.fill(batch, rng);
    for (let r = 0; r < rr.count; r++) {
      for (let i = rr.offsets[r]!; i < rr.offsets[r + 1]!; i++) {
        if (isSeed[rr.nodes[i]!]) {
          hit++;
          break;
        }
      }
    }
    done += batch;
  }
  return hit / count;
}
