/**
 * The spread engine's input, built at the edge: the follow graph and the adoption items (posts and their reposts, or
 * products and their buyers) from the store, mapped onto the graph's dense indices. Accounts that are not nodes of
 * the graph cannot be placed; they are counted in the notes.
 */
import { z } from 'zod';
import { buildAdoptions, type AdoptionItemInput, type Adoptions } from '../analysis/network/adoptions.js';
import type { Graph } from '../analysis/network/graph.js';
import type { Conn } from '../store/index.js';
import { postRows, purchaseRows, repostRows, type AdoptionRow, type PostRow } from '../store/spread.js';
import { formatInt } from '../report/index.js';

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
