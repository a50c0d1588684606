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
import type { Command, CommandIO, ParsedValues } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, stringFlag } from '../options.js';
import { loadNetworkGraph } from './network.js';

const METHODS = ['em', 'bernoulli', 'jaccard'] as const;

/** Opens the store named by --db / CLOUT_DB (which must exist), runs fn, closes it. */
function withStore<T>(values: ParsedValues, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  return withExistingStore(resolveDbPath(stringFlag(values, 'db'), io.env), fn);
}

/** The follow graph (follower → followee) and the adoptions of one kind, both from the store. */
async function loadSpread(values: ParsedValues, io: CommandIO, kind: SpreadItemKind): Promise<{ graph: Graph; input: SpreadInput }> {
  const graph = await loadNetworkGraph(values, io, 'follows');
  const input = await withStore(values, io, (store) => storeAdoptions(store.conn, graph, kind));
  return { graph, input };
}

function numberFlag(values: ParsedValues, name: string, fallback: number, min: number, max: number): number {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new CloutError('usage', `--${name} must be a number, got '${text}'`);
  if (v < min || v > max) throw new CloutError('usage', `--${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

function print(io: CommandIO, doc: unknown): number {
  io.stdout(JSON.stringify(doc, null, 2) + '\n');
  return EXIT.OK;
}

function notesText(notes: string[]): string {
  return notes.map((n) => `note: ${n}\n`).join('');
}

/** `clout network cascades`. */
export const networkCascadesCommand: Command = {
  name: 'network cascades',
  summary: 'Repost trees per post: size, depth, breadth, structural virality, time to half size',
  usage:
    'clout network cascades [--db PATH] [--post ID] [--top N] [--json]\n' +
    '  each repost/quote hangs under the latest earlier adopter among the reposter\'s followees, else under the author\n' +
    '  --top N  largest cascades by size (default 20 in the table; all in --json unless given)',
  options: { db: { type: 'string' }, post: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    const top = values.top === undefined ? (json ? Infinity : 20) : intFlag(values, 'top', 20, 1, 1e9);
    const post = stringFlag(values, 'post');
    const { graph, input } = await loadSpread(values, io, 'posts');
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
};

/** `clout network contagion`. */
export const networkContagionCommand: Command = {
  name: 'network contagion',
  summary: 'Monkey see, monkey do? Exposure curve p(k) and the shuffle and edge-reversal tests (influence vs homophily)',
  usage:
    'clout network contagion [--db PATH] [--item posts|purchases] [--shuffles 200] [--seed 1] [--period-hours 1]\n' +
    '                        [--min-exposed 10] [--max-k 50] [--json]\n' +
    '  posts: adopting = reposting or quoting; purchases: sales by customers who are accounts, per link bought',
  options: {
    db: { type: 'string' },
    item: { type: 'string' },
    shuffles: { type: 'string' },
    seed: { type: 'string' },
    'period-hours': { type: 'string' },
    'min-exposed': { type: 'string' },
    'max-k': { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    const item = choiceFlag(values, 'item', ['posts', 'purchases'] as const, 'posts');
    const shuffles = intFlag(values, 'shuffles', 200, 0, 100_000);
    const seed = intFlag(values, 'seed', 1, 0, 2 ** 32 - 1);
    const periodHours = numberFlag(values, 'period-hours', 1, 1 / 3600, 24 * 365);
    const minExposed = intFlag(values, 'min-exposed', 10, 1, 1e9);
    const maxK = intFlag(values, 'max-k', 50, 1, 10_000);
    const { graph, input } = await loadSpread(values, io, item);
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
};

/** `clout network probabilities`. */
export const networkProbabilitiesCommand: Command = {
  name: 'network probabilities',
  summary: 'Edge influence probabilities learned from cascades (Bernoulli/Jaccard credit, or EM for independent cascade)',
  usage:
    'clout network probabilities [--db PATH] [--method em|bernoulli|jaccard] [--window-hours H] [--min-trials N]\n' +
    '                            [--seed 1] [--top N] [--json]\n' +
    '  edges run from an account to its followers (source = followee); only edges with trials ≥ --min-trials (1)',
  options: {
    db: { type: 'string' },
    method: { type: 'string' },
    'window-hours': { type: 'string' },
    'min-trials': { type: 'string' },
    seed: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    const method = choiceFlag(values, 'method', METHODS, 'em');
    const windowHours = values['window-hours'] === undefined ? null : numberFlag(values, 'window-hours', 0, 0, 1e7);
    const minTrials = intFlag(values, 'min-trials', 1, 1, 1e9);
    const seed = intFlag(values, 'seed', 1, 0, 2 ** 32 - 1);
    const top = values.top === undefined ? (json ? Infinity : 20) : intFlag(values, 'top', 20, 1, 1e9);
    const { graph, input } = await loadSpread(values, io, 'posts');
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
      { header: 'source', cell: (e) => e.source },
      { header: 'target', cell: (e) => e.target },
      { header: 'p', cell: (e) => formatFixed(e.p, 4), align: 'right' },
      { header: 'trials', cell: (e) => formatInt(e.trials), align: 'right' },
    ]);
    io.stdout(text + notesText(input.notes));
    return EXIT.OK;
  },
};

/** `clout network plan`. */
export const networkPlanCommand: Command = {
  name: 'network plan',
  summary: 'Whom to ask: k seed accounts maximising expected spread (IMM), with a Monte-Carlo check',
  usage:
    'clout network plan --k 20 [--eps 0.5] [--ell 1] [--model ic|lt] [--probabilities learned|weighted-cascade]\n' +
    '                   [--method em|bernoulli|jaccard] [--mc 10000] [--spread-sets auto|N] [--seed 1]\n' +
    '                   [--db PATH | --edges FILE] [--json]\n' +
    '  influence runs from an account to its followers; --edges FILE is read as follower → followee;\n' +
    '  learned probabilities come from the store\'s reposts (--method, default em)',
  options: {
    db: { type: 'string' },
    edges: { type: 'string' },
    k: { type: 'string' },
    eps: { type: 'string' },
    ell: { type: 'string' },
    model: { type: 'string' },
    probabilities: { type: 'string' },
    method: { type: 'string' },
    mc: { type: 'string' },
    'spread-sets': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    if (values.k === undefined) throw new CloutError('usage', '--k N is required (how many accounts to ask)');
    const k = intFlag(values, 'k', 20, 1, 1_000_000);
    const eps = numberFlag(values, 'eps', 0.5, 1e-3, 0.999);
    const ell = numberFlag(values, 'ell', 1, 1e-3, 100);
    const model = choiceFlag(values, 'model', ['ic', 'lt'] as const, 'ic');
    const source = choiceFlag(values, 'probabilities', ['learned', 'weighted-cascade'] as const, 'weighted-cascade');
    const method = choiceFlag(values, 'method', METHODS, 'em');
    const mc = intFlag(values, 'mc', 10_000, 1, 10_000_000);
    const setsText = stringFlag(values, 'spread-sets') ?? 'auto';
    const fixedSets = setsText === 'auto' ? null : intFlag(values, 'spread-sets', 0, 1, 1_000_000_000);
    const seed = intFlag(values, 'seed', 1, 0, 2 ** 32 - 1);
    if (source === 'learned' && values.edges !== undefined) throw new CloutError('usage', 'learned probabilities come from the store\'s reposts; drop --edges or use --probabilities weighted-cascade');
    if (values.method !== undefined && source !== 'learned') throw new CloutError('usage', '--method applies to --probabilities learned');
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
    let text = `Whom to ask: ${seeds.length} accounts (IMM, ${model.toUpperCase()}, ${source} probabilities, ε = ${eps})\n\n`;
    text += renderTable(seeds.map((id, i) => ({ id, i })), [
      { header: '#', cell: (s) => String(s.i + 1), align: 'right' },
      { header: 'account', cell: (s) => s.id },
    ]);
    text += `\nexpected spread ${formatFixed(est.spread, 1)} accounts (IMM's seeds on ${formatInt(spreadSets)} fresh RR sets, se ${formatFixed(est.se, 2)})\n`;
    text += `Monte-Carlo check: mean ${formatFixed(check.mean, 1)}, 95% interval ${formatFixed(check.lower, 1)}–${formatFixed(check.upper, 1)} (${formatInt(mc)} runs)\n`;
    io.stdout(text + notesText(notes));
    return EXIT.OK;
  },
};

/** The four spread commands, in the order `clout --help` lists them. */
export const SPREAD_COMMANDS: Command[] = [networkCascadesCommand, networkContagionCommand, networkProbabilitiesCommand, networkPlanCommand];
