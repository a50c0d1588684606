/** SQL of API keys: keys are stored as SHA-256 hashes with their scopes and allowed origins, never in clear. */
import type { DuckDBConnection } from '@duckdb/node-api';

/** One stored key, without its secret. */
export interface ApiKeyRow {
  id: string;
  kind: 'secret' | 'publishable';
  hash: string;
  prefix: string;
  name: string | null;
  scopes: string[];
  origins: string[];
  created_at: number;
  revoked_at: number | null;
}

/** Inserts a key row. */
export async function insertApiKey(conn: DuckDBConnection, row: Omit<ApiKeyRow, 'revoked_at'>): Promise<void> {
  await conn.run(
    `INSERT INTO api_keys (id, kind, hash, prefix, name, scopes, origins, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, make_timestamp($8::BIGINT * 1000), NULL)`,
    [row.id, row.kind, row.hash, row.prefix, row.name, row.scopes.join(','), JSON.stringify(row.origins), row.created_at],
  );
}

const SELECT = `SELECT id, kind, hash, prefix, name, scopes, origins, epoch_ms(created_at)::DOUBLE AS created_at,
                       epoch_ms(revoked_at)::DOUBLE AS revoked_at FROM api_keys`;

function toRow(r: Record<string, unknown>): ApiKeyRow {
  return {
    id: String(r.id),
    kind: r.kind === 'publishable' ? 'publishable' : 'secret',
    hash: String(r.hash),
    prefix: String(r.prefix),
    name: r.name === null ? null : String(r.name),
    scopes: String(r.scopes).split(',').filter((s) => s.length > 0),
    origins: JSON.parse(String(r.origins)) as string[],
    created_at: Number(r.created_at),
    revoked_at: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

/** The live (not revoked) key with this hash, if any. */
export async function findApiKeyByHash(conn: DuckDBConnection, hash: string): Promise<ApiKeyRow | undefined> {
  const rows = (await conn.runAndReadAll(`${SELECT} WHERE hash = $1 AND revoked_at IS NULL`, [hash])).getRowObjectsJS();
  return rows.length > 0 ? toRow(rows[0] as Record<string, unknown>) : undefined;
}

/** Every key (revoked ones too), oldest first. */
export async function listApiKeys(conn: DuckDBConnection): Promise<ApiKeyRow[]> {
  return (await conn.runAndReadAll(`${SELECT} ORDER BY created_at, id`)).getRowObjectsJS().map((r) => toRow(r as Record<string, unknown>));
}

/** Marks a key revoked; false when no live key has this id. */
export async function revokeApiKey(conn: DuckDBConnection, id: string, at: number): Promise<boolean> {
  const live = (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id])).getRowObjectsJS();
  if (Number(live[0]?.n ?? 0) === 0) return false;
  await conn.run('UPDATE api_keys SET revoked_at = make_timestamp($2::BIGINT * 1000) WHERE id = $1', [id, at]);
  return true;
}
