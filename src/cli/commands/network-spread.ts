/**
 * The spread commands: `clout network cascades` (repost trees), `clout network contagion` (exposure curves and the
 * influence-vs-homophily tests), `clout network probabilities` (edge probabilities learned from cascades) and
 * `clout network plan` (whom to ask: IMM seeds with a Monte-Carlo check). Read → analyse (pure kernels in
 * analysis/network) → render. The follow graph comes from loadNetworkGraph (the store, or --edges for plan).
 */
import { CloutError } from '../../domain/index.js';
import { measureCascades, type CascadeMeasures } from '../../analysis/network/cascades.js';
import { socialCorrelationTests } from '../../analysis/network/contagion-tests.js';
import { exposureCurve, type ExposurePoint } from '../../analysis/network/exposure.js';
import { reverseGraph, type Graph } from '../../analysis/network/graph.js';
import { imm, rrSpread } from '../../analysis/network/imm.js';
import { learnProbabilities } from '../../analysis/network/probabilities.js';
import { simulateSpread } from '../../analysis/network/spread-sim.js';
import { resolveDbPath, type Store } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import { storeAdoptions, type SpreadInput, type SpreadItemKind } from '../../app/spread.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { z } from 'zod';
import { CASCADES_OPTIONS, CONTAGION_OPTIONS, PLAN_OPTIONS, PROBABILITIES_OPTIONS } from '../../app/spread.js';
import { accountLabel, storeHandles } from '../../app/network.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, type Command, type CommandIO } from '../command.js';
import { loadNetworkGraph, type GraphSource } from './network.js';

/** Opens the store named by --db / CLOUT_DB (which must exist), runs fn, closes it. */
function withStore<T>(values: GraphSource, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  return withExistingStore(resolveDbPath(values.db, io.env), fn);
}

