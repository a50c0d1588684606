/**
 * GET /api/analytics against a planted world: known counts per author / link / post / day, time filters, and the
 * same numbers `clout report` prints for the same data (one credit rule, from src/store/queries.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsDoc } from '../../../src/app/analytics.js';
import type { CreditReport } from '../../../src/report/index.js';
import { BROWSER_UA, tempDir, testServer, type TestServer } from '../../support/server.js';

/** One row of the analytics document (what the API sends). */
type Row = AnalyticsDoc['data'][number];

let s: TestServer;
const links: Record<string, { id: string; key: string }> = {};
const clickIds: Record<string, string[]> = { L1: [], L2: [] };

async function click(name: string, ua: string, method = 'GET'): Promise<void> {
  const res = await s.req(method, `/${links[name]!.key}`, { headers: { 'user-agent': ua } });
  const id = /clout_id=([A-Za-z0-9_-]+)/.exec(res.headers.get('location')!)![1]!;
  if (method === 'GET' && !ua.includes('bot')) clickIds[name]!.push(id);
}

async function analytics(query: string): Promise<Row[]> {
  const res = await s.req('GET', `/api/analytics?${query}`, { key: s.adminKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Row[] }).data;
}

beforeAll(async () => {
  s = await testServer();
  s.clock.t = Date.parse('2026-05-01T12:00:00Z');
  const dir = tempDir();
  writeFileSync(join(dir, 'accounts.csv'), 'id,handle,followers\na1,@big,1000\na2,@small,50\na3,@tiny,5\n');
  writeFileSync(
    join(dir, 'posts.csv'),
    'id,author_id,created_at,text\np1,a1,2026-04-30T10:00:00Z,Title — link\np2,a2,2026-04-30T11:00:00Z,This book amazes me\np3,a3,2026-04-30T12:00:00Z,hi\n',
  );
  const imp = await s.req('POST', '/api/import', { key: s.adminKey, body: { paths: [join(dir, 'accounts.csv'), join(dir, 'posts.csv')] } });
  expect(imp.status).toBe(200);
  for (const [name, body] of [
    ['L1', { url: 'https://shop.example/1', post_id: 'p1' }],
    ['L2', { url: 'https://shop.example/2', post_id: 'p2' }],
    ['L3', { url: 'https://shop.example/3', author_id: 'a3' }],
  ] as const) {
    links[name] = (await (await s.req('POST', '/api/links', { key: s.adminKey, body })).json()) as { id: string; key: string };
  }
  // Day 1: L1 gets 5 humans (distinct UAs) and 2 bots; L2 gets 3 humans (one visitor twice in an hour) and a HEAD.
  for (let i = 0; i < 5; i++) await click('L1', `${BROWSER_UA} v${i}`);
  await click('L1', 'Twitterbot/1.0');
  await click('L1', 'Slackbot-LinkExpanding 1.0');
  await click('L2', BROWSER_UA);
  await click('L2', BROWSER_UA);
  await click('L2', BROWSER_UA, 'HEAD');
  // Day 2: one more human on L2.
  s.clock.t = Date.parse('2026-05-02T08:00:00Z');
  await click('L2', `${BROWSER_UA} other`);
  writeFileSync(
    join(dir, 'conversions.csv'),
    [
      'id,at,type,value,currency,customer_id,click_id,link_id,post_id',
      `c1,2026-05-01T13:00:00Z,sale,10.00,USD,u1,${clickIds.L1![0]},,`,
      `c2,2026-05-01T13:30:00Z,lead,,,u2,${clickIds.L1![1]},,`,
      `c3,2026-05-02T09:00:00Z,donation,5.50,USD,u3,${clickIds.L2![0]},,`,
      `c4,2026-05-02T10:00:00Z,sale,20,EUR,u4,,${links.L2!.id},`,
      'c5,2026-05-02T11:00:00Z,sale,3,USD,u5,,,p3',
      'c6,2026-05-02T12:00:00Z,lead,,,u6,,,',
    ].join('\n') + '\n',
  );
  const imp2 = await s.req('POST', '/api/import', { key: s.adminKey, body: { paths: [join(dir, 'conversions.csv')] } });
  expect(imp2.status).toBe(200);
  expect(((await imp2.json()) as { rejected_total: number }).rejected_total).toBe(0);
});
afterAll(async () => {
  await s.close();
});

const zero = { clicks: 0, unique_clicks: 0, bot_clicks: 0, leads: 0, sales: 0, donations: 0, signups: 0, conversions: 0, value: {} };

