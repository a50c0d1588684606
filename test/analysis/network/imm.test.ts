/**
 * Whom to ask: IMM against the exhaustive optimum on tiny graphs (exact spread by enumerating live-edge worlds),
 * a contract suite running CELF and IMM on the same graphs, and the Monte-Carlo check of IMM's reported spread.
 */
import { describe, expect, it } from 'vitest';
import { CloutError, Rng } from '../../../src/domain/index.js';
import { GraphBuilder, type Graph } from '../../../src/analysis/network/graph.js';
import { imm } from '../../../src/analysis/network/imm.js';
import { celf } from '../../../src/analysis/network/celf.js';
import { edgeParameters, type DiffusionModel } from '../../../src/analysis/network/spread-model.js';
import { exactSpreadIc, simulateSpread } from '../../../src/analysis/network/spread-sim.js';

/** A random digraph with a skewed out-degree (low indices are hubs). */
function randomGraph(n: number, m: number, seed: number): Graph {
  const rng = new Rng(seed);
  const b = new GraphBuilder();
  for (let i = 0; i < n; i++) b.node('n' + i);
  for (let e = 0; e < m; e++) b.edgeByIndex(Math.floor(n * rng.uniform() ** 2), rng.int(n));
  return b.build();
}

/** Every k-subset of 0..n-1. */
function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) { out.push([...acc]); return; }
    for (let v = start; v < n; v++) rec(v + 1, [...acc, v]);
  };
  rec(0, []);
  return out;
}

/**
 * Exact expected spread of every k-subset by enumerating live-edge worlds: IC keeps each edge independently; LT lets
 * each node keep at most one in-edge, edge e with probability w(e) (Kempe et al. 2003, Theorem 2.5).
 */
function exhaustive(g: Graph, w: Float64Array, model: DiffusionModel, k: number): { sets: number[][]; spread: number[] } {
  const n = g.n;
  const sets = subsets(n, k);
  const spread = new Array<number>(sets.length).fill(0);
  const src = new Int32Array(g.m);
  for (let u = 0; u < n; u++) for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) src[e] = u;
  const inEdges: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < g.m; e++) inEdges[g.outTargets[e]!]!.push(e);
  const world = (live: Uint8Array, prob: number) => {
    // reach[v] = bitmask of nodes v reaches through live edges.
    const reach = new Array<number>(n);
    for (let s = 0; s < n; s++) {
      let mask = 1 << s;
      const q = [s];
      for (let h = 0; h < q.length; h++) {
        const u = q[h]!;
        for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
          const v = g.outTargets[e]!;
          if (live[e] && !((mask >> v) & 1)) { mask |= 1 << v; q.push(v); }
        }
      }
      reach[s] = mask;
    }
    sets.forEach((set, i) => {
      let mask = 0;
      for (const s of set) mask |= reach[s]!;
      let c = 0;
      while (mask) { mask &= mask - 1; c++; }
      spread[i]! += prob * c;
    });
  };
  const live = new Uint8Array(g.m);
  if (model === 'ic') {
    for (let mask = 0; mask < 1 << g.m; mask++) {
      let prob = 1;
      for (let e = 0; e < g.m; e++) { live[e] = (mask >> e) & 1; prob *= live[e] ? w[e]! : 1 - w[e]!; }
      if (prob > 0) world(live, prob);
    }
  } else {
    const choice = new Int32Array(n).fill(-1);
    const rec = (v: number, prob: number) => {
      if (prob === 0) return;
      if (v === n) {
        live.fill(0);
        for (let x = 0; x < n; x++) if (choice[x]! >= 0) live[choice[x]!] = 1;
        world(live, prob);
        return;
      }
      let rest = 1;
      for (const e of inEdges[v]!) { choice[v] = e; rec(v + 1, prob * w[e]!); rest -= w[e]!; }
      choice[v] = -1;
      rec(v + 1, prob * Math.max(0, rest));
    };
    rec(0, 1);
  }
  return { sets, spread };
}

