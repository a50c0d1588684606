/**
 * The sections of the HTML report, each a `<section>` with a stable id, a heading, a sentence on what its numbers
 * mean, a chart canvas (drawn by the client script) and a table with the same numbers (readable without script).
 * Reads the report document; every text from the store goes through escapeHtml.
 */
import { framingSideBySide, type FramingSideBySide } from '../framing-effects-section.js';
import { modelOutcomeWords, modelWarnings, outcomeWords, type FullAccountReport, type FullReport, type OutcomeInfluence } from '../full-report.js';
import { formatFixed, formatInt, formatMoney } from '../table.js';
import { escapeHtml as esc } from './escape.js';
import { campaignImpactHtml } from './campaign-impact.js';
import { chart, note, section, table } from './markup.js';
import { tiedByLine } from '../ties.js';

/** "No outcome model" paragraph for the model's sections, or null when the model was fitted. */
function modelMissing(report: FullReport): string | null {
  return report.model.status === 'fitted' ? null : note(`No outcome influence here: ${report.model.note}.`);
}

/** Chart height for horizontal bars: room for the axis, its title and the legend, plus a band per row. */
const rowsHeight = (rows: number): number => 100 + 28 * Math.max(2, rows);
const interval = (x: { lower: number; upper: number }, d: number): string => `${formatFixed(x.lower, d)} – ${formatFixed(x.upper, d)}`;
const levelOf = (report: FullReport): string => `${Math.round((report.model.level ?? 0.9) * 100)}%`;
const outcomeWord = (types: readonly string[]): string => types.map((t) => (t.endsWith('s') ? t : `${t}s`)).join(' + ');

/** Accounts the model covered, most incremental outcomes per post first. */
export function coveredAccounts(report: FullReport): (FullAccountReport & { outcome_influence: OutcomeInfluence })[] {
  return report.accounts
    .filter((a): a is FullAccountReport & { outcome_influence: OutcomeInfluence } => a.outcome_influence !== null)
    .sort((x, y) => y.outcome_influence.mean - x.outcome_influence.mean || (x.id < y.id ? -1 : 1));
}

/** Totals, the model's global answers, rank agreement and warnings. */
export function summarySection(report: FullReport): string {
  const t = report.totals;
  const m = report.model;
  const credited = report.outcome.types === 'all' ? 'all conversions' : outcomeWord(report.outcome.types);
  const parts = [
    `<p>${formatInt(t.authors)} accounts (posting or owning a code), ${formatInt(t.posts)} posts, ${formatInt(t.clicks)} human clicks, ${formatInt(t.conversions)} conversions (${esc(credited)}), ${formatInt(t.credited_conversions)} of them credited to an account by last touch.</p>`,
  ];
  if (t.conversions > 0) parts.push(`<p>Conversions tied ${esc(tiedByLine(t.tied_by))}.</p>`);
  if (m.status === 'fitted') {
    parts.push(
      `<p>Outcome model (${esc(outcomeWord(m.types))}): ${formatInt(m.outcomes!)} outcomes, ${formatInt(m.posts!)} posts by ${formatInt(m.accounts!)} accounts; ` +
        `<strong>${formatFixed(m.share_caused!.mean * 100, 1)}%</strong> of the outcomes were caused by posts ` +
        `(${levelOf(report)} interval ${formatFixed(m.share_caused!.lower * 100, 1)}–${formatFixed(m.share_caused!.upper * 100, 1)}%). ` +
        `${formatInt(m.niter!)} iterations, seed ${m.seed}.</p>`,
    );
  } else parts.push(note(`Outcome model: ${m.note}.`));
  const ra = report.rank_agreement;
  parts.push(
    `<p>Last touch: Spearman ρ(followers, credited ${esc(report.outcome.rank_by.replace(/_/g, ' '))}) = ${formatFixed(ra.spearman_followers_vs_outcomes, 2)} over ${formatInt(ra.n)} accounts; ` +
      `${ra.top_k_overlap} of the top ${ra.top_k} by followers are in the top ${ra.top_k} by credited outcomes. Last-touch credit is evidence, not cause.</p>`,
  );
  const warnings = [...report.warnings, ...modelWarnings(m).map((w) => `model: ${w}`)];
  if (warnings.length > 0) parts.push(`<ul class="warnings">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return section('summary', 'Summary', parts.join('\n'));
}

/** Outcome influence per account with intervals, next to followers and last-touch credit. */
export function leaderboardSection(report: FullReport, top: number): string {
  const title = `Outcome influence leaderboard (${modelOutcomeWords(report.model)})`;
  const missing = modelMissing(report);
  if (missing) return section('leaderboard', title, missing);
  const rows = coveredAccounts(report).slice(0, top);
  const level = levelOf(report);
  const body = [
    `<p>Incremental outcomes each account's posts caused, per post (posterior mean and ${level} interval), beside its followers and what last-touch credit gives it. P(moves) is the probability that the account moves outcomes at all.</p>`,
    chart('leaderboard', `Outcome influence per post of the top ${rows.length} accounts, with ${level} intervals`, rowsHeight(rows.length)),
    table('leaderboard-table', `Top ${rows.length} accounts by outcome influence`, rows, [
      { head: '#', num: true, cell: (_a, i) => String(i + 1) },
      { head: 'account', cell: (a) => esc(a.handle ?? a.id) },
      { head: 'followers', num: true, cell: (a) => formatInt(a.followers) },
      { head: 'rank by followers', num: true, cell: (a) => `#${a.rank_followers}` },
      { head: 'posts', num: true, cell: (a) => formatInt(a.posts) },
      { head: 'caused per post', num: true, cell: (a) => formatFixed(a.outcome_influence.mean, 2) },
      { head: `${level} interval`, num: true, cell: (a) => interval(a.outcome_influence, 2) },
      { head: 'P(moves)', num: true, cell: (a) => formatFixed(a.outcome_influence.prob_positive, 2) },
      { head: 'per 1k followers', num: true, cell: (a) => formatFixed(a.outcome_influence.per_1k_followers, 3) },
      { head: 'credited per post', num: true, cell: (a) => formatFixed(a.conversions_per_post, 2) },
    ]),
  ];
  return section('leaderboard', title, body.join('\n'));
}

