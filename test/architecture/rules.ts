// The architecture rules of DESIGN.md §3, as a pure function over module edges, and the reader that
// turns src/ into those edges. Kept apart from the test so a test of the test can feed it made-up graphs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/** One import: `from` and `to` are module paths relative to src/, with `/` separators (`analysis/impact/index.ts`). */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

export interface Violation {
  readonly rule: string;
  readonly message: string;
  /** The offending edge, or the modules of a cycle in order (first repeated at the end). */
  readonly path: readonly string[];
}

export interface RuleOptions {
  /**
   * Door imports (`cli/` or `server/` into a floor below `app/`) that exist today and are tolerated, each as
   * `[from, to]`. An edge not on the list fails.
   */
  readonly allowedDoorImports?: readonly (readonly [string, string])[];
  /**
   * File-level cycles that exist today and are tolerated, each as its modules in any rotation
   * (`['a.ts', 'b.ts']` for a → b → a). A cycle not on the list fails.
   */
  readonly allowedFileCycles?: readonly (readonly string[])[];
}

/** The layer of a module: its top-level folder under src/, or `index` for the library entry src/index.ts. */
export function layerOf(module: string): string {
  const slash = module.indexOf('/');
  return slash < 0 ? module.replace(/\.ts$/, '') : module.slice(0, slash);
}

/** The folder of a module (`analysis/impact` for `analysis/impact/model.ts`; `.` for src/index.ts). */
export function folderOf(module: string): string {
  return posix.dirname(module);
}

interface LayerRule {
  readonly name: string;
  readonly applies: (fromLayer: string, toLayer: string) => boolean;
  readonly explain: string;
}

const LAYER_RULES: readonly LayerRule[] = [
  {
    name: 'analysis-is-pure',
    applies: (f, t) => f === 'analysis' && ['store', 'server', 'cli', 'ingest', 'app'].includes(t),
    explain: 'analysis/ is pure kernels: it must not import store/, server/, cli/, ingest/ or app/',
  },
  {
    name: 'domain-imports-nothing',
    applies: (f, t) => f === 'domain' && t !== 'domain',
    explain: 'domain/ imports nothing of the project outside domain/',
  },
  {
    name: 'report-never-reads-store',
    applies: (f, t) => f === 'report' && t === 'store',
    explain: 'report/ reads results and analysis/domain types, never store/',
  },
  {
    name: 'store-below-analysis',
    applies: (f, t) => f === 'store' && t === 'analysis',
    explain: 'store/ must not import analysis/',
  },
  {
    name: 'app-only-from-shells',
    applies: (f, t) => t === 'app' && !['app', 'cli', 'server', 'index'].includes(f),
    explain: 'only cli/, server/ and the library entry src/index.ts may import app/',
  },
];

/** Floors the CLI may import besides itself: the use cases, the renderers, the vocabulary, and the server's client. */
const CLI_MAY_IMPORT = ['cli', 'app', 'report', 'domain', 'server'];
/** Floors the server may import besides itself (and the store modules below). */
const SERVER_MAY_IMPORT = ['server', 'app', 'report', 'domain'];

/**
 * The store modules the tracking server may import: its own tables and the store's lifecycle. The links, clicks,
 * keys and conversions it writes on every request are its I/O edge, not use cases, so they go straight to the store:
 * - `store/server-*.ts`: the server's own tables (links, keys, conversions, endpoint file, analytics);
 * - `store/click-journal.ts`: the click journal the redirect appends to;
 * - `store/db.ts`: opening and closing the store, `Store` and `Conn`.
 * (Not `store/index.ts`: it also re-exports every read query, which the server reaches through app/.)
 */
export function serverMayImportStore(module: string): boolean {
  return /^store\/server-[^/]+\.ts$/.test(module) || ['store/click-journal.ts', 'store/db.ts'].includes(module);
}

/** Whether a door (`cli/`, `server/`) importing `to` breaks the rule that doors call app/ and the renderers only. */
export function breaksDoorRule(from: string, to: string): boolean {
  const f = layerOf(from);
  const t = layerOf(to);
  if (f === 'cli') return !CLI_MAY_IMPORT.includes(t);
  if (f === 'server') return !SERVER_MAY_IMPORT.includes(t) && !(t === 'store' && serverMayImportStore(to));
  return false;
}

/** Every simple cycle's canonical key, for matching a found cycle against the allow-list in any rotation. */
function cycleKey(nodes: readonly string[]): string {
  let best = -1;
  for (let i = 0; i < nodes.length; i++) if (best < 0 || nodes[i] < nodes[best]) best = i;
  return [...nodes.slice(best), ...nodes.slice(0, best)].join(' -> ');
}

/**
 * Cycles in a directed graph: one cycle per strongly connected component of size > 1 (or with a self loop),
 * found as a shortest path back to its smallest node, plus — so an allow-list can't hide a new circle inside
 * an old tangle — every edge of the component closes its own shortest cycle. Returned without the repeat.
 */
