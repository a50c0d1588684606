/** Cascades and contagion: hand-built trees, brute-force structural virality, exposure curves, influence vs homophily. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { buildAdoptions } from '../../../src/analysis/network/adoptions.js';
import { measureCascades, structuralVirality, treeMeasures } from '../../../src/analysis/network/cascades.js';
import { exposureCurve, wilson } from '../../../src/analysis/network/exposure.js';
import { fitSocialCorrelation, socialCorrelationTests } from '../../../src/analysis/network/contagion-tests.js';
import { graphFromEdges } from '../../../src/analysis/network/graph.js';
import { contagionWorld, type ContagionWorldOptions } from '../../../src/synth/contagion-world.js';
import { GraphBuilder } from '../../../src/analysis/network/graph.js';

/** A contagion world as the kernels take it: its follow graph and adoption items. */
function world(o: ContagionWorldOptions) {
  const w = contagionWorld(o);
  const b = new GraphBuilder();
  for (let v = 0; v < w.accounts; v++) b.node('u' + v);
  for (let e = 0; e < w.follower.length; e++) b.edgeByIndex(w.follower[e]!, w.followee[e]!);
  const follows = b.build();
  return { follows, adoptions: buildAdoptions(w.items, w.accounts, w.end), periodMs: w.periodMs };
}

const S = 1000;

/** A follow graph (follower → followee) and one post by `a` at t = 0 with the given reposts (seconds). */
function handWorld(follows: [string, string][], reposts: [string, number][], extraNodes: string[] = []) {
  const g = graphFromEdges(follows.map(([f, e]) => [f, e] as const), ['a', ...extraNodes]);
  const ix = (id: string) => g.index.get(id)!;
  const a = buildAdoptions([{ id: 'p1', start: 0, root: ix('a'), nodes: reposts.map(([id]) => ix(id)), times: reposts.map(([, s]) => s * S) }], g.n);
  return { g, a };
}

describe('cascades', () => {
  // b follows a; c follows a and b; d follows c; e follows a; f follows nobody who adopted.
  const follows: [string, string][] = [['b', 'a'], ['c', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'a'], ['f', 'x']];
  const reposts: [string, number][] = [['b', 10], ['c', 20], ['d', 30], ['e', 5], ['f', 40]];

  it('attaches each repost to the latest earlier adopting followee, else to the root', () => {
    const { g, a } = handWorld(follows, reposts);
    const [m] = measureCascades(a, g);
    // Tree: a → {e, b, f}, b → c, c → d.
    expect(m).toEqual({ post_id: 'p1', size: 6, depth: 3, max_breadth: 3, structural_virality: 32 / 15, time_to_half_s: 10 });
  });

  it('ignores a followee who adopted later, repeats, the author reposting, and reposts before the post', () => {
    const { g, a } = handWorld(follows, [['c', 20], ['b', 25], ['b', 50], ['a', 30], ['d', -5]]);
    expect(a.dropped).toBe(3);
    const [m] = measureCascades(a, g);
    // c adopted before b, so c hangs under the root; b under the root too: a star of 3.
    expect(m).toMatchObject({ size: 3, depth: 1, max_breadth: 2, structural_virality: 4 / 3, time_to_half_s: 20 });
  });

  it('measures a lone post and a chain', () => {
    expect(treeMeasures(new Int32Array(0), [], 0)).toMatchObject({ size: 1, depth: 0, max_breadth: 1, structural_virality: 0, time_to_half_s: 0 });
    // Chain of 4 nodes: distances 1,2,3,1,2,1 → mean 10/6.
    const chain = treeMeasures(Int32Array.from([-1, 0, 1]), [60_000, 120_000, 180_000], 0);
    expect(chain).toMatchObject({ size: 4, depth: 3, max_breadth: 1, time_to_half_s: 60 });
    expect(chain.structural_virality).toBeCloseTo(10 / 6, 12);
  });

  it('structural virality equals the brute-force mean of all-pairs BFS distances on random trees', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + rng.int(trial < 30 ? 12 : 200);
      const parent = new Int32Array(n - 1);
      // Random recursive trees, plus some deep ones (parent = the previous node most of the time).
      for (let j = 0; j < n - 1; j++) parent[j] = trial % 3 === 0 && rng.uniform() < 0.8 ? j - 1 : rng.int(j + 1) - 1;
      const adj: number[][] = Array.from({ length: n }, () => []);
      for (let j = 0; j < n - 1; j++) { adj[j + 1]!.push(parent[j]! + 1); adj[parent[j]! + 1]!.push(j + 1); }
      let total = 0;
      for (let s = 0; s < n; s++) {
        const dist = new Int32Array(n).fill(-1);
        dist[s] = 0;
        const q = [s];
        for (let h = 0; h < q.length; h++) for (const w of adj[q[h]!]!) if (dist[w]! < 0) { dist[w] = dist[q[h]!]! + 1; q.push(w); }
        for (let t = 0; t < n; t++) total += dist[t]!;
      }
      expect(structuralVirality(parent)).toBeCloseTo(total / (n * (n - 1)), 10);
    }
  });
});

