/**
 * Bearer-key authentication, scope checks and the per-key rate limit, as a Fastify preHandler factory over the
 * server's one Authenticator: `requireScope(ctx.auth, 'links:write')`. 401 when the key is missing or unknown, 403
 * when it lacks every listed scope (`admin` passes every check), 429 with Retry-After when its token bucket is empty.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { findApiKeyByHash } from '../store/server-keys.js';
import { RATE_LIMIT_DEFAULTS } from './config.js';
import type { RateLimitConfig } from './config.js';
import type { DbQueue } from './db-queue.js';
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

/** The local admin credential's key. */
const LOCAL_KEY: ApiKey = { id: 'local', kind: 'secret', scopes: ['admin'], origins: [] };

/** What an Authenticator needs: the store's queue, the clock, the rate limit and this process's local admin token. */
export interface AuthOptions {
  db: DbQueue;
  now: () => number;
  rateLimit?: RateLimitConfig;
  /** The local admin token (written to the endpoint file for the CLI); none means no local credential. */
  localToken?: string;
}

/** Resolves presented keys (with a short cache) and holds each key's token bucket; one per server. */
export class Authenticator {
  private readonly db: DbQueue;
  private readonly now: () => number;
  private readonly buckets: TokenBuckets;
  private readonly cache = new Map<string, { key: ApiKey; until: number }>();
  private readonly localToken: Buffer | undefined;

  constructor(options: AuthOptions) {
    this.db = options.db;
    this.now = options.now;
    this.buckets = new TokenBuckets(options.rateLimit ?? RATE_LIMIT_DEFAULTS, options.now);
    this.localToken = options.localToken === undefined ? undefined : Buffer.from(options.localToken);
  }

  /** Resolves a presented key to its ApiKey, or undefined when unknown or revoked. */
  async authenticate(presented: string): Promise<ApiKey | undefined> {
    if (this.localToken !== undefined) {
      const b = Buffer.from(presented);
      if (b.length === this.localToken.length && timingSafeEqual(b, this.localToken)) return LOCAL_KEY;
    }
    if (!presented.startsWith('clout_')) return undefined;
    const hash = hashKey(presented);
    const now = this.now();
    const hit = this.cache.get(hash);
    if (hit !== undefined && hit.until > now) return hit.key;
    const row = await this.db.read((conn) => findApiKeyByHash(conn, hash));
    if (row === undefined) {
      this.cache.delete(hash);
      return undefined;
    }
    const key: ApiKey = { id: row.id, kind: row.kind, scopes: row.scopes as Scope[], origins: row.origins };
    this.cache.set(hash, { key, until: now + KEY_CACHE_MS });
    return key;
  }

  /** Takes a token from the key's bucket: 0 when admitted, else the seconds to wait. */
  take(keyId: string): number {
    return this.buckets.take(keyId);
  }
}

/** The bearer token of a request, if any. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/** A preHandler that admits requests whose key has one of `anyOf` (or admin), within the key's rate limit. */
export function requireScope(auth: Authenticator, ...anyOf: Scope[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const allowed = new Set<Scope>([...anyOf, 'admin']);
  return async (request) => {
    const presented = bearerOf(request);
    if (presented === undefined) {
      throw new HttpProblem(401, 'unauthorized', 'send an API key as Authorization: Bearer KEY', { 'www-authenticate': 'Bearer' });
    }
    const key = await auth.authenticate(presented);
    if (key === undefined) throw new HttpProblem(401, 'unauthorized', 'unknown or revoked API key', { 'www-authenticate': 'Bearer' });
    request.apiKey = key;
    if (!key.scopes.some((s) => allowed.has(s))) {
      throw new HttpProblem(403, 'forbidden', `this key lacks the scope ${anyOf.join(' or ')}`);
    }
    if (key.id === 'local') return;
    const wait = auth.take(key.id);
    if (wait > 0) {
      throw new HttpProblem(429, 'rate_limited', `rate limit of this key exceeded; retry in ${wait} s`, { 'retry-after': String(wait) });
    }
  };
}
