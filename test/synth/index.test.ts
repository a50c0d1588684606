/**
 * The synthetic world: every row validates, same seed → same bytes, and the planted story holds when measured
 * directly from the generated records (no store): last-click credit per post ranks authors like their planted
 * persuasion, followers do not; the celebrity has reach but no book sales; her tribe over-funds her campaign.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { pearson, spearman } from '../../src/analysis/stats/rank.js';
import { KINDS, validateRecord, type Kind } from '../../src/domain/index.js';
import { generateWorld, resolveParams } from '../../src/synth/index.js';

type Row = Record<string, string>;
type World = Record<Kind, Row[]>;

interface Truth {
  seed: number;
  /** First day of the world (ISO date). */
  start: string;
  days: number;
  accounts: { id: string; handle: string; followers: number; tribe: number; persuasion: number; is_author: boolean; role: string }[];
  posts: { id: string; author_id: string; topic: string; framing: string; lift: number; caused: number; donations: number }[];
  edges: { from: string; to: string; p: number }[];
  framing_effects: Record<string, number>;
  daily: { date: string; baseline_mean: number; baseline_sales: number; caused_sales: number; book_sales: number; charity_level: number; charity_donations: number }[];
  sales: { caused_total: number; caused_via_click: number; baseline_total: number; baseline_via_click: number };
  campaigns: { id: string; goal_value: number; planted_total: number; donations: number; share_from_owner_tribe: number; charity_baseline_total?: number }[];
  shoutouts: {
    account_id: string;
    window_days: number;
    eligible: number;
    signups_total: number;
    att: number;
    att_realized: number;
    targets: { id: string; at: string; kind: string; followers: number; posts_before: number; effect: number; extra: number }[];
  };
}

const root = mkdtempSync(join(tmpdir(), 'clout-synth-'));

async function generate(seed: number, name: string, format: 'csv' | 'ndjson' = 'csv', gzip = false): Promise<string> {
  const out = join(root, name);
  await generateWorld({ seed, size: 'demo', out, format, gzip });
  return out;
}

function readWorld(dir: string): World {
  const world = {} as World;
  for (const kind of KINDS) world[kind] = parse(readFileSync(join(dir, `${kind}.csv`)), { columns: true }) as Row[];
  return world;
}

function readTruth(dir: string): Truth {
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
}

function countBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) {
    const k = key(t);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Last-click credit computed from the records alone: sales whose click (human) is on a link of the account's posts. */
function lastClickSales(w: World): Map<string, number> {
  const linkAuthor = new Map(w.links.map((l) => [l.id, l.author_id!]));
  const clickAuthor = new Map<string, string>();
  for (const c of w.clicks) if (c.is_bot !== 'true') clickAuthor.set(c.id, linkAuthor.get(c.link_id!)!);
  return countBy(
    w.conversions.filter((o) => o.type === 'sale' && o.click_id !== ''),
    (o) => clickAuthor.get(o.click_id!),
  );
}

interface Agreement {
  n: number;
  outcomes: number;
  followers: number;
}

/** Spearman of last-click sales per book post, and of followers, with planted persuasion over authors with a book post. */
function agreement(w: World, truth: Truth): Agreement {
  const credit = lastClickSales(w);
  const bookPosts = countBy(truth.posts.filter((p) => p.topic === 'book'), (p) => p.author_id);
  const ids = [...bookPosts.keys()];
  const theta = new Map(truth.accounts.map((a) => [a.id, a.persuasion]));
  const followers = new Map(w.accounts.map((a) => [a.id, Number(a.followers)]));
  const planted = ids.map((id) => theta.get(id)!);
  return {
    n: ids.length,
    outcomes: spearman(ids.map((id) => (credit.get(id) ?? 0) / bookPosts.get(id)!), planted),
    followers: spearman(ids.map((id) => followers.get(id)!), planted),
  };
}

describe('generate: the demo world (seed 7)', () => {
  let dir: string;
  let w: World;
  let truth: Truth;

  beforeAll(async () => {
    dir = await generate(7, 'seed7');
    w = readWorld(dir);
    truth = readTruth(dir);
  });

  it('writes one CSV per kind with the FIELDS header, plus truth.json', () => {
    expect(readdirSync(dir).sort()).toEqual([...KINDS.map((k) => `${k}.csv`), 'truth.json'].sort());
    expect(w.accounts.length).toBe(1000);
    expect(new Set(truth.posts.filter((p) => p.topic === 'book').map((p) => p.author_id)).size).toBeGreaterThanOrEqual(100);
    for (const kind of KINDS) if (kind !== 'codes') expect(w[kind].length, kind).toBeGreaterThan(0); // worlds have no discount codes yet
  });

  it('every row of every file validates against the interchange schema', () => {
    for (const kind of KINDS) {
      for (const [i, row] of w[kind].entries()) {
        const v = validateRecord(kind, row);
        if (!v.ok) throw new Error(`${kind} row ${i + 2}: ${JSON.stringify(v.issues)} ${JSON.stringify(row)}`);
      }
    }
  });

  it('quotes post texts with commas, quotes and line breaks so they survive a CSV parser', () => {
    const texts = w.posts.map((p) => p.text!);
    expect(texts.some((t) => t.includes('\n'))).toBe(true);
    expect(texts.some((t) => t.includes('"'))).toBe(true);
    expect(texts.some((t) => t.includes(','))).toBe(true);
    expect(w.posts.length).toBe(truth.posts.length);
  });

  it('keeps references whole: posts ↔ links, clicks → links, conversions → human clicks', () => {
    const links = new Map(w.links.map((l) => [l.id, l]));
    for (const p of w.posts) if (p.link_id) expect(links.get(p.link_id)!.post_id).toBe(p.id);
    const clicks = new Map(w.clicks.map((c) => [c.id, c]));
    for (const c of w.clicks) expect(links.has(c.link_id!)).toBe(true);
    for (const o of w.conversions) {
      if (!o.click_id) continue;
      const c = clicks.get(o.click_id)!;
      expect(c.is_bot).toBe('false');
      expect(c.link_id).toBe(o.link_id);
      expect(Date.parse(c.at!)).toBeLessThanOrEqual(Date.parse(o.at!));
    }
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = start + truth.days * 86_400_000;
    for (const kind of ['posts', 'clicks', 'conversions', 'interactions'] as const) {
      for (const r of w[kind]) {
        const t = Date.parse((r.created_at ?? r.at)!);
        expect(t >= start && t < end, `${kind} ${r.id} at ${r.created_at ?? r.at}`).toBe(true);
      }
    }
  });

  it('plants the celebrity: most followers (1.4M), θ = 0, only pitch book posts, no caused sales', () => {
    const celeb = w.accounts.find((a) => a.handle === '@celebrity')!;
    expect(Number(celeb.followers)).toBe(1_400_000);
    for (const a of w.accounts) if (a !== celeb) expect(Number(a.followers)).toBeLessThan(1_400_000);
    const t = truth.accounts.find((a) => a.id === celeb.id)!;
    expect(t.persuasion).toBe(0);
    const book = truth.posts.filter((p) => p.author_id === celeb.id && p.topic === 'book');
    expect(book.length).toBeGreaterThan(0);
    expect(book.every((p) => p.framing === 'pitch' && p.caused === 0)).toBe(true);
    const texts = new Map(w.posts.map((p) => [p.id, p.text!]));
    for (const p of book) expect(texts.get(p.id)).toMatch(/^The Art of Connection(, out now)? — https:\/\/\S+$/);
  });

  it('plants small loyal-tribe accounts whose endorsements cause sales', () => {
    const loyal = truth.accounts.filter((a) => a.role === 'loyal');
    expect(loyal.length).toBeGreaterThanOrEqual(5);
    for (const a of loyal) {
      expect(a.followers).toBeGreaterThanOrEqual(300);
      expect(a.followers).toBeLessThanOrEqual(3000);
      expect(a.persuasion).toBeGreaterThan(0);
    }
    const caused = truth.posts.filter((p) => loyal.some((a) => a.id === p.author_id) && p.framing === 'endorsement');
    expect(caused.reduce((s, p) => s + p.caused, 0)).toBeGreaterThan(50);
  });

  it('records lifts as persuasion × framing effect × η, and realized caused counts that sum to the daily truth', () => {
    const theta = new Map(truth.accounts.map((a) => [a.id, a.persuasion]));
    for (const p of truth.posts) {
      if (p.topic !== 'book' || theta.get(p.author_id) === 0) expect(p.lift).toBe(0);
      else expect(p.lift).toBeGreaterThan(0);
    }
    const caused = truth.posts.reduce((s, p) => s + p.caused, 0);
    expect(caused).toBe(truth.sales.caused_total);
    expect(truth.daily.reduce((s, d) => s + d.caused_sales, 0)).toBe(caused);
    // Framing effects are recoverable: endorsements yield more caused sales per unit of author persuasion than pitches.
    const perTheta = (f: string): number => {
      const ps = truth.posts.filter((p) => p.framing === f && p.topic === 'book');
      return ps.reduce((s, p) => s + p.caused, 0) / ps.reduce((s, p) => s + theta.get(p.author_id)!, 0);
    };
    expect(perTheta('endorsement')).toBeGreaterThan(2 * perTheta('pitch'));
  });

  it('click attribution under-counts caused sales and over-credits big accounts', () => {
    // Under-count: some caused sales arrive with no click.
    expect(truth.sales.caused_via_click).toBeLessThan(0.75 * truth.sales.caused_total);
    // Over-credit: baseline buyers who clicked first get credited, and the celebrity (θ = 0) is credited sales.
    expect(truth.sales.baseline_via_click).toBeGreaterThan(0.1 * truth.sales.caused_via_click);
    const credit = lastClickSales(w);
    expect(credit.get('a0') ?? 0).toBeGreaterThan(5);
    const byFollowers = [...truth.accounts].filter((a) => a.is_author).sort((a, b) => b.followers - a.followers);
    const causedViaClickBound = (ids: string[]): number =>
      truth.posts.filter((p) => ids.includes(p.author_id)).reduce((s, p) => s + p.caused, 0);
    const top = byFollowers.slice(0, 10).map((a) => a.id);
    const credited = top.reduce((s, id) => s + (credit.get(id) ?? 0), 0);
    expect(credited).toBeGreaterThan(causedViaClickBound(top)); // more credit than they even caused in total
  });

  it('metrics book_sales equals the daily count of sale conversions', () => {
    const perDay = countBy(w.conversions.filter((o) => o.type === 'sale'), (o) => o.at!.slice(0, 10));
    const series = w.metrics.filter((m) => m.series === 'book_sales');
    expect(series.length).toBe(truth.days);
    for (const m of series) expect(Number(m.value)).toBe(perDay.get(m.at!) ?? 0);
    expect(series.map((m) => Number(m.value))).toEqual(truth.daily.map((d) => d.book_sales));
  });

  it('control series follow the baseline but not the lifts', () => {
    const baseline = truth.daily.map((d) => d.baseline_mean);
    const caused = truth.daily.map((d) => d.caused_sales);
    const sales = w.metrics.filter((m) => m.series === 'book_sales').map((m) => Number(m.value));
    const names = [...new Set(w.metrics.map((m) => m.series!))].filter((s) => s.startsWith('book_') && s !== 'book_sales');
    expect(names).toEqual(['book_b_sales', 'book_c_sales', 'book_d_sales']);
    for (const name of names) {
      const xs = w.metrics.filter((m) => m.series === name).map((m) => Number(m.value));
      expect(pearson(xs, baseline), name).toBeGreaterThan(0.5);
      expect(Math.abs(pearson(xs, caused)), name).toBeLessThan(0.3);
    }
    expect(pearson(sales, caused)).toBeGreaterThan(0.3);
  });

  it("the charity's daily gifts hold the campaign's donations on top of a baseline its controls follow", () => {
    const campaign = truth.campaigns[0]!;
    const values = (name: string) => w.metrics.filter((m) => m.series === name).map((m) => Number(m.value));
    const gifts = values('donations');
    expect(gifts.length).toBe(truth.days);
    const donatedPerDay = new Float64Array(truth.days);
    const start = Date.parse(truth.start);
    for (const o of w.conversions.filter((c) => c.type === 'donation')) {
      donatedPerDay[Math.floor((Date.parse(o.at!) - start) / 86_400_000)]! += Number(o.value);
    }
    const baseline = gifts.map((g, d) => g - donatedPerDay[d]!);
    expect(baseline.every((b) => b > 0)).toBe(true);
    expect(baseline.reduce((a, b) => a + b, 0)).toBe(campaign.charity_baseline_total);
    expect(gifts.reduce((a, b) => a + b, 0)).toBe(campaign.charity_baseline_total! + campaign.planted_total);
    expect(gifts).toEqual(truth.daily.map((d) => d.charity_donations));
    // the baseline and the controls follow the planted level; the controls (larger charities) closely, not the campaign
    const level = truth.daily.map((d) => d.charity_level);
    // each series = scale × level × log-normal day noise: log(series / (scale × level)) has mean ≈ 0 and the planted sd
    const logNoise = (xs: number[], scale: number) => {
      const r = xs.map((x, d) => Math.log(x / (scale * level[d]!)));
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      return { mean, sd: Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1)) };
    };
    const planted = [
      { xs: baseline, scale: 1, sd: 0.12 },
      { xs: values('charity_b_donations'), scale: 6, sd: 0.04 },
      { xs: values('charity_c_donations'), scale: 11, sd: 0.03 },
    ];
    for (const { xs, scale, sd } of planted) {
      const got = logNoise(xs, scale);
      expect(Math.abs(got.mean), `scale ${scale}`).toBeLessThan(sd / 2);
      expect(got.sd, `scale ${scale}`).toBeGreaterThan(sd * 0.7);
      expect(got.sd, `scale ${scale}`).toBeLessThan(sd * 1.3);
      if (scale > 1) expect(Math.abs(pearson(xs, [...donatedPerDay]))).toBeLessThan(0.3); // controls ignore the campaign
    }
  });

  it('clicks grow with followers', () => {
    const linkAuthor = new Map(w.links.map((l) => [l.id, l.author_id!]));
    const clicks = countBy(w.clicks.filter((c) => c.is_bot === 'false'), (c) => linkAuthor.get(c.link_id!));
    const linkPosts = countBy(w.links, (l) => l.author_id);
    const followers = new Map(w.accounts.map((a) => [a.id, Number(a.followers)]));
    const ids = [...linkPosts.keys()];
    const rho = spearman(ids.map((id) => followers.get(id)!), ids.map((id) => (clicks.get(id) ?? 0) / linkPosts.get(id)!));
    expect(rho).toBeGreaterThan(0.5);
    expect(w.clicks.some((c) => c.is_bot === 'true')).toBe(true);
  });

  it('the birthday campaign raises more than its goal, mostly through clicks on campaign links', () => {
    const c = w.campaigns[0]!;
    expect(Number(c.goal_value)).toBe(38_000);
    expect(c.owner_id).toBe('a0');
    const donations = w.conversions.filter((o) => o.type === 'donation');
    expect(donations.every((o) => o.campaign_id === c.id && o.currency === 'USD')).toBe(true);
    const raised = donations.reduce((s, o) => s + Math.round(Number(o.value) * 100), 0) / 100;
    expect(raised).toBe(truth.campaigns[0]!.planted_total);
    expect(raised).toBeGreaterThan(38_000);
    const campaignLinks = new Set(w.links.filter((l) => l.campaign_id === c.id).map((l) => l.id));
    const clicked = donations.filter((o) => o.click_id);
    expect(clicked.length).toBeGreaterThan(0.6 * donations.length);
    expect(clicked.length).toBeLessThan(donations.length);
    expect(clicked.every((o) => campaignLinks.has(o.link_id!))).toBe(true);
    expect(truth.campaigns[0]!.share_from_owner_tribe).toBeGreaterThan(0.7);
  });

  it("plants the celebrity's shout-outs (mentions at the targets' dates, bigger accounts more often) and sign-ups tied to earlier posts", () => {
    const so = truth.shoutouts;
    // a planted shout-out is a mention of the target at its date; an organic one (from a cascade: a repost, quote or
    // mention by her, no planted effect) is listed at the first of them
    const postAuthor = new Map(w.posts.map((p) => [p.id!, p.author_id!]));
    const touches = w.interactions
      .filter((i) => i.actor_id === 'a0' && ['repost', 'quote', 'mention'].includes(i.type!))
      .map((i) => [i.type === 'mention' ? i.target_id : postAuthor.get(i.post_id!), i.created_at]);
    expect(touches.sort()).toEqual(so.targets.map((t) => [t.id, t.at]).sort()); // (no account here has two)
    for (const t of so.targets.filter((x) => x.kind === 'organic')) expect(t.effect).toBe(0);
    expect(so.targets.length).toBeGreaterThanOrEqual(15);
    expect(so.targets.length).toBeLessThan(so.eligible);
    for (const t of so.targets) expect(t.posts_before, t.id).toBeGreaterThan(0);
    // the ATTs are the means over the targets
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(so.att).toBeCloseTo(mean(so.targets.map((t) => t.effect)), 5);
    expect(so.att_realized).toBeCloseTo(mean(so.targets.map((t) => t.extra)), 5);
    // confounded: the shouted-out have more followers than the accounts that post
    const posters = new Set(w.posts.map((p) => p.author_id!));
    const followers = new Map(w.accounts.map((a) => [a.id!, Number(a.followers)]));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(so.targets.map((t) => t.followers))).toBeGreaterThan(2 * median([...posters].filter((a) => a !== 'a0').map((a) => followers.get(a)!)));
    // sign-ups: tied by post_id to a post of a posting account (not the celebrity) made before the sign-up
    const posts = new Map(w.posts.map((p) => [p.id!, p]));
    const signups = w.conversions.filter((o) => o.type === 'signup');
    expect(signups.length).toBe(so.signups_total);
    for (const o of signups) {
      const p = posts.get(o.post_id!)!;
      expect(p.author_id).not.toBe('a0');
      expect(Date.parse(p.created_at!)).toBeLessThan(Date.parse(o.at!));
      expect(o.click_id).toBe('');
    }
    // each planted target's window holds at least its extra sign-ups
    const byAccount = new Map<string, number[]>();
    for (const o of signups) {
      const a = posts.get(o.post_id!)!.author_id!;
      byAccount.set(a, [...(byAccount.get(a) ?? []), Date.parse(o.at!)]);
    }
    for (const t of so.targets) {
      const s = Date.parse(t.at);
      const inWindow = (byAccount.get(t.id) ?? []).filter((x) => x >= s && x < s + so.window_days * 86_400_000).length;
      expect(inWindow, t.id).toBeGreaterThanOrEqual(t.extra);
    }
  });

  it('plants edge probabilities on follow edges (from followee to follower), higher inside a tribe', () => {
    const follows = new Set(w.follows.map((f) => `${f.followee_id}>${f.follower_id}`));
    expect(truth.edges.length).toBe(w.follows.length);
    const tribe = new Map(truth.accounts.map((a) => [a.id, a.tribe]));
    const inside: number[] = [], outside: number[] = [];
    const pMax = resolveParams('demo').cascade.pMax;
    for (const e of truth.edges) {
      expect(follows.has(`${e.from}>${e.to}`)).toBe(true);
      expect(e.p > 0 && e.p <= pMax).toBe(true);
      (tribe.get(e.from) === tribe.get(e.to) ? inside : outside).push(e.p);
    }
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(inside)).toBeGreaterThan(2 * mean(outside));
    expect(inside.length).toBeGreaterThan(outside.length); // most follows stay inside the tribe
    expect(w.interactions.filter((i) => i.type === 'repost' || i.type === 'quote').length).toBeGreaterThan(100);
    expect(w.interactions.filter((i) => i.type === 'like').length).toBeGreaterThan(w.interactions.filter((i) => i.type === 'repost').length);
  });

  it('reported followers correlate with in-degree in the (partial) follow graph', () => {
    const indegree = countBy(w.follows, (f) => f.followee_id);
    const rho = spearman(w.accounts.map((a) => Number(a.followers)), w.accounts.map((a) => indegree.get(a.id!) ?? 0));
    expect(rho).toBeGreaterThan(0.5);
    expect(indegree.get('a0')).toBe(Math.max(...indegree.values())); // the celebrity is the most followed in-graph too
  });
});

