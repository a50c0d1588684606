/**
 * The server context is one object built at start: createServerContext over an open store gives every shared part
 * as a field, buildApp serves it in-process (app.inject, no socket), and closeServerContext flushes the clicks.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { resolveServerConfig } from '../../src/server/config.js';
import { closeServerContext, createServerContext } from '../../src/server/context.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { BROWSER_UA } from '../support/server.js';

describe('createServerContext + buildApp', () => {
  it('serves links, redirects and clicks in-process over an in-memory store', async () => {
    const store = await openStore(':memory:');
    const t = Date.parse('2026-03-02T10:00:00Z');
    const ctx = await createServerContext({ store, config: resolveServerConfig({ baseUrl: 'https://go.example', seed: 3 }), now: () => t, localToken: 'clout_local_test' });
    try {
      expect(Object.keys(ctx).sort()).toEqual(['auth', 'clicks', 'config', 'conversions', 'db', 'links', 'now', 'redirector', 'store']);
      const app = await buildApp(ctx);
      try {
        const auth = { authorization: 'Bearer clout_local_test' };
        const created = await app.inject({ method: 'POST', url: '/api/links', headers: auth, payload: { url: 'https://shop.example/a', key: 'inproc' } });
        expect(created.statusCode, created.body).toBe(201);
        expect(created.json()).toMatchObject({ short_url: 'https://go.example/inproc' });
        expect(ctx.links.get('inproc')).toBeDefined();
        const r = await app.inject({ method: 'GET', url: '/inproc', headers: { 'user-agent': BROWSER_UA } });
        expect(r.statusCode).toBe(302);
        expect(r.headers.location).toMatch(/^https:\/\/shop\.example\/a\?clout_id=/);
        await ctx.clicks.settle();
        const n = (await ctx.db.read((conn) => conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM clicks'))).getRowObjectsJS()[0]!.n;
        expect(n).toBe(1);
        expect((await app.inject({ method: 'GET', url: '/api/links', headers: { authorization: 'Bearer clout_local_wrong' } })).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    } finally {
      await closeServerContext(ctx);
      await closeStore(store);
    }
  });
});
