/**
 * Simulated panels with planted truth for `clout compare --panel` (bench/compare-panel-calibration.ts and
 * test/analysis/compare/panel/simulation.test.ts). Every design: unit levels that differ by cohort (selection on
 * levels, which differences remove), common period shocks, AR(1) errors within unit (ρ = 0.5, so clustering by unit
 * matters), and unit-level effect heterogeneity around the planted mean effect τ(g, e) of cohort g at e = t − g.
 * Cohorts are drawn per unit with fixed probabilities, so the truth is the population one:
 *   overall ATT = Σ_g π_g Σ_{e over estimable cells} τ(g, e) / Σ_g π_g · #cells(g),
 *   event study θ(e) = the same over the cells with relative period e (0 for every lead).
 */
import type { PanelData, PanelResult } from '../src/analysis/compare/types.js';
import { Rng } from '../src/domain/index.js';

export const PANEL_DESIGNS = ['single', 'dynamic', 'staggered', 'no-never', 'unbalanced', 'pretrend'] as const;
export type PanelDesign = (typeof PANEL_DESIGNS)[number];

interface Spec {
  periods: number;
  /** First treated period → probability; the rest are never treated. */
  cohorts: [number, number][];
  /** Mean effect of cohort g at relative period e ≥ 0. */
  tau: (g: number, e: number) => number;
  /** Extra slope per period for treated units (a violated parallel trend). */
  pretrend: number;
  /** Probability that a unit-period is missing. */
  missing: number;
  text: string;
}

const SPECS: Record<PanelDesign, Spec> = {
  single: { periods: 8, cohorts: [[4, 0.5]], tau: () => 1, pretrend: 0, missing: 0, text: 'one adoption date (t = 4 of 8), constant effect 1' },
  dynamic: { periods: 10, cohorts: [[5, 0.5]], tau: (_g, e) => 0.5 * (e + 1), pretrend: 0, missing: 0, text: 'one adoption date (t = 5 of 10), effect 0.5·(e + 1)' },
  staggered: {
    periods: 10, cohorts: [[3, 0.25], [5, 0.25], [7, 0.25]], tau: (g, e) => (g === 3 ? 1 : g === 5 ? 0.6 : 0.3) * (e + 1), pretrend: 0, missing: 0,
    text: 'cohorts at 3, 5, 7 of 10 + never treated; effect δ_g·(e + 1), δ = 1, 0.6, 0.3',
  },
  'no-never': {
    periods: 10, cohorts: [[3, 1 / 3], [5, 1 / 3], [7, 1 / 3]], tau: (g, e) => (g === 3 ? 1 : g === 5 ? 0.6 : 0.3) * (e + 1), pretrend: 0, missing: 0,
    text: 'as staggered, no never-treated units (not-yet-treated comparisons run out at 7)',
  },
  unbalanced: {
    periods: 10, cohorts: [[3, 0.25], [5, 0.25], [7, 0.25]], tau: (g, e) => (g === 3 ? 1 : g === 5 ? 0.6 : 0.3) * (e + 1), pretrend: 0, missing: 0.1,
    text: 'as staggered, 10% of unit-periods missing at random',
  },
  pretrend: { periods: 8, cohorts: [[5, 0.5]], tau: () => 1, pretrend: 0.15, missing: 0, text: 'one adoption date (t = 5 of 8), treated units trend 0.15 per period faster' },
};

/** The design's one-line description. */
export function describePanelDesign(design: PanelDesign): string {
  return SPECS[design].text;
}

export interface PanelTruth {
  att: number;
  /** Relative period → planted mean effect (0 for leads), for the estimable relative periods. */
  event: Map<number, number>;
}

/** Cells (g, t) identified: with never-treated units, all; otherwise those before the last cohort adopts. */
function lastIdentified(spec: Spec): number {
  const never = 1 - spec.cohorts.reduce((s, [, p]) => s + p, 0);
  return never > 1e-12 ? spec.periods - 1 : Math.max(...spec.cohorts.map(([g]) => g)) - 1;
}

/** The population truth of a design (overall ATT and event study). */
export function panelTruth(design: PanelDesign): PanelTruth {
  const spec = SPECS[design];
  const end = lastIdentified(spec);
  let num = 0, den = 0;
  const eNum = new Map<number, number>(), eDen = new Map<number, number>();
  for (const [g, p] of spec.cohorts) {
    for (let t = 0; t <= end; t++) {
      if (t === g - 1) continue;
      const e = t - g;
      const tau = e >= 0 ? spec.tau(g, e) : 0;
      if (e >= 0) {
        num += p * tau;
        den += p;
      }
      eNum.set(e, (eNum.get(e) ?? 0) + p * tau);
      eDen.set(e, (eDen.get(e) ?? 0) + p);
    }
  }
  const event = new Map<number, number>();
  for (const [e, d] of eDen) event.set(e, eNum.get(e)! / d);
  return { att: num / den, event };
}