describe('IMM on tiny graphs: within 2% of the exhaustive optimum', () => {
  for (const model of ['ic', 'lt'] as const) {
    it(`${model}: k = 2 and 3 on 10 random graphs (ε = 0.05)`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const g = randomGraph(9, 14, seed);
        const rng = new Rng(100 + seed);
        const probabilities = Float64Array.from({ length: g.m }, () => 0.1 + 0.5 * rng.uniform());
        const w = edgeParameters(g, model, model === 'ic' ? probabilities : undefined);
        for (const k of [2, 3]) {
          const { sets, spread } = exhaustive(g, w, model, k);
          const best = Math.max(...spread);
          const r = imm(g, { k, model, eps: 0.05, seed, probabilities: model === 'ic' ? probabilities : undefined });
          const chosen = [...r.seeds].sort((a, b) => a - b);
          const got = spread[sets.findIndex((s) => s.join() === chosen.join())]!;
          expect(got).toBeGreaterThanOrEqual(0.98 * best);
          // The reported estimate is close to the exact spread of its seeds.
          expect(Math.abs(r.spread - got)).toBeLessThan(0.05 * got + 4 * r.spreadSe);
        }
      }
    });
  }

  it('exact IC spread agrees with the enumeration and the simulator', () => {
    const g = randomGraph(9, 14, 3);
    const p = Float64Array.from({ length: g.m }, (_, e) => 0.2 + 0.03 * e);
    const { sets, spread } = exhaustive(g, p, 'ic', 2);
    const i = sets.findIndex((s) => s.join() === '0,1');
    expect(exactSpreadIc(g, p, [0, 1])).toBeCloseTo(spread[i]!, 10);
    const mc = simulateSpread(g, [0, 1], { probabilities: p, runs: 20_000, seed: 4 });
    expect(mc.lower).toBeLessThan(spread[i]!);
    expect(mc.upper).toBeGreaterThan(spread[i]!);
  });
});

describe('contract: CELF and IMM on the same graphs', () => {
  const cases: [string, DiffusionModel, number, number][] = [['ic', 'ic', 120, 600], ['lt', 'lt', 120, 500], ['ic-big', 'ic', 300, 1800]];
  for (const [name, model, n, m] of cases) {
    it(`${name}: IMM's seeds spread within 2% of CELF's (Monte-Carlo, common random numbers)`, () => {
      const g = randomGraph(n, m, n + m);
      const k = 5;
      const c = celf(g, { k, model, runs: 300, seed: 2 });
      const r = imm(g, { k, model, seed: 2 });
      const mcI = simulateSpread(g, r.seeds, { model, runs: 20_000, seed: 9 });
      const mcC = simulateSpread(g, c.seeds, { model, runs: 20_000, seed: 9 });
      expect(mcI.mean).toBeGreaterThanOrEqual(0.98 * mcC.mean);
      expect(r.seeds.length).toBe(k);
      expect(new Set(r.seeds).size).toBe(k);
    });
  }
});

describe('IMM reports a spread inside the Monte-Carlo interval', () => {
  for (const model of ['ic', 'lt'] as const) {
    it(`${model}: fresh-set estimate within the 95% interval of 10,000 simulations`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const g = randomGraph(300, 1500, 40 + seed);
        const r = imm(g, { k: 10, model, seed, spreadSets: 400_000 });
        const mc = simulateSpread(g, r.seeds, { model, runs: 10_000, seed: 1000 + seed });
        expect(r.spread).toBeGreaterThanOrEqual(mc.lower);
        expect(r.spread).toBeLessThanOrEqual(mc.upper);
      }
    });
  }
});

describe('IMM options', () => {
  const g = randomGraph(50, 200, 1);
  it('is reproducible for a seed', () => {
    expect(imm(g, { k: 4, seed: 3 })).toEqual(imm(g, { k: 4, seed: 3 }));
  });
  it('returns every node when k ≥ n', () => {
    expect(imm(g, { k: 60 })).toMatchObject({ spread: 50, rrSets: 0 });
  });
  it('rejects bad options with typed errors', () => {
    const bad = (o: Parameters<typeof imm>[1]) => {
      try { imm(g, o); } catch (e) { return e instanceof CloutError ? e.code : 'other'; }
      return 'none';
    };
    expect(bad({ k: 0 })).toBe('bad_option');
    expect(bad({ k: 2, eps: 1.5 })).toBe('bad_option');
    expect(bad({ k: 2, probabilities: new Float64Array(3) })).toBe('bad_option');
    expect(bad({ k: 2, probabilities: new Float64Array(g.m).fill(2) })).toBe('bad_option');
  });
});
