/**
 * `clout compare`: did the units that got a shout-out (a repost, a sponsorship, a tweet of their page) end up with more
 * of the outcome than similar units that got none? Three doors, one use case (app/compare*.ts): a CSV of units
 * (matching, IPW, AIPW), a panel CSV (`--panel`: difference in differences, event study), and the store
 * (`--shoutout-by ACCOUNT`). Parse → one app call → render (terminal, --json, --html).
 */
import { z } from 'zod';
import { basename } from 'node:path';
import { COMPARE_OPTIONS, compareCsv, estimatorOptions, panelOptions } from '../../app/compare.js';
import { comparePanelCsv } from '../../app/compare-panel.js';
import { compareShoutouts, type ShoutoutRequest, type ShoutoutSummary } from '../../app/compare-store.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { CloutError } from '../../domain/index.js';
import { renderCompareHtml, renderPanelHtml } from '../../report/html/compare.js';
import { renderCompareText, renderPanelText } from '../../report/render-terminal-compare.js';
import { formatInt } from '../../report/table.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand } from '../command.js';
import { checkWritable, writeFileAtomically } from '../files.js';

const COMPARE_FLAGS = z
  .object({
    ...DB_FLAG,
    ...JSON_FLAG,
    html: z.string().optional().describe('write one self-contained HTML page (estimates, love plot, overlap) to this file'),
  })
  .strict();

