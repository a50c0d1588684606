/** What every part of the HTTP service shares: the store, its write/read queue, the configuration and the clock. */
import type { Store } from '../store/index.js';
import type { DbQueue } from './db-queue.js';

/** Per-key token bucket: `perSecond` tokens refill each second, up to `burst`. */
export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

/** Configuration of `clout serve`; defaults in SERVER_DEFAULTS (src/server/config.ts). */
export interface ServerConfig {
  host: string;
  port: number;
  /** Public base URL of short links (`short_url = baseUrl + '/' + key`). */
  baseUrl: string;
  /** Default query parameter carrying the click id on redirects ('clout_id'). */
  clickIdParam: string;
  /** A trusted request header carrying the visitor's ISO country code (e.g. 'cf-ipcountry'). */
  countryHeader?: string;
  stripeWebhookSecret?: string;
  webhookSecret?: string;
  bodyLimitBytes: number;
  /** Longest time a captured click waits in memory before it is appended to the store (≤ 100). */
  groupCommitMs: number;
  /** Per-key rate limit (default 100 req/s, burst 200). */
  rateLimit?: RateLimitConfig;
  /** Clicks buffered before a flush is started regardless of the timer (default 4096). */
  clickBatchRows?: number;
  /** Seed of the variant chooser; random when absent. */
  seed?: number;
}

/** The service's shared state, passed to every route module. */
export interface ServerContext {
  store: Store;
  db: DbQueue;
  config: ServerConfig;
  /** The clock (epoch ms); injectable for tests. */
  now(): number;
}
