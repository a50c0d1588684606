/**
 * Nothing to fit, no numbers: with posts that share links but no conversion of the asked type, `clout influence`
 * stops with exit 1 and says what is missing and what would do; `clout report` keeps its last-touch sections and its
 * model section says why it holds no estimate.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clout } from '../support/cli.js';
import { tempDir } from '../support/import.js';
import { TEST_DIR } from '../support/paths.js';

const OWN = join(TEST_DIR, 'fixtures', 'own-data');

describe('the outcome model with no outcomes', () => {
  let db: string;
  beforeAll(async () => {
    db = join(tempDir('clout-no-outcomes-'), 'posts-only.duckdb');
    const r = await clout(['import', join(OWN, 'twitter-archive'), '--db', db]);
    expect(r.code).toBe(0);
  });

  it('clout influence refuses with exit 1, names what is missing and what would do, and prints no numbers', async () => {
    const r = await clout(['influence', '--db', db, '--niter', '200']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no sale conversions in the store, so the outcome model has nothing to fit');
    expect(r.stderr).toContain('docs/importers.md');
    expect(r.stderr).toContain('--type');
  });

  it('refuses the same for a type the store has none of, even when it has others', async () => {
    const other = join(tempDir('clout-no-outcomes-'), 'donations.duckdb');
    expect((await clout(['import', join(OWN, 'twitter-archive'), join(OWN, 'orders_export_1.csv'), '--type', 'donation', '--db', other])).code).toBe(0);
    const r = await clout(['influence', '--db', other, '--type', 'sale', '--niter', '200']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no sale conversions in the store');
  });

  it('clout report keeps the last-touch sections and says why the model section is empty', async () => {
    const r = await clout(['report', '--db', db, '--json', '--niter', '200']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model.status).toBe('no_outcomes');
    expect(report.model.note).toContain('nothing to fit');
    expect(report.model.share_caused).toBeNull();
    expect(report.posts).toEqual([]);
    expect(report.accounts.map((a: { outcome_influence: unknown }) => a.outcome_influence)).toEqual(report.accounts.map(() => null));
    expect(report.totals.posts).toBe(12);
  });
});
