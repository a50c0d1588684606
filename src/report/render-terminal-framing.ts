/** The framing section of the terminal report: effects on clicks, conversions and incremental outcomes side by side. */
import { framingSideBySide, type FramingSideBySide } from './framing-effects-section.js';
import { outcomeWords, type FullReport } from './full-report.js';
import { formatFixed, formatInt, renderTable } from './table.js';

/** Renders one table, a row per framing, each effect a multiplier relative to a pitch with its interval; reads the report only. */
export function renderFramingSection(report: FullReport): string {
  const level = `${Math.round((report.model.level ?? 0.9) * 100)}%`;
  const rows = framingSideBySide(report);
  const labels = report.framing_labels;
  const out = [
    `\nFraming of ${outcomeWords(report.outcome.types)} (multiplier relative to a pitch by the same author, [${level} interval])\n`,
    `framing of ${formatInt(labels.user + labels.clout)} link posts: ${formatInt(labels.user)} labelled by the user, ${formatInt(labels.clout)} by clout\n`,
  ];
  if (rows.length === 0) return out.concat('No framing effects: nothing to compare (see the warnings below).\n').join('');
  const cell = (e: { framing: string; effect: number; lower: number; upper: number } | null): string =>
    e === null ? '–' : e.framing === 'pitch' ? formatFixed(e.effect, 2) : `${formatFixed(e.effect, 2)} [${formatFixed(e.lower, 2)}–${formatFixed(e.upper, 2)}]`;
  const posts = (r: FramingSideBySide): string => [r.clicks, r.conversions, r.outcomes].map((e) => (e === null ? '–' : formatInt(e.posts))).join(' / ');
  out.push(
    renderTable(rows, [
      { header: 'framing', cell: (r) => r.framing },
      { header: 'clicks', cell: (r) => cell(r.clicks) },
      { header: 'conversions', cell: (r) => cell(r.conversions) },
      { header: 'incremental outcomes', cell: (r) => cell(r.outcomes && { framing: r.framing, ...r.outcomes }) },
      { header: 'posts (clicks / conversions / model)', cell: posts },
    ]),
  );
  out.push(
    "clicks: human clicks that no conversion carries; conversions: those the post's clicks carry (both within author).\n" +
      `incremental outcomes: what a post caused, from the outcome model${report.model.status === 'fitted' ? '' : ' — not estimated (see above)'}.\n`,
  );
  return out.join('');
}
