/**
 * A small polite HTTP client for the connectors (the only network access in clout): GET JSON with a `clout/<version>`
 * User-Agent and a timeout; retries with exponential backoff and jitter on 429, 5xx and network errors; honours
 * `Retry-After` and the rate-limit headers of Bluesky (`ratelimit-remaining`/`ratelimit-reset`, epoch seconds) and
 * Mastodon (`X-RateLimit-Remaining`/`X-RateLimit-Reset`, an ISO time): when none is left it waits until the reset
 * before the next request. A wait longer than `maxWaitMs` is an error (run again later: fetches resume). The clock,
 * the sleep and the jitter are injectable so tests never wait.
 */
import { CloutError, cloutVersion, Rng } from '../domain/index.js';

/** How the client waits, reads the time and draws jitter (real by default; tests inject their own). */
export interface HttpClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Options of an HttpClient. */
export interface HttpClientOptions {
  /** The User-Agent (default `clout/<version>`). */
  userAgent?: string;
  /** Time allowed for one request, in ms (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network errors (default 4). */
  retries?: number;
  /** First backoff delay, in ms (default 1 s); doubles each retry, capped by `maxBackoffMs`. */
  baseDelayMs?: number;
  /** Cap of one backoff delay, in ms (default 60 s). */
  maxBackoffMs?: number;
  /** The longest single wait accepted (Retry-After, a rate-limit reset), in ms (default 10 minutes). */
  maxWaitMs?: number;
  /** The clock and sleep (default: Date.now and setTimeout). */
  clock?: HttpClock;
  /** Uniform draws in [0, 1) for the jitter (default: a seeded Rng). */
  random?: () => number;
  /** Seed of the default jitter source (default: the clock's time). */
  seed?: number;
  /** The fetch function (default: Node's global fetch). */
  fetch?: typeof fetch;
  /** Told about every wait (rate limit or backoff) before it starts. */
  onWait?: (ms: number, reason: string) => void;
}

/** A JSON answer: its status, headers, final URL and parsed body. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  url: string;
  body: unknown;
}

/** What the client did: requests sent, retries, and the time it waited in total. */
export interface HttpStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/** The real clock: Date.now and a setTimeout sleep. */
export const REAL_CLOCK: HttpClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The HTTP status an error from the client carries (a 4xx answer), or undefined for any other error. */
export function httpStatusOf(e: unknown): number | undefined {
  if (!(e instanceof CloutError)) return undefined;
  const status = e.details?.['status'];
  return typeof status === 'number' ? status : undefined;
}

/** Reads a `Retry-After` header (delta seconds or an HTTP date) as ms from `now`, or undefined. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.max(0, Math.round(Number(t) * 1000));
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Reads a rate-limit reset header as an epoch-ms instant: a number ≥ 1e9 is epoch seconds (Bluesky), a smaller number
 * is seconds from now, anything else a date (Mastodon's ISO time); undefined when unreadable.
 */
export function resetInstant(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return n >= 1e9 ? Math.round(n * 1000) : now + Math.round(n * 1000);
  }
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : at;
}

/** The rate-limit state a response announces: requests left and when the window resets (either may be unknown). */
export function rateLimitOf(headers: Headers, now: number): { remaining: number | undefined; resetAt: number | undefined } {
  const remainingText = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining');
  const remaining = remainingText !== null && /^\s*-?\d+\s*$/.test(remainingText) ? Number(remainingText) : undefined;
  const resetAt = resetInstant(headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset'), now);
  return { remaining, resetAt };
}

/** The backoff before retry `attempt` (0-based): base·2^attempt capped, half of it fixed and half jitter. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const full = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(full / 2 + random() * (full / 2));
}

/** One line from an error answer's JSON body (`error`/`message` of XRPC and Mastodon), or ''. */
function bodyMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const b = body as { error?: unknown; message?: unknown; error_description?: unknown };
  const parts = [b.error, b.message ?? b.error_description].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.join(': ');
}

const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;

