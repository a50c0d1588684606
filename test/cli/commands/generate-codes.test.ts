/**
 * `clout generate --code-share --coupon-share` writes a world whose sales carry discount codes (the author's code in
 * place of a share of the click ids; a coupon site's codes among baseline buyers), with the planted code rates in
 * truth.json; imported, its code sales are tied by code, and `clout influence` reads codes as evidence with their own
 * rates — both inside their intervals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clout } from '../../support/cli.js';
import { tempDir } from '../../support/import.js';

describe('clout generate with discount codes', () => {
  const dir = tempDir('clout-codes-world-');
  const world = join(dir, 'world'), db = join(dir, 'store.duckdb');
  beforeAll(async () => {
    const gen = await clout(['generate', '--seed', '3', '--out', world, '--code-share', '0.5', '--coupon-share', '0.03']);
    expect(gen.code, gen.stderr).toBe(0);
    expect((await clout(['import', world, '--db', db])).code).toBe(0);
  });

  it('plants codes and their rates, and the import ties code sales by code', async () => {
    const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8'));
    expect(truth.sales.code_share).toBe(0.5);
    // half of the caused sales that would carry a click id (60% of them) carry a code: ≈ 30%, with Poisson noise
    expect(truth.sales.code_given_caused).toBeGreaterThan(0.25);
    expect(truth.sales.code_given_caused).toBeLessThan(0.35);
    const r = await clout(['conversions', '--db', db, '--tie', 'code', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tied_by.code).toBe(truth.sales.caused_via_code + truth.sales.baseline_via_code);
  });

  it('clout influence reads codes as evidence with their own rates', async () => {
    const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8'));
    const r = await clout(['influence', '--db', db, '--niter', '1500', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const ties = JSON.parse(r.stdout).model.ties as { kind: string; tied: number; given_caused: { lower: number; upper: number }; given_baseline: { lower: number; upper: number }; share: string }[];
    expect(ties.map((t) => t.kind)).toEqual(['click', 'code']);
    const code = ties[1]!;
    expect(code.share).toBe('learned');
    expect(code.tied).toBe(truth.sales.caused_via_code + truth.sales.baseline_via_code);
    expect(code.given_caused.lower).toBeLessThanOrEqual(truth.sales.code_given_caused);
    expect(code.given_caused.upper).toBeGreaterThanOrEqual(truth.sales.code_given_caused);
    expect(code.given_baseline.lower).toBeLessThanOrEqual(truth.sales.code_given_baseline);
    expect(code.given_baseline.upper).toBeGreaterThanOrEqual(truth.sales.code_given_baseline);
  });
});
