/**
 * Campaign progress: the calendar and pace of hand-made campaigns (running, ended, not started, undated, goal met),
 * and `clout campaigns` on the demo world agreeing with the report's campaign section and the planted total.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRow } from '../../src/domain/index.js';
import { buildCampaignProgress, type CampaignsDoc, type FullReport } from '../../src/report/index.js';
import { clout } from '../support/cli.js';
import { demoStore } from '../support/world.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function row(id: string, over: Partial<CampaignRow>): CampaignRow {
  return { id, name: null, owner_id: null, goal_minor: 1_000_000, currency: 'USD', starts_at: T0, ends_at: T0 + 10 * DAY, raised_minor: 400_000, conversions: 40, contributors: 30, ...over };
}

describe('buildCampaignProgress', () => {
  const rows = {
    campaigns: [
      row('running', {}),
      row('ended', { raised_minor: 1_200_000 }),
      row('later', { starts_at: T0 + 20 * DAY, ends_at: T0 + 30 * DAY, raised_minor: 0 }),
      row('undated', { starts_at: null, ends_at: null }),
      row('met', { raised_minor: 1_000_000 }),
      row('no-goal', { goal_minor: null }),
    ],
    campaignCredit: [
      { campaign_id: 'running', account_id: 'a', conversions: 3, value_minor: 50_000 },
      { campaign_id: 'running', account_id: 'b', conversions: 9, value_minor: 90_000 },
    ],
  };
  const asOf = T0 + 4 * DAY;
  const doc = buildCampaignProgress({ ...rows, campaigns: rows.campaigns.map((c) => (c.id === 'ended' ? { ...c, ends_at: T0 + 3 * DAY } : c)) }, new Map([['b', '@bee']]), asOf);
  const by = new Map(doc.campaigns.map((c) => [c.id, c]));

  it('reads the calendar as of the given time', () => {
    expect(doc.as_of).toBe(new Date(asOf).toISOString());
    expect(by.get('running')).toMatchObject({ status: 'running', days_run: 4, days_left: 6, raised: 4000, goal_value: 10000, progress: 0.4 });
    expect(by.get('ended')).toMatchObject({ status: 'ended', days_run: 3, days_left: 0, needed_per_day: null });
    expect(by.get('later')).toMatchObject({ status: 'not_started', days_run: 0, days_left: 26, pace_per_day: null });
    expect(by.get('undated')).toMatchObject({ status: 'undated', days_run: null, days_left: null, pace_per_day: null, needed_per_day: null });
  });

  it('gives the pace so far and the pace still needed', () => {
    expect(by.get('running')!.pace_per_day).toBeCloseTo(4000 / 4, 9);
    expect(by.get('running')!.needed_per_day).toBeCloseTo((10000 - 4000) / 6, 9);
    expect(by.get('later')!.needed_per_day).toBeCloseTo(10000 / 26, 9);
    expect(by.get('met')!.needed_per_day).toBe(0);
    expect(by.get('no-goal')!.needed_per_day).toBeNull();
  });

  it('ranks the top accounts by credited value, with their handles', () => {
    expect(by.get('running')!.top_accounts).toEqual([
      { id: 'b', handle: '@bee', conversions: 9, value: 900 },
      { id: 'a', handle: null, conversions: 3, value: 500 },
    ]);
  });
});

describe('clout campaigns on the demo world', () => {
  let db: string;
  let dir: string;
  beforeAll(async () => {
    ({ dir, db } = await demoStore(7, 'clout-campaigns-'));
  });

  it('has the report\'s campaign lines and the planted total, ended as of the last conversion', async () => {
    const r = await clout(['campaigns', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CampaignsDoc;
    const rep = await clout(['report', '--db', db, '--json', '--no-model']);
    const report = JSON.parse(rep.stdout) as FullReport;
    expect(doc.campaigns.length).toBe(report.campaigns.length);
    // the report adds each campaign's causal impact (`impact`); the lines are otherwise the same
    report.campaigns.forEach(({ impact: _, ...line }, i) => expect(doc.campaigns[i]).toMatchObject(line));
    const truth = JSON.parse(readFileSync(join(dir, 'world', 'truth.json'), 'utf8')) as { campaigns: { id: string; planted_total: number }[] };
    for (const t of truth.campaigns) expect(doc.campaigns.find((c) => c.id === t.id)!.raised).toBe(t.planted_total);
    for (const c of doc.campaigns) expect(c.status).toBe('ended');
    const text = await clout(['campaigns', '--db', db]);
    expect(text.stdout).toMatch(/of goal/);
    expect(text.stdout).toContain(doc.campaigns[0]!.top_accounts[0]!.handle!);
  });
});
