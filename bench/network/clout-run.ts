/**
 * One clout run of the network benchmark (a child process of bench/network.ts, so its peak memory is its own):
 * reads the edge list with `--edges`'s reader, then times PageRank, Leiden (on the undirected graph) and, when
 * D's module is present, IMM k=50 ε=0.5 (IC, weighted cascade). Prints one JSON line.
 *
 *   node dist/bench/network/clout-run.js EDGES.csv [--no-imm] [--no-leiden] [--quick]
 * --quick (the 10M-edge graph): Leiden with 2 iterations only, like igraph's default, not until stable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { leidenOnWGraph, pagerank, toWGraph, type Graph } from '../../src/analysis/network/index.js';
import { readEdgeList } from '../../src/ingest/edge-list.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: clout-run.js EDGES.csv [--no-imm] [--no-leiden]');
const flags = new Set(process.argv.slice(3));
let peak = 0;
const sample = (): void => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 50);
const seconds = (t0: number): number => (performance.now() - t0) / 1000;

let t0 = performance.now();
const g: Graph = readEdgeList(file);
const load = seconds(t0);
sample();
const baseline = process.memoryUsage();
const graphBytes = g.outOffsets.byteLength + g.outTargets.byteLength + (g.outWeights?.byteLength ?? 0) +
  g.inOffsets.byteLength + g.inSources.byteLength + (g.inWeights?.byteLength ?? 0);
const out: Record<string, unknown> = { tool: 'clout', n: g.n, m: g.m, load_s: load, graph_bytes_per_edge: graphBytes / g.m };

t0 = performance.now();
const pr = pagerank(g);
out.pagerank_s = seconds(t0);
out.pagerank_iterations = pr.iterations;
// The same at a tight tolerance (L1 change < n·1e-12), comparable with igraph's exact PRPACK solve.
t0 = performance.now();
const tight = pagerank(g, { tol: 1e-12, maxIter: 1000 });
out.pagerank_tight_s = seconds(t0);
out.pagerank_tight_iterations = tight.iterations;
sample();

if (!flags.has('--no-leiden')) {
  t0 = performance.now();
  const w = toWGraph(g);
  out.undirected_s = seconds(t0);
  if (!flags.has('--quick')) {
    t0 = performance.now();
    const r = leidenOnWGraph(w, { seed: 1 });
    out.leiden_s = seconds(t0);
    out.leiden_q = r.modularity;
    out.leiden_count = r.count;
    out.leiden_iterations = r.iterations;
  }
  // Two iterations (igraph's default) and four, over seeds 1..3 unless --quick: mean time, mean and range of Q.
  const seeds = flags.has('--quick') ? [1] : [1, 2, 3];
  for (const iterations of flags.has('--quick') ? [2] : [2, 4]) {
    let time = 0;
    const qs: number[] = [];
    for (const seed of seeds) {
      t0 = performance.now();
      qs.push(leidenOnWGraph(w, { seed, maxIterations: iterations }).modularity);
      time += seconds(t0);
    }
    out[`leiden${iterations}_s`] = time / seeds.length;
    out[`leiden${iterations}_q`] = qs.reduce((a, b) => a + b, 0) / qs.length;
    out[`leiden${iterations}_q_range`] = `${Math.min(...qs).toFixed(4)}–${Math.max(...qs).toFixed(4)}`;
  }
  sample();
}

const immPath = join(import.meta.dirname, '..', '..', 'src', 'analysis', 'network', 'imm.js');
if (!flags.has('--no-imm') && existsSync(immPath)) {
  const mod = (await import(immPath)) as { imm?: (g: Graph, o: { k: number; eps: number; model: 'ic'; seed: number }) => { spread: number; rrSets: number } };
  if (typeof mod.imm === 'function') {
    t0 = performance.now();
    const r = mod.imm(g, { k: 50, eps: 0.5, model: 'ic', seed: 1 });
    out.imm_s = seconds(t0);
    out.imm_spread = r.spread;
    out.imm_rr_sets = r.rrSets;
    sample();
  }
} else out.imm = 'skipped (module absent or --no-imm)';
clearInterval(timer);
sample();
out.rss_peak_mb = peak / 1e6;
out.rss_after_load_mb = baseline.rss / 1e6;
process.stdout.write(JSON.stringify(out) + '\n');
