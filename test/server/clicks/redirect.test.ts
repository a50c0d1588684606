/**
 * Click capture over a real server: the click record, the bot / HEAD / preview rule, the unique-click rule,
 * privacy (no raw IP; visitor ids rotate daily), and the graceful-stop flush.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, closeStore } from '../../../src/store/index.js';
import { journalDir, journalSegments } from '../../../src/store/click-journal.js';
import { classifyUa, referrerHost } from '../../../src/server/clicks/classify.js';
import { BROWSER_UA, IPHONE_UA, testServer, type TestServer } from '../../support/server.js';

const HOUR = 3_600_000;

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ countryHeader: 'CF-IPCountry' });
});
afterAll(async () => {
  await s.close();
});

async function newLink(): Promise<{ id: string; key: string }> {
  const res = await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://shop.example/x' } });
  return (await res.json()) as { id: string; key: string };
}

async function click(key: string, ua: string | undefined, method = 'GET', headers: Record<string, string> = {}): Promise<string | null> {
  const res = await s.req(method, `/${key}`, { headers: { ...(ua !== undefined ? { 'user-agent': ua } : {}), ...headers } });
  expect(res.status).toBe(302);
  const loc = res.headers.get('location')!;
  return /clout_id=([A-Za-z0-9_-]+)/.exec(loc)?.[1] ?? null;
}

async function linkStats(id: string): Promise<{ clicks: number; unique_clicks: number; bot_clicks: number }> {
  const res = await s.req('GET', '/api/analytics?group_by=link', { key: s.adminKey });
  const body = (await res.json()) as { data: { key: string; clicks: number; unique_clicks: number; bot_clicks: number }[] };
  const row = body.data.find((d) => d.key === id) ?? { clicks: 0, unique_clicks: 0, bot_clicks: 0 };
  return { clicks: row.clicks, unique_clicks: row.unique_clicks, bot_clicks: row.bot_clicks };
}

describe('click record', () => {
  it('records id, link, time, referrer host, device/browser/OS, country, visitor — never the raw IP', async () => {
    const link = await newLink();
    const id = await click(link.key, IPHONE_UA, 'GET', { referer: 'https://user:pw@T.co:443/abc?q=secret#x', 'cf-ipcountry': 'de' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const rows = await s.rows(
      'SELECT id, link_id, epoch_ms("at")::DOUBLE AS at, referrer, country, device, browser, os, is_bot, is_preview, variant, visitor_id FROM clicks WHERE id = ?',
      [id!],
    );
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({ id, link_id: link.id, at: s.clock.t, referrer: 't.co', country: 'DE', device: 'mobile', browser: 'Mobile Safari', os: 'iOS', is_bot: false, is_preview: false, variant: null });
    expect(r.visitor_id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // The raw IP appears nowhere in the row.
    expect(JSON.stringify(r)).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
    const bad = await click(link.key, BROWSER_UA, 'GET', { 'cf-ipcountry': 'XX1' });
    expect((await s.rows('SELECT country FROM clicks WHERE id = ?', [bad!]))[0]!.country).toBeNull();
  });

  it('parses referrer hosts and User-Agents as documented', () => {
    expect(referrerHost('https://www.Google.com/search?q=1')).toBe('www.google.com');
    expect(referrerHost('android-app://com.slack/')).toBe('com.slack');
    expect(referrerHost('not a url')).toBeNull();
    expect(referrerHost(undefined)).toBeNull();
    expect(classifyUa(BROWSER_UA)).toEqual({ device: 'desktop', browser: 'Chrome', os: 'Windows', isBot: false });
    expect(classifyUa(undefined).isBot).toBe(true);
  });
});

describe('bots, HEAD and link previews', () => {
  const previews = [
    'Twitterbot/1.0',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'WhatsApp/2.23.20.0 A',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'TelegramBot (like TwitterBot)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'curl/8.5.0',
    '',
  ];

  it('flags preview fetchers, crawlers, empty UAs and every HEAD as bot; only human GETs count as clicks', async () => {
    const link = await newLink();
    for (const ua of previews) await click(link.key, ua);
    // X/Twitter: one GET plus several HEADs per click — the HEADs are previews even with a browser UA.
    await click(link.key, BROWSER_UA, 'GET');
    for (let i = 0; i < 3; i++) await click(link.key, BROWSER_UA, 'HEAD');
    const rows = await s.rows(
      'SELECT count(*) FILTER (WHERE NOT is_bot)::INTEGER AS human, count(*) FILTER (WHERE is_bot)::INTEGER AS bot, count(*) FILTER (WHERE is_preview)::INTEGER AS head FROM clicks WHERE link_id = ?',
      [link.id],
    );
    expect(rows).toEqual([{ human: 1, bot: previews.length + 3, head: 3 }]);
    expect(await linkStats(link.id)).toEqual({ clicks: 1, unique_clicks: 1, bot_clicks: previews.length + 3 });
  });
});

describe('one keep-alive connection', () => {
  /** GETs `/key` with `ua` through `agent`; resolves with the click id and whether the socket was reused. */
  const get = (agent: Agent, key: string, ua: string): Promise<{ id: string; reused: boolean }> =>
    new Promise((resolve, reject) => {
      const req = request(`${s.url}/${key}`, { agent, headers: { 'user-agent': ua } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ id: /clout_id=([A-Za-z0-9_-]+)/.exec(String(res.headers.location))![1]!, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });

  it('classifies every request by its own User-Agent; the visitor is (IP, UA), whatever the connection', async () => {
    s.clock.t = Date.parse('2026-03-05T12:00:00Z');
    const link = await newLink();
    const one = new Agent({ keepAlive: true, maxSockets: 1 });
    const other = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = await get(one, link.key, BROWSER_UA);
      const b = await get(one, link.key, 'Twitterbot/1.0');
      const c = await get(one, link.key, BROWSER_UA);
      const d = await get(other, link.key, BROWSER_UA);
      expect([a.reused, b.reused, c.reused, d.reused]).toEqual([false, true, true, false]);
      const row = async (id: string): Promise<Record<string, unknown>> =>
        (await s.rows('SELECT is_bot, browser, visitor_id FROM clicks WHERE id = ?', [id]))[0]!;
      const [ra, rb, rc, rd] = [await row(a.id), await row(b.id), await row(c.id), await row(d.id)];
      expect([ra.is_bot, rb.is_bot, rc.is_bot, rd.is_bot]).toEqual([false, true, false, false]);
      expect(ra.browser).toBe('Chrome');
      expect(rb.visitor_id).not.toBe(ra.visitor_id);
      expect(rc.visitor_id).toBe(ra.visitor_id);
      expect(rd.visitor_id).toBe(ra.visitor_id);
      // The next UTC day, on the same connection: a new visitor id (the salt rotated).
      s.clock.advance(86_400_000);
      const e = await get(one, link.key, BROWSER_UA);
      expect(e.reused).toBe(true);
      expect((await row(e.id)).visitor_id).not.toBe(ra.visitor_id);
    } finally {
      one.destroy();
      other.destroy();
    }
  });
});

