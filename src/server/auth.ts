/**
 * Bearer-key authentication, scope checks and the per-key rate limit, as a Fastify preHandler factory:
 * `requireScope(ctx, 'links:write')`. 401 when the key is missing or unknown, 403 when it lacks every listed scope
 * (`admin` passes every check), 429 with Retry-After when its token bucket is empty.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { findApiKeyByHash } from '../store/server-keys.js';
import { RATE_LIMIT_DEFAULTS } from './config.js';
import type { ServerContext } from './context.js';
import { hashKey } from './keys.js';
import { HttpProblem } from './problem.js';
import { TokenBuckets } from './rate-limit.js';
import type { Scope } from './scopes.js';

export type { Scope } from './scopes.js';
export { SCOPES } from './scopes.js';

/** The authenticated key of a request. */
export interface ApiKey {
  id: string;
  kind: 'secret' | 'publishable';
  scopes: Scope[];
  origins: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** How long a found key is trusted without asking the store again. */
const KEY_CACHE_MS = 5_000;

interface AuthState {
  buckets: TokenBuckets;
  cache: Map<string, { key: ApiKey; until: number }>;
  localToken: Buffer | undefined;
}

const STATES = new WeakMap<ServerContext, AuthState>();

function stateOf(ctx: ServerContext): AuthState {
  let s = STATES.get(ctx);
  if (s === undefined) {
    s = { buckets: new TokenBuckets(ctx.config.rateLimit ?? RATE_LIMIT_DEFAULTS, () => ctx.now()), cache: new Map(), localToken: undefined };
    STATES.set(ctx, s);
  }
  return s;
}

/** Registers the local admin token of this server process (written to the endpoint file for the CLI). */
export function setLocalToken(ctx: ServerContext, token: string): void {
  stateOf(ctx).localToken = Buffer.from(token);
}

/** The local admin credential's key. */
const LOCAL_KEY: ApiKey = { id: 'local', kind: 'secret', scopes: ['admin'], origins: [] };

/** Resolves a presented key to its ApiKey, or undefined when unknown or revoked. */
export async function authenticate(ctx: ServerContext, presented: string): Promise<ApiKey | undefined> {
  const state = stateOf(ctx);
  if (state.localToken !== undefined) {
    const b = Buffer.from(presented);
    if (b.length === state.localToken.length && timingSafeEqual(b, state.localToken)) return LOCAL_KEY;
  }
  if (!presented.startsWith('clout_')) return undefined;
  const hash = hashKey(presented);
  const now = ctx.now();
  const hit = state.cache.get(hash);
  if (hit !== undefined && hit.until > now) return hit.key;
  const row = await ctx.db.read((conn) => findApiKeyByHash(conn, hash));
  if (row === undefined) {
    state.cache.delete(hash);
    return undefined;
  }
  const key: ApiKey = { id: row.id, kind: row.kind, scopes: row.scopes as Scope[], origins: row.origins };
  state.cache.set(hash, { key, until: now + KEY_CACHE_MS });
  return key;
}

/** The bearer token of a request, if any. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/** A preHandler that admits requests whose key has one of `anyOf` (or admin), within the key's rate limit. */
export function requireScope(ctx: ServerContext, ...anyOf: Scope[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const allowed = new Set<Scope>([...anyOf, 'admin']);
  const state = stateOf(ctx);
  return async (request) => {
    const presented = bearerOf(request);
    if (presented === undefined) {
      throw new HttpProblem(401, 'unauthorized', 'send an API key as Authorization: Bearer KEY', { 'www-authenticate': 'Bearer' });
    }
    const key = await authenticate(ctx, presented);
    if (key === undefined) throw new HttpProblem(401, 'unauthorized', 'unknown or revoked API key', { 'www-authenticate': 'Bearer' });
    request.apiKey = key;
    if (!key.scopes.some((s) => allowed.has(s))) {
      throw new HttpProblem(403, 'forbidden', `this key lacks the scope ${anyOf.join(' or ')}`);
    }
    if (key.id === 'local') return;
    const wait = state.buckets.take(key.id);
    if (wait > 0) {
      throw new HttpProblem(429, 'rate_limited', `rate limit of this key exceeded; retry in ${wait} s`, { 'retry-after': String(wait) });
    }
  };
}