/** Followers (log axis) against outcome influence, every modelled account. */
export function scatterSection(report: FullReport): string {
  const title = `Followers vs outcome influence (${modelOutcomeWords(report.model)})`;
  const missing = modelMissing(report);
  if (missing) return section('scatter', title, missing);
  const all = coveredAccounts(report);
  const zero = all.filter((a) => a.followers <= 0).length;
  const biggest = all.reduce<(typeof all)[number] | undefined>((b, a) => (b === undefined || a.followers > b.followers ? a : b), undefined);
  const body = [
    `<p>Each point is an account: its followers (logarithmic axis) and the incremental outcomes per post its posts caused; the whisker is the ${levelOf(report)} interval. Reach and outcome influence are different things.${zero > 0 ? ` (${zero} accounts with no followers are not on the log axis.)` : ''}</p>`,
    chart('scatter', `Scatter of ${all.length - zero} accounts: followers against outcome influence`, 420),
    biggest === undefined
      ? ''
      : `<p>Most followed: <strong>${esc(biggest.handle ?? biggest.id)}</strong> (${formatInt(biggest.followers)} followers) causes ${formatFixed(biggest.outcome_influence.mean, 2)} per post (${interval(biggest.outcome_influence, 2)}), P(moves) ${formatFixed(biggest.outcome_influence.prob_positive, 2)}.</p>`,
  ];
  return section('scatter', title, body.join('\n'));
}

/** The posts that caused the most outcomes, with intervals. */
export function postsSection(report: FullReport, top: number): string {
  const title = `Per-post impact (${modelOutcomeWords(report.model)})`;
  const missing = modelMissing(report);
  if (missing) return section('posts', title, missing);
  const rows = report.posts.slice(0, top);
  const handles = new Map(report.accounts.map((a) => [a.id, a.handle ?? a.id]));
  const total = report.posts.reduce((s, p) => s + p.incremental.mean, 0);
  const body = [
    `<p>Incremental outcomes caused by each post (posterior mean and ${levelOf(report)} interval); the top ${rows.length} of ${formatInt(report.posts.length)} modelled posts, which together caused ${formatFixed(total, 1)} outcomes.</p>`,
    chart('posts', `Incremental outcomes of the top ${rows.length} posts, with intervals`, rowsHeight(rows.length)),
    table('posts-table', `Top ${rows.length} posts by incremental outcomes`, rows, [
      { head: '#', num: true, cell: (_p, i) => String(i + 1) },
      { head: 'post', cell: (p) => esc(p.id) },
      { head: 'author', cell: (p) => esc(handles.get(p.author_id) ?? p.author_id) },
      { head: 'framing', cell: (p) => esc(p.framing.replace(/_/g, ' ')) },
      { head: 'text', cell: (p) => `<span class="text">${esc(excerpt(p.text ?? '', 120))}</span>` },
      { head: 'caused', num: true, cell: (p) => formatFixed(p.incremental.mean, 2) },
      { head: `${levelOf(report)} interval`, num: true, cell: (p) => interval(p.incremental, 2) },
    ]),
  ];
  return section('posts', title, body.join('\n'));
}

