/**
 * End to end on a user's own data (docs/importers.md, worked example): an X archive, a codes file and a Shopify
 * orders export go in with `clout import`; `clout report` credits the sales by code to the accounts that own the codes,
 * ties the UTM-tagged orders to the posts whose links carry the tags, counts the untied ones, and every post that
 * shared a link has its outcome influence. The fixtures are hand-made in each platform's documented shape; the
 * expected figures below are worked out from them by hand.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clout } from '../support/cli.js';
import { tempDir } from '../support/import.js';
import { TEST_DIR } from '../support/paths.js';

const OWN = join(TEST_DIR, 'fixtures', 'own-data');
const ANNA = '1001'; // the archive's owner; owns ANNA10
const BEN = '2002'; // mentioned in the archive; owns BEN15 (his orders say "ben15")

describe('my posts + my Shopify orders + my codes → which posts and people sold', () => {
  let db: string;
  let firstImport: { sources: { importer: string }[]; files: { kind: string; read: number; imported: number; unchanged: number; rejected: number; reported: number; reasons?: Record<string, number> }[] };

  beforeAll(async () => {
    db = join(tempDir('clout-own-data-'), 'anna.duckdb');
    const r = await clout(['import', join(OWN, 'twitter-archive'), join(OWN, 'codes.csv'), join(OWN, 'orders_export_1.csv'), '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    firstImport = JSON.parse(r.stdout);
  });

  it('recognises the archive and the orders export and accounts for every record', () => {
    expect(firstImport.sources.map((s) => s.importer)).toEqual(['x-archive', 'shopify-orders']);
    const byKind = Object.fromEntries(firstImport.files.map((f) => [f.kind, [f.read, f.imported, f.rejected, f.reported]]));
    expect(byKind).toEqual({
      accounts: [11, 11, 0, 0], // Anna, the two accounts her tweets mention, her eight followers
      follows: [8, 8, 0, 0],
      posts: [12, 12, 0, 0],
      links: [6, 6, 0, 0], // one shop link in each of six tweets
      interactions: [2, 2, 0, 0], // two mentions
      codes: [2, 2, 0, 0],
      conversions: [25, 23, 0, 2], // 25 orders (one over two rows): a refunded and a pending one reported
    });
    expect(firstImport.files.find((f) => f.kind === 'conversions')!.reasons).toEqual({ 'pending order': 1, 'refunded in full': 1 });
  });

  it('adds nothing when the same files are imported again', async () => {
    const r = await clout(['import', join(OWN, 'twitter-archive'), join(OWN, 'codes.csv'), join(OWN, 'orders_export_1.csv'), '--db', db, '--json']);
    const again = JSON.parse(r.stdout) as typeof firstImport;
    expect(again.files.map((f) => [f.kind, f.imported, f.unchanged])).toEqual(firstImport.files.map((f) => [f.kind, 0, f.imported]));
  });

  it('credits the sales by code to the code owners, and says how each sale was tied', async () => {
    const r = await clout(['report', '--db', db, '--json', '--niter', '400']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.totals.tied_by).toEqual({ click: 0, link: 0, post: 0, code: 16, utm: 2, none: 5 });
    const accounts = Object.fromEntries(report.accounts.map((a: { id: string; handle: string; conversions: number; value: number }) => [a.id, [a.handle, a.conversions, a.value]]));
    // Anna: 10 ANNA10 orders (three of two items: 3 × 32.40 + 7 × 21.60) and the two UTM-tied orders (2 × 24.00).
    expect(accounts[ANNA]).toEqual(['@anna_writes', 12, 296.4]);
    // Ben: six "ben15" orders inside BEN15's window, 6 × 21.60; he posted nothing here, his code sold.
    expect(accounts[BEN]).toEqual(['@ben_reads', 6, 129.6]);

    // Every post that shared a link has an outcome influence, an interval around its estimate.
    const linkPosts = report.posts as { id: string; author_id: string; incremental: { mean: number; lower: number; upper: number } }[];
    expect(linkPosts).toHaveLength(6);
    for (const p of linkPosts) {
      expect(p.author_id).toBe(ANNA);
      expect(p.incremental.lower).toBeLessThanOrEqual(p.incremental.mean);
      expect(p.incremental.mean).toBeLessThanOrEqual(p.incremental.upper);
      expect(p.incremental.lower).toBeGreaterThanOrEqual(0);
    }
  });

  it('lists each sale with the rule, code, account and post that tied it', async () => {
    const r = await clout(['conversions', '--db', db, '--json', '--limit', '0']);
    const doc = JSON.parse(r.stdout) as { listed: { id: string; tie: string; code: string | null; account_id: string | null; post_id: string | null }[] };
    const byTie = (tie: string) => doc.listed.filter((c) => c.tie === tie);
    expect(byTie('code').every((c) => (c.code === 'ANNA10' && c.account_id === ANNA) || (c.code === 'BEN15' && c.account_id === BEN))).toBe(true);
    expect(byTie('code').filter((c) => c.code === 'BEN15')).toHaveLength(6);
    // The UTM-tagged orders landed from the links of tweets 3 and 7 (utm_content tweet-3, tweet-7).
    expect(byTie('utm').map((c) => [c.id, c.post_id])).toEqual([
      ['#1017', '1500000000000002222'],
      ['#1018', '1500000000000006666'],
    ]);
    expect(byTie('none').map((c) => c.id)).toEqual(['#1019', '#1020', '#1021', '#1022', '#1023']);
    expect(doc.listed.some((c) => c.id === '#1024' || c.id === '#1025')).toBe(false); // refunded, pending: not sales
  });
});
