/**
 * One graphology run of the network benchmark (child process): builds a directed graphology Graph from the edge
 * list, times graphology-metrics PageRank (α 0.85, tolerance 1e-6, 100 iterations), then an undirected copy and
 * graphology-communities-louvain with its modularity. Prints one JSON line.
 *
 *   node --max-old-space-size=16000 dist/bench/network/graphology-run.js EDGES.csv
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// graphology's packages are CommonJS; load them as such (their ESM typings do not describe the default export).
interface GGraph { order: number; size: number; mergeEdge(s: string, t: string): unknown }
const require = createRequire(import.meta.url);
const Graph = require('graphology') as new (options: { type: string; multi: boolean }) => GGraph;
const louvain = require('graphology-communities-louvain') as {
  detailed(g: GGraph, o: { rng: () => number; getEdgeWeight: null }): { modularity: number; count: number };
};
const pagerank = require('graphology-metrics/centrality/pagerank') as (g: GGraph, o: Record<string, unknown>) => Record<string, number>;

const file = process.argv[2];
if (file === undefined) throw new Error('usage: graphology-run.js EDGES.csv');
const seconds = (t0: number): number => (performance.now() - t0) / 1000;
let peak = 0;
const sample = (): void => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 50);

let t0 = performance.now();
const text = readFileSync(file, 'utf8');
const directed = new Graph({ type: 'directed', multi: false });
const undirected = new Graph({ type: 'undirected', multi: false });
let start = text.indexOf('\n') + 1; // header
while (start < text.length) {
  let nl = text.indexOf('\n', start);
  if (nl === -1) nl = text.length;
  const comma = text.indexOf(',', start);
  const s = text.slice(start, comma), t = text.slice(comma + 1, nl);
  start = nl + 1;
  directed.mergeEdge(s, t);
  undirected.mergeEdge(s, t);
}
const out: Record<string, unknown> = { tool: 'graphology', n: directed.order, m: directed.size, load_s: seconds(t0) };
sample();
t0 = performance.now();
pagerank(directed, { alpha: 0.85, tolerance: 1e-6, maxIterations: 100, getEdgeWeight: null });
out.pagerank_s = seconds(t0);
sample();
t0 = performance.now();
let x = 1;
const rng = (): number => { x = (x * 16807) % 2147483647; return x / 2147483647; };
const r = louvain.detailed(undirected, { rng, getEdgeWeight: null });
out.louvain_s = seconds(t0);
out.louvain_q = r.modularity;
out.louvain_count = r.count;
clearInterval(timer);
sample();
out.rss_peak_mb = peak / 1e6;
process.stdout.write(JSON.stringify(out) + '\n');
