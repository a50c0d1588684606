/** The four spread commands end to end on the demo world, in-process through runCli: JSON shapes, flags, errors. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../src/ingest/index.js';
import { closeStore, openStore } from '../../../src/store/index.js';
import { clout } from '../../support/cli.js';
import { demoStore } from '../../support/world.js';

let dir: string;
let db: string;

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  ({ dir, db } = await demoStore(2, 'clout-spread-cli-'));
});

describe('the spread commands', () => {
  it('network cascades --json', async () => {
    const r = await clout(['network', 'cascades', '--db', db, '--top', '5', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.cascades).toHaveLength(5);
    expect(Object.keys(doc.cascades[0]).sort()).toEqual(['depth', 'max_breadth', 'post_id', 'size', 'structural_virality', 'time_to_half_s']);
    expect(doc.cascades[0].size).toBeGreaterThanOrEqual(doc.cascades[4].size);
    const one = await clout(['network', 'cascades', '--db', db, '--post', doc.cascades[0].post_id, '--json']);
    expect(JSON.parse(one.stdout).cascades).toEqual([doc.cascades[0]]);
    const missing = await clout(['network', 'cascades', '--db', db, '--post', 'nope']);
    expect(missing.code).toBe(1);
  });

  it('network contagion --json', async () => {
    const r = await clout(['network', 'contagion', '--db', db, '--shuffles', '20', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const key of ['curve', 'stickiness', 'persistence', 'shuffle_p', 'reversal_p']) expect(doc).toHaveProperty(key);
    expect(Object.keys(doc.curve[0]).sort()).toEqual(['adopted', 'exposed', 'k', 'lower', 'p', 'upper']);
    expect(doc.shuffle_p).toBeCloseTo(1 / 21, 10);
  });

  it('network probabilities --json', async () => {
    const r = await clout(['network', 'probabilities', '--db', db, '--method', 'bernoulli', '--min-trials', '10', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.edges.length).toBeGreaterThan(50);
    expect(Object.keys(doc.edges[0]).sort()).toEqual(['p', 'source', 'target', 'trials']);
    expect(doc.edges.every((e: { trials: number; p: number }) => e.trials >= 10 && e.p >= 0 && e.p <= 1)).toBe(true);
  });

  it('network plan --json: spread inside the Monte-Carlo interval', async () => {
    for (const model of ['ic', 'lt']) {
      const r = await clout(['network', 'plan', '--db', db, '--k', '10', '--model', model, '--mc', model === 'ic' ? '2000' : '500', '--json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.seeds).toHaveLength(10);
      expect(doc.spread).toBeGreaterThanOrEqual(doc.spread_lower);
      expect(doc.spread).toBeLessThanOrEqual(doc.spread_upper);
    }
    const learned = await clout(['network', 'plan', '--db', db, '--k', '5', '--probabilities', 'learned', '--method', 'bernoulli', '--mc', '500', '--spread-sets', '100000', '--json']);
    expect(learned.code).toBe(0);
    expect(JSON.parse(learned.stdout).seeds).toHaveLength(5);
    expect((await clout(['network', 'plan', '--db', db])).code).toBe(2);
  });

  it('network contagion --item purchases: sales by customers who are accounts, per link', async () => {
    // a buys first; b follows a and buys next (k = 1); c follows a and b and buys last (k = 2); d follows a, never buys.
    const hand = join(dir, 'hand');
    mkdirSync(hand, { recursive: true });
    writeFileSync(join(hand, 'accounts.csv'), 'id\na\nb\nc\nd\n');
    writeFileSync(join(hand, 'follows.csv'), 'follower_id,followee_id\nb,a\nc,a\nc,b\nd,a\n');
    writeFileSync(join(hand, 'links.csv'), 'id,url\nl1,https://shop.example.com/book\n');
    writeFileSync(join(hand, 'conversions.csv'),
      'id,at,type,value,currency,customer_id,link_id\n' +
      'o1,2026-01-01T10:00:00Z,sale,10,USD,a,l1\no2,2026-01-01T12:00:00Z,sale,10,USD,b,l1\n' +
      'o3,2026-01-02T12:00:00Z,sale,10,USD,c,l1\no4,2026-01-02T13:00:00Z,sale,10,USD,zz,l1\n');
    const handDb = join(dir, 'hand.duckdb');
    const s = await openStore(handDb);
    await importPaths(s, [hand], { rejectsPath: join(dir, 'hand-rejects.ndjson') });
    await closeStore(s);
    const r = await clout(['network', 'contagion', '--db', handDb, '--item', 'purchases', '--shuffles', '10', '--min-exposed', '1', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ item: 'purchases', items: 1, adoptions: 3, unexposed_adoptions: 1 });
    expect(doc.curve.map((p: { k: number; exposed: number; adopted: number }) => [p.k, p.exposed, p.adopted])).toEqual([[1, 3, 1], [2, 1, 1]]);
    const none = await clout(['network', 'contagion', '--db', db, '--item', 'purchases']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no purchases by accounts/);
  });

  it('network plan --edges FILE: any graph, read as follower → followee', async () => {
    // A hub followed by everyone, and a second account followed by three: asking both reaches all.
    const file = join(dir, 'edges.csv');
    writeFileSync(file, 'source,target\n' + ['b', 'c', 'd', 'e', 'f'].map((x) => `${x},hub`).join('\n') + '\nc,two\nd,two\ne,two\n');
    const r = await clout(['network', 'plan', '--edges', file, '--k', '2', '--mc', '2000', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.seeds).toEqual(['hub', 'two']);
    expect(doc).toMatchObject({ nodes: 7, edges: 8 });
    const bad = await clout(['network', 'plan', '--edges', file, '--k', '2', '--probabilities', 'learned']);
    expect(bad.code).toBe(2);
  });
});

