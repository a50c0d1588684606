/**
 * The spread commands: `clout network cascades` (repost trees), `clout network contagion` (exposure curves and the
 * influence-vs-homophily tests), `clout network probabilities` (edge probabilities learned from cascades) and
 * `clout network plan` (whom to ask: IMM seeds with a Monte-Carlo check). Read → analyse (pure kernels in
 * analysis/network, called by app/spread.ts) → render. The follow graph is the store's, or --edges for plan.
 */
import { CloutError } from '../../domain/index.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { z } from 'zod';
import { CASCADES_OPTIONS, CONTAGION_OPTIONS, PLAN_OPTIONS, PROBABILITIES_OPTIONS, cascades, contagion, edgeProbabilities, plan, type CascadeMeasures, type ExposurePoint } from '../../app/spread.js';
import { accountLabel, sourceHandles, storeHandles } from '../../app/network.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, type Command, type CommandIO } from '../command.js';
import { resolveDbPath, withExistingStore, type Conn } from '../../app/store.js';
import { withGraphSource } from './network.js';

/** Runs `fn` on the store named by --db / CLOUT_DB (which must exist; the message as the graph loader's). */
function withConn<T>(flags: { db?: string | undefined }, io: CommandIO, fn: (conn: Conn) => Promise<T>): Promise<T> {
  return withExistingStore(resolveDbPath(flags.db, io.env), (store) => fn(store.conn), 'give --edges FILE');
}

const TOP = z.number().int().min(1).max(1e9).optional();
const name = (handles: ReadonlyMap<string, string>) => (id: string): string => accountLabel(id, handles);

function print(io: CommandIO, doc: unknown): number {
  io.stdout(JSON.stringify(doc, null, 2) + '\n');
  return EXIT.OK;
}

function notesText(notes: string[]): string {
  return notes.map((n) => `note: ${n}\n`).join('');
}

/** `clout network cascades`. */
export const networkCascadesCommand = defineCommand({
  name: 'network cascades',
  summary: 'Repost trees per post: size, depth, breadth, structural virality, time to half size',
  options: CASCADES_OPTIONS,
  flags: z.object({ ...DB_FLAG, top: TOP.describe('largest cascades by size (default 20 in the table; all in --json unless given)'), ...JSON_FLAG }).strict(),
  notes: ["Each repost/quote hangs under the latest earlier adopter among the reposter's followees, else under the author"],
  example: 'clout network cascades --top 10',
  async run({ options, flags }, io) {
    const json = flags.json;
    const top = flags.top ?? (json ? Infinity : 20);
    const doc = await withConn(flags, io, (conn) => cascades(conn, options));
    const total = doc.posts;
    const shown = doc.cascades.slice(0, top);
    if (json) return print(io, { ...doc, cascades: shown });
    let text = `${formatInt(total)} posts; largest cascades\n\n`;
    text += renderTable<CascadeMeasures>(shown, [
      { header: 'post', cell: (c) => c.post_id },
      { header: 'size', cell: (c) => formatInt(c.size), align: 'right' },
      { header: 'depth', cell: (c) => String(c.depth), align: 'right' },
      { header: 'max breadth', cell: (c) => formatInt(c.max_breadth), align: 'right' },
      { header: 'virality', cell: (c) => formatFixed(c.structural_virality, 3), align: 'right' },
      { header: 'half size after', cell: (c) => `${formatFixed(c.time_to_half_s / 3600, 2)} h`, align: 'right' },
    ]);
    io.stdout(text + notesText(doc.notes));
    return EXIT.OK;
  },
});

/** `clout network contagion`. */
export const networkContagionCommand = defineCommand({
  name: 'network contagion',
  summary: 'Monkey see, monkey do? Exposure curve p(k) and the shuffle and edge-reversal tests (influence vs homophily)',
  options: CONTAGION_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  example: 'clout network contagion --item purchases --shuffles 50',
  async run({ options, flags }, io) {
    const json = flags.json;
    const item = options.item;
    const doc = await withConn(flags, io, (conn) => contagion(conn, options));
    if (json) return print(io, doc);
    let text = `${formatInt(doc.items)} ${item}, ${formatInt(doc.adoptions)} adoptions\n\nExposure curve p(k) (Romero et al. 2011)\n`;
    text += renderTable<ExposurePoint>(doc.curve.filter((p) => p.k <= Math.max(doc.k_max, 1)), [
      { header: 'k', cell: (p) => String(p.k), align: 'right' },
      { header: 'exposed', cell: (p) => formatInt(p.exposed), align: 'right' },
      { header: 'adopted', cell: (p) => formatInt(p.adopted), align: 'right' },
      { header: 'p(k)', cell: (p) => formatFixed(p.p, 4), align: 'right' },
      { header: '95% interval', cell: (p) => `${formatFixed(p.lower, 4)}–${formatFixed(p.upper, 4)}`, align: 'right' },
    ]);
    text += `stickiness ${formatFixed(doc.stickiness, 4)}, persistence ${formatFixed(doc.persistence, 3)} (k ≤ ${doc.k_max})\n\n`;
    text += `Social correlation α ${formatFixed(doc.alpha, 3)} (shuffled mean ${formatFixed(doc.alpha_shuffled_mean, 3)}, reversed ${formatFixed(doc.alpha_reversed, 3)})\n`;
    text += `time-shuffle test p = ${formatFixed(doc.shuffle_p, 4)} (${doc.shuffles} shuffles); edge-reversal test p = ${formatFixed(doc.reversal_p, 4)}\n`;
    text += doc.shuffle_p < 0.05 ? 'Adoption follows followees in time beyond what shuffled times give: consistent with influence.\n' : 'No evidence of influence beyond homophily and shared timing.\n';
    io.stdout(text + notesText(doc.notes));
    return EXIT.OK;
  },
});

