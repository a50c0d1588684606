/**
 * The spread engine on the small synthetic world (follow graph with planted IC edge probabilities, reposts grown as
 * independent cascades), read from its CSV files (the store path is covered by network-spread-cli.test.ts): learned
 * probabilities against the planted ones, the shuffle test on reposts, and cascades against the files' counts. (The
 * medium world is checked by bench/spread-probabilities.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { adoptionsFromRows } from '../../src/app/spread.js';
import { generateWorld } from '../../src/synth/index.js';
import { findEdge } from '../../src/analysis/network/edge-index.js';
import { GraphBuilder, reverseGraph, type Graph } from '../../src/analysis/network/graph.js';
import type { Adoptions } from '../../src/analysis/network/adoptions.js';
import { learnProbabilities } from '../../src/analysis/network/probabilities.js';
import { socialCorrelationTests } from '../../src/analysis/network/contagion-tests.js';
import { measureCascades } from '../../src/analysis/network/cascades.js';
import { spearman } from '../../src/analysis/stats/rank.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-spread-'));
const world = join(dir, 'world');
const rows = (kind: string) => parse(readFileSync(join(world, `${kind}.csv`)), { columns: true }) as Record<string, string>[];
let reposts: Record<string, string>[];
let follows: Graph;
let adoptions: Adoptions;
let planted: Float64Array;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await generateWorld({ seed: 1, size: 'small', out: world });
  const b = new GraphBuilder();
  for (const a of rows('accounts')) b.node(a.id!);
  for (const f of rows('follows')) b.edge(f.follower_id!, f.followee_id!);
  follows = b.build();
  const posts = rows('posts').map((p) => ({ id: p.id!, author_id: p.author_id!, at: Date.parse(p.created_at!) }));
  reposts = rows('interactions').filter((i) => i.type === 'repost' || i.type === 'quote');
  adoptions = adoptionsFromRows(follows, posts, reposts.map((i) => ({ item_id: i.post_id!, actor_id: i.actor_id!, at: Date.parse(i.created_at!) }))).adoptions;
  // Planted p aligned with the influence graph (followee → follower) = reverseGraph(follows).
  const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { edges: { from: string; to: string; p: number }[] };
  const h = reverseGraph(follows);
  planted = new Float64Array(h.m).fill(NaN);
  for (const e of truth.edges) {
    const at = findEdge(h, h.index.get(e.from)!, h.index.get(e.to)!);
    if (at >= 0) planted[at] = e.p;
  }
});

/** Spearman correlation of learned and planted p over edges with at least `minTrials` trials. */
function agreement(p: Float64Array, trials: Float64Array, minTrials: number): { rho: number; edges: number } {
  const x: number[] = [], y: number[] = [];
  for (let e = 0; e < p.length; e++) {
    if (trials[e]! >= minTrials && !Number.isNaN(planted[e]!)) {
      x.push(p[e]!);
      y.push(planted[e]!);
    }
  }
  return { rho: spearman(x, y), edges: x.length };
}

describe('on the small synthetic world (10k accounts, planted IC probabilities)', () => {
  it('every follow edge has a planted probability', () => {
    expect(planted.every((p) => !Number.isNaN(p))).toBe(true);
    expect(adoptions.items).toBeGreaterThan(5000);
  });

  it('learned probabilities correlate with the planted ones (Spearman ≥ 0.7 on well-tried edges)', () => {
    const em = learnProbabilities(adoptions, follows, { method: 'em' });
    const a = agreement(em.p, em.trials, 20);
    expect(a.edges).toBeGreaterThan(100);
    expect(a.rho).toBeGreaterThanOrEqual(0.7);
    const be = learnProbabilities(adoptions, follows, { method: 'bernoulli' });
    const b = agreement(be.p, be.trials, 10);
    expect(b.edges).toBeGreaterThan(1000);
    expect(b.rho).toBeGreaterThanOrEqual(0.7);
    const ja = learnProbabilities(adoptions, follows, { method: 'jaccard' });
    expect(agreement(ja.p, ja.trials, 20).rho).toBeGreaterThanOrEqual(0.65);
  });

  it('the shuffle test rejects on reposts grown as independent cascades', () => {
    const r = socialCorrelationTests(adoptions, follows, { shuffles: 100, orientations: 10, seed: 3 });
    expect(r.shuffle_p).toBeLessThan(0.01);
    expect(r.alpha).toBeGreaterThan(r.alpha_shuffled_mean);
  });

  it('cascade sizes equal 1 + distinct reposters per post', () => {
    const distinct = new Map<string, Set<string>>();
    for (const r of reposts) {
      if (!distinct.has(r.post_id!)) distinct.set(r.post_id!, new Set());
      distinct.get(r.post_id!)!.add(r.actor_id!);
    }
    const byPost = new Map(measureCascades(adoptions, follows).map((c) => [c.post_id, c]));
    expect(distinct.size).toBeGreaterThan(1000);
    for (const [post, actors] of distinct) expect(byPost.get(post)!.size).toBe(1 + actors.size);
    // IC cascades: every repost has an adopting followee earlier, so depth ≥ 1 whenever there are reposts.
    for (const c of byPost.values()) if (c.size > 1) expect(c.depth).toBeGreaterThanOrEqual(1);
  });
});
