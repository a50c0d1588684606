/** `clout serve` as a command: flags > CLOUT_* environment > defaults, the ready line, and a graceful stop. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../src/cli/command.js';
import { serve, serveConfigFrom } from '../../../src/cli/commands/serve.js';
import { endpointPath } from '../../../src/store/server-endpoint.js';
import { tempDir } from '../../support/server.js';

describe('clout serve', () => {
  it('reads flags over CLOUT_* environment over defaults', () => {
    expect(serveConfigFrom({}, {})).toMatchObject({ host: '127.0.0.1', port: 8787, groupCommitMs: 50, rateLimit: { perSecond: 100, burst: 200 } });
    const env = { CLOUT_PORT: '9000', CLOUT_HOST: '0.0.0.0', CLOUT_STRIPE_WEBHOOK_SECRET: 'whsec_env', CLOUT_RATE_LIMIT: '5', CLOUT_BASE_URL: 'https://go.example/' };
    expect(serveConfigFrom({}, env)).toMatchObject({ host: '0.0.0.0', port: 9000, stripeWebhookSecret: 'whsec_env', rateLimit: { perSecond: 5, burst: 200 }, baseUrl: 'https://go.example' });
    expect(serveConfigFrom({ port: '9100', 'stripe-webhook-secret': 'whsec_flag', 'rate-burst': '7' }, env)).toMatchObject({
      port: 9100,
      stripeWebhookSecret: 'whsec_flag',
      rateLimit: { perSecond: 5, burst: 7 },
    });
    expect(() => serveConfigFrom({ 'group-commit-ms': '500' }, {})).toThrow(/between 1 and 100/);
    expect(() => serveConfigFrom({ port: 'http' }, {})).toThrow(/integer/);
  });

  it('serves until told to stop, prints where, and cleans up its endpoint file', async () => {
    const db = join(tempDir(), 's.duckdb');
    let out = '';
    const io: CommandIO = { stdout: (t) => (out += t), stderr: () => undefined, interactive: false, env: {} };
    const code = await serve({ db, port: '0', json: true }, io, async (s) => {
      expect(existsSync(endpointPath(db))).toBe(true);
      const health = await fetch(`${s.url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { servers: { url: string }[] };
      expect(doc.servers).toEqual([{ url: s.url }]);
      return 'test';
    });
    expect(code).toBe(0);
    const ready = JSON.parse(out.split('\n')[0]!) as { url: string; pid: number; db: string };
    expect(ready).toMatchObject({ pid: process.pid, db });
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(endpointPath(db))).toBe(false);
  });
});
