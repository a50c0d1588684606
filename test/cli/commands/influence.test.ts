/**
 * `clout influence` end to end on the demo world (seed 4): the documented JSON document, accounts ordered by outcome
 * influence with intervals, framing relative to pitch, and the fallacy table — where followers rank accounts far
 * from what their posts caused and the model ranks them close to the planted persuasion.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spearman } from '../../../src/analysis/stats/rank.js';
import type { OutcomeInfluenceDoc } from '../../../src/report/outcome-influence.js';
import { clout } from '../../support/cli.js';
import { demoStore } from '../../support/world.js';

let world: string;
let db: string;
let doc: OutcomeInfluenceDoc;
let text: string;

beforeAll(async () => {
  ({ world, db } = await demoStore(4, 'clout-influence-cli-'));
  const json = await clout(['influence', '--db', db, '--niter', '400', '--json']);
  expect(json.code, json.stderr).toBe(0);
  doc = JSON.parse(json.stdout);
  text = (await clout(['influence', '--db', db, '--niter', '100', '--top', '5'])).stdout;
}, 120_000);

describe('clout influence', () => {
  it('prints the documented document', () => {
    expect(Object.keys(doc)).toEqual(['outcome', 'model', 'accounts', 'posts', 'framing', 'fallacy']);
    expect(doc.outcome.types).toEqual(['sale']);
    const a = doc.accounts[0]!;
    expect(Object.keys(a.outcome_influence).sort()).toEqual(['isolated_share', 'lower', 'mean', 'per_1k_followers', 'prob_positive', 'timing_share', 'upper']);
    for (const x of doc.accounts) expect(x.outcome_influence.lower).toBeLessThanOrEqual(x.outcome_influence.upper);
    for (let i = 1; i < doc.accounts.length; i++) expect(doc.accounts[i]!.outcome_influence.mean).toBeLessThanOrEqual(doc.accounts[i - 1]!.outcome_influence.mean);
    expect(doc.posts.every((p) => ['pitch', 'endorsement', 'bare_link', 'other'].includes(p.framing))).toBe(true);
    expect(doc.framing.find((f) => f.framing === 'pitch')).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    expect(doc.fallacy).toHaveLength(15); // 6 scores, every pair
  });

  it('tells followers from outcomes: the model agrees with planted persuasion, followers do not', () => {
    const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { accounts: { id: string; persuasion: number }[] };
    const persuasion = new Map(truth.accounts.map((a) => [a.id, a.persuasion]));
    const planted = doc.accounts.map((a) => persuasion.get(a.id)!);
    expect(spearman(doc.accounts.map((a) => a.outcome_influence.mean), planted)).toBeGreaterThanOrEqual(0.8);
    expect(spearman(doc.accounts.map((a) => a.followers), planted)).toBeLessThanOrEqual(0.3);
    const pair = doc.fallacy.find((p) => p.a === 'followers' && p.b === 'outcome_influence')!;
    expect(pair.spearman).toBeLessThan(0.5);
    const celebrity = doc.accounts.find((a) => a.id === 'a0')!;
    expect(Math.max(...doc.accounts.map((a) => a.followers))).toBe(celebrity.followers);
    expect(celebrity.outcome_influence.per_1k_followers!).toBeLessThan(0.01);
  });

  it('renders the leaderboard, the framing table and the fallacy table', () => {
    expect(text).toMatch(/caused per post/);
    expect(text).toMatch(/Most followed: @celebrity \(1,400,000 followers\)/);
    expect(text).toMatch(/endorsement/);
    expect(text).toMatch(/followers +outcome_influence/);
  });
});
