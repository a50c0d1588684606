/** `clout ab`: A/B analysis of a tracked link with variants — rates, lift, always-valid p-values (docs/experiments.md). */
import { z } from 'zod';
import { AB_OPTIONS, abRequest, analyseLink, type AbDoc } from '../../app/experiments.js';
import { CloutError } from '../../domain/index.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand } from '../command.js';

export const abCommand = defineCommand({
  name: 'ab',
  summary: 'A/B test of a link with variants: conversion rates, lift, always-valid sequential p-values',
  options: AB_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  notes: ['visitors = unique human clicks (visitor, UTC hour, variant); see docs/experiments.md'],
  example: 'clout ab --link 0c8ke3x --type sale --alpha 0.1',
  async run({ options, flags }, io) {
    if (options.link.trim() === '') throw new CloutError('usage', '--link KEY is required');
    const doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => analyseLink(store.conn, abRequest(options)));
    io.stdout(flags.json ? JSON.stringify(doc, null, 2) + '\n' : renderAb(doc));
    return EXIT.OK;
  },
});

/** Terminal rendering: one table of variants, one of comparisons with the control, then warnings. */
function renderAb(doc: AbDoc): string {
  const level = `${formatFixed((1 - doc.alpha) * 100, 0)}%`;
  const pct = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? '–' : `${formatFixed(x * 100, digits)}%`);
  const variants = renderTable(doc.variants, [
    { header: 'variant', cell: (v) => v.label + (v.control ? ' (control)' : '') },
    { header: 'visitors', cell: (v) => formatInt(v.visitors), align: 'right' },
    { header: 'conversions', cell: (v) => formatInt(v.conversions), align: 'right' },
    { header: 'rate', cell: (v) => pct(v.rate), align: 'right' },
    { header: `${level} interval`, cell: (v) => `${pct(v.lower)}–${pct(v.upper)}`, align: 'right' },
  ]);
  const comparisons = renderTable(doc.comparisons, [
    { header: 'variant', cell: (c) => `${c.variant} vs ${c.control}` },
    { header: 'difference', cell: (c) => pct(c.difference), align: 'right' },
    { header: `always-valid ${level}`, cell: (c) => `${pct(c.difference_lower)} to ${pct(c.difference_upper)}`, align: 'right' },
    { header: 'lift', cell: (c) => pct(c.lift, 1), align: 'right' },
    { header: `${level} (fixed n)`, cell: (c) => `${pct(c.lift_lower, 1)} to ${pct(c.lift_upper, 1)}`, align: 'right' },
    { header: 'p (always valid)', cell: (c) => formatFixed(c.p_value, 4), align: 'right' },
    { header: 'verdict', cell: (c) => (c.significant ? `differs (after ${formatInt(c.significant_after ?? 0)} visitors)` : 'no difference shown yet') },
  ]);
  const name = doc.link.key ?? doc.link.id;
  const types = doc.types.length > 0 ? doc.types.join('+') : 'all types';
  return (
    `A/B test of link ${name}: ${formatInt(doc.visitors)} visitors, conversions of ${types}; alpha ${doc.alpha}, tau ${doc.tau}\n\n` +
    variants + '\n' + comparisons +
    (doc.warnings.length > 0 ? '\n' + doc.warnings.map((w) => `warning: ${w}`).join('\n') + '\n' : '') +
    '\nThe p-value and the difference interval stay valid however often you look (mixture SPRT); the lift interval is for a fixed sample.\n'
  );
}
