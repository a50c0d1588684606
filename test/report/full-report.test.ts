/**
 * The whole report's document builder (pure) on a hand-made input: the last-touch fields kept, outcome influence per
 * account (null where the model did not look), posts, framing, the fallacy table, tribes with hand-summed conversion,
 * `--no-model`, a store without candidate posts, the within-author framing effects on clicks and conversions (a
 * hand-solved case, and the cases with too little data: empty rows and a warning) — and the terminal and HTML
 * renderers reading it.
 */
import { describe, expect, it } from 'vitest';
import { FRAMINGS } from '../../src/analysis/content/framing.js';
import type { FramingPost } from '../../src/analysis/content/framing-effects.js';
import type { OutcomeInfluenceData, OutcomeInfluenceResult } from '../../src/analysis/influence/outcome-model.js';
import { graphFromEdges, type ReceivedCounts } from '../../src/analysis/network/index.js';
import { CloutError } from '../../src/domain/index.js';
import {
  HTML_SECTIONS,
  buildFullReport,
  buildCreditReport,
  renderReportHtml,
  renderReportText,
  type FullReport,
  type FullReportInput,
  type FullReportOptions,
  type FramingInput,
  type CreditReportInput,
} from '../../src/report/index.js';
import type { OutcomeInfluenceInput, OutcomeInfluenceSources } from '../../src/report/index.js';
import type { AccountActivityRow } from '../../src/domain/index.js';

function activity(id: string, followers: number, posts: number, clicks: number, handle = `@${id}`): AccountActivityRow {
  return { id, handle, followers, followers_source: 'reported', posts, link_posts: posts, clicks, bot_clicks: 0 };
}

function reportInput(smallHandle = '@small'): CreditReportInput {
  return {
    activity: [activity('big', 1_000_000, 10, 5000), activity('mid', 10_000, 4, 300), activity('small', 1_000, 2, 40, smallHandle), activity('quiet', 500, 1, 0)],
    credit: [
      { account_id: 'big', type: 'sale', currency: 'USD', conversions: 10, value_minor: 10_000 },
      { account_id: 'mid', type: 'sale', currency: 'USD', conversions: 12, value_minor: 12_000 },
      { account_id: 'small', type: 'sale', currency: 'USD', conversions: 9, value_minor: 9_050 },
    ],
    totals: { conversions: 40, credited: 31, tied_by: { click: 31, link: 0, post: 0, code: 0, utm: 0, none: 9 } },
    campaigns: [
      { id: 'bday', name: 'Birthday', owner_id: 'big', goal_minor: 3_800_000, currency: 'USD', starts_at: null, ends_at: null, raised_minor: 3_955_100, conversions: 800, contributors: 790 },
    ],
    campaignCredit: [{ campaign_id: 'bday', account_id: 'big', conversions: 700, value_minor: 3_500_000 }],
  };
}

const POSTS = [
  { id: 'p1', author_id: 'big', framing: 'pitch', text: 'The Book — https://x.example/1' },
  { id: 'p2', author_id: 'big', framing: 'pitch', text: 'The Book — https://x.example/2' },
  { id: 'p3', author_id: 'mid', framing: 'endorsement', text: 'WOW! This book amazes me' },
  { id: 'p4', author_id: 'small', framing: 'endorsement', text: 'I loved it </script><script>window.__pwned = 1</script>' },
  { id: 'p5', author_id: 'small', framing: 'bare_link', text: 'https://x.example/5' },
] as const;
const AUTHORS = ['big', 'mid', 'small'];