/** Framing multipliers relative to a pitch on clicks, conversions and incremental outcomes, with intervals. */
export function framingSection(report: FullReport): string {
  const title = `Framing effects (${outcomeWords(report.outcome.types)})`;
  const rows = framingSideBySide(report);
  const level = levelOf(report);
  const fitted = report.model.status === 'fitted';
  const parts = [
    `<p>How the way a post asks multiplies what it gets, relative to a pitch ("Title — link"; fixed at 1) by the same author, so fame cannot pass for framing: ` +
      `human clicks that no conversion carries, conversions carried by the post's clicks (within-author conditional Poisson), and${fitted ? '' : ' (with the model)'} the incremental outcomes the outcome model says a post caused. ` +
      `Bars are ${level} intervals, the dark tick the estimate. Above 1: that framing does better than a pitch.</p>`,
    `<p>Framing of ${report.framing_labels.user + report.framing_labels.clout} link posts: ${report.framing_labels.user} labelled by the user, ${report.framing_labels.clout} by clout's classifier.</p>`,
  ];
  if (!fitted) parts.push(note(`No incremental-outcome multipliers here: ${report.model.note}.`));
  if (rows.length === 0) {
    parts.push(`<p>No framing effects on clicks or conversions: the store has too little to compare (the summary's warnings say why).</p>`);
    return section('framing', title, parts.join('\n'));
  }
  const cell = (e: { effect: number; lower: number; upper: number } | null, what: 'effect' | 'interval'): string =>
    e === null ? '–' : what === 'effect' ? formatFixed(e.effect, 2) : interval(e, 2);
  const posts = (r: FramingSideBySide): string => [r.clicks, r.conversions, r.outcomes].map((e) => (e === null ? '–' : formatInt(e.posts))).join(' / ');
  parts.push(
    chart('framing', `Framing multipliers relative to a pitch on clicks, conversions and incremental outcomes, with ${level} intervals`, 100 + 72 * Math.max(2, rows.length)),
    table('framing-table', 'Framing multipliers (× pitch, within author)', rows, [
      { head: 'framing', cell: (r) => esc(r.framing.replace(/_/g, ' ')) },
      { head: 'clicks × pitch', num: true, cell: (r) => cell(r.clicks, 'effect') },
      { head: `${level} interval`, num: true, cell: (r) => cell(r.clicks, 'interval') },
      { head: 'conversions × pitch', num: true, cell: (r) => cell(r.conversions, 'effect') },
      { head: `${level} interval`, num: true, cell: (r) => cell(r.conversions, 'interval') },
      { head: 'incremental × pitch', num: true, cell: (r) => cell(r.outcomes, 'effect') },
      { head: `${level} interval`, num: true, cell: (r) => cell(r.outcomes, 'interval') },
      { head: 'posts (clicks / conv. / model)', num: true, cell: posts },
    ]),
  );
  return section('framing', title, parts.join('\n'));
}

