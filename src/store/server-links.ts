/**
 * SQL of tracked links. A link lives in the interchange `links` table (so `clout report` credits it) plus a
 * `server_links` row with what only the server needs (variants, click-id parameter, updated/deleted times).
 * Deleting a link is soft: its redirect stops, its history (clicks, conversions, report credit) stays.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** A weighted destination of a link. */
export interface LinkVariant {
  url: string;
  weight: number;
  label?: string | undefined;
}

/** A link as stored. Times are epoch ms. */
export interface LinkRow {
  id: string;
  key: string | null;
  url: string;
  post_id: string | null;
  campaign_id: string | null;
  author_id: string | null;
  variants: LinkVariant[] | null;
  /** The click-id parameter; null = no click id appended; undefined = the server default (imported links). */
  click_id_param: string | null | undefined;
  created_at: number | null;
  updated_at: number | null;
}

const SELECT = `
  SELECT l.id, l.key, l.url, l.post_id, l.campaign_id, l.author_id, s.variants, s.click_id_param,
         (s.link_id IS NOT NULL) AS managed,
         epoch_ms(l.created_at)::DOUBLE AS created_at, epoch_ms(s.updated_at)::DOUBLE AS updated_at
  FROM links l LEFT JOIN server_links s ON s.link_id = l.id
  WHERE s.deleted_at IS NULL`;

function toRow(r: Record<string, unknown>): LinkRow {
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    key: str(r.key),
    url: String(r.url),
    post_id: str(r.post_id),
    campaign_id: str(r.campaign_id),
    author_id: str(r.author_id),
    variants: r.variants === null || r.variants === undefined ? null : (JSON.parse(String(r.variants)) as LinkVariant[]),
    click_id_param: r.managed ? str(r.click_id_param) : undefined,
    created_at: r.created_at === null ? null : Number(r.created_at),
    updated_at: r.updated_at === null ? null : Number(r.updated_at),
  };
}

/** Inserts a new link into `links` and `server_links`, in one transaction. */
export async function insertLink(conn: DuckDBConnection, link: LinkRow, now: number): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(
      `INSERT INTO links (id, url, key, post_id, campaign_id, author_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, make_timestamp($7::BIGINT * 1000))`,
      [link.id, link.url, link.key, link.post_id, link.campaign_id, link.author_id, now],
    );
    await conn.run(
      `INSERT INTO server_links (link_id, variants, click_id_param, updated_at, deleted_at)
       VALUES ($1, $2, $3, make_timestamp($4::BIGINT * 1000), NULL)`,
      [link.id, link.variants === null ? null : JSON.stringify(link.variants), link.click_id_param ?? null, now],
    );
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** Writes a changed link (all mutable fields) in one transaction; creates its server row for imported links. */
export async function updateLink(conn: DuckDBConnection, link: LinkRow, now: number, defaultParam: string): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(
      'UPDATE links SET url = $2, key = $3, post_id = $4, campaign_id = $5, author_id = $6 WHERE id = $1',
      [link.id, link.url, link.key, link.post_id, link.campaign_id, link.author_id],
    );
    const params = [link.id, link.variants === null ? null : JSON.stringify(link.variants), link.click_id_param === undefined ? defaultParam : link.click_id_param, now];
    const had = (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM server_links WHERE link_id = $1', [link.id])).getRowObjectsJS();
    await conn.run(
      Number(had[0]?.n ?? 0) > 0
        ? 'UPDATE server_links SET variants = $2, click_id_param = $3, updated_at = make_timestamp($4::BIGINT * 1000) WHERE link_id = $1'
        : `INSERT INTO server_links (link_id, variants, click_id_param, updated_at, deleted_at)
           VALUES ($1, $2, $3, make_timestamp($4::BIGINT * 1000), NULL)`,
      params,
    );
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** Soft-deletes a link: marks its server row deleted (creating one for imported links). */
export async function deleteLink(conn: DuckDBConnection, id: string, now: number): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const had = (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM server_links WHERE link_id = $1', [id])).getRowObjectsJS();
    if (Number(had[0]?.n ?? 0) > 0) {
      await conn.run('UPDATE server_links SET deleted_at = make_timestamp($2::BIGINT * 1000) WHERE link_id = $1', [id, now]);
    } else {
      await conn.run(
        `INSERT INTO server_links (link_id, variants, click_id_param, updated_at, deleted_at)
         VALUES ($1, NULL, NULL, make_timestamp($2::BIGINT * 1000), make_timestamp($2::BIGINT * 1000))`,
        [id, now],
      );
    }
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** One live link by id. */
export async function getLink(conn: DuckDBConnection, id: string): Promise<LinkRow | undefined> {
  const rows = (await conn.runAndReadAll(`${SELECT} AND l.id = $1`, [id])).getRowObjectsJS();
  return rows.length > 0 ? toRow(rows[0] as Record<string, unknown>) : undefined;
}

/** The live link holding `key`, if any. */
export async function findLinkByKey(conn: DuckDBConnection, key: string): Promise<LinkRow | undefined> {
  const rows = (await conn.runAndReadAll(`${SELECT} AND l.key = $1 LIMIT 1`, [key])).getRowObjectsJS();
  return rows.length > 0 ? toRow(rows[0] as Record<string, unknown>) : undefined;
}

/** A page of live links ordered by id, after the cursor id. */
export async function listLinks(conn: DuckDBConnection, limit: number, after?: string): Promise<LinkRow[]> {
  const rows = (
    await conn.runAndReadAll(`${SELECT} ${after !== undefined ? 'AND l.id > $2' : ''} ORDER BY l.id LIMIT $1`, after !== undefined ? [limit, after] : [limit])
  ).getRowObjectsJS();
  return rows.map((r) => toRow(r as Record<string, unknown>));
}

/** Every live link with a key (what the redirect serves). */
export async function linksWithKeys(conn: DuckDBConnection): Promise<LinkRow[]> {
  return (await conn.runAndReadAll(`${SELECT} AND l.key IS NOT NULL ORDER BY l.id`)).getRowObjectsJS().map((r) => toRow(r as Record<string, unknown>));
}
