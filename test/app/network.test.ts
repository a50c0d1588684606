/**
 * Planted tribes of the synthetic world (small size, seed 1; `truth.json` accounts[].tribe) against Leiden on the
 * graphs built from the store. The bar is ARI ≥ 0.8 on the medium world; medium takes minutes to generate
 * and import, so this test runs on the small world and scripts/bench give the medium figures (docs/network.md).
 *
 * Finding: on the follow graph and on the social graph (follows + interactions, what `clout network tribes` uses by
 * default) the planted tribes are recovered almost exactly; on the interaction graph alone they are not (ARI ≈ 0.6),
 * because the planted partition is not the modularity optimum there (the world's interactions all point at a few
 * authors). That bar is kept as an expected failure (`it.fails`) so that it flips to a failure if it is ever met.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/synth/index.js';
import { importPaths } from '../../src/ingest/index.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { storeGraph } from '../../src/app/network.js';
import { adjustedRandIndex } from '../../src/analysis/stats/ari.js';
import { leiden, modularity, splitComponents, toWGraph, type Graph, type LeidenResult } from '../../src/analysis/network/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-network-world-'));
let store: Store;
let follows: Graph, interactions: Graph, social: Graph;
let tribeOf: Map<string, number>;
let onFollows: LeidenResult, onInteractions: LeidenResult, onSocial: LeidenResult;

/** ARI over the accounts with at least one edge (isolated accounts carry no signal). */
function ari(g: Graph, membership: ArrayLike<number>): number {
  const w = toWGraph(g);
  const a: number[] = [], b: number[] = [];
  for (let v = 0; v < g.n; v++) {
    if (w.off[v + 1] === w.off[v]) continue;
    a.push(membership[v]!);
    b.push(tribeOf.get(g.ids[v]!)!);
  }
  return adjustedRandIndex(a, b);
}

function planted(g: Graph): Int32Array {
  return Int32Array.from(g.ids, (id) => tribeOf.get(id)!);
}

beforeAll(async () => {
  const world = join(dir, 'world');
  await generateWorld({ seed: 1, size: 'small', out: world });
  const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { accounts: { id: string; tribe: number }[] };
  tribeOf = new Map(truth.accounts.map((a) => [a.id, a.tribe]));
  store = await openStore(join(dir, 'store.duckdb'));
  await importPaths(store, ['accounts', 'follows', 'posts', 'interactions'].map((k) => join(world, `${k}.csv`)), {
    rejectsPath: join(dir, 'rejects.ndjson'),
  });
  follows = await storeGraph(store.conn, 'follows');
  interactions = await storeGraph(store.conn, 'interactions');
  social = await storeGraph(store.conn, 'social');
  onFollows = leiden(follows, { seed: 1 });
  onInteractions = leiden(interactions, { seed: 1 });
  onSocial = leiden(social, { seed: 1 });
}, 120_000);
afterAll(async () => {
  await closeStore(store);
});

describe('planted tribes of the small synthetic world', () => {
  it('every community is connected on both graphs', () => {
    for (const [g, r] of [[follows, onFollows], [interactions, onInteractions]] as const) {
      expect(new Set(splitComponents(toWGraph(g), r.membership)).size).toBe(r.count);
    }
  });

  it('follow graph: Leiden recovers the planted tribes (ARI ≥ 0.8)', () => {
    expect(ari(follows, onFollows.membership)).toBeGreaterThanOrEqual(0.8);
  });

  it('social graph (the tribes default): Leiden recovers the planted tribes (ARI ≥ 0.8), every community connected', () => {
    // a follow weighs 1, interactions their type weights; the graph holds every account that follows or interacts
    expect(social.n).toBeGreaterThanOrEqual(follows.n);
    expect(ari(social, onSocial.membership)).toBeGreaterThanOrEqual(0.8);
    expect(new Set(splitComponents(toWGraph(social), onSocial.membership)).size).toBe(onSocial.count);
  });

  it('interaction graph: the planted partition is not the modularity optimum, so no maximiser can return it', () => {
    const qPlanted = modularity(interactions, planted(interactions));
    expect(onInteractions.modularity).toBeGreaterThan(qPlanted + 0.02);
    // The best connected partition that respects the planted tribes — each tribe cut into its connected pieces —
    // itself stays below 0.9.
    const pieces = splitComponents(toWGraph(interactions), planted(interactions));
    expect(ari(interactions, pieces)).toBeLessThan(0.9);
    // Leiden's communities are still far from random with respect to the tribes.
    expect(ari(interactions, onInteractions.membership)).toBeGreaterThan(0.5);
  });

  it.fails('interaction graph: Leiden recovers the planted tribes with ARI ≥ 0.8 (the issue\'s bar; not met — see docs/network.md)', () => {
    expect(ari(interactions, onInteractions.membership)).toBeGreaterThanOrEqual(0.8);
  });
});
