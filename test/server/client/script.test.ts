/**
 * /clout.js in a simulated page (node:vm with a fake window, document, storage and fetch): the bounded list of
 * click ids, the 30-day expiry, the cookie fallback, and retries that reuse one Idempotency-Key.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CLIENT_MAX_IDS, CLIENT_TTL_DAYS, CLOUT_JS } from '../../../src/server/client/script.js';

const DAY = 864e5;

interface Page {
  window: any;
  document: { cookie: string };
  storage: Map<string, string>;
  calls: { url: string; init: any }[];
}

/** Loads clout.js into a fresh fake page at `href`, sharing `storage` (localStorage) between page views. */
function load(href: string, opts: { storage?: Map<string, string>; noLocalStorage?: boolean; cookie?: string; now?: number; answers?: (n: number) => { status: number; body: unknown } | Error } = {}): Page {
  const storage = opts.storage ?? new Map<string, string>();
  const calls: Page['calls'] = [];
  const script = { src: 'https://api.clout.example/clout.js', getAttribute: (n: string) => ({ 'data-key': 'clout_pk_test' } as Record<string, string>)[n] ?? null };
  const cookieJar = { value: opts.cookie ?? '' };
  const document = {
    currentScript: script,
    querySelectorAll: () => [script],
    get cookie() {
      return cookieJar.value;
    },
    set cookie(v: string) {
      cookieJar.value = v.split(';')[0]!;
    },
  };
  const localStorage = opts.noLocalStorage
    ? { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } }
    : { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
  const window: any = {
    location: new URL(href),
    localStorage,
    crypto: { randomUUID: () => `uuid-${calls.length}-${Math.random()}` },
    fetch: (url: string, init: any) => {
      calls.push({ url, init });
      const a = opts.answers ? opts.answers(calls.length) : { status: 201, body: { id: 'cv_1' } };
      if (a instanceof Error) return Promise.reject(a);
      return Promise.resolve({ ok: a.status < 300, status: a.status, text: () => Promise.resolve(JSON.stringify(a.body)) });
    },
  };
  const RealDate = Date;
  const FakeDate = class extends RealDate {
    static override now() {
      return opts.now ?? RealDate.now();
    }
  };
  runInNewContext(CLOUT_JS, { window, document, URL, JSON, Math, Date: FakeDate, encodeURIComponent, decodeURIComponent, RegExp, Array, Error, Promise });
  return { window, document, storage, calls };
}

describe('clout.js', () => {
  it('keeps each click id once, oldest first, at most 10', () => {
    const storage = new Map<string, string>();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 12; i++) load(`https://shop.example/p?clout_id=c${i}`, { storage, now: t0 + i * 1000 });
    load('https://shop.example/p?clout_id=c5', { storage, now: t0 + 99_000 }); // seen again: not duplicated, not moved
    const page = load('https://shop.example/other', { storage, now: t0 + 100_000 });
    expect(CLIENT_MAX_IDS).toBe(10);
    expect(page.window.clout.clickIds()).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11']);
  });

  it('forgets ids after 30 days', () => {
    const storage = new Map<string, string>();
    const t0 = Date.UTC(2026, 0, 1);
    load('https://shop.example/?clout_id=old', { storage, now: t0 });
    load('https://shop.example/?clout_id=new', { storage, now: t0 + 20 * DAY });
    expect(load('https://shop.example/', { storage, now: t0 + CLIENT_TTL_DAYS * DAY - 1 }).window.clout.clickIds()).toEqual(['old', 'new']);
    expect(load('https://shop.example/', { storage, now: t0 + CLIENT_TTL_DAYS * DAY }).window.clout.clickIds()).toEqual(['new']);
  });

  it('falls back to a first-party cookie when localStorage is unavailable', () => {
    const page = load('https://shop.example/?clout_id=k1', { noLocalStorage: true });
    expect(decodeURIComponent(page.document.cookie)).toMatch(/^clout_ids=\[\{"id":"k1"/);
    const next = load('https://shop.example/', { noLocalStorage: true, cookie: page.document.cookie });
    expect(next.window.clout.clickIds()).toEqual(['k1']);
  });

  it('posts click_ids with the publishable key to the script origin', async () => {
    const page = load('https://shop.example/?clout_id=k9');
    const answer = await page.window.clout.track('lead', { customer_id: 'v1', event_name: 'join' });
    expect(answer).toEqual({ id: 'cv_1' });
    expect(page.calls).toHaveLength(1);
    const { url, init } = page.calls[0]!;
    expect(url).toBe('https://api.clout.example/api/track/lead');
    expect(init.headers.authorization).toBe('Bearer clout_pk_test');
    expect(JSON.parse(init.body)).toEqual({ customer_id: 'v1', click_ids: ['k9'], event_name: 'join' });
  });

  it('retries network errors and 5xx with the same Idempotency-Key, and rejects 4xx with the problem', async () => {
    const flaky = load('https://shop.example/', { answers: (n) => (n === 1 ? new Error('offline') : n === 2 ? { status: 503, body: {} } : { status: 201, body: { id: 'cv_2' } }) });
    expect(await flaky.window.clout.track('signup', { customer_id: 'v2' })).toEqual({ id: 'cv_2' });
    expect(flaky.calls).toHaveLength(3);
    expect(new Set(flaky.calls.map((c) => c.init.headers['idempotency-key'])).size).toBe(1);

    const refused = load('https://shop.example/', { answers: () => ({ status: 403, body: { code: 'client_type_forbidden', detail: 'no sales from browsers' } }) });
    const err = await refused.window.clout.track('sale', { customer_id: 'v3' }).catch((e: any) => e);
    expect(err.status).toBe(403);
    expect(err.message).toBe('no sales from browsers');
    expect(refused.calls).toHaveLength(1);
  });
});
