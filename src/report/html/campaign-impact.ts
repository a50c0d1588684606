/**
 * The campaigns' causal impact in the HTML report's campaign section: one table of every campaign's effect with its
 * interval, p and backtest, then per campaign its numbers in words and the calibration sentence. Reads the report
 * document; every text from the store goes through escapeHtml.
 */
import { campaignImpactText } from '../campaign-impact-text.js';
import type { FullCampaignReport } from '../full-report.js';
import { formatFixed } from '../table.js';
import { escapeHtml as esc } from './escape.js';
import { note, table } from './markup.js';

const num = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : formatFixed(x, Math.abs(x) >= 100 ? 0 : 2));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${formatFixed(x * 100, 1)}%`);

/** The impact part of the campaign section (empty without campaigns). */
export function campaignImpactHtml(campaigns: readonly FullCampaignReport[]): string {
  if (campaigns.length === 0) return '';
  const parts = [
    `<h3 id="campaign-impact">Causal impact of each campaign</h3>`,
    `<p>What each campaign caused in its outcome series (its metric series, else its conversions per time bucket): the series after the campaign started against the counterfactual a Bayesian structural time-series model forecasts from the series before it and the other series (docs/impact.md). The backtest forecasts the pre-period, where nothing happened, to show whether the interval can be trusted.</p>`,
    table('campaign-impact-table', 'Causal impact per campaign (cumulative over the post period)', campaigns, [
      { head: 'campaign', cell: (c) => esc(c.name ?? c.id) },
      { head: 'outcome', cell: (c) => esc(c.impact.outcome ?? '–') },
      { head: 'observed', num: true, cell: (c) => num(c.impact.cumulative?.actual) },
      { head: 'expected', num: true, cell: (c) => num(c.impact.cumulative?.predicted) },
      { head: 'effect', num: true, cell: (c) => num(c.impact.cumulative?.effect) },
      { head: 'interval', num: true, cell: (c) => (c.impact.cumulative ? `${num(c.impact.cumulative.effect_lower)} – ${num(c.impact.cumulative.effect_upper)}` : '–') },
      { head: 'relative', num: true, cell: (c) => pct(c.impact.relative?.effect) },
      { head: 'p', num: true, cell: (c) => (c.impact.p === null ? '–' : formatFixed(c.impact.p, 3)) },
      { head: 'backtest coverage', num: true, cell: (c) => (c.impact.calibration?.coverage == null ? '–' : `${pct(c.impact.calibration.coverage)} (claims ${pct(c.impact.calibration.nominal)})`) },
      { head: 'drift', cell: (c) => esc(c.impact.calibration?.chosen_by ?? '–') },
    ]),
  ];
  campaigns.forEach((c, i) => {
    const t = campaignImpactText(c.name ?? c.id, c.impact);
    const body = [`<h4>${esc(t.heading)}</h4>`];
    if (t.expected === null) body.push(note(t.effect));
    else body.push(`<p>${esc(t.expected)} <strong>${esc(t.effect)}</strong></p>`);
    if (t.calibration !== null) body.push(`<p class="calibration">${esc(t.calibration)}</p>`);
    if (c.impact.warnings.length > 0) body.push(`<ul class="warnings">${c.impact.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
    parts.push(`<div class="campaign-impact" id="campaign-impact-${i}">\n${body.join('\n')}\n</div>`);
  });
  return parts.join('\n');
}
