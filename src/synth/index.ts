/**
 * The synthetic world generator: a world modelled on the story (DESIGN.md §1) with its truth planted, written as
 * interchange-format files (one per kind) plus truth.json. Same seed and size → byte-identical files.
 * Stages: accounts → follow graph → post schedule → records → cascades → clicks → baseline → sales → donations →
 * metrics → shout-outs and sign-ups → truth. Each stage draws from its own sub-stream of one seeded Rng.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CloutError, KINDS, Rng, type Kind, MS_PER_DAY } from '../domain/index.js';
import { makeAccounts, type Accounts } from './accounts.js';
import { writeCampaign, writeDonations } from './campaign.js';
import { runCascades, type CelebrityTouch } from './cascades.js';
import { ClickWriter, organicClicks } from './clicks.js';
import { ConversionRecorder, writeCodes, writeSales } from './conversions.js';
import { makeGraph, type FollowerGraph } from './graph.js';
import { makeBaseline, makeCharity, writeMetrics } from './metrics.js';
import { resolveParams, SIZES, type ParamOverrides, type Size, type WorldParams } from './params.js';
import { makePosts, TOPIC, type Posts } from './posts.js';
import { writeAccounts, writeFollows, writePostsAndLinks } from './records.js';
import { writeShoutouts } from './shoutouts.js';
import { writeTruth } from './truth.js';
import { Sink, Table, type WorldFormat } from './writers.js';

export { DEFAULTS, SIZE_OVERRIDES, SIZES, FRAMINGS, resolveParams, type Size, type WorldParams } from './params.js';
export type { WorldFormat } from './writers.js';

/** Options of generateWorld. */
export interface GenerateOptions {
  seed: number;
  size: Size;
  out: string;
  format?: WorldFormat;
  gzip?: boolean;
  /** Overrides of the size's parameters (unknown keys are rejected). */
  params?: ParamOverrides;
  /** Called with the name of each stage as it starts (for progress output). */
  onStage?: (stage: string) => void;
}

/** What generateWorld wrote. */
export interface GenerateResult {
  files: { kind: Kind; path: string; rows: number }[];
  truthPath: string;
  seconds: number;
}

/** Generates a synthetic world into `out` and returns the files written with their row counts. */
export async function generateWorld(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const { seed, size, out } = opts;
  const format = opts.format ?? 'csv';
  const gzip = opts.gzip ?? false;
  if (!Number.isSafeInteger(seed)) throw new CloutError('bad_option', `generate: seed must be an integer, got ${seed}`);
  if (!(SIZES as readonly string[]).includes(size)) throw new CloutError('bad_option', `generate: unknown size '${size}'; use one of ${SIZES.join(', ')}`);
  if (format !== 'csv' && format !== 'ndjson') throw new CloutError('bad_option', `generate: unknown format '${String(format)}'; use csv or ndjson`);
  const p = resolveParams(size, opts.params);
  const stage = opts.onStage ?? (() => {});
  const startMs = Date.parse(p.start);
  const endMs = startMs + p.days * MS_PER_DAY;

  const root = new Rng(seed);
  const rng = {
    accounts: root.fork(),
    graph: root.fork(),
    posts: root.fork(),
    accountRows: root.fork(),
    followRows: root.fork(),
    postRows: root.fork(),
    cascades: root.fork(),
    clicks: root.fork(),
    baseline: root.fork(),
    sales: root.fork(),
    donations: root.fork(),
    charity: root.fork(),
    shoutouts: root.fork(),
  };

  stage('accounts');
  const acc = makeAccounts(p, rng.accounts);
  stage('graph');
  const graph = makeGraph(p, acc, rng.graph);
  stage('posts');
  const posts = makePosts(p, acc, rng.posts);

  await mkdir(out, { recursive: true });
  const ext = `.${format}${gzip ? '.gz' : ''}`;
  const tables = {} as Record<Kind, Table>;
  for (const kind of KINDS) tables[kind] = new Table(kind, format, new Sink(join(out, kind + ext), gzip));

  let events: Awaited<ReturnType<typeof writeEvents>>;
  try {
    events = await writeEvents(p, acc, graph, posts, rng, tables, stage, startMs, endMs);
    for (const kind of KINDS) await tables[kind].sink.close();
  } catch (e) {
    for (const kind of KINDS) tables[kind].sink.abort();
    throw e;
  }
  const { cascades, organic, clickWriter, base, sales, campaign, charity, shoutouts } = events;
  const files = KINDS.map((kind) => ({ kind, path: tables[kind].sink.path, rows: tables[kind].rows }));

  stage('truth');
  let bookPosts = 0;
  for (let i = 0; i < posts.n; i++) if (posts.topic[i] === TOPIC.book) bookPosts++;
  const summary = {
    rows: Object.fromEntries(files.map((f) => [f.kind, f.rows])),
    authors: acc.authors.length,
    book_posts: bookPosts,
    links: posts.links,
    follow_edges: graph.edges,
    cascades,
    clicks: {
      organic_human: organic.human,
      bots: organic.bots,
      buyers_and_donors: clickWriter.human - organic.human,
    },
  };
  const truthPath = join(out, `truth.json${gzip ? '.gz' : ''}`);
  const truthSink = new Sink(truthPath, gzip);
  try {
    await writeTruth({ seed, size, params: p, startMs, acc, graph, posts, base, sales, campaign, charity, shoutouts, summary }, truthSink);
    await truthSink.close();
  } catch (e) {
    truthSink.abort();
    throw e;
  }
  return { files, truthPath, seconds: (performance.now() - t0) / 1000 };
}

