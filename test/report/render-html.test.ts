/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the callbacks given to page.evaluate run in the browser)
/**
 * The HTML report in a real browser (Debian chromium driven by playwright-core): generated for the demo world, it
 * opens from a file with no console errors, no page errors and no request beyond the file itself; every section is
 * there and visible; every chart canvas has a size and a Chart.js chart; the leaderboard has the rows asked for; the
 * framing chart draws clicks, conversions and incremental outcomes as three groups of interval bars. A handle holding
 * `</script>` stays text. Skips only when chromium is absent and CI is not set; under CI it must run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_SECTIONS, renderReportHtml, type FullReport } from '../../src/report/index.js';
import { readChartJsBundle } from '../../src/report/html/chartjs.js';
import { BROWSER_SKIP, launchChromium, requireChromium } from '../support/chromium.js';
import { clout } from '../support/cli.js';
import { demoStore } from '../support/world.js';

const TOP = 12;

/** Opens a file and records console errors and warnings, page errors and every request that is not the file. */
async function open(browser: Browser, file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== pathToFileURL(file).href) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

/** Every chart canvas: its name, its rendered size, and whether Chart.js made a chart with data for it. */
function charts(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')].map((c) => {
      const chart = (window as any).Chart.getChart(c);
      return {
        name: c.dataset.chart!,
        width: c.getBoundingClientRect().width,
        height: c.getBoundingClientRect().height,
        chart: chart !== undefined,
        type: chart?.config.type as string | undefined,
        points: chart ? (chart.data.datasets as { data: unknown[] }[]).reduce((n, d) => n + d.data.length, 0) : 0,
        labels: chart ? (chart.data.labels?.length ?? 0) : 0,
        xScale: chart?.scales.x?.type as string | undefined,
        /** Per dataset: its label and the [lower, upper] bars it draws (nulls left out). */
        datasets: chart
          ? (chart.data.datasets as { label: string; data: unknown[] }[]).map((d) => ({ label: d.label, bars: d.data.filter((x) => x !== null) }))
          : [],
      };
    }),
  );
}