describe('exposure curves (Romero et al. 2011)', () => {
  it('counts each account once per k, and adoption at the exposure it happened at', () => {
    // a posts at 0; b follows a and adopts at 10 (k = 1); x and y follow a and b, x adopts at 20 (k = 2), y never;
    // z follows a only and never adopts.
    const { g, a } = handWorld([['b', 'a'], ['x', 'a'], ['x', 'b'], ['y', 'a'], ['y', 'b'], ['z', 'a']], [['b', 10], ['x', 20]]);
    const c = exposureCurve(a, g, { minExposed: 1 });
    expect(c.curve.map((p) => [p.k, p.exposed, p.adopted])).toEqual([[1, 4, 1], [2, 2, 1]]);
    expect(c.curve[0]!.p).toBe(0.25);
    expect(c.stickiness).toBe(0.5);
    // Area 0.25 + 0.5 over the rectangle 2 × 0.5.
    expect(c.persistence).toBeCloseTo(0.75, 12);
    expect(c.curve[0]!.lower).toBeCloseTo(0.045586, 5);
    expect(c.curve[0]!.upper).toBeCloseTo(0.699364, 5);
  });

  it('Wilson intervals match Newcombe (1998)', () => {
    const [l1, u1] = wilson(81, 263);
    expect(l1).toBeCloseTo(0.2553, 4);
    expect(u1).toBeCloseTo(0.3662, 4);
    const [l2, u2] = wilson(15, 148);
    expect(l2).toBeCloseTo(0.0624, 4);
    expect(u2).toBeCloseTo(0.1605, 4);
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 10)[1]).toBeCloseTo(0.2775, 4);
  });

  it('rises with k in an influence world and stays flat in a homophily world', () => {
    const w = world({ seed: 3, mechanism: 'influence' });
    const inf = exposureCurve(w.adoptions, w.follows);
    expect(inf.curve[3]!.p).toBeGreaterThan(inf.curve[0]!.p * 1.3);
  });
});

describe('influence vs homophily (Anagnostopoulos et al. 2008)', () => {
  it('recovers a known logistic slope from grouped counts', () => {
    // p(a) = σ(1.5 ln(a+1) − 4) with exact expected counts.
    const atRisk = new Float64Array(6), activated = new Float64Array(6);
    for (let a = 0; a < 6; a++) {
      atRisk[a] = 1e6;
      activated[a] = 1e6 / (1 + Math.exp(-(1.5 * Math.log(a + 1) - 4)));
    }
    const [al, be] = fitSocialCorrelation({ atRisk, activated });
    expect(al).toBeCloseTo(1.5, 5);
    expect(be).toBeCloseTo(-4, 5);
  });

  it('the shuffle test rejects with planted influence (p < 0.01 in every seed)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const w = world({ seed, mechanism: 'influence' });
      const r = socialCorrelationTests(w.adoptions, w.follows, { periodMs: w.periodMs, shuffles: 200, orientations: seed <= 2 ? 100 : 0, seed });
      expect(r.shuffle_p).toBeLessThan(0.01);
      expect(r.alpha).toBeGreaterThan(r.alpha_shuffled_mean);
      if (seed <= 2) {
        expect(r.reversal_p).toBeLessThan(0.02);
        expect(r.alpha).toBeGreaterThan(r.alpha_reversed);
      }
    }
  });

  it('the shuffle test does not reject with homophily only (p > 0.05 in ≥ 90% of 40 seeds)', () => {
    let pass = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const w = world({ seed, mechanism: 'homophily' });
      const r = socialCorrelationTests(w.adoptions, w.follows, { periodMs: w.periodMs, shuffles: 100, orientations: 0, seed });
      if (r.shuffle_p > 0.05) pass++;
    }
    expect(pass).toBeGreaterThanOrEqual(36);
  });

  it('is reproducible for a seed', () => {
    const w = world({ seed: 5, mechanism: 'homophily' });
    const o = { periodMs: w.periodMs, shuffles: 30, orientations: 10, seed: 9 };
    expect(socialCorrelationTests(w.adoptions, w.follows, o)).toEqual(socialCorrelationTests(w.adoptions, w.follows, o));
  });
});