export function findCycles(edges: readonly Edge[]): string[][] {
  const adj = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!adj.has(from)) adj.set(from, new Set());
    if (!adj.has(to)) adj.set(to, new Set());
    adj.get(from)!.add(to);
  }
  const nodes = [...adj.keys()].sort();
  // Tarjan's strongly connected components (iterative).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comps: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { v: string; it: Iterator<string> }[] = [];
    const visit = (v: string) => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      work.push({ v, it: [...adj.get(v)!].sort()[Symbol.iterator]() });
    };
    visit(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const next = top.it.next();
      if (!next.done) {
        const w = next.value;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        comps.push(comp);
      }
    }
  }
  const shortestPath = (src: string, dst: string, within: Set<string>): string[] | undefined => {
    const prev = new Map<string, string>([[src, src]]);
    const queue = [src];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q];
      if (v === dst) break;
      for (const w of [...adj.get(v)!].sort()) {
        if (within.has(w) && !prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    if (!prev.has(dst)) return undefined;
    const path = [dst];
    while (path[path.length - 1] !== src) path.push(prev.get(path[path.length - 1])!);
    return path.reverse();
  };
  const found = new Map<string, string[]>();
  for (const comp of comps) {
    const within = new Set(comp);
    if (comp.length === 1 && !adj.get(comp[0])!.has(comp[0])) continue;
    for (const v of [...comp].sort()) {
      for (const w of [...adj.get(v)!].sort()) {
        if (!within.has(w)) continue;
        // The edge v → w closes a cycle with the shortest path w ⇝ v.
        const back = v === w ? [v] : shortestPath(w, v, within);
        if (!back) continue;
        const cycle = v === w ? [v] : [v, ...back.slice(0, -1)];
        const key = cycleKey(cycle);
        if (!found.has(key)) found.set(key, cycle);
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => rotate(c));
}

function rotate(cycle: readonly string[]): string[] {
  return cycleKey(cycle).split(' -> ');
}

/** The project's import rules over a list of module edges; an empty list means the graph is clean. */
export function checkArchitecture(edges: readonly Edge[], options: RuleOptions = {}): Violation[] {
  const violations: Violation[] = [];
  for (const edge of edges) {
    const f = layerOf(edge.from);
    const t = layerOf(edge.to);
    for (const rule of LAYER_RULES) {
      if (rule.applies(f, t)) {
        violations.push({ rule: rule.name, message: `${edge.from} imports ${edge.to}: ${rule.explain}`, path: [edge.from, edge.to] });
      }
    }
  }
  const allowedDoor = new Set((options.allowedDoorImports ?? []).map(([from, to]) => `${from}\0${to}`));
  for (const edge of edges) {
    if (!breaksDoorRule(edge.from, edge.to) || allowedDoor.has(`${edge.from}\0${edge.to}`)) continue;
    const door = layerOf(edge.from);
    const explain = door === 'cli'
      ? 'cli/ imports only app/, report/, domain/, server/ and itself'
      : 'server/ imports only app/, report/, domain/, itself, and its own store tables and the store lifecycle';
    violations.push({ rule: 'doors-call-app', message: `${edge.from} imports ${edge.to}: ${explain}`, path: [edge.from, edge.to] });
  }
  const lift = (key: (m: string) => string): Edge[] => {
    const seen = new Set<string>();
    const out: Edge[] = [];
    for (const e of edges) {
      const from = key(e.from);
      const to = key(e.to);
      if (from === to || seen.has(`${from}\0${to}`)) continue;
      seen.add(`${from}\0${to}`);
      out.push({ from, to });
    }
    return out;
  };
  for (const cycle of findCycles(lift(layerOf))) {
    violations.push({ rule: 'no-layer-cycle', message: `layer import circle: ${[...cycle, cycle[0]].join(' -> ')}`, path: [...cycle, cycle[0]] });
  }
  // Folders inside one layer (circles across layers are the rule above): a folder and its sub-folders are one
  // unit (server/ wires server/clicks/, which uses server/'s helpers), so edges between a folder and its own
  // ancestor are left out; a circle among sibling folders (analysis/impact ⇄ analysis/stats) fails.
  const nested = (a: string, b: string) => a === '.' || b === '.' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const sameLayer = (a: string, b: string) => layerOf(`${a}/x`) === layerOf(`${b}/x`);
  for (const cycle of findCycles(lift(folderOf).filter((e) => sameLayer(e.from, e.to) && !nested(e.from, e.to)))) {
    violations.push({ rule: 'no-folder-cycle', message: `folder import circle: ${[...cycle, cycle[0]].join(' -> ')}`, path: [...cycle, cycle[0]] });
  }
  const allowed = new Set((options.allowedFileCycles ?? []).map(cycleKey));
  for (const cycle of findCycles(edges)) {
    if (allowed.has(cycleKey(cycle))) continue;
    violations.push({ rule: 'no-file-cycle', message: `file import circle: ${[...cycle, cycle[0]].join(' -> ')}`, path: [...cycle, cycle[0]] });
  }
  return violations;
}

/** Relative specifiers in a module's text: static `import … from`, `export … from`, side-effect `import '…'`, and `import('…')`. */
export function importSpecifiers(source: string): string[] {
  // Drop comments so an example in a doc comment isn't an edge (strings with `//` keep their line: the
  // line-comment pattern only strips comments that start a line or follow whitespace/code punctuation).
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\s+from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/** The import graph of a source root: edges between its modules, and specifiers that resolve to no file. */
export function readImportGraph(srcRoot: string): { modules: string[]; edges: Edge[]; unresolved: string[] } {
  const toModule = (abs: string) => relative(srcRoot, abs).split(sep).join('/');
  const files = listTs(srcRoot);
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const file of files) {
    const seen = new Set<string>();
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const base = join(dirname(file), spec);
      const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
      const target = candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile());
      if (!target) {
        // Non-code assets (e.g. a `.css` or `.json` read via import attributes) are not modules of the graph.
        if (!/\.(js|ts|mjs)$/.test(spec) && /\.[a-z]+$/.test(spec)) continue;
        unresolved.push(`${toModule(file)}: ${spec}`);
        continue;
      }
      const to = toModule(target);
      if (to.startsWith('..')) continue; // outside src/ (none today); not part of the layered graph
      if (seen.has(to)) continue;
      seen.add(to);
      edges.push({ from: toModule(file), to });
    }
  }
  return { modules: files.map(toModule), edges, unresolved };
}
