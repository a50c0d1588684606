/** Store queries for touchpoint paths: human clicks by visitor as touches, and conversions reached through a click. */
import { LINK_OWNER, queryRows } from './queries.js';
import type { Conn } from './db.js';

/** What a touch's channel is: the link clicked, its post, the account that owns it, or its campaign. */
export const CHANNEL_LEVELS = ['link', 'post', 'account', 'campaign'] as const;
export type ChannelLevel = (typeof CHANNEL_LEVELS)[number];

const CHANNEL_SQL: Record<ChannelLevel, string> = {
  link: 'k.link_id',
  post: 'lo.post_id',
  account: 'lo.account_id',
  campaign: 'lo.campaign_id',
};

/** Human clicks with a visitor id, as touches (who = visitor, channel at the given level; clicks without one are skipped). */
export async function clickTouches(conn: Conn, level: ChannelLevel): Promise<{ who: string; at: number; channel: string }[]> {
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}
     SELECT k.visitor_id AS who, epoch_ms(k."at")::DOUBLE AS "at", ${CHANNEL_SQL[level]} AS channel
     FROM clicks k LEFT JOIN link_owner lo ON lo.link_id = k.link_id
     WHERE NOT coalesce(k.is_bot, false) AND k.visitor_id IS NOT NULL AND ${CHANNEL_SQL[level]} IS NOT NULL
     ORDER BY who, "at"`,
  );
  return rows as unknown as { who: string; at: number; channel: string }[];
}

/**
 * Conversions that carry a click id, placed on the visitor of that click (the only link between a buyer and the
 * visitor ids of the clicks); value in minor units of `currency` (null when the conversion has no value);
 * optionally only some types and one currency.
 */
export async function clickedConversions(conn: Conn, types: string[], currency?: string): Promise<{ who: string; at: number; value_minor: number; currency: string | null }[]> {
  const where = ['k.visitor_id IS NOT NULL'];
  const params: string[] = [];
  if (types.length > 0) {
    where.push(`c.type IN (${types.map(() => '?').join(', ')})`);
    params.push(...types);
  }
  if (currency !== undefined) {
    where.push('(c.currency = ? OR coalesce(c.value_minor, 0) = 0)');
    params.push(currency);
  }
  const rows = await queryRows(
    conn,
    `SELECT k.visitor_id AS who, epoch_ms(c."at")::DOUBLE AS "at", coalesce(c.value_minor, 0)::DOUBLE AS value_minor,
            CASE WHEN coalesce(c.value_minor, 0) = 0 THEN NULL ELSE c.currency END AS currency
     FROM conversions c JOIN clicks k ON k.id = c.click_id
     WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows as unknown as { who: string; at: number; value_minor: number; currency: string | null }[];
}

/** Total conversions of those types that carry no usable click (so no path): reported beside the attribution. */
export async function unpathedConversions(conn: Conn, types: string[]): Promise<number> {
  const filter = types.length > 0 ? `AND c.type IN (${types.map(() => '?').join(', ')})` : '';
  const rows = await queryRows(
    conn,
    `SELECT count(*)::DOUBLE AS n FROM conversions c LEFT JOIN clicks k ON k.id = c.click_id
     WHERE (k.id IS NULL OR k.visitor_id IS NULL) ${filter}`,
    types,
  );
  return Number(rows[0]?.n ?? 0);
}
