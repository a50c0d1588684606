/**
 * The one-file HTML page of `clout compare --html FILE`: the estimates beside the naive difference, balance (a love
 * plot and its table), overlap (the score's distribution by group), sensitivity, warnings and the assumptions — inline
 * SVG only, so the page reads with JavaScript off and without a network.
 */
import type { CompareResult, PanelResult } from '../../analysis/compare/index.js';
import { COMPARE_ASSUMPTIONS, INTERVAL_NAMES, PANEL_ASSUMPTIONS, eValueSentence, estimandWords, eventInterval, formatEffect, panelMethodName } from '../render-terminal-compare.js';
import { formatFixed, formatInt } from '../table.js';
import { escapeHtml as esc } from './escape.js';
import { note, section, table } from './markup.js';
import { REPORT_CSS } from './style.js';
import { eventStudyChart, intervalChart, lovePlot, mirroredHistogram } from './svg-charts.js';

const NAMES: Record<string, string> = { matching: 'matching', ipw: 'weighting (IPW)', aipw: 'doubly robust (AIPW)' };

/** Where the data came from, for the page's heading. */
export interface CompareSource {
  file?: string;
  outcome?: string;
  generatedAt?: string;
}

function page(title: string, meta: string, body: string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}
svg { display: block; margin: 8px 0 12px; height: auto; }
.answer { font-size: 17px; }
ul.plain { padding-left: 20px; }
</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">${esc(meta)}</p>
</header>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}

