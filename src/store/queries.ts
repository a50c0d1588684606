/**
 * Read queries of the store for the influence report. Each returns plain rows (numbers, strings) so the analysis
 * core never sees DuckDB types. Money leaves as integer minor units with its currency.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { AccountActivityRow, AccountCreditRow, CampaignCreditRow, CampaignRow, ConversionTieRow } from '../domain/index.js';
import { TIE_RULES, type TieRule } from '../domain/index.js';
import type { Conn } from './db.js';

/** Optional filters shared by the report queries. */
export interface OutcomeFilter {
  /** Only conversions of these types (all when empty or absent). */
  types?: readonly string[];
  /** Inclusive lower bound on conversion time, epoch ms. */
  since?: number;
  /** Exclusive upper bound on conversion time, epoch ms. */
  until?: number;
}

/** Runs a query and returns rows as plain objects with bigints turned into numbers. */
export async function queryRows(conn: Conn, sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out;
  });
}

/**
 * SQL for how an account's handle is shown, from its `handle` and `platform` columns (alias `a`): with one leading
 * `@`; a Mastodon handle keeps its instance (`@name@instance`); a Bluesky handle without a domain gets Bluesky's
 * (`@name.bsky.social`); NULL without a handle.
 */
export function displayHandleSql(a: string): string {
  const bare = `ltrim(trim(${a}.handle), '@')`;
  return `CASE WHEN ${a}.handle IS NULL OR ${bare} = '' THEN NULL
               WHEN lower(${a}.platform) = 'bluesky' AND position('.' IN ${bare}) = 0 THEN '@' || ${bare} || '.bsky.social'
               ELSE '@' || ${bare} END`;
}

/**
 * SQL: whether post `p` shares a link — it names one (`link_id`) or a link names it (`links.post_id`, as the platform
 * importers write them). A post's own `url` is its address on the platform, not a link it shares.
 */
export function isLinkPostSql(p: string): string {
  return `(${p}.link_id IS NOT NULL OR EXISTS (SELECT 1 FROM links lp WHERE lp.post_id = ${p}.id))`;
}

/** SQL for the account that owns each link: the link's author, else the author of its post. */
export const LINK_OWNER = `
  link_owner AS (
    SELECT l.id AS link_id,
           coalesce(l.author_id, p1.author_id, p2.author_id) AS account_id,
           l.campaign_id AS campaign_id,
           coalesce(l.post_id, p2.id) AS post_id
    FROM links l
    LEFT JOIN posts p1 ON p1.id = l.post_id
    LEFT JOIN (SELECT link_id, any_value(id) AS id, any_value(author_id) AS author_id
               FROM posts WHERE link_id IS NOT NULL GROUP BY link_id) p2 ON p2.link_id = l.id
  )`;

/** SQL for a UTM parameter of a URL column, decoded (`+` is a space in a query string) and lower-cased (NULL when absent or empty). */
function utmOf(column: string, key: string): string {
  return `nullif(lower(trim(url_decode(replace(regexp_extract(${column}, '[?&]${key}=([^&#]*)', 1), '+', ' ')))), '')`;
}

/**
 * SQL (CTEs) tying conversions without a click, link or post to a code or to a link by UTM tags:
 * - `code_tie`: the code of the `codes` table equal to the conversion's code (case-insensitively) whose window holds
 *   the conversion's time (the one starting last when several do), with its account (else its post's author), post
 *   and campaign;
 * - `utm_tie`: the link created no later than the conversion whose URL's utm_* tags agree with the conversion's
 *   (its fields, else its landing URL's) on utm_campaign or utm_content and conflict on none; the link agreeing on
 *   the most tags wins, then the latest created, then the smallest id.
 */
