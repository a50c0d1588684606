/**
 * `clout impact`: did this post, campaign or intervention change the outcome? Either from a CSV file
 * (`clout impact DATA.csv --target COL --pre A..B --post C..D`) or from the store around a post or campaign
 * (`clout impact --post ID`). Parse → one app call (app/impact.ts, app/impact-post.ts) → render.
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { renderImpactSvg, renderSummaryTable } from '../../report/render-impact.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { formatInt } from '../../report/table.js';
import {
  IMPACT_MODEL_OPTIONS,
  IMPACT_STORE_OPTIONS,
  impactAround,
  impactFromCsv,
  impactModelOptions,
  storeImpactRequest,
  type ImpactHooks,
  type ImpactResult,
  type StoreImpactRequest,
} from '../../app/impact.js';
import { postImpact } from '../../app/impact-post.js';
import { postImpactJson, renderPostImpactText } from '../../report/render-terminal-impact-post.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, type CommandIO } from '../command.js';
import { checkWritable, writeFileAtomically } from '../files.js';
import { progressBar } from '../progress.js';

function wrap(text: string, width = 100): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) out.push(line);
  return out.join('\n');
}

/** Wraps a long line at 100 columns, keeping its indentation on every line. */
function wrapIndented(line: string): string {
  if (line.length <= 100) return line;
  const indent = /^\s*/.exec(line)![0];
  return wrap(line.trim(), 100 - indent.length).split('\n').map((l) => indent + l).join('\n');
}

/** What an analysis returns to the printer: the engine's result and what goes beside it. */
interface Analysed {
  result: ImpactResult;
  notes: string[];
  context?: Record<string, unknown>;
  /** Extra JSON fields after the engine's, and extra terminal text after its report. */
  json?: Record<string, unknown>;
  text?: string;
  /** The outcome's currency when it counts money (the terminal adds a line in money). */
  currency?: string | null;
}

/** Runs the analysis with a progress bar when interactive, writes the chart, prints JSON or text. */
async function analyseAndPrint(analyse: (hooks: ImpactHooks) => Analysed | Promise<Analysed>, values: ImpactFlags, io: CommandIO): Promise<number> {
  const json = values.json;
  const bar = io.interactive && !json ? progressBar(io, 'impact {bar} {percentage}% | {value}/{total} draws', 80) : undefined;
  let extra: Analysed;
  try {
    extra = await analyse(bar ? { onProgress: bar.update } : {});
  } finally {
    bar?.stop();
  }
  const result = extra.result;
  const plot = values.plot;
  if (plot !== undefined) {
    if (!result.ok) throw new CloutError('input', `inference was aborted (${result.warnings.join('; ')}); no chart written`);
    writeFileAtomically(plot, renderImpactSvg(result, { title: `Causal impact on ${result.target}` }));
  }
  if (json) {
    io.stdout(JSON.stringify({ ...(extra.context ?? {}), notes: extra.notes, ...result, ...(extra.json ?? {}) }, null, 2) + '\n');
    return EXIT.OK;
  }
  let text = renderSummaryTable(result);
  for (const note of extra.notes) text += `note: ${note}\n`;
  const c = result.cumulative;
  if (extra.currency && c !== null && c !== undefined) {
    const money = (x: number) => `${formatInt(x)} ${extra.currency}`;
    text += `\nIn money (${extra.currency}): ${money(c.actual)} observed, ${money(c.predicted)} expected without it; effect ${money(c.abs_effect)} [${money(c.abs_effect_lower)}, ${money(c.abs_effect_upper)}]\n`;
  }
  if (result.report) text += `\n${wrap(result.report)}\n`;
  if (extra.text) text += `\n${extra.text.split('\n').map(wrapIndented).join('\n')}`;
  if (plot !== undefined) text += `\nChart written to ${plot}\n`;
  io.stdout(text);
  return EXIT.OK;
}