/** Tribes of the social graph and their conversion. */
export function tribesSection(report: FullReport, top: number): string {
  const title = `Tribes and their conversion (${outcomeWords(report.outcome.types)})`;
  if (report.tribes.length === 0) return section('tribes', title, note('No tribe has a posting member (or the store has no follows and interactions).'));
  const rows = report.tribes.slice(0, top);
  const cur = report.outcome.currency;
  const fitted = report.model.status === 'fitted';
  const body = [
    `<p>Leiden communities of the social graph (follows and interactions), as <code>clout network tribes</code> finds them, that have at least one posting member: the human clicks on members' links, the conversions credited to members by last touch, their rate per click, and${fitted ? '' : ' (with the model)'} the outcomes members' posts caused (sum of the posts' posterior means).</p>`,
    chart('tribes', `Credited and caused outcomes of the top ${rows.length} tribes`, 340),
    table('tribes-table', `${rows.length} of ${report.tribes.length} tribes with posting members`, rows, [
      { head: 'tribe', num: true, cell: (t) => String(t.id) },
      { head: 'members', num: true, cell: (t) => formatInt(t.members) },
      { head: 'posting', num: true, cell: (t) => formatInt(t.posting_members) },
      { head: 'posts', num: true, cell: (t) => formatInt(t.posts) },
      { head: 'clicks', num: true, cell: (t) => formatInt(t.clicks) },
      { head: 'credited', num: true, cell: (t) => formatInt(t.conversions) },
      { head: 'value', num: true, cell: (t) => esc(formatMoney(t.value, cur)) },
      { head: 'per click', num: true, cell: (t) => formatFixed(t.conversion_rate, 3) },
      { head: 'caused', num: true, cell: (t) => formatFixed(t.caused, 1) },
      { head: 'core members', cell: (t) => esc(t.core_members.join(', ')) },
    ]),
  ];
  return section('tribes', title, body.join('\n'));
}

/** Campaign progress against goal, each campaign's causal impact on its outcome series, and its top sharers by credited value. */
export function campaignsSection(report: FullReport): string {
  const title = 'Campaigns: progress against goal';
  if (report.campaigns.length === 0) return section('campaigns', title, note('No campaigns in the store.'));
  const parts = [
    `<p>Raised against the goal of each campaign (in its currency), and the accounts whose links brought the most of it (credited by last touch).</p>`,
    chart('campaign-progress', 'Raised against goal per campaign', rowsHeight(report.campaigns.length)),
    table('campaigns-table', 'Campaigns', report.campaigns, [
      { head: 'campaign', cell: (c) => esc(c.name ?? c.id) },
      { head: 'goal', num: true, cell: (c) => (c.goal_value === null ? '–' : esc(formatMoney(c.goal_value, c.currency))) },
      { head: 'raised', num: true, cell: (c) => esc(formatMoney(c.raised, c.currency)) },
      { head: 'of goal', num: true, cell: (c) => (c.progress === null ? '–' : `${formatFixed(100 * c.progress, 1)}%`) },
      { head: 'contributors', num: true, cell: (c) => formatInt(c.contributors) },
    ]),
    campaignImpactHtml(report.campaigns),
  ];
  report.campaigns.forEach((c, i) => {
    parts.push(`<h3>Top sharers: ${esc(c.name ?? c.id)}</h3>`);
    if (c.top_accounts.length === 0) {
      parts.push(note('No conversion of this campaign is credited to an account.'));
      return;
    }
    parts.push(chart(`campaign-sharers-${i}`, `Top sharers of ${c.name ?? c.id} by credited value`, rowsHeight(c.top_accounts.length)));
    parts.push(
      table(`campaign-sharers-table-${i}`, `Top sharers of ${c.name ?? c.id}`, c.top_accounts, [
        { head: 'account', cell: (t) => esc(t.handle ?? t.id) },
        { head: 'conversions', num: true, cell: (t) => formatInt(t.conversions) },
        { head: 'credited value', num: true, cell: (t) => esc(formatMoney(t.value, c.currency)) },
      ]),
    );
  });
  return section('campaigns', title, parts.join('\n'));
}

/** The million-follower-fallacy table: how the usual scores agree with each other and with what posts caused. */
export function fallacySection(report: FullReport): string {
  const title = `The million follower fallacy (${outcomeWords(report.outcome.types)})`;
  const missing = modelMissing(report);
  if (missing) return section('fallacy', title, missing);
  const body = [
    `<p>Spearman's ρ and the overlap of the top 10 for every pair of scores over the modelled accounts: followers (reach), engagement received per post, PageRank, a Klout-like composite of the three, last-touch credited outcomes per post, and outcome influence (what posts caused).</p>`,
    chart('fallacy', 'Spearman correlation of each score with outcome influence', 300),
    table('fallacy-table', 'Agreement between scores', report.fallacy, [
      { head: 'score', cell: (p) => esc(p.a) },
      { head: 'vs', cell: (p) => esc(p.b) },
      { head: 'Spearman ρ', num: true, cell: (p) => formatFixed(p.spearman, 2) },
      { head: 'top-10 overlap', num: true, cell: (p) => formatInt(p.top_overlap) },
    ]),
  ];
  return section('fallacy', title, body.join('\n'));
}

function excerpt(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
