/**
 * Learned edge probabilities against the planted ones on a synthetic world too large for a unit test (default: the
 * medium world, 100k accounts and 1M follows): generate (seed 1) → import into a fresh store → learn with EM,
 * Bernoulli and Jaccard → Spearman's ρ with truth.json's p over edges with at least N trials, per threshold, with
 * timings. Also runs the shuffle test on the world's reposts.
 *
 *   node dist/bench/spread-probabilities.js [--size medium] [--seed 1] [--dir DIR (an existing world)] [--shuffles 100]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importPaths } from '../src/ingest/index.js';
import { closeStore, openStore } from '../src/store/index.js';
import { storeGraph } from '../src/app/network.js';
import { storeAdoptions } from '../src/app/spread.js';
import { generateWorld, type Size } from '../src/synth/index.js';
import { findEdge } from '../src/analysis/network/edge-index.js';
import { reverseGraph } from '../src/analysis/network/graph.js';
import { learnProbabilities } from '../src/analysis/network/probabilities.js';
import { socialCorrelationTests } from '../src/analysis/network/contagion-tests.js';
import { spearman } from '../src/analysis/stats/rank.js';

const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string' }, dir: { type: 'string' }, shuffles: { type: 'string' } } });
const size = (values.size ?? 'medium') as Size;
const seed = Number(values.seed ?? 1);
const work = mkdtempSync(join(tmpdir(), 'clout-spread-bench-'));
let t = performance.now();
const lap = (what: string) => {
  process.stdout.write(`${what}: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  t = performance.now();
};

const worldDir = values.dir ?? join(work, 'world');
if (values.dir === undefined) {
  await generateWorld({ seed, size, out: worldDir });
  lap(`generate ${size} world (seed ${seed})`);
}
const store = await openStore(join(work, 'store.duckdb'));
await importPaths(store, [worldDir], { rejectsPath: join(work, 'rejects.ndjson') });
lap('import');
const follows = await storeGraph(store.conn, 'follows');
const { adoptions } = await storeAdoptions(store.conn, follows, 'posts');
await closeStore(store);
lap(`load (${follows.n} accounts, ${follows.m} follows, ${adoptions.items} posts, ${adoptions.nodes.length} reposts)`);

const truth = JSON.parse(readFileSync(join(worldDir, 'truth.json'), 'utf8')) as { edges: { from: string; to: string; p: number }[] };
const h = reverseGraph(follows);
const planted = new Float64Array(h.m).fill(NaN);
for (const e of truth.edges) {
  const at = findEdge(h, h.index.get(e.from)!, h.index.get(e.to)!);
  if (at >= 0) planted[at] = e.p;
}
lap('truth');

for (const method of ['em', 'bernoulli', 'jaccard'] as const) {
  const r = learnProbabilities(adoptions, follows, { method, seed });
  lap(`${method}${method === 'em' ? ` (${r.iterations} iterations, ${r.converged ? 'converged' : 'not converged'})` : ''}`);
  for (const minTrials of [1, 5, 10, 20, 40]) {
    const x: number[] = [], y: number[] = [];
    for (let e = 0; e < h.m; e++) if (r.trials[e]! >= minTrials && !Number.isNaN(planted[e]!)) { x.push(r.p[e]!); y.push(planted[e]!); }
    process.stdout.write(`  trials ≥ ${String(minTrials).padStart(2)}: ${String(x.length).padStart(8)} edges, Spearman ρ = ${x.length > 2 ? spearman(x, y).toFixed(3) : 'n/a'}\n`);
  }
}
const shuffles = Number(values.shuffles ?? 100);
const c = socialCorrelationTests(adoptions, follows, { shuffles, orientations: 0, seed });
lap(`shuffle test (${shuffles} shuffles): α = ${c.alpha.toFixed(3)}, shuffled mean ${c.alpha_shuffled_mean.toFixed(3)}, p = ${c.shuffle_p.toFixed(4)}`);