function influenceInput(posts: readonly (typeof POSTS)[number][] = POSTS): OutcomeInfluenceInput {
  const framings = [...FRAMINGS];
  const data: OutcomeInfluenceData = {
    binMs: 6 * 3_600_000,
    startMs: Date.UTC(2026, 0, 5),
    nBins: 1,
    unclicked: new Float64Array(1),
    baselineX: Float64Array.of(1),
    postTime: Float64Array.from(posts.map((_, i) => Date.UTC(2026, 0, 5) + i * 3_600_000)),
    postAuthor: Int32Array.from(posts.map((p) => AUTHORS.indexOf(p.author_id))),
    postFraming: Int32Array.from(posts.map((p) => framings.indexOf(p.framing))),
    nAuthors: posts.length > 0 ? AUTHORS.length : 0,
    framings,
    referenceFraming: 0,
    clickedBin: new Int32Array(0),
    clickedPost: new Int32Array(0),
    clickedCount: new Float64Array(0),
    clickedShare: new Float64Array(0),
    clickBin: new Uint8Array(1),
  };
  return {
    data,
    posts: posts.map((p, i) => ({ id: p.id, author_id: p.author_id, at: data.postTime[i]!, text: p.text, followers: 0, framing: p.framing, framing_reason: `because ${p.framing}` })),
    authors: posts.length > 0 ? AUTHORS : [],
    controls: [],
    outcomes: 37,
    series: null,
  };
}

const iv = (mean: number, lower: number, upper: number) => ({ mean, lower, upper });

function fit(extra: Record<string, unknown> = {}): OutcomeInfluenceResult {
  return {
    level: 0.9,
    kept: 800,
    posts: [iv(0.1, 0, 0.5), iv(0.3, 0, 0.9), iv(4, 2, 6), iv(6, 3, 9), iv(2, 1, 3)],
    authors: [
      { ...iv(0.2, 0, 0.7), prob_positive: 0.4, posts: 2, timing_share: 1, isolated_share: 0 },
      { ...iv(4, 2, 6), prob_positive: 1, posts: 1, timing_share: 0.25, isolated_share: 1 },
      { ...iv(5, 2.5, 7.5), prob_positive: 0.99, posts: 2, timing_share: 0.4, isolated_share: 0.5 },
    ],
    framing: [
      { framing: 'pitch', posts: 2, ...iv(1, 1, 1) },
      { framing: 'endorsement', posts: 2, ...iv(3, 1.5, 5) },
      { framing: 'bare_link', posts: 1, ...iv(1.5, 0.5, 3) },
      { framing: 'other', posts: 0, ...iv(1, 0.2, 4) },
    ],
    share_caused: iv(0.3, 0.2, 0.4),
    click_given_caused: iv(0.6, 0.5, 0.7),
    click_given_baseline: iv(0.05, 0.03, 0.07),
    ties: [{ kind: 'click', tied: 3, given_caused: iv(0.6, 0.5, 0.7), given_baseline: iv(0.05, 0.03, 0.07), share: 'given', diagnostics: { given_caused: { rhat: 1, ess: 400 }, given_baseline: { rhat: 1, ess: 400 } } }],
    kernel_mean_hours: { ...iv(24, 24, 24), learned: false },
    ...extra,
  } as OutcomeInfluenceResult;
}

const received = (posts: number, reposts: number): ReceivedCounts => ({ reported_followers: null, reported_following: null, posts, reposts, quotes: 0, replies: 0, likes: 0, mentions: 0 });

function sources(input: OutcomeInfluenceInput = influenceInput()): OutcomeInfluenceSources {
  return {
    types: ['sale'],
    candidates: 'outside_campaigns',
    input,
    report: reportInput(),
    follows: graphFromEdges([['f1', 'big'], ['f2', 'big'], ['g1', 'small'], ['mid', 'big'], ['quiet', 'small']]),
    received: new Map([['big', received(10, 50)], ['mid', received(4, 4)], ['small', received(2, 1)]]),
  };
}

/** Two cliques joined by one weak edge: {big, mid, f1, f2} and {small, quiet, g1, g2}. */
function socialGraph() {
  const a = ['big', 'mid', 'f1', 'f2'], b = ['small', 'quiet', 'g1', 'g2'];
  const edges: [string, string, number][] = [];
  for (const clique of [a, b]) for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) edges.push([clique[i]!, clique[j]!, 3]);
  edges.push(['big', 'small', 0.1]);
  return graphFromEdges(edges);
}

const OPTIONS: FullReportOptions = { types: ['sale'], rankBy: 'conversions_per_post', model: true, niter: 500, seed: 1 };