describe.skipIf(BROWSER_SKIP)('clout report --html in headless chromium (demo world, seed 4)', () => {
  let dir: string;
  let db: string;
  let file: string;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    ({ dir, db } = await demoStore(4, 'clout-report-html-'));
    file = join(dir, 'report.html');
    const r = await clout(['report', '--db', db, '--html', file, '--top', String(TOP), '--niter', '200']);
    expect(r.code, r.stderr).toBe(0);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens without console errors, page errors or network requests, and shows every section', async () => {
    const { page, problems } = await open(browser, file);
    for (const id of HTML_SECTIONS) {
      await expect(page.locator(`section#${id}`).isVisible()).resolves.toBe(true);
      const heading = page.locator(`section#${id} > h2`);
      await expect(heading.isVisible()).resolves.toBe(true);
      expect((await heading.textContent())!.trim().length).toBeGreaterThan(3);
    }
    for (const id of ['leaderboard', 'scatter', 'posts', 'framing', 'tribes', 'campaigns', 'fallacy']) {
      expect(await page.locator(`nav a[href="#${id}"]`).count()).toBe(1);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws a Chart.js chart with data on every canvas, each with a size', async () => {
    const { page, problems } = await open(browser, file);
    const all = await charts(page);
    expect(all.map((c) => c.name).sort()).toEqual(['campaign-progress', 'campaign-sharers-0', 'fallacy', 'framing', 'leaderboard', 'posts', 'scatter', 'tribes']);
    for (const c of all) {
      expect(c.chart, c.name).toBe(true);
      expect(c.width, c.name).toBeGreaterThan(100);
      expect(c.height, c.name).toBeGreaterThan(100);
      expect(c.points, c.name).toBeGreaterThan(0);
    }
    const byName = new Map(all.map((c) => [c.name, c]));
    expect(byName.get('scatter')).toMatchObject({ type: 'scatter', xScale: 'logarithmic' });
    expect(byName.get('leaderboard')!.labels).toBe(TOP);
    expect(byName.get('leaderboard')!.points).toBe(2 * TOP); // an interval bar and a mean per account
    // framing: three groups of interval bars — clicks, conversions, incremental outcomes — matching the embedded report
    const report = JSON.parse((await page.locator('#clout-report-data').textContent())!).report as FullReport;
    const framing = byName.get('framing')!;
    expect(framing.datasets.map((d) => d.label)).toEqual(['clicks', 'conversions', 'incremental outcomes (model)']);
    const groups = [
      report.framing_effects.filter((e) => e.outcome === 'clicks'),
      report.framing_effects.filter((e) => e.outcome === 'conversions'),
      report.framing,
    ];
    groups.forEach((rows, i) => {
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(framing.datasets[i]!.bars).toEqual(rows.map((r) => [r.lower, r.upper]));
    });
    expect(framing.labels).toBe(3); // pitch, endorsement, bare link
    expect(await page.locator('#framing-table tbody tr').count()).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has as many leaderboard and post rows as asked, matching the embedded report', async () => {
    const { page } = await open(browser, file);
    expect(await page.locator('#leaderboard-table tbody tr').count()).toBe(TOP);
    expect(await page.locator('#posts-table tbody tr').count()).toBe(TOP);
    const report = JSON.parse((await page.locator('#clout-report-data').textContent())!).report as FullReport;
    const best = report.accounts.filter((a) => a.outcome_influence !== null).sort((x, y) => y.outcome_influence!.mean - x.outcome_influence!.mean)[0]!;
    await expect(page.locator('#leaderboard-table tbody tr').first().locator('td').nth(1).textContent()).resolves.toBe(best.handle);
    await expect(page.locator('#scatter').textContent()).resolves.toMatch(/Most followed: @celebrity \(1,400,000 followers\)/);
    await page.close();
  });

  it('keeps a handle holding </script> as text: nothing injected runs and the charts still draw', async () => {
    const report = JSON.parse(/<script type="application\/json" id="clout-report-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))![1]!).report as FullReport;
    const nasty = '@x</script><script>window.__pwned = 1</script><!--';
    const celebrity = report.accounts.find((a) => a.handle === '@celebrity')!;
    celebrity.handle = nasty;
    for (const c of report.campaigns) for (const t of c.top_accounts) if (t.id === celebrity.id) t.handle = nasty;
    report.posts[0]!.text = `${nasty} <img src=x onerror="window.__pwned = 2">`;
    const evil = join(dir, 'evil.html');
    writeFileSync(evil, renderReportHtml(report, { top: TOP, chartJs: readChartJsBundle() }));
    const { page, problems } = await open(browser, evil);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    await expect(page.locator('#scatter').textContent()).resolves.toContain(nasty);
    await expect(page.locator('#posts-table tbody tr').first().textContent()).resolves.toContain('<img src=x');
    expect((await charts(page)).every((c) => c.chart)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('without the model: the model sections say so, the other charts still draw', async () => {
    const off = join(dir, 'no-model.html');
    const r = await clout(['report', '--db', db, '--html', off, '--no-model']);
    expect(r.code, r.stderr).toBe(0);
    const { page, problems } = await open(browser, off);
    for (const id of ['leaderboard', 'scatter', 'posts', 'framing', 'fallacy']) {
      await expect(page.locator(`section#${id}`).isVisible()).resolves.toBe(true);
      await expect(page.locator(`section#${id} .note`).textContent()).resolves.toMatch(/the outcome model was skipped/);
    }
    const drawn = await charts(page);
    expect(drawn.map((c) => c.name).sort()).toEqual(['campaign-progress', 'campaign-sharers-0', 'framing', 'tribes']);
    // framing effects on clicks and conversions need no model: two groups of bars
    expect(drawn.find((c) => c.name === 'framing')!.datasets.map((d) => d.label)).toEqual(['clicks', 'conversions']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
