/**
 * `npm run bench:network` — clout's network kernels beside igraph, networkx and graphology, in one run, on the same
 * seeded power-law digraphs written once as edge lists under .bench/network/ (100k nodes / 1M edges and 1M nodes /
 * 10M edges): PageRank, communities with their modularity (clout Leiden vs igraph Leiden and multilevel vs
 * graphology-louvain, all on the undirected graph; 2- and 4-iteration Leiden as means over seeds 1..3) and IMM k=50 ε=0.5 (clout only; skipped when the module is
 * absent). Each tool runs in its own child process under `/usr/bin/time -v`, so peak memory (max RSS) is its own.
 *
 *   node dist/bench/network.js [--sizes 1m,10m] [--skip graphology,networkx,igraph,imm] [--seed 1]
 *
 * Generator: node v = 1..n−1 draws d = m/n distinct earlier targets; each target is, with probability 0.8, the
 * endpoint of a uniformly drawn earlier edge (preferential attachment on total degree), else uniform. Edges point
 * v → earlier node, so the graph is acyclic, has no self-loops, duplicates or reciprocal pairs, and a power-law
 * degree tail. networkx runs on the 1M-edge graph only; graphology where it fits (both sizes are tried). On the
 * 10M-edge graph both clout and igraph run Leiden with 2 iterations only (igraph's default), and igraph's
 * until-stable Leiden and multilevel are left out: they take many minutes there on a shared 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/domain/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'bench', 'network');
const CACHE = join(ROOT, '.bench', 'network');
const SIZES: Record<string, { n: number; m: number }> = { '1m': { n: 100_000, m: 1_000_000 }, '10m': { n: 1_000_000, m: 10_000_000 } };

/** Writes the seeded power-law digraph as `source,target` CSV (once; cached by size and seed). */
async function edgeList(n: number, m: number, seed: number): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `powerlaw-n${n}-m${m}-s${seed}.csv`);
  if (existsSync(path)) return path;
  const rng = new Rng(seed);
  const d = Math.round(m / n);
  const ends = new Int32Array(2 * m);
  let ne = 0;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let buf = 'source,target\n';
  const picked = new Int32Array(d);
  for (let v = 1; v < n; v++) {
    const want = Math.min(d, v);
    let k = 0;
    while (k < want) {
      const t = ne > 0 && rng.uniform() < 0.8 ? ends[rng.int(ne)]! : rng.int(v);
      let dup = false;
      for (let i = 0; i < k; i++) if (picked[i] === t) { dup = true; break; }
      if (dup) continue;
      picked[k++] = t;
    }
    for (let i = 0; i < k; i++) {
      ends[ne++] = picked[i]!;
      ends[ne++] = v;
      buf += `${v},${picked[i]}\n`;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  renameSync(tmp, path);
  return path;
}

/** Runs a command under /usr/bin/time -v; returns its JSON line and peak RSS (MB). */
function run(cmd: string, args: string[], label: string, timeoutS: number): { json: Record<string, number | string> | null; maxRssMb: number | null; error?: string } {
  const timed = existsSync('/usr/bin/time');
  const r = spawnSync(timed ? '/usr/bin/time' : cmd, timed ? ['-v', cmd, ...args] : args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: timeoutS * 1000,
  });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const maxRssMb = rss ? Number(rss[1]) / 1000 : null;
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    const why = r.error ? r.error.message : (r.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('\t')).slice(-3).join(' | ');
    process.stderr.write(`  ${label}: failed (${why})\n`);
    return { json: null, maxRssMb, error: why };
  }
  return { json: JSON.parse(line), maxRssMb };
}

