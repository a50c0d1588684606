/** The link API and the redirect over a real server: CRUD, validation, 4xx problem+json with nothing stored, click ids, variants. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, testServer, type TestServer } from '../../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ seed: 7 });
});
afterAll(async () => {
  await s.close();
});

async function linkCount(): Promise<number> {
  const r = await s.rows('SELECT (SELECT count(*) FROM links)::INTEGER + (SELECT count(*) FROM server_links)::INTEGER AS n');
  return Number(r[0]!.n);
}

async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:clout:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('links API', () => {
  it('creates, reads, lists, updates and deletes a link; the link lands in `links` for the report', async () => {
    const created = await s.req('POST', '/api/links', {
      key: s.adminKey,
      body: { url: 'https://shop.example/book?ref=tw', key: 'book', post_id: 'p1', author_id: 'a1', campaign_id: 'c1' },
    });
    expect(created.status).toBe(201);
    const link = (await created.json()) as Record<string, unknown>;
    expect(link).toMatchObject({ key: 'book', short_url: `${s.url}/book`, url: 'https://shop.example/book?ref=tw', post_id: 'p1', click_id_param: 'clout_id' });
    expect(created.headers.get('location')).toBe(`/api/links/${link.id}`);
    const stored = await s.rows('SELECT id, url, key, post_id, author_id, campaign_id FROM links WHERE id = ?', [link.id as string]);
    expect(stored).toEqual([{ id: link.id, url: 'https://shop.example/book?ref=tw', key: 'book', post_id: 'p1', author_id: 'a1', campaign_id: 'c1' }]);

    const got = await s.req('GET', `/api/links/${link.id}`, { key: s.adminKey });
    expect(await got.json()).toEqual(link);

    const patched = await s.req('PATCH', `/api/links/${link.id}`, { key: s.adminKey, body: { url: 'https://shop.example/book2', key: 'book2' } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ key: 'book2', url: 'https://shop.example/book2' });
    // The old key stops redirecting; the new one redirects to the new URL.
    expect((await s.req('GET', '/book')).status).toBe(404);
    const r = await s.req('GET', '/book2', { headers: { 'user-agent': BROWSER_UA } });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toMatch(/^https:\/\/shop\.example\/book2\?clout_id=[A-Za-z0-9_-]{22}$/);

    const del = await s.req('DELETE', `/api/links/${link.id}`, { key: s.adminKey });
    expect(del.status).toBe(204);
    expect((await s.req('GET', '/book2')).status).toBe(404);
    await expectProblem(await s.req('GET', `/api/links/${link.id}`, { key: s.adminKey }), 404, 'not_found');
    // Soft delete: the row stays for the report's history.
    expect(await s.rows('SELECT count(*)::INTEGER AS n FROM links WHERE id = ?', [link.id as string])).toEqual([{ n: 1 }]);
  });

  it('generates unique random keys and paginates the list with a cursor', async () => {
    const ids: string[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await s.req('POST', '/api/links', { key: s.adminKey, body: { url: `https://example.org/${i}` } });
      const l = (await res.json()) as { id: string; key: string };
      expect(l.key).toMatch(/^[A-Za-z0-9]{7}$/);
      keys.add(l.key);
      ids.push(l.id);
    }
    expect(keys.size).toBe(5);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const q: string = after === null ? '?limit=2' : `?limit=2&after=${after}`;
      const page = (await (await s.req('GET', `/api/links${q}`, { key: s.adminKey })).json()) as { data: { id: string }[]; next: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((d) => d.id));
      after = page.next;
    } while (after !== null);
    for (const id of ids) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 409 on a key clash, and rejects reserved keys', async () => {
    expect((await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://a.example/', key: 'taken' } })).status).toBe(201);
    const before = await linkCount();
    await expectProblem(await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://b.example/', key: 'taken' } }), 409, 'key_taken');
    for (const k of ['api', 'API', 'webhooks', 'healthz']) {
      await expectProblem(await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://b.example/', key: k } }), 400, 'reserved_key');
    }
    for (const k of ['openapi.json', 'clout.js', 'a/b', '']) {
      await expectProblem(await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://b.example/', key: k } }), 400, 'validation');
    }
    expect(await linkCount()).toBe(before);
  });

  it('rejects unsafe destinations, oversize and malformed bodies with a 4xx problem and stores nothing', async () => {
    const before = await linkCount();
    const bad: [unknown, number, string][] = [
      [{ url: 'javascript:alert(1)' }, 400, 'invalid_url'],
      [{ url: 'JavaScript:alert(document.cookie)//https://x' }, 400, 'invalid_url'],
      [{ url: 'data:text/html,<script>alert(1)</script>' }, 400, 'invalid_url'],
      [{ url: 'ftp://files.example/x' }, 400, 'invalid_url'],
      [{ url: '/relative/path' }, 400, 'invalid_url'],
      [{ url: '//evil.example/' }, 400, 'invalid_url'],
      [{ url: 'https://user:pw@evil.example/' }, 400, 'invalid_url'],
      [{ url: `${s.url}/loop` }, 400, 'invalid_url'],
      [{ url: 'https://ok.example/', variants: [{ url: 'javascript:1', weight: 1 }] }, 400, 'invalid_url'],
      [{ url: 'https://ok.example/', variants: [{ url: 'https://x.example/', weight: 0 }] }, 400, 'validation'],
      [{ url: 'https://ok.example/', surprise: true }, 400, 'validation'],
      [{ url: { href: 'https://ok.example/' } }, 400, 'validation'],
      [{}, 400, 'validation'],
      [{ url: 'https://ok.example/' + 'a'.repeat(3000) }, 400, 'validation'],
      ['{"url": "https://ok.example/",', 400, 'bad_json'],
      ['not json at all', 400, 'bad_json'],
      [JSON.stringify({ url: 'https://ok.example/', post_id: 'x'.repeat(100_000) }), 413, 'body_too_large'],
    ];
    for (const [body, status, code] of bad) {
      const res = await s.req('POST', '/api/links', { key: s.adminKey, body });
      expect(`${res.status} ${((await res.clone().json()) as { code: string }).code}`, JSON.stringify(body).slice(0, 80)).toBe(`${status} ${code}`);
      await expectProblem(res, status, code);
    }
    await expectProblem(
      await s.req('POST', '/api/links', { key: s.adminKey, body: 'url=https://x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
    expect(await linkCount()).toBe(before);
  });
});

describe('redirect', () => {
  it('never redirects an unknown key, nor to anything taken from the request', async () => {
    const clicksBefore = await s.rows('SELECT count(*)::INTEGER AS n FROM clicks');
    for (const path of ['/nope', '/nope?url=https://evil.example/', '/nope?next=//evil.example', '//evil.example/', '/%2F%2Fevil.example', '/api', '/..%2Fevil']) {
      for (const method of ['GET', 'HEAD']) {
        const res = await s.req(method, path, { headers: { 'user-agent': BROWSER_UA } });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get('location'), `${method} ${path}`).toBeNull();
      }
    }
    expect(await s.rows('SELECT count(*)::INTEGER AS n FROM clicks')).toEqual(clicksBefore);
  });

  it('appends the click id (keeping query and fragment), honours a custom parameter or none, and ignores request query', async () => {
    const mk = async (body: Record<string, unknown>): Promise<string> =>
      ((await (await s.req('POST', '/api/links', { key: s.adminKey, body })).json()) as { key: string }).key;
    const a = await mk({ url: 'https://shop.example/p?x=1&clout_id=stale#reviews' });
    const b = await mk({ url: 'https://shop.example/q', click_id_param: 'ref' });
    const c = await mk({ url: 'https://shop.example/r', click_id_param: null });
    const get = async (k: string, q = ''): Promise<string> => {
      const res = await s.req('GET', `/${k}${q}`, { headers: { 'user-agent': BROWSER_UA } });
      expect(res.status).toBe(302);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return res.headers.get('location')!;
    };
    const la = await get(a, '?url=https://evil.example/');
    expect(la).toMatch(/^https:\/\/shop\.example\/p\?x=1&clout_id=([A-Za-z0-9_-]{22})#reviews$/);
    expect(await get(b)).toMatch(/^https:\/\/shop\.example\/q\?ref=[A-Za-z0-9_-]{22}$/);
    expect(await get(c)).toBe('https://shop.example/r');
    const id = /clout_id=([A-Za-z0-9_-]{22})/.exec(la)![1]!;
    const rows = await s.rows('SELECT id, link_id FROM clicks WHERE id = ?', [id]);
    expect(rows.length).toBe(1);
  });

  it('splits clicks across weighted variants and records the chosen variant on each click', async () => {
    const res = await s.req('POST', '/api/links', {
      key: s.adminKey,
      body: {
        url: 'https://shop.example/book',
        variants: [
          { url: 'https://shop.example/book?msg=pitch', weight: 1, label: 'pitch' },
          { url: 'https://shop.example/book?msg=endorse', weight: 3, label: 'endorse' },
        ],
      },
    });
    const link = (await res.json()) as { id: string; key: string };
    const n = 400;
    const seen: Record<string, number> = { pitch: 0, endorse: 0 };
    for (let i = 0; i < n; i++) {
      const loc = (await s.req('GET', `/${link.key}`, { headers: { 'user-agent': BROWSER_UA } })).headers.get('location')!;
      const m = /msg=(\w+)&clout_id=/.exec(loc)!;
      seen[m[1]!]!++;
    }
    // Binomial(400, 0.75): mean 300, sd ≈ 8.7; ±5 sd.
    expect(seen.endorse).toBeGreaterThan(300 - 44);
    expect(seen.endorse).toBeLessThan(300 + 44);
    const rows = await s.rows('SELECT variant, count(*)::INTEGER AS n FROM clicks WHERE link_id = ? GROUP BY variant ORDER BY variant', [link.id]);
    expect(rows).toEqual([
      { variant: 'endorse', n: seen.endorse },
      { variant: 'pitch', n: seen.pitch },
    ]);
  });

  it('serves /openapi.json (OpenAPI 3.1) covering the link, redirect and analytics routes', async () => {
    const doc = (await (await s.req('GET', '/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/api/links']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/links/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/{key}']!).sort()).toEqual(['get', 'head']);
    for (const p of ['/api/analytics', '/api/report', '/api/import']) expect(doc.paths[p]).toBeDefined();
  });
});
