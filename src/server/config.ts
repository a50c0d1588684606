/** Defaults of `clout serve` and the resolver that checks a partial configuration against them. */
import { CloutError } from '../domain/index.js';

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

/** Default per-key rate limit: 100 requests/s sustained, bursts of 200. */
export const RATE_LIMIT_DEFAULTS: RateLimitConfig = { perSecond: 100, burst: 200 };

/** Defaults of `clout serve` (flags and CLOUT_* environment variables override them). */
export const SERVER_DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 8787,
  baseUrl: '',
  clickIdParam: 'clout_id',
  bodyLimitBytes: 64 * 1024,
  groupCommitMs: 50,
  rateLimit: RATE_LIMIT_DEFAULTS,
  clickBatchRows: 4096,
};

/** Merges `partial` over the defaults and checks the bounds; baseUrl defaults to http://host:port. */
export function resolveServerConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  const config: ServerConfig = { ...SERVER_DEFAULTS, ...stripUndefined(partial) };
  if (!(config.groupCommitMs > 0 && config.groupCommitMs <= 100)) {
    throw new CloutError('bad_option', `groupCommitMs must be in (0, 100] ms; got ${config.groupCommitMs}`);
  }
  if (!/^[A-Za-z0-9_.~-]{1,64}$/.test(config.clickIdParam)) {
    throw new CloutError('bad_option', `clickIdParam must be a plain URL parameter name; got '${config.clickIdParam}'`);
  }
  if (!(config.bodyLimitBytes >= 1024)) throw new CloutError('bad_option', 'bodyLimitBytes must be ≥ 1024');
  const rl = config.rateLimit ?? RATE_LIMIT_DEFAULTS;
  if (!(rl.perSecond > 0 && rl.burst >= 1)) throw new CloutError('bad_option', 'rate limit needs perSecond > 0 and burst ≥ 1');
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