/** GETs JSON politely (see the module comment); one client per run, shared by every request to every host. */
export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, waitedMs: 0 };
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: HttpClock;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly onWait: ((ms: number, reason: string) => void) | undefined;
  /** Per host: no request before this instant (a rate-limit window with nothing left). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(options: HttpClientOptions = {}) {
    this.userAgent = options.userAgent ?? `clout/${cloutVersion()}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.maxWaitMs = options.maxWaitMs ?? 600_000;
    this.clock = options.clock ?? REAL_CLOCK;
    const rng = new Rng(options.seed ?? this.clock.now());
    this.random = options.random ?? (() => rng.uniform());
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.onWait = options.onWait;
  }

  /** GETs `url` and parses its JSON; retries what can be retried; a 4xx answer is a CloutError('input') with its status. */
  async getJson(url: URL): Promise<JsonResponse> {
    const where = `${url.host}${url.pathname}`;
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      await this.waitForWindow(url.host);
      let response: Response;
      try {
        this.stats.requests++;
        response = await this.fetchFn(url, {
          method: 'GET',
          headers: { 'user-agent': this.userAgent, accept: 'application/json' },
          redirect: 'follow',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        lastProblem = networkReason(e, this.timeoutMs);
        if (attempt === this.retries) break;
        await this.pause(backoffMs(attempt, this.baseDelayMs, this.maxBackoffMs, this.random), `${lastProblem} (${where}); retrying`);
        this.stats.retries++;
        continue;
      }
      const now = this.clock.now();
      const limit = rateLimitOf(response.headers, now);
      if (limit.remaining !== undefined && limit.remaining <= 0 && limit.resetAt !== undefined && limit.resetAt > now) {
        this.blockedUntil.set(url.host, limit.resetAt);
      }
      const text = await response.text();
      const body = parseJson(text);
      if (response.ok) {
        if (body === undefined) throw new CloutError('network', `${where} answered ${response.status} with something that is not JSON`, { url: url.href });
        return { status: response.status, headers: response.headers, url: response.url || url.href, body };
      }
      const detail = bodyMessage(body);
      lastProblem = `${url.host} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${detail ? ` (${detail})` : ''}`;
      if (response.status === 429 || response.status >= 500) {
        if (attempt === this.retries) break;
        // Retry-After when given; for a 429, else the announced reset; else a backoff (a 5xx's reset is only its window).
        const untilReset = response.status === 429 && limit.resetAt !== undefined ? Math.max(0, limit.resetAt - now) : undefined;
        const asked = retryAfterMs(response.headers.get('retry-after'), now) ?? untilReset;
        const wait = asked ?? backoffMs(attempt, this.baseDelayMs, this.maxBackoffMs, this.random);
        if (wait > this.maxWaitMs) throw this.tooLong(url.host, wait, lastProblem);
        await this.pause(wait, `${lastProblem} for ${where}; retrying`);
        this.stats.retries++;
        continue;
      }
      throw new CloutError('input', `${lastProblem} for ${url.pathname}${url.search}`, { status: response.status, url: url.href, ...(detail ? { error: detail } : {}) });
    }
    throw new CloutError('network', `${lastProblem} for ${where}; gave up after ${this.retries + 1} attempts (run the same command again later: the fetch resumes where it stopped)`, { url: url.href });
  }

  /** Waits out a rate-limit window with nothing left on `host` (an error when longer than the longest wait allowed). */
  private async waitForWindow(host: string): Promise<void> {
    const until = this.blockedUntil.get(host);
    if (until === undefined) return;
    this.blockedUntil.delete(host);
    const wait = until - this.clock.now();
    if (wait <= 0) return;
    if (wait > this.maxWaitMs) throw this.tooLong(host, wait, `${host} has no requests left in its rate-limit window`);
    await this.pause(wait, `${host} rate limit reached; waiting for its reset`);
  }

  private async pause(ms: number, reason: string): Promise<void> {
    this.onWait?.(ms, reason);
    this.stats.waitedMs += ms;
    await this.clock.sleep(ms);
  }

  private tooLong(host: string, wait: number, problem: string): CloutError {
    return new CloutError(
      'input',
      `${problem}: ${host} asks to wait ${seconds(wait)}, more than the longest wait allowed (${seconds(this.maxWaitMs)}, --max-wait); run the same command again later: the fetch resumes where it stopped`,
      { host, wait_ms: wait },
    );
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A network error as one short reason (timeout, refused, unknown host…). */
function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`;
  const code = err?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'ECONNRESET') return 'connection reset';
  return err?.cause?.message ?? err?.message ?? String(e);
}
