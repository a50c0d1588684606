/**
 * `clout network metrics` and `clout network tribes`: account measures on the follow graph, and Leiden tribes of the
 * interaction graph. Both read the store (`--db`) or a researcher's edge list (`--edges FILE`, source,target[,weight]).
 * `withGraphSource` turns the flags into the app's graph source; the other `network` commands reuse it.
 */
import { CloutError } from '../../domain/index.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { formatFixed, formatInt, renderTable } from '../../report/table.js';
import { z } from 'zod';
import {
  NETWORK_METRICS_OPTIONS,
  NETWORK_TRIBES_OPTIONS,
  accountLabel,
  networkMetrics,
  networkTribes,
  type AccountMeasures,
  type GraphSource,
} from '../../app/network.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, topFlag, type CommandIO } from '../command.js';

/** The --db and --edges flags of a network command. */
export interface GraphFlags {
  db?: string | undefined;
  edges?: string | undefined;
}

/**
 * Runs `fn` on the graph source the flags name: `--edges FILE` (refusing --db beside it), else the store named by
 * --db / CLOUT_DB, which must exist, opened for the call and closed after.
 */
export async function withGraphSource<T>(flags: GraphFlags, io: CommandIO, fn: (source: GraphSource) => Promise<T>): Promise<T> {
  const edges = flags.edges;
  if (edges !== undefined && flags.db !== undefined) throw new CloutError('usage', 'give either --db or --edges, not both');
  if (edges !== undefined) return fn({ edgesFile: edges });
  return withExistingStore(resolveDbPath(flags.db, io.env), (store) => fn({ conn: store.conn }), 'give --edges FILE');
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
    const { document: doc, handles } = await withGraphSource(flags, io, (source) => networkMetrics(source, options));
    const accounts = doc.accounts.slice(0, top);
    if (json) {
      io.stdout(JSON.stringify({ ...doc, accounts }, null, 2) + '\n');
      return EXIT.OK;
    }
    const pr = pagerankScale(accounts.map((a) => a.pagerank));
    const name = (id: string): string => accountLabel(id, handles);
    let text = `${formatInt(doc.nodes)} accounts, ${formatInt(doc.edges)} follow edges; PageRank ${doc.pagerank.converged ? 'converged' : 'did NOT converge'} in ${doc.pagerank.iterations} iterations\n\n`;
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
    const { resolution, top } = { ...options, top: flags.top };
    const minSize = options.min_size;
    const { document: doc, handles, withOutcomes } = await withGraphSource(flags, io, (source) => networkTribes(source, options));
    const name = (id: string): string => accountLabel(id, handles);
    if (json) {
      io.stdout(JSON.stringify(doc, null, 2) + '\n');
      return EXIT.OK;
    }
    let text = `${formatInt(doc.nodes)} accounts, ${formatInt(doc.edges)} interaction edges; ${formatInt(doc.count)} communities ` +
      `(${formatInt(doc.communities.length)} of size ≥ ${minSize}), modularity ${doc.modularity.toFixed(4)} at resolution ${resolution}\n\n`;
    const shown = doc.communities.slice(0, top);
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
    if (doc.accounts !== undefined) {
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
