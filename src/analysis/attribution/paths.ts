/**
 * Touchpoint paths: the channels a customer touched, oldest first, before converting (or not). A path carries the
 * number of conversions, their value and the number of non-converting journeys with the same sequence, so that
 * aggregated exports (ChannelAttribution's format) and paths built from clicks share one type.
 */
import { z } from 'zod';
import { resolveOptions } from '../stats/options.js';

/** One distinct channel sequence with its outcomes. */
export interface Path {
  /** Channel names, oldest touch first (may repeat). */
  channels: string[];
  conversions: number;
  value: number;
  /** Journeys with this sequence that did not convert. */
  nulls: number;
  /** Touch times (epoch ms), aligned with channels; needed by time decay only. */
  times?: number[];
  /** Conversion time (epoch ms); needed by time decay only. */
  at?: number;
}

/** A touch by one visitor or customer. */
export interface Touch {
  who: string;
  at: number;
  channel: string;
}

/** A conversion by one visitor or customer. */
export interface ConversionEvent {
  who: string;
  at: number;
  value: number;
}

/** Options of buildPaths. */
export interface BuildPathsOptions {
  /** Touches older than this before the conversion are not part of its path (default 30 days). */
  lookbackMs?: number;
}

const DAY = 86_400_000;

/** The defaults of buildPaths. */
export const BUILD_PATHS_DEFAULTS = { lookbackMs: 30 * DAY } as const;

const buildPathsSchema = z.object({ lookbackMs: z.number().gt(0).default(BUILD_PATHS_DEFAULTS.lookbackMs) }).strict();

/**
 * Builds one path per conversion from the touches of the same visitor/customer inside the lookback window before it
 * (a touch is used by at most one conversion: the first one after it); touches that never lead to a conversion form
 * null paths (one per visitor, split at gaps longer than the lookback).
 */
export function buildPaths(touches: readonly Touch[], conversions: readonly ConversionEvent[], options: BuildPathsOptions = {}): Path[] {
  const lookback = resolveOptions('paths', buildPathsSchema, options).lookbackMs;
  const byWho = new Map<string, { touches: Touch[]; conversions: ConversionEvent[] }>();
  const slot = (who: string) => {
    let s = byWho.get(who);
    if (!s) byWho.set(who, (s = { touches: [], conversions: [] }));
    return s;
  };
  for (const t of touches) slot(t.who).touches.push(t);
  for (const c of conversions) slot(c.who).conversions.push(c);
  const paths: Path[] = [];
  for (const { touches: ts, conversions: cs } of byWho.values()) {
    ts.sort((x, y) => x.at - y.at);
    cs.sort((x, y) => x.at - y.at);
    let next = 0; // first touch not used yet
    // touches next..end-1 led nowhere: one null journey per run without a gap longer than the lookback
    const flushNulls = (end: number): void => {
      for (let i = next; i < end; ) {
        let j = i + 1;
        while (j < end && ts[j]!.at - ts[j - 1]!.at <= lookback) j++;
        paths.push(nullPath(ts.slice(i, j)));
        i = j;
      }
      next = Math.max(next, end);
    };
    for (const c of cs) {
      let lo = next;
      while (lo < ts.length && ts[lo]!.at < c.at - lookback) lo++;
      flushNulls(lo);
      let hi = next;
      while (hi < ts.length && ts[hi]!.at <= c.at) hi++;
      if (hi === next) continue; // a conversion with no touch in the window has no path (it is the baseline's)
      const used = ts.slice(next, hi);
      paths.push({ channels: used.map((t) => t.channel), conversions: 1, value: c.value, nulls: 0, times: used.map((t) => t.at), at: c.at });
      next = hi;
    }
    flushNulls(ts.length);
  }
  return paths;
}

function nullPath(ts: Touch[]): Path {
  return { channels: ts.map((t) => t.channel), conversions: 0, value: 0, nulls: 1, times: ts.map((t) => t.at) };
}

/** Merges paths with the same channel sequence (dropping times), summing conversions, value and nulls. */
export function aggregatePaths(paths: readonly Path[]): Path[] {
  const byKey = new Map<string, Path>();
  for (const p of paths) {
    const key = p.channels.join('\u0000');
    const q = byKey.get(key);
    if (q) {
      q.conversions += p.conversions;
      q.value += p.value;
      q.nulls += p.nulls;
    } else byKey.set(key, { channels: [...p.channels], conversions: p.conversions, value: p.value, nulls: p.nulls });
  }
  return [...byKey.values()];
}

/** Collapses consecutive repeats of a channel (A > A > B > A → A > B > A). */
export function collapseRepeats(channels: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of channels) if (out[out.length - 1] !== c) out.push(c);
  return out;
}
