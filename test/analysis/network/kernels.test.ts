import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/index.js';
import { adjustedRandIndex } from '../../../src/analysis/stats/ari.js';
import {
  coreNumbers,
  graphFromEdges,
  GraphBuilder,
  undirectedGraph,
  findTribes,
  leiden,
  modularity,
  pagerank,
  splitComponents,
  toWGraph,
  type Graph,
} from '../../../src/analysis/network/index.js';

interface DirectedCase {
  name: string;
  weighted: boolean;
  self_loops: boolean;
  nodes: string[];
  edges: [string, string, number?][];
  pagerank: Record<string, number>;
  pagerank_tight: Record<string, number>;
  core: Record<string, number>;
}
interface PlantedCase {
  name: string;
  nodes: string[];
  edges: [string, string][];
  planted: number[];
  planted_modularity: number;
  louvain_modularity: number;
}
const REF = JSON.parse(readFileSync(new URL('../../fixtures/network/reference.json', import.meta.url), 'utf8')) as {
  directed: DirectedCase[];
  planted: PlantedCase[];
};

function maxAbsDiff(g: Graph, rank: Float64Array, ref: Record<string, number>): number {
  let d = 0;
  for (const [id, v] of Object.entries(ref)) d = Math.max(d, Math.abs(rank[g.index.get(id)!]! - v));
  return d;
}

/** True when every community induces a connected subgraph (BFS inside each community). */
function communitiesConnected(g: Graph, membership: Int32Array): boolean {
  const w = toWGraph(g);
  const split = splitComponents(w, membership);
  const a = new Set(membership), b = new Set(split);
  return a.size === b.size;
}

