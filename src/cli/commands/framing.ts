/** `clout framing`: what framing does to clicks and conversions, within author (docs/methods.md, "Framing effects"). */
import { FRAMING_OPTIONS, framing, type FramingDoc } from '../../app/framing.js';
import { z } from 'zod';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand } from '../command.js';

export const framingCommand = defineCommand({
  name: 'framing',
  summary: 'What framing does to clicks and conversions: effects relative to a pitch, within author, with intervals',
  options: FRAMING_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  notes: ['The method: docs/methods.md ("Framing effects")'],
  example: 'clout framing --type donation --scope all',
  async run({ options, flags }, io) {
    const doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => framing(store.conn, options));
    io.stdout(flags.json ? JSON.stringify(doc, null, 2) + '\n' : renderFraming(doc));
    return EXIT.OK;
  },
});

/** Terminal rendering: effects on clicks and on conversions, conversions per click, the fits, warnings. */
function renderFraming(doc: FramingDoc): string {
  const level = `${formatFixed(doc.level * 100, 0)}%`;
  const effects = (outcome: 'clicks' | 'conversions') =>
    renderTable(doc.effects.filter((e) => e.outcome === outcome), [
      { header: 'framing', cell: (e) => e.framing },
      { header: 'posts', cell: (e) => formatInt(e.posts), align: 'right' },
      { header: 'authors', cell: (e) => formatInt(e.authors), align: 'right' },
      { header: `× ${doc.reference}`, cell: (e) => formatFixed(e.effect, 2), align: 'right' },
      { header: `${level} interval`, cell: (e) => `${formatFixed(e.lower, 2)}–${formatFixed(e.upper, 2)}`, align: 'right' },
      { header: 'naive (no author effects)', cell: (e) => formatFixed(e.pooled, 2), align: 'right' },
    ]);
  const rates = renderTable(doc.conversion_rates, [
    { header: 'framing', cell: (r) => r.framing },
    { header: 'posts', cell: (r) => formatInt(r.posts), align: 'right' },
    { header: 'clicks', cell: (r) => formatInt(r.clicks), align: 'right' },
    { header: 'conversions', cell: (r) => formatInt(r.conversions), align: 'right' },
    { header: 'per click', cell: (r) => (r.rate === null ? '–' : `${formatFixed(r.rate * 100, 2)}%`), align: 'right' },
    { header: `× ${doc.reference}`, cell: (r) => formatFixed(r.effect, 2), align: 'right' },
    { header: `${level} interval`, cell: (r) => (r.lower === null ? '–' : `${formatFixed(r.lower, 2)}–${formatFixed(r.upper, 2)}`), align: 'right' },
  ]);
  const fits = doc.fits
    .map((f) => {
      const w = f.shared_weight;
      const weight = w === null ? '' : `; a reposter's follower counts ${formatFixed(w.estimate, 3)} [${formatFixed(w.lower, 3)}, ${formatFixed(w.upper, 3)}] of one's own`;
      return `  ${f.outcome}: ${formatInt(f.authors_used)} authors, ${formatInt(f.posts_used)} posts; ${f.converged ? `converged in ${f.iterations} iterations` : 'did NOT converge'}${weight}`;
    })
    .join('\n');
  return (
    `Framing effects (${doc.outcome.types.join('+')}; ${formatInt(doc.posts)} posts by ${formatInt(doc.authors)} authors, ${doc.outcome.scope.replaceAll('_', ' ')}; ` +
    `multiplier relative to ${doc.reference} by the same author)\n\nClicks (${doc.outcome.clicks})\n` + effects('clicks') +
    `\nConversions carried by the post's clicks\n` + effects('conversions') +
    `\nConversions per click\n` + rates +
    `\nFits (authors with two framings or more inform them; intervals cluster-robust by author)\n${fits}\n` +
    (doc.warnings.length > 0 ? '\n' + doc.warnings.map((w) => `warning: ${w}`).join('\n') + '\n' : '')
  );
}