/**
 * Two authors, each with a pitch and an endorsement post; the audience is constant within an author, so it cancels.
 * Clicks: mid 10 → 10, small 10 → 30. Within author the endorsement's share of an author's clicks is r / (1 + r) for
 * multiplier r, and the conditional MLE pools the shares: 40 / 60 = 2/3, so r = 2 exactly. Its jackknife by hand
 * (one Newton step per left-out author, β = log r): scores at the MLE 10 − 20·2/3 = −10/3 and 30 − 40·2/3 = 10/3,
 * informations 20·2/9 and 40·2/9; steps (80/9)⁻¹(−10/3) = −3/8 and (40/9)⁻¹(10/3) = 3/4; variance
 * (1/2)·2·(9/16)² → se 9/16, and t with 2 − 1 = 1 degree of freedom: tan(0.45π). Conversions: 4 → 8 and 2 → 10,
 * pooled share 18/24 = 3/4, so r = 3 exactly.
 */
const FRAMING_POSTS: FramingPost[] = [
  { author: 'mid', framing: 'pitch', clicks: 10, conversions: 4, exposure: 10_000 },
  { author: 'mid', framing: 'endorsement', clicks: 10, conversions: 8, exposure: 10_000, labelled_by: 'user' },
  { author: 'small', framing: 'pitch', clicks: 10, conversions: 2, exposure: 1_000 },
  { author: 'small', framing: 'endorsement', clicks: 30, conversions: 10, exposure: 1_000 },
];
const T1_95 = Math.tan(0.45 * Math.PI);

function framingInput(posts: FramingPost[] = FRAMING_POSTS): FramingInput {
  return { request: { types: ['sale'], scope: 'outside_campaigns', exposure: 'reach' }, posts };
}

function input(over: Partial<FullReportInput> = {}): FullReportInput {
  return { report: reportInput(), outcome: sources(), social: socialGraph(), framing: framingInput(), campaignImpact: [{ campaign_id: 'bday', series: null, note: 'no series' }], ...over };
}

