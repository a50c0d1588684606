/**
 * `clout impact --post ID` on the synthetic demo world (seed 1), against its planted truth: the store path builds
 * the daily `book_sales` series around a post with the other books' sales as controls; the planted lift of the
 * largest post lies inside the interval; the celebrity's pitch posts (planted persuasion 0) show no detectable
 * effect. Also prints how the engine's single-post intervals cover the realized caused sales over all the world's
 * book posts — the honest measure of how noisy this world is for one post.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEventSeries, causalImpact, type ImpactResult } from '../../src/analysis/impact/index.js';
import { clout } from '../support/cli.js';
import { demoStore } from '../support/world.js';

interface TruthPost {
  id: string;
  author_id: string;
  topic: string;
  framing: string;
  lift: number;
  caused: number;
}

let world: string;
let db: string;
let posts: TruthPost[];
let created: Map<string, number>;
let start: number;

async function impact(args: string[]): Promise<{ code: number; doc: ImpactResult & { outcome: string; bucket: string; notes: string[] }; stderr: string }> {
  const { code, stdout, stderr } = await clout(['impact', ...args, '--db', db, '--json']);
  return { code, doc: code === 0 ? JSON.parse(stdout) : undefined, stderr };
}

beforeAll(async () => {
  ({ world, db } = await demoStore(1, 'clout-impact-world-'));
  const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { start: string; posts: TruthPost[] };
  posts = truth.posts;
  start = Date.parse(truth.start);
  created = new Map();
  for (const m of readFileSync(join(world, 'posts.csv'), 'utf8').matchAll(/^(p\d+),a\d+,([^,]+),/gm)) created.set(m[1]!, Date.parse(m[2]!));
});

const dayOf = (id: string): number => Math.floor((created.get(id)! - start) / 86_400_000);

describe('clout impact --post on the demo world', () => {
  it('puts the planted lift of the largest post inside the interval', async () => {
    const largest = posts.filter((p) => p.topic === 'book').sort((a, b) => b.lift - a.lift)[0]!;
    // --no-joint: this file checks the single-series engine; test/impact-posts.test.ts checks the joint answer
    const { code, doc, stderr } = await impact(['--post', largest.id, '--no-joint']);
    expect(code, stderr).toBe(0);
    expect(doc.outcome).toBe('book_sales');
    expect(doc.bucket).toBe('day');
    // every other series except the campaign's outcome (`donations`), which an intervention moves
    expect(doc.model!.controls).toEqual(['book_b_sales', 'book_c_sales', 'book_d_sales', 'charity_b_donations', 'charity_c_donations']);
    expect(doc.notes.join(' ')).toMatch(/'donations' \(outcome of campaign cmp_birthday\)/);
    expect(doc.post.end - doc.post.start + 1).toBe(7);
    const c = doc.cumulative!;
    console.log(
      `largest post ${largest.id} (${largest.framing}): planted lift ${largest.lift.toFixed(1)}, realized caused ${largest.caused}; ` +
        `estimated ${c.abs_effect.toFixed(1)} [${c.abs_effect_lower.toFixed(1)}, ${c.abs_effect_upper.toFixed(1)}] over 7 days, p = ${doc.p!.toFixed(3)}`,
    );
    expect(c.abs_effect_lower).toBeLessThanOrEqual(largest.lift);
    expect(c.abs_effect_upper).toBeGreaterThanOrEqual(largest.lift);
    expect(c.abs_effect_lower).toBeLessThanOrEqual(largest.caused);
    expect(c.abs_effect_upper).toBeGreaterThanOrEqual(largest.caused);
  });

  it("finds no detectable effect of the celebrity's pitch posts (planted persuasion 0)", async () => {
    const pitches = posts.filter((p) => p.author_id === 'a0' && p.topic === 'book');
    expect(pitches.every((p) => p.framing === 'pitch' && p.lift === 0 && p.caused === 0)).toBe(true);
    // posts with at least two weeks before them and a full week after (the others cannot be analysed fairly)
    const eligible = pitches.filter((p) => dayOf(p.id) >= 14 && dayOf(p.id) + 7 <= 90);
    expect(eligible.length).toBeGreaterThanOrEqual(4);
    const seenDays = new Set<number>();
    for (const p of eligible) {
      if (seenDays.has(dayOf(p.id))) continue; // two posts on one day have one window
      seenDays.add(dayOf(p.id));
      const { code, doc, stderr } = await impact(['--post', p.id, '--no-joint']);
      expect(code, stderr).toBe(0);
      const c = doc.cumulative!;
      console.log(`celebrity ${p.id}: estimated ${c.abs_effect.toFixed(1)} [${c.abs_effect_lower.toFixed(1)}, ${c.abs_effect_upper.toFixed(1)}], p = ${doc.p!.toFixed(3)}`);
      expect(c.abs_effect_lower).toBeLessThanOrEqual(0); // the 95% interval contains her planted 0
      expect(c.abs_effect_upper).toBeGreaterThanOrEqual(0);
      expect(doc.report).toContain('do not show an effect');
    }
  });

  it("finds the birthday appeal's planted donations in the charity's daily gifts", async () => {
    const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8')) as { campaigns: { planted_total: number }[] };
    const planted = truth.campaigns[0]!.planted_total;
    const { code, doc, stderr } = await impact(['--campaign', 'cmp_birthday']);
    expect(code, stderr).toBe(0);
    expect(doc.outcome).toBe('donations'); // the campaign's own metric series
    expect(doc.model!.controls).not.toContain('donations');
    const c = doc.cumulative!;
    console.log(`campaign: planted ${planted}, estimated ${c.abs_effect.toFixed(0)} [${c.abs_effect_lower.toFixed(0)}, ${c.abs_effect_upper.toFixed(0)}], p = ${doc.p!.toFixed(4)}`);
    expect(c.abs_effect_lower).toBeLessThanOrEqual(planted);
    expect(c.abs_effect_upper).toBeGreaterThanOrEqual(planted);
    expect(doc.p!).toBeLessThan(0.01);
  });

  it('names unknown posts and series', async () => {
    expect((await impact(['--post', 'nope'])).stderr).toMatch(/no post 'nope' in the store/);
    expect((await impact(['--post', 'p325', '--controls', 'tv_ads'])).stderr).toMatch(/no metric series 'tv_ads'/);
  });

  it('reports how well single-post intervals cover the realized caused sales over the whole world', () => {
    const series = new Map<string, { at: number; value: number }[]>();
    for (const line of readFileSync(join(world, 'metrics.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [name, at, value] = line.split(',');
      if (!series.has(name!)) series.set(name!, []);
      series.get(name!)!.push({ at: Date.parse(at!), value: Number(value) });
    }
    let n = 0, covered = 0, nulls = 0, nullFlagged = 0;
    const t0 = performance.now();
    for (const p of posts) {
      if (p.topic !== 'book' || dayOf(p.id) < 14 || dayOf(p.id) + 7 > 90) continue;
      const built = buildEventSeries({
        bucket: 'day',
        eventAt: created.get(p.id)!,
        target: { name: 'book_sales', points: series.get('book_sales')!, emptyIsZero: false },
        controls: ['book_b_sales', 'book_c_sales', 'book_d_sales'].map((name) => ({ name, points: series.get(name)! })),
      });
      const r = causalImpact(built.data, { niter: 300 });
      const c = r.cumulative!;
      n++;
      if (c.abs_effect_lower <= p.caused && p.caused <= c.abs_effect_upper) covered++;
      if (p.lift === 0) {
        nulls++;
        if (c.abs_effect_lower > 0 || c.abs_effect_upper < 0) nullFlagged++;
      }
    }
    console.log(
      `demo world, every book post with ≥ 14 days before and a full week after (${n} posts, ${((performance.now() - t0) / 1000).toFixed(1)} s): ` +
        `95% intervals cover the post's realized caused sales for ${(covered / n).toFixed(3)}; ` +
        `posts with planted lift 0 whose interval excludes 0: ${nullFlagged}/${nulls}`,
    );
    expect(n).toBeGreaterThan(300);
  });
});
