/** Terminal rendering of `clout compare`: the estimates beside the naive difference, balance, overlap, sensitivity, warnings. */
import type { CompareResult, PanelResult } from '../analysis/compare/index.js';
import { formatFixed, formatInt, renderTable } from './table.js';

const METHOD_NAMES: Record<string, string> = {
  naive: 'naive difference',
  matching: 'matching',
  ipw: 'weighting (IPW)',
  aipw: 'doubly robust (AIPW)',
};

/** How each interval was made, in words (the JSON keeps the codes). */
export const INTERVAL_NAMES: Record<string, string> = {
  'abadie-imbens': 'Abadie–Imbens',
  bootstrap: 'bootstrap',
  'influence-function': 'influence function',
  'matched-sets': 'matched sets',
  'multiplier-bootstrap': 'multiplier bootstrap',
  welch: 'Welch',
};

/** A number with about three significant digits (effects come in any unit). */
export function formatEffect(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  const digits = a === 0 ? 2 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(a)));
  return formatFixed(x, digits);
}

/** The assumptions every cross-sectional answer rests on, in plain words (also in the HTML page and docs/compare.md). */
export const COMPARE_ASSUMPTIONS = [
  'No hidden confounding: once the covariates are equal, who got treated is as good as random.',
  'Overlap: every kind of unit could have been treated or not (units outside common support are listed).',
  "No interference: one unit's treatment does not change another's outcome — often false inside a tribe, where a shout-out of one member reaches the others.",
  'Covariates measured before treatment: a covariate the treatment changed (a mediator) biases the answer.',
];

/** The assumptions of a panel comparison, in plain words. */
export const PANEL_ASSUMPTIONS = [
  'Parallel trends: without treatment, treated and comparison units would have moved alike.',
  'No anticipation: units did not react before their treatment.',
  'Treatment stays on once it starts.',
  "No interference: one unit's treatment does not change another's outcome.",
];

/** The estimand in words. */
export function estimandWords(estimand: string): string {
  return estimand === 'att' ? 'ATT: the effect on the units that were treated' : 'ATE: the effect if every unit were treated';
}

/** The estimates table: the naive difference first, then each method. */
function estimatesTable(r: CompareResult, level: string): string {
  const rows = [
    { name: 'naive', estimate: r.naive.estimate, lower: r.naive.lower, upper: r.naive.upper, se: r.naive.se, n: r.n_treated + r.n_control, interval: 'welch' },
    ...r.methods.map((m) => ({ name: m.method, estimate: m.estimate, lower: m.lower, upper: m.upper, se: m.se, n: m.n_used, interval: m.interval })),
  ];
  return renderTable(rows, [
    { header: 'estimate', cell: (x) => METHOD_NAMES[x.name] ?? x.name },
    { header: 'effect', cell: (x) => formatEffect(x.estimate), align: 'right' },
    { header: `${level} interval`, cell: (x) => `${formatEffect(x.lower)} to ${formatEffect(x.upper)}`, align: 'right' },
    { header: 's.e.', cell: (x) => formatEffect(x.se), align: 'right' },
    { header: 'units used', cell: (x) => formatInt(x.n), align: 'right' },
    { header: 'interval by', cell: (x) => INTERVAL_NAMES[x.interval] ?? x.interval },
  ]);
}

/** The plain-text answer of a cross-sectional comparison. */
export function renderCompareText(r: CompareResult, source?: { file?: string; outcome?: string }): string {
  const level = `${formatFixed(levelOf(r) * 100, 0)}%`;
  const where = source?.file ? ` from ${source.file}` : '';
  const outcome = source?.outcome ? ` on '${source.outcome}'` : '';
  let text = `Compared ${formatInt(r.n_treated)} treated with ${formatInt(r.n_control)} control units${where}${outcome} — ${estimandWords(r.estimand)}\n\n`;
  text += estimatesTable(r, level);
  const adjusted = r.methods[0];
  if (adjusted !== undefined) {
    const shift = r.naive.estimate - adjusted.estimate;
    text += `\nAdjusting for the covariates moved the estimate by ${formatEffect(-shift)} (naive ${formatEffect(r.naive.estimate)} → ${METHOD_NAMES[adjusted.method]} ${formatEffect(adjusted.estimate)}).\n`;
  }
  text += '\nBalance (standardised mean difference; |SMD| < 0.1 counts as balanced)\n';
  text += renderTable(r.balance, [
    { header: 'covariate', cell: (b) => b.covariate },
    { header: 'SMD before', cell: (b) => formatFixed(b.smd_before, 3), align: 'right' },
    { header: 'after', cell: (b) => formatFixed(b.smd_after, 3) + (Math.abs(b.smd_after) >= 0.1 ? ' !' : ''), align: 'right' },
    { header: 'weighted', cell: (b) => formatFixed(b.smd_weighted, 3), align: 'right' },
    { header: 'var. ratio before', cell: (b) => formatFixed(b.variance_ratio_before, 2), align: 'right' },
    { header: 'after', cell: (b) => formatFixed(b.variance_ratio_after, 2), align: 'right' },
  ]);
  const o = r.overlap;
  text += `\nOverlap: ${o.outside_support === 0 ? 'every unit lies within common support of the score' : `${formatInt(o.outside_support)} units lie outside common support of the score (${o.outside_support_ids.slice(0, 5).join(', ')}${o.outside_support > 5 ? ', …' : ''})`}`;
  if (o.outside_support > 0 && o.estimate_within_support !== null) text += `; without them the estimate is ${formatEffect(o.estimate_within_support)}`;
  text += '.\n';
  const s = r.sensitivity;
  text += `Sensitivity: E-value ${formatFixed(s.e_value, 2)} (interval bound ${formatFixed(s.e_value_bound, 2)}). ${eValueSentence(s.e_value, s.e_value_bound)}\n`;
  if (r.propensity.separation.length > 0) text += `Separation in the propensity model: ${r.propensity.separation.join(', ')}.\n`;
  if (r.warnings.length > 0) text += '\n' + r.warnings.map((w) => `warning: ${w}`).join('\n') + '\n';
  text += '\nAssumptions:\n' + COMPARE_ASSUMPTIONS.map((a) => `  - ${a}`).join('\n') + '\n';
  return text;
}