/** One simulated panel of `nUnits` units from a design. */
export function simulatePanel(design: PanelDesign, nUnits: number, rng: Rng): PanelData {
  const spec = SPECS[design];
  const T = spec.periods;
  const treatedAt = new Int32Array(nUnits);
  const unit: number[] = [], period: number[] = [], outcome: number[] = [];
  const shock = Float64Array.from({ length: T }, (_, t) => 0.2 * t + 0.5 * Math.sin(t) + 0.3 * rng.normal());
  const rho = 0.5;
  for (let i = 0; i < nUnits; i++) {
    let u = rng.uniform(), g = -1, k = 0;
    for (const [c, p] of spec.cohorts) {
      if (u < p) {
        g = c;
        break;
      }
      u -= p;
      k++;
    }
    // Every unit needs a pre-period observation to be kept; planted missingness may drop it (that is part of the design).
    treatedAt[i] = g;
    const level = rng.normal() + (g >= 0 ? 0.5 * (k + 1) : 0);
    const eta = 0.5 * rng.normal();
    let eps = rng.normal() / Math.sqrt(1 - rho * rho);
    for (let t = 0; t < T; t++) {
      if (t > 0) eps = rho * eps + rng.normal();
      if (spec.missing > 0 && rng.uniform() < spec.missing) continue;
      const effect = g >= 0 && t >= g ? spec.tau(g, t - g) + eta : 0;
      const trend = g >= 0 ? spec.pretrend * t : 0;
      unit.push(i);
      period.push(t);
      outcome.push(level + shock[t]! + trend + effect + eps);
    }
  }
  return { unit: Int32Array.from(unit), period: Int32Array.from(period), outcome: Float64Array.from(outcome), treatedAt };
}

export interface EstimatorScore {
  bias: number;
  /** Monte Carlo s.e. of the bias. */
  biasSe: number;
  sd: number;
  meanSe: number;
  coverage: number;
  n: number;
}

export interface PanelDesignScore {
  design: PanelDesign;
  att: EstimatorScore;
  did: EstimatorScore | null;
  twfe: EstimatorScore;
  /** Event study rows pooled: leads (truth 0) and lags (planted truth). */
  leads: EstimatorScore;
  lags: EstimatorScore;
  /** Share of replications where the pre-trend test rejects at 5%. */
  preTrendRejects: number;
  seconds: number;
}

class Tally {
  private errs: number[] = [];
  private ses: number[] = [];
  private covered = 0;
  add(estimate: number, lower: number, upper: number, se: number, truth: number): void {
    if (!Number.isFinite(estimate)) return;
    this.errs.push(estimate - truth);
    this.ses.push(se);
    if (lower <= truth && truth <= upper) this.covered++;
  }
  score(): EstimatorScore {
    const n = this.errs.length;
    const bias = this.errs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(this.errs.reduce((s, x) => s + (x - bias) ** 2, 0) / (n - 1));
    return { bias, biasSe: sd / Math.sqrt(n), sd, meanSe: this.ses.reduce((s, x) => s + x, 0) / n, coverage: this.covered / n, n };
  }
}

/** Runs `reps` replications of a design through `analyse` and scores every estimator against the planted truth. */
export function scorePanelDesign(design: PanelDesign, reps: number, nUnits: number, seed: number, analyse: (data: PanelData) => PanelResult): PanelDesignScore {
  const t0 = performance.now();
  const truth = panelTruth(design);
  const att = new Tally(), did = new Tally(), twfe = new Tally(), leads = new Tally(), lags = new Tally();
  let rejects = 0, tests = 0;
  let hasDid = false;
  for (let r = 0; r < reps; r++) {
    const rng = new Rng(seed * 1_000_003 + r);
    const res = analyse(simulatePanel(design, nUnits, rng));
    att.add(res.att.estimate, res.att.lower, res.att.upper, res.att.se, truth.att);
    twfe.add(res.twfe.estimate, res.twfe.lower, res.twfe.upper, res.twfe.se, truth.att);
    if (res.did) {
      hasDid = true;
      did.add(res.did.estimate, res.did.lower, res.did.upper, res.did.se, truth.att);
    }
    for (const row of res.event_study) {
      if (row.relative_period === -1) continue;
      const want = truth.event.get(row.relative_period);
      if (want === undefined) continue;
      (row.relative_period < -1 ? leads : lags).add(row.estimate, row.lower, row.upper, row.se, want);
    }
    if (res.pre_trend.df > 0) {
      tests++;
      if (res.pre_trend.p_value < 0.05) rejects++;
    }
  }
  return {
    design,
    att: att.score(),
    did: hasDid ? did.score() : null,
    twfe: twfe.score(),
    leads: leads.score(),
    lags: lags.score(),
    preTrendRejects: rejects / tests,
    seconds: (performance.now() - t0) / 1000,
  };
}
