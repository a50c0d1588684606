/**
 * API keys: `clout_…` secret keys and `clout_pk_…` publishable keys (scope exactly ['conversions:client'], with the
 * origins allowed to use them). A key is 192 random bits, shown once; the store keeps only its SHA-256 (a fast hash is
 * right for high-entropy secrets — there is nothing to brute-force).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CloutError } from '../domain/index.js';
import type { Store } from '../store/db.js';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../store/server-keys.js';
import { SCOPES, type Scope } from './scopes.js';

/** What a new key is for. */
export interface NewKeyOptions {
  scopes: readonly string[];
  origins?: readonly string[];
  name?: string;
}

/** SHA-256 hex of a presented key. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Checks scopes and origins, and decides the key's kind. */
export function planKey(options: NewKeyOptions): { kind: 'secret' | 'publishable'; scopes: Scope[]; origins: string[] } {
  if (options.scopes.length === 0) throw new CloutError('usage', `a key needs at least one scope among ${SCOPES.join(', ')}`);
  for (const s of options.scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) throw new CloutError('usage', `unknown scope '${s}'; scopes are ${SCOPES.join(', ')}`);
  }
  const scopes = [...new Set(options.scopes)] as Scope[];
  const origins = (options.origins ?? []).map(normalizeOrigin);
  const publishable = scopes.length === 1 && scopes[0] === 'conversions:client';
  if (scopes.includes('conversions:client') && !publishable) {
    throw new CloutError('usage', "scope 'conversions:client' makes a publishable key and cannot be combined with other scopes");
  }
  if (publishable && origins.length === 0) {
    throw new CloutError('usage', 'a publishable key (conversions:client) needs --origin with the landing pages allowed to use it');
  }
  if (!publishable && origins.length > 0) throw new CloutError('usage', '--origin applies only to publishable keys (scope conversions:client)');
  return { kind: publishable ? 'publishable' : 'secret', scopes, origins };
}

/** Normalizes an origin (`https://shop.example` — scheme, host, optional port; no path). */
export function normalizeOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CloutError('usage', `origin '${text}' is not a URL like https://shop.example`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CloutError('usage', `origin '${text}' must be http(s)`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new CloutError('usage', `origin '${text}' must be scheme://host[:port] only`);
  }
  return url.origin;
}

/** Creates a key on a connection; returns its id and the key text (shown once). */
export async function createApiKeyOn(conn: DuckDBConnection, options: NewKeyOptions, now = Date.now()): Promise<{ id: string; key: string; row: ApiKeyRow }> {
  const plan = planKey(options);
  const key = (plan.kind === 'publishable' ? 'clout_pk_' : 'clout_') + randomBytes(24).toString('base64url');
  const id = 'key_' + randomBytes(8).toString('hex');
  const row: ApiKeyRow = {
    id,
    kind: plan.kind,
    hash: hashKey(key),
    prefix: key.slice(0, plan.kind === 'publishable' ? 13 : 10),
    name: options.name ?? null,
    scopes: plan.scopes,
    origins: plan.origins,
    created_at: now,
    revoked_at: null,
  };
  await insertApiKey(conn, row);
  return { id, key, row };
}

/** Creates a key in the store (on `store.conn`); returns its id and the key text. */
export async function createApiKey(store: Store, options: NewKeyOptions): Promise<{ id: string; key: string }> {
  const { id, key } = await createApiKeyOn(store.conn, options);
  return { id, key };
}

/** Every key of the store, without secrets. */
export async function listKeys(store: Store): Promise<Omit<ApiKeyRow, 'hash'>[]> {
  return (await listApiKeys(store.conn)).map(({ hash: _hash, ...rest }) => rest);
}

/** Revokes a key by id; throws when there is no live key with that id. */
export async function revokeKey(store: Store, id: string, now = Date.now()): Promise<void> {
  if (!(await revokeApiKey(store.conn, id, now))) throw new CloutError('usage', `no live key with id '${id}'`);
}
