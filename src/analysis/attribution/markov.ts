/**
 * Markov-chain attribution by removal effect (Anderl, Becker, von Wangenheim & Schumann 2016): journeys are walks
 * start → touch states → conversion | null, transition probabilities are the observed frequencies, and a channel's
 * removal effect is the share of the conversion probability lost when every state that contains it leads to null
 * instead. Conversions and value are credited in proportion to the removal effects. The absorption probabilities are
 * solved exactly ((I − Q)x = r by Gaussian elimination with partial pivoting) up to 1,500 transient states, and by
 * Gauss–Seidel to 1e-13 beyond. Order k > 1 uses states of the last k channels; consecutive repeats are collapsed
 * first by default (as ChannelAttribution does).
 */
import { collapseRepeats, type Path } from './paths.js';
import type { ChannelCredit } from './rules.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of markovAttribution. */
export interface MarkovOptions {
  /** Order of the chain: states are the last `order` channels (default 1). */
  order?: number;
  /** Collapse consecutive repeats of a channel before building the chain (default true). */
  collapse?: boolean;
}

/** Markov credit: removal effects and the credit they imply. */
export interface MarkovResult {
  /** Probability of conversion from the start state in the full chain. */
  conversionProbability: number;
  channels: (ChannelCredit & { removal_effect: number })[];
}

const START = 0, CONV = 1, NULL = 2;

/** The defaults of markovAttribution. */
export const MARKOV_DEFAULTS = { order: 1, collapse: true } as const;

const markovSchema = z
  .object({ order: O.positiveInt().default(MARKOV_DEFAULTS.order), collapse: z.boolean().default(MARKOV_DEFAULTS.collapse) })
  .strict();

/** Removal-effect attribution over converting and null paths. */
export function markovAttribution(paths: readonly Path[], options: MarkovOptions = {}): MarkovResult {
  const { order, collapse } = resolveOptions('markov', markovSchema, options);
  const stateIndex = new Map<string, number>();
  const stateChannels: string[][] = [[], [], []];
  const channelSet = new Set<string>();
  const stateOf = (key: string[]): number => {
    const k = key.join('\u0000');
    let i = stateIndex.get(k);
    if (i === undefined) {
      i = stateChannels.length;
      stateIndex.set(k, i);
      stateChannels.push(key);
    }
    return i;
  };
  // transition weights: from → (to → weight)
  const edges: Map<number, number>[] = [];
  const add = (from: number, to: number, w: number): void => {
    if (w === 0) return;
    while (edges.length <= Math.max(from, to)) edges.push(new Map());
    const row = edges[from]!;
    row.set(to, (row.get(to) ?? 0) + w);
  };
  let totalConversions = 0, totalValue = 0;
  for (const p of paths) {
    const seq = collapse ? collapseRepeats(p.channels) : p.channels;
    totalConversions += p.conversions;
    totalValue += p.value;
    if (seq.length === 0) continue;
    const w = p.conversions + p.nulls;
    let prev = START;
    for (let i = 0; i < seq.length; i++) {
      channelSet.add(seq[i]!);
      const s = stateOf(seq.slice(Math.max(0, i - order + 1), i + 1));
      add(prev, s, w);
      prev = s;
    }
    add(prev, CONV, p.conversions);
    add(prev, NULL, p.nulls);
  }
  const nStates = stateChannels.length;
  while (edges.length < nStates) edges.push(new Map());
  const channels = [...channelSet].sort();
  const full = absorption(edges, nStates, () => false);
  const result: MarkovResult = { conversionProbability: full, channels: [] };
  const effects = channels.map((c) => {
    if (full === 0) return 0;
    const removed = absorption(edges, nStates, (s) => stateChannels[s]!.includes(c));
    return Math.max(0, 1 - removed / full);
  });
  const sum = effects.reduce((a, b) => a + b, 0);
  channels.forEach((c, i) => {
    const share = sum > 0 ? effects[i]! / sum : 0;
    result.channels.push({ channel: c, conversions: share * totalConversions, value: share * totalValue, removal_effect: effects[i]! });
  });
  return result;
}

/** P(absorbed in CONV | start) when the states for which `removed` holds lead to NULL. */
function absorption(edges: Map<number, number>[], nStates: number, removed: (s: number) => boolean): number {
  // transient states: START and every touch state not removed
  const transient: number[] = [];
  const pos = new Int32Array(nStates).fill(-1);
  for (let s = 0; s < nStates; s++) {
    if (s === CONV || s === NULL) continue;
    if (s !== START && removed(s)) continue;
    pos[s] = transient.length;
    transient.push(s);
  }
  const n = transient.length;
  // rows: x_i − Σ_j Q_ij x_j = r_i
  const rows: { cols: Int32Array; vals: Float64Array; r: number }[] = [];
  for (const s of transient) {
    const row = edges[s]!;
    let total = 0;
    for (const w of row.values()) total += w;
    const cols: number[] = [], vals: number[] = [];
    let r = 0;
    if (total > 0) {
      for (const [to, w] of row) {
        if (to === CONV) r += w / total;
        else if (to !== NULL && pos[to]! >= 0) {
          cols.push(pos[to]!);
          vals.push(w / total);
        }
      }
    }
    rows.push({ cols: Int32Array.from(cols), vals: Float64Array.from(vals), r });
  }
  return n <= 1500 ? solveDense(rows, n) : solveGaussSeidel(rows, n);
}

function solveDense(rows: { cols: Int32Array; vals: Float64Array; r: number }[], n: number): number {
  const a = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) {
    a[i * (n + 1) + i] = 1;
    const row = rows[i]!;
    for (let k = 0; k < row.cols.length; k++) a[i * (n + 1) + row.cols[k]!]! -= row.vals[k]!;
    a[i * (n + 1) + n] = row.r;
  }
  const w = n + 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(a[i * w + col]!) > Math.abs(a[piv * w + col]!)) piv = i;
    if (piv !== col) for (let j = col; j < w; j++) { const t = a[col * w + j]!; a[col * w + j] = a[piv * w + j]!; a[piv * w + j] = t; }
    const d = a[col * w + col]!;
    if (Math.abs(d) < 1e-300) continue; // a closed loop with no way out: absorbed nowhere, probability 0
    for (let i = col + 1; i < n; i++) {
      const f = a[i * w + col]! / d;
      if (f === 0) continue;
      for (let j = col; j < w; j++) a[i * w + j]! -= f * a[col * w + j]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i * w + n]!;
    for (let j = i + 1; j < n; j++) s -= a[i * w + j]! * x[j]!;
    const d = a[i * w + i]!;
    x[i] = Math.abs(d) < 1e-300 ? 0 : s / d;
  }
  return x[0]!; // START is the first transient state
}

function solveGaussSeidel(rows: { cols: Int32Array; vals: Float64Array; r: number }[], n: number): number {
  const x = new Float64Array(n);
  for (let iter = 0; iter < 100_000; iter++) {
    let change = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      let s = row.r, diag = 1;
      for (let k = 0; k < row.cols.length; k++) {
        if (row.cols[k] === i) diag -= row.vals[k]!;
        else s += row.vals[k]! * x[row.cols[k]!]!;
      }
      const v = diag > 1e-300 ? s / diag : 0;
      change = Math.max(change, Math.abs(v - x[i]!));
      x[i] = v;
    }
    if (change < 1e-13) break;
  }
  return x[0]!;
}