/** The `clout impact` command. */
const IMPACT_FLAGS = z
  .object({
    pre: z.string().optional().describe('with a CSV file: the pre-period START..END'),
    ...DB_FLAG,
    plot: z.string().optional().describe('write the chart (observed, counterfactual, pointwise and cumulative effect) to this SVG file'),
    ...JSON_FLAG,
  })
  .strict();
type ImpactFlags = z.output<typeof IMPACT_FLAGS>;

export const impactCommand = defineCommand({
  name: 'impact',
  summary: 'Did this post, campaign or intervention change the outcome? (Bayesian structural time series)',
  options: z.object({ ...IMPACT_STORE_OPTIONS.shape, ...IMPACT_MODEL_OPTIONS.shape }).strict(),
  flags: IMPACT_FLAGS,
  positionals: { usage: '[DATA.csv]', description: 'a wide CSV file (one column per series) instead of the store' },
  notes: ['clout impact DATA.csv --target COL [--controls A,B] --pre START..END --post START..END', 'clout impact --post ID | --campaign ID [--db PATH] [--target SERIES] [--controls A,B] [--type sale,...]'],
  example: 'clout impact --campaign cmp_birthday --plot impact.svg',
  async run({ options: opts, flags, positionals, given }, io) {
    const options = impactModelOptions(opts);
    const values = { ...flags, ...opts };
    if (flags.plot !== undefined) checkWritable(flags.plot); // before the sampler runs
    if (positionals.length > 1) throw new CloutError('usage', `one data file at a time; got ${positionals.length}`);
    const file = positionals[0];
    if (file !== undefined) {
      for (const flag of ['campaign', 'db', 'type', 'bucket', 'window', 'pre_buckets', 'joint', 'joint_niter']) {
        if (given.has(flag)) throw new CloutError('usage', `--${flag === 'joint' ? 'no-joint' : flag.replaceAll('_', '-')} applies to the store; with a CSV file use --target, --pre and --post`);
      }
      const target = values.target;
      const pre = values.pre;
      const post = values.post;
      if (target === undefined) throw new CloutError('usage', '--target COL is required with a CSV file');
      if (pre === undefined || post === undefined) throw new CloutError('usage', '--pre START..END and --post START..END are required with a CSV file');
      return analyseAndPrint(async (hooks) => ({ result: await impactFromCsv(file, { target, controls: values.controls, pre, post }, options, hooks), notes: [] }), flags, io);
    }
    const postId = values.post;
    const campaign = values.campaign;
    if (postId === undefined && campaign === undefined) {
      throw new CloutError('usage', 'give a CSV file, or --post ID / --campaign ID to analyse the store');
    }
    if (given.has('pre')) throw new CloutError('usage', '--pre applies to a CSV file; around a post the pre-period is the data before it (see --pre-buckets)');
    const req: StoreImpactRequest = storeImpactRequest(opts);
    const db = resolveDbPath(flags.db, io.env);
    if (postId !== undefined) {
      const how = { joint: opts.joint ? undefined : (false as const), jointNiter: opts.joint_niter };
      return analyseAndPrint(async (hooks) => {
        const r = await withExistingStore(db, (store) => postImpact(store.conn, { ...req, post: postId }, options, { ...how, hooks }));
        const input = r.input;
        return {
          result: r.bsts,
          notes: input.notes,
          context: { event: input.event, outcome: input.outcome, bucket: input.bucket },
          json: postImpactJson(r),
          text: renderPostImpactText(r, input.outcome),
        };
      }, flags, io);
    }
    for (const flag of ['joint', 'joint_niter']) {
      if (given.has(flag)) throw new CloutError('usage', `--${flag === 'joint' ? 'no-joint' : 'joint-niter'} applies to --post`);
    }
    return analyseAndPrint(async (hooks) => {
      const r = await withExistingStore(db, (store) => impactAround(store.conn, req, options, hooks, { currency: !flags.json }));
      const input = r.input;
      return { result: r.result, notes: input.notes, context: { event: input.event, outcome: input.outcome, bucket: input.bucket }, currency: r.currency };
    }, flags, io);
  },
});