const TIES_SQL = `
  code_tie AS (
    SELECT conversion_id, code, account_id, post_id, campaign_id FROM (
      SELECT c.id AS conversion_id, cd.code, coalesce(cd.account_id, cp.author_id) AS account_id, cd.post_id,
             coalesce(cd.campaign_id, cp.campaign_id) AS campaign_id,
             row_number() OVER (PARTITION BY c.id ORDER BY cd.starts_at DESC NULLS LAST, cd.code) AS rn
      FROM conversions c
      JOIN codes cd ON lower(trim(cd.code)) = lower(trim(c.code))
      LEFT JOIN posts cp ON cp.id = cd.post_id
      WHERE c.code IS NOT NULL AND (cd.starts_at IS NULL OR c."at" >= cd.starts_at) AND (cd.ends_at IS NULL OR c."at" <= cd.ends_at)
    ) WHERE rn = 1
  ),
  link_utm AS (
    SELECT id AS link_id, created_at, ${utmOf('url', 'utm_source')} AS src, ${utmOf('url', 'utm_medium')} AS med,
           ${utmOf('url', 'utm_campaign')} AS cmp, ${utmOf('url', 'utm_content')} AS cnt
    FROM links WHERE url LIKE '%utm\\_%' ESCAPE '\\'
  ),
  conversion_utm AS (
    SELECT id, "at",
           coalesce(nullif(lower(trim(utm_source)), ''), ${utmOf('landing_url', 'utm_source')}) AS src,
           coalesce(nullif(lower(trim(utm_medium)), ''), ${utmOf('landing_url', 'utm_medium')}) AS med,
           coalesce(nullif(lower(trim(utm_campaign)), ''), ${utmOf('landing_url', 'utm_campaign')}) AS cmp,
           coalesce(nullif(lower(trim(utm_content)), ''), ${utmOf('landing_url', 'utm_content')}) AS cnt
    FROM conversions
    WHERE utm_campaign IS NOT NULL OR utm_content IS NOT NULL OR landing_url LIKE '%utm\\_%' ESCAPE '\\'
  ),
  utm_tie AS (
    SELECT conversion_id, link_id FROM (
      SELECT cu.id AS conversion_id, lu.link_id,
             row_number() OVER (
               PARTITION BY cu.id
               ORDER BY (coalesce(lu.src = cu.src, false)::INT + coalesce(lu.med = cu.med, false)::INT
                         + coalesce(lu.cmp = cu.cmp, false)::INT + coalesce(lu.cnt = cu.cnt, false)::INT) DESC,
                        lu.created_at DESC NULLS LAST, lu.link_id) AS rn
      FROM conversion_utm cu
      JOIN link_utm lu ON (lu.cmp = cu.cmp OR lu.cnt = cu.cnt)
      WHERE (lu.created_at IS NULL OR lu.created_at <= cu."at")
        AND coalesce(lu.src = cu.src, true) AND coalesce(lu.med = cu.med, true)
        AND coalesce(lu.cmp = cu.cmp, true) AND coalesce(lu.cnt = cu.cnt, true)
    ) WHERE rn = 1
  )`;

/**
 * SQL for each conversion's credited account by last touch, and the rule that tied it (TIE_RULES, tried in order):
 * the link of its click id, else the link it names, else the author of the post it names, else its code's owner,
 * else the link its UTM tags match. Conversions with none of those stay uncredited (`tie` = 'none').
 */
export function creditedConversions(filter: OutcomeFilter): { sql: string; params: DuckDBValue[] } {
  const where: string[] = [];
  const params: DuckDBValue[] = [];
  if (filter.types && filter.types.length > 0) {
    where.push(`c.type IN (${filter.types.map(() => '?').join(', ')})`);
    params.push(...filter.types);
  }
  if (filter.since !== undefined) {
    where.push('c."at" >= make_timestamp(?::BIGINT * 1000)');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push('c."at" < make_timestamp(?::BIGINT * 1000)');
    params.push(filter.until);
  }
  const sql = `${TIES_SQL},
  credited AS (
    SELECT c.id, c.type, c.currency, coalesce(c.value_minor, 0) AS value_minor, c.customer_id,
           coalesce(c.campaign_id, lo_click.campaign_id, lo_link.campaign_id, ct.campaign_id, lo_utm.campaign_id) AS campaign_id,
           coalesce(lo_click.account_id, lo_link.account_id, p.author_id, ct.account_id, lo_utm.account_id) AS account_id,
           coalesce(k.link_id, lo_link.link_id, lo_utm.link_id) AS link_id,
           coalesce(lo_click.post_id, lo_link.post_id, p.id, ct.post_id, lo_utm.post_id) AS post_id, c."at" AS "at",
           CASE WHEN k.id IS NOT NULL THEN 'click' WHEN lo_link.link_id IS NOT NULL THEN 'link' WHEN p.id IS NOT NULL THEN 'post'
                WHEN ct.code IS NOT NULL THEN 'code' WHEN ut.link_id IS NOT NULL THEN 'utm' ELSE 'none' END AS tie,
           ct.code AS tie_code
    FROM conversions c
    LEFT JOIN clicks k ON k.id = c.click_id
    LEFT JOIN link_owner lo_click ON lo_click.link_id = k.link_id
    LEFT JOIN link_owner lo_link ON lo_link.link_id = c.link_id
    LEFT JOIN posts p ON p.id = c.post_id
    LEFT JOIN code_tie ct ON ct.conversion_id = c.id
    LEFT JOIN utm_tie ut ON ut.conversion_id = c.id
    LEFT JOIN link_owner lo_utm ON lo_utm.link_id = ut.link_id
    ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
  )`;
  return { sql, params };
}

