/**
 * CORS for the tracking routes. Browsers may call them only with a publishable key, from an origin listed on that
 * key. A preflight carries no key, so it is admitted when its origin is listed on *any* live publishable key (the
 * real request is then checked against its own key); everything else gets no CORS headers, so the browser blocks it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listApiKeys } from '../../store/server-keys.js';
import type { DbQueue } from '../db-queue.js';

/** How long the set of allowed origins is cached (matches the API-key cache of auth.ts). */
const ORIGINS_CACHE_MS = 5_000;
/** How long browsers may cache a preflight answer. */
export const PREFLIGHT_MAX_AGE_S = 600;
/** Request headers a browser may send to the tracking routes. */
export const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';

/** The origins listed on live publishable keys, cached for a few seconds. */
export class PublishableOrigins {
  private cached: Set<string> | undefined;
  private until = 0;

  constructor(
    private readonly db: DbQueue,
    private readonly now: () => number,
  ) {}

  /** True when `origin` is listed on some live publishable key. */
  async allows(origin: string): Promise<boolean> {
    const now = this.now();
    if (this.cached === undefined || now >= this.until) {
      const keys = await this.db.read((conn) => listApiKeys(conn));
      this.cached = new Set(keys.filter((k) => k.kind === 'publishable' && k.revoked_at === null).flatMap((k) => k.origins));
      this.until = now + ORIGINS_CACHE_MS;
    }
    return this.cached.has(origin);
  }
}

/** The request's Origin header, if any. */
export function originOf(request: FastifyRequest): string | undefined {
  const o = request.headers.origin;
  return typeof o === 'string' && o.length > 0 ? o : undefined;
}

/** Adds the CORS answer headers that echo an allowed origin. */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', 'idempotent-replayed, retry-after');
}

/** Adds `Vary: Origin` (answers differ per origin, so caches must key on it). */
export function varyOrigin(reply: FastifyReply): void {
  const v = reply.getHeader('vary');
  if (v === undefined) reply.header('vary', 'Origin');
  else if (!String(v).toLowerCase().split(/,\s*/).includes('origin')) reply.header('vary', `${String(v)}, Origin`);
}
