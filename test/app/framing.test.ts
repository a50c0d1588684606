/**
 * `clout framing` on the synthetic demo world (seed 42, the world `clout demo` builds): the framing comes from each
 * post's text, clicks from the store; the within-author click multipliers recover the planted ones (endorsement 1.2,
 * bare link 0.8, relative to a pitch) inside their 90% intervals, and the weight of the audience reached through
 * reposts recovers the planted 0.25 — where the naive comparison, dominated by the celebrity's pitches, is far off.
 * Also the JSON document's shape, the terminal tables and the error for a store without link posts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FramingDoc } from '../../src/app/framing.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { clout } from '../support/cli.js';
import { demoStore } from '../support/world.js';

let dir: string;
let world: string;
let db: string;
let doc: FramingDoc;
let text: string;

beforeAll(async () => {
  ({ dir, world, db } = await demoStore(42, 'clout-framing-world-'));
  const json = await clout(['framing', '--db', db, '--json']);
  expect(json.code, json.stderr).toBe(0);
  doc = JSON.parse(json.stdout);
  text = (await clout(['framing', '--db', db])).stdout;
}, 120_000);

describe('clout framing on the demo world', () => {
  it('prints the documented document', () => {
    expect(Object.keys(doc)).toEqual(['outcome', 'labels', 'level', 'reference', 'posts', 'authors', 'effects', 'conversion_rates', 'fits', 'warnings']);
    expect(doc.labels).toEqual({ user: 0, clout: doc.posts }); // the world labels no post: clout read them all
    expect(doc.outcome).toEqual({ types: ['sale'], scope: 'outside_campaigns', exposure: 'reach', clicks: 'human clicks that no conversion carries' });
    expect(doc.level).toBe(0.9);
    expect(doc.reference).toBe('pitch');
    for (const e of doc.effects) {
      expect(Object.keys(e)).toEqual(['outcome', 'framing', 'posts', 'authors', 'effect', 'lower', 'upper', 'pooled']);
      expect(e.lower).toBeLessThanOrEqual(e.effect);
      expect(e.upper).toBeGreaterThanOrEqual(e.effect);
    }
    expect(doc.effects.filter((e) => e.outcome === 'clicks').map((e) => e.framing)).toEqual(['pitch', 'endorsement', 'bare_link']);
    expect(doc.effects.find((e) => e.outcome === 'conversions' && e.framing === 'pitch')).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    expect(doc.conversion_rates.map((r) => r.framing)).toEqual(['pitch', 'endorsement', 'bare_link']);
    expect(doc.fits.map((f) => f.outcome)).toEqual(['clicks', 'conversions', 'conversions_per_click']);
    expect(doc.fits.every((f) => f.converged)).toBe(true);
    expect(doc.warnings).toEqual([]);
  });

  it('recovers the planted click multipliers and the weight of the reposted audience', () => {
    const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { params: { framing: { clickMultiplier: Record<string, number> }; clicks: { reshare: number } } };
    const planted = truth.params.framing.clickMultiplier;
    const clicks = Object.fromEntries(doc.effects.filter((e) => e.outcome === 'clicks').map((e) => [e.framing, e]));
    const weight = doc.fits[0]!.shared_weight!;
    console.log(
      `seed 42 clicks: endorsement ${clicks.endorsement!.effect.toFixed(3)} [${clicks.endorsement!.lower.toFixed(3)}, ${clicks.endorsement!.upper.toFixed(3)}] ` +
        `(planted ${planted.endorsement}, naive ${clicks.endorsement!.pooled.toFixed(3)}); bare link ${clicks.bare_link!.effect.toFixed(3)} ` +
        `[${clicks.bare_link!.lower.toFixed(3)}, ${clicks.bare_link!.upper.toFixed(3)}] (planted ${planted.bare_link}, naive ${clicks.bare_link!.pooled.toFixed(3)}); ` +
        `reposted-audience weight ${weight.estimate.toFixed(3)} [${weight.lower.toFixed(3)}, ${weight.upper.toFixed(3)}] (planted ${truth.params.clicks.reshare})`,
    );
    for (const f of ['endorsement', 'bare_link']) {
      expect(clicks[f]!.lower, f).toBeLessThanOrEqual(planted[f]!);
      expect(clicks[f]!.upper, f).toBeGreaterThanOrEqual(planted[f]!);
      // the naive comparison (no author effects) is dominated by the celebrity's pitches: far below the truth
      expect(clicks[f]!.pooled, f).toBeLessThan(planted[f]! * 0.7);
    }
    expect(weight.lower).toBeLessThanOrEqual(truth.params.clicks.reshare);
    expect(weight.upper).toBeGreaterThanOrEqual(truth.params.clicks.reshare);
    // endorsements sell: more conversions per click than pitches, within author
    const perClick = doc.conversion_rates.find((r) => r.framing === 'endorsement')!;
    expect(perClick.lower!).toBeGreaterThan(1);
  });

  it('prints aligned tables', () => {
    expect(text).toMatch(/^Framing effects \(sale; \d+ posts by \d+ authors, outside campaigns/);
    expect(text).toMatch(/Clicks \(human clicks that no conversion carries\)/);
    expect(text).toMatch(/endorsement\s+\d+\s+\d+\s+1\.\d\d/);
    expect(text).toMatch(/a reposter's follower counts 0\.\d{3}/);
  });

  it('fails clearly on a store without link posts', async () => {
    const empty = join(dir, 'empty.duckdb');
    await closeStore(await openStore(empty));
    const r = await clout(['framing', '--db', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no posts with tracked links/);
    const bad = await clout(['framing', '--db', db, '--scope', 'nowhere']);
    expect(bad.code).toBe(2);
  });
});
