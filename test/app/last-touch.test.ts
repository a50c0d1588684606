/** The report's store queries on a small hand-written world whose credit can be worked out by hand. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/ingest/index.js';
import { loadLastTouchRows } from '../../src/app/last-touch.js';
import { buildCreditReport, type CreditReport } from '../../src/report/index.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { TEST_DIR } from '../support/paths.js';

const FIXTURES = join(TEST_DIR, 'fixtures', 'report');

describe('report over the store (hand-worked credit)', () => {
  let store: Store;
  let all: CreditReport;
  let sales: CreditReport;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clout-report-'));
    store = await openStore(join(dir, 'store.duckdb'));
    const summary = await importPaths(store, [FIXTURES], { rejectsPath: join(dir, 'rejects.ndjson') });
    expect(summary.rejected_total).toBe(0);
    all = buildCreditReport(await loadLastTouchRows(store.conn, { types: [] }), { types: [], rankBy: 'conversions' });
    const saleOptions = { types: ['sale'], rankBy: 'conversions' as const };
    sales = buildCreditReport(await loadLastTouchRows(store.conn, saleOptions), saleOptions);
  });
  afterAll(async () => {
    await closeStore(store);
  });

  const account = (r: CreditReport, id: string) => r.accounts.find((a) => a.id === id)!;

  it('finds link owners through author_id, post_id and posts.link_id', () => {
    expect(account(all, 'ann')).toMatchObject({ posts: 1, clicks: 2, bot_clicks: 0, conversions: 2 });
    expect(account(all, 'bob')).toMatchObject({ posts: 2, clicks: 2, bot_clicks: 1, conversions: 3 });
    expect(account(all, 'cat')).toMatchObject({ posts: 1, clicks: 1, conversions: 1 });
    expect(account(all, 'dan')).toMatchObject({ posts: 1, clicks: 0, conversions: 0 });
  });

  it('credits by click id, else link id, else post id, in money of the report currency', () => {
    expect(account(all, 'ann').value).toBeCloseTo(29.98, 10);
    expect(account(all, 'bob').value).toBeCloseTo(44.97, 10);
    expect(account(all, 'bob').by_type.sale!.conversions).toBe(3);
    expect(account(all, 'cat').by_type.donation).toEqual({ conversions: 1, value: 100 });
    expect(all.outcome.currency).toBe('USD');
  });

  it('uses the follow graph when an account has no reported follower count', () => {
    expect(account(all, 'cat')).toMatchObject({ followers: 3, followers_source: 'follow_graph' });
    expect(account(all, 'bob')).toMatchObject({ followers: 5000, followers_source: 'reported' });
  });

  it('counts uncredited conversions (no click, unknown click, campaign-only)', () => {
    expect(all.totals).toMatchObject({ conversions: 10, credited_conversions: 6, uncredited_conversions: 4 });
    expect(sales.totals).toMatchObject({ conversions: 7, credited_conversions: 5, uncredited_conversions: 2 });
    expect(account(sales, 'cat').conversions).toBe(0);
  });

  it('adds up a campaign in its own currency, through campaign_id and campaign links', () => {
    const fund = all.campaigns.find((c) => c.id === 'fund')!;
    expect(fund.goal_value).toBe(100);
    expect(fund.raised).toBeCloseTo(150.5, 10);
    expect(fund.progress).toBeCloseTo(1.505, 10);
    expect(fund.contributors).toBe(2);
    expect(fund.top_accounts).toEqual([{ id: 'cat', handle: '@cat', conversions: 1, value: 100 }]);
  });

  it('ranks by total conversions when asked', () => {
    expect(all.accounts.map((a) => a.id)).toEqual(['bob', 'ann', 'cat', 'dan']);
  });
});
