import { describe, expect, it } from 'vitest';
import { buildCreditReport, renderReportText, type CreditReportInput } from '../../src/report/index.js';
import type { AccountActivityRow } from '../../src/domain/index.js';

function activity(id: string, followers: number, posts: number, clicks: number): AccountActivityRow {
  return { id, handle: `@${id}`, followers, followers_source: 'reported', posts, link_posts: posts, clicks, bot_clicks: 0 };
}

const input: CreditReportInput = {
  activity: [activity('big', 1_000_000, 10, 5000), activity('mid', 10_000, 4, 300), activity('small', 1_000, 2, 40), activity('quiet', 500, 1, 0)],
  credit: [
    { account_id: 'big', type: 'sale', currency: 'USD', conversions: 10, value_minor: 14990 },
    { account_id: 'mid', type: 'sale', currency: 'USD', conversions: 12, value_minor: 17988 },
    { account_id: 'small', type: 'sale', currency: 'USD', conversions: 9, value_minor: 13491 },
    { account_id: 'small', type: 'donation', currency: 'EUR', conversions: 1, value_minor: 5000 },
  ],
  totals: { conversions: 40, credited: 32, tied_by: { click: 30, link: 0, post: 0, code: 2, utm: 0, none: 8 } },
  campaigns: [
    { id: 'bday', name: 'Birthday', owner_id: 'big', goal_minor: 3_800_000, currency: 'USD', starts_at: null, ends_at: null, raised_minor: 3_955_100, conversions: 800, contributors: 790 },
    { id: 'open', name: null, owner_id: null, goal_minor: null, currency: null, starts_at: null, ends_at: null, raised_minor: 0, conversions: 0, contributors: 0 },
  ],
  campaignCredit: [
    { campaign_id: 'bday', account_id: 'mid', conversions: 50, value_minor: 250_000 },
    { campaign_id: 'bday', account_id: 'big', conversions: 700, value_minor: 3_500_000 },
  ],
};

describe('influence report (pure)', () => {
  const report = buildCreditReport(input, { types: [], rankBy: 'conversions_per_post' });

  it('computes per-account credit, per post and per 1,000 followers', () => {
    const small = report.accounts.find((a) => a.id === 'small')!;
    expect(small.conversions).toBe(10);
    expect(small.conversions_per_post).toBe(5);
    expect(small.conversions_per_1k_followers).toBeCloseTo(10, 12);
    expect(small.values).toEqual({ USD: 134.91, EUR: 50 });
    expect(small.value).toBeCloseTo(134.91, 10); // report currency = USD (most credited conversions)
    expect(small.by_type.sale).toEqual({ conversions: 9, value: 134.91 });
    expect(small.conversion_rate).toBeCloseTo(10 / 40, 12);
    expect(report.accounts.find((a) => a.id === 'quiet')!.conversion_rate).toBeNull();
  });

  it('ranks by outcomes per post, keeping the followers rank beside it', () => {
    expect(report.accounts.map((a) => a.id)).toEqual(['small', 'mid', 'big', 'quiet']);
    expect(report.accounts.map((a) => a.rank_followers)).toEqual([3, 2, 1, 4]);
  });

  it('reports Spearman of followers vs outcomes with a hand-computed value', () => {
    // followers ranks (ascending): quiet 1, small 2, mid 3, big 4; outcomes per post: quiet 0, big 1, mid 3, small 5
    // ranks: quiet 1, big 2, mid 3, small 4 → d = (0, 2, 0, -2) → ρ = 1 − 6·8/(4·15) = 0.2
    expect(report.rank_agreement.spearman_followers_vs_outcomes).toBeCloseTo(0.2, 12);
    expect(report.rank_agreement.n).toBe(4);
  });

  it('summarises campaigns with goal, raised, progress and top accounts by credited value', () => {
    const c = report.campaigns[0]!;
    expect(c.goal_value).toBe(38_000);
    expect(c.raised).toBe(39_551);
    expect(c.progress).toBeCloseTo(39_551 / 38_000, 12);
    expect(c.top_accounts.map((t) => t.id)).toEqual(['big', 'mid']);
    expect(c.top_accounts[0]!.value).toBe(35_000);
    expect(report.campaigns[1]!.progress).toBeNull();
  });

  it('warns about conversions credited to nobody', () => {
    expect(report.totals.uncredited_conversions).toBe(8);
    expect(report.warnings.some((w) => w.includes('8 of 40 conversions'))).toBe(true);
    const many = buildCreditReport({ ...input, totals: { conversions: 12_345, credited: 1_000, tied_by: { click: 1_000, link: 0, post: 0, code: 0, utm: 0, none: 11_345 } } }, { types: ['sale'], rankBy: 'conversions_per_post' });
    expect(many.warnings.some((w) => w.startsWith('11,345 of 12,345 conversions'))).toBe(true);
  });

  it('ranks by total value when asked, in an explicit currency', () => {
    const byValue = buildCreditReport(input, { types: ['sale'], rankBy: 'value', currency: 'EUR' });
    expect(byValue.outcome.currency).toBe('EUR');
    expect(byValue.accounts[0]!.id).toBe('small');
    expect(byValue.outcome.types).toEqual(['sale']);
  });

  it('renders both rankings side by side in the terminal text', () => {
    const text = renderReportText(report, { top: 3 });
    const lines = text.split('\n');
    const first = lines.find((l) => /^\s*1\s/.test(l))!;
    expect(first).toContain('@big');
    expect(first).toContain('@small');
    expect(text).toContain('Spearman ρ(followers, all conversions per post) = 0.20');
    expect(text).toContain('104.1%');
  });

  it('gives a null correlation, not NaN, when there are too few accounts', () => {
    const tiny = buildCreditReport({ ...input, activity: input.activity.slice(0, 2) });
    expect(tiny.rank_agreement.spearman_followers_vs_outcomes).toBeNull();
    expect(tiny.warnings[0]).toMatch(/at least 3/);
  });
});
