/** Per-key token buckets: `perSecond` tokens refill continuously up to `burst`; each request takes one. */
import type { RateLimitConfig } from './config.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** A set of token buckets keyed by key id, on an injected clock. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number,
  ) {}

  /** Takes a token for `id`; returns 0 when allowed, else the seconds until a token is available (≥ 1). */
  take(id: string): number {
    const t = this.now();
    const { perSecond, burst } = this.config;
    let b = this.buckets.get(id);
    if (b === undefined) {
      b = { tokens: burst, at: t };
      this.buckets.set(id, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, t - b.at) / 1000) * perSecond);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}
