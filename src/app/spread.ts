/**
 * Use cases `network cascades`, `contagion`, `probabilities` and `plan`, and the spread engine's input, built at the
 * edge: the follow graph and the adoption items (posts and their reposts, or products and their buyers) from the
 * store, mapped onto the graph's dense indices. Accounts that are not nodes of the graph cannot be placed; they are
 * counted in the notes.
 */
import { z } from 'zod';
import { buildAdoptions, type AdoptionItemInput, type Adoptions } from '../analysis/network/adoptions.js';
import { measureCascades, type CascadeMeasures } from '../analysis/network/cascades.js';
import { socialCorrelationTests } from '../analysis/network/contagion-tests.js';
import { exposureCurve, type ExposurePoint } from '../analysis/network/exposure.js';
import { reverseGraph, type Graph } from '../analysis/network/graph.js';
import { imm, rrSpread } from '../analysis/network/imm.js';
import { learnProbabilities } from '../analysis/network/probabilities.js';
import { simulateSpread } from '../analysis/network/spread-sim.js';
import { CloutError } from '../domain/index.js';
import type { Conn } from '../store/index.js';
import { loadGraph, type GraphSource } from './network.js';
import { postRows, purchaseRows, repostRows, type AdoptionRow, type PostRow } from '../store/spread.js';
import { formatInt } from '../report/index.js';

export type { CascadeMeasures, ExposurePoint };

/** Adoptions with what could not be used. */
export interface SpreadInput {
  adoptions: Adoptions;
  notes: string[];
}

/** Which adoptions to read. */
export type SpreadItemKind = 'posts' | 'purchases';

/** Maps rows onto graph indices: posts become items rooted at their authors, with their adoptions. */
export function adoptionsFromRows(g: Graph, posts: readonly PostRow[] | null, adoptions: readonly AdoptionRow[]): SpreadInput {
  const notes: string[] = [];
  const items = new Map<string, AdoptionItemInput & { nodes: number[]; times: number[] }>();
  let noAuthor = 0, unknownActor = 0, unknownItem = 0;
  if (posts !== null) {
    for (const p of posts) {
      const root = g.index.get(p.author_id);
      if (root === undefined) { noAuthor++; continue; }
      items.set(p.id, { id: p.id, start: p.at, root, nodes: [], times: [] });
    }
  }
  for (const r of adoptions) {
    let it = items.get(r.item_id);
    if (it === undefined) {
      if (posts !== null) { unknownItem++; continue; }
      it = { id: r.item_id, nodes: [], times: [] };
      items.set(r.item_id, it);
    }
    const v = g.index.get(r.actor_id);
    if (v === undefined) { unknownActor++; continue; }
    it.nodes.push(v);
    it.times.push(r.at);
  }
  const a = buildAdoptions([...items.values()], g.n);
  if (noAuthor > 0) notes.push(`${formatInt(noAuthor)} posts by authors outside the follow graph were left out`);
  if (unknownItem > 0) notes.push(`${formatInt(unknownItem)} adoptions of posts that are not in the store (or whose author is outside the graph) were left out`);
  if (unknownActor > 0) notes.push(`${formatInt(unknownActor)} adoptions by accounts outside the follow graph were left out`);
  if (a.dropped > 0) notes.push(`${formatInt(a.dropped)} repeated adoptions, self-reposts or adoptions before their post were dropped`);
  return { adoptions: a, notes };
}

/** Reads the adoption items of one kind from the store onto the graph `g` (edges follower → followee). */
export async function storeAdoptions(conn: Conn, g: Graph, kind: SpreadItemKind = 'posts'): Promise<SpreadInput> {
  if (kind === 'purchases') return adoptionsFromRows(g, null, await purchaseRows(conn));
  return adoptionsFromRows(g, await postRows(conn), await repostRows(conn));
}

/** Methods that learn edge probabilities from cascades. */
export const PROBABILITY_METHODS = ['em', 'bernoulli', 'jaccard'] as const;
const SEED = z.number().int().min(0).max(2 ** 32 - 1).default(1).describe('seed of the random choices');

/** Options of `network cascades`. */
export const CASCADES_OPTIONS = z
  .object({ post: z.string().optional().describe('only the cascade of this post') })
  .strict();
export type CascadesOptions = z.output<typeof CASCADES_OPTIONS>;

