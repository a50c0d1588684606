/** Defaults of `clout serve` and the resolver that checks a partial configuration against them. */
import { CloutError } from '../domain/index.js';
import type { RateLimitConfig, ServerConfig } from './context.js';

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
