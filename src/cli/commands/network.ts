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
import type { Command, CommandIO, ParsedValues } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, listFlag, stringFlag } from '../options.js';

/** Which graph a network command reads from the store. */
export type NetworkGraphKind = 'follows' | 'interactions' | 'social';

/** Opens the store named by --db / CLOUT_DB (which must exist), runs fn, closes it. */
function withStore<T>(values: ParsedValues, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  return withExistingStore(resolveDbPath(stringFlag(values, 'db'), io.env), fn, 'give --edges FILE');
}

/** The edge-list path of --edges, refusing --db beside it. */
function edgesFlag(values: ParsedValues): string | undefined {
  const edges = stringFlag(values, 'edges');
  if (edges !== undefined && values.db !== undefined) throw new CloutError('usage', 'give either --db or --edges, not both');
  return edges;
}

/**
 * The graph a `network` command works on: `--edges FILE` (source,target[,weight] CSV), else the store's follow
 * graph (follower → followee) or interaction graph (actor → author / mentioned account, weighted by type).
 */
export async function loadNetworkGraph(values: ParsedValues, io: CommandIO, kind: NetworkGraphKind): Promise<Graph> {
  const edges = edgesFlag(values);
  if (edges !== undefined) return readEdgeList(edges);
  return withStore(values, io, (store) => storeGraph(store.conn, kind));
}

const SOURCE_OPTIONS = { db: { type: 'string' }, edges: { type: 'string' }, json: { type: 'boolean' } } as const;

function numberFlag(values: ParsedValues, name: string, fallback: number): number {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new CloutError('usage', `--${name} must be a number, got '${text}'`);
  return v;
}

function sci(x: number): string {
  return x === 0 ? '0' : x.toExponential(3);
}

