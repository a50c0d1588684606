/** `clout influence`: who moves outcomes — per-account outcome influence with intervals, framing, the fallacy table. */
import { INFLUENCE_OPTIONS, loadInfluence, runInfluence } from '../../app/influence.js';
import { z } from 'zod';
import type { OutcomeInfluenceDoc } from '../../report/outcome-influence.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, topFlag } from '../command.js';

export const influenceCommand = defineCommand({
  name: 'influence',
  summary: 'Who moves outcomes: incremental outcomes per post with intervals, framing effects, and the fallacy table',
  options: INFLUENCE_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...topFlag(15), ...JSON_FLAG }).strict(),
  notes: ['The model, its assumptions and its checks: docs/methods.md ("Outcome influence"); the same numbers are in clout report'],
  example: 'clout influence --type donation --niter 3000 --top 10',
  async run({ options, flags }, io) {
    const sources = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => loadInfluence(store.conn, options));
    const doc = runInfluence(sources, options);
    if (flags.json) io.stdout(JSON.stringify(doc, null, 2) + '\n');
    else io.stdout(renderOutcomeInfluence(doc, flags.top));
    return EXIT.OK;
  },
});

/** Terminal rendering: leaderboard with intervals next to followers, framing effects, the fallacy table. */
function renderOutcomeInfluence(doc: OutcomeInfluenceDoc, top: number): string {
  const level = `${Math.round(doc.model.level * 100)}%`;
  const byFollowers = [...doc.accounts].sort((a, b) => b.followers - a.followers);
  const followerRank = new Map(byFollowers.map((a, i) => [a.id, i + 1]));
  type Row = OutcomeInfluenceDoc['accounts'][number] & { rank: number };
  const board = renderTable<Row>(doc.accounts.slice(0, top).map((a, i) => ({ ...a, rank: i + 1 })), [
    { header: '#', cell: (a) => String(a.rank), align: 'right' },
    { header: 'account', cell: (a) => a.handle ?? a.id },
    { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
    { header: 'by followers', cell: (a) => `#${followerRank.get(a.id)}`, align: 'right' },
    { header: 'posts', cell: (a) => String(a.posts), align: 'right' },
    { header: 'caused per post', cell: (a) => formatFixed(a.outcome_influence.mean, 2), align: 'right' },
    { header: `${level} interval`, cell: (a) => `${formatFixed(a.outcome_influence.lower, 2)}–${formatFixed(a.outcome_influence.upper, 2)}`, align: 'right' },
    { header: 'P(moves)', cell: (a) => formatFixed(a.outcome_influence.prob_positive, 2), align: 'right' },
    { header: 'on timing alone', cell: (a) => `${formatFixed(a.outcome_influence.timing_share * 100, 0)}%`, align: 'right' },
    { header: 'per 1k followers', cell: (a) => formatFixed(a.outcome_influence.per_1k_followers, 3), align: 'right' },
    { header: 'attributed per post', cell: (a) => formatFixed(a.attributed_per_post, 2), align: 'right' },
  ]);
  const biggest = byFollowers[0];
  const biggestLine = biggest
    ? `Most followed: ${biggest.handle ?? biggest.id} (${formatInt(biggest.followers)} followers) causes ${formatFixed(biggest.outcome_influence.mean, 2)} per post ` +
      `[${formatFixed(biggest.outcome_influence.lower, 2)}, ${formatFixed(biggest.outcome_influence.upper, 2)}], P(moves) ${formatFixed(biggest.outcome_influence.prob_positive, 2)}.\n`
    : '';
  const framing = renderTable(doc.framing, [
    { header: 'framing', cell: (f) => f.framing },
    { header: 'posts', cell: (f) => String(f.posts), align: 'right' },
    { header: '× pitch', cell: (f) => formatFixed(f.effect, 2), align: 'right' },
    { header: `${level} interval`, cell: (f) => `${formatFixed(f.lower, 2)}–${formatFixed(f.upper, 2)}`, align: 'right' },
  ]);
  const fallacy = renderTable(doc.fallacy, [
    { header: 'score', cell: (p) => p.a },
    { header: 'vs', cell: (p) => p.b },
    { header: 'Spearman ρ', cell: (p) => formatFixed(p.spearman, 2), align: 'right' },
    { header: 'top-10 overlap', cell: (p) => String(p.top_overlap), align: 'right' },
  ]);
  const m = doc.model;
  return (
    `Outcome influence (${doc.outcome.series === null ? doc.outcome.types.join('+') : `series ${doc.outcome.series}`}): ${formatInt(doc.outcome.outcomes)} outcomes, ${formatInt(doc.outcome.posts)} posts by ` +
    `${formatInt(doc.outcome.accounts)} accounts; ${formatFixed(m.share_caused.mean * 100, 1)}% of outcomes caused by posts ` +
    `[${formatFixed(m.share_caused.lower * 100, 1)}, ${formatFixed(m.share_caused.upper * 100, 1)}]\n` +
    (m.ties.length > 1 ? `Ties as evidence: ${m.ties.map((t) => `${t.kind} ${formatInt(t.tied)} (P(${t.kind} | caused) ${formatFixed(t.given_caused.mean, 2)}, | baseline ${formatFixed(t.given_baseline.mean, 3)})`).join('; ')}\n` : '') +
    '\n' +
    board + '\n' + biggestLine + '\nFraming (multiplier of a post\'s effect relative to a pitch)\n' + framing +
    '\nThe million follower fallacy: how the usual scores agree with what posts caused\n' + fallacy +
    '\nThe model, its assumptions and its checks: docs/methods.md ("Outcome influence"); clout report --html draws it.\n'
  );
}