/**
 * Every account that authored at least one post or owns a code (an affiliate whose posts are not in the store still
 * brings sales), with followers, posts and the clicks on its links.
 */
export async function accountActivity(conn: Conn): Promise<AccountActivityRow[]> {
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER},
     post_authors AS (SELECT author_id AS id, count(*)::INTEGER AS posts,
                        count(*) FILTER (WHERE ${isLinkPostSql('posts')})::INTEGER AS link_posts
                 FROM posts GROUP BY author_id),
     authors AS (SELECT * FROM post_authors
                 UNION ALL
                 SELECT DISTINCT account_id, 0, 0 FROM codes
                 WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT id FROM post_authors)),
     click_counts AS (
       SELECT lo.account_id,
              count(*) FILTER (WHERE NOT coalesce(k.is_bot, false))::INTEGER AS clicks,
              count(*) FILTER (WHERE coalesce(k.is_bot, false))::INTEGER AS bot_clicks
       FROM clicks k JOIN link_owner lo ON lo.link_id = k.link_id
       GROUP BY lo.account_id),
     in_degree AS (SELECT followee_id AS id, count(*)::BIGINT AS n FROM follows
                   WHERE followee_id IN (SELECT id FROM authors) GROUP BY followee_id)
     SELECT au.id, ${displayHandleSql('a')} AS handle,
            coalesce(a.followers, d.n, 0)::DOUBLE AS followers,
            CASE WHEN a.followers IS NOT NULL THEN 'reported' ELSE 'follow_graph' END AS followers_source,
            au.posts, au.link_posts,
            coalesce(cc.clicks, 0)::INTEGER AS clicks, coalesce(cc.bot_clicks, 0)::INTEGER AS bot_clicks
     FROM authors au
     LEFT JOIN accounts a ON a.id = au.id
     LEFT JOIN in_degree d ON d.id = au.id
     LEFT JOIN click_counts cc ON cc.account_id = au.id
     ORDER BY au.id`,
  );
  return rows as unknown as AccountActivityRow[];
}

/** Conversions and value credited to each account by last touch, per conversion type and currency. */
export async function accountCredit(conn: Conn, filter: OutcomeFilter = {}): Promise<AccountCreditRow[]> {
  const credited = creditedConversions(filter);
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT account_id, type, currency, count(*)::INTEGER AS conversions, sum(value_minor)::DOUBLE AS value_minor
     FROM credited WHERE account_id IS NOT NULL
     GROUP BY account_id, type, currency ORDER BY account_id, type, currency`,
    credited.params,
  );
  return rows as unknown as AccountCreditRow[];
}

