/**
 * One store, two doors: while `clout serve` holds a store, `clout report` and `clout import` go through its API
 * (same results as without a server), other commands stop with a message naming the server; stale files are ignored.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointPath } from '../../../src/store/server-endpoint.js';
import { closeStore, openStore } from '../../../src/store/index.js';
import { BROWSER_UA, tempDir, testServer } from '../../support/server.js';
import { clout } from '../../support/cli.js';
import { demoStore } from '../../support/world.js';
import { TEST_DIR } from '../../support/paths.js';

const FIXTURES = join(TEST_DIR, 'fixtures', 'import');

describe('two doors', () => {
  it('import and report through a running server give what they give without one', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    cpSync(join(FIXTURES, 'malformed'), data, { recursive: true });
    const served = join(dir, 'served.duckdb');
    const plain = join(dir, 'plain.duckdb');

    const s = await testServer({}, served);
    try {
      const file = endpointPath(served);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const endpoint = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string; token: string };
      expect(endpoint).toMatchObject({ pid: process.pid, url: s.url });

      const viaServer = await clout(['import', data, '--db', served, '--json', '--rejects', join(dir, 'served.rejects.ndjson')]);
      const direct = await clout(['import', data, '--db', plain, '--json', '--rejects', join(dir, 'plain.rejects.ndjson')]);
      expect(direct.code).toBe(3); // the malformed corpus has rejected rows
      expect(viaServer.code).toBe(direct.code);
      expect(viaServer.stderr).toBe(direct.stderr);
      expect(JSON.parse(viaServer.stdout)).toEqual(JSON.parse(direct.stdout));
      expect(readFileSync(join(dir, 'served.rejects.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'plain.rejects.ndjson'), 'utf8'));

      // A click captured by the server is in the report the CLI gets through it.
      const link = (await (await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://shop.example/', author_id: 'a1' } })).json()) as { key: string };
      expect((await s.req('GET', `/${link.key}`, { headers: { 'user-agent': BROWSER_UA } })).status).toBe(302);
      const reportVia = await clout(['report', '--db', served, '--json', '--type', 'donation']);
      expect(reportVia.code).toBe(0);
      const api = await (await s.req('GET', '/api/report?type=donation', { key: s.adminKey })).json();
      expect(JSON.parse(reportVia.stdout)).toEqual(api);
      const human = await clout(['report', '--db', served]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/human clicks/);

      // Any other command on the held store stops with a clear message naming the server.
      const other = await clout(['keys', 'list', '--db', served]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`pid ${process.pid}`);
      expect(other.stderr).toContain(s.url);
      expect(other.stderr).toMatch(/held by a running 'clout serve'/);
      // Usage errors still come first and the same way.
      expect((await clout(['import', '--db', served])).code).toBe(2);

      await s.close();
      expect(existsSync(file)).toBe(false);
      // Without the server, the same report straight from the store.
      const reportDirect = await clout(['report', '--db', served, '--json', '--type', 'donation']);
      expect(JSON.parse(reportDirect.stdout)).toEqual(JSON.parse(reportVia.stdout));
    } finally {
      await s.close();
    }
  });

  it('ignores and replaces a stale endpoint file (dead pid)', async () => {
    const dir = tempDir();
    const db = join(dir, 'stale.duckdb');
    await closeStore(await openStore(db)); // keys list only reads: the store must exist
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(endpointPath(db), JSON.stringify({ pid: dead, url: 'http://127.0.0.1:9', token: 'x' }));
    const list = await clout(['keys', 'list', '--db', db, '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ keys: [] });
    const s = await testServer({}, db);
    try {
      expect(JSON.parse(readFileSync(endpointPath(db), 'utf8')).pid).toBe(process.pid);
    } finally {
      await s.close();
    }
  });
});

describe('a report through the server does not hold up the redirect', () => {
  it('answers redirects promptly while the outcome model runs (it runs in a worker thread)', async () => {
    const { db } = await demoStore(4, 'clout-report-worker-');
    const s = await testServer({}, db);
    try {
      const link = (await (await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://shop.example/', author_id: 'a1' } })).json()) as { key: string };
      let done = false;
      const t0 = performance.now();
      const report = s.req('GET', '/api/report?type=sale&niter=3000', { key: s.adminKey }).then(async (r) => {
        done = true;
        return { status: r.status, seconds: (performance.now() - t0) / 1000, body: (await r.json()) as { model: { status: string } } };
      });
      await new Promise((r) => setTimeout(r, 300)); // the store is read; the fit has started
      const latencies: number[] = [];
      while (!done && latencies.length < 200) {
        const t = performance.now();
        expect((await s.req('GET', `/${link.key}`, { headers: { 'user-agent': BROWSER_UA } })).status).toBe(302);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      const r = await report;
      expect(r.status).toBe(200);
      expect(r.body.model.status).toBe('fitted');
      expect(latencies.length).toBeGreaterThanOrEqual(10); // the fit took long enough to probe it
      expect(Math.max(...latencies)).toBeLessThan(250); // on the event loop, the fit would hold each redirect for seconds
    } finally {
      await s.close();
    }
  }, 120_000);
});
