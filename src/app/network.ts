/**
 * Use cases `network metrics` and `network tribes`, and the network engine's input: a Graph streamed from the store
 * (follows, interactions or both, see store/network.ts) or read from a researcher's edge list (ingest/edge-list.ts),
 * plus the per-account counts, outcomes and repeat engagers that the measures and tribes use.
 */
import { z } from 'zod';
import {
  GraphBuilder,
  INTERACTION_WEIGHTS,
  LEIDEN_DEFAULTS,
  PAGERANK_DEFAULTS,
  accountMeasures,
  findTribes,
  type AccountMeasures,
  type AccountOutcome,
  type Graph,
  type ReceivedCounts,
  type TribesResult,
} from '../analysis/network/index.js';
import { CloutError } from '../domain/index.js';
import { readEdgeList } from '../ingest/edge-list.js';
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

export type { AccountMeasures };

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

/** Account id → handle of a graph source (none for an edge list). */
export async function sourceHandles(source: GraphSource): Promise<Map<string, string>> {
  return 'conn' in source ? storeHandles(source.conn) : new Map();
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

/** Which graph a network use case reads from the store. */
export type NetworkGraphKind = NetworkKind;

/** Where a network use case's graph comes from: an open store, or a researcher's source,target[,weight] CSV. */
export type GraphSource = { conn: Conn } | { edgesFile: string };

/**
 * The graph a network use case works on: the edge list (source → target), else the store's follow graph
 * (follower → followee) or interaction graph (actor → author / mentioned account, weighted by type).
 */
export async function loadGraph(source: GraphSource, kind: NetworkGraphKind): Promise<Graph> {
  return 'edgesFile' in source ? readEdgeList(source.edgesFile) : storeGraph(source.conn, kind);
}

/** A network document with the account handles its tables name accounts by (empty for an edge list). */
export interface NetworkResult<D> {
  document: D;
  handles: Map<string, string>;
}

/** The `network metrics --json` document (every account, by PageRank). */
export interface NetworkMetricsDoc {
  source: 'edges' | 'store';
  nodes: number;
  edges: number;
  pagerank: { alpha: number; tol: number; iterations: number; converged: boolean };
  accounts: AccountMeasures[];
}

/** Account measures (followers, PageRank, core, engagement) on the follow graph or the edge list. */
export async function networkMetrics(source: GraphSource, options: NetworkMetricsOptions): Promise<NetworkResult<NetworkMetricsDoc>> {
  let graph: Graph;
  let counts = new Map<string, ReceivedCounts>();
  let handles = new Map<string, string>();
  if ('edgesFile' in source) graph = readEdgeList(source.edgesFile);
  else [graph, counts, handles] = [await storeGraph(source.conn, 'follows'), await storeReceivedCounts(source.conn), await storeHandles(source.conn)];
  const tol = options.tol;
  const result = accountMeasures(graph, counts, { pagerank: { tol, maxIter: tol < PAGERANK_DEFAULTS.tol ? 1000 : PAGERANK_DEFAULTS.maxIter } });
  const document: NetworkMetricsDoc = {
    source: 'edgesFile' in source ? 'edges' : 'store',
    nodes: graph.n,
    edges: graph.m,
    pagerank: { alpha: PAGERANK_DEFAULTS.alpha, tol, ...result.pagerank },
    accounts: result.accounts,
  };
  return { document, handles };
}

/** The JSON document of `network tribes`. */
function tribesDoc(result: TribesResult, graph: Graph, meta: Record<string, unknown>, accountIds: string[]) {
  const byId = new Map(result.accounts.map((a) => [a.id, a]));
  const accounts = accountIds.map((id) => {
    const ix = graph.index.get(id);
    if (ix === undefined) throw new CloutError('input', `--account ${id}: no such account in the graph`);
    return byId.get(id) ?? { id, tribe: null, community: result.membership[ix]!, repeat_engagers: 0, repeat_engagers_in_tribe: 0 };
  });
  return {
    ...meta,
    nodes: graph.n,
    edges: graph.m,
    modularity: result.modularity,
    count: result.count,
    iterations: result.iterations,
    communities: result.communities,
    ...(accountIds.length > 0 ? { accounts } : {}),
  };
}

/** The `network tribes --json` document. */
export type NetworkTribesDoc = ReturnType<typeof tribesDoc>;

/** Leiden tribes of the social, interaction or follow graph (or the edge list), with the outcomes they carry. */
export async function networkTribes(source: GraphSource, options: NetworkTribesOptions): Promise<NetworkResult<NetworkTribesDoc> & { withOutcomes: boolean }> {
  const { graph: kind, resolution, seed } = options;
  const minSize = options.min_size;
  const maxIterations = options.max_iterations;
  let handles = new Map<string, string>();
  let graph: Graph;
  let posts: Map<string, number> | undefined;
  let outcomes: Map<string, AccountOutcome> | undefined;
  let repeat: { engager: string; account: string }[] = [];
  if ('edgesFile' in source) graph = readEdgeList(source.edgesFile);
  else {
    const conn = source.conn;
    graph = await storeGraph(conn, kind);
    repeat = await storeRepeatEngagers(conn);
    handles = await storeHandles(conn);
    if (await storeHasConversions(conn)) {
      outcomes = await storeOutcomes(conn);
      posts = new Map([...(await storeReceivedCounts(conn))].map(([id, c]) => [id, c.posts]));
    }
  }
  const result = findTribes(graph, { resolution, seed, minSize, maxIterations }, { posts, outcomes, repeatEngagers: repeat });
  const meta = { source: 'edgesFile' in source ? 'edges' : 'store', resolution, seed, min_size: minSize, max_iterations: maxIterations };
  const accountIds = options.account.map((a) => idOfHandle(a, handles));
  return { document: tribesDoc(result, graph, meta, accountIds), handles, withOutcomes: outcomes !== undefined };
}
