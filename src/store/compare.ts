/**
 * Store queries for `clout compare --shoutout-by`: who an account shouted out (reposted, quoted or mentioned) and
 * when, the accounts that posted and when they first did, and each unit's activity before a date and its outcome in a
 * window after it. Plain rows out; the app assembles the comparison.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Conn } from './db.js';
import { creditedConversions, displayHandleSql, LINK_OWNER, queryRows } from './queries.js';

/** An account found by id or handle. */
export interface AccountRef {
  id: string;
  handle: string | null;
}

/**
 * The account whose id is `key`, else the one whose handle is `key` (case-insensitive, with or without a leading
 * `@`); an account only mentioned (never imported) is found by id among interactions. Null when none.
 */
export async function findAccount(conn: Conn, key: string): Promise<AccountRef | null> {
  const rows = await queryRows(
    conn,
    `SELECT id, ${displayHandleSql('a')} AS handle, CASE WHEN id = ? THEN 0 ELSE 1 END AS rank FROM accounts a
     WHERE id = ? OR lower(ltrim(trim(handle), '@')) = lower(ltrim(trim(?), '@'))
     UNION ALL
     SELECT DISTINCT actor_id, NULL, 2 FROM interactions WHERE actor_id = ?
     ORDER BY rank, id LIMIT 1`,
    [key, key, key, key],
  );
  const row = rows[0];
  return row === undefined ? null : { id: String(row.id), handle: row.handle === null ? null : String(row.handle) };
}

/** One account shouted out: the first time and how many times. */
export interface ShoutoutRow {
  account_id: string;
  first_at: number;
  shoutouts: number;
}

/**
 * Accounts `actor` shouted out — the author of a post it reposted or quoted, the account it mentioned (a mention
 * without a target names the post's author) — with the first time and the count; the actor itself left out.
 */
export async function shoutoutRows(conn: Conn, actor: string): Promise<ShoutoutRow[]> {
  const rows = await queryRows(
    conn,
    `SELECT target AS account_id, epoch_ms(min(created_at))::DOUBLE AS first_at, count(*)::INTEGER AS shoutouts FROM (
       SELECT CASE WHEN i.type = 'mention' THEN coalesce(i.target_id, p.author_id) ELSE coalesce(p.author_id, i.target_id) END AS target,
              i.created_at
       FROM interactions i LEFT JOIN posts p ON p.id = i.post_id
       WHERE i.actor_id = ? AND i.type IN ('repost', 'quote', 'mention'))
     WHERE target IS NOT NULL AND target <> ?
     GROUP BY target ORDER BY target`,
    [actor, actor],
  );
  return rows as unknown as ShoutoutRow[];
}

/** An account that posted: its first post's time. */
export interface PosterRow {
  account_id: string;
  first_post_at: number;
}

/** Every account with a post, and when it first posted, in id order. */
export async function posterRows(conn: Conn): Promise<PosterRow[]> {
  const rows = await queryRows(
    conn,
    `SELECT author_id AS account_id, epoch_ms(min(created_at))::DOUBLE AS first_post_at
     FROM posts WHERE author_id IS NOT NULL GROUP BY author_id ORDER BY author_id`,
  );
  return rows as unknown as PosterRow[];
}

/** The time of the latest event in the store (post, interaction, click, conversion, follow), epoch ms; null when empty. */
export async function lastEventAt(conn: Conn): Promise<number | null> {
  const rows = await queryRows(
    conn,
    `SELECT epoch_ms(max(t))::DOUBLE AS t FROM (
       SELECT max(created_at) AS t FROM posts UNION ALL SELECT max(created_at) FROM interactions
       UNION ALL SELECT max("at") FROM clicks UNION ALL SELECT max("at") FROM conversions UNION ALL SELECT max(since) FROM follows)`,
  );
  const t = rows[0]?.t;
  return t === null || t === undefined ? null : Number(t);
}

