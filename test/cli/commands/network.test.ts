/**
 * `clout network metrics` and `clout network tribes` in-process, over a hand-made store (test/fixtures/network/world)
 * whose answers are worked out by hand (and PageRank by networkx, in reference.json), and over `--edges` files:
 * header detection, weights, and one-line errors with file and line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../src/ingest/index.js';
import { closeStore, openStore } from '../../../src/store/index.js';
import { storeGraph } from '../../../src/app/network.js';
import { readEdgeList } from '../../../src/ingest/edge-list.js';
import { clout } from '../../support/cli.js';
import { TEST_DIR } from '../../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-network-cli-'));
const db = join(dir, 'store.duckdb');
const WORLD = join(TEST_DIR, 'fixtures', 'network', 'world');
const REF = JSON.parse(readFileSync(join(TEST_DIR, 'fixtures', 'network', 'reference.json'), 'utf8')) as {
  directed: { name: string; pagerank: Record<string, number>; pagerank_tight: Record<string, number>; core: Record<string, number> }[];
};

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  const store = await openStore(db);
  try {
    const summary = await importPaths(store, [WORLD], { rejectsPath: join(dir, 'rejects.ndjson') });
    expect(summary.rejected_total).toBe(0);
  } finally {
    await closeStore(store);
  }
});

describe('network metrics over the store', () => {
  let accounts: Record<string, Record<string, unknown>>;
  let doc: { nodes: number; edges: number; accounts: Record<string, unknown>[]; pagerank: { converged: boolean } };
  beforeAll(async () => {
    const r = await clout(['network', 'metrics', '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    doc = JSON.parse(r.stdout);
    accounts = Object.fromEntries(doc.accounts.map((a) => [a.id as string, a]));
  });

  it('reads the follow graph (follower → followee) with every account as a node', () => {
    expect(doc.nodes).toBe(8);
    expect(doc.edges).toBe(10);
    expect(accounts.ann).toMatchObject({ followers: 4, following: 1, reported_followers: 1000 });
    expect(accounts.bob).toMatchObject({ followers: 3, following: 1, reported_followers: 500 });
    expect(accounts.bea).toMatchObject({ followers: 0, following: 2, reported_followers: null });
  });

  it('gives networkx PageRank and core numbers, accounts ordered by PageRank', () => {
    const ref = REF.directed.find((d) => d.name === 'world_follows')!;
    for (const [id, pr] of Object.entries(ref.pagerank)) expect(Math.abs((accounts[id]!.pagerank as number) - pr)).toBeLessThanOrEqual(1e-6);
    for (const [id, k] of Object.entries(ref.core)) expect(accounts[id]!.core).toBe(k);
    expect(doc.accounts.map((a) => a.id).slice(0, 3)).toEqual(['ann', 'amy', 'bob']);
    expect(doc.accounts[0]!.pagerank_rank).toBe(1);
    expect(doc.pagerank.converged).toBe(true);
  });

  it('counts what each account received per post (Cha et al.) and the engagement rate (hand-worked)', () => {
    // ann's p1: reposts by amy, abe, ari; reply by abe; mention by ari; likes by ari and bob (her own like and a view
    // do not count). Engagement = 7 interactions / 1 post / 1000 reported followers.
    expect(accounts.ann).toMatchObject({ posts: 1, reposts_per_post: 3, replies_per_post: 1, mentions_per_post: 1 });
    expect(accounts.ann!.engagement_rate).toBeCloseTo(0.007, 12);
    // bob's p2: reposts by ben, bea + quote by bud = 3; reply by ben; mention by bea; like by bud → 6 / 1 / 500.
    expect(accounts.bob).toMatchObject({ posts: 1, reposts_per_post: 3, replies_per_post: 1, mentions_per_post: 1 });
    expect(accounts.bob!.engagement_rate).toBeCloseTo(6 / 500, 12);
    // amy's p3: a repost by ann and a like by abe; no reported followers → 2 follow-graph followers.
    expect(accounts.amy!.engagement_rate).toBeCloseTo(2 / 1 / 2, 12);
    expect(accounts.abe).toMatchObject({ posts: 0, reposts_per_post: null, engagement_rate: null });
  });

  it('takes a tighter PageRank tolerance with --tol (networkx at tol 1e-13 within 1e-10)', async () => {
    const r = await clout(['network', 'metrics', '--db', db, '--json', '--tol', '1e-13']);
    expect(r.code).toBe(0);
    const tight = JSON.parse(r.stdout);
    expect(tight.pagerank.tol).toBe(1e-13);
    const ref = REF.directed.find((d) => d.name === 'world_follows')!;
    for (const a of tight.accounts) expect(Math.abs(a.pagerank - ref.pagerank_tight[a.id]!)).toBeLessThanOrEqual(1e-10);
    expect((await clout(['network', 'metrics', '--db', db, '--tol', '0'])).code).toBe(2);
  });

  it('prints an aligned table of the top N', async () => {
    const r = await clout(['network', 'metrics', '--db', db, '--top', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/8 accounts, 10 follow edges; PageRank converged/);
    expect(lines[2]).toMatch(/^#\s+account\s+pagerank ×10⁻¹\s+followers/); // 4 significant digits, scaled
    expect(lines).toHaveLength(6); // summary, blank, header, rule, 2 rows
    expect(lines[4]).toMatch(/^1\s+@?ann\s+\d\.\d{3}\s/);
  });
});

describe('network tribes over the store', () => {
  let first = '';
  it('finds the two hand-made tribes with their core, density and credited outcomes', async () => {
    const r = await clout(['network', 'tribes', '--db', db, '--graph', 'interactions', '--json', '--account', 'ann,bob,bud']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    first = r.stdout;
    const doc = JSON.parse(r.stdout);
    expect(doc.communities).toHaveLength(2);
    const byMember = (id: string) => doc.communities.find((c: { members: string[] }) => c.members.includes(id));
    const a = byMember('ann'), b = byMember('bob');
    expect([...a.members].sort()).toEqual(['abe', 'amy', 'ann', 'ari']);
    expect([...b.members].sort()).toEqual(['bea', 'ben', 'bob', 'bud']);
    // A: ann–amy 3+3, ann–abe 3+2, ann–ari 1+3+2, amy–abe 1 → 18; pairs 4 of 6. Core: ann alone carries 17 of 36.
    expect(a).toMatchObject({ size: 4, internal_weight: 18, internal_density: 4 / 6 });
    expect(a.core_members).toEqual(['ann', 'amy']);
    expect(b).toMatchObject({ size: 4, internal_weight: 14, internal_density: 3 / 6, core_members: ['bob'] });
    // Conversions by post id: p1 (ann) 20 USD and p3 (amy) 15 USD; p2 (bob) a 10 USD donation.
    expect(a).toMatchObject({ posts: 2, conversions: 2, conversion_rate: 1, value: { USD: 35 } });
    expect(b).toMatchObject({ posts: 1, conversions: 1, conversion_rate: 1, value: { USD: 10 } });
    // Q by hand: total weight 33; A degree 36+1, B degree 28+1.
    const m = 33;
    expect(doc.modularity).toBeCloseTo(18 / m - (37 / (2 * m)) ** 2 + 14 / m - (29 / (2 * m)) ** 2, 12);
    // ann's repeat engagers: abe (2) and ari (3); bob's: ben, bea, bud (2 each); bud has none.
    const acc = Object.fromEntries(doc.accounts.map((x: { id: string }) => [x.id, x]));
    expect(acc.ann).toMatchObject({ tribe: a.id, repeat_engagers: 2, repeat_engagers_in_tribe: 2 });
    expect(acc.bob).toMatchObject({ tribe: b.id, repeat_engagers: 3, repeat_engagers_in_tribe: 3 });
    expect(acc.bud).toMatchObject({ tribe: null, community: b.id, repeat_engagers: 0 });
  });

  it('is reproducible for a seed and prints a table', async () => {
    const again = await clout(['network', 'tribes', '--db', db, '--graph', 'interactions', '--json', '--account', 'ann,bob,bud', '--seed', '1']);
    expect(again.stdout).toBe(first);
    // the default graph is the social one: the follows join the interactions, so the tribes weigh more
    const social = JSON.parse((await clout(['network', 'tribes', '--db', db, '--json'])).stdout);
    const onlyInteractions = JSON.parse(first);
    const weight = (d: { communities: { internal_weight: number }[] }) => d.communities.reduce((s, c) => s + c.internal_weight, 0);
    expect(weight(social)).toBeGreaterThan(weight(onlyInteractions));
    const t = await clout(['network', 'tribes', '--db', db]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/2 communities \(2 of size ≥ 2\), modularity 0\.\d{4} at resolution 1/);
    expect(t.stdout).toMatch(/35\.00 USD/);
  });
});

describe('--edges FILE', () => {
  it('reads source,target[,weight] with or without a header; repeated edges add up', () => {
    const g1 = readEdgeList(file('e1.csv', 'source,target,weight\na,b,2\nb,c,1.5\na,b,1\n\n# note\nc,a,1\n'));
    expect(g1.n).toBe(3);
    expect(g1.m).toBe(3);
    const ab = g1.outOffsets[g1.index.get('a')!]!;
    expect(g1.outWeights![ab]).toBe(3);
    const g2 = readEdgeList(file('e2.csv', 'x,y\r\ny,z\r\n"z,q",x'.replace('"z,q"', 'z')));
    expect(g2.n).toBe(3);
    expect(g2.outWeights).toBeNull();
    const g3 = readEdgeList(file('e3.csv', 'follower_id,followee_id\nu,v'));
    expect(g3.ids).toEqual(['u', 'v']);
  });

  it('gives the same metrics from an edge list as from the store', async () => {
    const lines = readFileSync(join(WORLD, 'follows.csv'), 'utf8').trim().split('\n');
    const path = file('follows-edges.csv', lines.join('\n') + '\n');
    const r = await clout(['network', 'metrics', '--edges', path, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.source).toBe('edges');
    const ref = REF.directed.find((d) => d.name === 'world_follows')!;
    // Accounts without follows (none here) would be missing from an edge list; every account here has one.
    for (const a of doc.accounts) expect(Math.abs(a.pagerank - ref.pagerank[a.id]!)).toBeLessThanOrEqual(1e-6);
  });

  it('finds tribes in an edge list (no interaction counts there, so no repeat engagers)', async () => {
    const path = file('tri.csv', 'a,b,2\nb,c,2\nc,a,2\nd,e,2\ne,f,2\nf,d,2\nc,d,1\n');
    const r = await clout(['network', 'tribes', '--edges', path, '--json', '--account', 'a']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ source: 'edges', max_iterations: 20 });
    expect(doc.communities.map((c: { members: string[] }) => [...c.members].sort())).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
    expect(doc.communities[0].posts).toBeUndefined();
    expect(doc.accounts).toEqual([{ id: 'a', tribe: null, community: 0, repeat_engagers: 0, repeat_engagers_in_tribe: 0 }]);
    const unknown = await clout(['network', 'tribes', '--edges', path, '--account', 'zz']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--account zz: no such account/);
  });

  it('names the file and line of a bad row, and exits 2 on usage errors', async () => {
    expect(() => readEdgeList(file('bad1.csv', 'a,b\nc\n'))).toThrow(/bad1\.csv:2: expected source,target\[,weight\]; got 1 field/);
    expect(() => readEdgeList(file('bad2.csv', 'a,b,1\nc,d,heavy\n'))).toThrow(/bad2\.csv:2: weight must be a number > 0, got 'heavy'/);
    expect(() => readEdgeList(file('bad3.csv', 'a,b,1\nc,d,-1\n'))).toThrow(/bad3\.csv:2: weight must be a number > 0/);
    expect(() => readEdgeList(file('bad4.csv', 'a,b\n,d\n'))).toThrow(/bad4\.csv:2: empty source id/);
    expect(() => readEdgeList(file('bad5.csv', 'source,target\n'))).toThrow(/no edges/);
    const both = await clout(['network', 'metrics', '--db', db, '--edges', join(dir, 'e1.csv')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --db or --edges/);
    const missing = await clout(['network', 'tribes', '--edges', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const noStore = await clout(['network', 'metrics', '--db', join(dir, 'none.duckdb')]);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/no store at/);
    const badRes = await clout(['network', 'tribes', '--db', db, '--resolution', '0']);
    expect(badRes.code).toBe(2);
    expect((await clout(['network', 'tribes', '--edges', join(dir, 'e1.csv'), '--max-iterations', '0'])).code).toBe(2);
  });

  it('streams the same graph from the store as the edge list', async () => {
    const store = await openStore(db);
    try {
      const g = await storeGraph(store.conn, 'interactions');
      expect(g.outWeights).not.toBeNull();
      const w = (s: string, t: string) => {
        const u = g.index.get(s)!, v = g.index.get(t)!;
        for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) if (g.outTargets[e] === v) return g.outWeights![e]!;
        return 0;
      };
      expect(w('ari', 'ann')).toBe(6); // like 1 + repost 3 + mention 2
      expect(w('abe', 'amy')).toBe(1);
      expect(w('ann', 'ann')).toBe(0); // her own like is not an edge
      expect(w('bud', 'bob')).toBe(4); // like 1 + quote 3; the view is not an edge
      expect(g.m).toBe(9);
    } finally {
      await closeStore(store);
    }
  });
});