/** Options that belong to one door only, named for the usage errors. */
const CSV_ONLY = ['treatment', 'covariates', 'categorical', 'log', 'id'] as const;
const PANEL_ONLY = ['unit', 'time', 'treated_at', 'comparison', 'leads', 'lags'] as const;
const ESTIMATORS = ['method', 'estimand', 'caliper', 'ratio', 'replace', 'bias_adjust', 'bootstrap', 'seed', 'outcome_model', 'folds', 'trim'] as const;
const STORE_ONLY = ['shoutout_by', 'window', 'type'] as const;
const flagName = (field: string) => `--${field.replaceAll('_', '-')}`;
const stamp = () => new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const written = (html: string | undefined) => (html !== undefined ? `\nHTML page written to ${html}\n` : '');

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'Did the shout-out work, compared with similar units that got none? (matching, weighting, doubly robust; panels)',
  options: COMPARE_OPTIONS,
  flags: COMPARE_FLAGS,
  positionals: { usage: '[DATA.csv]', description: 'a CSV of units (one row each), or with --panel one row per unit and period' },
  notes: [
    'clout compare DATA.csv --treatment COL --outcome COL --covariates A,B,… [--categorical C] [--log A] [--method matching|ipw|aipw|all]',
    'clout compare --panel DATA.csv --unit COL --time COL --outcome COL --treated-at COL',
    'clout compare --db PATH --shoutout-by ACCOUNT [--window 7d] [--outcome conversions|followers]',
    'methods, assumptions and diagnostics: docs/compare.md',
  ],
  example: 'clout compare creators.csv --treatment shouted_out --outcome sponsors --covariates followers,repos,country --categorical country --log followers,repos',
  async run({ options, flags, positionals, given }, io) {
    if (flags.html !== undefined) checkWritable(flags.html);
    if (positionals.length > 1) throw new CloutError('usage', `one data file at a time; got ${positionals.length}`);
    const file = positionals[0];
    const refuse = (fields: readonly string[], why: string) => {
      for (const f of fields) if (given.has(f)) throw new CloutError('usage', `${flagName(f)} ${why}`);
    };
    if (options.shoutout_by !== undefined) {
      if (file !== undefined) throw new CloutError('usage', '--shoutout-by reads the store; give no data file (or drop --shoutout-by to compare a CSV file)');
      refuse([...CSV_ONLY, ...PANEL_ONLY, 'panel'], 'applies to a CSV file, not to --shoutout-by');
      const request: ShoutoutRequest = {
        shoutout_by: options.shoutout_by,
        seed: options.seed,
        window: options.window,
        ...(options.outcome !== undefined ? { outcome: options.outcome as ShoutoutRequest['outcome'] } : {}),
        ...(options.type !== undefined ? { type: options.type } : {}),
      };
      const doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => compareShoutouts(store.conn, request, estimatorOptions(options)));
      const s = doc.shoutout;
      const outcome = s.outcome === 'followers' ? `follows gained in ${s.window}` : `${s.type ?? 'conversion'}s credited in ${s.window}`;
      const source = { file: `the store: shout-outs by ${s.account.handle ?? s.account.id}`, outcome };
      if (flags.html !== undefined) writeFileAtomically(flags.html, renderCompareHtml(doc, { ...source, generatedAt: stamp() }));
      if (flags.json) io.stdout(JSON.stringify(doc, null, 2) + '\n');
      else io.stdout(renderShoutoutText(doc) + renderCompareText(doc, source) + written(flags.html));
      return EXIT.OK;
    }
    if (file === undefined) throw new CloutError('usage', 'give a CSV file of units (clout compare DATA.csv …), a panel (--panel DATA.csv …), or --shoutout-by ACCOUNT to compare accounts in the store');
    if (given.has('db')) throw new CloutError('usage', '--db applies to --shoutout-by; a CSV file is read on its own');
    refuse(STORE_ONLY, 'applies to --shoutout-by (the store), not to a CSV file');
    if (options.panel) {
      refuse(CSV_ONLY, 'applies to a CSV of units, not to --panel');
      refuse(ESTIMATORS, 'applies to matched comparisons, not to --panel (panels use difference in differences)');
      const missing = (['unit', 'time', 'outcome', 'treated_at'] as const).filter((f) => options[f] === undefined);
      if (missing.length > 0) throw new CloutError('usage', `--panel needs ${missing.map(flagName).join(', ')}: the columns of the unit, the period, the outcome and the unit's first treated period`);
      const result = comparePanelCsv(file, { unit: options.unit!, time: options.time!, outcome: options.outcome!, treatedAt: options.treated_at! }, panelOptions(options));
      const source = { file: basename(file), outcome: options.outcome! };
      if (flags.html !== undefined) writeFileAtomically(flags.html, renderPanelHtml(result, { ...source, generatedAt: stamp() }));
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
      else io.stdout(renderPanelText(result, source) + written(flags.html));
      return EXIT.OK;
    }
    refuse(PANEL_ONLY, 'applies to --panel');
    if (options.treatment === undefined) throw new CloutError('usage', '--treatment COL is required: the column that says which units were treated (1/0)');
    if (options.outcome === undefined) throw new CloutError('usage', '--outcome COL is required: the column with what happened after');
    const doc = compareCsv(file, { treatment: options.treatment, outcome: options.outcome, covariates: options.covariates, categorical: options.categorical, log: options.log, id: options.id }, estimatorOptions(options));
    const source = { file: doc.input.file, outcome: doc.input.outcome };
    if (flags.html !== undefined) writeFileAtomically(flags.html, renderCompareHtml(doc, { ...source, generatedAt: stamp() }));
    if (flags.json) io.stdout(JSON.stringify(doc, null, 2) + '\n');
    else io.stdout(renderCompareText(doc, source) + written(flags.html));
    return EXIT.OK;
  },
});

/** What a shout-out comparison from the store compared: who shouted, which units counted, who was left out and why. */
function renderShoutoutText(doc: { shoutout: ShoutoutSummary }): string {
  const s = doc.shoutout;
  const c = s.counts;
  const who = s.account.handle ? `@${s.account.handle.replace(/^@/, '')} (${s.account.id})` : s.account.id;
  let text = `Shout-outs by ${who}: ${formatInt(c.shouted_out)} accounts reposted, quoted or mentioned; ${formatInt(c.treated)} compared with ${formatInt(c.controls)} accounts never shouted out.\n`;
  text += `Outcome: ${s.outcome === 'followers' ? 'follows gained' : `${s.type ?? 'all'} conversions credited to the account`} in the ${s.window} after the date; covariates before it: ${s.covariates.join(', ')}.\n`;
  text += `Controls' dates: ${s.pseudo_dates}.\n`;
  for (const n of s.notes) text += `note: ${n}\n`;
  return text + '\n';
}
