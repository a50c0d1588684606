/**
 * The report's campaign impact on the synthetic demo world (seed 1): the birthday appeal's own metric series
 * (`donations`, daily) gets a causal impact whose interval is finite and holds the planted total, says how the
 * level's drift was set (learned from the pre-period) and carries the pre-period backtest; the terminal and the HTML
 * show the numbers and the calibration sentence; a campaign with no usable series (no dates, no posts) gets a note,
 * not a crash; the document carries no point-wise series.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrationSentence } from '../../src/analysis/impact/report-text.js';
import { REPORT_OPTIONS, loadReport, runReport, type LoadedReport } from '../../src/app/report.js';
import { importPaths } from '../../src/ingest/index.js';
import { renderReportHtml, renderReportText, type FullReport } from '../../src/report/index.js';
import { escapeHtml } from '../../src/report/html/escape.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { demoStore } from '../support/world.js';

let planted: number;
let loaded: LoadedReport;
let report: FullReport;

beforeAll(async () => {
  const { dir, db, world } = await demoStore(1, 'clout-report-campaign-impact-');
  planted = (JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { campaigns: { planted_total: number }[] }).campaigns[0]!.planted_total;
  // a campaign the store cannot place in time: no start date and no posts
  mkdirSync(join(dir, 'extra'));
  writeFileSync(join(dir, 'extra', 'campaigns.csv'), 'id,name,goal_value,currency\ncmp_undated,Someday,1000,USD\n');
  const store = await openStore(db);
  try {
    await importPaths(store, [join(dir, 'extra')], { rejectsPath: join(dir, 'rejects-extra.ndjson') });
    loaded = await loadReport(store.conn, REPORT_OPTIONS.parse({ model: false }));
  } finally {
    await closeStore(store);
  }
  report = runReport(loaded);
}, 120_000);

const campaign = (id: string) => report.campaigns.find((c) => c.id === id)!;

describe("the report's campaign impact on the demo world", () => {
  it("estimates the birthday appeal's effect on its own donations series, with a finite interval holding the planted total", () => {
    const i = campaign('cmp_birthday').impact;
    expect(i).toMatchObject({ status: 'estimated', outcome: 'donations', bucket: 'day', currency: 'USD', event_at: '2026-02-26T00:00:00.000Z', level: 0.95, note: null });
    expect(i.post).toMatchObject({ from: '2026-02-26', points: 15 });
    expect(i.pre!.points).toBeGreaterThanOrEqual(14);
    const c = i.cumulative!;
    console.log(
      `cmp_birthday: planted ${planted}; observed ${c.actual.toFixed(0)}, expected ${c.predicted.toFixed(0)} [${c.predicted_lower.toFixed(0)}, ${c.predicted_upper.toFixed(0)}]; ` +
        `effect ${c.effect.toFixed(0)} [${c.effect_lower.toFixed(0)}, ${c.effect_upper.toFixed(0)}], p = ${i.p!.toFixed(4)}; ` +
        `drift ${i.calibration!.chosen_by} ${i.calibration!.prior_level_sd.toFixed(3)}, backtest coverage ${i.calibration!.coverage} over ${i.calibration!.backtests.length} origins (rms z ${i.calibration!.rms_z?.toFixed(2)})`,
    );
    for (const x of [c.actual, c.predicted, c.effect, c.effect_lower, c.effect_upper, i.relative!.lower, i.relative!.upper]) expect(Number.isFinite(x)).toBe(true);
    expect(c.effect_lower).toBeLessThan(c.effect_upper);
    expect(c.effect_lower).toBeLessThanOrEqual(planted);
    expect(c.effect_upper).toBeGreaterThanOrEqual(planted);
    expect(c.effect).toBeCloseTo(c.actual - c.predicted, 6);
    expect(i.p!).toBeLessThan(0.01);
  });

  it('says how the drift was set and carries the backtest, without the point-wise series', () => {
    const i = campaign('cmp_birthday').impact;
    expect(i.calibration!.chosen_by).toBe('learned');
    expect(i.calibration!.prior_level_sd).toBeGreaterThan(0);
    expect(i.calibration!.backtests.length).toBeGreaterThan(0);
    expect(i.calibration!.coverage).toBeGreaterThanOrEqual(0);
    expect(i.calibration!.nominal).toBe(0.95);
    expect(Object.keys(i)).not.toContain('series');
    const json = JSON.stringify(i);
    expect(json).not.toMatch(/point_pred|cum_effect/);
    expect(json.length).toBeLessThan(8_000);
  });

  it('gives a campaign without a usable series a note, not a crash', () => {
    const i = campaign('cmp_undated').impact;
    expect(i).toMatchObject({ status: 'no_series', cumulative: null, p: null, calibration: null });
    expect(i.note).toMatch(/no start date and no posts/);
  });

  it('is seeded: the same loaded input gives the same impact', () => {
    expect(runReport(loaded).campaigns.map((c) => c.impact)).toEqual(report.campaigns.map((c) => c.impact));
  });

  it('shows the effect, its interval, p and the calibration sentence in the terminal and the HTML', () => {
    const i = campaign('cmp_birthday').impact;
    const sentence = calibrationSentence(i.calibration!)!;
    expect(sentence).toMatch(/learned from the pre-period/);
    const text = renderReportText(report, { top: 5 });
    expect(text).toContain('What campaigns caused');
    expect(text).toMatch(/Causal impact of Birthday wish: clean water for 1,900 people on donations per day, from 2026-02-26/);
    expect(text).toMatch(/Effect \+[\d,]+ USD \(95% interval \+[\d,]+ USD to \+[\d,]+ USD\)/);
    expect(text).toMatch(/p = 0\.0\d\d/);
    expect(text).toContain(sentence);
    expect(text).toMatch(/Causal impact of Someday[^\n]*\n {2}No estimate: .*no start date and no posts/);
    const html = renderReportHtml(report, { top: 5, chartJs: 'window.Chart = function () {};' });
    const section = html.slice(html.indexOf('<section id="campaigns"'), html.indexOf('</section>', html.indexOf('<section id="campaigns"')));
    expect(section).toContain('id="campaign-impact-table"');
    expect(section).toContain(escapeHtml(sentence));
    expect(section).toMatch(/Effect \+[\d,]+ USD/);
    expect(section).toContain('no start date and no posts');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
  });
});
