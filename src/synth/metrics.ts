/**
 * Daily outcome series. The baseline of book sales has a slowly drifting level (log random walk), a weekly pattern
 * and multiplicative day noise; realized baseline sales are Poisson around it. Control series (other books) share
 * the level and weekly pattern — not the noise, not the lifts. `book_sales` is written from the realized sale events.
 */
import type { Rng } from '../domain/index.js';
import type { WorldParams } from './params.js';
import { isoDate, type Table } from './writers.js';
import { MS_PER_DAY } from '../domain/index.js';


/** The planted baseline of the world, per day. */
export interface Baseline {
  /** Level before the weekly pattern, expected baseline sales, and realized baseline sales per day. */
  level: Float64Array;
  mean: Float64Array;
  realized: Int32Array;
  /** The day's planted Poisson rate of baseline sales: mean × the day's noise multiplier (what `realized` is drawn from). */
  rate: Float64Array;
  /** Realized values of each control series per day. */
  controls: Int32Array[];
}

/** Draws the baseline and the control series. */
export function makeBaseline(p: WorldParams, rng: Rng, startMs: number): Baseline {
  const b = p.baseline;
  const days = p.days;
  const level = new Float64Array(days);
  const mean = new Float64Array(days);
  const realized = new Int32Array(days);
  const rate = new Float64Array(days);
  const controls = p.controls.map(() => new Int32Array(days));
  let log = Math.log(b.level);
  const half = (b.noiseSd * b.noiseSd) / 2;
  for (let d = 0; d < days; d++) {
    if (d > 0) log += rng.normal(0, b.driftSd);
    level[d] = Math.exp(log);
    const dow = (new Date(startMs + d * MS_PER_DAY).getUTCDay() + 6) % 7; // Monday = 0
    mean[d] = level[d]! * b.weekly[dow]!;
    rate[d] = mean[d]! * Math.exp(rng.normal(0, b.noiseSd) - half);
    realized[d] = rng.poisson(rate[d]!);
    for (let s = 0; s < controls.length; s++) {
      controls[s]![d] = rng.poisson(p.controls[s]!.scale * mean[d]! * Math.exp(rng.normal(0, b.noiseSd) - half));
    }
  }
  return { level, mean, realized, rate, controls };
}

/** The charity's daily gifts: everyone else's (baseline) plus the campaign's, and the control charities. */
export interface Charity {
  /** Daily total received by the campaign's charity (baseline + campaign donations), whole dollars. */
  total: Int32Array;
  /** The planted level (expected baseline gifts per day) of the charity and its controls' common driver. */
  level: Float64Array;
  baselineTotal: number;
  controls: Int32Array[];
}

/** Draws the charity's baseline gifts and its control charities (shared drifting level, own noise), adds the campaign's. */
export function makeCharity(p: WorldParams, rng: Rng, donatedPerDay: Float64Array): Charity {
  const c = p.charity;
  const total = new Int32Array(p.days);
  const level = new Float64Array(p.days);
  const controls = c.controls.map(() => new Int32Array(p.days));
  let log = Math.log(c.level);
  let baselineTotal = 0;
  const half = (c.noiseSd * c.noiseSd) / 2;
  for (let d = 0; d < p.days; d++) {
    if (d > 0) log += rng.normal(0, c.driftSd);
    level[d] = Math.exp(log);
    const base = Math.round(Math.exp(log + rng.normal(0, c.noiseSd) - half));
    baselineTotal += base;
    total[d] = base + Math.round(donatedPerDay[d]!);
    for (let s = 0; s < controls.length; s++) {
      const k = c.controls[s]!;
      controls[s]![d] = Math.round(k.scale * Math.exp(log + rng.normal(0, k.noiseSd) - (k.noiseSd * k.noiseSd) / 2));
    }
  }
  return { total, level, baselineTotal, controls };
}

/** Writes `book_sales` (the daily count of sale events), its control series, and the charity's series. */
export async function writeMetrics(p: WorldParams, base: Baseline, salesPerDay: Int32Array, charity: Charity, out: Table, startMs: number): Promise<void> {
  const series: [string, Int32Array][] = [['book_sales', salesPerDay]];
  p.controls.forEach((c, s) => series.push([c.series, base.controls[s]!]));
  series.push([p.charity.series, charity.total]);
  p.charity.controls.forEach((c, s) => series.push([c.series, charity.controls[s]!]));
  for (const [name, values] of series) {
    for (let d = 0; d < p.days; d++) {
      out.cells[0] = name;
      out.cells[1] = isoDate(startMs + d * MS_PER_DAY);
      out.cells[2] = String(values[d]);
      if (out.end()) await out.flush();
    }
  }
}
