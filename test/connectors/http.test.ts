/** The connectors' HTTP client: rate-limit headers, retries with backoff, errors — against 127.0.0.1 only. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloutError, cloutVersion } from '../../src/domain/index.js';
import { HttpClient, backoffMs, httpStatusOf, rateLimitOf, resetInstant, retryAfterMs } from '../../src/connectors/http.js';
import { ROOT } from '../support/paths.js';
import { fakeClock, replayServer, type ReplayServer } from '../support/replay.js';
import { tempFolder } from './support.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

describe('rate-limit headers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7', NOW)).toBe(7000);
    expect(retryAfterMs('1.5', NOW)).toBe(1500);
    expect(retryAfterMs('Tue, 10 Mar 2026 12:01:00 GMT', NOW)).toBe(60_000);
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs(null, NOW)).toBeUndefined();
  });

  it('reads a reset as epoch seconds (Bluesky), seconds from now, or an ISO time (Mastodon)', () => {
    expect(resetInstant(String(NOW / 1000 + 30), NOW)).toBe(NOW + 30_000);
    expect(resetInstant('45', NOW)).toBe(NOW + 45_000);
    expect(resetInstant('2026-03-10T12:05:00.000Z', NOW)).toBe(NOW + 300_000);
    expect(resetInstant('later', NOW)).toBeUndefined();
  });

  it('takes either header family', () => {
    expect(rateLimitOf(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 5) }), NOW)).toEqual({ remaining: 0, resetAt: NOW + 5000 });
    expect(rateLimitOf(new Headers({ 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': '2026-03-10T12:00:10Z' }), NOW)).toEqual({ remaining: 12, resetAt: NOW + 10_000 });
    expect(rateLimitOf(new Headers({}), NOW)).toEqual({ remaining: undefined, resetAt: undefined });
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((a) => backoffMs(a, 1000, 60_000, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(10, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('knows clout’s version for its User-Agent: the one package.json says', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cloutVersion()).toBe(pkg.version);
    expect(cloutVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('HttpClient', () => {
  let server: ReplayServer;
  let dir: string;
  beforeEach(async () => {
    dir = tempFolder('clout-http-');
    writeFileSync(
      join(dir, 'routes.json'),
      JSON.stringify({
        'GET /ok': [{ body: { fine: true } }],
        'GET /missing': [{ status: 404, body: { error: 'Record not found' } }],
        'GET /flaky': [{ status: 502, body: {} }],
        'GET /text': [{ body: 'x' }],
      }),
    );
    writeFileSync(join(dir, 'text.json'), 'not json');
    server = await replayServer(dir);
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends the User-Agent and returns parsed JSON', async () => {
    const http = new HttpClient({ clock: fakeClock(), random: () => 0.5 });
    const r = await http.getJson(new URL('/ok', server.origin));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ fine: true });
    expect(server.requests[0]!.headers['user-agent']).toBe('clout/0.1.0');
    expect(http.stats).toEqual({ requests: 1, retries: 0, waitedMs: 0 });
  });

  it('does not retry a 4xx: a CloutError with the status and the server’s message', async () => {
    const http = new HttpClient({ clock: fakeClock(), random: () => 0.5 });
    const e = await http.getJson(new URL('/missing', server.origin)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CloutError);
    expect((e as CloutError).code).toBe('input');
    expect((e as CloutError).message).toBe(`${new URL(server.origin).host} answered 404 Not Found (Record not found) for /missing`);
    expect(httpStatusOf(e)).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a 5xx after its retries, saying the fetch resumes', async () => {
    const clock = fakeClock();
    const http = new HttpClient({ clock, random: () => 0.5, retries: 2 });
    const e = await http.getJson(new URL('/flaky', server.origin)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CloutError);
    expect((e as CloutError).code).toBe('network');
    expect((e as CloutError).message).toMatch(/answered 502 Bad Gateway for .*\/flaky; gave up after 3 attempts \(run the same command again later/);
    expect(clock.sleeps).toEqual([750, 1500]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries network errors (connection refused) with backoff, then gives up', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const clock = fakeClock();
    const http = new HttpClient({ clock, random: () => 0, retries: 2 });
    await expect(http.getJson(new URL(`http://127.0.0.1:${port}/x`))).rejects.toThrow(/connection refused for 127\.0\.0\.1:\d+\/x; gave up after 3 attempts/);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('refuses an answer that is not JSON', async () => {
    writeFileSync(join(dir, 'routes.json'), JSON.stringify({ 'GET /text': [{ file: 'text.json' }] }));
    const other = await replayServer(dir);
    try {
      const http = new HttpClient({ clock: fakeClock() });
      await expect(http.getJson(new URL('/text', other.origin))).rejects.toThrow(/answered 200 with something that is not JSON/);
    } finally {
      await other.close();
    }
  });
});