/** What an E-value means for this answer, in one sentence. */
export function eValueSentence(e: number, bound: number): string {
  const head = `An unmeasured confounder associated with both the treatment and the outcome by a risk ratio of ${formatFixed(e, 2)} each, above the covariates, could explain the estimate away`;
  return bound <= 1 ? `${head}; the interval already includes no effect.` : `${head}; one of ${formatFixed(bound, 2)} could move the interval to include no effect.`;
}

function levelOf(r: CompareResult | PanelResult): number {
  const l = r.options['level'];
  return typeof l === 'number' ? l : 0.95;
}

const PANEL_METHODS: Record<string, string> = { 'callaway-santanna': "Callaway–Sant'Anna" };

/** The panel ATT's estimator in words. */
export function panelMethodName(method: string): string {
  return PANEL_METHODS[method] ?? method;
}

/** An event-study row's interval, or 'reference' for the period every other is measured against. */
export function eventInterval(e: { relative_period: number; lower: number; upper: number; se: number }): string {
  return e.relative_period === -1 && e.se === 0 ? 'reference' : `${formatEffect(e.lower)} to ${formatEffect(e.upper)}`;
}

/** The plain-text answer of a panel comparison: the staggered-robust ATT, DiD, TWFE, the event study and the pre-trend test. */
export function renderPanelText(r: PanelResult, source?: { file?: string; outcome?: string }): string {
  const level = `${formatFixed(levelOf(r) * 100, 0)}%`;
  const where = source?.file ? ` from ${source.file}` : '';
  const outcome = source?.outcome ? ` on '${source.outcome}'` : '';
  let text = `Panel of ${formatInt(r.n_units)} units over ${formatInt(r.n_periods)} periods${where}${outcome}: ${formatInt(r.n_treated_units)} treated in ${r.cohorts.length} cohort${r.cohorts.length === 1 ? '' : 's'}\n\n`;
  const rows = [
    { name: `ATT (${panelMethodName(r.att.method)}, vs ${r.att.comparison} units)`, e: r.att },
    ...(r.did ? [{ name: 'difference in differences (2×2)', e: r.did }] : []),
    { name: 'two-way fixed effects (for comparison)', e: r.twfe },
  ];
  text += renderTable(rows, [
    { header: 'estimator', cell: (x) => x.name },
    { header: 'effect', cell: (x) => formatEffect(x.e.estimate), align: 'right' },
    { header: `${level} interval`, cell: (x) => `${formatEffect(x.e.lower)} to ${formatEffect(x.e.upper)}`, align: 'right' },
    { header: 's.e.', cell: (x) => formatEffect(x.e.se), align: 'right' },
  ]);
  text += '\nEvent study (periods relative to treatment; −1 is the reference)\n';
  text += renderTable(r.event_study, [
    { header: 'period', cell: (e) => (e.relative_period > 0 ? `+${e.relative_period}` : String(e.relative_period)), align: 'right' },
    { header: 'effect', cell: (e) => formatEffect(e.estimate), align: 'right' },
    { header: `${level} interval`, cell: eventInterval, align: 'right' },
    { header: 'units', cell: (e) => formatInt(e.n_units), align: 'right' },
  ]);
  const p = r.pre_trend;
  text += `\nPre-trend test (leads jointly zero): χ² = ${formatFixed(p.statistic, 2)} on ${p.df} df, p = ${formatFixed(p.p_value, 3)}${p.p_value < 0.05 ? ' — the groups were already drifting apart before treatment; read the effects with care' : ''}.\n`;
  if (r.warnings.length > 0) text += '\n' + r.warnings.map((w) => `warning: ${w}`).join('\n') + '\n';
  text += '\nAssumptions:\n' + PANEL_ASSUMPTIONS.map((a) => `  - ${a}`).join('\n') + '\n';
  return text;
}
