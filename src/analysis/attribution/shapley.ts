/**
 * Shapley values (Shapley 1953) of a cooperative game over up to 30 players given by its characteristic function
 * v(coalition bitmask): exact by subset enumeration up to `exactMax` players (default 15: 2^15 coalitions), and
 * estimated beyond by averaging marginal contributions over seeded random permutations. For attribution, the
 * players are channels and v(S) = the conversions (or value) of the journeys whose every channel is in S
 * (Zhao et al. 2018); that game is a sum of unanimity games, so its Shapley value is an equal split of each journey
 * over its distinct channels: enumerated up to `exactMax` channels (and checked against the split in the tests),
 * computed by the split beyond.
 */
import { CloutError, Rng } from '../../domain/index.js';
import type { Path } from './paths.js';
import type { ChannelCredit } from './rules.js';
import { z } from 'zod';
import { optionSchemas as O, resolveOptions } from '../stats/options.js';

/** Options of shapleyValues. */
export interface ShapleyOptions {
  /** Largest number of players solved exactly (default 15). */
  exactMax?: number;
  /** Permutations sampled when not exact (default 2,000). */
  permutations?: number;
  seed?: number;
}

/** The defaults of shapleyValues and shapleyAttribution. */
export const SHAPLEY_DEFAULTS = { exactMax: 15, permutations: 2000, seed: 1 } as const;

const shapleySchema = z
  .object({
    exactMax: z.number().int().min(0).default(SHAPLEY_DEFAULTS.exactMax),
    permutations: O.positiveInt().default(SHAPLEY_DEFAULTS.permutations),
    seed: O.seed().default(SHAPLEY_DEFAULTS.seed),
  })
  .strict();

/** Shapley value of each player; `exact` tells whether they were enumerated or sampled. */
export function shapleyValues(players: number, v: (mask: number) => number, options: ShapleyOptions = {}): { values: Float64Array; exact: boolean } {
  const o = resolveOptions('shapley', shapleySchema, options);
  if (players > 30) throw new CloutError('input', `shapley: at most 30 players (bitmask coalitions), got ${players}`);
  const values = new Float64Array(players);
  if (players === 0) return { values, exact: true };
  if (players <= o.exactMax) {
    const full = 1 << players;
    const worth = new Float64Array(full);
    for (let m = 0; m < full; m++) worth[m] = v(m);
    // weight of a coalition of size s not containing i: s!(n − s − 1)!/n!
    const weight = new Float64Array(players);
    for (let s = 0; s < players; s++) weight[s] = 1 / (players * binomial(players - 1, s));
    for (let m = 0; m < full; m++) {
      const s = popcount(m);
      for (let i = 0; i < players; i++) {
        const bit = 1 << i;
        if (m & bit) continue;
        values[i]! += weight[s]! * (worth[m | bit]! - worth[m]!);
      }
    }
    return { values, exact: true };
  }
  const rng = new Rng(o.seed);
  const perms = o.permutations;
  const order = Array.from({ length: players }, (_, i) => i);
  for (let p = 0; p < perms; p++) {
    rng.shuffle(order);
    let mask = 0, prev = v(0);
    for (const i of order) {
      mask |= 1 << i;
      const cur = v(mask);
      values[i]! += cur - prev;
      prev = cur;
    }
  }
  for (let i = 0; i < players; i++) values[i]! /= perms;
  return { values, exact: false };
}

/** Shapley attribution of journeys: players = channels, v(S) = conversions (value) of journeys inside S. */
export function shapleyAttribution(paths: readonly Path[], options: ShapleyOptions = {}): { exact: boolean; channels: ChannelCredit[] } {
  const names = [...new Set(paths.flatMap((p) => p.channels))].sort();
  const id = new Map(names.map((c, i) => [c, i]));
  const o = resolveOptions('shapley', shapleySchema, options);
  if (names.length > o.exactMax) {
    // This v is a sum of unanimity games (one per journey's channel set), whose Shapley value is the equal split:
    // exact in O(journeys), where enumeration would need 2^channels coalitions and sampling would only approximate it.
    return { exact: true, channels: equalSplit(paths, names) };
  }
  const byMask = new Map<number, { conversions: number; value: number }>();
  for (const p of paths) {
    if (p.conversions === 0 && p.value === 0) continue;
    let mask = 0;
    for (const c of p.channels) mask |= 1 << id.get(c)!;
    const e = byMask.get(mask) ?? { conversions: 0, value: 0 };
    e.conversions += p.conversions;
    e.value += p.value;
    byMask.set(mask, e);
  }
  const entries = [...byMask.entries()];
  const game = (field: 'conversions' | 'value') => (mask: number): number => {
    let s = 0;
    for (const [m, e] of entries) if ((m & mask) === m) s += e[field];
    return s;
  };
  const conv = shapleyValues(names.length, game('conversions'), options);
  const val = shapleyValues(names.length, game('value'), options);
  return {
    exact: conv.exact,
    channels: names.map((c, i) => ({ channel: c, conversions: conv.values[i]!, value: val.values[i]! })),
  };
}

/** Each journey's conversions and value split equally over its distinct channels. */
export function equalSplit(paths: readonly Path[], names: readonly string[] = [...new Set(paths.flatMap((p) => p.channels))].sort()): ChannelCredit[] {
  const credit = new Map(names.map((c) => [c, { channel: c, conversions: 0, value: 0 }]));
  for (const p of paths) {
    const distinct = [...new Set(p.channels)];
    for (const c of distinct) {
      const e = credit.get(c)!;
      e.conversions += p.conversions / distinct.length;
      e.value += p.value / distinct.length;
    }
  }
  return [...credit.values()];
}

function popcount(m: number): number {
  let c = 0;
  while (m) {
    m &= m - 1;
    c++;
  }
  return c;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
