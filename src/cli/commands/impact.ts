/**
 * `clout impact`: did this post, campaign or intervention change the outcome? Either from a CSV file
 * (`clout impact DATA.csv --target COL --pre A..B --post C..D`) or from the store around a post or campaign
 * (`clout impact --post ID`). Read → analyse (the pure engine in analysis/impact) → render.
 */
import { writeFileSync } from 'node:fs';
import { CloutError } from '../../domain/index.js';
import {
  causalImpact,
  renderImpactSvg,
  renderSummaryTable,
  type ImpactHooks,
  type ImpactOptions,
  type ImpactResult,
} from '../../analysis/impact/index.js';
import { resolveDbPath } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import { storeImpactInput, type StoreImpactRequest } from '../../app/impact.js';
import { NUMBER, csvImpactData, readCsvTable } from '../../ingest/wide-csv.js';
import { JOINT_NITER, postImpact } from '../../app/impact-post.js';
import { postImpactJson, renderPostImpactText } from '../../report/render-terminal-impact-post.js';
import type { Command, CommandIO, ParsedValues } from '../command.js';
import { EXIT } from '../command.js';
import { progressBar } from '../progress.js';
import { boolFlag, choiceFlag, intFlag, listFlag, stringFlag } from '../options.js';

/** Model options from the flags. */
export function impactOptionsFrom(values: ParsedValues): ImpactOptions {
  const num = (name: string): number | undefined => {
    const text = stringFlag(values, name);
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!NUMBER.test(text.trim()) || !Number.isFinite(v)) throw new CloutError('usage', `--${name} must be a number, got '${text}'`);
    return v;
  };
  const o: ImpactOptions = {
    niter: intFlag(values, 'niter', 1000, 10, 1_000_000),
    seed: intFlag(values, 'seed', 1, 0, 2 ** 32 - 1),
    seasons: intFlag(values, 'seasons', 1, 1, 10_000),
    season_duration: intFlag(values, 'season-duration', 1, 1, 100_000),
    trend: choiceFlag(values, 'trend', ['local_level', 'local_linear_trend'] as const, 'local_level'),
    dynamic_regression: boolFlag(values, 'dynamic'),
    standardize: !boolFlag(values, 'no-standardize'),
  };
  const alpha = num('alpha');
  if (alpha !== undefined) {
    if (!(alpha > 0 && alpha < 1)) throw new CloutError('usage', `--alpha must be between 0 and 1, got ${alpha}`);
    o.alpha = alpha;
  }
  const sd = num('prior-level-sd');
  if (sd !== undefined) {
    if (!(sd > 0)) throw new CloutError('usage', `--prior-level-sd must be > 0, got ${sd}`);
    o.prior_level_sd = sd;
  }
  return o;
}

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
}

/** Runs the analysis with a progress bar when interactive, writes the chart, prints JSON or text. */
async function analyseAndPrint(
  analyse: (hooks: ImpactHooks) => Analysed | Promise<Analysed>,
  values: ParsedValues,
  io: CommandIO,
): Promise<number> {
  const json = boolFlag(values, 'json');
  const bar = io.interactive && !json ? progressBar(io, 'impact {bar} {percentage}% | {value}/{total} draws', 80) : undefined;
  let extra: Analysed;
  try {
    extra = await analyse(bar ? { onProgress: bar.update } : {});
  } finally {
    bar?.stop();
  }
  const result = extra.result;
  const plot = stringFlag(values, 'plot');
  if (plot !== undefined) {
    if (!result.ok) throw new CloutError('input', `inference was aborted (${result.warnings.join('; ')}); no chart written`);
    writeFileSync(plot, renderImpactSvg(result, { title: `Causal impact on ${result.target}` }));
  }
  if (json) {
    io.stdout(JSON.stringify({ ...(extra.context ?? {}), notes: extra.notes, ...result, ...(extra.json ?? {}) }, null, 2) + '\n');
    return EXIT.OK;
  }
  let text = renderSummaryTable(result);
  for (const note of extra.notes) text += `note: ${note}\n`;
  if (result.report) text += `\n${wrap(result.report)}\n`;
  if (extra.text) text += `\n${extra.text.split('\n').map(wrapIndented).join('\n')}`;
  if (plot !== undefined) text += `\nChart written to ${plot}\n`;
  io.stdout(text);
  return EXIT.OK;
}

