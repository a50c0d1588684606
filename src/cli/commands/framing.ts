/** `clout framing`: what framing does to clicks and conversions, within author (docs/methods.md, "Framing effects"). */
import { FRAMING_OPTIONS, framing, type FramingDoc } from '../../app/framing.js';
import { FRAMING_CLASSIFY_OPTIONS, classifyFramingFile, classifyStoreFramings, type FramingClassifyDoc } from '../../app/framing-classify.js';
import { CloutError, FRAMINGS } from '../../domain/index.js';
import { z } from 'zod';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, topFlag } from '../command.js';

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
    `multiplier relative to ${doc.reference} by the same author)\n` +
    `framing: ${formatInt(doc.labels.user)} posts labelled by the user, ${formatInt(doc.labels.clout)} by clout\n\nClicks (${doc.outcome.clicks})\n` + effects('clicks') +
    `\nConversions carried by the post's clicks\n` + effects('conversions') +
    `\nConversions per click\n` + rates +
    `\nFits (authors with two framings or more inform them; intervals cluster-robust by author)\n${fits}\n` +
    (doc.warnings.length > 0 ? '\n' + doc.warnings.map((w) => `warning: ${w}`).join('\n') + '\n' : '')
  );
}

/** `clout framing classify FILE --text-column COL` (or the store's link posts): each post's framing and the rule that decided it. */
export const framingClassifyCommand = defineCommand({
  name: 'framing classify',
  summary: "Each post's framing (pitch, endorsement, bare link, other) and the rule that decided it, from a file's text column or the store",
  options: FRAMING_CLASSIFY_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG, ...topFlag(20) }).strict(),
  positionals: { usage: '[FILE]', description: 'a CSV or NDJSON file (optionally .gz); without it, the link posts of the store (--db)' },
  notes: [
    'Rows without text are counted as no_text, never dropped. In the store, a framing the user gave a post (format v1.1) wins.',
    'The taxonomy and the rules: docs/methods.md ("Framing: who vouches and who benefits")',
  ],
  example: 'clout framing classify tweets.csv --text-column text --id-column tweet_id --json',
  async run({ options, flags, positionals, given }, io) {
    if (positionals.length > 1) throw new CloutError('usage', `one FILE at a time; got ${positionals.length}`);
    const file = positionals[0];
    let doc: FramingClassifyDoc;
    if (file !== undefined) {
      if (given.has('db')) throw new CloutError('usage', 'give a FILE or --db, not both (--db classifies the store\'s posts)');
      doc = await classifyFramingFile(file, options);
    } else {
      for (const flag of ['text_column', 'id_column'] as const) {
        if (given.has(flag)) throw new CloutError('usage', `--${flag.replace('_', '-')} names a column of a FILE; give the FILE (without one, the store's posts are classified)`);
      }
      doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => classifyStoreFramings(store.conn), 'give a FILE');
    }
    io.stdout(flags.json ? JSON.stringify(doc, null, 2) + '\n' : renderClassify(doc, flags.top));
    return EXIT.OK;
  },
});

/** Terminal rendering: the counts per framing, then the first `top` posts with their framing and reason. */
function renderClassify(doc: FramingClassifyDoc, top: number): string {
  const source = 'file' in doc.source ? `${doc.source.file} (column ${doc.source.text_column})` : 'the store\'s link posts';
  const counts = renderTable([...FRAMINGS, 'no_text' as const].map((f) => ({ framing: f, posts: doc.counts[f] })), [
    { header: 'framing', cell: (r) => r.framing },
    { header: 'posts', cell: (r) => formatInt(r.posts), align: 'right' },
  ]);
  const items = renderTable(doc.items.slice(0, top), [
    { header: 'id', cell: (i) => i.id },
    { header: 'framing', cell: (i) => i.framing },
    { header: 'why', cell: (i) => i.reason },
  ]);
  const labels = doc.labels === undefined ? '' : `${formatInt(doc.labels.user)} labelled by the user, ${formatInt(doc.labels.clout)} by clout\n`;
  const more = doc.items.length > top ? `… ${formatInt(doc.items.length - top)} more (--top, or --json for all)\n` : '';
  const unreadable = doc.unreadable > 0 ? `${formatInt(doc.unreadable)} rows could not be read and were not classified\n` : '';
  return `Framing of ${formatInt(doc.rows)} rows of ${source}\n${labels}\n${counts}\n${items}${more}${unreadable}`;
}