/** Options of `network contagion`. */
export const CONTAGION_OPTIONS = z
  .object({
    item: z.enum(['posts', 'purchases']).default('posts').describe('posts: adopting = reposting or quoting; purchases: sales by customers who are accounts, per link bought'),
    shuffles: z.number().int().min(0).max(100_000).default(200).describe('time shuffles of the shuffle test'),
    seed: SEED,
    period_hours: z.number().min(1 / 3600).max(24 * 365).default(1).describe('length of a period of the social-correlation tests, in hours'),
    min_exposed: z.number().int().min(1).max(1e9).default(10).describe('fewest exposed accounts for a point of the exposure curve'),
    max_k: z.number().int().min(1).max(10_000).default(50).describe('largest number of exposures k on the curve'),
  })
  .strict();
export type ContagionOptions = z.output<typeof CONTAGION_OPTIONS>;

/** Options of `network probabilities`. */
export const PROBABILITIES_OPTIONS = z
  .object({
    method: z.enum(PROBABILITY_METHODS).default('em').describe('how probabilities are learned (EM for the independent cascade, or Bernoulli/Jaccard credit)'),
    window_hours: z.number().min(0).max(1e7).optional().describe('hours after an adoption in which a follower adopting counts as influenced (default: no limit)'),
    min_trials: z.number().int().min(1).max(1e9).default(1).describe('only edges with at least this many trials'),
    seed: SEED,
  })
  .strict();
export type ProbabilitiesOptions = z.output<typeof PROBABILITIES_OPTIONS>;

/** Options of `network plan`. */
export const PLAN_OPTIONS = z
  .object({
    k: z.number().int().min(1).max(1_000_000).describe('how many accounts to ask'),
    eps: z.number().min(1e-3).max(0.999).default(0.5).describe("IMM's approximation ε"),
    ell: z.number().min(1e-3).max(100).default(1).describe("IMM's confidence ℓ (failure probability n^-ℓ)"),
    model: z.enum(['ic', 'lt']).default('ic').describe('diffusion model: independent cascade or linear threshold'),
    probabilities: z.enum(['learned', 'weighted-cascade']).default('weighted-cascade').describe("edge probabilities: learned from the store's reposts, or 1/indegree"),
    method: z.enum(PROBABILITY_METHODS).default('em').describe('how learned probabilities are learned (with --probabilities learned)'),
    mc: z.number().int().min(1).max(10_000_000).default(10_000).describe('Monte-Carlo runs of the check'),
    spread_sets: z
      .string()
      .default('auto')
      .refine((s) => s === 'auto' || (/^\d+$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 1_000_000_000), 'must be auto or a whole number from 1 to 1,000,000,000')
      .describe('fresh RR sets that re-estimate the spread (auto: enough for half the Monte-Carlo standard error)'),
    seed: SEED,
  })
  .strict();
export type PlanOptions = z.output<typeof PLAN_OPTIONS>;

/** The follow graph (follower → followee) and the adoptions of one kind, both from the store. */
async function loadSpread(conn: Conn, kind: SpreadItemKind): Promise<{ graph: Graph; input: SpreadInput }> {
  const graph = await loadGraph({ conn }, 'follows');
  return { graph, input: await storeAdoptions(conn, graph, kind) };
}

/** The `network cascades --json` document: every cascade, largest first. */
export interface CascadesDoc {
  posts: number;
  notes: string[];
  cascades: CascadeMeasures[];
}

/** Repost trees per post (size, depth, breadth, structural virality), largest first; one post's with `post`. */
export async function cascades(conn: Conn, options: CascadesOptions): Promise<CascadesDoc> {
  const post = options.post;
  const { graph, input } = await loadSpread(conn, 'posts');
  let found = measureCascades(input.adoptions, graph);
  if (post !== undefined) {
    found = found.filter((c) => c.post_id === post);
    if (found.length === 0) throw new CloutError('input', `--post ${post}: no such post (or its author is outside the follow graph)`);
  }
  found.sort((a, b) => b.size - a.size || (a.post_id < b.post_id ? -1 : a.post_id > b.post_id ? 1 : 0));
  return { posts: found.length, notes: input.notes, cascades: found };
}