/** Total conversions in the filter, how many are credited to an account, and how many each tie rule tied. */
export async function conversionTotals(
  conn: Conn,
  filter: OutcomeFilter = {},
): Promise<{ conversions: number; credited: number; tied_by: Record<TieRule, number> }> {
  const credited = creditedConversions(filter);
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT count(*)::INTEGER AS conversions, count(account_id)::INTEGER AS credited,
            ${TIE_RULES.map((r) => `count(*) FILTER (WHERE tie = '${r}')::INTEGER AS "${r}"`).join(', ')}
     FROM credited`,
    credited.params,
  );
  const row = rows[0]!;
  const tied_by = Object.fromEntries(TIE_RULES.map((r) => [r, Number(row[r] ?? 0)])) as Record<TieRule, number>;
  return { conversions: Number(row.conversions), credited: Number(row.credited), tied_by };
}

/** Each conversion in the filter with the rule that tied it and what it is tied to, in time order (optionally one rule, the first `limit`). */
export async function conversionTies(
  conn: Conn,
  filter: OutcomeFilter = {},
  select: { tie?: TieRule; limit?: number } = {},
): Promise<ConversionTieRow[]> {
  const credited = creditedConversions(filter);
  const params: DuckDBValue[] = [...credited.params];
  let tail = '';
  if (select.tie !== undefined) {
    tail += ' WHERE tie = ?';
    params.push(select.tie);
  }
  tail += ' ORDER BY "at", id';
  if (select.limit !== undefined) {
    tail += ' LIMIT ?';
    params.push(select.limit);
  }
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT id, epoch_ms("at")::DOUBLE AS "at", type, value_minor::DOUBLE AS value_minor, currency, tie, tie_code AS code,
            link_id, post_id, account_id, campaign_id
     FROM credited${tail}`,
    params,
  );
  return rows as unknown as ConversionTieRow[];
}

/** Every campaign with what it raised (conversions tied to it directly or through its links). */
export async function campaignTotals(conn: Conn): Promise<CampaignRow[]> {
  const credited = creditedConversions({});
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT cp.id, cp.name, cp.owner_id, cp.goal_minor::DOUBLE AS goal_minor, cp.currency,
            (epoch_ms(cp.starts_at))::DOUBLE AS starts_at, (epoch_ms(cp.ends_at))::DOUBLE AS ends_at,
            coalesce(sum(cr.value_minor) FILTER (WHERE cp.currency IS NULL OR cr.currency = cp.currency), 0)::DOUBLE AS raised_minor,
            count(cr.id)::INTEGER AS conversions,
            count(DISTINCT cr.customer_id)::INTEGER AS contributors
     FROM campaigns cp LEFT JOIN credited cr ON cr.campaign_id = cp.id
     GROUP BY ALL ORDER BY cp.id`,
    credited.params,
  );
  return rows as unknown as CampaignRow[];
}

/** Conversions of each campaign credited to each account by last touch. */
export async function campaignCredit(conn: Conn): Promise<CampaignCreditRow[]> {
  const credited = creditedConversions({});
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT cr.campaign_id, cr.account_id, count(*)::INTEGER AS conversions, sum(cr.value_minor)::DOUBLE AS value_minor
     FROM credited cr JOIN campaigns cp ON cp.id = cr.campaign_id
     WHERE cr.account_id IS NOT NULL AND (cp.currency IS NULL OR cr.currency = cp.currency)
     GROUP BY ALL ORDER BY cr.campaign_id, value_minor DESC`,
    credited.params,
  );
  return rows as unknown as CampaignCreditRow[];
}

/** Conversions per type, the most common first (ties by name). */
export async function conversionTypeCounts(conn: Conn): Promise<{ type: string; conversions: number }[]> {
  const rows = await queryRows(conn, 'SELECT type, count(*) AS conversions FROM conversions GROUP BY type ORDER BY conversions DESC, type');
  return rows.map((r) => ({ type: String(r.type), conversions: Number(r.conversions) }));
}

/**
 * The stored accounts among `ids`, as normalized records (absent fields left out, times as epoch ms): what an import
 * of second-hand account records (a mention's handle, a follower's id) keeps where its record says nothing.
 */
export async function storedAccounts(conn: Conn, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (ids.length === 0) return out;
  const rows = await queryRows(
    conn,
    `SELECT id, platform, handle, name, followers::DOUBLE AS followers, following::DOUBLE AS following,
            epoch_ms(created_at)::DOUBLE AS created_at
     FROM accounts WHERE id IN (SELECT unnest(?::VARCHAR[]))`,
    [listValue([...ids])],
  );
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null && v !== undefined) record[k] = v;
    out.set(String(row.id), record);
  }
  return out;
}