describe('unique clicks', () => {
  it('counts distinct (visitor, link, hour) among human clicks, at query time', async () => {
    s.clock.t = Date.parse('2026-03-03T09:10:00Z');
    const link = await newLink();
    await click(link.key, BROWSER_UA);
    s.clock.advance(20 * 60_000);
    await click(link.key, BROWSER_UA); // same visitor, same hour → still 1 unique
    expect(await linkStats(link.id)).toEqual({ clicks: 2, unique_clicks: 1, bot_clicks: 0 });
    s.clock.advance(HOUR); // next hour → 2
    await click(link.key, BROWSER_UA);
    expect(await linkStats(link.id)).toEqual({ clicks: 3, unique_clicks: 2, bot_clicks: 0 });
    await click(link.key, IPHONE_UA); // another UA from the same IP = another visitor → 3
    expect(await linkStats(link.id)).toEqual({ clicks: 4, unique_clicks: 3, bot_clicks: 0 });
    await click(link.key, 'Twitterbot/1.0'); // bots never count
    await click(link.key, BROWSER_UA, 'HEAD');
    expect(await linkStats(link.id)).toEqual({ clicks: 4, unique_clicks: 3, bot_clicks: 2 });
    // Another link: the same visitor in the same hour is unique there too.
    const other = await newLink();
    await click(other.key, BROWSER_UA);
    expect(await linkStats(other.id)).toEqual({ clicks: 1, unique_clicks: 1, bot_clicks: 0 });
  });

  it('rotates the visitor salt every UTC day: the same IP and UA get a new visitor id the next day', async () => {
    s.clock.t = Date.parse('2026-03-04T23:59:00Z');
    const link = await newLink();
    const a = await click(link.key, BROWSER_UA);
    const b = await click(link.key, BROWSER_UA);
    s.clock.advance(2 * 60_000);
    const c = await click(link.key, BROWSER_UA);
    const v = async (id: string | null): Promise<unknown> => (await s.rows('SELECT visitor_id FROM clicks WHERE id = ?', [id!]))[0]!.visitor_id;
    expect(await v(a)).toBe(await v(b));
    expect(await v(c)).not.toBe(await v(a));
  });
});

