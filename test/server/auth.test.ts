/** API keys and authorization: the scope matrix of the link/analytics/report/import routes, rate limits, the keys CLI. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../../src/server/keys.js';
import type { Scope } from '../../src/server/auth.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { BROWSER_UA, tempDir, testServer, type TestServer } from '../support/server.js';
import { clout } from '../support/cli.js';
import { TEST_DIR } from '../support/paths.js';

const FIXTURE_DIR = join(TEST_DIR, 'fixtures', 'import', 'clean');

let s: TestServer;
let linkId: string;
let linkKey: string;
const keys = new Map<string, string>();

beforeAll(async () => {
  s = await testServer({ rateLimit: { perSecond: 1_000, burst: 1_000 } });
  for (const scope of ['links:read', 'links:write', 'conversions:write', 'analytics:read', 'admin'] as Scope[]) keys.set(scope, await s.key([scope]));
  keys.set('conversions:client', await s.key(['conversions:client'], ['https://shop.example']));
  const res = await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://shop.example/m', key: 'matrix' } });
  ({ id: linkId, key: linkKey } = (await res.json()) as { id: string; key: string });
});
afterAll(async () => {
  await s.close();
});

type Caller = 'none' | Scope;
const CALLERS: Caller[] = ['none', 'links:read', 'links:write', 'conversions:write', 'conversions:client', 'analytics:read', 'admin'];

/** One row per endpoint: the scopes that pass (admin always does), the success status, and how to call it. */
const MATRIX: { name: string; allowed: Caller[]; ok: number; call: (key?: string) => Promise<Response> }[] = [
  { name: 'POST /api/links', allowed: ['links:write', 'admin'], ok: 201, call: (key) => s.req('POST', '/api/links', { key, body: { url: 'https://shop.example/n' } }) },
  { name: 'GET /api/links', allowed: ['links:read', 'links:write', 'admin'], ok: 200, call: (key) => s.req('GET', '/api/links?limit=1', { key }) },
  { name: 'GET /api/links/:id', allowed: ['links:read', 'links:write', 'admin'], ok: 200, call: (key) => s.req('GET', `/api/links/${linkId}`, { key }) },
  { name: 'PATCH /api/links/:id', allowed: ['links:write', 'admin'], ok: 200, call: (key) => s.req('PATCH', `/api/links/${linkId}`, { key, body: { campaign_id: 'c9' } }) },
  {
    name: 'DELETE /api/links/:id',
    allowed: ['links:write', 'admin'],
    ok: 204,
    call: async (key) => {
      const l = (await (await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://shop.example/d' } })).json()) as { id: string };
      return s.req('DELETE', `/api/links/${l.id}`, { key });
    },
  },
  { name: 'GET /api/analytics', allowed: ['analytics:read', 'admin'], ok: 200, call: (key) => s.req('GET', '/api/analytics?group_by=day', { key }) },
  { name: 'GET /api/report', allowed: ['admin'], ok: 200, call: (key) => s.req('GET', '/api/report', { key }) },
  { name: 'POST /api/import', allowed: ['admin'], ok: 200, call: (key) => s.req('POST', '/api/import', { key, body: { paths: [FIXTURE_DIR] } }) },
  { name: 'GET /openapi.json', allowed: CALLERS, ok: 200, call: (key) => s.req('GET', '/openapi.json', { key }) },
  { name: 'GET /:key', allowed: CALLERS, ok: 302, call: (key) => s.req('GET', `/${linkKey}`, { key, headers: { 'user-agent': BROWSER_UA } }) },
];

describe('authorization matrix', () => {
  for (const row of MATRIX) {
    for (const caller of CALLERS) {
      const expected = row.allowed.includes(caller) ? row.ok : caller === 'none' ? 401 : 403;
      it(`${row.name} × ${caller} → ${expected}`, async () => {
        const res = await row.call(caller === 'none' ? undefined : keys.get(caller));
        expect(res.status).toBe(expected);
        if (expected === 401 || expected === 403) {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(((await res.json()) as { code: string }).code).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
        }
      });
    }
  }

  it('rejects unknown, malformed and revoked keys with 401', async () => {
    for (const auth of ['Bearer clout_nope', 'Basic abc', 'Bearer', `Bearer ${keys.get('admin')}x`, keys.get('admin')!]) {
      const res = await s.req('GET', '/api/links', { headers: { authorization: auth } });
      expect(res.status, auth).toBe(401);
    }
    const key = await s.key(['links:read']);
    expect((await s.req('GET', '/api/links', { key })).status).toBe(200);
    const id = (await s.rows('SELECT id FROM api_keys WHERE hash = ?', [createHash('sha256').update(key).digest('hex')]))[0]!.id as string;
    await revokeKey(s.ctx.store, id);
    s.clock.advance(10_000); // past the 5 s key cache
    expect((await s.req('GET', '/api/links', { key })).status).toBe(401);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After when a key exceeds its token bucket, per key, refilling on the clock', async () => {
    const t = await testServer({ rateLimit: { perSecond: 2, burst: 3 } });
    try {
      const a = await t.key(['links:read']);
      const b = await t.key(['links:read']);
      for (let i = 0; i < 3; i++) expect((await t.req('GET', '/api/links', { key: a })).status).toBe(200);
      const limited = await t.req('GET', '/api/links', { key: a });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
      expect((await t.req('GET', '/api/links', { key: b })).status).toBe(200); // another key has its own bucket
      t.clock.advance(499);
      expect((await t.req('GET', '/api/links', { key: a })).status).toBe(429);
      t.clock.advance(1); // 500 ms at 2/s = one token
      expect((await t.req('GET', '/api/links', { key: a })).status).toBe(200);
      expect((await t.req('GET', '/api/links', { key: a })).status).toBe(429);
      t.clock.advance(60_000); // refills to the burst, not beyond
      for (let i = 0; i < 3; i++) expect((await t.req('GET', '/api/links', { key: a })).status).toBe(200);
      expect((await t.req('GET', '/api/links', { key: a })).status).toBe(429);
      // The redirect is never rate limited by key.
      const l = (await (await t.req('POST', '/api/links', { key: t.adminKey, body: { url: 'https://x.example/' } })).json()) as { key: string };
      for (let i = 0; i < 10; i++) expect((await t.req('GET', `/${l.key}`)).status).toBe(302);
    } finally {
      await t.close();
    }
  });
});

describe('clout keys', () => {
  it('creates a key shown once and stored as its SHA-256, lists without secrets, revokes', async () => {
    const db = join(tempDir(), 'k.duckdb');
    const made = await clout(['keys', 'create', '--scope', 'links:read,analytics:read', '--name', 'dash', '--db', db, '--json']);
    expect(made.code).toBe(0);
    const k = JSON.parse(made.stdout) as { id: string; key: string; kind: string; scopes: string[] };
    expect(k.key).toMatch(/^clout_[A-Za-z0-9_-]{32}$/);
    expect(k.kind).toBe('secret');
    const pk = JSON.parse((await clout(['keys', 'create', '--scope', 'conversions:client', '--origin', 'https://shop.example', '--db', db, '--json'])).stdout) as { key: string; kind: string };
    expect(pk.key).toMatch(/^clout_pk_/);
    expect(pk.kind).toBe('publishable');
    const human = await clout(['keys', 'create', '--scope', 'admin', '--db', db]);
    expect(human.stdout).toMatch(/^clout_\S+\n$/);
    expect(human.stderr).toMatch(/cannot be shown again/);

    const list = await clout(['keys', 'list', '--db', db, '--json']);
    expect(list.stdout).not.toContain(k.key);
    expect(list.stdout).not.toContain(pk.key);
    const listed = (JSON.parse(list.stdout) as { keys: { id: string; scopes: string[]; revoked_at: string | null; origins: string[] }[] }).keys;
    expect(listed).toHaveLength(3);
    expect(listed.find((x) => x.id === k.id)).toMatchObject({ scopes: ['links:read', 'analytics:read'], revoked_at: null });

    const store = await openStore(db);
    const hashes = (await store.conn.runAndReadAll('SELECT hash FROM api_keys')).getRowObjectsJS().map((r) => r.hash);
    await closeStore(store);
    expect(hashes).toContain(createHash('sha256').update(k.key).digest('hex'));

    expect((await clout(['keys', 'revoke', k.id, '--db', db])).code).toBe(0);
    const after = (JSON.parse((await clout(['keys', 'list', '--db', db, '--json'])).stdout) as { keys: { id: string; revoked_at: string | null }[] }).keys;
    expect(after.find((x) => x.id === k.id)!.revoked_at).not.toBeNull();
    expect((await clout(['keys', 'revoke', k.id, '--db', db])).code).toBe(2);
  });

  it('refuses unknown scopes, mixed publishable scopes and publishable keys without origins (exit 2)', async () => {
    const db = join(tempDir(), 'k.duckdb');
    for (const args of [
      ['--scope', 'links:delete'],
      ['--scope', 'conversions:client,links:read', '--origin', 'https://a.example'],
      ['--scope', 'conversions:client'],
      ['--scope', 'conversions:client', '--origin', 'https://a.example/path'],
      ['--scope', 'links:read', '--origin', 'https://a.example'],
      [],
    ]) {
      const r = await clout(['keys', 'create', ...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^clout keys create: /);
    }
  });
});