/** The follow graph (follower → followee) and the adoptions of one kind, both from the store. */
async function loadSpread(values: GraphSource, io: CommandIO, kind: SpreadItemKind): Promise<{ graph: Graph; input: SpreadInput }> {
  const graph = await loadNetworkGraph(values, io, 'follows');
  const input = await withStore(values, io, (store) => storeAdoptions(store.conn, graph, kind));
  return { graph, input };
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
    const post = options.post;
    const { graph, input } = await loadSpread(flags, io, 'posts');
    let cascades = measureCascades(input.adoptions, graph);
    if (post !== undefined) {
      cascades = cascades.filter((c) => c.post_id === post);
      if (cascades.length === 0) throw new CloutError('input', `--post ${post}: no such post (or its author is outside the follow graph)`);
    }
    cascades.sort((a, b) => b.size - a.size || (a.post_id < b.post_id ? -1 : a.post_id > b.post_id ? 1 : 0));
    const total = cascades.length;
    cascades = cascades.slice(0, top);
    if (json) return print(io, { posts: total, notes: input.notes, cascades });
    let text = `${formatInt(total)} posts; largest cascades\n\n`;
    text += renderTable<CascadeMeasures>(cascades, [
      { header: 'post', cell: (c) => c.post_id },
      { header: 'size', cell: (c) => formatInt(c.size), align: 'right' },
      { header: 'depth', cell: (c) => String(c.depth), align: 'right' },
      { header: 'max breadth', cell: (c) => formatInt(c.max_breadth), align: 'right' },
      { header: 'virality', cell: (c) => formatFixed(c.structural_virality, 3), align: 'right' },
      { header: 'half size after', cell: (c) => `${formatFixed(c.time_to_half_s / 3600, 2)} h`, align: 'right' },
    ]);
    io.stdout(text + notesText(input.notes));
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
    const { item, shuffles, seed } = options;
    const periodHours = options.period_hours;
    const minExposed = options.min_exposed;
    const maxK = options.max_k;
    const { graph, input } = await loadSpread(flags, io, item);
    const a = input.adoptions;
    if (a.nodes.length === 0 && a.root.every((r) => r < 0)) throw new CloutError('input', `contagion: no ${item === 'posts' ? 'posts with reposts' : 'purchases by accounts'} in the store`);
    const curve = exposureCurve(a, graph, { minExposed, maxK });
    const tests = socialCorrelationTests(a, graph, { periodMs: periodHours * 3_600_000, shuffles, seed });
    const doc = {
      item,
      items: a.items,
      adoptions: a.nodes.length,
      notes: input.notes,
      curve: curve.curve,
      stickiness: curve.stickiness,
      persistence: curve.persistence,
      k_max: curve.k_max,
      unexposed_adoptions: curve.unexposed_adoptions,
      alpha: tests.alpha,
      alpha_reversed: tests.alpha_reversed,
      alpha_shuffled_mean: tests.alpha_shuffled_mean,
      shuffle_p: tests.shuffle_p,
      reversal_p: tests.reversal_p,
      shuffles: tests.shuffles,
      orientations: tests.orientations,
      period_hours: periodHours,
      seed,
    };
    if (json) return print(io, doc);
    let text = `${formatInt(a.items)} ${item}, ${formatInt(a.nodes.length)} adoptions\n\nExposure curve p(k) (Romero et al. 2011)\n`;
    text += renderTable<ExposurePoint>(curve.curve.filter((p) => p.k <= Math.max(curve.k_max, 1)), [
      { header: 'k', cell: (p) => String(p.k), align: 'right' },
      { header: 'exposed', cell: (p) => formatInt(p.exposed), align: 'right' },
      { header: 'adopted', cell: (p) => formatInt(p.adopted), align: 'right' },
      { header: 'p(k)', cell: (p) => formatFixed(p.p, 4), align: 'right' },
      { header: '95% interval', cell: (p) => `${formatFixed(p.lower, 4)}–${formatFixed(p.upper, 4)}`, align: 'right' },
    ]);
    text += `stickiness ${formatFixed(curve.stickiness, 4)}, persistence ${formatFixed(curve.persistence, 3)} (k ≤ ${curve.k_max})\n\n`;
    text += `Social correlation α ${formatFixed(tests.alpha, 3)} (shuffled mean ${formatFixed(tests.alpha_shuffled_mean, 3)}, reversed ${formatFixed(tests.alpha_reversed, 3)})\n`;
    text += `time-shuffle test p = ${formatFixed(tests.shuffle_p, 4)} (${tests.shuffles} shuffles); edge-reversal test p = ${formatFixed(tests.reversal_p, 4)}\n`;
    text += tests.shuffle_p < 0.05 ? 'Adoption follows followees in time beyond what shuffled times give: consistent with influence.\n' : 'No evidence of influence beyond homophily and shared timing.\n';
    io.stdout(text + notesText(input.notes));
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
    const { method, seed } = options;
    const windowHours = options.window_hours ?? null;
    const minTrials = options.min_trials;
    const top = flags.top ?? (json ? Infinity : 20);
    let handles = new Map<string, string>();
    const { graph, input } = await loadSpread(flags, io, 'posts');
    if (!json) handles = await withStore(flags, io, (store) => storeHandles(store.conn));
    const r = learnProbabilities(input.adoptions, graph, { method, seed, window: windowHours === null ? undefined : windowHours * 3_600_000 });
    // Influence edge e (follows in-edge): source = the followee u whose in-list holds e, target = the follower.
    const edges: { source: string; target: string; p: number; trials: number }[] = [];
    for (let u = 0; u < graph.n; u++) {
      for (let e = graph.inOffsets[u]!; e < graph.inOffsets[u + 1]!; e++) {
        if (r.trials[e]! < minTrials) continue;
        edges.push({ source: graph.ids[u]!, target: graph.ids[graph.inSources[e]!]!, p: r.p[e]!, trials: r.trials[e]! });
      }
    }
    edges.sort((x, y) => y.trials - x.trials || y.p - x.p);
    const total = edges.length;
    const shown = edges.slice(0, top);
    const meta = { method, window_hours: windowHours, min_trials: minTrials, iterations: r.iterations, converged: r.converged, edges_with_trials: total, notes: input.notes };
    if (json) return print(io, { ...meta, edges: shown });
    let text = `${formatInt(total)} edges with ≥ ${minTrials} trials (${method}${method === 'em' ? `, ${r.iterations} iterations, ${r.converged ? 'converged' : 'NOT converged'}` : ''}); most tried\n\n`;
    text += renderTable(shown, [
      { header: 'source', cell: (e) => name(handles)(e.source) },
      { header: 'target', cell: (e) => name(handles)(e.target) },
      { header: 'p', cell: (e) => formatFixed(e.p, 4), align: 'right' },
      { header: 'trials', cell: (e) => formatInt(e.trials), align: 'right' },
    ]);
    io.stdout(text + notesText(input.notes));
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
    const { k, eps, ell, model, method, mc, seed } = options;
    const source = options.probabilities;
    const fixedSets = options.spread_sets === 'auto' ? null : Number(options.spread_sets);
    if (source === 'learned' && flags.edges !== undefined) throw new CloutError('usage', 'learned probabilities come from the store\'s reposts; drop --edges or use --probabilities weighted-cascade');
    if (given.has('method') && source !== 'learned') throw new CloutError('usage', '--method applies to --probabilities learned');
    const values = flags;
    const follows = await loadNetworkGraph(values, io, 'follows');
    const g = reverseGraph(follows);
    let probabilities: Float64Array | undefined;
    const notes: string[] = [];
    if (source === 'learned') {
      const input = await withStore(values, io, (store) => storeAdoptions(store.conn, follows, 'posts'));
      notes.push(...input.notes);
      const learned = learnProbabilities(input.adoptions, follows, { method, seed });
      if (!learned.converged) notes.push(`EM stopped after ${learned.iterations} iterations before reaching its tolerance`);
      probabilities = learned.p;
    }
    if (model === 'lt' && source === 'weighted-cascade') notes.push('LT weights: 1/indegree (every edge weight normalised per node)');
    const r = imm(g, { k, eps, ell, model, probabilities, seed });
    const check = simulateSpread(g, r.seeds, { model, probabilities, runs: mc, seed: seed + 1 });
    // IMM's estimate on its own selection sets leans high (the seeds were chosen to cover them); re-estimate on fresh
    // RR sets — by default enough that its standard error is half the Monte-Carlo one (100k to 20M sets).
    const f = Math.min(1 - 1e-9, Math.max(1e-9, r.spread / g.n));
    const mcVar = Math.max(check.sd * check.sd, 1e-9) / check.runs;
    const spreadSets = fixedSets ?? Math.round(Math.min(20_000_000, Math.max(100_000, (4 * g.n * g.n * f * (1 - f)) / mcVar)));
    const est = rrSpread(g, r.seeds, { model, probabilities, sets: spreadSets, seed: seed + 2 });
    const seeds = [...r.seeds].map((v) => g.ids[v]!);
    const doc = {
      k: seeds.length, eps, ell, model, probabilities: source, ...(source === 'learned' ? { method } : {}),
      seeds,
      spread: est.spread,
      spread_se: est.se,
      spread_lower: check.lower,
      spread_upper: check.upper,
      mc_mean: check.mean,
      mc_runs: check.runs,
      rr_sets: r.rrSets,
      spread_sets: spreadSets,
      spread_selection: r.spread,
      nodes: g.n,
      edges: g.m,
      seed,
      notes,
    };
    if (json) return print(io, doc);
    const handles = flags.edges === undefined ? await withStore(flags, io, (store) => storeHandles(store.conn)) : new Map<string, string>();
    let text = `Whom to ask: ${seeds.length} accounts (IMM, ${model.toUpperCase()}, ${source} probabilities, ε = ${eps})\n\n`;
    text += renderTable(seeds.map((id, i) => ({ id, i })), [
      { header: '#', cell: (s) => String(s.i + 1), align: 'right' },
      { header: 'account', cell: (s) => name(handles)(s.id) },
    ]);
    text += `\nexpected spread ${formatFixed(est.spread, 1)} accounts (IMM's seeds on ${formatInt(spreadSets)} fresh RR sets, se ${formatFixed(est.se, 2)})\n`;
    text += `Monte-Carlo check: mean ${formatFixed(check.mean, 1)}, 95% interval ${formatFixed(check.lower, 1)}–${formatFixed(check.upper, 1)} (${formatInt(mc)} runs)\n`;
    io.stdout(text + notesText(notes));
    return EXIT.OK;
  },
});

/** The four spread commands, in the order `clout --help` lists them. */
export const SPREAD_COMMANDS: Command[] = [networkCascadesCommand, networkContagionCommand, networkProbabilitiesCommand, networkPlanCommand];
