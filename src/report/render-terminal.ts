/** Renders the influence report as aligned terminal tables. Reads the report; computes nothing new. */
import { isFullReport, type FullReport } from './full-report.js';
import type { AccountReport, CreditReport } from './credit-report.js';
import { renderCampaignImpacts } from './render-terminal-campaign-impact.js';
import { renderOutcomeInfluenceSections } from './render-terminal-influence.js';
import { formatFixed, formatInt, formatMoney, renderTable } from './table.js';
import { tiedByLine } from './ties.js';

/** Options of the terminal rendering. */
export interface TerminalOptions {
  /** Rows in the rankings and the account table. */
  top: number;
}

/** Renders the whole report for a terminal (with the outcome-influence sections when the report carries them). */
export function renderReportText(report: CreditReport | FullReport, options: TerminalOptions = { top: 10 }): string {
  const out: string[] = [];
  if (report.totals.authors === 0) {
    out.push('No posts in the store yet: import data with `clout import DIR`, or run `clout demo` to see a synthetic world.\n');
    for (const w of report.warnings) out.push(`warning: ${w}\n`);
    return out.join('');
  }
  const outcome = outcomeLabel(report);
  const perWhat = rankByLabel(report, outcome);
  out.push(`clout influence report — outcome: ${outcome}; credit: last touch (click id, else link, post, code, UTM tags)\n`);
  out.push(
    `${formatInt(report.totals.authors)} accounts (posting or owning a code), ${formatInt(report.totals.posts)} posts, ` +
      `${formatInt(report.totals.clicks)} human clicks, ${formatInt(report.totals.conversions)} conversions ` +
      `(${formatInt(report.totals.credited_conversions)} credited to an account)\n`,
  );
  if (report.totals.conversions > 0) out.push(`Conversions tied ${tiedByLine(report.totals.tied_by)}\n`);

  out.push(`\nWho has followers vs who brought ${outcome}\n`);
  out.push(sideBySide(report, options.top, perWhat));

  const ra = report.rank_agreement;
  out.push(
    `\nRank agreement: Spearman ρ(followers, ${perWhat}) = ${formatFixed(ra.spearman_followers_vs_outcomes, 2)} ` +
      `over ${ra.n} accounts; ρ(clicks, ${perWhat}) = ${formatFixed(ra.spearman_clicks_vs_outcomes, 2)}; ` +
      `${ra.top_k_overlap} of the top ${ra.top_k} by followers are in the top ${ra.top_k} by ${perWhat}.\n`,
  );

  out.push(`\nTop ${Math.min(options.top, report.accounts.length)} accounts by ${perWhat}\n`);
  out.push(
    renderTable(report.accounts.slice(0, options.top), [
      { header: '#', cell: (a) => String(a.rank_outcomes), align: 'right' },
      { header: 'account', cell: name },
      { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
      { header: 'by followers', cell: (a) => `#${a.rank_followers}`, align: 'right' },
      { header: 'posts', cell: (a) => formatInt(a.posts), align: 'right' },
      { header: 'clicks', cell: (a) => formatInt(a.clicks), align: 'right' },
      { header: 'conversions', cell: (a) => formatInt(a.conversions), align: 'right' },
      { header: 'value', cell: (a) => formatMoney(a.value, report.outcome.currency), align: 'right' },
      { header: 'per post', cell: (a) => formatFixed(a.conversions_per_post, 2), align: 'right' },
      { header: 'per 1k followers', cell: (a) => formatFixed(a.conversions_per_1k_followers, 3), align: 'right' },
    ]),
  );

  if (report.campaigns.length > 0) {
    out.push('\nCampaigns\n');
    out.push(
      renderTable(report.campaigns, [
        { header: 'campaign', cell: (c) => c.name ?? c.id },
        { header: 'goal', cell: (c) => (c.goal_value === null ? '–' : formatMoney(c.goal_value, c.currency)), align: 'right' },
        { header: 'raised', cell: (c) => formatMoney(c.raised, c.currency), align: 'right' },
        { header: 'of goal', cell: (c) => (c.progress === null ? '–' : `${formatFixed(100 * c.progress, 1)}%`), align: 'right' },
        { header: 'contributors', cell: (c) => formatInt(c.contributors), align: 'right' },
        {
          header: 'top contributing accounts (credited value)',
          cell: (c) => c.top_accounts.map((t) => `${t.handle ?? t.id} ${formatFixed(t.value, 0)}`).join(', ') || '–',
        },
      ]),
    );
    if (isFullReport(report)) out.push(renderCampaignImpacts(report.campaigns));
  }

  if (isFullReport(report)) out.push(renderOutcomeInfluenceSections(report, options.top));

  out.push(
    '\nNote: last-touch credit is evidence, not cause. Sales that arrive without a click are missed, and buyers who\n' +
      'would have bought anyway often click a link first, which over-credits big accounts.\n',
  );
  for (const w of report.warnings) out.push(`warning: ${w}\n`);
  return out.join('');
}

function sideBySide(report: CreditReport, top: number, perWhat: string): string {
  const byFollowers = report.accounts.slice().sort((a, b) => a.rank_followers - b.rank_followers).slice(0, top);
  const byOutcomes = report.accounts.slice(0, top);
  const rows = Array.from({ length: Math.max(byFollowers.length, byOutcomes.length) }, (_, i) => i);
  return renderTable(rows, [
    { header: '#', cell: (i) => String(i + 1), align: 'right' },
    { header: 'by followers', cell: (i) => (byFollowers[i] ? name(byFollowers[i]) : '') },
    { header: 'followers', cell: (i) => (byFollowers[i] ? formatInt(byFollowers[i].followers) : ''), align: 'right' },
    { header: `${perWhat}`, cell: (i) => (byFollowers[i] ? formatFixed(outcomeValue(report, byFollowers[i]), 2) : ''), align: 'right' },
    { header: '│', cell: () => '│' },
    { header: `by ${perWhat}`, cell: (i) => (byOutcomes[i] ? name(byOutcomes[i]) : '') },
    { header: perWhat, cell: (i) => (byOutcomes[i] ? formatFixed(outcomeValue(report, byOutcomes[i]), 2) : ''), align: 'right' },
    { header: 'followers', cell: (i) => (byOutcomes[i] ? formatInt(byOutcomes[i].followers) : ''), align: 'right' },
  ]);
}

function outcomeValue(report: CreditReport, a: AccountReport): number {
  const by = report.outcome.rank_by;
  return by === 'conversions' ? a.conversions : by === 'value' ? a.value : a.conversions_per_post;
}

function outcomeLabel(report: CreditReport): string {
  const t = report.outcome.types;
  if (t === 'all') return 'all conversions';
  return t.map((x) => (x.endsWith('s') ? x : `${x}s`)).join(' + ');
}

function rankByLabel(report: CreditReport, outcome: string): string {
  const by = report.outcome.rank_by;
  return by === 'conversions' ? outcome : by === 'value' ? `value of ${outcome}` : `${outcome} per post`;
}

function name(a: AccountReport): string {
  return a.handle ?? a.id;
}

