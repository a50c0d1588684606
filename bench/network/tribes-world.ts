/**
 * Planted tribes of a synthetic world vs Leiden, on the graphs clout builds from the store — the ARI check
 * at a size too slow for a unit test (default: medium, seed 1). Generates and imports the world once under
 * .bench/network/world-SIZE-sSEED/ (accounts, follows, posts, interactions only), then prints, for the follow and
 * the interaction graph: communities, modularity of Leiden's partition and of the planted one, the adjusted Rand
 * index over accounts with at least one edge, and the ARI ceiling of any partition into connected communities that
 * respects the tribes (each planted tribe cut into its connected pieces).
 *
 *   npm run build && node dist/bench/network/tribes-world.js [--size medium] [--seed 1] [--resolution 1,2]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adjustedRandIndex } from '../../src/analysis/stats/ari.js';
import { leidenOnWGraph, modularityOf, splitComponents, toWGraph, type Graph } from '../../src/analysis/network/index.js';
import { importPaths } from '../../src/ingest/index.js';
import { storeGraph } from '../../src/app/network.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { generateWorld, type Size } from '../../src/synth/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const { values } = parseArgs({
  options: { size: { type: 'string', default: 'medium' }, seed: { type: 'string', default: '1' }, resolution: { type: 'string', default: '1,2' } },
});
const dir = join(ROOT, '.bench', 'network', `world-${values.size}-s${values.seed}`);
const dbPath = join(dir, 'store.duckdb');
if (!existsSync(dbPath)) {
  const world = join(dir, 'world');
  process.stdout.write(`generating and importing the ${values.size} world into ${dir} …\n`);
  await generateWorld({ seed: Number(values.seed), size: values.size as Size, out: world });
  const store = await openStore(dbPath);
  await importPaths(store, ['accounts', 'follows', 'posts', 'interactions'].map((k) => join(world, `${k}.csv`)), { rejectsPath: join(dir, 'rejects.ndjson') });
  await closeStore(store);
}
const truth = JSON.parse(readFileSync(join(dir, 'world', 'truth.json'), 'utf8')) as { accounts: { id: string; tribe: number }[] };
const tribeOf = new Map(truth.accounts.map((a) => [a.id, a.tribe]));
const store = await openStore(dbPath);
for (const kind of ['follows', 'interactions', 'social'] as const) {
  const g: Graph = await storeGraph(store.conn, kind);
  const w = toWGraph(g);
  const planted = Int32Array.from(g.ids, (id) => tribeOf.get(id)!);
  const active: number[] = [];
  for (let v = 0; v < g.n; v++) if (w.off[v + 1]! > w.off[v]!) active.push(v);
  const ari = (m: ArrayLike<number>): number => adjustedRandIndex(active.map((v) => m[v]!), active.map((v) => planted[v]!));
  let inside = 0;
  for (let v = 0; v < w.n; v++) for (let e = w.off[v]!; e < w.off[v + 1]!; e++) if (planted[w.adj[e]!] === planted[v]) inside += w.w[e]!;
  process.stdout.write(`\n${kind}: ${g.n} nodes, ${g.m} edges, ${active.length} with an edge; ${(100 * inside / w.total).toFixed(1)}% of the weight inside planted tribes\n`);
  process.stdout.write(`  planted partition: Q ${modularityOf(w, planted).toFixed(4)}; ARI ceiling for connected communities ${ari(splitComponents(w, planted)).toFixed(4)}\n`);
  for (const res of values.resolution.split(',').map(Number)) {
    const t0 = performance.now();
    const r = leidenOnWGraph(w, { seed: 1, resolution: res });
    const communities = new Set(active.map((v) => r.membership[v]!)).size;
    process.stdout.write(`  Leiden γ=${res}: ${communities} communities among them, Q ${r.modularity.toFixed(4)}, ARI ${ari(r.membership).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
}
await closeStore(store);
