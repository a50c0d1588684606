/**
 * SQL of the analytics read: clicks, unique clicks, bot clicks and credited conversions grouped by link, post,
 * author, campaign or day. Conversions are credited by the report's own rule (`creditedConversions` in queries.ts),
 * so per author these are the numbers `clout report` prints. Unique clicks are computed at query time: distinct
 * (visitor, link, hour) among human clicks (a click without a visitor id counts as its own visitor).
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { LINK_OWNER, creditedConversions } from './queries.js';

export const ANALYTICS_GROUPS = ['link', 'post', 'author', 'campaign', 'day'] as const;
export type AnalyticsGroup = (typeof ANALYTICS_GROUPS)[number];

/** One group's numbers; values are integer minor units per currency. */
export interface AnalyticsRow {
  key: string | null;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
  leads: number;
  sales: number;
  donations: number;
  signups: number;
  conversions: number;
  value_minor: Record<string, number>;
}

const CLICK_KEY: Record<AnalyticsGroup, string> = {
  link: 'k.link_id',
  post: 'lo.post_id',
  author: 'lo.account_id',
  campaign: 'lo.campaign_id',
  day: `strftime(k."at", '%Y-%m-%d')`,
};

const CONVERSION_KEY: Record<AnalyticsGroup, string> = {
  link: 'cr.link_id',
  post: 'cr.post_id',
  author: 'cr.account_id',
  campaign: 'cr.campaign_id',
  day: `strftime(cr."at", '%Y-%m-%d')`,
};

/** Clicks and credited conversions per group, within [from, to) (epoch ms) when given. */
export async function analytics(conn: DuckDBConnection, groupBy: AnalyticsGroup, from?: number, to?: number): Promise<AnalyticsRow[]> {
  const credited = creditedConversions({ since: from, until: to });
  const clickWhere: string[] = [];
  const clickParams: DuckDBValue[] = [];
  if (from !== undefined) {
    clickWhere.push('k."at" >= make_timestamp(?::BIGINT * 1000)');
    clickParams.push(from);
  }
  if (to !== undefined) {
    clickWhere.push('k."at" < make_timestamp(?::BIGINT * 1000)');
    clickParams.push(to);
  }
  const sql = `
    WITH ${LINK_OWNER}, ${credited.sql},
    clk AS (
      SELECT ${CLICK_KEY[groupBy]} AS g,
             count(*) FILTER (WHERE NOT coalesce(k.is_bot, false)) AS clicks,
             count(DISTINCT (coalesce(k.visitor_id, k.id), k.link_id, date_trunc('hour', k."at")))
               FILTER (WHERE NOT coalesce(k.is_bot, false)) AS unique_clicks,
             count(*) FILTER (WHERE coalesce(k.is_bot, false)) AS bot_clicks
      FROM clicks k LEFT JOIN link_owner lo ON lo.link_id = k.link_id
      ${clickWhere.length > 0 ? 'WHERE ' + clickWhere.join(' AND ') : ''}
      GROUP BY 1),
    conv AS (
      SELECT ${CONVERSION_KEY[groupBy]} AS g,
             count(*) FILTER (WHERE cr.type = 'lead') AS leads,
             count(*) FILTER (WHERE cr.type = 'sale') AS sales,
             count(*) FILTER (WHERE cr.type = 'donation') AS donations,
             count(*) FILTER (WHERE cr.type = 'signup') AS signups,
             count(*) AS conversions
      FROM credited cr GROUP BY 1)
    SELECT coalesce(clk.g, conv.g) AS key,
           coalesce(clk.clicks, 0)::DOUBLE AS clicks, coalesce(clk.unique_clicks, 0)::DOUBLE AS unique_clicks,
           coalesce(clk.bot_clicks, 0)::DOUBLE AS bot_clicks, coalesce(conv.leads, 0)::DOUBLE AS leads,
           coalesce(conv.sales, 0)::DOUBLE AS sales, coalesce(conv.donations, 0)::DOUBLE AS donations,
           coalesce(conv.signups, 0)::DOUBLE AS signups, coalesce(conv.conversions, 0)::DOUBLE AS conversions
    FROM clk FULL OUTER JOIN conv ON clk.g IS NOT DISTINCT FROM conv.g
    ORDER BY key NULLS LAST`;
  const valueSql = `
    WITH ${LINK_OWNER}, ${credited.sql}
    SELECT ${CONVERSION_KEY[groupBy]} AS g, coalesce(cr.currency, '') AS currency, sum(cr.value_minor)::DOUBLE AS v
    FROM credited cr WHERE cr.value_minor > 0 GROUP BY 1, 2`;
  const params = [...credited.params, ...clickParams];
  const rows = (await conn.runAndReadAll(sql, params)).getRowObjectsJS();
  const values = (await conn.runAndReadAll(valueSql, credited.params)).getRowObjectsJS();
  const byKey = new Map<string | null, Record<string, number>>();
  for (const v of values) {
    const k = v.g === null ? null : String(v.g);
    const m = byKey.get(k) ?? {};
    m[String(v.currency)] = Number(v.v);
    byKey.set(k, m);
  }
  return rows.map((r) => {
    const key = r.key === null ? null : String(r.key);
    return {
      key,
      clicks: Number(r.clicks),
      unique_clicks: Number(r.unique_clicks),
      bot_clicks: Number(r.bot_clicks),
      leads: Number(r.leads),
      sales: Number(r.sales),
      donations: Number(r.donations),
      signups: Number(r.signups),
      conversions: Number(r.conversions),
      value_minor: byKey.get(key) ?? {},
    };
  });
}
