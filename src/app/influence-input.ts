/**
 * Assembles the outcome-influence model's input from the store: candidate posts (with their framing from the text),
 * outcome counts per time bin split by what they are tied to (the post of their click id or UTM tags, the account of
 * their discount code), each post's share of the bin's human clicks, and optionally a baseline covariate from
 * control series.
 */
import { FRAMINGS, type Framing } from '../analysis/content/framing.js';
import type { OutcomeInfluenceData } from '../analysis/influence/outcome-model.js';
import type { OutcomeInfluenceInput } from '../report/index.js';
import { CloutError, MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';
import { candidatePosts, codeOwners, organicClicksByPost, metricPoints, metricSeriesList, outcomeEvents, utmTaggedPosts, type Conn } from '../store/index.js';
import type { CandidatePosts } from '../domain/index.js';
import { loadSeriesOutcome } from './series-outcome.js';
import { framingOf, loadPostFramings, type PostFraming } from './post-framing.js';


/**
 * The ties the model reads as evidence, in kind order: click ids (w = the post's share of the click intensity), codes
 * (an account's; w learned per account, codes taken as usable in every bin), UTM tags (w as for clicks: a buyer who
 * arrives through a tagged link picks it as people are clicking links then). 'link' and 'post' ties stay untied.
 */
const TIE_KINDS = ['click', 'code', 'utm'] as const;
const CODE = 1, UTM = 2;

/** What to model. */
export interface OutcomeInfluenceInputRequest {
  types: string[];
  candidates: CandidatePosts;
  /** Daily metric series that track the baseline (default none: the model's weekly level and shape carry it). */
  controls?: string[];
  /** Bin width (default 6 hours; a series' own step with `series`). */
  binMs?: number;
  /** A metric series whose values per bin are the outcome counts, instead of the conversions of `types`. */
  series?: string;
}

/** Builds the model input from the store. */
export async function loadInfluenceInput(conn: Conn, req: OutcomeInfluenceInputRequest): Promise<OutcomeInfluenceInput> {
  const seriesOutcome = req.series === undefined ? null : await loadSeriesOutcome(conn, req.series);
  const allRows = await candidatePosts(conn, req.candidates);
  const events = seriesOutcome === null ? await outcomeEvents(conn, req.types) : [];
  let binMs: number, startMs: number, nBins: number;
  if (seriesOutcome !== null) {
    ({ binMs, startMs, nBins } = seriesOutcome);
  } else {
    binMs = req.binMs ?? 6 * MS_PER_HOUR;
    // (a loop, not Math.min(...xs): spreading a million times overflows the stack)
    let first = Infinity, last = -Infinity;
    for (const t of [...allRows.map((p) => p.at), ...events.map((e) => e.at)]) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
    startMs = Number.isFinite(first) ? Math.floor(first / MS_PER_DAY) * MS_PER_DAY : 0;
    const endMs = Number.isFinite(last) ? last : 0;
    nBins = Math.max(1, Math.floor((endMs - startMs) / binMs) + 1);
  }
  // with a series, only the posts made while it was recorded (a post before its first point or after its last one has
  // effects the series cannot show)
  const rows = seriesOutcome === null ? allRows : allRows.filter((p) => p.at >= startMs && p.at < startMs + nBins * binMs);
  const binOf = (t: number) => Math.min(nBins - 1, Math.max(0, Math.floor((t - startMs) / binMs)));

  const postIndex = new Map(rows.map((p, i) => [p.id, i]));
  const authors = [...new Set(rows.map((p) => p.author_id))].sort();
  const authorIndex = new Map(authors.map((a, i) => [a, i]));
  // the user's label when the post has one, else clout's reading of its text and store context
  const labels = rows.length === 0 ? new Map<string, PostFraming>() : await loadPostFramings(conn);
  const framed = rows.map((p) => {
    const f = framingOf(labels, p.id, p.text);
    return { ...p, framing: f.framing, framing_reason: f.reason };
  });

  // Tied outcomes: a click id or UTM tags name a candidate post; a code names its owner (an author here), or a
  // candidate post when the code names one. Anything else is untied. (A series' counts are all untied.)
  const unclicked = seriesOutcome?.counts ?? new Float64Array(nBins);
  const clicked = new Map<number, number>(); // ((kind · (posts + authors) + target) · bins + bin) → count
  const np = rows.length, nt = np + authors.length;
  const kindOf = (tie: string): number => TIE_KINDS.indexOf(tie as (typeof TIE_KINDS)[number]);
  for (const e of events) {
    const b = binOf(e.at), k = kindOf(e.tie);
    const p = e.post_id === null ? undefined : postIndex.get(e.post_id);
    const a = k === CODE && p === undefined && e.account_id !== null ? authorIndex.get(e.account_id) : undefined;
    const target = p ?? (a === undefined ? undefined : np + a);
    if (k < 0 || target === undefined) unclicked[b]!++;
    else {
      const key = (k * nt + target) * nBins + b;
      clicked.set(key, (clicked.get(key) ?? 0) + 1);
    }
  }
  // A post's click intensity: its organic clicks n_p spread over time by an exponential click-delay profile whose
  // mean is the clicks' mean delay. A buyer who would have bought anyway and clicks first picks a link about as
  // people are clicking them at that moment, and such buyers arrive evenly within a bin; so w_{b,p} = the post's share
  // of all candidate posts' intensity, averaged over the bin's sub-steps. (The share of the bin's total clicks would
  // overweight the minutes right after a big post: a post made half-way through a bin takes no buyer in its first half.)
  const organic = await organicClicksByPost(conn, 3 * MS_PER_DAY);
  let delaySum = 0, delayN = 0;
  for (const o of organic) if (postIndex.has(o.post_id)) (delaySum += o.delay_sum), (delayN += o.delay_n);
  const tau = delayN > 0 ? Math.max(60_000, delaySum / delayN) : 4 * MS_PER_HOUR;
  const shares = intensityShares(organic.flatMap((o) => {
    const p = postIndex.get(o.post_id);
    return p === undefined ? [] : [{ post: p, at: rows[p]!.at, clicks: o.clicks }];
  }), { startMs, binMs, nBins, tau });
  // UTM tags without click data (an order export with utm_* and no tracked links): a baseline buyer who lands through
  // a tagged link picks it as attention runs then, so w^utm is the post's share of the tagged posts' attention — each
  // tagged post's weight 1, decaying with the response kernel's mean (a day) — instead of the click intensity.
  const utmPosts = new Set<number>();
  for (const k of clicked.keys()) if (Math.floor(k / (nBins * nt)) === UTM && Math.floor(k / nBins) % nt < np) utmPosts.add(Math.floor(k / nBins) % nt);
  const tagged = utmPosts.size === 0 ? new Set<string>() : new Set([...(await utmTaggedPosts(conn)), ...[...utmPosts].map((p) => rows[p]!.id)]);
  const utmClicked = organic.some((o) => tagged.has(o.post_id) && o.clicks > 0);
  const utmShares = utmPosts.size === 0 || utmClicked
    ? shares
    : intensityShares(rows.flatMap((r, p) => (tagged.has(r.id) ? [{ post: p, at: r.at, clicks: 1 }] : [])), { startMs, binMs, nBins, tau: MS_PER_DAY });
  const entries = [...clicked.entries()].map(([key, n]) => {
    const b = key % nBins, target = Math.floor(key / nBins) % nt, k = Math.floor(key / (nBins * nt));
    const p = target < np ? target : -1;
    return { b, p, a: target < np ? -1 : target - np, k, n, w: p < 0 || k === CODE ? 0 : (k === UTM ? utmShares : shares).share(b, p) };
  });
  // a series carries no click ids, so no bin's baseline outcomes can carry one
  const clickBin = seriesOutcome === null ? shares.clickBin : new Uint8Array(nBins);
  // kinds in use: click always (index 0), code and utm when some outcome carries them
  const used = TIE_KINDS.map((_, k) => k === 0 || entries.some((e) => e.k === k));
  const kinds = TIE_KINDS.filter((_, k) => used[k]);
  const kindIndex = TIE_KINDS.map((kind) => kinds.indexOf(kind));
  const owners = used[CODE] ? new Set(await codeOwners(conn)) : new Set<string>();
  for (const e of entries) if (e.k === CODE) owners.add(authors[e.p >= 0 ? authorIndex.get(rows[e.p]!.author_id)! : e.a]!);
  const ties = kinds.length === 1 ? {} : {
    tieKinds: [...kinds],
    clickedKind: Int32Array.from(entries.map((e) => kindIndex[e.k]!)),
    clickedAuthor: Int32Array.from(entries.map((e) => e.a)),
    tieBins: kinds.map((kind) => (kind === 'code' ? new Uint8Array(nBins).fill(1) : kind === 'utm' ? utmShares.clickBin : clickBin)),
    tiePosts: kinds.map((kind) =>
      kind === 'click' ? new Uint8Array(np).fill(1) : Uint8Array.from(rows, (r) => (kind === 'code' ? owners.has(r.author_id) : tagged.has(r.id)) ? 1 : 0)),
    tieLearned: kinds.map((kind) => kind === 'code'),
  };

  const controls = req.controls ?? [];
  const x = await baselineCovariate(conn, controls, startMs, nBins, binMs);
  const framings = [...FRAMINGS];
  const data: OutcomeInfluenceData = {
    binMs,
    startMs,
    nBins,
    unclicked,
    baselineX: x,
    postTime: Float64Array.from(rows.map((p) => p.at)),
    postAuthor: Int32Array.from(rows.map((p) => authorIndex.get(p.author_id)!)),
    postFraming: Int32Array.from(framed.map((p) => framings.indexOf(p.framing))),
    nAuthors: authors.length,
    framings,
    referenceFraming: framings.indexOf('pitch'),
    clickedBin: Int32Array.from(entries.map((e) => e.b)),
    clickedPost: Int32Array.from(entries.map((e) => e.p)),
    clickedCount: Float64Array.from(entries.map((e) => e.n)),
    clickedShare: Float64Array.from(entries.map((e) => e.w)),
    clickBin,
    ...ties,
  };
  return { data, posts: framed, authors, controls, outcomes: seriesOutcome?.total ?? events.length, series: seriesOutcome?.series ?? null };
}

/**
 * Baseline covariate per bin from named daily metric series (each scaled to mean 1, averaged, spread evenly over the
 * day's bins); all 1s without controls. The model's own weekly level and hour-of-week shape carry the baseline
 * otherwise, so a control is only worth naming when it tracks what moves the outcome day to day.
 */
async function baselineCovariate(conn: Conn, names: string[], startMs: number, nBins: number, binMs: number): Promise<Float64Array> {
  const x = new Float64Array(nBins).fill(1);
  if (names.length === 0) return x;
  const days = Math.ceil((nBins * binMs) / MS_PER_DAY);
  const known = new Set((await metricSeriesList(conn)).map((m) => m.series));
  const used: Float64Array[] = [];
  for (const name of names) {
    if (!known.has(name)) throw new CloutError('usage', `no metric series '${name}' in the store; series: ${[...known].join(', ') || '(none)'}`);
    const v = new Float64Array(days).fill(NaN);
    for (const p of await metricPoints(conn, name)) {
      const d = Math.floor((p.at - startMs) / MS_PER_DAY);
      if (d >= 0 && d < days) v[d] = p.value;
    }
    const missing = v.findIndex((y) => Number.isNaN(y));
    if (missing >= 0) throw new CloutError('input', `control series '${name}' has no value on ${new Date(startMs + missing * MS_PER_DAY).toISOString().slice(0, 10)}; a control must cover every day`);
    const mean = v.reduce((a, b) => a + b, 0) / days;
    if (!(mean > 0)) throw new CloutError('input', `control series '${name}' has no positive values`);
    used.push(v.map((y) => y / mean));
  }
  for (let b = 0; b < nBins; b++) {
    const d = Math.floor((b * binMs) / MS_PER_DAY);
    let s = 0;
    for (const v of used) s += v[d]!;
    x[b] = Math.max(1e-6, s / used.length);
  }
  return x;
}

/** Sub-steps per bin over which a post's share of the click intensity is averaged. */
const SUB_STEPS = 24;

/**
 * Click-intensity shares: each post's expected organic clicks per sub-step of a bin (exponential delay profile with
 * mean tau, cut at 20 tau), the total over posts per sub-step, and w_{b,p} = the mean over bin b's sub-steps of the
 * post's part of the total (sub-steps with no clicks expected count as 0). Also flags bins with any intensity.
 */
export function intensityShares(
  posts: { post: number; at: number; clicks: number }[],
  grid: { startMs: number; binMs: number; nBins: number; tau: number },
): { share: (bin: number, post: number) => number; clickBin: Uint8Array } {
  const { startMs, binMs, nBins, tau } = grid;
  const step = binMs / SUB_STEPS, nSub = nBins * SUB_STEPS;
  const total = new Float64Array(nSub);
  const byPost = new Map<number, { at: number; clicks: number }>();
  const decay = Math.exp(-step / tau);
  /** Expected clicks of a post in sub-step j, from its post time t0. */
  const massIn = (t0: number, clicks: number, j: number): number => {
    const lo = Math.max(0, startMs + j * step - t0), hi = startMs + (j + 1) * step - t0;
    return hi <= 0 ? 0 : clicks * (Math.exp(-lo / tau) - Math.exp(-hi / tau));
  };
  for (const p of posts) {
    byPost.set(p.post, p);
    let j = Math.max(0, Math.floor((p.at - startMs) / step));
    if (j >= nSub) continue;
    total[j]! += massIn(p.at, p.clicks, j);
    // after the first sub-step, each sub-step's mass is the previous one's × e^(−step/τ)
    let m = massIn(p.at, p.clicks, j + 1);
    for (j++; j < nSub && m > p.clicks * 1e-9; j++, m *= decay) total[j]! += m;
  }
  const clickBin = new Uint8Array(nBins);
  for (let b = 0; b < nBins; b++) {
    for (let j = b * SUB_STEPS; j < (b + 1) * SUB_STEPS; j++) if (total[j]! > 1e-9) clickBin[b] = 1;
  }
  const share = (bin: number, post: number): number => {
    const p = byPost.get(post);
    if (p === undefined) return 0;
    let w = 0;
    for (let j = bin * SUB_STEPS; j < (bin + 1) * SUB_STEPS; j++) if (total[j]! > 1e-12) w += massIn(p.at, p.clicks, j) / total[j]!;
    return w / SUB_STEPS;
  };
  return { share, clickBin };
}