function warningsList(warnings: readonly string[]): string {
  return warnings.length === 0 ? '' : `<ul class="warnings">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
}

/** The score histogram's bin edges: the result's edges, or equal bins over [0, 1] when it gives one value per bin. */
function binEdges(bins: readonly number[], count: number): number[] {
  if (bins.length === count + 1) return [...bins];
  return Array.from({ length: count + 1 }, (_, i) => i / count);
}

/** Renders a cross-sectional comparison as one self-contained HTML page. */
export function renderCompareHtml(r: CompareResult, source: CompareSource = {}): string {
  const level = typeof r.options['level'] === 'number' ? (r.options['level'] as number) : 0.95;
  const pct = `${formatFixed(level * 100, 0)}%`;
  const outcome = source.outcome ? `'${source.outcome}'` : 'the outcome';
  const first = r.methods[0];
  const answer = first
    ? `<p class="answer">${esc(`${NAMES[first.method]}: ${formatEffect(first.estimate)} (${pct} interval ${formatEffect(first.lower)} to ${formatEffect(first.upper)}) against a naive difference of ${formatEffect(r.naive.estimate)}.`)}</p>`
    : '';
  const rows = [
    { label: 'naive difference', estimate: r.naive.estimate, lower: r.naive.lower, upper: r.naive.upper, muted: true },
    ...r.methods.map((m) => ({ label: NAMES[m.method] ?? m.method, estimate: m.estimate, lower: m.lower, upper: m.upper })),
  ];
  const estimates = section(
    'estimates',
    'Estimates',
    answer +
      intervalChart(rows, `Effect on ${outcome} by estimator, with ${pct} intervals`, { xLabel: `effect on ${outcome}` }) +
      table('estimates-table', `Effect on ${outcome} — ${estimandWords(r.estimand)}`, [
        { name: 'naive difference', estimate: r.naive.estimate, lower: r.naive.lower, upper: r.naive.upper, se: r.naive.se, n: r.n_treated + r.n_control, interval: 'welch' },
        ...r.methods.map((m) => ({ name: NAMES[m.method] ?? m.method, estimate: m.estimate, lower: m.lower, upper: m.upper, se: m.se, n: m.n_used, interval: m.interval })),
      ], [
        { head: 'estimator', cell: (x) => esc(x.name) },
        { head: 'effect', num: true, cell: (x) => esc(formatEffect(x.estimate)) },
        { head: `${pct} interval`, num: true, cell: (x) => esc(`${formatEffect(x.lower)} to ${formatEffect(x.upper)}`) },
        { head: 's.e.', num: true, cell: (x) => esc(formatEffect(x.se)) },
        { head: 'units used', num: true, cell: (x) => esc(formatInt(x.n)) },
        { head: 'interval by', cell: (x) => esc(INTERVAL_NAMES[x.interval] ?? x.interval) },
      ]),
  );
  const balance = section(
    'balance',
    'Balance',
    note('The standardised mean difference of each covariate between the groups, before and after adjustment. Below 0.1 counts as balanced; variance ratios between 0.5 and 2 are the usual bar.') +
      lovePlot(r.balance.map((b) => ({ covariate: b.covariate, before: b.smd_before, after: b.smd_after, weighted: b.smd_weighted })), 'Love plot: absolute standardised mean differences before and after adjustment') +
      table('balance-table', 'Balance by covariate', r.balance, [
        { head: 'covariate', cell: (b) => esc(b.covariate) },
        { head: 'SMD before', num: true, cell: (b) => esc(formatFixed(b.smd_before, 3)) },
        { head: 'SMD after matching', num: true, cell: (b) => esc(formatFixed(b.smd_after, 3)) },
        { head: 'SMD weighted', num: true, cell: (b) => esc(formatFixed(b.smd_weighted, 3)) },
        { head: 'variance ratio before', num: true, cell: (b) => esc(formatFixed(b.variance_ratio_before, 2)) },
        { head: 'variance ratio after', num: true, cell: (b) => esc(formatFixed(b.variance_ratio_after, 2)) },
      ]),
  );
  const o = r.overlap;
  const outside = o.outside_support === 0
    ? 'Every unit lies within common support of the propensity score.'
    : `${formatInt(o.outside_support)} units lie outside common support (${o.outside_support_ids.slice(0, 10).join(', ')}${o.outside_support > 10 ? ', …' : ''})${o.estimate_within_support !== null ? `; without them the estimate is ${formatEffect(o.estimate_within_support)}` : ''}.`;
  const overlap = section(
    'overlap',
    'Overlap',
    note('The propensity score — the chance of treatment given the covariates — in each group. Where one group has units and the other none, the comparison rests on extrapolation.') +
      mirroredHistogram(binEdges(o.bins, o.treated_counts.length), o.treated_counts, o.control_counts, ['treated', 'control'], 'Propensity score by group', 'propensity score') +
      `<p>${esc(outside)}</p>`,
  );
  const s = r.sensitivity;
  const sensitivity = section('sensitivity', 'Sensitivity to hidden confounding', `<p>E-value ${esc(formatFixed(s.e_value, 2))} (interval bound ${esc(formatFixed(s.e_value_bound, 2))}). ${esc(eValueSentence(s.e_value, s.e_value_bound))}</p>`);
  const model = section(
    'propensity',
    'Propensity model',
    note(`Logistic regression, ${r.propensity.iterations} iterations${r.propensity.converged ? '' : ' (did not converge)'}.${r.propensity.separation.length > 0 ? ` Separation: ${r.propensity.separation.join(', ')}.` : ''}`) +
      table('propensity-table', 'Coefficients (log-odds of treatment)', r.propensity.coefficients, [
        { head: 'term', cell: (c) => esc(c.name) },
        { head: 'coefficient', num: true, cell: (c) => esc(formatFixed(c.estimate, 4)) },
        { head: 's.e.', num: true, cell: (c) => esc(formatFixed(c.se, 4)) },
      ]),
  );
  const caveats = section('assumptions', 'Warnings and assumptions', warningsList(r.warnings) + `<ul class="plain">${COMPARE_ASSUMPTIONS.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`);
  const meta = `${formatInt(r.n_treated)} treated and ${formatInt(r.n_control)} control units${source.file ? ` from ${source.file}` : ''} — ${estimandWords(r.estimand)}${source.generatedAt ? ` · made ${source.generatedAt}` : ''}`;
  return page(`clout compare — did the treatment change ${outcome}?`, meta, [estimates, balance, overlap, sensitivity, model, caveats]);
}

/** Renders a panel comparison (event study, ATT, DiD, TWFE, pre-trend test) as one self-contained HTML page. */
export function renderPanelHtml(r: PanelResult, source: CompareSource = {}): string {
  const level = typeof r.options['level'] === 'number' ? (r.options['level'] as number) : 0.95;
  const pct = `${formatFixed(level * 100, 0)}%`;
  const outcome = source.outcome ? `'${source.outcome}'` : 'the outcome';
  const rows = [
    { label: `ATT (${panelMethodName(r.att.method)})`, ...r.att },
    ...(r.did ? [{ label: 'DiD (2×2)', ...r.did }] : []),
    { label: 'two-way fixed effects', ...r.twfe, muted: true },
  ];
  const estimates = section(
    'estimates',
    'Estimates',
    intervalChart(rows, `Effect on ${outcome} with ${pct} intervals`, { xLabel: `effect on ${outcome}` }) +
      note('Two-way fixed effects is shown for comparison: with staggered adoption and effects that change over time it weighs some comparisons negatively and can be biased.'),
  );
  const p = r.pre_trend;
  const events = section(
    'event-study',
    'Event study',
    eventStudyChart(r.event_study.map((e) => ({ period: e.relative_period, estimate: e.estimate, lower: e.lower, upper: e.upper })), `Effect by period relative to treatment, ${pct} intervals`) +
      `<p>${esc(`Pre-trend test (leads jointly zero): χ² = ${formatFixed(p.statistic, 2)} on ${p.df} df, p = ${formatFixed(p.p_value, 3)}.`)}</p>` +
      table('event-study-table', 'Effect by period relative to treatment', r.event_study, [
        { head: 'period', num: true, cell: (e) => esc(String(e.relative_period)) },
        { head: 'effect', num: true, cell: (e) => esc(formatEffect(e.estimate)) },
        { head: `${pct} interval`, num: true, cell: (e) => esc(eventInterval(e)) },
        { head: 'units', num: true, cell: (e) => esc(formatInt(e.n_units)) },
      ]),
  );
  const cohorts = section('cohorts', 'Adoption cohorts', table('cohorts-table', 'Units by first treated period', r.cohorts, [
    { head: 'first treated', cell: (c) => esc(c.treated_at) },
    { head: 'units', num: true, cell: (c) => esc(formatInt(c.units)) },
  ]));
  const caveats = section('assumptions', 'Warnings and assumptions', warningsList(r.warnings) +
    `<ul class="plain">${PANEL_ASSUMPTIONS.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`);
  const meta = `${formatInt(r.n_units)} units over ${formatInt(r.n_periods)} periods, ${formatInt(r.n_treated_units)} treated${source.file ? ` · ${source.file}` : ''}${source.generatedAt ? ` · made ${source.generatedAt}` : ''}`;
  return page(`clout compare — panel: did the treatment change ${outcome}?`, meta, [estimates, events, cohorts, caveats]);
}
