/**
 * SQL of the conversion API: attribution look-ups (clicks, links, a customer's lead), the conversion row, and the
 * guards that make writes exactly-once (idempotency keys, external ids, webhook event ids). Every function takes the
 * connection it runs on, so the writer can call them all inside one transaction on its writer connection.
 */
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';

/** A link with the post, author and campaign it credits (the link's own fields, else its post's). */
export interface LinkFactsRow {
  id: string;
  post_id: string | null;
  author_id: string | null;
  campaign_id: string | null;
}

/** A conversion row as the server writes it (times in epoch ms, money in minor units). */
export interface ServerConversionRow {
  id: string;
  at: number;
  type: string;
  value_minor: number | null;
  currency: string | null;
  customer_id: string | null;
  click_id: string | null;
  link_id: string | null;
  post_id: string | null;
  campaign_id: string | null;
  author_id: string | null;
  event_name: string | null;
  external_id: string | null;
  metadata: string | null;
  click_ids: string | null;
  attribution: string;
  source: string;
}

/** A stored idempotency record. */
export interface IdempotencyRow {
  request_hash: string;
  status: number;
  response: string;
  created_at: number;
}

/** Most prepared INSERT statements kept per connection (they vary only by batch size). */
const PREPARED_MAX = 256;
const PREPARED = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/**
 * The connection's prepared statement for an INSERT, prepared once: planning a multi-row INSERT with many
 * parameters costs more than running it, and the writer repeats the same few shapes. The oldest entry is dropped
 * when full. (Only writes are cached: a cached SELECT re-run on an idle reader connection was seen to return an
 * older snapshot, which the exactly-once checks cannot afford.)
 */
async function prepared(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let cache = PREPARED.get(conn);
  if (cache === undefined) PREPARED.set(conn, (cache = new Map()));
  let ps = cache.get(sql);
  if (ps === undefined) {
    ps = await conn.prepare(sql);
    if (cache.size >= PREPARED_MAX) {
      const [oldest, stmt] = cache.entries().next().value!;
      cache.delete(oldest);
      stmt.destroySync();
    }
    cache.set(sql, ps);
  }
  return ps;
}

async function rows(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
}

async function exec(conn: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<void> {
  const ps = await prepared(conn, sql);
  ps.bind(params);
  await ps.run();
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function placeholders(n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
}

/** Clicks in the store among `ids`: click id → link id. */
export async function lookupClickLinks(conn: DuckDBConnection, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const unique = [...new Set(ids)];
  const sql = `SELECT id, link_id FROM clicks WHERE id IN (${placeholders(unique.length)})`;
  for (const r of await rows(conn, sql, unique)) {
    out.set(String(r.id), String(r.link_id));
  }
  return out;
}

const LINK_FACTS = `
  SELECT l.id,
         any_value(coalesce(l.post_id, p2.id)) AS post_id,
         any_value(coalesce(l.author_id, p1.author_id, p2.author_id)) AS author_id,
         any_value(coalesce(l.campaign_id, p1.campaign_id, p2.campaign_id)) AS campaign_id
  FROM links l
  LEFT JOIN posts p1 ON p1.id = l.post_id
  LEFT JOIN posts p2 ON p2.link_id = l.id`;

function toLinkFacts(r: Record<string, unknown>): LinkFactsRow {
  return { id: String(r.id), post_id: str(r.post_id), author_id: str(r.author_id), campaign_id: str(r.campaign_id) };
}

/** Links by id, with the post, author and campaign each credits. */
export async function lookupLinkFacts(conn: DuckDBConnection, linkIds: readonly string[]): Promise<Map<string, LinkFactsRow>> {
  const out = new Map<string, LinkFactsRow>();
  if (linkIds.length === 0) return out;
  const unique = [...new Set(linkIds)];
  for (const r of await rows(conn, `${LINK_FACTS} WHERE l.id IN (${placeholders(unique.length)}) GROUP BY l.id`, unique)) {
    out.set(String(r.id), toLinkFacts(r));
  }
  return out;
}

/** Links by short key (the oldest link when an import left several with one key). */
export async function lookupLinksByKeys(conn: DuckDBConnection, keys: readonly string[]): Promise<Map<string, LinkFactsRow>> {
  const out = new Map<string, LinkFactsRow>();
  if (keys.length === 0) return out;
  const unique = [...new Set(keys)];
  const found = await rows(
    conn,
    `SELECT l.key AS link_key, l.id,
            any_value(coalesce(l.post_id, p2.id)) AS post_id,
            any_value(coalesce(l.author_id, p1.author_id, p2.author_id)) AS author_id,
            any_value(coalesce(l.campaign_id, p1.campaign_id, p2.campaign_id)) AS campaign_id,
            any_value(l.created_at) AS created_at
     FROM links l
     LEFT JOIN posts p1 ON p1.id = l.post_id
     LEFT JOIN posts p2 ON p2.link_id = l.id
     WHERE l.key IN (${placeholders(unique.length)})
     GROUP BY l.key, l.id
     ORDER BY created_at NULLS LAST, l.id`,
    unique,
  );
  for (const r of found) if (!out.has(String(r.link_key))) out.set(String(r.link_key), toLinkFacts(r));
  return out;
}

/** Each customer's latest lead or signup at or before `atMs` that is attributed to a link. */
export async function lookupCustomerLeads(
  conn: DuckDBConnection,
  customerIds: readonly string[],
  atMs: number,
): Promise<Map<string, { link_id: string; click_id: string | null }>> {
  const out = new Map<string, { link_id: string; click_id: string | null }>();
  if (customerIds.length === 0) return out;
  const unique = [...new Set(customerIds)];
  const found = await rows(
    conn,
    `SELECT customer_id, link_id, click_id FROM conversions
     WHERE customer_id IN (${placeholders(unique.length, 2)}) AND type IN ('lead', 'signup') AND link_id IS NOT NULL
       AND "at" <= make_timestamp($1::BIGINT * 1000)
     QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY "at" DESC, id DESC) = 1`,
    [atMs, ...unique],
  );
  for (const r of found) out.set(String(r.customer_id), { link_id: String(r.link_id), click_id: str(r.click_id) });
  return out;
}

/** Groups pairs by their first part, so each group is one `a = $1 AND b IN (…)` look-up. */
function groupPairs<T>(pairs: readonly T[], first: (p: T) => string, second: (p: T) => string): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const p of pairs) {
    const a = first(p);
    let g = groups.get(a);
    if (g === undefined) groups.set(a, (g = new Set()));
    g.add(second(p));
  }
  return new Map([...groups].map(([a, g]) => [a, [...g]]));
}

