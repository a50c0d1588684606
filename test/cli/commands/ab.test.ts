/**
 * `clout ab` end to end: a store with a link with two weighted variants (written as the server writes it), human,
 * bot and preview clicks with variant labels (written with the server's own click-journal calls, some left unmerged
 * as a crashed server leaves them), and conversions carrying click ids; the JSON document counts unique visitors and
 * converting visitors per variant exactly and finds the planted
 * difference; clear errors for an unknown key, a link without variants, a link without clicks, a missing --link.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AbDoc } from '../../../src/app/experiments.js';
import { Rng } from '../../../src/domain/index.js';
import { closeStore, openStore } from '../../../src/store/index.js';
import { ClickJournal, journalDir, mergeClickSegments, type ClickRecord } from '../../../src/store/click-journal.js';
import { insertLink, type LinkRow } from '../../../src/store/server-links.js';
import { clout } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-ab-cli-'));
const db = join(dir, 'store.duckdb');
const T0 = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;

function link(id: string, key: string, variants: LinkRow['variants']): LinkRow {
  return { id, key, url: 'https://shop.example/book', post_id: null, campaign_id: null, author_id: 'a1', variants, click_id_param: 'clout_id', created_at: T0, updated_at: T0 };
}

function click(id: string, linkId: string, at: number, visitor: string, variant: string | null, bot = false, preview = false): ClickRecord {
  return { id, link_id: linkId, at, visitor_id: visitor, referrer: null, country: null, device: bot ? 'bot' : 'desktop', is_bot: bot || preview, browser: null, os: null, variant, is_preview: preview };
}

// What the planted experiment should count: unique visitors and converting visitors per variant.
const expected = { control: { visitors: 0, conversions: 0 }, story: { visitors: 0, conversions: 0 } };

beforeAll(async () => {
  const store = await openStore(db);
  try {
    const variants = [
      { url: 'https://shop.example/book?v=title', weight: 1, label: 'control' },
      { url: 'https://shop.example/book?v=story', weight: 1, label: 'story' },
    ];
    await insertLink(store.conn, link('lnk_ab', 'book', variants), T0);
    await insertLink(store.conn, link('lnk_plain', 'plain', null), T0);
    await insertLink(store.conn, link('lnk_empty', 'empty', variants), T0);

    const rng = new Rng(6);
    const clicks: ClickRecord[] = [];
    const conversions: { id: string; at: number; type: string; click: string }[] = [];
    for (let i = 0; i < 800; i++) {
      const variant = rng.uniform() < 0.5 ? 'control' : 'story';
      const at = T0 + i * 600_000; // one visitor every 10 minutes
      const id = `k${i}`;
      clicks.push(click(id, 'lnk_ab', at, `v${i}`, variant));
      // every 7th visitor clicks again within the same hour (same visitor, same variant): still one visitor
      if (i % 7 === 0) clicks.push(click(`k${i}b`, 'lnk_ab', at + 60_000, `v${i}`, variant));
      expected[variant].visitors++;
      if (rng.uniform() < (variant === 'control' ? 0.05 : 0.15)) {
        conversions.push({ id: `o${i}`, at: at + 5 * 60_000, type: 'sale', click: i % 7 === 0 ? `k${i}b` : id });
        expected[variant].conversions++;
      } else if (rng.uniform() < 0.2) {
        conversions.push({ id: `o${i}`, at: at + 5 * 60_000, type: 'lead', click: id }); // another type: not a sale
      }
    }
    // bots and link previews never count
    clicks.push(click('bot1', 'lnk_ab', T0 + HOUR, 'vbot', 'story', true), click('prev1', 'lnk_ab', T0 + HOUR, 'vprev', 'story', false, true));
    conversions.push({ id: 'obot', at: T0 + 2 * HOUR, type: 'sale', click: 'bot1' });
    // a click on the link without variants
    clicks.push(click('plain1', 'lnk_plain', T0, 'vp', null));

    // Most clicks merged into `clicks` (as the server's merge does); the last 50 left in the journal, as a crashed
    // server leaves them: the next open of the store (clout ab's) merges them.
    const journal = new ClickJournal(journalDir(db));
    await journal.append(clicks.slice(0, clicks.length - 50));
    await mergeClickSegments(store.conn, await journal.seal());
    await journal.append(clicks.slice(clicks.length - 50));
    await journal.seal();
    await store.conn.run(
      `INSERT INTO conversions (id, "at", type, value_minor, currency, click_id) VALUES ` +
        conversions.map((_, j) => `($${4 * j + 1}, make_timestamp($${4 * j + 2}::BIGINT * 1000), $${4 * j + 3}, 1499, 'USD', $${4 * j + 4})`).join(', '),
      conversions.flatMap((o) => [o.id, o.at, o.type, o.click]),
    );
  } finally {
    await closeStore(store);
  }
}, 60_000);

describe('clout ab', () => {
  it('counts visitors and converting visitors per variant and finds the planted difference', async () => {
    const r = await clout(['ab', '--db', db, '--link', 'book', '--type', 'sale', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as AbDoc;
    expect(Object.keys(doc)).toEqual(['link', 'types', 'alpha', 'tau', 'min_visitors', 'control', 'allocation', 'visitors', 'variants', 'comparisons', 'warnings']);
    expect(doc.link).toMatchObject({ id: 'lnk_ab', key: 'book', variants: ['control', 'story'], weights: [1, 1] });
    expect(doc.allocation).toBe('weights');
    expect(doc.control).toBe('control');
    expect(doc.visitors).toBe(800);
    for (const v of doc.variants) {
      const want = expected[v.label as 'control' | 'story'];
      expect(v.visitors).toBe(want.visitors);
      expect(v.conversions).toBe(want.conversions);
      expect(v.rate).toBeCloseTo(want.conversions / want.visitors, 12);
    }
    const c = doc.comparisons[0]!;
    expect(c).toMatchObject({ variant: 'story', control: 'control', significant: true });
    expect(c.p_value).toBeLessThan(0.05);
    expect(c.difference_lower).toBeGreaterThan(0);
    expect(c.difference_lower).toBeLessThan(0.1); // planted 0.15 − 0.05
    expect(c.difference_upper).toBeGreaterThan(0.1);
    expect(c.lift!).toBeGreaterThan(1);
    expect(c.significant_after).toBeGreaterThan(40);
    expect(c.significant_after).toBeLessThanOrEqual(800);
  });

  it('counts every conversion type without --type, and takes --control and --alpha', async () => {
    const all = JSON.parse((await clout(['ab', '--db', db, '--link', 'book', '--json'])).stdout) as AbDoc;
    expect(all.types).toEqual([]);
    expect(all.variants[0]!.conversions).toBeGreaterThan(expected.control.conversions); // leads count too
    const flipped = JSON.parse((await clout(['ab', '--db', db, '--link', 'lnk_ab', '--control', 'story', '--alpha', '0.01', '--type', 'sale', '--json'])).stdout) as AbDoc;
    expect(flipped.alpha).toBe(0.01);
    expect(flipped.comparisons[0]).toMatchObject({ variant: 'control', control: 'story' });
    expect(flipped.comparisons[0]!.difference_upper).toBeLessThan(0);
  });

  it('prints aligned tables', async () => {
    const r = await clout(['ab', '--db', db, '--link', 'book', '--type', 'sale']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/A\/B test of link book: 800 visitors/);
    expect(r.stdout).toMatch(/story vs control/);
    expect(r.stdout).toMatch(/differs \(after/);
  });

  it('fails clearly: unknown key (2), no variants (1), no clicks (1), bad control (2), missing --link (2)', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--link', 'nope'], 2, /no link with key or id 'nope'/],
      [['--link', 'plain'], 1, /has no variants/],
      [['--link', 'empty'], 1, /no human clicks with a variant label/],
      [['--link', 'book', '--control', 'zzz'], 2, /no variant labelled 'zzz'/],
      [['--link', 'book', '--alpha', '2'], 2, /--alpha must be a number strictly between 0 and 1; got '2'/],
      [[], 2, /--link is required/],
    ];
    for (const [args, code, message] of cases) {
      const r = await clout(['ab', '--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    const missing = await clout(['ab', '--db', join(dir, 'none.duckdb'), '--link', 'book']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at/);
  });
});
