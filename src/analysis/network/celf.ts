/**
 * CELF (Leskovec et al. 2007): the greedy hill-climber of Kempe, Kleinberg, Tardos (2003) — add the node with the
 * largest marginal gain in Monte-Carlo spread, k times — with lazy evaluation: a node's old gain bounds its new one
 * (submodularity), so only the top of a max-heap is re-evaluated. Every evaluation uses the same simulation seed
 * (common random numbers), so gains are compared on the same random worlds. Slow (k·n·runs cascades at worst): it is
 * the reference IMM is checked against on small graphs.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { edgeParameters, type DiffusionModel } from './spread-model.js';
import { SpreadSimulator } from './spread-sim.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of celf. */
export interface CelfOptions {
  k: number;
  model?: DiffusionModel;
  probabilities?: Float64Array;
  /** Simulations per spread evaluation (default 1,000). */
  runs?: number;
  seed?: number;
}

/** CELF's answer. */
export interface CelfResult {
  seeds: Int32Array;
  /** Monte-Carlo spread of the seeds (the last evaluation). */
  spread: number;
  evaluations: number;
}

/** The defaults of celf (k has none: it is required). */
export const CELF_DEFAULTS = { model: 'ic', runs: 1000, seed: 1 } as const;

const celfSchema = z
  .object({
    k: O.positiveInt(),
    model: O.model().default(CELF_DEFAULTS.model),
    probabilities: O.float64().optional(),
    runs: O.positiveInt().default(CELF_DEFAULTS.runs),
    seed: O.seed().default(CELF_DEFAULTS.seed),
  })
  .strict();

/** Greedy seed selection with lazy forward evaluation. */
export function celf(g: Graph, options: CelfOptions): CelfResult {
  const { k, model, runs, seed, probabilities } = resolveOptions('celf', celfSchema, options);
  const w = edgeParameters(g, model, probabilities);
  const sim = new SpreadSimulator(g, model, w);
  const chosen: number[] = [];
  let evaluations = 0;
  const spreadOf = (set: number[]): number => {
    evaluations++;
    const rng = new Rng(seed);
    let sum = 0;
    for (let r = 0; r < runs; r++) sum += sim.once(set, rng);
    return sum / runs;
  };
  // Max-heap of (gain, node, round evaluated) as parallel arrays.
  const gain: number[] = [], node: number[] = [], round: number[] = [];
  const less = (i: number, j: number) => gain[i]! < gain[j]! || (gain[i] === gain[j] && node[i]! > node[j]!);
  const swap = (i: number, j: number) => {
    [gain[i], gain[j]] = [gain[j]!, gain[i]!];
    [node[i], node[j]] = [node[j]!, node[i]!];
    [round[i], round[j]] = [round[j]!, round[i]!];
  };
  const up = (i: number) => { while (i > 0 && less((i - 1) >> 1, i)) { swap(i, (i - 1) >> 1); i = (i - 1) >> 1; } };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let b = i;
      if (l < gain.length && less(b, l)) b = l;
      if (r < gain.length && less(b, r)) b = r;
      if (b === i) return;
      swap(i, b);
      i = b;
    }
  };
  for (let v = 0; v < g.n; v++) {
    gain.push(spreadOf([v]));
    node.push(v);
    round.push(0);
    up(gain.length - 1);
  }
  let current = 0;
  while (chosen.length < Math.min(k, g.n)) {
    if (round[0] === chosen.length) {
      chosen.push(node[0]!);
      current += gain[0]!;
      const last = gain.length - 1;
      swap(0, last);
      gain.pop(); node.pop(); round.pop();
      down(0);
      continue;
    }
    gain[0] = spreadOf([...chosen, node[0]!]) - current;
    round[0] = chosen.length;
    down(0);
  }
  return { seeds: Int32Array.from(chosen), spread: current, evaluations };
}
