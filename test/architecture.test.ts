// The import rules of DESIGN.md §3, held over src/ — and a test of the checker itself, so a rule that
// silently stopped matching would fail here rather than pass everything.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, findCycles, importSpecifiers, readImportGraph, type Edge } from './architecture/rules.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * File-level import circles that exist today. Each is tolerated by name so a new one fails; fix one and take
 * it off the list (the test below fails when an entry no longer matches a real circle).
 */
const ALLOWED_FILE_CYCLES: readonly (readonly string[])[] = [];

/**
 * Door imports below app/ that exist today (`[from, to]`), tolerated by name so a new one fails. None: every
 * command parses, opens the store through app/store.ts, calls one app function and renders.
 */
const ALLOWED_DOOR_IMPORTS: readonly (readonly [string, string])[] = [];

const graph = readImportGraph(SRC);

describe('architecture of src/', () => {
  it('resolves every relative import to a module', () => {
    expect(graph.modules.length).toBeGreaterThan(50);
    expect(graph.edges.length).toBeGreaterThan(100);
    expect(graph.unresolved).toEqual([]);
  });

  it('breaks no import rule and has no new import circle', () => {
    const messages = checkArchitecture(graph.edges, { allowedFileCycles: ALLOWED_FILE_CYCLES, allowedDoorImports: ALLOWED_DOOR_IMPORTS }).map((v) => v.message);
    expect(messages).toEqual([]);
  });

  it('allows only door imports that still exist', () => {
    const edges = new Set(graph.edges.map((e) => `${e.from} -> ${e.to}`));
    for (const [from, to] of ALLOWED_DOOR_IMPORTS) expect(edges, `${from} -> ${to}`).toContain(`${from} -> ${to}`);
  });

  it('sees the doors reach the store only through app/ (the server its own tables)', () => {
    const below = graph.edges.filter((e) => e.from.startsWith('cli/') && /^(store|ingest|synth|analysis)\//.test(e.to));
    expect(below).toEqual([]);
    expect(graph.edges.some((e) => e.from.startsWith('server/') && e.to.startsWith('store/server-'))).toBe(true);
  });

  it('allows only file circles that still exist', () => {
    const keys = new Set(findCycles(graph.edges).map((c) => [...c].sort().join(' ')));
    for (const allowed of ALLOWED_FILE_CYCLES) expect(keys, allowed.join(' -> ')).toContain([...allowed].sort().join(' '));
  });

  it('sees the library entry', () => {
    expect(graph.modules).toContain('index.ts');
    expect(graph.edges.some((e) => e.from === 'index.ts' && e.to.startsWith('app/'))).toBe(true);
  });
});

describe('the checker', () => {
  const clean: Edge[] = [
    { from: 'domain/b.ts', to: 'domain/a.ts' },
    { from: 'store/db.ts', to: 'domain/a.ts' },
    { from: 'analysis/x/index.ts', to: 'domain/a.ts' },
    { from: 'analysis/x/index.ts', to: 'analysis/stats/normal.ts' },
    { from: 'app/report.ts', to: 'store/db.ts' },
    { from: 'app/report.ts', to: 'app/options.ts' },
    { from: 'app/report.ts', to: 'report/build.ts' },
    { from: 'report/build.ts', to: 'analysis/x/index.ts' },
    { from: 'cli/main.ts', to: 'app/report.ts' },
    { from: 'server/app.ts', to: 'app/report.ts' },
    { from: 'index.ts', to: 'app/report.ts' },
    { from: 'server/clicks/route.ts', to: 'server/context.ts' },
    { from: 'server/app.ts', to: 'server/clicks/route.ts' },
    { from: 'cli/commands/report.ts', to: 'report/table.ts' },
    { from: 'cli/commands/report.ts', to: 'domain/a.ts' },
    { from: 'cli/commands/import.ts', to: 'server/local/client.ts' },
    { from: 'cli/commands/report.ts', to: 'cli/command.ts' },
    { from: 'server/links/routes.ts', to: 'store/server-links.ts' },
    { from: 'server/clicks/buffer.ts', to: 'store/click-journal.ts' },
    { from: 'server/server.ts', to: 'store/db.ts' },
    { from: 'server/app.ts', to: 'report/build.ts' },
    { from: 'server/app.ts', to: 'domain/a.ts' },
  ];
  const rulesOf = (extra: Edge[]) => checkArchitecture([...clean, ...extra]).map((v) => v.rule);

  it('passes a clean graph (a folder and its sub-folder may import each other)', () => {
    expect(checkArchitecture(clean)).toEqual([]);
  });

  it.each([
    ['analysis-is-pure', { from: 'analysis/x.ts', to: 'store/db.ts' }],
    ['analysis-is-pure', { from: 'analysis/x/index.ts', to: 'app/report.ts' }],
    ['analysis-is-pure', { from: 'analysis/x/index.ts', to: 'ingest/csv.ts' }],
    ['analysis-is-pure', { from: 'analysis/x/index.ts', to: 'server/app.ts' }],
    ['analysis-is-pure', { from: 'analysis/x/index.ts', to: 'cli/main.ts' }],
    ['domain-imports-nothing', { from: 'domain/a.ts', to: 'analysis/stats/normal.ts' }],
    ['domain-imports-nothing', { from: 'domain/a.ts', to: 'index.ts' }],
    ['report-never-reads-store', { from: 'report/y.ts', to: 'store/z.ts' }],
    ['store-below-analysis', { from: 'store/db.ts', to: 'analysis/x/index.ts' }],
    ['app-only-from-shells', { from: 'report/build.ts', to: 'app/options.ts' }],
    ['app-only-from-shells', { from: 'synth/world.ts', to: 'app/report.ts' }],
    ['doors-call-app', { from: 'cli/commands/network.ts', to: 'analysis/x/index.ts' }],
    ['doors-call-app', { from: 'cli/commands/import.ts', to: 'ingest/csv.ts' }],
    ['doors-call-app', { from: 'cli/commands/demo.ts', to: 'synth/world.ts' }],
    ['doors-call-app', { from: 'cli/commands/report.ts', to: 'store/db.ts' }],
    ['doors-call-app', { from: 'cli/main.ts', to: 'index.ts' }],
    ['doors-call-app', { from: 'server/local/routes.ts', to: 'ingest/csv.ts' }],
    ['doors-call-app', { from: 'server/app.ts', to: 'analysis/x/index.ts' }],
    ['doors-call-app', { from: 'server/app.ts', to: 'synth/world.ts' }],
    ['doors-call-app', { from: 'server/app.ts', to: 'store/queries.ts' }],
    ['doors-call-app', { from: 'server/app.ts', to: 'store/index.ts' }],
    ['doors-call-app', { from: 'server/app.ts', to: 'store/server/links.ts' }],
  ] as const)('catches %s: %o', (rule, edge) => {
    expect(rulesOf([edge])).toContain(rule);
  });

  it('lets an allow-listed door import pass, but not another beside it', () => {
    const edges: Edge[] = [...clean, { from: 'cli/commands/x.ts', to: 'store/db.ts' }, { from: 'cli/commands/y.ts', to: 'store/db.ts' }];
    const found = checkArchitecture(edges, { allowedDoorImports: [['cli/commands/x.ts', 'store/db.ts']] });
    expect(found.map((v) => v.path.join(' -> '))).toEqual(['cli/commands/y.ts -> store/db.ts']);
  });

  it('catches a file circle a → b → a and names its path', () => {
    const found = checkArchitecture([...clean, { from: 'synth/a.ts', to: 'synth/b.ts' }, { from: 'synth/b.ts', to: 'synth/a.ts' }]);
    expect(found.map((v) => v.rule)).toEqual(['no-file-cycle']);
    expect(found[0].path).toEqual(['synth/a.ts', 'synth/b.ts', 'synth/a.ts']);
  });

  it('catches a longer circle and a self import', () => {
    const ring: Edge[] = [
      { from: 'ingest/a.ts', to: 'ingest/b.ts' },
      { from: 'ingest/b.ts', to: 'ingest/c.ts' },
      { from: 'ingest/c.ts', to: 'ingest/a.ts' },
      { from: 'ingest/d.ts', to: 'ingest/d.ts' },
    ];
    const paths = checkArchitecture(ring).map((v) => v.path.join(' -> '));
    expect(paths).toEqual(['ingest/a.ts -> ingest/b.ts -> ingest/c.ts -> ingest/a.ts', 'ingest/d.ts -> ingest/d.ts']);
  });

  it('catches a circle between layers even when no file circle exists', () => {
    const found = checkArchitecture([...clean, { from: 'domain/c.ts', to: 'store/other.ts' }]);
    expect(found.map((v) => v.rule).sort()).toEqual(['domain-imports-nothing', 'no-layer-cycle']);
    expect(found.find((v) => v.rule === 'no-layer-cycle')!.path).toEqual(['domain', 'store', 'domain']);
  });

  it('catches a circle between sibling folders', () => {
    const found = checkArchitecture([
      { from: 'analysis/impact/a.ts', to: 'analysis/stats/b.ts' },
      { from: 'analysis/stats/c.ts', to: 'analysis/impact/d.ts' },
    ]);
    expect(found.map((v) => v.path.join(' -> '))).toEqual(['analysis/impact -> analysis/stats -> analysis/impact']);
  });

  it('lets an allow-listed file circle pass, in any rotation, but not a new one beside it', () => {
    const edges: Edge[] = [
      { from: 'report/a.ts', to: 'report/b.ts' },
      { from: 'report/b.ts', to: 'report/a.ts' },
    ];
    expect(checkArchitecture(edges, { allowedFileCycles: [['report/b.ts', 'report/a.ts']] })).toEqual([]);
    const more = [...edges, { from: 'report/b.ts', to: 'report/c.ts' }, { from: 'report/c.ts', to: 'report/a.ts' }];
    const found = checkArchitecture(more, { allowedFileCycles: [['report/a.ts', 'report/b.ts']] });
    expect(found.map((v) => v.path.join(' -> '))).toEqual(['report/a.ts -> report/b.ts -> report/c.ts -> report/a.ts']);
  });

  it('reads static, re-export, type-only, side-effect and dynamic imports, not comments or packages', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "import {\n  c,\n  type D,\n} from './c.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "export type { G } from './g.js';",
      "import './h.js';",
      "const i = await import('./i.js');",
      "import { z } from 'zod';",
      "// import { no } from './commented.js';",
      "/* import { no } from './block.js'; */",
      "const url = 'http://x/'; // import { no } from './trailing.js';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b.js', './a.js', './c.js', './e.js', './f.js', './g.js', './h.js', './i.js']);
  });
});
