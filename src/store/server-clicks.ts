/**
 * SQL of captured clicks. A batch of the redirect is committed to `click_log` (append-only, no key index) by one
 * prepared `INSERT … SELECT unnest(…) FROM from_json($1)` (one JSON array per column): the event loop only
 * serializes the batch (≈ 1 µs a click) and binds one string; DuckDB parses, inserts and writes its WAL on its own
 * threads. (The Appender was measured at 7–16 µs of event-loop time a click here — a synchronous native call per
 * value, and a synchronous flush and commit — which the redirect's budget cannot afford.) The log moves into
 * `clicks`, whose primary-key index makes inserts costly, by one `INSERT … SELECT` + `DELETE` transaction, off the
 * busy path.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** One captured click, as the redirect records it. */
export interface ClickRecord {
  id: string;
  link_id: string;
  /** Epoch ms. */
  at: number;
  visitor_id: string | null;
  referrer: string | null;
  country: string | null;
  device: string | null;
  is_bot: boolean;
  browser: string | null;
  os: string | null;
  variant: string | null;
  /** A HEAD request (a preview or a link check), never a human visit. */
  is_preview: boolean;
}

const COLUMNS = 'id, link_id, "at", visitor_id, referrer, country, device, is_bot, browser, os, variant, is_preview';

/** Column names of a batch, in table order (the JSON sent is one array per column: smaller and faster to parse). */
const FIELDS = ['id', 'link_id', 'at', 'visitor_id', 'referrer', 'country', 'device', 'is_bot', 'browser', 'os', 'variant', 'is_preview'] as const;
const TYPES: Record<(typeof FIELDS)[number], string> = {
  id: 'VARCHAR', link_id: 'VARCHAR', at: 'BIGINT', visitor_id: 'VARCHAR', referrer: 'VARCHAR', country: 'VARCHAR',
  device: 'VARCHAR', is_bot: 'BOOLEAN', browser: 'VARCHAR', os: 'VARCHAR', variant: 'VARCHAR', is_preview: 'BOOLEAN',
};
const SHAPE = JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, [TYPES[f]]])));

const INSERT_BATCH = `INSERT INTO click_log (${COLUMNS})
  SELECT ${FIELDS.map((f) => (f === 'at' ? 'make_timestamp(unnest(j."at") * 1000)' : `unnest(j.${f})`)).join(', ')}
  FROM (SELECT from_json($1::VARCHAR, '${SHAPE}') AS j)`;

/** The batch as one JSON object of columns. */
function batchJson(rows: readonly ClickRecord[]): string {
  const cols: Record<string, unknown[]> = {};
  for (const f of FIELDS) {
    const col = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) col[i] = rows[i]![f];
    cols[f] = col;
  }
  return JSON.stringify(cols);
}

const PREPARED = new WeakMap<DuckDBConnection, DuckDBPreparedStatement>();

/** Commits a batch of clicks to `click_log` in one statement (see the module comment). */
export async function appendClickLog(conn: DuckDBConnection, rows: readonly ClickRecord[]): Promise<void> {
  if (rows.length === 0) return;
  let stmt = PREPARED.get(conn);
  if (stmt === undefined) {
    stmt = await conn.prepare(INSERT_BATCH);
    PREPARED.set(conn, stmt);
  }
  stmt.bindVarchar(1, batchJson(rows));
  await stmt.run();
}

/** Moves every logged click into `clicks` (ignoring ids already there) in one transaction; returns how many moved. */
export async function mergeClickLog(conn: DuckDBConnection): Promise<number> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const n = Number((await conn.runAndReadAll('SELECT count(*)::BIGINT AS n FROM click_log')).getRowObjectsJS()[0]!.n);
    if (n > 0) {
      await conn.run(`INSERT OR IGNORE INTO clicks (${COLUMNS}) SELECT ${COLUMNS} FROM click_log`);
      await conn.run('DELETE FROM click_log');
    }
    await conn.run('COMMIT');
    return n;
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}
