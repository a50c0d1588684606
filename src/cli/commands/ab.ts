/** `clout ab`: A/B analysis of a tracked link with variants — rates, lift, always-valid p-values (docs/experiments.md). */
import { MSPRT_DEFAULTS } from '../../analysis/experiments/index.js';
import { analyseLink, type AbDoc, type AbRequest } from '../../app/experiments.js';
import { CloutError } from '../../domain/index.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { resolveDbPath } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import type { Command, ParsedValues } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, stringFlag, typesFlag } from '../options.js';

/** A number flag strictly inside (lo, hi), or undefined when absent. */
function numberFlag(values: ParsedValues, name: string, lo: number, hi: number): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !(v > lo && v < hi)) throw new CloutError('usage', `--${name} must be a number between ${lo} and ${hi} (exclusive), got '${text}'`);
  return v;
}

export const abCommand: Command = {
  name: 'ab',
  summary: 'A/B test of a link with variants: conversion rates, lift, always-valid sequential p-values',
  usage:
    'clout ab --link KEY [--db PATH] [--type sale|lead|...] [--control LABEL] [--alpha 0.05] [--tau 0.05] [--json]\n' +
    '  visitors = unique human clicks (visitor, UTC hour, variant); --type: conversion types that count (default all);\n' +
    `  --tau: sd of the mixing distribution of the rate difference (default ${MSPRT_DEFAULTS.tau}); see docs/experiments.md`,
  options: {
    link: { type: 'string' },
    db: { type: 'string' },
    type: { type: 'string' },
    control: { type: 'string' },
    alpha: { type: 'string' },
    tau: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const link = stringFlag(values, 'link');
    if (link === undefined || link.trim() === '') throw new CloutError('usage', '--link KEY is required');
    const control = stringFlag(values, 'control');
    const alpha = numberFlag(values, 'alpha', 0, 1);
    const tau = numberFlag(values, 'tau', 0, Infinity);
    const req: AbRequest = {
      link,
      types: typesFlag(values),
      ...(control !== undefined ? { control } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
      ...(tau !== undefined ? { tau } : {}),
    };
    const doc = await withExistingStore(resolveDbPath(stringFlag(values, 'db'), io.env), (store) => analyseLink(store.conn, req));
    io.stdout(boolFlag(values, 'json') ? JSON.stringify(doc, null, 2) + '\n' : renderAb(doc));
    return EXIT.OK;
  },
};

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
