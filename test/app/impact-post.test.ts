/**
 * `clout impact --post` among neighbouring posts (src/app/impact-post.ts, src/analysis/impact/neighbours.ts):
 * the window's other posts are found exactly (hand-made case) and reported by the command; on the demo world (seed
 * 42) the command's verdict — the outcome model's joint estimate when neighbours overlap — says "moved" for at most
 * 7% of the candidate posts with planted lift 0 (the single-series answer's rate is printed beside it). Power is
 * measured by `npm run check:impact-posts` (bench/impact-posts.ts), which runs every post.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisWindow, causalImpact, overlappingPosts, postVerdict, type JointEstimate } from '../../src/analysis/impact/index.js';
import { fitJointModel, type JointModel } from '../../src/app/impact-post.js';
import { closeStore, openStore, type Store } from '../../src/store/index.js';
import { checkImpactPosts } from '../../bench/impact-posts.js';
import { clout } from '../support/cli.js';
import { demoStore } from '../support/world.js';

const DAY = 86_400_000;

describe('overlapping posts (pure)', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const times = Array.from({ length: 10 }, (_, i) => new Date(t0 + i * DAY).toISOString().slice(0, 10));
  // pre-period days 0–6, post period days 7–9 (the post at day 7, 10:00)
  const window = analysisWindow(times, [0, 6], [7, 9], 'day');
  const posts = [
    { id: 'self', at: t0 + 7 * DAY + 10 * 3_600_000 },
    { id: 'before', at: t0 - 1 }, // before the window
    { id: 'pre1', at: t0 }, // first instant of the window
    { id: 'pre2', at: t0 + 7 * DAY - 1 }, // last instant of the pre-period
    { id: 'post2', at: t0 + 9 * DAY + 5 },
    { id: 'post1', at: t0 + 7 * DAY }, // the event's bucket: post period
    { id: 'after', at: t0 + 10 * DAY }, // the instant the window ends
  ];

  it('splits the other posts in the window by period, in time order', () => {
    expect(window).toEqual({ preStart: t0, postStart: t0 + 7 * DAY, postEnd: t0 + 10 * DAY });
    const o = overlappingPosts(window, posts, 'self', 'link posts');
    expect(o.pre_ids).toEqual(['pre1', 'pre2']);
    expect(o.post_ids).toEqual(['post1', 'post2']);
    expect([o.count, o.pre, o.post]).toEqual([4, 2, 2]);
    expect(overlappingPosts(window, [posts[0]!, posts[1]!], 'self', 'link posts').count).toBe(0);
  });

  it('takes the verdict from the joint estimate when neighbours overlap, else from the single series', () => {
    // a series with a clear step of +10 in the post period: the single series says "moved"
    const y = Float64Array.from({ length: 10 }, (_, i) => 20 + (i >= 7 ? 10 : 0) + ((i * 7) % 3) * 0.3);
    const bsts = causalImpact({ y, controls: [], pre: [0, 6], post: [7, 9], times, target: 'sales' }, { niter: 300, seed: 1 });
    expect(bsts.cumulative!.abs_effect_lower).toBeGreaterThan(0);
    const joint: JointEstimate = {
      model: 'outcome-influence', post: 'self', mean: 0.1, lower: 0, upper: 0.8, level: 0.95, prob_positive: 0.2,
      excludes_zero: false, author_posts: 3, posts_modelled: 7, niter: 100, burn: 20, seed: 1, warnings: [],
    };
    const crowded = overlappingPosts(window, posts, 'self', 'link posts');
    const alone = overlappingPosts(window, [posts[0]!], 'self', 'link posts');
    expect(postVerdict(bsts, joint, crowded)).toMatchObject({ from: 'joint', moved: false });
    expect(postVerdict(bsts, { ...joint, lower: 0.2, excludes_zero: true }, crowded)).toMatchObject({ from: 'joint', moved: true, direction: 'up' });
    expect(postVerdict(bsts, joint, alone)).toMatchObject({ from: 'bsts', moved: true, direction: 'up' });
    expect(postVerdict(bsts, null, crowded)).toMatchObject({ from: 'bsts', moved: true });
    expect(postVerdict(bsts, null, crowded).text).toMatch(/4 other posts overlap the window/);
  });
});

describe('impact --post on the demo world (seed 42)', () => {
  let db: string;
  let world: string;
  let store: Store;
  let model: JointModel;

  beforeAll(async () => {
    ({ db, world } = await demoStore(42, 'clout-impact-posts-'));
    store = await openStore(db);
    model = await fitJointModel(store.conn, ['sale']); // the command's defaults: JOINT_NITER iterations, seed 1, 95%
  });
  afterAll(async () => {
    if (store) await closeStore(store);
  });

  it("says 'moved' for at most 7% of the candidate posts with planted lift 0", async () => {
    const t0 = performance.now();
    // every candidate book post with planted lift 0 that the command accepts; the single-series model with 200 draws
    // (its answer is printed, not asserted) to keep the test under a minute on 2 cores
    const c = await checkImpactPosts(store, join(world, 'truth.json'), { niter: 200, onlyNull: true }, model);
    const seconds = (performance.now() - t0) / 1000;
    const count = (f: (r: (typeof c.rows)[number]) => boolean) => c.rows.filter(f).length;
    console.log(
      `demo seed 42: ${c.nulls} candidate posts with planted lift 0 analysed (${c.refused} refused); 95% interval excludes 0 — ` +
        `single series ${count((r) => r.bsts)} (${(100 * c.fpBsts).toFixed(1)}%), verdict ${count((r) => r.verdict)} ` +
        `(${(100 * c.fpVerdict).toFixed(1)}%; from the joint estimate for ${(100 * c.fromJoint).toFixed(0)}%); ${seconds.toFixed(1)} s`,
    );
    expect(c.nulls).toBeGreaterThanOrEqual(200);
    expect(c.withOverlap).toBeGreaterThan(0.9); // the world's posts are crowded: the situation
    expect(c.fpVerdict).toBeLessThanOrEqual(0.07);
  });

  it('reports the neighbour that falls in a post’s window, and warns in the terminal', async () => {
    // a candidate post with two weeks of data before it whose next candidate post comes within a day
    const posts = model.input.posts;
    const start = model.input.data.startMs;
    const i = posts.findIndex((p, k) => p.at - start >= 14 * DAY && k + 1 < posts.length && posts[k + 1]!.at - p.at < DAY);
    expect(i).toBeGreaterThanOrEqual(0);
    const post = posts[i]!, neighbour = posts[i + 1]!;
    const { code, stdout, stderr } = await clout(['impact', '--post', post.id, '--db', db, '--json', '--joint-niter', '100']);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.overlapping_posts.post_ids).toContain(neighbour.id);
    expect(doc.overlapping_posts.post_ids).not.toContain(post.id);
    expect(doc.overlapping_posts.count).toBe(doc.overlapping_posts.pre + doc.overlapping_posts.post);
    expect(doc.overlapping_posts.warning).toMatch(/other posts? of this outcome/);
    expect(doc.joint).toMatchObject({ model: 'outcome-influence', post: post.id, niter: 100, level: 0.95 });
    expect(doc.verdict_from).toBe('joint');
    // the single-series fields are still there, as before
    expect(doc.cumulative.abs_effect).toEqual(expect.any(Number));
    expect(doc.p).toEqual(expect.any(Number));

    const text = await clout(['impact', '--post', post.id, '--db', db, '--no-joint']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/warning: \d+ other posts? of this outcome/);
    expect(text.stdout).toContain(`${doc.overlapping_posts.count} other posts`);
    expect(text.stdout).toContain(doc.overlapping_posts.post_ids[0]); // the first neighbours are named
    expect(text.stdout).toMatch(/Verdict \(from the single series\)/);
  });
});
