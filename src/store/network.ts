/**
 * Network reads of the store: the node ids of a graph (densely numbered by SQL), its edges streamed in batches of
 * typed arrays (so a 10M-edge graph never exists as JS objects), and per-account counts for the measures.
 * Follows: follower → followee. Interactions: actor → the post's author (repost, quote, reply, like) or the
 * mentioned account (mention), weighted by type with the weights the caller passes; views are ignored; self-edges
 * are dropped; repeated pairs arrive summed.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Conn } from './db.js';
import { displayHandleSql, queryRows } from './queries.js';

/**
 * Which graph to read: follows, interactions, or the social graph — both together, a follow weighing 1 (as a like)
 * and interactions their weights, so who listens to whom and how strongly they engage add up.
 */
export type NetworkKind = 'follows' | 'interactions' | 'social';

/** Weight of one follow in the social graph. */
export const FOLLOW_WEIGHT = 1;

/** Interaction types that make edges, with their weights (views are never edges). */
export type InteractionWeights = Readonly<Record<'repost' | 'quote' | 'reply' | 'like' | 'mention', number>>;

/** One batch of edges over dense node indices (aligned arrays; weight null for follows). */
export interface EdgeBatch {
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array | null;
}

const NODES = 'clout_network_nodes';

/** SQL of the interaction edges (src, dst, type) with the target resolved. */
const INTERACTION_EDGES = `
  SELECT i.actor_id AS src,
         CASE WHEN i.type = 'mention' THEN coalesce(i.target_id, p.author_id) ELSE coalesce(p.author_id, i.target_id) END AS dst,
         i.type AS type
  FROM interactions i LEFT JOIN posts p ON p.id = i.post_id
  WHERE i.type IN ('repost', 'quote', 'reply', 'like', 'mention')`;

function endpointsSql(kind: NetworkKind): string {
  const follows = 'SELECT follower_id AS id FROM follows UNION SELECT followee_id FROM follows';
  const interactions = `SELECT src AS id FROM e UNION SELECT dst FROM e WHERE dst IS NOT NULL`;
  if (kind === 'follows') return `SELECT id FROM accounts UNION ${follows}`;
  if (kind === 'interactions') return `WITH e AS (${INTERACTION_EDGES}) SELECT id FROM accounts UNION ${interactions}`;
  return `WITH e AS (${INTERACTION_EDGES}) SELECT id FROM accounts UNION ${follows} UNION ${interactions}`;
}

/**
 * Numbers the graph's nodes (every account plus every edge endpoint, ordered by id) in a temporary table and returns
 * the ids in index order. Call before networkEdgeBatches, which joins on that table.
 */
export async function networkNodeIds(conn: Conn, kind: NetworkKind): Promise<string[]> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${NODES} AS
     SELECT id, (row_number() OVER (ORDER BY id) - 1)::INTEGER AS ix FROM (${endpointsSql(kind)}) WHERE id IS NOT NULL`,
  );
  const ids: string[] = [];
  const result = await conn.stream(`SELECT id FROM ${NODES} ORDER BY ix`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    for (const v of chunk.getColumnValues(0)) ids.push(String(v));
  }
  return ids;
}

/** Streams the edges of the graph numbered by networkNodeIds, one DuckDB chunk (≤ 2048 rows) per batch. */
export async function* networkEdgeBatches(conn: Conn, kind: NetworkKind, weights: InteractionWeights): AsyncGenerator<EdgeBatch> {
  let sql: string;
  let params: DuckDBValue[] = [];
  if (kind === 'follows') {
    sql = `SELECT s.ix, t.ix FROM follows f JOIN ${NODES} s ON s.id = f.follower_id JOIN ${NODES} t ON t.id = f.followee_id
           WHERE f.follower_id <> f.followee_id`;
  } else {
    params = [weights.repost, weights.quote, weights.reply, weights.like, weights.mention];
    const weighted = `SELECT e.src, e.dst, CASE e.type WHEN 'repost' THEN ?::DOUBLE WHEN 'quote' THEN ?::DOUBLE WHEN 'reply' THEN ?::DOUBLE
                                                 WHEN 'like' THEN ?::DOUBLE ELSE ?::DOUBLE END AS w FROM e`;
    const all = kind === 'social' ? `${weighted} UNION ALL SELECT follower_id, followee_id, ${FOLLOW_WEIGHT}::DOUBLE FROM follows` : weighted;
    sql = `WITH e AS (${INTERACTION_EDGES}), a AS (${all})
           SELECT s.ix, t.ix, sum(a.w)::DOUBLE AS w
           FROM a JOIN ${NODES} s ON s.id = a.src JOIN ${NODES} t ON t.id = a.dst
           WHERE a.src <> a.dst GROUP BY s.ix, t.ix`;
  }
  const result = await conn.stream(sql, params);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const source = Int32Array.from(chunk.getColumnValues(0) as number[]);
    const target = Int32Array.from(chunk.getColumnValues(1) as number[]);
    const weight = kind === 'follows' ? null : Float64Array.from(chunk.getColumnValues(2) as number[]);
    yield { source, target, weight };
  }
}

/** Drops the temporary node table. */
export async function dropNetworkNodes(conn: Conn): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS ${NODES}`);
}