/** Exposure curve p(k) and the shuffle and edge-reversal tests (influence vs homophily) on posts or purchases. */
export async function contagion(conn: Conn, options: ContagionOptions) {
  const { item, shuffles, seed } = options;
  const periodHours = options.period_hours;
  const { graph, input } = await loadSpread(conn, item);
  const a = input.adoptions;
  if (a.nodes.length === 0 && a.root.every((r) => r < 0)) throw new CloutError('input', `contagion: no ${item === 'posts' ? 'posts with reposts' : 'purchases by accounts'} in the store`);
  const curve = exposureCurve(a, graph, { minExposed: options.min_exposed, maxK: options.max_k });
  const tests = socialCorrelationTests(a, graph, { periodMs: periodHours * 3_600_000, shuffles, seed });
  return {
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
}

/** The `network contagion --json` document. */
export type ContagionDoc = Awaited<ReturnType<typeof contagion>>;

/** One influence edge with its learned probability. */
export interface ProbabilityEdge {
  source: string;
  target: string;
  p: number;
  trials: number;
}

/** Edge influence probabilities learned from the store's cascades: every edge with enough trials, most tried first. */
export async function edgeProbabilities(conn: Conn, options: ProbabilitiesOptions) {
  const { method, seed } = options;
  const windowHours = options.window_hours ?? null;
  const minTrials = options.min_trials;
  const { graph, input } = await loadSpread(conn, 'posts');
  const r = learnProbabilities(input.adoptions, graph, { method, seed, window: windowHours === null ? undefined : windowHours * 3_600_000 });
  // Influence edge e (follows in-edge): source = the followee u whose in-list holds e, target = the follower.
  const edges: ProbabilityEdge[] = [];
  for (let u = 0; u < graph.n; u++) {
    for (let e = graph.inOffsets[u]!; e < graph.inOffsets[u + 1]!; e++) {
      if (r.trials[e]! < minTrials) continue;
      edges.push({ source: graph.ids[u]!, target: graph.ids[graph.inSources[e]!]!, p: r.p[e]!, trials: r.trials[e]! });
    }
  }
  edges.sort((x, y) => y.trials - x.trials || y.p - x.p);
  return { method, window_hours: windowHours, min_trials: minTrials, iterations: r.iterations, converged: r.converged, edges_with_trials: edges.length, notes: input.notes, edges };
}

/** The `network probabilities --json` document. */
export type ProbabilitiesDoc = Awaited<ReturnType<typeof edgeProbabilities>>;

/** Whom to ask: k IMM seed accounts on the follow graph (or an edge list), with fresh-RR and Monte-Carlo estimates. */
export async function plan(source: GraphSource, options: PlanOptions) {
  const { k, eps, ell, model, method, mc, seed } = options;
  const probabilitySource = options.probabilities;
  const fixedSets = options.spread_sets === 'auto' ? null : Number(options.spread_sets);
  if (probabilitySource === 'learned' && !('conn' in source)) throw new CloutError('usage', 'learned probabilities come from the store\'s reposts; drop --edges or use --probabilities weighted-cascade');
  const follows = await loadGraph(source, 'follows');
  const g = reverseGraph(follows);
  let probabilities: Float64Array | undefined;
  const notes: string[] = [];
  if (probabilitySource === 'learned' && 'conn' in source) {
    const input = await storeAdoptions(source.conn, follows, 'posts');
    notes.push(...input.notes);
    const learned = learnProbabilities(input.adoptions, follows, { method, seed });
    if (!learned.converged) notes.push(`EM stopped after ${learned.iterations} iterations before reaching its tolerance`);
    probabilities = learned.p;
  }
  if (model === 'lt' && probabilitySource === 'weighted-cascade') notes.push('LT weights: 1/indegree (every edge weight normalised per node)');
  const r = imm(g, { k, eps, ell, model, probabilities, seed });
  const check = simulateSpread(g, r.seeds, { model, probabilities, runs: mc, seed: seed + 1 });
  // IMM's estimate on its own selection sets leans high (the seeds were chosen to cover them); re-estimate on fresh
  // RR sets — by default enough that its standard error is half the Monte-Carlo one (100k to 20M sets).
  const f = Math.min(1 - 1e-9, Math.max(1e-9, r.spread / g.n));
  const mcVar = Math.max(check.sd * check.sd, 1e-9) / check.runs;
  const spreadSets = fixedSets ?? Math.round(Math.min(20_000_000, Math.max(100_000, (4 * g.n * g.n * f * (1 - f)) / mcVar)));
  const est = rrSpread(g, r.seeds, { model, probabilities, sets: spreadSets, seed: seed + 2 });
  const seeds = [...r.seeds].map((v) => g.ids[v]!);
  return {
    k: seeds.length, eps, ell, model, probabilities: probabilitySource, ...(probabilitySource === 'learned' ? { method } : {}),
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
}

/** The `network plan --json` document. */
export type PlanDoc = Awaited<ReturnType<typeof plan>>;
