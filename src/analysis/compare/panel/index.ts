/**
 * Panels for `clout compare --panel`: difference in differences, the event study and staggered adoption.
 *
 * `comparePanel` checks and lays out the panel, estimates every group-time effect ATT(g, t) (Callaway & Sant'Anna
 * 2021) against not-yet-treated or never-treated units, aggregates them into the overall ATT and the event study with
 * influence-function intervals clustered by unit, tests the leads jointly for pre-trends, and shows the plain 2×2 DiD
 * (one adoption date) and two-way fixed effects beside, with warnings in plain words.
 */
import { normalQuantile } from '../../stats/normal.js';
import type { EventStudyRow, PanelData, PanelEstimate, PanelResult } from '../types.js';
import { eventStudy, overallAtt, type Aggregate } from './aggregate.js';
import { twoByTwo } from './did.js';
import { groupTimeEffects } from './group-time.js';
import { layoutPanel } from './layout.js';
import { resolvePanelOptions, type PanelOptions } from './options.js';
import { waldZero } from './pre-trend.js';
import { twoWayFixedEffects } from './twfe.js';

export { PANEL_DEFAULTS, panelOptionsSchema, resolvePanelOptions, type PanelOptions, type ResolvedPanelOptions } from './options.js';
export { chiSquareSurvival, gammaQ } from './chi-square.js';
export { layoutPanel, type PanelLayout } from './layout.js';
export { groupTimeEffects, type GroupTimeCell } from './group-time.js';
export { twoByTwo } from './did.js';
export { twoWayFixedEffects, twoWayResiduals } from './twfe.js';
export { waldZero } from './pre-trend.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Difference in differences, event study and staggered-adoption ATT of a long panel (see the module banner). */
export function comparePanel(data: PanelData, options?: PanelOptions): PanelResult {
  const opts = resolvePanelOptions(options);
  const layout = layoutPanel(data, opts.comparison);
  const label = layout.periodLabel;
  const z = normalQuantile(0.5 + opts.level / 2);
  const interval = (a: Aggregate): PanelEstimate => ({ estimate: a.estimate, lower: a.estimate - z * a.se, upper: a.estimate + z * a.se, se: a.se });
  const warnings: string[] = [];

  const { cells, unestimable } = groupTimeEffects(layout, opts.comparison);
  const overall = overallAtt(layout, opts.comparison, cells);
  const byE = eventStudy(layout, opts.comparison, cells, opts.leads, opts.lags);

  const rows: EventStudyRow[] = [];
  const leadEstimates: number[] = [];
  const leadInfluences: Float64Array[] = [];
  const referenceUnits = countWithBase(layout);
  const es = [...byE.keys(), -1].sort((a, b) => a - b);
  for (const e of es) {
    if (e === -1) {
      rows.push({ relative_period: -1, estimate: 0, lower: 0, upper: 0, se: 0, n_units: referenceUnits });
      continue;
    }
    const a = byE.get(e)!;
    rows.push({ relative_period: e, ...interval(a), n_units: a.nTreated });
    if (e < -1) {
      leadEstimates.push(a.estimate);
      leadInfluences.push(a.influence);
    }
  }
  const preTrend = waldZero(leadEstimates, leadInfluences);

  // Warnings, in the order a reader meets the problems.
  if (layout.droppedAlwaysTreated > 0) {
    warnings.push(`${plural(layout.droppedAlwaysTreated, 'unit was', 'units were')} treated from their first observed period on, with no period before treatment to compare from; dropped from every estimate`);
  }
  if (layout.droppedUnobserved > 0) warnings.push(`${plural(layout.droppedUnobserved, 'unit has', 'units have')} no observations; left out`);
  if (layout.missingCells > 0) {
    warnings.push(`unbalanced panel: ${plural(layout.missingCells, 'unit-period is', 'unit-periods are')} missing; each ATT(g, t) uses the units observed at both t and g − 1, and two-way fixed effects are solved exactly on the observed rows`);
  }
  if (layout.nNeverKept === 0) {
    const last = layout.cohorts[layout.cohorts.length - 1]!;
    warnings.push(`no never-treated units: the comparisons are units not yet treated, and they run out once the last cohort (treated at ${label(last)}) is treated; effects from ${label(last)} on cannot be estimated`);
  }
  if (unestimable.length > 0) {
    const cohorts = [...new Set(unestimable.map((c) => c.g))];
    warnings.push(`${plural(unestimable.length, 'post-treatment cohort-period has', 'post-treatment cohort-periods have')} no comparison units (cohort${cohorts.length === 1 ? '' : 's'} treated at ${cohorts.map(label).join(', ')}); left out of the overall ATT and the event study`);
  }
  const single = layout.cohorts.filter((_, c) => layout.cohortSize[c] === 1).map(label);
  if (single.length > 0) {
    warnings.push(`${plural(single.length, 'cohort has', 'cohorts have')} a single unit (treated at ${single.slice(0, 5).join(', ')}${single.length > 5 ? ', …' : ''}): its effects rest on one unit, and its interval cannot show that unit's own variability`);
  }
  const thinComparison = cells.filter((c) => c.nComparison === 1).length;
  if (thinComparison > 0) warnings.push(`${plural(thinComparison, 'group-time effect rests', 'group-time effects rest')} on a single comparison unit`);
  if (preTrend.df === 0) {
    warnings.push('no pre-treatment periods before the reference period (e = −1): the pre-trend test cannot run');
  } else if (preTrend.p_value < 1 - opts.level) {
    warnings.push(`pre-trend test rejects (p = ${formatP(preTrend.p_value)}): treated and comparison units were already moving apart before treatment, so parallel trends, and every estimate here, are in doubt`);
  }
  if (layout.cohorts.length > 1) {
    warnings.push('staggered adoption: two-way fixed effects compares later-treated with already-treated units and can be biased, even of the wrong sign, when effects change with time since treatment (Goodman-Bacon 2021); read the ATT and the event study instead');
  }
  if (Number.isNaN(overall.estimate)) warnings.push('no post-treatment effect could be estimated: no cohort has comparison units after its adoption');

  let nTreated = 0;
  for (const n of layout.cohortSize) nTreated += n;
  return {
    kind: 'panel',
    n_units: layout.nKept,
    n_periods: layout.nPeriods,
    n_treated_units: nTreated,
    cohorts: layout.cohorts.map((g, c) => ({ treated_at: label(g), units: layout.cohortSize[c]! })),
    att: { ...interval(overall), method: 'callaway-santanna', comparison: opts.comparison },
    did: twoByTwo(layout, opts.level),
    twfe: twoWayFixedEffects(layout, opts.level),
    event_study: rows,
    pre_trend: preTrend,
    group_time: cells.map((c) => ({
      treated_at: label(c.g), period: label(c.t), relative_period: c.e,
      estimate: c.estimate, lower: c.estimate - z * c.se, upper: c.estimate + z * c.se, se: c.se,
      n_treated: c.nTreated, n_comparison: c.nComparison,
    })),
    dropped_units: layout.droppedAlwaysTreated,
    options: { ...opts, base_period: 'universal (g − 1)', interval: 'influence-function (clustered by unit)' },
    warnings,
  };
}

/** Treated units observed at their base period g − 1 (the reference row's count). */
function countWithBase(layout: ReturnType<typeof layoutPanel>): number {
  const { nUnits, nPeriods: T, y, treatedAt } = layout;
  let n = 0;
  for (let i = 0; i < nUnits; i++) if (treatedAt[i]! >= 1 && !Number.isNaN(y[i * T + treatedAt[i]! - 1]!)) n++;
  return n;
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
