/**
 * Rule-based attribution: each converting path's conversions and value are split over its touches by a fixed rule —
 * last touch, first touch, linear, time decay (weight 2^(−age / half-life), age = conversion time − touch time),
 * position-based (40% first, 40% last, 20% spread over the middle; a two-touch path splits 50/50).
 */
import type { Path } from './paths.js';
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { resolveOptions } from '../stats/options.js';

export const RULE_MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
export type RuleModel = (typeof RULE_MODELS)[number];

/** Credit of one channel. */
export interface ChannelCredit {
  channel: string;
  conversions: number;
  value: number;
}

/** Options of the rule models. */
export interface RuleOptions {
  /** Half-life of time decay (default 7 days). */
  halfLifeMs?: number;
  /** Shares of the first and last touch in position-based (default 0.4 each). */
  firstShare?: number;
  lastShare?: number;
}

/** The defaults of the rule models. */
export const RULE_DEFAULTS = { halfLifeMs: 7 * 86_400_000, firstShare: 0.4, lastShare: 0.4 } as const;

const ruleSchema = z
  .object({
    halfLifeMs: z.number().gt(0).default(RULE_DEFAULTS.halfLifeMs),
    firstShare: z.number().min(0).max(1).default(RULE_DEFAULTS.firstShare),
    lastShare: z.number().min(0).max(1).default(RULE_DEFAULTS.lastShare),
  })
  .strict()
  .refine((o) => o.firstShare + o.lastShare <= 1, 'firstShare + lastShare must be ≤ 1');

/** The weights a rule gives the touches of one path (they sum to 1). */
export function touchWeights(model: RuleModel, path: Path, options: RuleOptions = {}): number[] {
  return weightsOf(model, path, resolveOptions('attribution rules', ruleSchema, options));
}

function weightsOf(model: RuleModel, path: Path, options: Required<RuleOptions>): number[] {
  const n = path.channels.length;
  const w = new Array<number>(n).fill(0);
  if (n === 0) return w;
  switch (model) {
    case 'last_touch':
      w[n - 1] = 1;
      return w;
    case 'first_touch':
      w[0] = 1;
      return w;
    case 'linear':
      return w.fill(1 / n);
    case 'time_decay': {
      const half = options.halfLifeMs;
      if (path.times === undefined || path.at === undefined) {
        throw new CloutError('input', 'time_decay needs touch and conversion times; aggregated path files have none');
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] = Math.pow(2, -(path.at - path.times[i]!) / half);
      return w.map((x) => x / s);
    }
    case 'position_based': {
      const first = options.firstShare, last = options.lastShare;
      if (n === 1) return [1];
      if (n === 2) return [0.5, 0.5];
      w[0] = first;
      w[n - 1] = last;
      for (let i = 1; i < n - 1; i++) w[i] = (1 - first - last) / (n - 2);
      return w;
    }
  }
}

/** Credits conversions and value to channels by a rule; the credits sum to the paths' totals. */
export function ruleAttribution(model: RuleModel, paths: readonly Path[], options: RuleOptions = {}): ChannelCredit[] {
  const o = resolveOptions('attribution rules', ruleSchema, options);
  const credit = new Map<string, ChannelCredit>();
  for (const p of paths) {
    for (const c of p.channels) if (!credit.has(c)) credit.set(c, { channel: c, conversions: 0, value: 0 });
    if (p.conversions === 0 && p.value === 0) continue;
    const w = weightsOf(model, p, o);
    p.channels.forEach((c, i) => {
      const e = credit.get(c)!;
      e.conversions += w[i]! * p.conversions;
      e.value += w[i]! * p.value;
    });
  }
  return [...credit.values()];
}