/** Per-account counts for the measures: reported followers/following, posts, interactions received by type. */
export interface AccountNetworkCounts {
  id: string;
  reported_followers: number | null;
  reported_following: number | null;
  posts: number;
  reposts: number;
  quotes: number;
  replies: number;
  likes: number;
  mentions: number;
}

/**
 * SQL (CTEs `post_received`, `counters`): per author, the reposts, quotes, replies and likes that the platform's
 * counters on its posts show (format v1.1: likes, reposts, replies, quotes), counted only for the posts and types
 * that have no interaction records in the store — so an export with counters but no engagement lists still has
 * engagement, and nothing is counted twice. A repost's counters belong to the post it reposts and are left out.
 */
const POST_COUNTERS = `
     post_received AS (SELECT post_id,
                count(*) FILTER (WHERE type = 'repost') AS reposts, count(*) FILTER (WHERE type = 'quote') AS quotes,
                count(*) FILTER (WHERE type = 'reply') AS replies, count(*) FILTER (WHERE type = 'like') AS likes
              FROM interactions WHERE post_id IS NOT NULL GROUP BY post_id),
     counters AS (SELECT p.author_id AS id,
                sum(CASE WHEN coalesce(pr.reposts, 0) = 0 THEN coalesce(p.reposts, 0) ELSE 0 END) AS reposts,
                sum(CASE WHEN coalesce(pr.quotes, 0) = 0 THEN coalesce(p.quotes, 0) ELSE 0 END) AS quotes,
                sum(CASE WHEN coalesce(pr.replies, 0) = 0 THEN coalesce(p.replies, 0) ELSE 0 END) AS replies,
                sum(CASE WHEN coalesce(pr.likes, 0) = 0 THEN coalesce(p.likes, 0) ELSE 0 END) AS likes
              FROM posts p LEFT JOIN post_received pr ON pr.post_id = p.id
              WHERE coalesce(p.kind, 'original') <> 'repost' GROUP BY p.author_id)`;

/**
 * Counts per account (every account in `accounts` or with a post or received interaction): interactions received,
 * plus the platform's counters on posts without interaction records of that type (POST_COUNTERS).
 */
export async function accountNetworkCounts(conn: Conn): Promise<AccountNetworkCounts[]> {
  const rows = await queryRows(
    conn,
    `WITH e AS (${INTERACTION_EDGES}),
     recv AS (SELECT dst AS id,
                count(*) FILTER (WHERE type = 'repost')::INTEGER AS reposts,
                count(*) FILTER (WHERE type = 'quote')::INTEGER AS quotes,
                count(*) FILTER (WHERE type = 'reply')::INTEGER AS replies,
                count(*) FILTER (WHERE type = 'like')::INTEGER AS likes,
                count(*) FILTER (WHERE type = 'mention')::INTEGER AS mentions
              FROM e WHERE dst IS NOT NULL AND dst <> src GROUP BY dst),
     pc AS (SELECT author_id AS id, count(*)::INTEGER AS posts FROM posts GROUP BY author_id),
     ${POST_COUNTERS},
     ids AS (SELECT id FROM accounts UNION SELECT id FROM pc UNION SELECT id FROM recv)
     SELECT ids.id, a.followers::DOUBLE AS reported_followers, a.following::DOUBLE AS reported_following,
            coalesce(pc.posts, 0) AS posts,
            (coalesce(r.reposts, 0) + coalesce(k.reposts, 0))::INTEGER AS reposts,
            (coalesce(r.quotes, 0) + coalesce(k.quotes, 0))::INTEGER AS quotes,
            (coalesce(r.replies, 0) + coalesce(k.replies, 0))::INTEGER AS replies,
            (coalesce(r.likes, 0) + coalesce(k.likes, 0))::INTEGER AS likes, coalesce(r.mentions, 0) AS mentions
     FROM ids LEFT JOIN accounts a ON a.id = ids.id LEFT JOIN pc ON pc.id = ids.id LEFT JOIN recv r ON r.id = ids.id
     LEFT JOIN counters k ON k.id = ids.id
     ORDER BY ids.id`,
  );
  return rows as unknown as AccountNetworkCounts[];
}

/** Pairs (engager → account) with at least `min` interactions (views excluded), for "the tribe of an account". */
export async function repeatEngagerPairs(conn: Conn, min = 2): Promise<{ engager: string; account: string; count: number }[]> {
  const rows = await queryRows(
    conn,
    `WITH e AS (${INTERACTION_EDGES})
     SELECT src AS engager, dst AS account, count(*)::INTEGER AS count FROM e
     WHERE dst IS NOT NULL AND src <> dst GROUP BY src, dst HAVING count(*) >= ? ORDER BY account, engager`,
    [min],
  );
  return rows as unknown as { engager: string; account: string; count: number }[];
}

/** Whether the store holds any conversion. */
export async function hasConversions(conn: Conn): Promise<boolean> {
  const rows = await conn.runAndReadAll('SELECT count(*) > 0 AS any FROM conversions');
  return rows.getRowObjectsJS()[0]?.any === true;
}

/** Account id → handle, for accounts that have one (terminal tables show `@handle`). */
export async function accountHandles(conn: Conn): Promise<Map<string, string>> {
  const rows = await conn.runAndReadAll(`SELECT id, ${displayHandleSql('a')} AS handle FROM accounts a WHERE ${displayHandleSql('a')} IS NOT NULL`);
  return new Map(rows.getRowObjectsJS().map((r) => [String(r.id), String(r.handle)]));
}
