/**
 * Store queries for experiments: the visitors of a link with variants (for `clout ab`) and per-post click and
 * conversion counts (for `clout framing`, where posts of different framings are the arms). Human clicks are clicks
 * that are neither bots nor previews; a conversion belongs to the click whose id it carries.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { FramingScope } from '../domain/index.js';
import type { Conn } from './db.js';
import { LINK_OWNER, queryRows } from './queries.js';

const HUMAN = `NOT coalesce(is_bot, false) AND NOT coalesce(is_preview, false)`;

/** A tracked link found by key or id, with its configured variant labels (a variant's label defaults to its index). */
export interface ExperimentLink {
  id: string;
  key: string | null;
  post_id: string | null;
  author_id: string | null;
  /** Labels of the configured variants in order; empty when the link has none. */
  variants: string[];
  /** Their allocation weights, in the same order. */
  weights: number[];
  /** Labels carried by the link's clicks that the configuration does not name (variants changed over time). */
  other_labels: string[];
  deleted: boolean;
}

/** The link whose key (preferring a live link) or else id is `keyOrId`; undefined when there is none. */
export async function findExperimentLink(conn: Conn, keyOrId: string): Promise<ExperimentLink | undefined> {
  const rows = await queryRows(
    conn,
    `SELECT l.id, l.key, l.post_id, l.author_id, s.variants, (s.deleted_at IS NOT NULL) AS deleted
     FROM links l LEFT JOIN server_links s ON s.link_id = l.id
     WHERE l.key = ? OR l.id = ?
     ORDER BY (l.key = ?) DESC, (s.deleted_at IS NULL) DESC, l.created_at DESC NULLS LAST
     LIMIT 1`,
    [keyOrId, keyOrId, keyOrId],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  const parsed = r.variants === null || r.variants === undefined ? [] : (JSON.parse(String(r.variants)) as { label?: string; weight: number }[]);
  const variants = parsed.map((v, i) => v.label ?? String(i));
  const weights = parsed.map((v) => Number(v.weight));
  const seen = await queryRows(
    conn,
    `SELECT variant, min("at") AS first FROM clicks WHERE link_id = ? AND variant IS NOT NULL
     GROUP BY variant ORDER BY first, variant`,
    [String(r.id)],
  );
  const known = new Set(variants);
  return {
    id: String(r.id),
    key: r.key === null ? null : String(r.key),
    post_id: r.post_id === null ? null : String(r.post_id),
    author_id: r.author_id === null ? null : String(r.author_id),
    variants,
    weights,
    other_labels: seen.map((s) => String(s.variant)).filter((v) => !known.has(v)),
    deleted: Boolean(r.deleted),
  };
}

/** One visitor of an experiment: the variant seen, when, and how many conversions (of the asked types) followed. */
export interface ExperimentVisitorRow {
  variant: string;
  /** First human click of the visitor in that variant, epoch ms. */
  at: number;
  conversions: number;
}

/**
 * The visitors of a link in arrival order: unique human clicks per variant, a visitor being (visitor id, UTC hour)
 * as in the API's unique clicks (a click without a visitor id is its own visitor); conversions are those whose
 * click id is one of the visitor's clicks, of the given types (all types when empty). Clicks without a variant
 * label are left out.
 */
export async function experimentVisitors(conn: Conn, linkId: string, types: readonly string[]): Promise<ExperimentVisitorRow[]> {
  const params: DuckDBValue[] = [linkId, ...types];
  const typeFilter = types.length > 0 ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
  const rows = await queryRows(
    conn,
    `WITH human AS (
       SELECT id, "at", variant, coalesce(visitor_id, 'click:' || id) AS visitor, date_trunc('hour', "at") AS hour
       FROM clicks WHERE link_id = ? AND variant IS NOT NULL AND ${HUMAN}),
     conv AS (
       SELECT click_id, count(*) AS n FROM conversions
       WHERE click_id IN (SELECT id FROM human) ${typeFilter} GROUP BY click_id)
     SELECT h.variant, epoch_ms(min(h."at"))::DOUBLE AS "at", coalesce(sum(c.n), 0)::INTEGER AS conversions
     FROM human h LEFT JOIN conv c ON c.click_id = h.id
     GROUP BY h.variant, h.visitor, h.hour
     ORDER BY "at", min(h.id)`,
    params,
  );
  return rows as unknown as ExperimentVisitorRow[];
}


const SCOPE_SQL: Record<FramingScope, string> = {
  outside_campaigns: 'coalesce(p.campaign_id, lc.campaign_id) IS NULL',
  in_campaigns: 'coalesce(p.campaign_id, lc.campaign_id) IS NOT NULL',
  all: 'true',
};

/** A post that owns a tracked link, with its human clicks, the conversions those clicks carry, and its audience. */
export interface FramingPostRow {
  id: string;
  author_id: string;
  text: string | null;
  /** Human clicks on the post's links. */
  clicks: number;
  /** Human clicks that no conversion (of any type) carries: the post's own pull, not buyers passing through. */
  organic_clicks: number;
  /** Conversions of the asked types whose click id is one of those clicks. */
  conversions: number;
  /** The author's followers (reported, else the follow graph's in-degree). */
  followers: number;
  /** Followers of the accounts that reposted or quoted the post: the audience it reached through others. */
  shared_reach: number;
}

/**
 * Every post that owns a tracked link (within `scope`), with its click counts, click-attributed conversions of the
 * given types (all when empty), its author's followers and the followers it reached through reposts, in time order.
 */
export async function framingPostCounts(conn: Conn, types: readonly string[], scope: FramingScope = 'all'): Promise<FramingPostRow[]> {
  const typeFilter = types.length > 0 ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER},
     human AS (SELECT id, link_id FROM clicks WHERE ${HUMAN}),
     conv AS (SELECT click_id, count(*) AS n FROM conversions WHERE click_id IS NOT NULL ${typeFilter} GROUP BY click_id),
     carried AS (SELECT DISTINCT click_id FROM conversions WHERE click_id IS NOT NULL),
     per_post AS (
       SELECT lo.post_id, count(h.id) AS clicks, count(h.id) FILTER (WHERE ca.click_id IS NULL) AS organic_clicks,
              coalesce(sum(c.n), 0) AS conversions
       FROM link_owner lo
       LEFT JOIN human h ON h.link_id = lo.link_id
       LEFT JOIN conv c ON c.click_id = h.id
       LEFT JOIN carried ca ON ca.click_id = h.id
       WHERE lo.post_id IS NOT NULL
       GROUP BY lo.post_id),
     in_degree AS (SELECT followee_id AS id, count(*) AS n FROM follows GROUP BY followee_id),
     followers AS (
       SELECT a.id, coalesce(a.followers, d.n, 0)::DOUBLE AS n FROM accounts a LEFT JOIN in_degree d ON d.id = a.id),
     reshared AS (
       SELECT i.post_id, sum(coalesce(f.n, 0)) AS n
       FROM (SELECT DISTINCT post_id, actor_id FROM interactions WHERE type IN ('repost', 'quote')) i
       LEFT JOIN followers f ON f.id = i.actor_id
       GROUP BY i.post_id)
     SELECT p.id, p.author_id, p.text, pp.clicks::INTEGER AS clicks, pp.organic_clicks::INTEGER AS organic_clicks,
            pp.conversions::INTEGER AS conversions,
            coalesce(fa.n, da.n, 0)::DOUBLE AS followers, coalesce(r.n, 0)::DOUBLE AS shared_reach
     FROM per_post pp JOIN posts p ON p.id = pp.post_id
     LEFT JOIN links lc ON lc.id = p.link_id
     LEFT JOIN followers fa ON fa.id = p.author_id
     LEFT JOIN in_degree da ON da.id = p.author_id
     LEFT JOIN reshared r ON r.post_id = p.id
     WHERE ${SCOPE_SQL[scope]}
     ORDER BY p.created_at, p.id`,
    [...types],
  );
  return rows as unknown as FramingPostRow[];
}
