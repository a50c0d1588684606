/**
 * Series simulated from designs the causal impact model does not assume (issue 18): a steady level, a drifting
 * level, a local linear trend, weekly seasonality, a weak control and heavy-tailed noise — each with one AR(1)
 * control, an observation noise of s.d. 1, 30 post points and, on half the series, a planted step. Used by
 * `npm run check:impact-calibration` and by the calibration test (fewer series).
 */
import { Rng } from '../src/domain/index.js';
import type { ImpactData, ImpactResult } from '../src/analysis/impact/index.js';

/** The designs, by name. */
export const DESIGNS = ['steady', 'drift', 'trend', 'seasonal', 'weak_control', 'heavy_tails'] as const;
export type Design = (typeof DESIGNS)[number];

/** One simulated series with its planted truth. */
export interface DesignSeries {
  design: Design;
  data: ImpactData;
  /** Planted effect per post point (0 on placebo series) and summed over the post period. */
  effect: number;
  cumulative: number;
  /** Seasons the analyst would fit (7 for the weekly design, else 1). */
  seasons: number;
}

/** Pre-period lengths cycled over the series of a design. */
export const PRE_LENGTHS = [60, 120, 240] as const;
/** Post-period length. */
export const POST = 30;
/** Planted effects per post point (noise s.d. units), cycled over the series that carry one. */
export const EFFECTS = [0.5, 1] as const;

/** Student t with ν degrees of freedom, scaled to unit variance. */
function unitT(rng: Rng, nu: number): number {
  const chi2 = 2 * rng.gamma(nu / 2, 1);
  return (rng.normal() / Math.sqrt(chi2 / nu)) * Math.sqrt((nu - 2) / nu);
}

/** Simulates series `i` of a design (even i: placebo, odd i: planted step), seeded by (design, i, seed). */
export function simulateDesign(design: Design, i: number, seed = 1): DesignSeries {
  const rng = new Rng(seed * 1_000_003 + DESIGNS.indexOf(design) * 10_007 + i);
  const pre = PRE_LENGTHS[Math.floor(i / 2) % PRE_LENGTHS.length]!;
  const n = pre + POST;
  const effect = i % 2 === 0 ? 0 : EFFECTS[Math.floor(i / 2) % EFFECTS.length]!;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const beta = design === 'weak_control' ? 0.15 : 1;
  const levelSd = design === 'drift' ? 0.1 : design === 'trend' ? 0.02 : 0.01;
  let slope = design === 'trend' ? rng.normal(0, 0.02) : 0;
  const week = Array.from({ length: 7 }, () => rng.normal(0, 1.5));
  const weekMean = week.reduce((s, v) => s + v, 0) / 7;
  let level = 0, ar = 0;
  for (let t = 0; t < n; t++) {
    ar = 0.8 * ar + rng.normal();
    x[t] = 10 + ar;
    if (t > 0) {
      level += slope + (levelSd > 0 ? rng.normal(0, levelSd) : 0);
      if (design === 'trend') slope += rng.normal(0, 0.002);
    }
    const season = design === 'seasonal' ? week[t % 7]! - weekMean : 0;
    const noise = design === 'heavy_tails' ? unitT(rng, 3) : rng.normal();
    y[t] = 20 + level + season + beta * x[t]! + noise + (t >= pre ? effect : 0);
  }
  return {
    design,
    data: { y, controls: [{ name: 'x', values: x }], pre: [0, pre - 1], post: [pre, n - 1] },
    effect,
    cumulative: effect * POST,
    seasons: design === 'seasonal' ? 7 : 1,
  };
}

/** How one engine setting did on the series of one design. */
export interface DesignScore {
  design: Design;
  series: number;
  /** Share of all series whose (1 − α) interval of the cumulative effect holds the planted one. */
  coverage: number;
  /** Placebo series with p < α, and series with a planted effect with p < α. */
  falsePositives: number;
  power: number;
  /** Mean width of the cumulative effect's interval. */
  width: number;
  /** Coverage by pre-period length. */
  byPre: Map<number, number>;
  /** Mean backtest coverage and the share of series warned about it (NaN without backtests). */
  backtestCoverage: number;
  warned: number;
}

/** Runs `analyse` on series 0..count−1 of a design and scores the intervals and verdicts against the planted truth. */
export function scoreDesign(
  design: Design,
  count: number,
  seed: number,
  analyse: (s: DesignSeries, i: number) => ImpactResult,
): DesignScore {
  let covered = 0, nulls = 0, fp = 0, effects = 0, detected = 0, width = 0, bt = 0, btN = 0, warned = 0;
  const pre = new Map<number, { n: number; covered: number }>();
  for (let i = 0; i < count; i++) {
    const s = simulateDesign(design, i, seed);
    const r = analyse(s, i);
    const c = r.cumulative!;
    const inside = c.abs_effect_lower <= s.cumulative && s.cumulative <= c.abs_effect_upper;
    if (inside) covered++;
    width += c.abs_effect_upper - c.abs_effect_lower;
    const significant = r.p! < r.alpha;
    if (s.effect === 0) {
      nulls++;
      if (significant) fp++;
    } else {
      effects++;
      if (significant) detected++;
    }
    const len = s.data.pre[1] + 1;
    const g = pre.get(len) ?? { n: 0, covered: 0 };
    g.n++;
    if (inside) g.covered++;
    pre.set(len, g);
    if (r.calibration?.coverage != null) {
      bt += r.calibration.coverage;
      btN++;
    }
    if (r.warnings.some((w) => w.startsWith('in backtests on the pre-period'))) warned++;
  }
  return {
    design,
    series: count,
    coverage: covered / count,
    falsePositives: nulls > 0 ? fp / nulls : NaN,
    power: effects > 0 ? detected / effects : NaN,
    width: width / count,
    byPre: new Map([...pre].map(([k, g]) => [k, g.covered / g.n])),
    backtestCoverage: btN > 0 ? bt / btN : NaN,
    warned: warned / count,
  };
}
