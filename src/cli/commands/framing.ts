/** `clout framing`: what framing does to clicks and conversions, within author (docs/methods.md, "Framing effects"). */
import { framingEffects, type FramingEffectsResult } from '../../analysis/content/framing-effects.js';
import { CloutError } from '../../domain/index.js';
import {
  FRAMING_CLICKS,
  FRAMING_EXPOSURES,
  defaultFramingRequest,
  loadFramingPosts,
  type FramingExposure,
  type FramingPostsRequest,
} from '../../report/framing-input.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath, type FramingScope, type Store } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, stringFlag, typesFlag } from '../options.js';

const SCOPES = ['outside_campaigns', 'in_campaigns', 'all'] as const;

/** What to estimate: which posts and counts (default outside campaigns, inside them when every type is a donation), and the level. */
export interface FramingRequest extends FramingPostsRequest {
  level?: number;
}

/** The `clout framing --json` document. */
export interface FramingDoc extends FramingEffectsResult {
  outcome: { types: string[]; scope: FramingScope; exposure: FramingExposure; clicks: string };
}

/** Loads the posts (report/framing-input.ts, shared with `clout report`) and estimates the effects; no link post is an error. */
export async function estimateFraming(store: Store, req: FramingRequest): Promise<FramingDoc> {
  const posts = await loadFramingPosts(store, req);
  if (posts.length === 0) throw new CloutError('input', `no posts with tracked links in the store (scope ${req.scope})`);
  const result = framingEffects(posts, req.level !== undefined ? { level: req.level } : {});
  return { outcome: { types: req.types, scope: req.scope, exposure: req.exposure, clicks: FRAMING_CLICKS }, ...result };
}

export const framingCommand: Command = {
  name: 'framing',
  summary: 'What framing does to clicks and conversions: effects relative to a pitch, within author, with intervals',
  usage:
    'clout framing [--db PATH] [--type sale|donation|...] [--scope outside_campaigns|in_campaigns|all] [--exposure reach|none] [--json]\n' +
    '  --type defaults to sale; --scope defaults to posts outside campaigns (inside them when every --type is donation)',
  options: {
    db: { type: 'string' },
    type: { type: 'string' },
    scope: { type: 'string' },
    exposure: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const defaults = defaultFramingRequest(typesFlag(values));
    const req: FramingRequest = {
      types: defaults.types,
      scope: choiceFlag(values, 'scope', SCOPES, defaults.scope),
      exposure: choiceFlag(values, 'exposure', FRAMING_EXPOSURES, defaults.exposure),
    };
    const doc = await withExistingStore(resolveDbPath(stringFlag(values, 'db'), io.env), (store) => estimateFraming(store, req));
    io.stdout(boolFlag(values, 'json') ? JSON.stringify(doc, null, 2) + '\n' : renderFraming(doc));
    return EXIT.OK;
  },
};

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
