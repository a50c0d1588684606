/**
 * Read queries for time series around an event (the causal impact engine): metric series, conversions counted per
 * day or hour, and the post or campaign that marks the intervention. Times leave as epoch milliseconds (UTC).
 */
import type { Conn } from './db.js';
import { queryRows } from './queries.js';

/** A metric series in the store with its extent. */
export interface MetricSeriesInfo {
  series: string;
  points: number;
  first_at: number;
  last_at: number;
  /** Smallest gap between consecutive points, ms (null with one point). */
  min_step: number | null;
  /** True when every point sits at 00:00 UTC. */
  all_midnight: boolean;
}

/** One point of a series. */
export interface SeriesPoint {
  at: number;
  value: number;
}

/** The post that marks an intervention. */
export interface PostEvent {
  id: string;
  author_id: string;
  created_at: number;
  campaign_id: string | null;
  link_id: string | null;
  text: string | null;
}

/** The campaign that marks an intervention. */
export interface CampaignEvent {
  id: string;
  name: string | null;
  owner_id: string | null;
  starts_at: number | null;
  ends_at: number | null;
  metric: string | null;
}

/** Which conversions to count per bucket. */
export interface ConversionBucketFilter {
  bucket: 'day' | 'hour';
  /** Only these types (all when empty or absent). */
  types?: readonly string[];
  /** Only conversions of this campaign (directly, or through a link of the campaign). */
  campaignId?: string;
}

/** Every metric series with its number of points, extent and spacing. */
export async function metricSeriesList(conn: Conn): Promise<MetricSeriesInfo[]> {
  const rows = await queryRows(
    conn,
    `WITH s AS (
       SELECT series, epoch_ms("at")::DOUBLE AS at_ms,
              epoch_ms("at")::DOUBLE - lag(epoch_ms("at")::DOUBLE) OVER (PARTITION BY series ORDER BY "at") AS step
       FROM metrics)
     SELECT series, count(*)::INTEGER AS points, min(at_ms) AS first_at, max(at_ms) AS last_at,
            min(step) AS min_step, bool_and(at_ms % 86400000 = 0) AS all_midnight
     FROM s GROUP BY series ORDER BY series`,
  );
  return rows as unknown as MetricSeriesInfo[];
}

/** The points of one metric series in time order. */
export async function metricPoints(conn: Conn, series: string): Promise<SeriesPoint[]> {
  const rows = await queryRows(
    conn,
    `SELECT epoch_ms("at")::DOUBLE AS at, value FROM metrics WHERE series = ? ORDER BY "at"`,
    [series],
  );
  return rows as unknown as SeriesPoint[];
}

/** The post with this id, or undefined. */
export async function postEvent(conn: Conn, id: string): Promise<PostEvent | undefined> {
  const rows = await queryRows(
    conn,
    `SELECT id, author_id, epoch_ms(created_at)::DOUBLE AS created_at, campaign_id, link_id, text FROM posts WHERE id = ?`,
    [id],
  );
  return rows[0] as unknown as PostEvent | undefined;
}

/** The campaign with this id, or undefined. */
export async function campaignEvent(conn: Conn, id: string): Promise<CampaignEvent | undefined> {
  const rows = await queryRows(
    conn,
    `SELECT id, name, owner_id, epoch_ms(starts_at)::DOUBLE AS starts_at, epoch_ms(ends_at)::DOUBLE AS ends_at, metric
     FROM campaigns WHERE id = ?`,
    [id],
  );
  return rows[0] as unknown as CampaignEvent | undefined;
}

/** Campaigns that name a metric series as their outcome, with their ids (a campaign's outcome is never a control). */
export async function campaignMetrics(conn: Conn): Promise<{ id: string; metric: string }[]> {
  const rows = await queryRows(conn, `SELECT id, metric FROM campaigns WHERE metric IS NOT NULL ORDER BY id`);
  return rows as unknown as { id: string; metric: string }[];
}

/** Earliest and latest post of a campaign (epoch ms), for campaigns without start/end dates. */
export async function campaignPostSpan(conn: Conn, id: string): Promise<{ first: number | null; last: number | null }> {
  const rows = await queryRows(
    conn,
    `SELECT min(epoch_ms(created_at))::DOUBLE AS first, max(epoch_ms(created_at))::DOUBLE AS last FROM posts WHERE campaign_id = ?`,
    [id],
  );
  return rows[0] as { first: number | null; last: number | null };
}

/** Conversions counted (and their value summed, minor units) per UTC day or hour; buckets without any are absent. */
export async function conversionBuckets(conn: Conn, filter: ConversionBucketFilter): Promise<(SeriesPoint & { value_minor: number })[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.types && filter.types.length > 0) {
    where.push(`c.type IN (${filter.types.map(() => '?').join(', ')})`);
    params.push(...filter.types);
  }
  if (filter.campaignId !== undefined) {
    where.push('coalesce(c.campaign_id, l.campaign_id) = ?');
    params.push(filter.campaignId);
  }
  const unit = filter.bucket === 'hour' ? 'hour' : 'day';
  const rows = await queryRows(
    conn,
    `SELECT epoch_ms(date_trunc('${unit}', c."at"))::DOUBLE AS at, count(*)::DOUBLE AS value,
            coalesce(sum(c.value_minor), 0)::DOUBLE AS value_minor
     FROM conversions c LEFT JOIN links l ON l.id = c.link_id
     ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
     GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows as unknown as (SeriesPoint & { value_minor: number })[];
}

/** First and last conversion time in the store (epoch ms), or nulls when there are none. */
export async function conversionSpan(conn: Conn): Promise<{ first: number | null; last: number | null }> {
  const rows = await queryRows(conn, `SELECT min(epoch_ms("at"))::DOUBLE AS first, max(epoch_ms("at"))::DOUBLE AS last FROM conversions`);
  return rows[0] as { first: number | null; last: number | null };
}

/** The currency of a campaign's goal (null when it has none): a campaign's own metric series counts money in it. */
export async function campaignCurrency(conn: Conn, id: string): Promise<string | null> {
  const rows = await queryRows(conn, `SELECT currency FROM campaigns WHERE id = ?`, [id]);
  const c = rows[0]?.currency;
  return typeof c === 'string' && c !== '' ? c : null;
}