describe('generate: determinism and formats', () => {
  it('same seed → byte-identical files; another seed → different files', async () => {
    const a = await generate(11, 'det-a');
    const b = await generate(11, 'det-b');
    const c = await generate(12, 'det-c');
    for (const f of readdirSync(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    expect(readFileSync(join(c, 'clicks.csv')).equals(readFileSync(join(a, 'clicks.csv')))).toBe(false);
  });

  it('writes gzipped NDJSON with the same rows, every one valid', async () => {
    const csv = readWorld(await generate(3, 'fmt-csv'));
    const dir = await generate(3, 'fmt-ndjson', 'ndjson', true);
    for (const kind of KINDS) {
      const lines = gunzipSync(readFileSync(join(dir, `${kind}.ndjson.gz`))).toString('utf8').split('\n').filter((l) => l !== '');
      expect(lines.length, kind).toBe(csv[kind].length);
      if (lines.length === 0) continue; // a kind the world has none of (codes)
      for (const line of lines) {
        const v = validateRecord(kind, JSON.parse(line));
        if (!v.ok) throw new Error(`${kind}: ${JSON.stringify(v.issues)} ${line}`);
      }
      const first = JSON.parse(lines[0]!) as Record<string, unknown>;
      for (const [k, v] of Object.entries(first)) {
        const text = csv[kind][0]![k];
        if (typeof v === 'number') expect(v, `${kind}.${k}`).toBe(Number(text));
        else expect(String(v), `${kind}.${k}`).toBe(text);
      }
    }
    expect(JSON.parse(gunzipSync(readFileSync(join(dir, 'truth.json.gz'))).toString('utf8')).seed).toBe(3);
  });

  it('rejects an unknown size or a bad seed with a usage-class error', async () => {
    await expect(generateWorld({ seed: 1, size: 'huge' as never, out: join(root, 'x') })).rejects.toThrow(/unknown size/);
    await expect(generateWorld({ seed: 1.5, size: 'demo', out: join(root, 'x') })).rejects.toThrow(/seed/);
    await expect(generateWorld({ seed: 1, size: 'demo', out: join(root, 'x'), params: { nope: 1 } as never })).rejects.toThrow(/unknown parameter/);
  });
});

describe('generate: last-click credit agrees with planted persuasion, followers do not', () => {
  for (const seed of [1, 7, 42]) {
    it(`seed ${seed}: ρ(sales per post, θ) ≥ 0.6 and ρ(followers, θ) ≤ 0.3`, async () => {
      const dir = await generate(seed, `agree-${seed}`);
      const a = agreement(readWorld(dir), readTruth(dir));
      expect(a.n).toBeGreaterThanOrEqual(100);
      expect(a.outcomes).toBeGreaterThanOrEqual(0.6);
      expect(a.followers).toBeLessThanOrEqual(0.3);
    });
  }
});
