/** The outcome-influence sections of the terminal report: leaderboard with intervals, framing (with or without the model), tribes, the fallacy table. */
import { modelOutcomeWords, modelWarnings, outcomeWords, type FullAccountReport, type FullReport, type OutcomeInfluence } from './full-report.js';
import { renderFramingSection } from './render-terminal-framing.js';
import { formatFixed, formatInt, renderTable } from './table.js';

/** Renders the model's sections (or why there are none) as compact tables; reads the report, computes nothing new. */
export function renderOutcomeInfluenceSections(report: FullReport, top: number): string {
  const out: string[] = [];
  const m = report.model;
  const outcome = modelOutcomeWords(m);
  // what the counts are: the outcome types' words, or a series' outcomes
  const counted = m.series === null ? outcome : 'outcomes';
  out.push(`\nWhat posts caused (outcome model, ${outcome})\n`);
  if (m.status !== 'fitted') out.push(`No outcome influence: ${m.note}.\n`, renderFramingSection(report));
  else {
    const level = `${Math.round(m.level! * 100)}%`;
    out.push(
      `${formatInt(m.outcomes!)} ${counted}, ${formatInt(m.posts!)} posts by ${formatInt(m.accounts!)} accounts; ` +
        `${formatFixed(m.share_caused!.mean * 100, 1)}% of ${counted} caused by posts ` +
        `[${formatFixed(m.share_caused!.lower * 100, 1)}, ${formatFixed(m.share_caused!.upper * 100, 1)}] (${level} intervals)\n`,
    );
    for (const w of modelWarnings(m)) out.push(`model warning: ${w}\n`);
    out.push('\n');
    type Row = FullAccountReport & { outcome_influence: OutcomeInfluence; rank: number };
    const covered = report.accounts
      .filter((a): a is Row => a.outcome_influence !== null)
      .sort((x, y) => y.outcome_influence.mean - x.outcome_influence.mean || (x.id < y.id ? -1 : 1))
      .map((a, i) => ({ ...a, rank: i + 1 }));
    out.push(
      renderTable(covered.slice(0, top), [
        { header: '#', cell: (a) => String(a.rank), align: 'right' },
        { header: 'account', cell: (a) => a.handle ?? a.id },
        { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
        { header: 'by followers', cell: (a) => `#${a.rank_followers}`, align: 'right' },
        { header: 'caused per post', cell: (a) => formatFixed(a.outcome_influence.mean, 2), align: 'right' },
        { header: `${level} interval`, cell: (a) => interval(a.outcome_influence, 2), align: 'right' },
        { header: 'P(moves)', cell: (a) => formatFixed(a.outcome_influence.prob_positive, 2), align: 'right' },
        { header: 'on timing alone', cell: (a) => `${formatFixed(a.outcome_influence.timing_share * 100, 0)}%`, align: 'right' },
        { header: 'per 1k followers', cell: (a) => formatFixed(a.outcome_influence.per_1k_followers, 3), align: 'right' },
        { header: 'credited per post', cell: (a) => formatFixed(a.conversions_per_post, 2), align: 'right' },
      ]),
    );
    const biggest = covered.reduce<Row | undefined>((b, a) => (b === undefined || a.followers > b.followers ? a : b), undefined);
    if (biggest !== undefined) {
      const o = biggest.outcome_influence;
      out.push(
        `Most followed: ${biggest.handle ?? biggest.id} (${formatInt(biggest.followers)} followers) causes ${formatFixed(o.mean, 2)} per post ` +
          `[${interval(o, 2)}], P(moves) ${formatFixed(o.prob_positive, 2)}; #${biggest.rank} of ${covered.length} by outcome influence.\n`,
      );
    }
    out.push(renderFramingSection(report));
    out.push(`\nThe million follower fallacy (${outcome}): how the usual scores rank accounts against what their posts caused\n`);
    out.push(
      renderTable(report.fallacy.filter((p) => p.b === 'outcome_influence'), [
        { header: 'score', cell: (p) => p.a },
        { header: 'Spearman ρ with caused', cell: (p) => formatFixed(p.spearman, 2), align: 'right' },
        { header: 'top-10 overlap', cell: (p) => formatInt(p.top_overlap), align: 'right' },
      ]),
    );
  }
  if (report.tribes.length > 0) {
    const handles = new Map(report.accounts.filter((a) => a.handle).map((a) => [a.id, a.handle!]));
    out.push(`\nTribes (Leiden communities of the social graph; credited and caused ${outcomeWords(report.outcome.types)}) with posting members: ${formatInt(report.tribes.length)}\n`);
    out.push(
      renderTable(report.tribes.slice(0, top), [
        { header: 'tribe', cell: (t) => String(t.id), align: 'right' },
        { header: 'members', cell: (t) => formatInt(t.members), align: 'right' },
        { header: 'posting', cell: (t) => formatInt(t.posting_members), align: 'right' },
        { header: 'clicks', cell: (t) => formatInt(t.clicks), align: 'right' },
        { header: 'credited', cell: (t) => formatInt(t.conversions), align: 'right' },
        { header: 'per click', cell: (t) => formatFixed(t.conversion_rate, 3), align: 'right' },
        { header: 'caused', cell: (t) => formatFixed(t.caused, 1), align: 'right' },
        { header: 'core members', cell: (t) => t.core_members.slice(0, 3).map((id) => handles.get(id) ?? id).join(', ') + (t.members > 3 && t.core_members.length > 3 ? ' …' : '') },
      ]),
    );
  }
  return out.join('');
}

function interval(x: { lower: number; upper: number }, digits: number): string {
  return `${formatFixed(x.lower, digits)}–${formatFixed(x.upper, digits)}`;
}