describe('group commit', () => {
  it('never waits for the store on the redirect, and a graceful stop flushes every buffered click', async () => {
    const t = await testServer({ groupCommitMs: 100, clickBatchRows: 1_000_000 });
    const res = await t.req('POST', '/api/links', { key: t.adminKey, body: { url: 'https://shop.example/y' } });
    const link = (await res.json()) as { key: string; id: string };
    const n = 50;
    await Promise.all(Array.from({ length: n }, () => t.req('GET', `/${link.key}`, { headers: { 'user-agent': BROWSER_UA } })));
    await t.close(); // no explicit flush: close() must flush
    const store = await openStore(t.dbPath);
    try {
      const rows = (await store.conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM clicks WHERE link_id = ?', [link.id])).getRowObjectsJS();
      expect(rows).toEqual([{ n }]);
    } finally {
      await closeStore(store);
    }
  });

  it('merges the journal into clicks while click batches keep being written, losing and duplicating nothing', async () => {
    const t = await testServer({ groupCommitMs: 5 });
    try {
      const l = (await (await t.req('POST', '/api/links', { key: t.adminKey, body: { url: 'https://shop.example/z' } })).json()) as { key: string; id: string };
      const buffer = t.ctx.clicks;
      const ids = new Set<string>();
      for (let round = 0; round < 20; round++) {
        const merging = buffer.merge();
        const locs = await Promise.all(
          Array.from({ length: 25 }, () => t.req('GET', `/${l.key}`, { headers: { 'user-agent': BROWSER_UA } }).then((r) => r.headers.get('location')!)),
        );
        for (const loc of locs) ids.add(/clout_id=([A-Za-z0-9_-]+)/.exec(loc)![1]!);
        await merging;
      }
      expect(ids.size).toBe(500);
      const rows = await t.rows('SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d FROM clicks WHERE link_id = ?', [l.id]);
      expect(rows).toEqual([{ n: 500, d: 500 }]);
      expect(journalSegments(journalDir(t.dbPath))).toEqual([]); // every segment merged and deleted
      expect(buffer.failures).toBe(0); // no merge ever conflicted with a concurrent batch
    } finally {
      await t.close();
    }
  });

  it('journals by itself within groupCommitMs, and merges the journal into clicks in the background', async () => {
    const link = await newLink();
    const dir = journalDir(s.dbPath);
    await click(link.key, BROWSER_UA);
    const inJournal = (): boolean =>
      journalSegments(dir).some((f) => {
        try {
          return readFileSync(f, 'utf8').includes(link.id);
        } catch {
          return false; // merged and deleted between listing and reading
        }
      });
    const inClicks = async (): Promise<boolean> =>
      Number((await s.ctx.store.conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM clicks WHERE link_id = ?', [link.id])).getRowObjectsJS()[0]!.n) === 1;
    const started = Date.now();
    let written = false;
    while (Date.now() - started < 2_000 && !written) {
      written = inJournal() || (await inClicks()); // on disk in the journal (group commit), or already merged
      if (!written) await new Promise((r) => setTimeout(r, 5));
    }
    expect(written).toBe(true);
    const merged = Date.now();
    let m = false;
    while (Date.now() - merged < 5_000 && !m) {
      m = await inClicks();
      if (!m) await new Promise((r) => setTimeout(r, 20));
    }
    expect(m).toBe(true);
    await s.ctx.clicks.settle();
    expect(journalSegments(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(true); // the live server keeps its journal directory
  });
});
