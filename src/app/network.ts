/**
 * The network engine's input from the store: a Graph streamed from it (follows, interactions or both, see
 * store/network.ts), plus the per-account counts, outcomes and repeat engagers that the measures and tribes use.
 * (A researcher's edge list is read by ingest/edge-list.ts.)
 */
import { z } from 'zod';
import { GraphBuilder, INTERACTION_WEIGHTS, LEIDEN_DEFAULTS, PAGERANK_DEFAULTS, type AccountOutcome, type Graph, type ReceivedCounts } from '../analysis/network/index.js';
import { accountCredit, type Conn } from '../store/index.js';
import {
  accountNetworkCounts,
  dropNetworkNodes,
  networkEdgeBatches,
  networkNodeIds,
  hasConversions,
  repeatEngagerPairs,
  accountHandles,
  type NetworkKind,
} from '../store/network.js';

/** Builds the follow graph (follower → followee) or the weighted interaction graph from the store, streaming edges. */
export async function storeGraph(conn: Conn, kind: NetworkKind): Promise<Graph> {
  const b = new GraphBuilder();
  try {
    for (const id of await networkNodeIds(conn, kind)) b.node(id);
    for await (const batch of networkEdgeBatches(conn, kind, INTERACTION_WEIGHTS)) b.edgesByIndex(batch.source, batch.target, batch.weight);
  } finally {
    await dropNetworkNodes(conn);
  }
  return b.build();
}

/** Received counts per account (reported followers, posts, reposts/quotes/replies/likes/mentions received). */
export async function storeReceivedCounts(conn: Conn): Promise<Map<string, ReceivedCounts>> {
  const out = new Map<string, ReceivedCounts>();
  for (const r of await accountNetworkCounts(conn)) out.set(r.id, r);
  return out;
}

/** Conversions and value credited to each account by the store's last-touch rule (queries.ts accountCredit). */
export async function storeOutcomes(conn: Conn): Promise<Map<string, AccountOutcome>> {
  const out = new Map<string, AccountOutcome>();
  for (const r of await accountCredit(conn)) {
    let o = out.get(r.account_id);
    if (o === undefined) out.set(r.account_id, (o = { conversions: 0, value_minor: {} }));
    o.conversions += r.conversions;
    if (r.currency !== null && r.value_minor > 0) o.value_minor[r.currency] = (o.value_minor[r.currency] ?? 0) + r.value_minor;
  }
  return out;
}

/** Engager → account pairs with at least two interactions. */
export async function storeRepeatEngagers(conn: Conn): Promise<{ engager: string; account: string }[]> {
  return repeatEngagerPairs(conn, 2);
}

/** Whether the store holds any conversion. */
export async function storeHasConversions(conn: Conn): Promise<boolean> {
  return hasConversions(conn);
}


/** Options of `network metrics`: one schema for the CLI's flags (and any other door). */
export const NETWORK_METRICS_OPTIONS = z
  .object({
    tol: z.number().gt(0).default(PAGERANK_DEFAULTS.tol).describe('PageRank tolerance per node, checked as networkx does (L1 change < n·tol)'),
  })
  .strict();
export type NetworkMetricsOptions = z.output<typeof NETWORK_METRICS_OPTIONS>;

/** Which graph the tribes are found in. */
export const TRIBE_GRAPHS = ['social', 'interactions', 'follows'] as const;

/** Options of `network tribes`. */
export const NETWORK_TRIBES_OPTIONS = z
  .object({
    graph: z.enum(TRIBE_GRAPHS).default('social').describe('social (follows weigh 1, interactions their weights), interactions, or follows'),
    resolution: z.number().gt(0).default(1).describe('Leiden resolution (higher: smaller communities)'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe('seed of Leiden'),
    min_size: z.number().int().min(1).max(1e9).default(2).describe('smallest community listed'),
    max_iterations: z.number().int().min(1).max(10_000).default(LEIDEN_DEFAULTS.maxIterations).describe('whole Leiden iterations at most (stops earlier once one no longer improves)'),
    account: z.array(z.string().min(1)).default([]).describe('also give the tribe of these accounts (the community holding most of their repeat engagers)'),
  })
  .strict();
export type NetworkTribesOptions = z.output<typeof NETWORK_TRIBES_OPTIONS>;

/** Account id → handle (accounts with one). */
export async function storeHandles(conn: Conn): Promise<Map<string, string>> {
  return accountHandles(conn);
}

/** The account id a command-line name means: `@handle` (or a bare handle) looked up, else the id as given. */
export function idOfHandle(name: string, handles: ReadonlyMap<string, string>): string {
  const bare = name.startsWith('@') ? name.slice(1) : name;
  if (handles.has(name)) return name;
  for (const [id, h] of handles) if (h === name || h === bare || h === `@${bare}`) return id;
  return name;
}

/** How a table names an account: `@handle` when it has one, else its id. */
export function accountLabel(id: string, handles: ReadonlyMap<string, string>): string {
  const h = handles.get(id);
  if (h === undefined || h === '') return id;
  return h.startsWith('@') ? h : `@${h}`;
}