describe('the whole report (pure)', () => {
  const report = buildFullReport(input(), fit(), OPTIONS);
  const lastTouch = buildCreditReport(reportInput(), OPTIONS);

  it('keeps every last-touch field and adds the outcome-influence sections', () => {
    expect(Object.keys(report)).toEqual(['outcome', 'totals', 'accounts', 'rank_agreement', 'campaigns', 'model', 'posts', 'framing', 'framing_effects', 'framing_labels', 'fallacy', 'tribes', 'warnings']);
    expect(report.framing_labels).toEqual({ user: 1, clout: 3 }); // one post labelled by the user (format v1.1 framing)
    for (const k of ['outcome', 'totals', 'rank_agreement', 'warnings'] as const) expect(report[k]).toEqual(lastTouch[k]);
    expect(report.campaigns.map(({ impact: _, ...rest }) => rest)).toEqual(lastTouch.campaigns);
    expect(report.accounts.map(({ outcome_influence: _, ...rest }) => rest)).toEqual(lastTouch.accounts);
  });

  it('gives each covered account its outcome influence and null to an account the model did not cover', () => {
    const by = new Map(report.accounts.map((a) => [a.id, a]));
    expect(by.get('mid')!.outcome_influence).toEqual({ mean: 4, lower: 2, upper: 6, per_1k_followers: 0.4, prob_positive: 1, timing_share: 0.25, isolated_share: 1 });
    expect(by.get('big')!.outcome_influence).toEqual({ mean: 0.2, lower: 0, upper: 0.7, per_1k_followers: 0.0002, prob_positive: 0.4, timing_share: 1, isolated_share: 0 });
    expect(by.get('small')!.outcome_influence!.per_1k_followers).toBeCloseTo(5, 12);
    expect(by.get('quiet')!.outcome_influence).toBeNull();
  });

  it('lists the modelled posts, most caused first, with framing and interval', () => {
    expect(report.posts.map((p) => p.id)).toEqual(['p4', 'p3', 'p5', 'p2', 'p1']);
    expect(report.posts[0]).toEqual({
      id: 'p4',
      author_id: 'small',
      created_at: '2026-01-05T03:00:00.000Z',
      text: POSTS[3].text,
      framing: 'endorsement',
      framing_reason: 'because endorsement',
      incremental: { mean: 6, lower: 3, upper: 9 },
    });
    for (const p of report.posts) expect(['pitch', 'endorsement', 'bare_link', 'other']).toContain(p.framing);
  });

  it('gives framing multipliers relative to pitch, leaving out framings without posts', () => {
    expect(report.framing).toEqual([
      { framing: 'pitch', posts: 2, effect: 1, lower: 1, upper: 1 },
      { framing: 'endorsement', posts: 2, effect: 3, lower: 1.5, upper: 5 },
      { framing: 'bare_link', posts: 1, effect: 1.5, lower: 0.5, upper: 3 },
    ]);
  });

  it('gives framing effects on clicks and conversions within author: the hand-solved multipliers 2 and 3', () => {
    expect(report.framing_effects.map((e) => [e.outcome, e.framing, e.posts])).toEqual([
      ['clicks', 'pitch', 2], ['clicks', 'endorsement', 2], ['conversions', 'pitch', 2], ['conversions', 'endorsement', 2],
    ]);
    for (const e of report.framing_effects) expect(Object.keys(e)).toEqual(['outcome', 'framing', 'posts', 'effect', 'lower', 'upper']);
    const [clickPitch, clicks, convPitch, conversions] = report.framing_effects;
    expect(clickPitch).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    expect(convPitch).toMatchObject({ effect: 1, lower: 1, upper: 1 });
    expect(clicks!.effect).toBeCloseTo(2, 9);
    expect(clicks!.lower).toBeCloseTo(2 * Math.exp(-T1_95 * (9 / 16)), 6);
    expect(clicks!.upper).toBeCloseTo(2 * Math.exp(T1_95 * (9 / 16)), 4);
    expect(conversions!.effect).toBeCloseTo(3, 9);
    expect(conversions!.lower).toBeLessThan(3);
    expect(conversions!.upper).toBeGreaterThan(3);
    expect(report.warnings).toEqual(lastTouch.warnings); // enough data: nothing to warn about
  });

  it('gives no framing effects and says why when the store has too little to compare, without failing the report', () => {
    const build = (posts: FramingPost[]) => buildFullReport(input({ framing: framingInput(posts) }), fit(), OPTIONS);
    const extra = (r: FullReport) => r.warnings.slice(lastTouch.warnings.length);
    // no author with two framings: each author's own level absorbs everything
    const apart = build([FRAMING_POSTS[0]!, { ...FRAMING_POSTS[3]!, author: 'big' }]);
    expect(apart.framing_effects).toEqual([]);
    expect(extra(apart)).toEqual([
      'framing effects on clicks: none estimated — no author has clicks on both a pitch and another framing (0 authors inform the fit)',
      'framing effects on conversions: none estimated — no author has conversions on both a pitch and another framing (0 authors inform the fit)',
    ]);
    expect(apart.framing).toEqual(report.framing); // the rest of the report is all there
    expect(apart.accounts).toEqual(report.accounts);
    // one author carries the contrast: its interval is unbounded, so the row is left out rather than printed as null
    const one = build([...FRAMING_POSTS.slice(0, 2), FRAMING_POSTS[2]!]);
    expect(one.framing_effects).toEqual([]);
    expect(extra(one)[0]).toBe('framing effects on clicks: endorsement left out — its interval is unbounded (one author carries its contrast with a pitch)');
    // no link posts, or no pitch at all
    expect(extra(build([]))).toEqual(['framing effects: no sale posts with tracked links outside campaigns, so nothing to compare']);
    const noPitch = build(FRAMING_POSTS.filter((p) => p.framing !== 'pitch'));
    expect(noPitch.framing_effects).toEqual([]);
    expect(extra(noPitch)).toEqual(['framing effects: none of the 2 sale posts with tracked links outside campaigns is a pitch, and every effect is relative to a pitch']);
  });

  it('builds the fallacy table over the modelled accounts (hand-ranked)', () => {
    expect(report.fallacy).toHaveLength(15);
    // followers big > mid > small; caused small (5) > mid (4) > big (0.2): exactly reversed
    expect(report.fallacy.find((p) => p.a === 'followers' && p.b === 'outcome_influence')!.spearman).toBeCloseTo(-1, 12);
    // credited per post big 1, mid 3, small 4.5: same order as caused
    expect(report.fallacy.find((p) => p.a === 'attributed' && p.b === 'outcome_influence')!.spearman).toBeCloseTo(1, 12);
  });

  it('sums each tribe by hand: members, posting members, clicks, credited and caused outcomes, rate per click', () => {
    expect(report.tribes).toHaveLength(2);
    const [first, second] = report.tribes;
    // {small, quiet, g1, g2}: caused 6 + 2 = 8 > {big, mid, f1, f2}: 0.1 + 0.3 + 4 = 4.4
    expect(first).toMatchObject({ members: 4, posting_members: 2, posts: 3, clicks: 40, conversions: 9, value: 90.5, modeled_posts: 2 });
    expect(first!.caused).toBeCloseTo(8, 12);
    expect(first!.conversion_rate).toBeCloseTo(9 / 40, 12);
    expect(second).toMatchObject({ members: 4, posting_members: 2, posts: 14, clicks: 5300, conversions: 22, value: 220, modeled_posts: 3 });
    expect(second!.caused).toBeCloseTo(4.4, 12);
    expect(second!.conversion_rate).toBeCloseTo(22 / 5300, 12);
    expect(first!.core_members.length).toBeGreaterThan(0);
    for (const id of first!.core_members) expect(['small', 'quiet', 'g1', 'g2']).toContain(id);
    for (const id of second!.core_members) expect(['big', 'mid', 'f1', 'f2']).toContain(id);
  });

  it('describes the fit, and passes the model diagnostics through only when the model gives them', () => {
    expect(report.model).toMatchObject({
      status: 'fitted', note: null, types: ['sale'], candidates: 'outside_campaigns', niter: 500, burn: 100, seed: 1, level: 0.9, kept: 800,
      posts: 5, accounts: 3, outcomes: 37, bin_hours: 6, share_caused: iv(0.3, 0.2, 0.4), series: null,
      kernel_mean_hours: { ...iv(24, 24, 24), learned: false },
    });
    expect('diagnostics' in report.model).toBe(false);
    const diagnostics = { rhat_max: 1.2, warnings: ['share caused: R-hat 1.2; run more iterations'] };
    const withDiag = buildFullReport(input(), fit({ diagnostics }), OPTIONS);
    expect(withDiag.model.diagnostics).toEqual(diagnostics);
    // its warnings reach the reader: a line in the terminal, an item in the HTML summary
    expect(renderReportText(withDiag, { top: 2 })).toContain('model warning: share caused: R-hat 1.2; run more iterations\n');
    expect(renderReportText(report, { top: 2 })).not.toContain('model warning');
    expect(renderReportHtml(withDiag, { top: 2, chartJs: '' })).toMatch(/<li>model: share caused: R-hat 1\.2; run more iterations<\/li>/);
  });

  it('with --no-model: only the last-touch sections; outcome fields null or empty, tribes without caused', () => {
    const off = buildFullReport(input({ outcome: null }), null, { ...OPTIONS, model: false });
    expect(off.model).toMatchObject({ status: 'skipped', niter: null, level: null, share_caused: null, types: ['sale'] });
    expect(off.model.note).toMatch(/--no-model/);
    expect(off.posts).toEqual([]);
    expect(off.framing).toEqual([]);
    expect(off.framing_effects).toEqual(report.framing_effects); // framing effects on clicks and conversions need no model
    expect(off.fallacy).toEqual([]);
    expect(off.accounts.every((a) => a.outcome_influence === null)).toBe(true);
    expect(off.tribes.map((t) => t.caused)).toEqual([null, null]);
    expect(off.tribes.map((t) => t.conversions)).toEqual([22, 9]); // ordered by credited conversions now
    expect(off.accounts).toHaveLength(4);
  });

  it('says why the model section is empty when the store has no candidate posts', () => {
    const none = buildFullReport(input({ outcome: sources(influenceInput([])) }), null, OPTIONS);
    expect(none.model).toMatchObject({ status: 'no_candidates', posts: 0, accounts: 0, outcomes: 37, share_caused: null });
    expect(none.model.note).toMatch(/no candidate posts.*outside campaigns/);
    expect(none.posts).toEqual([]);
    expect(none.accounts.every((a) => a.outcome_influence === null)).toBe(true);
    expect(none.tribes.every((t) => t.caused === null)).toBe(true);
  });

  it('refuses a fit that is missing or does not match the input', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CloutError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => buildFullReport(input(), null, OPTIONS))).toBe('internal');
    expect(code(() => buildFullReport(input({ outcome: null }), fit(), OPTIONS))).toBe('internal');
    expect(code(() => buildFullReport(input(), { ...fit(), posts: fit().posts.slice(1) }, OPTIONS))).toBe('internal');
    // every campaign needs its loaded impact input, and a runnable series needs its engine result
    expect(code(() => buildFullReport(input({ campaignImpact: [] }), fit(), OPTIONS))).toBe('internal');
    const y = Array.from({ length: 12 }, (_, i) => i % 3);
    const runnable = { campaign_id: 'bday', series: { data: { y, pre: [0, 8] as const, post: [9, 11] as const }, bucket: 'day' as const, event_at: '2026-01-10T00:00:00.000Z', outcome: 'gifts', currency: null, notes: [] }, note: null };
    expect(code(() => buildFullReport(input({ campaignImpact: [runnable] }), fit(), OPTIONS))).toBe('internal');
  });

  it('lists no tribes when there is no social graph', () => {
    expect(buildFullReport(input({ social: graphFromEdges([]) }), fit(), OPTIONS).tribes).toEqual([]);
  });
});