/** Rows per multi-row INSERT statement. */
const INSERT_CHUNK = 100;

async function insertMany(conn: DuckDBConnection, head: string, width: number, tuples: readonly DuckDBValue[][], cast: (i: number) => string = (i) => `$${i}`): Promise<void> {
  for (let from = 0; from < tuples.length; from += INSERT_CHUNK) {
    const chunk = tuples.slice(from, from + INSERT_CHUNK);
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => cast(r * width + c + 1)).join(', ')})`);
    await exec(conn, `${head} VALUES ${values.join(', ')}`, chunk.flat());
  }
}

/** A placeholder that turns column `tsColumn`'s epoch-ms value into a TIMESTAMP. */
function tsAt(tsColumn: number, width: number): (i: number) => string {
  return (i) => ((i - 1) % width === tsColumn ? `make_timestamp($${i}::BIGINT * 1000)` : `$${i}`);
}

/**
 * Inserts conversion rows, many per statement. (Multi-row INSERTs run on DuckDB's threads; an Appender's flush
 * would run on the JavaScript thread and stall the redirect while the primary-key index is updated.)
 */
export async function insertServerConversions(conn: DuckDBConnection, list: readonly ServerConversionRow[]): Promise<void> {
  await insertMany(
    conn,
    `INSERT INTO conversions (id, "at", type, value_minor, currency, customer_id, click_id, link_id, post_id, campaign_id,
                              author_id, event_name, external_id, metadata, click_ids, attribution, source)`,
    17,
    list.map((r) => [
      r.id, r.at, r.type, r.value_minor, r.currency, r.customer_id, r.click_id, r.link_id, r.post_id, r.campaign_id,
      r.author_id, r.event_name, r.external_id, r.metadata, r.click_ids, r.attribution, r.source,
    ]),
    tsAt(1, 17),
  );
}

/** The key of a pair in look-up maps and sets (idempotency records, external ids, webhook events). */
export function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

/** Stored idempotency records of (API key, Idempotency-Key) pairs, by pairKey. */
export async function findIdempotencyRecords(
  conn: DuckDBConnection,
  pairs: readonly { apiKeyId: string; key: string }[],
): Promise<Map<string, IdempotencyRow>> {
  const out = new Map<string, IdempotencyRow>();
  if (pairs.length === 0) return out;
  const found: Record<string, unknown>[] = [];
  for (const [apiKeyId, keys] of groupPairs(pairs, (p) => p.apiKeyId, (p) => p.key)) {
    found.push(
      ...(await rows(
        conn,
        `SELECT api_key_id, key, request_hash, status, response, epoch_ms(created_at)::DOUBLE AS created_at
         FROM idempotency_keys WHERE api_key_id = $1 AND key IN (${placeholders(keys.length, 2)})`,
        [apiKeyId, ...keys],
      )),
    );
  }
  for (const r of found) {
    out.set(pairKey(String(r.api_key_id), String(r.key)), {
      request_hash: String(r.request_hash),
      status: Number(r.status),
      response: String(r.response),
      created_at: Number(r.created_at),
    });
  }
  return out;
}

/**
 * Stores idempotency records, one per (API key, key) in `list`: new keys are inserted, keys whose expired record
 * is still stored (`replaces`) are replaced.
 */
export async function saveIdempotencyRecords(
  conn: DuckDBConnection,
  list: readonly ({ apiKeyId: string; key: string; replaces: boolean } & IdempotencyRow)[],
): Promise<void> {
  const tuple = (r: (typeof list)[number]): DuckDBValue[] => [r.apiKeyId, r.key, r.request_hash, r.status, r.response, r.created_at];
  const head = '(api_key_id, key, request_hash, status, response, created_at)';
  await insertMany(conn, `INSERT INTO idempotency_keys ${head}`, 6, list.filter((r) => !r.replaces).map(tuple), tsAt(5, 6));
  await insertMany(conn, `INSERT OR REPLACE INTO idempotency_keys ${head}`, 6, list.filter((r) => r.replaces).map(tuple), tsAt(5, 6));
}

/** Deletes idempotency records created before `beforeMs`. */
export async function purgeIdempotencyRecords(conn: DuckDBConnection, beforeMs: number): Promise<void> {
  await conn.run('DELETE FROM idempotency_keys WHERE created_at < make_timestamp($1::BIGINT * 1000)', [beforeMs]);
}

/** The conversions already recorded under (type, external id) pairs, by pairKey(type, external id). */
export async function findExternalIds(conn: DuckDBConnection, pairs: readonly { type: string; externalId: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (pairs.length === 0) return out;
  const found: Record<string, unknown>[] = [];
  for (const [type, ids] of groupPairs(pairs, (p) => p.type, (p) => p.externalId)) {
    found.push(
      ...(await rows(
        conn,
        `SELECT type, external_id, conversion_id FROM conversion_external_ids WHERE type = $1 AND external_id IN (${placeholders(ids.length, 2)})`,
        [type, ...ids],
      )),
    );
  }
  for (const r of found) out.set(pairKey(String(r.type), String(r.external_id)), String(r.conversion_id));
  return out;
}

/** Records (type, external id) → conversion id pairs. */
export async function insertExternalIds(conn: DuckDBConnection, list: readonly { type: string; externalId: string; conversionId: string }[]): Promise<void> {
  await insertMany(conn, 'INSERT INTO conversion_external_ids (type, external_id, conversion_id)', 3, list.map((r) => [r.type, r.externalId, r.conversionId]));
}

/** Webhook events among `pairs` already processed, as pairKey(source, event id). */
export async function findWebhookEvents(conn: DuckDBConnection, pairs: readonly { source: string; id: string }[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (pairs.length === 0) return out;
  const found: Record<string, unknown>[] = [];
  for (const [source, ids] of groupPairs(pairs, (p) => p.source, (p) => p.id)) {
    found.push(
      ...(await rows(conn, `SELECT source, event_id FROM webhook_events WHERE source = $1 AND event_id IN (${placeholders(ids.length, 2)})`, [source, ...ids])),
    );
  }
  for (const r of found) out.add(pairKey(String(r.source), String(r.event_id)));
  return out;
}

/** Records processed webhook events (and the conversion each made, if any). */
export async function insertWebhookEvents(
  conn: DuckDBConnection,
  list: readonly { source: string; id: string; at: number; conversionId: string | null }[],
): Promise<void> {
  await insertMany(
    conn,
    'INSERT INTO webhook_events (source, event_id, received_at, conversion_id)',
    4,
    list.map((r) => [r.source, r.id, r.at, r.conversionId]),
    tsAt(2, 4),
  );
}

/** Server-written conversions, oldest first (for tests and tools): every column the server sets. */
export async function listServerConversions(conn: DuckDBConnection): Promise<ServerConversionRow[]> {
  const found = await rows(
    conn,
    `SELECT id, epoch_ms("at")::DOUBLE AS "at", type, value_minor::DOUBLE AS value_minor, currency, customer_id, click_id,
            link_id, post_id, campaign_id, author_id, event_name, external_id, metadata, click_ids, attribution, source
     FROM conversions ORDER BY "at", id`,
  );
  return found.map((r) => ({
    id: String(r.id),
    at: Number(r.at),
    type: String(r.type),
    value_minor: r.value_minor === null ? null : Number(r.value_minor),
    currency: str(r.currency),
    customer_id: str(r.customer_id),
    click_id: str(r.click_id),
    link_id: str(r.link_id),
    post_id: str(r.post_id),
    campaign_id: str(r.campaign_id),
    author_id: str(r.author_id),
    event_name: str(r.event_name),
    external_id: str(r.external_id),
    metadata: str(r.metadata),
    click_ids: str(r.click_ids),
    attribution: String(r.attribution),
    source: String(r.source),
  }));
}
