/**
 * The conversion API over real HTTP: the full path link → redirect → sale → `clout report`, attribution rules
 * (click, buffered click, link key, a customer's lead), idempotency (10 concurrent retries → one row), the
 * authorization matrix with CORS for publishable keys, invalid input, and /clout.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, linkAndClick, post, startHarness, type Harness } from '../../support/server-harness.js';

let h: Harness;
let secret: string; // conversions:write
let linksKey: string; // links:write

beforeAll(async () => {
  h = await startHarness();
  secret = await h.key(['conversions:write']);
  linksKey = await h.key(['links:write']);
});
afterAll(async () => {
  await h?.close();
});

describe('create link → redirect → sale → report', () => {
  it("credits the post's author in clout report", async () => {
    const { clickId, location } = await linkAndClick(h, linksKey, { url: 'https://shop.example/book?ref=x', post_id: 'post_a' });
    expect(location).toMatch(/^https:\/\/shop\.example\/book\?ref=x&clout_id=/);
    const sale = await post(`${h.url}/api/track/sale`, { click_id: clickId, customer_id: 'cus_report', amount: 4200, currency: 'USD' }, secret);
    expect(sale.status, sale.text).toBe(201);
    expect(sale.body).toMatchObject({ type: 'sale', click_id: clickId, post_id: 'post_a', author_id: 'alice', attribution: 'click', amount: 4200, currency: 'USD' });

    // A second store door: stop the server, then report from the same file.
    const dbPath = h.dbPath;
    await h.close();
    const rep = await cli(['report', '--db', dbPath, '--type', 'sale', '--json']);
    expect(rep.code, rep.stderr).toBe(0);
    const report = JSON.parse(rep.stdout) as { accounts: { id: string; conversions: number; value: number }[] };
    const alice = report.accounts.find((a) => a.id === 'alice')!;
    expect(alice.conversions).toBe(1);
    expect(alice.value).toBeCloseTo(42, 10);
    expect(report.accounts.find((a) => a.id === 'bob')?.conversions ?? 0).toBe(0);
    // Reopen for the other tests.
    h = await startHarness();
    secret = await h.key(['conversions:write']);
    linksKey = await h.key(['links:write']);
  });
});

describe('attribution', () => {
  it('sees a click that is still in the click buffer (group commit not yet due)', async () => {
    // The default group commit is 50 ms; post the conversion immediately after the redirect.
    const { clickId, link } = await linkAndClick(h, linksKey, { url: 'https://shop.example/a', author_id: 'carol', campaign_id: 'camp1' });
    const r = await post(`${h.url}/api/track/lead`, { click_id: clickId, customer_id: 'cus_buf' }, secret);
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ attribution: 'click', link_id: link.id, author_id: 'carol', campaign_id: 'camp1' });
  });

  it("gives a customer's later sale the link of their lead", async () => {
    const { clickId, link } = await linkAndClick(h, linksKey, { url: 'https://shop.example/b', post_id: 'post_b' });
    const lead = await post(`${h.url}/api/track/lead`, { click_id: clickId, customer_id: 'cus_inherit' }, secret);
    expect(lead.body.author_id).toBe('bob');
    const sale = await post(`${h.url}/api/track/sale`, { customer_id: 'cus_inherit', amount: 999, currency: 'eur' }, secret);
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ attribution: 'customer_lead', link_id: link.id, post_id: 'post_b', author_id: 'bob', click_id: clickId, currency: 'EUR' });
    const other = await post(`${h.url}/api/track/sale`, { customer_id: 'cus_stranger', amount: 1, currency: 'EUR' }, secret);
    expect(other.body).toMatchObject({ attribution: 'none', link_id: null, author_id: null });
  });

  it('attributes by link key, and the last known click of a multi-touch path', async () => {
    const a = await linkAndClick(h, linksKey, { url: 'https://shop.example/c', post_id: 'post_a', key: 'touchA' });
    const b = await linkAndClick(h, linksKey, { url: 'https://shop.example/d', post_id: 'post_b', key: 'touchB' });
    const byKey = await post(`${h.url}/api/track/signup`, { link_key: 'touchA', customer_id: 'cus_key' }, secret);
    expect(byKey.body).toMatchObject({ attribution: 'link_key', link_id: a.link.id, author_id: 'alice' });
    const path = await post(`${h.url}/api/track/sale`, { click_ids: [a.clickId, b.clickId, 'never-seen'], customer_id: 'cus_path', amount: 100, currency: 'USD' }, secret);
    expect(path.body).toMatchObject({ attribution: 'click', click_id: b.clickId, author_id: 'bob', click_ids: [a.clickId, b.clickId, 'never-seen'] });
    const rows = await h.conversions();
    expect(JSON.parse(rows.find((r) => r.id === path.body.id)!.click_ids!)).toEqual([a.clickId, b.clickId, 'never-seen']);
  });

  it('records an external id once per type', async () => {
    const body = { customer_id: 'cus_ext', amount: 500, currency: 'USD', external_id: 'order_77' };
    const first = await post(`${h.url}/api/track/sale`, body, secret);
    const again = await post(`${h.url}/api/track/sale`, body, secret);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, type: 'sale', external_id: 'order_77', duplicate: true });
    const asLead = await post(`${h.url}/api/track/lead`, { customer_id: 'cus_ext', external_id: 'order_77' }, secret);
    expect(asLead.status).toBe(201);
    expect((await h.conversions()).filter((r) => r.external_id === 'order_77')).toHaveLength(2);
  });
});

describe('idempotency', () => {
  it('10 concurrent retries of one sale → one row, the same answer to all', async () => {
    const body = { customer_id: 'cus_idem', amount: 1500, currency: 'USD', event_name: 'purchase' };
    const headers = { 'idempotency-key': 'order-1001' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(`${h.url}/api/track/sale`, body, secret, headers)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    const rows = (await h.conversions()).filter((r) => r.customer_id === 'cus_idem');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(answers[0]!.body.id);

    // Same body with keys in another order is the same request.
    const reordered = await post(`${h.url}/api/track/sale`, { event_name: 'purchase', currency: 'USD', amount: 1500, customer_id: 'cus_idem' }, secret, headers);
    expect(reordered.status).toBe(201);
    expect(reordered.text).toBe(answers[0]!.text);
  });

  it('same key with a different body → 409 problem, nothing stored', async () => {
    const before = (await h.conversions()).length;
    const r = await post(`${h.url}/api/track/sale`, { customer_id: 'cus_idem', amount: 1600, currency: 'USD' }, secret, { 'idempotency-key': 'order-1001' });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.code).toBe('idempotency_conflict');
    const route = await post(`${h.url}/api/track/donation`, { customer_id: 'cus_idem', amount: 1500, currency: 'USD', event_name: 'purchase' }, secret, { 'idempotency-key': 'order-1001' });
    expect(route.status).toBe(409);
    expect((await h.conversions()).length).toBe(before);
  });

  it('scopes keys per API key and expires them after 24 h', async () => {
    const other = await h.key(['conversions:write']);
    const body = { customer_id: 'cus_scope', amount: 1, currency: 'USD' };
    const a = await post(`${h.url}/api/track/sale`, body, secret, { 'idempotency-key': 'shared-key' });
    const b = await post(`${h.url}/api/track/sale`, body, other, { 'idempotency-key': 'shared-key' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    h.clock.offset = 24 * 3_600_000 + 1_000;
    try {
      const later = await post(`${h.url}/api/track/sale`, { ...body, amount: 2 }, secret, { 'idempotency-key': 'shared-key' });
      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
    } finally {
      h.clock.offset = 0;
    }
  });
});

describe('authorization matrix', () => {
  const ORIGIN = 'https://landing.example';
  let keys: Record<string, string>;
  beforeAll(async () => {
    keys = {
      'links:read': await h.key(['links:read']),
      'links:write': await h.key(['links:write']),
      'analytics:read': await h.key(['analytics:read']),
      'conversions:write': await h.key(['conversions:write']),
      admin: await h.key(['admin']),
      publishable: await h.key(['conversions:client'], [ORIGIN]),
    };
  });

  const sale = { customer_id: 'cus_matrix', amount: 100, currency: 'USD' };
  const lead = { customer_id: 'cus_matrix' };

  it.each([
    ['no key', undefined, undefined, 401, 401],
    ['links:read', 'links:read', undefined, 403, 403],
    ['links:write', 'links:write', undefined, 403, 403],
    ['analytics:read', 'analytics:read', undefined, 403, 403],
    ['conversions:write', 'conversions:write', undefined, 201, 201],
    ['admin', 'admin', undefined, 201, 201],
    ['publishable, allowed origin', 'publishable', ORIGIN, 201, 403],
    ['publishable, other origin', 'publishable', 'https://evil.example', 403, 403],
    ['publishable, no origin', 'publishable', undefined, 403, 403],
  ] as const)('%s (lead, sale answers as listed)', async (_name, which, origin, leadStatus, saleStatus) => {
    const key = which === undefined ? undefined : keys[which];
    const headers: Record<string, string> = origin ? { origin } : {};
    const before = (await h.conversions()).length;
    const l = await post(`${h.url}/api/track/lead`, lead, key, headers);
    const s = await post(`${h.url}/api/track/sale`, sale, key, headers);
    expect([l.status, s.status], l.text + s.text).toEqual([leadStatus, saleStatus]);
    for (const r of [l, s]) if (r.status >= 400) expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await h.conversions()).length - before).toBe([leadStatus, saleStatus].filter((x) => x === 201).length);
    if (which === 'publishable' && origin === ORIGIN) {
      expect(l.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(s.body.code).toBe('client_type_forbidden');
      expect(s.body.detail).toMatch(/forge/);
      expect(s.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(l.body.attribution).toBe('none');
    } else {
      expect(l.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('lets a publishable key record a signup but no amount', async () => {
    const s = await post(`${h.url}/api/track/signup`, { customer_id: 'cus_pk' }, keys.publishable, { origin: ORIGIN });
    expect(s.status).toBe(201);
    const d = await post(`${h.url}/api/track/donation`, { customer_id: 'cus_pk', amount: 5, currency: 'USD' }, keys.publishable, { origin: ORIGIN });
    expect(d.status).toBe(403);
    const amount = await post(`${h.url}/api/track/lead`, { customer_id: 'cus_pk', amount: 5, currency: 'USD' }, keys.publishable, { origin: ORIGIN });
    expect(amount.status).toBe(403);
    expect(amount.body.code).toBe('client_amount_forbidden');
  });

  it('answers CORS preflights only for origins listed on a publishable key', async () => {
    const pre = (origin: string) =>
      fetch(`${h.url}/api/track/lead`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });
    const ok = await pre(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const bad = await pre('https://evil.example');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('invalid requests → 4xx problem+json, nothing stored', () => {
  it.each([
    ['malformed JSON', 'sale', '{"customer_id": "c", amount: }', 400, 'bad_json'],
    ['oversize body', 'sale', JSON.stringify({ customer_id: 'c', metadata: { x: 'y'.repeat(70_000) } }), 413, 'body_too_large'],
    ['negative amount', 'sale', { customer_id: 'c', amount: -100, currency: 'USD' }, 400, 'invalid_body'],
    ['amount without currency', 'sale', { customer_id: 'c', amount: 100 }, 400, 'invalid_body'],
    ['oversize metadata', 'lead', { customer_id: 'c', metadata: { x: 'y'.repeat(5000) } }, 400, 'invalid_body'],
    ['a JSON array', 'lead', [1, 2], 400, 'invalid_body'],
    ['unknown type', 'refund', { customer_id: 'c' }, 404, 'not_found'],
  ] as const)('%s', async (_name, type, body, status, code) => {
    const before = (await h.conversions()).length;
    const r = await post(`${h.url}/api/track/${type}`, body, secret);
    expect(r.status, r.text).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.code).toBe(code);
    expect((await h.conversions()).length).toBe(before);
  });

  it('rejects a bad Idempotency-Key header', async () => {
    const r = await post(`${h.url}/api/track/lead`, { customer_id: 'c' }, secret, { 'idempotency-key': 'x'.repeat(300) });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('bad_idempotency_key');
  });
});

describe('/clout.js', () => {
  it('is a small script with the right type, caching and ETag', async () => {
    const res = await fetch(`${h.url}/clout.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBeLessThan(5 * 1024);
    expect(text).toContain('clout_id');
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${h.url}/clout.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('/openapi.json', () => {
  it('documents the tracking, webhook and script routes with the schema the route validates with', async () => {
    const doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as any;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/track/{type}', '/webhooks/stripe', '/webhooks/standard', '/clout.js']));
    const body = doc.components.schemas.TrackBody;
    expect(body.required).toEqual(['customer_id']);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.amount).toMatchObject({ type: 'integer', minimum: 0 });
    expect(doc.paths['/api/track/{type}'].post.responses['409']).toBeDefined();
  });
});