describe('renderers of the whole report', () => {
  const report = buildFullReport(input(), fit(), OPTIONS);

  it('adds the leaderboard with intervals, framing, fallacy and tribes to the terminal report', () => {
    const text = renderReportText(report, { top: 2 });
    expect(text).toContain('Who has followers vs who brought sales'); // the last-touch report is still there
    const board = text.slice(text.indexOf('caused per post'));
    expect(board.split('\n')[2]).toMatch(/^1\s+@small\s+1,000\s+#3\s+5\.00\s+2\.50–7\.50\s+0\.99\s+40%\s+5\.000\s+4\.50$/);
    expect(board).not.toMatch(/^3\s+@big/m); // --top 2
    expect(text).toMatch(/Most followed: @big \(1,000,000 followers\) causes 0\.20 per post \[0\.00–0\.70\], P\(moves\) 0\.40; #3 of 3/);
    // framing: clicks, conversions and incremental outcomes side by side, posts behind each
    expect(text).toMatch(/Framing of sales \(multiplier relative to a pitch by the same author, \[90% interval\]\)\nframing of 4 link posts: 1 labelled by the user, 3 by clout\nframing\s+clicks\s+conversions\s+incremental outcomes\s+posts/);
    expect(text).toMatch(/\npitch\s+1\.00\s+1\.00\s+1\.00\s+2 \/ 2 \/ 2\n/);
    expect(text).toMatch(/\nendorsement\s+2\.00 \[0\.06–69\.73\]\s+3\.00 \[\d\.\d\d–\d+\.\d\d\]\s+3\.00 \[1\.50–5\.00\]\s+2 \/ 2 \/ 2\n/);
    expect(text).toMatch(/\nbare_link\s+–\s+–\s+1\.50 \[0\.50–3\.00\]\s+– \/ – \/ 1\n/);
    expect(text).toMatch(/followers\s+-1\.00\s+\d/);
    expect(text).toMatch(/Tribes .* 2\n/);
    const off = renderReportText(buildFullReport(input({ outcome: null }), null, { ...OPTIONS, model: false }), { top: 2 });
    expect(off).toContain('No outcome influence: the outcome model was skipped (--no-model)');
    expect(off).not.toContain('caused per post');
    expect(off).toMatch(/\nendorsement\s+2\.00 \[[\d.–]+\]\s+3\.00 \[[\d.–]+\]\s+–\s+2 \/ 2 \/ –\n/); // framing without the model
    expect(off).toContain('incremental outcomes: what a post caused, from the outcome model — not estimated (see above).\n');
    expect(text).toContain('incremental outcomes: what a post caused, from the outcome model.\n');
  });

  const FAKE_CHART = 'window.Chart = function () {};';

  function dataBlock(html: string): unknown {
    const m = /<script type="application\/json" id="clout-report-data">([\s\S]*?)<\/script>/.exec(html);
    return JSON.parse(m![1]!);
  }

  it('renders every section with its id and heading, and as many leaderboard rows as asked', () => {
    const html = renderReportHtml(report, { top: 2, chartJs: FAKE_CHART });
    for (const id of HTML_SECTIONS) {
      expect(html.match(new RegExp(`<section id="${id}"`, 'g'))).toHaveLength(1);
      expect(html).toMatch(new RegExp(`<section id="${id}"[^>]*>\\s*<h2 id="${id}-title">`));
    }
    const table = /<table id="leaderboard-table">[\s\S]*?<\/table>/.exec(html)![0];
    expect(table.match(/<tr>/g)).toHaveLength(3); // header + 2
    expect(html).toContain(FAKE_CHART);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//); // nothing loaded from elsewhere
    expect(dataBlock(html)).toEqual({ top: 2, report: JSON.parse(JSON.stringify(report)) });
  });

  it('escapes store text: a handle or post text with </script> cannot break out', () => {
    const nasty = '@sm</script><script>window.__pwned = 1</script><b>all';
    const evil = buildFullReport(input({ report: reportInput(nasty) }), fit(), OPTIONS);
    const html = renderReportHtml(evil, { top: 5, chartJs: FAKE_CHART });
    expect(html.match(/<\/script>/g)).toHaveLength(3); // the data block, Chart.js, the report's script
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain('@sm&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;b&gt;all');
    expect(html).toContain('\\u003c/script>');
    const back = dataBlock(html) as { report: FullReport };
    expect(back.report.accounts.find((a) => a.id === 'small')!.handle).toBe(nasty);
    expect(back.report.posts.find((p) => p.id === 'p4')!.text).toBe(POSTS[3].text);
  });

  it('says the model was skipped in its sections, with no chart there — framing keeps clicks and conversions', () => {
    const html = renderReportHtml(buildFullReport(input({ outcome: null }), null, { ...OPTIONS, model: false }), { top: 5, chartJs: FAKE_CHART });
    const sectionOf = (id: string) => new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html)![0];
    for (const id of ['leaderboard', 'scatter', 'posts', 'fallacy']) {
      expect(sectionOf(id)).toContain('the outcome model was skipped (--no-model)');
      expect(sectionOf(id)).not.toContain('<canvas');
    }
    const framing = sectionOf('framing');
    expect(framing.match(/class="note"/g)).toHaveLength(1);
    expect(framing).toContain('No incremental-outcome multipliers here: the outcome model was skipped (--no-model)');
    expect(framing).toContain('data-chart="framing"');
    const endorsement = /<tr><td>endorsement<\/td>(.*?)<\/tr>/.exec(framing)![1]!;
    expect(endorsement.match(/<td class="num">([^<]*)<\/td>/g)!.map((c) => c.replace(/<[^>]+>/g, ''))).toEqual(['2.00', '0.06 – 69.73', '3.00', expect.stringMatching(/^\d\.\d\d – \d+\.\d\d$/), '–', '–', '2 / 2 / –']);
    expect(html).toContain('data-chart="tribes"');
  });

  it('with too little data for framing effects and no model: the framing section says so, with no chart', () => {
    const html = renderReportHtml(buildFullReport(input({ outcome: null, framing: framingInput([]) }), null, { ...OPTIONS, model: false }), { top: 5, chartJs: FAKE_CHART });
    const framing = /<section id="framing"[\s\S]*?<\/section>/.exec(html)![0];
    expect(framing).not.toContain('<canvas');
    expect(framing).toContain('No framing effects on clicks or conversions');
    expect(html).toContain('<li>framing effects: no sale posts with tracked links outside campaigns, so nothing to compare</li>');
  });

  it('refuses to inline a bundle that would end its script element', () => {
    expect(() => renderReportHtml(report, { top: 5, chartJs: 'var s = "</script>";' })).toThrow(CloutError);
  });
});
