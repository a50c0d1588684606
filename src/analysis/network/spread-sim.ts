/**
 * Expected spread σ(S) of a seed set under IC or LT (Kempe, Kleinberg, Tardos 2003): Monte-Carlo simulation with a
 * 95% normal interval (mean ± 1.96·sd/√runs), and — for tiny graphs — the exact value by enumerating every live-edge
 * graph (IC, m ≤ 24). Seeds count in the spread.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { edgeParameters, type DiffusionModel } from './spread-model.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of simulateSpread. */
export interface SpreadSimOptions {
  model?: DiffusionModel;
  /** Edge parameters aligned with g.outTargets (see edgeParameters for defaults). */
  probabilities?: Float64Array;
  /** Simulations (default 10,000). */
  runs?: number;
  seed?: number;
  /** Edge parameters already resolved by edgeParameters (skips resolving; for repeated calls). */
  resolved?: Float64Array;
}

/** Monte-Carlo spread with its interval. */
export interface SpreadEstimate {
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  runs: number;
}

/** A reusable simulator: one run returns the number of active nodes at the end. */
export class SpreadSimulator {
  private readonly stamp: Int32Array;
  private readonly queue: Int32Array;
  private readonly acc: Float64Array;
  private readonly thr: Float64Array;
  private run = 0;

  constructor(private readonly g: Graph, private readonly model: DiffusionModel, private readonly w: Float64Array) {
    this.stamp = new Int32Array(g.n);
    this.queue = new Int32Array(g.n);
    this.acc = new Float64Array(model === 'lt' ? g.n : 0);
    this.thr = new Float64Array(model === 'lt' ? g.n : 0);
  }

  /** One cascade from the seeds. */
  once(seeds: ArrayLike<number>, rng: Rng): number {
    const { outOffsets, outTargets } = this.g;
    const w = this.w, stamp = this.stamp, queue = this.queue;
    const r = ++this.run;
    const ACTIVE = 2 * r, TOUCHED = 2 * r - 1;
    let tail = 0;
    for (let i = 0; i < seeds.length; i++) {
      const s = seeds[i]!;
      if (stamp[s] === ACTIVE) continue;
      stamp[s] = ACTIVE;
      queue[tail++] = s;
    }
    if (this.model === 'ic') {
      for (let head = 0; head < tail; head++) {
        const u = queue[head]!;
        for (let e = outOffsets[u]!; e < outOffsets[u + 1]!; e++) {
          const v = outTargets[e]!;
          if (stamp[v] === ACTIVE) continue;
          if (rng.uniform() < w[e]!) {
            stamp[v] = ACTIVE;
            queue[tail++] = v;
          }
        }
      }
      return tail;
    }
    const acc = this.acc, thr = this.thr;
    for (let head = 0; head < tail; head++) {
      const u = queue[head]!;
      for (let e = outOffsets[u]!; e < outOffsets[u + 1]!; e++) {
        const v = outTargets[e]!;
        if (stamp[v] === ACTIVE) continue;
        if (stamp[v] !== TOUCHED) {
          stamp[v] = TOUCHED;
          acc[v] = 0;
          // A threshold strictly above 0 (1 − U with U in [0, 1)).
          thr[v] = 1 - rng.uniform();
        }
        acc[v]! += w[e]!;
        if (acc[v]! >= thr[v]! - 1e-12) {
          stamp[v] = ACTIVE;
          queue[tail++] = v;
        }
      }
    }
    return tail;
  }
}

/** The defaults of simulateSpread. */
export const SPREAD_SIM_DEFAULTS = { model: 'ic', runs: 10_000, seed: 1 } as const;

const spreadSimSchema = z
  .object({
    model: O.model().default(SPREAD_SIM_DEFAULTS.model),
    probabilities: O.float64().optional(),
    runs: O.positiveInt().default(SPREAD_SIM_DEFAULTS.runs),
    seed: O.seed().default(SPREAD_SIM_DEFAULTS.seed),
    resolved: O.float64().optional(),
  })
  .strict();

/** Monte-Carlo estimate of the expected spread of `seeds` with a 95% interval. */
export function simulateSpread(g: Graph, seeds: ArrayLike<number>, options: SpreadSimOptions = {}): SpreadEstimate {
  const o = resolveOptions('spread simulation', spreadSimSchema, options);
  const { model, runs } = o;
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    if (!(Number.isInteger(s) && s >= 0 && s < g.n)) throw new CloutError('bad_option', `spread simulation: seed node ${s} is not a node`);
  }
  // already-resolved edge parameters skip resolving them again (not a fallback: both are the same parameters)
  const w = o.resolved ?? edgeParameters(g, model, o.probabilities);
  const sim = new SpreadSimulator(g, model, w);
  const rng = new Rng(o.seed);
  let sum = 0, sum2 = 0;
  for (let r = 0; r < runs; r++) {
    const x = sim.once(seeds, rng);
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / runs;
  const sd = runs > 1 ? Math.sqrt(Math.max(0, (sum2 - runs * mean * mean) / (runs - 1))) : 0;
  const half = (1.96 * sd) / Math.sqrt(runs);
  return { mean, sd, lower: mean - half, upper: mean + half, runs };
}

/** Exact expected IC spread by enumerating all 2^m live-edge graphs (m ≤ 24). */
export function exactSpreadIc(g: Graph, probabilities: Float64Array, seeds: ArrayLike<number>): number {
  const m = g.m;
  if (m > 24) throw new CloutError('bad_option', `exact spread enumerates 2^m live-edge graphs; m = ${m} > 24`);
  const src = new Int32Array(m);
  for (let u = 0; u < g.n; u++) for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) src[e] = u;
  const active = new Uint8Array(g.n);
  const queue = new Int32Array(g.n);
  let total = 0;
  for (let mask = 0; mask < 1 << m; mask++) {
    let prob = 1;
    for (let e = 0; e < m && prob > 0; e++) prob *= (mask >> e) & 1 ? probabilities[e]! : 1 - probabilities[e]!;
    if (prob === 0) continue;
    active.fill(0);
    let tail = 0;
    for (let i = 0; i < seeds.length; i++) if (!active[seeds[i]!]) { active[seeds[i]!] = 1; queue[tail++] = seeds[i]!; }
    for (let h = 0; h < tail; h++) {
      const u = queue[h]!;
      for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
        if (!((mask >> e) & 1)) continue;
        const v = g.outTargets[e]!;
        if (!active[v]) { active[v] = 1; queue[tail++] = v; }
      }
    }
    total += prob * tail;
  }
  return total;
}