/** `clout network probabilities`. */
export const networkProbabilitiesCommand = defineCommand({
  name: 'network probabilities',
  summary: 'Edge influence probabilities learned from cascades (Bernoulli/Jaccard credit, or EM for independent cascade)',
  options: PROBABILITIES_OPTIONS,
  flags: z.object({ ...DB_FLAG, top: TOP.describe('edges shown, most tried first (default 20 in the table; all in --json unless given)'), ...JSON_FLAG }).strict(),
  notes: ['Edges run from an account to its followers (source = followee)'],
  example: 'clout network probabilities --method bernoulli --min-trials 3',
  async run({ options, flags }, io) {
    const json = flags.json;
    const { method } = options;
    const minTrials = options.min_trials;
    const top = flags.top ?? (json ? Infinity : 20);
    const [doc, handles] = await withConn(flags, io, async (conn) => [await edgeProbabilities(conn, options), json ? new Map<string, string>() : await storeHandles(conn)] as const);
    const total = doc.edges_with_trials;
    const shown = doc.edges.slice(0, top);
    if (json) return print(io, { ...doc, edges: shown });
    let text = `${formatInt(total)} edges with ≥ ${minTrials} trials (${method}${method === 'em' ? `, ${doc.iterations} iterations, ${doc.converged ? 'converged' : 'NOT converged'}` : ''}); most tried\n\n`;
    text += renderTable(shown, [
      { header: 'source', cell: (e) => name(handles)(e.source) },
      { header: 'target', cell: (e) => name(handles)(e.target) },
      { header: 'p', cell: (e) => formatFixed(e.p, 4), align: 'right' },
      { header: 'trials', cell: (e) => formatInt(e.trials), align: 'right' },
    ]);
    io.stdout(text + notesText(doc.notes));
    return EXIT.OK;
  },
});

/** `clout network plan`. */
export const networkPlanCommand = defineCommand({
  name: 'network plan',
  summary: 'Whom to ask: k seed accounts maximising expected spread (IMM), with a Monte-Carlo check',
  options: PLAN_OPTIONS,
  flags: z.object({ ...DB_FLAG, edges: z.string().optional().describe('a source,target[,weight] CSV read as follower → followee, instead of the store'), ...JSON_FLAG }).strict(),
  notes: ["Influence runs from an account to its followers; learned probabilities come from the store's reposts (--method)"],
  example: 'clout network plan --k 5 --mc 2000',
  async run({ options, flags, given }, io) {
    const json = flags.json;
    const { eps, model, mc } = options;
    const source = options.probabilities;
    if (source === 'learned' && flags.edges !== undefined) throw new CloutError('usage', 'learned probabilities come from the store\'s reposts; drop --edges or use --probabilities weighted-cascade');
    if (given.has('method') && source !== 'learned') throw new CloutError('usage', '--method applies to --probabilities learned');
    const [doc, handles] = await withGraphSource(flags, io, async (graph) => [await plan(graph, options), json ? new Map<string, string>() : await sourceHandles(graph)] as const);
    if (json) return print(io, doc);
    const { seeds, spread_sets: spreadSets } = doc;
    const est = { spread: doc.spread, se: doc.spread_se };
    const check = { mean: doc.mc_mean, lower: doc.spread_lower, upper: doc.spread_upper };
    let text = `Whom to ask: ${seeds.length} accounts (IMM, ${model.toUpperCase()}, ${source} probabilities, ε = ${eps})\n\n`;
    text += renderTable(seeds.map((id, i) => ({ id, i })), [
      { header: '#', cell: (s) => String(s.i + 1), align: 'right' },
      { header: 'account', cell: (s) => name(handles)(s.id) },
    ]);
    text += `\nexpected spread ${formatFixed(est.spread, 1)} accounts (IMM's seeds on ${formatInt(spreadSets)} fresh RR sets, se ${formatFixed(est.se, 2)})\n`;
    text += `Monte-Carlo check: mean ${formatFixed(check.mean, 1)}, 95% interval ${formatFixed(check.lower, 1)}–${formatFixed(check.upper, 1)} (${formatInt(mc)} runs)\n`;
    io.stdout(text + notesText(doc.notes));
    return EXIT.OK;
  },
});

/** The four spread commands, in the order `clout --help` lists them. */
export const SPREAD_COMMANDS: Command[] = [networkCascadesCommand, networkContagionCommand, networkProbabilitiesCommand, networkPlanCommand];