/** Writes every record file (the stages after the post schedule) and returns what truth.json needs. */
async function writeEvents(
  p: WorldParams,
  acc: Accounts,
  graph: FollowerGraph,
  posts: Posts,
  rng: Record<'accountRows' | 'followRows' | 'postRows' | 'cascades' | 'clicks' | 'baseline' | 'sales' | 'donations' | 'charity' | 'shoutouts', Rng>,
  tables: Record<Kind, Table>,
  stage: (name: string) => void,
  startMs: number,
  endMs: number,
) {
  stage('records');
  await writeAccounts(p, acc, graph, rng.accountRows, tables.accounts, startMs);
  await writeCampaign(p, tables.campaigns, startMs);
  await writeFollows(p, graph, rng.followRows, tables.follows, startMs);
  await writePostsAndLinks(p, posts, rng.postRows, tables.posts, tables.links);
  stage('cascades');
  const celebrityTouches: CelebrityTouch[] = [];
  const cascades = await runCascades(p, acc, graph, posts, rng.cascades, tables.interactions, endMs, celebrityTouches);
  stage('clicks');
  const clickWriter = new ClickWriter(tables.clicks, rng.clicks);
  const humanClicks = await organicClicks(p, acc, posts, rng.clicks, clickWriter, endMs);
  const organic = { human: clickWriter.human, bots: clickWriter.bots };
  stage('sales');
  const base = makeBaseline(p, rng.baseline, startMs);
  if (p.sales.codeShare > 0 || p.sales.couponShare > 0) await writeCodes(acc, tables.codes);
  const conv = new ConversionRecorder(tables.conversions);
  const sales = await writeSales(p, acc, posts, base, humanClicks, rng.sales, clickWriter, conv, startMs);
  stage('donations');
  const donatedPerDay = new Float64Array(p.days);
  const campaign = await writeDonations(p, acc, posts, rng.donations, clickWriter, conv, startMs, donatedPerDay);
  stage('metrics');
  const charity = makeCharity(p, rng.charity, donatedPerDay);
  campaign.charity_baseline_total = charity.baselineTotal;
  await writeMetrics(p, base, sales.salesPerDay, charity, tables.metrics, startMs);
  stage('shoutouts');
  const written = cascades.reposts + cascades.quotes + cascades.likes + cascades.replies + cascades.mentions;
  const shoutouts = await writeShoutouts(p, acc, posts, celebrityTouches, written, rng.shoutouts, tables.interactions, conv, startMs, endMs);
  return { cascades, organic, clickWriter, base, sales, campaign, charity, shoutouts };
}
