/**
 * `clout network metrics` and `clout network tribes`: account measures on the follow graph, and Leiden tribes of the
 * interaction graph. Both read the store (`--db`) or a researcher's edge list (`--edges FILE`, source,target[,weight]).
 * `loadNetworkGraph` is the shared loader the other `network` commands reuse.
 */
import { CloutError } from '../../domain/index.js';
import {
  accountMeasures,
  findTribes,
  LEIDEN_DEFAULTS,
  PAGERANK_DEFAULTS,
  type AccountMeasures,
  type AccountOutcome,
  type Graph,
  type ReceivedCounts,
  type TribesResult,
} from '../../analysis/network/index.js';
import { resolveDbPath, type Store } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import { readEdgeList } from '../../ingest/edge-list.js';
import {
  storeGraph,
  storeHasConversions,
  storeOutcomes,
  storeReceivedCounts,
  storeRepeatEngagers,
} from '../../app/network.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { z } from 'zod';
import { NETWORK_METRICS_OPTIONS, NETWORK_TRIBES_OPTIONS, accountLabel, idOfHandle, storeHandles } from '../../app/network.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, topFlag, type CommandIO } from '../command.js';

/** Which graph a network command reads from the store. */
export type NetworkGraphKind = 'follows' | 'interactions' | 'social';

/** Opens the store named by --db / CLOUT_DB (which must exist), runs fn, closes it. */
function withStore<T>(source: GraphSource, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  return withExistingStore(resolveDbPath(source.db, io.env), fn, 'give --edges FILE');
}

/** Where a network command's graph comes from: the store (--db) or an edge list (--edges). */
export interface GraphSource {
  db?: string | undefined;
  edges?: string | undefined;
}

/** The edge-list path of --edges, refusing --db beside it. */
function edgesFlag(source: GraphSource): string | undefined {
  const edges = source.edges;
  if (edges !== undefined && source.db !== undefined) throw new CloutError('usage', 'give either --db or --edges, not both');
  return edges;
}

/**
 * The graph a `network` command works on: `--edges FILE` (source,target[,weight] CSV), else the store's follow
 * graph (follower → followee) or interaction graph (actor → author / mentioned account, weighted by type).
 */
export async function loadNetworkGraph(values: GraphSource, io: CommandIO, kind: NetworkGraphKind): Promise<Graph> {
  const edges = edgesFlag(values);
  if (edges !== undefined) return readEdgeList(edges);
  return withStore(values, io, (store) => storeGraph(store.conn, kind));
}

/** Flags of the network commands that read the store or an edge list. */
const SOURCE_FLAGS = {
  ...DB_FLAG,
  edges: z.string().optional().describe('a source,target[,weight] CSV edge list instead of the store'),
  ...JSON_FLAG,
};