/** The `clout network metrics` command. */
export const networkMetricsCommand: Command = {
  name: 'network metrics',
  summary: 'Followers, following, PageRank, core number and engagement per account (reach, not outcomes)',
  usage:
    'clout network metrics [--db PATH | --edges FILE] [--top N] [--tol 1e-6] [--json]\n' +
    '  --edges FILE  source,target[,weight] CSV read as follower → followee\n' +
    '  --top N       accounts shown, by PageRank (default 20 in the table; all in --json unless given)\n' +
    '  --tol X       PageRank tolerance per node, checked as networkx does (L1 change < n·X; default 1e-6)',
  options: { ...SOURCE_OPTIONS, top: { type: 'string' }, tol: { type: 'string' } },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    const top = values.top === undefined ? (json ? Infinity : 20) : intFlag(values, 'top', 20, 1, 1e9);
    const edges = edgesFlag(values);
    let graph: Graph;
    let counts = new Map<string, ReceivedCounts>();
    if (edges !== undefined) graph = readEdgeList(edges);
    else {
      [graph, counts] = await withStore(values, io, async (store) => [await storeGraph(store.conn, 'follows'), await storeReceivedCounts(store.conn)] as const);
    }
    const tol = numberFlag(values, 'tol', PAGERANK_DEFAULTS.tol);
    if (!(tol > 0)) throw new CloutError('usage', `--tol must be > 0, got ${tol}`);
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
    let text = `${formatInt(graph.n)} accounts, ${formatInt(graph.m)} follow edges; PageRank ${result.pagerank.converged ? 'converged' : 'did NOT converge'} in ${result.pagerank.iterations} iterations\n\n`;
    text += renderTable<AccountMeasures>(accounts, [
      { header: '#', cell: (a) => String(a.pagerank_rank), align: 'right' },
      { header: 'account', cell: (a) => a.id },
      { header: 'pagerank', cell: (a) => sci(a.pagerank), align: 'right' },
      { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
      { header: 'reported', cell: (a) => (a.reported_followers === null ? '–' : formatInt(a.reported_followers)), align: 'right' },
      { header: 'following', cell: (a) => formatInt(a.following), align: 'right' },
      { header: 'core', cell: (a) => String(a.core), align: 'right' },
      { header: 'posts', cell: (a) => formatInt(a.posts), align: 'right' },
      { header: 'reposts/post', cell: (a) => formatFixed(a.reposts_per_post, 2), align: 'right' },
      { header: 'replies/post', cell: (a) => formatFixed(a.replies_per_post, 2), align: 'right' },
      { header: 'mentions/post', cell: (a) => formatFixed(a.mentions_per_post, 2), align: 'right' },
      { header: 'engagement', cell: (a) => (a.engagement_rate === null ? '–' : sci(a.engagement_rate)), align: 'right' },
    ]);
    io.stdout(text);
    return EXIT.OK;
  },
};

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
export const networkTribesCommand: Command = {
  name: 'network tribes',
  summary: 'Tribes: Leiden communities of the social graph (follows + interactions), with core members and the outcomes they carry',
  usage:
    'clout network tribes [--db PATH [--graph social|interactions|follows] | --edges FILE] [--resolution 1] [--seed 1] [--min-size 2] [--max-iterations 20]\n' +
    '                     [--account ID,...] [--top N] [--json]\n' +
    '  --max-iterations N  whole Leiden iterations at most; it stops earlier once an iteration no longer improves\n' +
    '  --graph G        social (default: follows weigh 1, interactions their weights), interactions, or follows\n' +
    '  --edges FILE     source,target[,weight] CSV read as an interaction graph (taken as undirected)\n' +
    '  --account IDs    also give the tribe of these accounts (the community holding most of their repeat engagers)\n' +
    '  --top N          communities shown in the table (default 10; --json lists all of size ≥ --min-size)',
  options: {
    ...SOURCE_OPTIONS,
    resolution: { type: 'string' },
    seed: { type: 'string' },
    'min-size': { type: 'string' },
    'max-iterations': { type: 'string' },
    account: { type: 'string' },
    top: { type: 'string' },
    graph: { type: 'string' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const json = boolFlag(values, 'json');
    const kind = choiceFlag(values, 'graph', ['social', 'interactions', 'follows'] as const, 'social');
    const resolution = numberFlag(values, 'resolution', 1);
    if (!(resolution > 0)) throw new CloutError('usage', `--resolution must be > 0, got ${resolution}`);
    const seed = intFlag(values, 'seed', 1, 0, 2 ** 32 - 1);
    const minSize = intFlag(values, 'min-size', 2, 1, 1e9);
    const maxIterations = intFlag(values, 'max-iterations', LEIDEN_DEFAULTS.maxIterations, 1, 10_000);
    const top = intFlag(values, 'top', 10, 1, 1e9);
    const accountIds = listFlag(values, 'account');
    const edges = edgesFlag(values);
    let graph: Graph;
    let posts: Map<string, number> | undefined;
    let outcomes: Map<string, AccountOutcome> | undefined;
    let repeat: { engager: string; account: string }[] = [];
    if (edges !== undefined) graph = readEdgeList(edges);
    else {
      await withStore(values, io, async (store) => {
        graph = await storeGraph(store.conn, kind);
        repeat = await storeRepeatEngagers(store.conn);
        if (await storeHasConversions(store.conn)) {
          outcomes = await storeOutcomes(store.conn);
          posts = new Map([...(await storeReceivedCounts(store.conn))].map(([id, c]) => [id, c.posts]));
        }
      });
    }
    const result = findTribes(graph!, { resolution, seed, minSize, maxIterations }, { posts, outcomes, repeatEngagers: repeat });
    const meta = { source: edges !== undefined ? 'edges' : 'store', resolution, seed, min_size: minSize, max_iterations: maxIterations };
    const doc = tribesJson(result, graph!, meta, accountIds);
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
      { header: 'core members', cell: (t) => t.core_members.slice(0, 3).join(', ') + (t.core_members.length > 3 ? ` +${t.core_members.length - 3}` : '') },
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
          ? `${a.id}: no repeat engagers; its own community is ${a.community}\n`
          : `${a.id}: tribe ${a.tribe} (${a.repeat_engagers_in_tribe} of ${a.repeat_engagers} repeat engagers); its own community is ${a.community}\n`;
      }
    }
    io.stdout(text);
    return EXIT.OK;
  },
};
