/**
 * `clout report` end to end on the demo world (seed 4): `--json` carries outcome influence for every account (null
 * only where the model did not look), every modelled post with its framing and interval, framing, the fallacy
 * table and tribes — with the same numbers as `clout influence` (one shared code path) — and keeps the last-touch
 * fields; framing effects on clicks and conversions with the planted click multipliers inside their intervals and
 * the rows of `clout framing` (one shared loader); `--no-model`, the terminal sections, `--html FILE`, and the same
 * document through a running server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FullReport } from '../../../src/report/index.js';
import type { OutcomeInfluenceDoc } from '../../../src/report/outcome-influence.js';
import type { FramingDoc } from '../../../src/app/framing.js';
import { resolveParams } from '../../../src/synth/params.js';
import { serverFor } from '../../../src/server/local/client.js';
import { testServer } from '../../support/server.js';
import { clout } from '../../support/cli.js';
import { demoStore } from '../../support/world.js';

let dir: string;
let db: string;
let report: FullReport;

async function json<T>(args: string[]): Promise<T> {
  const r = await clout([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const LAST_TOUCH_ACCOUNT_KEYS = [
  'id', 'handle', 'followers', 'followers_source', 'posts', 'link_posts', 'clicks', 'bot_clicks', 'conversions', 'value', 'values',
  'by_type', 'conversions_per_post', 'conversions_per_1k_followers', 'conversion_rate', 'rank_followers', 'rank_outcomes',
];

beforeAll(async () => {
  ({ dir, db } = await demoStore(4, 'clout-report-cli-'));
  report = await json<FullReport>(['report', '--db', db, '--niter', '200']);
});

describe('clout report --json on the demo world', () => {
  it('keeps the last-touch document and adds model, posts, framing, fallacy and tribes', () => {
    expect(Object.keys(report)).toEqual(['outcome', 'totals', 'accounts', 'rank_agreement', 'campaigns', 'model', 'posts', 'framing', 'framing_effects', 'framing_labels', 'fallacy', 'tribes', 'warnings']);
    // One outcome type at a time: by default the store's most common conversion type (sales on the demo world).
    expect(report.outcome).toEqual({ types: ['sale'], currency: 'USD', rank_by: 'conversions_per_post', attribution: 'last_touch' });
    expect(report.accounts.length).toBe(report.totals.authors);
    for (const a of report.accounts) expect(Object.keys(a)).toEqual([...LAST_TOUCH_ACCOUNT_KEYS, 'outcome_influence']);
    expect(report.model).toMatchObject({ status: 'fitted', types: ['sale'], candidates: 'outside_campaigns', niter: 200, burn: 40, seed: 1, level: 0.9 });
  });

  it('is about one outcome type: never ranks a sum of types, and --type chooses another (named in the headings)', async () => {
    for (const a of report.accounts) for (const t of Object.keys(a.by_type)) expect(t).toBe('sale');
    const donations = await json<FullReport>(['report', '--db', db, '--type', 'donation', '--no-model']);
    expect(donations.outcome.types).toEqual(['donation']);
    expect(donations.model).toMatchObject({ status: 'skipped', types: ['donation'], candidates: 'in_campaigns' });
    for (const a of donations.accounts) for (const t of Object.keys(a.by_type)) expect(t).toBe('donation');
    expect(donations.totals.conversions).toBeLessThan(report.totals.conversions);
    const text = await clout(['report', '--db', db, '--type', 'donation', '--no-model']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/outcome: donations/);
    expect(text.stdout).toMatch(/Who has followers vs who brought donations/);
    expect(text.stdout).not.toMatch(/\bsales\b/);
  });

  it('gives every account outcome_influence — null only for accounts without a modelled post', () => {
    const modelled = new Set(report.posts.map((p) => p.author_id));
    expect(modelled.size).toBe(report.model.accounts);
    for (const a of report.accounts) {
      if (!modelled.has(a.id)) {
        expect(a.outcome_influence).toBeNull();
        continue;
      }
      const o = a.outcome_influence!;
      expect(Object.keys(o).sort()).toEqual(['isolated_share', 'lower', 'mean', 'per_1k_followers', 'prob_positive', 'timing_share', 'upper']);
      expect(o.lower).toBeLessThanOrEqual(o.upper);
      expect(o.prob_positive).toBeGreaterThanOrEqual(0);
      expect(o.prob_positive).toBeLessThanOrEqual(1);
      if (a.followers > 0) expect(o.per_1k_followers!).toBeCloseTo((1000 * o.mean) / a.followers, 9);
      else expect(o.per_1k_followers).toBeNull();
    }
    expect(report.accounts.some((a) => a.outcome_influence === null)).toBe(true); // some accounts post only in the campaign
  });

  it('lists every modelled post with its framing and incremental outcomes, most first', () => {
    expect(report.posts.length).toBe(report.model.posts);
    expect(report.posts.length).toBeGreaterThan(100);
    const ids = new Set(report.accounts.map((a) => a.id));
    for (const p of report.posts) {
      expect(ids.has(p.author_id)).toBe(true);
      expect(['pitch', 'endorsement', 'bare_link', 'other']).toContain(p.framing);
      expect(Object.keys(p.incremental).sort()).toEqual(['lower', 'mean', 'upper']);
      expect(p.incremental.lower).toBeLessThanOrEqual(p.incremental.upper);
    }
    for (let i = 1; i < report.posts.length; i++) expect(report.posts[i]!.incremental.mean).toBeLessThanOrEqual(report.posts[i - 1]!.incremental.mean);
    expect(new Set(report.posts.map((p) => p.id)).size).toBe(report.posts.length);
  });

  it('lists the celebrity with followers rank 1 and an outcome influence', () => {
    const celebrity = report.accounts.find((a) => a.handle === '@celebrity')!;
    expect(celebrity.followers).toBe(Math.max(...report.accounts.map((a) => a.followers)));
    expect(celebrity.rank_followers).toBe(1);
    expect(celebrity.outcome_influence).not.toBeNull();
    expect(celebrity.outcome_influence!.per_1k_followers!).toBeLessThan(0.01);
  });

  it('gives framing relative to pitch, the fallacy table and tribes with their conversion', () => {
    expect(report.framing.map((f) => f.framing)).toContain('endorsement');
    expect(report.framing.find((f) => f.framing === 'pitch')).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    for (const f of report.framing) expect(Object.keys(f).sort()).toEqual(['effect', 'framing', 'lower', 'posts', 'upper']);
    expect(report.fallacy).toHaveLength(15);
    expect(report.tribes.length).toBeGreaterThan(1);
    const caused = new Map<string, number>();
    for (const p of report.posts) caused.set(p.author_id, (caused.get(p.author_id) ?? 0) + p.incremental.mean);
    const sumCaused = report.tribes.reduce((s, t) => s + t.caused!, 0);
    const sumCredited = report.tribes.reduce((s, t) => s + t.conversions, 0);
    // every modelled author sits in some tribe (communities of size ≥ 2 only): the tribes' caused add up to at most all posts'
    expect(sumCaused).toBeLessThanOrEqual([...caused.values()].reduce((s, x) => s + x, 0) + 1e-6);
    expect(sumCredited).toBeLessThanOrEqual(report.totals.credited_conversions);
    for (const t of report.tribes) {
      expect(t.posting_members).toBeGreaterThan(0);
      expect(t.posting_members).toBeLessThanOrEqual(t.members);
      expect(t.conversion_rate).toBeCloseTo(t.clicks > 0 ? t.conversions / t.clicks : NaN, 12);
    }
  });

  it('gives framing effects on clicks with the planted click multipliers inside their intervals', () => {
    const planted = resolveParams('demo').framing.clickMultiplier;
    expect(planted).toMatchObject({ pitch: 1, endorsement: 1.2, bare_link: 0.8 });
    const clicks = report.framing_effects.filter((e) => e.outcome === 'clicks');
    expect(clicks.map((e) => e.framing)).toEqual(['pitch', 'endorsement', 'bare_link']);
    expect(clicks[0]).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    for (const e of clicks.slice(1)) {
      const p = planted[e.framing as keyof typeof planted];
      expect(e.lower, e.framing).toBeLessThanOrEqual(p);
      expect(e.upper, e.framing).toBeGreaterThanOrEqual(p);
      expect(e.upper / e.lower, e.framing).toBeLessThan(1.5); // informative, not a vacuous interval
    }
    expect(report.framing_effects.filter((e) => e.outcome === 'conversions').map((e) => e.framing)).toEqual(['pitch', 'endorsement', 'bare_link']);
    expect(report.warnings.filter((w) => w.startsWith('framing effects'))).toEqual([]);
  });

  it('has exactly the framing rows of clout framing (one shared loader)', async () => {
    const doc = await json<FramingDoc>(['framing', '--db', db]);
    const rows = doc.effects.map(({ outcome, framing, posts, effect, lower, upper }) => ({ outcome, framing, posts, effect, lower, upper }));
    expect(report.framing_effects.filter((e) => e.outcome === 'clicks')).toEqual(rows.filter((e) => e.outcome === 'clicks'));
    expect(report.framing_effects).toEqual(rows);
  });

  it('has exactly the numbers of clout influence (one shared code path)', async () => {
    const doc = await json<OutcomeInfluenceDoc>(['influence', '--db', db, '--niter', '200']);
    const byId = new Map(report.accounts.map((a) => [a.id, a]));
    expect(doc.accounts.length).toBe(report.model.accounts);
    for (const a of doc.accounts) expect(byId.get(a.id)!.outcome_influence).toEqual(a.outcome_influence);
    expect(report.framing).toEqual(doc.framing);
    expect(report.fallacy).toEqual(doc.fallacy);
    expect(report.model.share_caused).toEqual(doc.model.share_caused);
    expect(report.model.kernel_mean_hours).toEqual(doc.model.kernel_mean_hours);
    expect(doc.model.kernel_mean_hours.learned).toBe(true); // the demo world's sales carry click ids
  });
});

describe('clout report: --no-model, terminal, --html, server', () => {
  it('--no-model keeps the last-touch sections and empties the model fields', async () => {
    const off = await json<FullReport>(['report', '--db', db, '--no-model']);
    expect(off.model.status).toBe('skipped');
    expect(off.accounts.every((a) => a.outcome_influence === null)).toBe(true);
    expect([off.posts, off.framing, off.fallacy]).toEqual([[], [], []]);
    expect(off.framing_effects).toEqual(report.framing_effects); // computed without the model too
    expect(off.tribes.map((t) => t.id).sort()).toEqual(report.tribes.map((t) => t.id).sort()); // same Leiden seed, same tribes
    expect(off.tribes.every((t) => t.caused === null)).toBe(true);
    const { outcome_influence: _a, ...offFirst } = off.accounts[0]!;
    const { outcome_influence: _b, ...first } = report.accounts[0]!;
    expect(offFirst).toEqual(first);
    const bad = await clout(['report', '--db', db, '--no-model', '--niter', '100']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--niter .* --no-model/);
  });

  it('prints the leaderboard with intervals, framing, tribes and the fallacy table in the terminal', async () => {
    const r = await clout(['report', '--db', db, '--niter', '100', '--top', '5', '--type', 'sale']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Who has followers vs who brought sales');
    expect(r.stdout).toMatch(/What posts caused \(outcome model, sales\)\n[\d,]+ sales, [\d,]+ posts by [\d,]+ accounts; [\d.]+% of sales caused by posts \[[\d.]+, [\d.]+\]/);
    expect(r.stdout).toMatch(/caused per post\s+90% interval\s+P\(moves\)/);
    expect(r.stdout).toMatch(/Most followed: @celebrity \(1,400,000 followers\) causes [\d.]+ per post/);
    expect(r.stdout).toMatch(/Framing of sales \(multiplier/);
    expect(r.stdout).toMatch(/\nendorsement\s+1\.\d\d \[[\d.]+–[\d.]+\]\s+\d+\.\d\d \[[\d.]+–[\d.]+\]\s+\d+\.\d\d \[[\d.]+–[\d.]+\]\s+\d+ \/ \d+ \/ \d+\n/);
    expect(r.stdout).toMatch(/Tribes \(Leiden communities of the social graph; credited and caused sales\)/);
    expect(r.stdout).toMatch(/followers\s+-?\d\.\d\d\s+\d+\n/);
  });

  it('--html FILE writes one file through a temporary name; a missing directory is a usage error', async () => {
    const file = join(dir, 'report.html');
    const r = await clout(['report', '--db', db, '--no-model', '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote the HTML report to .*report\.html \(\d+ KB\)\n$/);
    expect(existsSync(`${file}.tmp`)).toBe(false);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Chart.js v4');
    const missing = await clout(['report', '--db', db, '--no-model', '--html', join(dir, 'nope', 'r.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such directory/);
  });

  it('returns the same document through a running server, passing --niter, --seed and --no-model through', async () => {
    const args = ['report', '--db', db, '--type', 'sale', '--niter', '100', '--seed', '3'];
    const direct = await json<FullReport>(args);
    const directOff = await json<FullReport>(['report', '--db', db, '--no-model']);
    const s = await testServer({}, db);
    try {
      expect(serverFor(db)?.url).toBe(s.url); // the CLI goes through the server's /api/report now
      const via = await json<FullReport>(args);
      expect(via.model).toMatchObject({ niter: 100, seed: 3 });
      expect(via).toEqual(direct);
      expect(await json<FullReport>(['report', '--db', db, '--no-model'])).toEqual(directOff);
    } finally {
      await s.close();
    }
  });
});