const f = (x: unknown, d = 3): string => (typeof x === 'number' ? x.toFixed(d) : '–');
const ratio = (a: unknown, b: unknown): string => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1m,10m' },
      skip: { type: 'string', default: '' },
      seed: { type: 'string', default: '1' },
    },
  });
  const skip = new Set(values.skip.split(',').map((s) => s.trim()).filter(Boolean));
  const seed = Number(values.seed);
  const results: Record<string, unknown>[] = [];
  for (const size of values.sizes.split(',').map((s) => s.trim())) {
    const spec = SIZES[size];
    if (spec === undefined) throw new Error(`--sizes: unknown size '${size}'; use ${Object.keys(SIZES).join(', ')}`);
    const t0 = performance.now();
    const path = await edgeList(spec.n, spec.m, seed);
    process.stdout.write(`\n== power-law digraph n=${spec.n.toLocaleString('en-US')}, m=${spec.m.toLocaleString('en-US')} (${path}; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    const big = spec.m > 2_000_000;
    const clout = run(process.execPath, ['--max-old-space-size=16000', join(DIST, 'clout-run.js'), path, ...(skip.has('imm') ? ['--no-imm'] : []), ...(big ? ['--quick'] : [])], 'clout', 3600);
    const peers = skip.has('igraph') && (big || skip.has('networkx'))
      ? { json: null, maxRssMb: null }
      : run('/usr/bin/python3', [join(ROOT, 'bench', 'network', 'peers.py'), path, ...(big || skip.has('networkx') ? [] : ['--networkx']), ...(skip.has('igraph') ? ['--no-igraph'] : []), ...(big ? ['--quick'] : [])], 'igraph/networkx', 3600);
    const graphology = skip.has('graphology') ? { json: null, maxRssMb: null } : run(process.execPath, ['--max-old-space-size=20000', join(DIST, 'graphology-run.js'), path], 'graphology', big ? 1500 : 3600);
    const c = clout.json ?? {}, p = peers.json ?? {}, g = graphology.json ?? {};
    const rows: [string, string, string, string][] = [
      ['PageRank', 'seconds', 'ratio to clout', 'note'],
      ['clout', f(c.pagerank_s), '1.00×', `${c.pagerank_iterations ?? '–'} iterations (networkx tolerance rule)`],
      ['clout, tol 1e-12', f(c.pagerank_tight_s), ratio(c.pagerank_tight_s, c.pagerank_s), `${c.pagerank_tight_iterations ?? '–'} iterations (near-exact, like PRPACK)`],
      ['igraph (PRPACK)', f(p.igraph_pagerank_s), ratio(p.igraph_pagerank_s, c.pagerank_s), 'exact solve'],
      ['networkx', f(p.networkx_pagerank_s), ratio(p.networkx_pagerank_s, c.pagerank_s), big ? 'not run at this size' : ''],
      ['graphology', f(g.pagerank_s), ratio(g.pagerank_s, c.pagerank_s), ''],
    ];
    const crow: [string, string, string, string][] = [
      ['Communities', 'seconds', 'modularity', 'communities / note'],
      ['clout Leiden (until stable)', f(c.leiden_s), f(c.leiden_q, 4), String(c.leiden_count ?? '–')],
      ['clout Leiden (2 iterations)', f(c.leiden2_s), f(c.leiden2_q, 4), `Q range ${c.leiden2_q_range ?? '–'}`],
      ['clout Leiden (4 iterations)', f(c.leiden4_s), f(c.leiden4_q, 4), `Q range ${c.leiden4_q_range ?? '–'}`],
      ['igraph Leiden (2 iterations)', f(p.igraph_leiden_s), f(p.igraph_leiden_q, 4), `${p.igraph_leiden_count ?? '–'}; Q range ${p.igraph_leiden_q_range ?? '–'}`],
      ['igraph Leiden (4 iterations)', f(p.igraph_leiden4_s), f(p.igraph_leiden4_q, 4), `Q range ${p.igraph_leiden4_q_range ?? '–'}`],
      ['igraph Leiden (until stable)', f(p.igraph_leiden_stable_s), f(p.igraph_leiden_stable_q, 4), ''],
      ['igraph multilevel', f(p.igraph_multilevel_s), f(p.igraph_multilevel_q, 4), ''],
      ['graphology-louvain', f(g.louvain_s), f(g.louvain_q, 4), String(g.louvain_count ?? '–')],
    ];
    const table = (t: [string, string, string, string][]): string => {
      const w = [0, 1, 2, 3].map((i) => Math.max(...t.map((r) => r[i]!.length)));
      return t.map((r) => r.map((x, i) => (i === 0 || i === 3 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ').trimEnd()).join('\n') + '\n';
    };
    process.stdout.write(`graph load (not timed below): clout ${f(c.load_s, 1)} s (${f(c.graph_bytes_per_edge, 1)} bytes/edge in CSR), python ${f(p.load_s, 1)} s, graphology ${f(g.load_s, 1)} s\n\n`);
    process.stdout.write(table(rows) + '\n' + table(crow) + '\n');
    process.stdout.write(`clout undirected copy for Leiden: ${f(c.undirected_s)} s (not in the Leiden time)\n`);
    process.stdout.write(typeof c.imm_s === 'number'
      ? `IMM k=50 ε=0.5 (IC, weighted cascade): clout ${f(c.imm_s)} s, spread ${f(c.imm_spread, 1)}, ${c.imm_rr_sets} RR sets\n`
      : `IMM: ${String(c.imm ?? 'not run')}\n`);
    process.stdout.write(`peak memory (max RSS): clout ${f(clout.maxRssMb, 0)} MB, igraph+networkx ${f(peers.maxRssMb, 0)} MB, graphology ${f(graphology.maxRssMb, 0)} MB\n`);
    process.stdout.write(`goals: PageRank ≤ 1.5× igraph → ${ratio(c.pagerank_s, p.igraph_pagerank_s)} (tol 1e-12: ${ratio(c.pagerank_tight_s, p.igraph_pagerank_s)}); ≥ 20× faster than networkx → ${ratio(p.networkx_pagerank_s, c.pagerank_s)}; ` +
      `Leiden ≤ 2× igraph Leiden → until stable ${ratio(c.leiden_s, p.igraph_leiden_s)} at Q ${f(c.leiden_q, 4)}, ` +
      `2 iterations ${ratio(c.leiden2_s, p.igraph_leiden_s)} at Q ${f(c.leiden2_q, 4)}, 4 iterations ${ratio(c.leiden4_s, p.igraph_leiden_s)} at Q ${f(c.leiden4_q, 4)}, ` +
      `vs igraph (2 iterations, its default) Q ${f(p.igraph_leiden_q, 4)}\n`);
    results.push({ size, n: spec.n, m: spec.m, clout: { ...c, max_rss_mb: clout.maxRssMb }, peers: { ...p, max_rss_mb: peers.maxRssMb }, graphology: { ...g, max_rss_mb: graphology.maxRssMb } });
  }
  writeFileSync(join(CACHE, 'results.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2) + '\n');
  process.stdout.write(`\nresults written to ${join(CACHE, 'results.json')}\n`);
}

await main();
