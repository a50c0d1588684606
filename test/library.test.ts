// The package as a user gets it: `npm pack` (which builds, via `prepare`), install the tarball into an empty
// project, and run docs/library.md's examples against `import … from 'clout'` — on this Node and on Node 24.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Under Node 24 itself the examples already run on 24; under another Node they run there and on 24 (npx node@24).
const NODE24 = process.env.CLOUT_LIBRARY_NODE24 !== '0' && !process.version.startsWith('v24.');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** The fenced ```js blocks of a markdown file, each named by the `<!-- example: name -->` marker before it. */
function extractExamples(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markdown.matchAll(/<!--\s*example:\s*([\w-]+)\s*-->\s*```js\n([\s\S]*?)```/g)) out.set(m[1], m[2]);
  return out;
}

/** The JSON document on an example's last printed line. */
function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

const examples = extractExamples(readFileSync(join(ROOT, 'docs/library.md'), 'utf8'));
let work = '';
let project = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'clout-library-'));
  const packed = await run(npm, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 << 20 });
  const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'clout-library-user', private: true, type: 'module' }));
  const install = (mode: string) => run(npm, ['install', '--no-audit', '--no-fund', mode, tarball], { cwd: project, maxBuffer: 64 << 20 });
  try {
    await install('--offline');
  } catch (e) {
    // Offline needs every dependency in the npm cache (there after `npm ci`); otherwise let npm fetch what's missing.
    console.warn(`npm install --offline failed (${(e as Error).message.split('\n')[0]}); retrying with --prefer-offline`);
    await install('--prefer-offline');
  }
  for (const [name, code] of examples) writeFileSync(join(project, `${name}.mjs`), code);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const runtimes: [string, (file: string) => Promise<{ stdout: string }>][] = [
  [`node ${process.version}`, (file) => run(process.execPath, [file], { cwd: project, maxBuffer: 64 << 20 })],
];
if (NODE24) runtimes.push(['node 24', (file) => run(npx, ['-y', '-p', 'node@24', 'node', file], { cwd: project, maxBuffer: 64 << 20 })]);

describe('docs/library.md', () => {
  it('has the three examples', () => {
    expect([...examples.keys()]).toEqual(['impact', 'pagerank', 'report']);
  });
});

describe.each(runtimes)('the packed library on %s', (_name, node) => {
  it('is typed: the package names its declarations and they exist in the tarball', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules/clout/package.json'), 'utf8')) as {
      exports: { '.': { types: string; import: string } };
    };
    expect(pkg.exports['.']).toEqual({ types: './dist/src/index.d.ts', import: './dist/src/index.js' });
    const dts = readFileSync(join(project, 'node_modules/clout', pkg.exports['.'].types), 'utf8');
    for (const name of ['causalImpact', 'pagerank', 'outcomeInfluence', 'openStore', 'closeStore', 'report', 'REPORT_OPTIONS', 'parseOptions', 'generateWorld', 'importPaths', 'CloutError']) {
      expect(dts).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('impact: the cumulative effect interval contains the planted effect (300)', async () => {
    const { stdout } = await node(join(project, 'impact.mjs'));
    const r = lastJson(stdout) as { effect: number; lower: number; upper: number; p: number };
    expect(r.lower).toBeLessThan(300);
    expect(r.upper).toBeGreaterThan(300);
    expect(r.lower).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(0.05);
  }, 180_000);

  it('pagerank: the ranks sum to 1 and the most followed account leads', async () => {
    const { stdout } = await node(join(project, 'pagerank.mjs'));
    const r = lastJson(stdout) as { sum: number; top: string };
    expect(Math.abs(r.sum - 1)).toBeLessThan(1e-6);
    expect(r.top).toBe('ann');
    const ranks = stdout.split('\n').filter((l) => /^\w+\s+0\.\d+$/.test(l)).map((l) => Number(l.trim().split(/\s+/)[1]));
    expect(ranks).toHaveLength(6);
    expect(Math.abs(ranks.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5); // printed to 6 decimals
  }, 180_000);

  it('report: a world generated, imported and reported, top accounts printed in rank order', async () => {
    const { stdout } = await node(join(project, 'report.mjs'));
    expect(stdout).toMatch(/^generated \d+ files$/m);
    expect(stdout).toMatch(/^imported [1-9]\d* rows \(0 rejected\)$/m);
    const r = lastJson(stdout) as { accounts: number; top: { id: string; rank: number; conversions: number; value: number }[] };
    expect(r.accounts).toBeGreaterThan(10);
    expect(r.top).toHaveLength(5);
    expect(r.top.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const a of r.top) expect(a.conversions).toBeGreaterThan(0);
  }, 300_000);
});