/** Follow records, and how many of them carry a `since` date. */
export async function followSinceCounts(conn: Conn): Promise<{ follows: number; with_since: number }> {
  const rows = await queryRows(conn, 'SELECT count(*)::INTEGER AS follows, count(since)::INTEGER AS with_since FROM follows');
  return { follows: Number(rows[0]?.follows ?? 0), with_since: Number(rows[0]?.with_since ?? 0) };
}

/** A unit of the comparison: an account and its (pseudo) shout-out date. */
export interface UnitDate {
  account_id: string;
  at: number;
}

/** One unit's activity strictly before its date and its outcome in [date, date + window). */
export interface UnitMeasureRow {
  account_id: string;
  /** Reported followers (null when the account has none) and follows known to start on or after the date. */
  reported_followers: number | null;
  follows_from_date: number;
  /** Follows that started before the date or carry no date (the follow graph's count when nothing is reported). */
  follows_before: number;
  posts_before: number;
  conversions_before: number;
  /** Interactions of any type aimed at the account (its posts' reposts, quotes, replies, likes; mentions of it). */
  interactions_before: number;
  /** Conversions credited in the window, or follows gained in it (outcome 'followers'). */
  outcome: number;
}

/**
 * Activity before each unit's date and its outcome in the window after: conversions credited to it by the store's
 * last-touch rules (of `types`; all when empty), or follows it gained (by `since`). Nothing at or after a unit's
 * date enters its covariates. Rows in the order of `units`.
 */
export async function unitMeasures(
  conn: Conn,
  units: readonly UnitDate[],
  windowMs: number,
  outcome: 'conversions' | 'followers',
  types: readonly string[],
): Promise<UnitMeasureRow[]> {
  if (units.length === 0) return [];
  const credited = creditedConversions({ types });
  const outcomeSql =
    outcome === 'conversions'
      ? `(SELECT count(*) FROM credited c WHERE c.account_id = u.id AND c."at" >= u.t AND c."at" < u.t + to_milliseconds(?::BIGINT))`
      : `(SELECT count(*) FROM follows f WHERE f.followee_id = u.id AND f.since >= u.t AND f.since < u.t + to_milliseconds(?::BIGINT))`;
  const params: DuckDBValue[] = [
    ...credited.params,
    listValue(units.map((u) => u.account_id)),
    listValue(units.map((u) => u.at)),
    windowMs,
  ];
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql},
     u AS (SELECT k - 1 AS ord, ids[k] AS id, make_timestamp(ats[k]::BIGINT * 1000) AS t
           FROM (SELECT ?::VARCHAR[] AS ids, ?::BIGINT[] AS ats), range(1, len(ids) + 1) r(k)),
     received AS (
       SELECT CASE WHEN i.type = 'mention' THEN coalesce(i.target_id, p.author_id) ELSE coalesce(p.author_id, i.target_id) END AS id,
              i.created_at
       FROM interactions i LEFT JOIN posts p ON p.id = i.post_id
       WHERE i.type IN ('repost', 'quote', 'reply', 'like', 'mention'))
     SELECT u.id AS account_id,
            a.followers::DOUBLE AS reported_followers,
            (SELECT count(*) FROM follows f WHERE f.followee_id = u.id AND f.since >= u.t)::DOUBLE AS follows_from_date,
            (SELECT count(*) FROM follows f WHERE f.followee_id = u.id AND (f.since IS NULL OR f.since < u.t))::DOUBLE AS follows_before,
            (SELECT count(*) FROM posts p WHERE p.author_id = u.id AND p.created_at < u.t)::DOUBLE AS posts_before,
            (SELECT count(*) FROM credited c WHERE c.account_id = u.id AND c."at" < u.t)::DOUBLE AS conversions_before,
            (SELECT count(*) FROM received r WHERE r.id = u.id AND r.created_at < u.t)::DOUBLE AS interactions_before,
            ${outcomeSql}::DOUBLE AS outcome
     FROM u LEFT JOIN accounts a ON a.id = u.id
     ORDER BY u.ord`,
    params,
  );
  return rows as unknown as UnitMeasureRow[];
}
