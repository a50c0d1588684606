/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the callbacks given to page.evaluate run in the browser)
/**
 * A real browser (Debian chromium, driven by playwright-core) follows a short link to a landing page on another
 * origin; the page includes /clout.js, which keeps the click id from the URL and posts a lead with a publishable
 * key. The lead row must carry that click id and the link's post and author. Skips only when chromium is absent
 * and CI is not set; under CI it must run (.ci/run installs chromium).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startHarness, type Harness } from '../../support/server-harness.js';
import { BROWSER_SKIP, launchChromium, requireChromium } from '../../support/chromium.js';

/** The landing page: includes the API's /clout.js and tracks a lead when asked to. */
function landingHtml(api: string, key: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Book</title>
<script src="${api}/clout.js" data-key="${key}"></script></head>
<body><h1>The book</h1><button id="join">Join</button>
<script>
  window.trackLead = (customer) => clout.track('lead', { customer_id: customer, event_name: 'newsletter', metadata: { page: location.pathname } });
</script></body></html>`;
}

describe.skipIf(BROWSER_SKIP)('browser: short link → landing page → clout.track(lead)', () => {
  let h: Harness;
  let landing: Server;
  let landingUrl: string;
  let browser: Browser;
  let pk: string;

  beforeAll(async () => {
    requireChromium();
    h = await startHarness();
    landing = createServer((req, res) => {
      if (req.url?.startsWith('/book')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(landingHtml(h.url, pk));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => landing.listen(0, '127.0.0.1', r));
    // "localhost" vs "127.0.0.1": a different origin from the API (http://127.0.0.1:port), as a real site would be.
    landingUrl = `http://localhost:${(landing.address() as AddressInfo).port}`;
    pk = await h.key(['conversions:client'], [landingUrl]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => landing?.close(r));
    await h?.close();
  });

  it('records the lead with the click id from the URL, attributed to the post and its author', async () => {
    const linksKey = await h.key(['links:write']);
    const created = await post(`${h.url}/api/links`, { url: `${landingUrl}/book?utm_source=x`, post_id: 'post_a' }, linksKey);
    expect(created.status).toBe(201);

    const page = await browser.newPage();
    const seen: string[] = [];
    page.on('request', (r) => seen.push(`${r.method()} ${r.url()}`));
    await page.goto(created.body.short_url);
    const landed = new URL(page.url());
    expect(landed.origin).toBe(landingUrl);
    const clickId = landed.searchParams.get('clout_id');
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{10,}$/);

    // clout.js kept the id in first-party storage.
    expect(await page.evaluate(() => (window as any).clout.clickIds())).toEqual([clickId]);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('clout_ids')))!)[0].id).toBe(clickId);

    // A later page view without the parameter still sends the stored id.
    await page.goto(`${landingUrl}/book/thanks`);
    const answer = await page.evaluate(() => (window as any).trackLead('visitor_42'));
    expect(answer).toMatchObject({ type: 'lead', click_id: clickId, post_id: 'post_a', author_id: 'alice', attribution: 'click', click_ids: [clickId] });
    // The page's POST went to the API (cross-origin: it passed the CORS preflight for this origin).
    expect(seen.some((s) => s === `POST ${h.url}/api/track/lead`)).toBe(true);

    const row = (await h.conversions()).find((r) => r.id === answer.id)!;
    expect(row).toMatchObject({ type: 'lead', click_id: clickId, post_id: 'post_a', author_id: 'alice', source: 'client', customer_id: 'visitor_42' });
    expect(JSON.parse(row.metadata!)).toEqual({ page: '/book/thanks' });

    // The same script cannot record a sale: the API refuses publishable keys for money.
    const refused = await page.evaluate(() =>
      (window as any).clout.track('sale', { customer_id: 'visitor_42' }).then(
        () => 'accepted',
        (e: { status: number }) => e.status,
      ),
    );
    expect(refused).toBe(403);
    await page.close();
  });

  it('is refused from an origin that is not listed on the key', async () => {
    const page = await browser.newPage();
    // The same landing server reached as 127.0.0.1 is another origin, not listed on the key.
    const other = landingUrl.replace('localhost', '127.0.0.1');
    await page.goto(`${other}/book?clout_id=abc`);
    expect(await page.evaluate(() => (window as any).clout.clickIds())).toEqual(['abc']);
    const before = (await h.conversions()).length;
    const outcome = await page.evaluate(() => (window as any).trackLead('intruder').then(() => 'accepted', (e: Error) => e.message));
    expect(outcome).not.toBe('accepted');
    expect((await h.conversions()).length).toBe(before);
    await page.close();
  });
});