describe('pagerank vs networkx (reference.json from make_reference.py)', () => {
  for (const c of REF.directed) {
    it(`${c.name}: max abs diff ≤ 1e-6 with networkx's defaults, ≤ 1e-10 at a tight tolerance`, () => {
      const g = graphFromEdges(c.edges, c.nodes, { keepSelfLoops: c.self_loops });
      expect(g.n).toBe(c.nodes.length);
      const r = pagerank(g);
      expect(r.converged).toBe(true);
      expect(maxAbsDiff(g, r.rank, c.pagerank)).toBeLessThanOrEqual(1e-6);
      const tight = pagerank(g, { tol: 1e-13, maxIter: 10_000 });
      expect(maxAbsDiff(g, tight.rank, c.pagerank_tight)).toBeLessThanOrEqual(1e-10);
      let sum = 0;
      for (const x of r.rank) sum += x;
      expect(sum).toBeCloseTo(1, 12);
    });
  }
  it('ignores weights when asked, and reports non-convergence instead of throwing', () => {
    const c = REF.directed.find((d) => d.weighted)!;
    const g = graphFromEdges(c.edges, c.nodes, { keepSelfLoops: true });
    const w = pagerank(g).rank, u = pagerank(g, { weighted: false }).rank;
    expect(maxAbsDiff(g, w, c.pagerank)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(g, u, c.pagerank)).toBeGreaterThan(1e-3);
    const r = pagerank(g, { maxIter: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });
  it('solves a hand case exactly: a 2-cycle with a dangling tail', () => {
    // a → b, b → a, b → c; c dangling. Fixed point solved by hand at α = 0.85.
    const g = graphFromEdges([['a', 'b'], ['b', 'a'], ['b', 'c']]);
    const r = pagerank(g, { tol: 1e-15, maxIter: 1000 }).rank;
    const [a, b, c] = [r[g.index.get('a')!]!, r[g.index.get('b')!]!, r[g.index.get('c')!]!];
    // a = .85(b/2 + c/3) + .05, b = .85(a + c/3) + .05, c = .85(b/2 + c/3) + .05
    expect(a).toBeCloseTo(c, 12);
    expect(b).toBeCloseTo(0.85 * (a + c / 3) + 0.05, 12);
    expect(a + b + c).toBeCloseTo(1, 12);
  });
  it('rejects bad options with a typed error', () => {
    const g = graphFromEdges([['a', 'b']]);
    expect(() => pagerank(g, { alpha: 2 })).toThrow(/alpha/);
    expect(() => pagerank(g, { personalization: [1] })).toThrow(/personalization/);
    expect(() => pagerank(g, { bogus: 1 } as never)).toThrow(/unknown option/);
  });
});

describe('core numbers vs networkx', () => {
  for (const c of REF.directed) {
    it(`${c.name}: equal to networkx.core_number on the undirected simple graph`, () => {
      const g = graphFromEdges(c.edges, c.nodes, { keepSelfLoops: c.self_loops });
      const core = coreNumbers(g);
      for (const [id, k] of Object.entries(c.core)) expect(core[g.index.get(id)!], id).toBe(k);
    });
  }
  it('a 4-clique with a pendant: 3 for the clique, 1 for the pendant, 0 for an isolate', () => {
    const g = graphFromEdges([['a', 'b'], ['a', 'c'], ['a', 'd'], ['b', 'c'], ['b', 'd'], ['c', 'd'], ['d', 'e'], ['e', 'd']], ['z']);
    const core = coreNumbers(g);
    expect(['a', 'b', 'c', 'd', 'e', 'z'].map((id) => core[g.index.get(id)!])).toEqual([3, 3, 3, 3, 1, 0]);
  });
});

describe('leiden', () => {
  for (const c of REF.planted) {
    it(`${c.name}: modularity ≥ networkx Louvain's, every community connected, planted blocks recovered`, () => {
      const g = graphFromEdges(c.edges, c.nodes);
      const planted = c.nodes.map((_, i) => c.planted[i]!);
      expect(modularity(g, planted)).toBeCloseTo(c.planted_modularity, 10);
      for (const seed of [1, 2, 3]) {
        const r = leiden(g, { seed });
        expect(r.modularity).toBeGreaterThanOrEqual(c.louvain_modularity - 1e-12);
        expect(r.modularity).toBeCloseTo(modularity(g, r.membership), 12);
        expect(communitiesConnected(g, r.membership)).toBe(true);
        if (!c.name.includes('noisy')) expect(adjustedRandIndex(r.membership, planted)).toBeGreaterThan(0.9);
      }
    });
  }
  it('is deterministic for a seed', () => {
    const c = REF.planted[2]!;
    const g = graphFromEdges(c.edges, c.nodes);
    expect(Array.from(leiden(g, { seed: 9 }).membership)).toEqual(Array.from(leiden(g, { seed: 9 }).membership));
  });
  it('keeps communities connected on sparse random graphs, and a higher resolution gives more communities', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 5; trial++) {
      const b = new GraphBuilder();
      for (let i = 0; i < 400; i++) b.node(String(i));
      for (let e = 0; e < 700; e++) b.edgeByIndex(rng.int(400), rng.int(400), 1 + rng.int(3));
      const g = b.build();
      const r1 = leiden(g, { seed: trial });
      expect(communitiesConnected(g, r1.membership)).toBe(true);
      const r3 = leiden(g, { seed: trial, resolution: 3 });
      expect(communitiesConnected(g, r3.membership)).toBe(true);
      expect(r3.count).toBeGreaterThan(r1.count);
    }
  });
  it('finds two triangles joined by one edge', () => {
    const g = graphFromEdges([['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'e'], ['e', 'f'], ['f', 'd'], ['c', 'd']]);
    const r = leiden(g);
    const m = (id: string) => r.membership[g.index.get(id)!];
    expect(r.count).toBe(2);
    expect(m('a')).toBe(m('b'));
    expect(m('a')).toBe(m('c'));
    expect(m('d')).toBe(m('f'));
    expect(m('a')).not.toBe(m('d'));
    // Q = 2 × [3/7 − (7/14)²] = 6/7 − 1/2
    expect(r.modularity).toBeCloseTo(6 / 7 - 0.5, 12);
  });
  it('handles an edgeless graph: every node alone, modularity 0', () => {
    const g = graphFromEdges([], ['a', 'b']);
    const r = leiden(g);
    expect(r.count).toBe(2);
    expect(r.modularity).toBe(0);
  });
});

describe('graph', () => {
  it('undirectedGraph adds both directions, drops self-loops and is symmetric', () => {
    const g = graphFromEdges([['a', 'b', 2], ['b', 'a', 3], ['b', 'c', 1], ['c', 'c', 5]], [], { keepSelfLoops: true });
    const u = undirectedGraph(g);
    const w = (x: string, y: string) => {
      const i = u.index.get(x)!, j = u.index.get(y)!;
      for (let e = u.outOffsets[i]!; e < u.outOffsets[i + 1]!; e++) if (u.outTargets[e] === j) return u.outWeights![e]!;
      return 0;
    };
    expect([w('a', 'b'), w('b', 'a'), w('b', 'c'), w('c', 'b'), w('c', 'c')]).toEqual([5, 5, 1, 1, 0]);
    expect(u.m).toBe(4);
    expect(u.inOffsets).toBe(u.outOffsets);
  });
  it('holds a weighted graph in ≤ 40 bytes per edge', () => {
    const rng = new Rng(2);
    const b = new GraphBuilder();
    for (let i = 0; i < 20_000; i++) b.node(String(i));
    for (let e = 0; e < 200_000; e++) b.edgeByIndex(rng.int(20_000), rng.int(20_000), 1 + rng.int(3));
    const g = b.build();
    const bytes = g.outOffsets.byteLength + g.outTargets.byteLength + g.outWeights!.byteLength +
      g.inOffsets.byteLength + g.inSources.byteLength + g.inWeights!.byteLength;
    expect(bytes / g.m).toBeLessThanOrEqual(40);
  });
});

describe('tribes', () => {
  it('names the tribe of an account by its repeat engagers, not by its own community', () => {
    // Two triangles; x sits in the right one, but its repeat engagers are all on the left.
    const g = graphFromEdges([['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'e'], ['e', 'f'], ['f', 'd'], ['x', 'd'], ['x', 'e'], ['x', 'f'], ['a', 'x']]);
    const r = findTribes(g, {}, { repeatEngagers: [{ engager: 'a', account: 'x' }, { engager: 'b', account: 'x' }, { engager: 'd', account: 'x' }, { engager: 'zz', account: 'x' }] });
    const x = r.accounts.find((t) => t.id === 'x')!;
    const left = r.membership[g.index.get('a')!]!, right = r.membership[g.index.get('d')!]!;
    expect(x.community).toBe(right);
    expect(x).toMatchObject({ tribe: left, repeat_engagers: 3, repeat_engagers_in_tribe: 2 });
    expect(r.communities.map((c) => c.size).sort()).toEqual([3, 4]);
    expect(r.communities[0]!.conversions).toBeUndefined();
  });
});

describe('adjusted Rand index', () => {
  it('is 1 for relabelled identical partitions and matches a hand-computed case', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 2, 2])).toBe(1);
    // sklearn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
    // adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24242424242424246
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.24242424242424246, 12);
  });
});