/** The `clout impact` command. */
export const impactCommand: Command = {
  name: 'impact',
  summary: 'Did this post, campaign or intervention change the outcome? (Bayesian structural time series)',
  usage:
    'clout impact DATA.csv --target COL [--controls A,B,...] --pre START..END --post START..END\n' +
    '       clout impact --post ID | --campaign ID [--db PATH] [--target SERIES] [--controls A,B] [--type sale,...]\n' +
    '                    [--bucket day|hour] [--window N] [--pre-buckets N] [--joint-niter 1000] [--no-joint]\n' +
    '  model: [--seasons N] [--season-duration N] [--trend local_level|local_linear_trend] [--dynamic]\n' +
    '         [--prior-level-sd 0.01] [--no-standardize] [--niter 1000] [--seed 1] [--alpha 0.05]\n' +
    '  output: [--json] [--plot out.svg]',
  options: {
    target: { type: 'string' },
    controls: { type: 'string' },
    pre: { type: 'string' },
    post: { type: 'string' },
    campaign: { type: 'string' },
    db: { type: 'string' },
    type: { type: 'string' },
    bucket: { type: 'string' },
    window: { type: 'string' },
    'pre-buckets': { type: 'string' },
    seasons: { type: 'string' },
    'season-duration': { type: 'string' },
    trend: { type: 'string' },
    dynamic: { type: 'boolean' },
    'prior-level-sd': { type: 'string' },
    'no-standardize': { type: 'boolean' },
    niter: { type: 'string' },
    seed: { type: 'string' },
    alpha: { type: 'string' },
    json: { type: 'boolean' },
    plot: { type: 'string' },
    'joint-niter': { type: 'string' },
    'no-joint': { type: 'boolean' },
  },
  allowPositionals: true,
  async run(values, positionals, io) {
    const options = impactOptionsFrom(values);
    if (positionals.length > 1) throw new CloutError('usage', `one data file at a time; got ${positionals.length}`);
    const file = positionals[0];
    if (file !== undefined) {
      for (const flag of ['campaign', 'db', 'type', 'bucket', 'window', 'pre-buckets', 'joint-niter', 'no-joint']) {
        if (values[flag] !== undefined) throw new CloutError('usage', `--${flag} applies to the store; with a CSV file use --target, --pre and --post`);
      }
      const target = stringFlag(values, 'target');
      const pre = stringFlag(values, 'pre');
      const post = stringFlag(values, 'post');
      if (target === undefined) throw new CloutError('usage', '--target COL is required with a CSV file');
      if (pre === undefined || post === undefined) throw new CloutError('usage', '--pre START..END and --post START..END are required with a CSV file');
      const data = csvImpactData(readCsvTable(file), file, target, listFlag(values, 'controls'), pre, post);
      return analyseAndPrint((hooks) => ({ result: causalImpact(data, options, hooks), notes: [] }), values, io);
    }
    const postId = stringFlag(values, 'post');
    const campaign = stringFlag(values, 'campaign');
    if (postId === undefined && campaign === undefined) {
      throw new CloutError('usage', 'give a CSV file, or --post ID / --campaign ID to analyse the store');
    }
    if (values.pre !== undefined) throw new CloutError('usage', '--pre applies to a CSV file; around a post the pre-period is the data before it (see --pre-buckets)');
    const bucketText = stringFlag(values, 'bucket');
    const req: StoreImpactRequest = {
      post: postId,
      campaign,
      target: stringFlag(values, 'target'),
      controls: listFlag(values, 'controls'),
      types: listFlag(values, 'type'),
      bucket: bucketText === undefined ? undefined : choiceFlag(values, 'bucket', ['day', 'hour'] as const, 'day'),
      window: values.window === undefined ? undefined : intFlag(values, 'window', 7, 1, 100_000),
      preBuckets: values['pre-buckets'] === undefined ? undefined : intFlag(values, 'pre-buckets', 0, 3, 10_000_000),
    };
    const db = resolveDbPath(stringFlag(values, 'db'), io.env);
    if (postId !== undefined) {
      const how = { joint: boolFlag(values, 'no-joint') ? (false as const) : undefined, jointNiter: intFlag(values, 'joint-niter', JOINT_NITER, 50, 1_000_000) };
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
      }, values, io);
    }
    for (const flag of ['joint-niter', 'no-joint']) {
      if (values[flag] !== undefined) throw new CloutError('usage', `--${flag} applies to --post`);
    }
    const input = await withExistingStore(db, (store) => storeImpactInput(store.conn, req));
    return analyseAndPrint(
      (hooks) => ({
        result: causalImpact(input.data, options, hooks),
        notes: input.notes,
        context: { event: input.event, outcome: input.outcome, bucket: input.bucket },
      }),
      values,
      io,
    );
  },
};