/** PageRank as printed: 4 significant digits, scaled by a power of ten shown in the header. */
function pagerankScale(values: number[]): { exp: number; cell: (x: number) => string } {
  const max = Math.max(0, ...values);
  const exp = max > 0 ? Math.floor(Math.log10(max)) : 0;
  return { exp, cell: (x) => (x === 0 ? '0' : formatFixed(x / 10 ** exp, 3)) };
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const sup = (n: number): string => [...String(n)].map((c) => SUPERSCRIPT[c] ?? c).join('');

/** A rate as a percentage with 3 significant digits ('–' when null). */
function percent(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  return `${(x * 100).toPrecision(3)}%`;
}

/** The `clout network metrics` command. */
export const networkMetricsCommand = defineCommand({
  name: 'network metrics',
  summary: 'Followers, following, PageRank, core number and engagement per account (reach, not outcomes)',
  options: NETWORK_METRICS_OPTIONS,
  flags: z
    .object({
      ...SOURCE_FLAGS,
      top: z.number().int().min(1).max(1e9).optional().describe('accounts shown, by PageRank (default 20 in the table; all in --json unless given)'),
    })
    .strict(),
  notes: ['--edges FILE is read as follower → followee'],
  example: 'clout network metrics --top 10',
  async run({ options, flags }, io) {
    const json = flags.json;
    const top = flags.top ?? (json ? Infinity : 20);
    const edges = edgesFlag(flags);
    let graph: Graph;
    let counts = new Map<string, ReceivedCounts>();
    let handles = new Map<string, string>();
    if (edges !== undefined) graph = readEdgeList(edges);
    else {
      [graph, counts, handles] = await withStore(flags, io, async (store) => [await storeGraph(store.conn, 'follows'), await storeReceivedCounts(store.conn), await storeHandles(store.conn)] as const);
    }
    const tol = options.tol;
    const result = accountMeasures(graph, counts, { pagerank: { tol, maxIter: tol < PAGERANK_DEFAULTS.tol ? 1000 : PAGERANK_DEFAULTS.maxIter } });
    const accounts = result.accounts.slice(0, top);
    if (json) {
      io.stdout(JSON.stringify({
        source: edges !== undefined ? 'edges' : 'store',
        nodes: graph.n,
        edges: graph.m,
        pagerank: { alpha: PAGERANK_DEFAULTS.alpha, tol, ...result.pagerank },
        accounts,
      }, null, 2) + '\n');
      return EXIT.OK;
    }
    const pr = pagerankScale(accounts.map((a) => a.pagerank));
    const name = (id: string): string => accountLabel(id, handles);
    let text = `${formatInt(graph.n)} accounts, ${formatInt(graph.m)} follow edges; PageRank ${result.pagerank.converged ? 'converged' : 'did NOT converge'} in ${result.pagerank.iterations} iterations\n\n`;
    text += renderTable<AccountMeasures>(accounts, [
      { header: '#', cell: (a) => String(a.pagerank_rank), align: 'right' },
      { header: 'account', cell: (a) => name(a.id) },
      { header: pr.exp === 0 ? 'pagerank' : `pagerank ×10${sup(pr.exp)}`, cell: (a) => pr.cell(a.pagerank), align: 'right' },
      { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
      { header: 'reported', cell: (a) => (a.reported_followers === null ? '–' : formatInt(a.reported_followers)), align: 'right' },
      { header: 'following', cell: (a) => formatInt(a.following), align: 'right' },
      { header: 'core', cell: (a) => String(a.core), align: 'right' },
      { header: 'posts', cell: (a) => formatInt(a.posts), align: 'right' },
      { header: 'reposts/post', cell: (a) => formatFixed(a.reposts_per_post, 2), align: 'right' },
      { header: 'replies/post', cell: (a) => formatFixed(a.replies_per_post, 2), align: 'right' },
      { header: 'mentions/post', cell: (a) => formatFixed(a.mentions_per_post, 2), align: 'right' },
      { header: 'engagement', cell: (a) => percent(a.engagement_rate), align: 'right' },
    ]);
    io.stdout(text);
    return EXIT.OK;
  },
});

/** The JSON document of `clout network tribes`. */
function tribesJson(result: TribesResult, graph: Graph, meta: Record<string, unknown>, accountIds: string[]) {
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

/** The `clout network tribes` command. */
export const networkTribesCommand = defineCommand({
  name: 'network tribes',
  summary: 'Tribes: Leiden communities of the social graph (follows + interactions), with core members and the outcomes they carry',
  options: NETWORK_TRIBES_OPTIONS,
  flags: z.object({ ...SOURCE_FLAGS, ...topFlag(10, 1e9) }).strict(),
  notes: ['--edges FILE is read as an interaction graph (taken as undirected); --top counts communities in the table (--json lists all of size ≥ --min-size)'],
  example: 'clout network tribes --resolution 1.5 --account @ana,@bo',
  async run({ options, flags }, io) {
    const json = flags.json;
    const { graph: kind, resolution, seed, top } = { ...options, top: flags.top };
    const minSize = options.min_size;
    const maxIterations = options.max_iterations;
    let handles = new Map<string, string>();
    const edges = edgesFlag(flags);
    let graph: Graph;
    let posts: Map<string, number> | undefined;
    let outcomes: Map<string, AccountOutcome> | undefined;
    let repeat: { engager: string; account: string }[] = [];
    if (edges !== undefined) graph = readEdgeList(edges);
    else {
      await withStore(flags, io, async (store) => {
        graph = await storeGraph(store.conn, kind);
        repeat = await storeRepeatEngagers(store.conn);
        handles = await storeHandles(store.conn);
        if (await storeHasConversions(store.conn)) {
          outcomes = await storeOutcomes(store.conn);
          posts = new Map([...(await storeReceivedCounts(store.conn))].map(([id, c]) => [id, c.posts]));
        }
      });
    }
    const result = findTribes(graph!, { resolution, seed, minSize, maxIterations }, { posts, outcomes, repeatEngagers: repeat });
    const meta = { source: edges !== undefined ? 'edges' : 'store', resolution, seed, min_size: minSize, max_iterations: maxIterations };
    const accountIds = options.account.map((a) => idOfHandle(a, handles));
    const doc = tribesJson(result, graph!, meta, accountIds);
    const name = (id: string): string => accountLabel(id, handles);
    if (json) {
      io.stdout(JSON.stringify(doc, null, 2) + '\n');
      return EXIT.OK;
    }
    const g = graph!;
    let text = `${formatInt(g.n)} accounts, ${formatInt(g.m)} interaction edges; ${formatInt(result.count)} communities ` +
      `(${formatInt(result.communities.length)} of size ≥ ${minSize}), modularity ${result.modularity.toFixed(4)} at resolution ${resolution}\n\n`;
    const shown = result.communities.slice(0, top);
    const withOutcomes = outcomes !== undefined;
    text += renderTable(shown, [
      { header: 'tribe', cell: (t) => String(t.id), align: 'right' },
      { header: 'size', cell: (t) => formatInt(t.size), align: 'right' },
      { header: 'density', cell: (t) => formatFixed(t.internal_density, 4), align: 'right' },
      { header: 'core members', cell: (t) => t.core_members.slice(0, 3).map(name).join(', ') + (t.core_members.length > 3 ? ` +${t.core_members.length - 3}` : '') },
      ...(withOutcomes
        ? [
            { header: 'conversions', cell: (t: (typeof shown)[number]) => formatInt(t.conversions ?? 0), align: 'right' as const },
            { header: 'per post', cell: (t: (typeof shown)[number]) => formatFixed(t.conversion_rate ?? null, 3), align: 'right' as const },
            { header: 'value', cell: (t: (typeof shown)[number]) => Object.entries(t.value ?? {}).map(([c, v]) => `${formatFixed(v, 2)} ${c}`).join(', ') || '–' },
          ]
        : []),
    ]);
    if (accountIds.length > 0) {
      text += '\n';
      for (const a of (doc.accounts ?? [])) {
        text += a.tribe === null
          ? `${name(a.id)}: no repeat engagers; its own community is ${a.community}\n`
          : `${name(a.id)}: tribe ${a.tribe} (${a.repeat_engagers_in_tribe} of ${a.repeat_engagers} repeat engagers); its own community is ${a.community}\n`;
      }
    }
    io.stdout(text);
    return EXIT.OK;
  },
});
