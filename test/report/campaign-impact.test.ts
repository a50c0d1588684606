/**
 * A campaign's impact block (pure): the engine's cumulative column, p and calibration copied without the point-wise
 * series; the cases without an estimate — no series (the loader's reason kept), too few points (the engine never
 * runs), a degenerate series (the engine's abort message) — each with a note; and the words the renderers share.
 */
import { describe, expect, it } from 'vitest';
import { causalImpact, type ImpactData } from '../../src/analysis/impact/index.js';
import { Rng } from '../../src/domain/index.js';
import { CAMPAIGN_IMPACT_MIN_POINTS, campaignImpactBlock, campaignImpactRuns, type CampaignImpactInput } from '../../src/report/index.js';
import { campaignImpactText } from '../../src/report/campaign-impact-text.js';

function series(y: number[], post: number): ImpactData {
  const times = y.map((_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
  return { y, pre: [0, post - 1], post: [post, y.length - 1], times, target: 'gifts' };
}

function input(data: ImpactData | null, note: string | null = null): CampaignImpactInput {
  return { campaign_id: 'c1', series: data && { data, bucket: 'day', event_at: '2026-01-31T00:00:00.000Z', outcome: 'gifts', currency: 'EUR', notes: ['a note'] }, note };
}

const rng = new Rng(7);
const noisy = Array.from({ length: 40 }, (_, i) => 100 + rng.normal() * 5 + (i >= 30 ? 30 : 0));

describe('campaignImpactBlock', () => {
  it('copies the cumulative effect, p and calibration of the result, without the point-wise series', () => {
    const data = series(noisy, 30);
    const result = causalImpact(data, { seed: 3, niter: 300 });
    const b = campaignImpactBlock(input(data), result);
    const c = result.cumulative!;
    expect(b).toMatchObject({ status: 'estimated', outcome: 'gifts', bucket: 'day', currency: 'EUR', event_at: '2026-01-31T00:00:00.000Z', level: 0.95, notes: ['a note'], note: null });
    expect(b.pre).toEqual({ from: '2026-01-01', to: '2026-01-30', points: 30 });
    expect(b.post).toEqual({ from: '2026-01-31', to: '2026-02-09', points: 10 });
    expect(b.cumulative).toEqual({
      actual: c.actual, predicted: c.predicted, predicted_lower: c.predicted_lower, predicted_upper: c.predicted_upper,
      effect: c.abs_effect, effect_lower: c.abs_effect_lower, effect_upper: c.abs_effect_upper,
    });
    expect(b.relative).toEqual({ effect: c.rel_effect, lower: c.rel_effect_lower, upper: c.rel_effect_upper });
    expect(b.p).toBe(result.p);
    expect(b.prob_effect).toBe(result.prob_effect);
    expect(b.calibration).toEqual(result.calibration);
    expect(b.warnings).toEqual(result.warnings);
    expect(JSON.stringify(b)).not.toMatch(/point_pred|"series"/);
    // planted +30 per point over 10 points
    expect(b.cumulative!.effect_lower).toBeLessThan(300);
    expect(b.cumulative!.effect_upper).toBeGreaterThan(300);
    const t = campaignImpactText('Spring appeal', b);
    expect(t.heading).toBe('Causal impact of Spring appeal on gifts per day, from 2026-01-31; pre-period 2026-01-01 to 2026-01-30 (30 days), post period 2026-01-31 to 2026-02-09 (10 days)');
    expect(t.effect).toMatch(/^Effect \+[\d,]+ EUR \(95% interval [+-]?[\d,.]+ EUR to \+[\d,]+ EUR\), \+\d+\.\d% .*; p = \d\.\d{3}, P\(effect\) = \d+\.\d%\.$/);
    expect(t.calibration).toMatch(/learned from the pre-period/);
  });

  it('keeps the loader\'s reason when there is no series', () => {
    const b = campaignImpactBlock(input(null, "campaign 'c1' has no start date and no posts"), null);
    expect(b).toMatchObject({ status: 'no_series', outcome: null, cumulative: null, calibration: null, note: "campaign 'c1' has no start date and no posts" });
    expect(campaignImpactText('c1', b)).toEqual({ heading: 'Causal impact of c1', expected: null, effect: "No estimate: campaign 'c1' has no start date and no posts.", calibration: null });
  });

  it(`skips a series with fewer than ${CAMPAIGN_IMPACT_MIN_POINTS} observed points, with a note`, () => {
    const short = input(series([1, 2, NaN, 3, 4, 5, 6, 7, 8, 9], 5));
    expect(campaignImpactRuns(short)).toBe(false);
    expect(campaignImpactRuns(input(series(noisy.slice(0, CAMPAIGN_IMPACT_MIN_POINTS), 5)))).toBe(true);
    expect(campaignImpactRuns(input(null))).toBe(false);
    const b = campaignImpactBlock(short, null);
    expect(b).toMatchObject({ status: 'too_short', outcome: 'gifts', cumulative: null });
    expect(b.note).toBe('the gifts series has 9 observed points; the report analyses 10 or more (run clout impact --campaign c1)');
  });

  it('says why when the engine aborts on a degenerate series', () => {
    const data = series(Array.from({ length: 20 }, (_, i) => (i < 15 ? 4 : 9)), 15);
    const result = causalImpact(data, { seed: 1, niter: 100 });
    expect(result.ok).toBe(false);
    const b = campaignImpactBlock(input(data), result);
    expect(b).toMatchObject({ status: 'aborted', cumulative: null, p: null });
    expect(b.note).toMatch(/^aborting inference/);
  });
});