describe('analytics', () => {
  it('by author: the planted counts', async () => {
    const rows = await analytics('group_by=author');
    const by = Object.fromEntries(rows.map((r) => [String(r.key), r]));
    expect(by.a1).toMatchObject({ ...zero, clicks: 5, unique_clicks: 5, bot_clicks: 2, leads: 1, sales: 1, conversions: 2, value: { USD: 10 } });
    expect(by.a2).toMatchObject({ ...zero, clicks: 3, unique_clicks: 2, bot_clicks: 1, donations: 1, sales: 1, conversions: 2, value: { USD: 5.5, EUR: 20 } });
    expect(by.a3).toMatchObject({ ...zero, sales: 1, conversions: 1, value: { USD: 3 } });
    expect(by.null).toMatchObject({ ...zero, leads: 1, conversions: 1 }); // c6 has no click, link or post
    expect(rows[rows.length - 1]!.key).toBeNull(); // the uncredited group comes last
  });

  it('by link, post and day', async () => {
    const link = Object.fromEntries((await analytics('group_by=link')).map((r) => [String(r.key), r]));
    expect(link[links.L1!.id]).toMatchObject({ clicks: 5, bot_clicks: 2, sales: 1, leads: 1 });
    expect(link[links.L2!.id]).toMatchObject({ clicks: 3, unique_clicks: 2, donations: 1, sales: 1, value: { USD: 5.5, EUR: 20 } });
    const post = Object.fromEntries((await analytics('group_by=post')).map((r) => [String(r.key), r]));
    expect(post.p1).toMatchObject({ clicks: 5, conversions: 2 });
    expect(post.p3).toMatchObject({ clicks: 0, sales: 1 });
    const day = await analytics('group_by=day');
    expect(day.map((r) => [r.key, r.clicks, r.bot_clicks, r.conversions])).toEqual([
      ['2026-05-01', 7, 3, 2],
      ['2026-05-02', 1, 0, 4],
    ]);
  });

  it('filters clicks and conversions to [from, to)', async () => {
    const rows = await analytics('group_by=author&from=2026-05-02&to=2026-05-03');
    const by = Object.fromEntries(rows.map((r) => [String(r.key), r]));
    expect(by.a1).toBeUndefined();
    expect(by.a2).toMatchObject({ clicks: 1, bot_clicks: 0, donations: 1, sales: 1 });
    const early = await analytics('group_by=day&to=2026-05-01T13:15:00Z');
    expect(early.map((r) => [r.key, r.clicks, r.conversions])).toEqual([['2026-05-01', 5 + 2, 1]]);
    for (const q of ['group_by=week', 'from=yesterday', 'from=2026-05-02&to=2026-05-01', 'surprise=1']) {
      const res = await s.req('GET', `/api/analytics?${q}`, { key: s.adminKey });
      expect(res.status, q).toBe(400);
    }
  });

  it('agrees with clout report (one report per outcome type) for every account', async () => {
    const rows = Object.fromEntries((await analytics('group_by=author')).map((r) => [String(r.key), r]));
    const byType = { leads: 'lead', sales: 'sale', donations: 'donation' } as const;
    const conversions = new Map<string, number>();
    const values = new Map<string, Record<string, number>>();
    let total = 0, credited = 0;
    for (const [column, type] of Object.entries(byType)) {
      const report = (await (await s.req('GET', `/api/report?type=${type}&model=false`, { key: s.adminKey })).json()) as CreditReport;
      expect(report.outcome.types).toEqual([type]);
      expect(report.accounts.map((a) => a.id).sort()).toEqual(['a1', 'a2', 'a3']);
      expect(report.totals.clicks).toBe(5 + 3 + 0);
      total += report.totals.conversions;
      credited += report.totals.credited_conversions;
      for (const a of report.accounts) {
        const r = rows[a.id] ?? { ...zero, key: a.id };
        expect(r.clicks, a.id).toBe(a.clicks);
        expect(r.bot_clicks, a.id).toBe(a.bot_clicks);
        expect(Object.keys(a.by_type).every((t) => t === type), a.id).toBe(true);
        expect(r[column as keyof typeof byType], `${a.id} ${type}`).toBe(a.conversions);
        conversions.set(a.id, (conversions.get(a.id) ?? 0) + a.conversions);
        const v = values.get(a.id) ?? {};
        for (const [cur, x] of Object.entries(a.values)) v[cur] = (v[cur] ?? 0) + x;
        values.set(a.id, v);
      }
    }
    for (const [id, n] of conversions) {
      const r = rows[id] ?? { ...zero, key: id };
      expect(r.conversions, id).toBe(n);
      expect(r.value, id).toEqual(values.get(id));
    }
    expect(total).toBe(6);
    expect(credited).toBe(5);
  });
});
