/**
 * Use case `compare --db … --shoutout-by ACCOUNT`: did the accounts ACCOUNT shouted out (reposted, quoted or
 * mentioned) end up with more of the outcome than similar accounts it did not? Units are the accounts that posted
 * before their date (the shouting account left out). A shouted-out account's date is its first shout-out; a control's
 * is a pseudo date drawn (seeded) from the shouted-out accounts' dates that fall after its first post, so both groups'
 * windows come from the same stretch of time. The outcome is what happened in the window after the date: conversions
 * credited to the account by the store's last-touch rules, or follows gained (when follows carry `since`). Covariates
 * are measured strictly before the date: followers, posts, credited conversions, interactions received.
 */
import { z } from 'zod';
import { compareGroups, type CompareData, type CompareOptions, type CompareResult, type CovariateColumn } from '../analysis/compare/index.js';
import { CloutError, CONVERSION_TYPES, MS_PER_DAY, MS_PER_HOUR, Rng, type ConversionType } from '../domain/index.js';
import type { Conn } from '../store/index.js';
import { findAccount, followSinceCounts, lastEventAt, posterRows, shoutoutRows, unitMeasures, type AccountRef, type UnitDate } from '../store/compare.js';
import { parseOptions } from './options.js';
import { resolveOutcomeType } from './outcome-type.js';

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: MS_PER_HOUR, d: MS_PER_DAY, w: 7 * MS_PER_DAY };

/** Milliseconds of a duration like `7d`, `48h`, `90m`, `2w`; undefined when it is not one (or not > 0). */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}

export const SHOUTOUT_OUTCOMES = ['conversions', 'followers'] as const;
export type ShoutoutOutcome = (typeof SHOUTOUT_OUTCOMES)[number];

/** Options of `compare --shoutout-by` (the comparison's own options — methods, estimand, … — are compareGroups'). */
export const SHOUTOUT_OPTIONS = z
  .object({
    shoutout_by: z.string().trim().min(1).describe('the account whose shout-outs are judged (id or handle)'),
    window: z
      .string()
      .default('7d')
      .refine((s) => parseDuration(s) !== undefined, { message: 'must be a duration like 7d, 48h or 90m' })
      .describe('how long after the shout-out the outcome is counted'),
    outcome: z.enum(SHOUTOUT_OUTCOMES).default('conversions').describe('conversions credited to the account, or follows gained (needs follows with since)'),
    type: z.enum(CONVERSION_TYPES).optional().describe('conversion type counted (default: the most common in the store)'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe("seed of the controls' pseudo dates"),
  })
  .strict();
export type ShoutoutOptions = z.output<typeof SHOUTOUT_OPTIONS>;
export type ShoutoutRequest = z.input<typeof SHOUTOUT_OPTIONS>;

/** The covariates, each measured strictly before a unit's date (all heavy-tailed counts, so log(1 + x)). */
export const SHOUTOUT_COVARIATES = ['followers', 'posts_before', 'conversions_before', 'interactions_before'] as const;

/** One unit of the comparison. */
export interface ShoutoutUnit {
  id: string;
  treated: boolean;
  /** Its first shout-out (treated) or its pseudo date (control), epoch ms. */
  at: number;
  outcome: number;
}

/** Who was counted and who was left out, and why. */
export interface ShoutoutCounts {
  /** Accounts the shouting account reposted, quoted or mentioned (itself left out). */
  shouted_out: number;
  treated: number;
  controls: number;
  /** Shouted-out accounts with no post before their first shout-out. */
  no_post_before: number;
  /** Shouted-out accounts whose window runs past the store's last event. */
  window_past_end: number;
  /** Accounts never shouted out whose first post comes after every usable shout-out date. */
  controls_without_date: number;
}

/** The comparison's data from the store, with what it is about. */
export interface ShoutoutUnits {
  data: CompareData;
  account: AccountRef;
  window: { label: string; ms: number };
  outcome: ShoutoutOutcome;
  /** The conversion type counted (null for the followers outcome, which counts follows). */
  type: ConversionType | null;
  units: ShoutoutUnit[];
  counts: ShoutoutCounts;
  /** Last event in the store (windows must end by it), epoch ms. */
  data_end: number;
  notes: string[];
}

/** Reads the units of a shout-out comparison from the store: treatment, outcome in the window, pre-date covariates. */
export async function shoutoutUnits(conn: Conn, request: ShoutoutRequest): Promise<ShoutoutUnits> {
  const o = parseOptions(SHOUTOUT_OPTIONS, request as Record<string, unknown>);
  const windowMs = parseDuration(o.window)!;
  const account = await findAccount(conn, o.shoutout_by);
  if (account === null) throw new CloutError('input', `compare: no account '${o.shoutout_by}' in the store (give its id or handle)`);
  const name = account.handle ?? account.id;
  const shouted = await shoutoutRows(conn, account.id);
  if (shouted.length === 0) throw new CloutError('input', `compare: ${name} reposted, quoted or mentioned no other account in the store; there is no shout-out to judge`);
  if (o.outcome === 'followers') {
    const f = await followSinceCounts(conn);
    if (f.with_since === 0) {
      throw new CloutError('input', `compare: follower growth needs follows with a since date, and none of the store's ${f.follows} follows has one; use outcome conversions`);
    }
  }
  const type = o.outcome === 'conversions' ? await resolveOutcomeType(conn, o.type) : null;
  const end = (await lastEventAt(conn)) ?? 0;
  const posters = await posterRows(conn);
  const firstPost = new Map(posters.map((p) => [p.account_id, p.first_post_at]));

  const counts: ShoutoutCounts = { shouted_out: shouted.length, treated: 0, controls: 0, no_post_before: 0, window_past_end: 0, controls_without_date: 0 };
  const treated: UnitDate[] = [];
  for (const s of shouted) {
    const first = firstPost.get(s.account_id);
    if (first === undefined || first >= s.first_at) counts.no_post_before++;
    else if (s.first_at + windowMs > end) counts.window_past_end++;
    else treated.push({ account_id: s.account_id, at: s.first_at });
  }
  // Controls: accounts that posted, were never shouted out, and are not the shouter; each gets a treated date after
  // its first post, drawn uniformly (seeded), so its covariates and window are taken as a treated unit's would be.
  const dates = Float64Array.from(treated.map((t) => t.at)).sort();
  const shoutedIds = new Set(shouted.map((s) => s.account_id));
  const rng = new Rng(o.seed);
  const controls: UnitDate[] = [];
  for (const p of posters) {
    if (p.account_id === account.id || shoutedIds.has(p.account_id)) continue;
    const from = upperBound(dates, p.first_post_at);
    if (from === dates.length) {
      counts.controls_without_date++;
      continue;
    }
    controls.push({ account_id: p.account_id, at: dates[from + rng.int(dates.length - from)]! });
  }
  counts.treated = treated.length;
  counts.controls = controls.length;
  const windowText = `${o.window.trim()} window`;
  if (treated.length < 5) {
    throw new CloutError(
      'input',
      `compare: ${treated.length} accounts shouted out by ${name} posted before their shout-out and have a full ${windowText} in the store; need ≥ 5`,
    );
  }
  if (controls.length < 5) throw new CloutError('input', `compare: ${controls.length} accounts that posted were never shouted out by ${name}; need ≥ 5 controls`);

  const units = [...treated, ...controls];
  const rows = await unitMeasures(conn, units, windowMs, o.outcome, type === null ? [] : [type]);
  const n = units.length;
  const treatment = new Uint8Array(n);
  treatment.fill(1, 0, treated.length);
  const outcome = Float64Array.from(rows, (r) => r.outcome);
  // Followers at the date: the reported count (a snapshot taken at export) less the follows known to start on or after
  // the date; without a reported count, the follows that started before it (or carry no date).
  const columns: Record<(typeof SHOUTOUT_COVARIATES)[number], Float64Array> = {
    followers: Float64Array.from(rows, (r) => (r.reported_followers === null ? r.follows_before : Math.max(0, r.reported_followers - r.follows_from_date))),
    posts_before: Float64Array.from(rows, (r) => r.posts_before),
    conversions_before: Float64Array.from(rows, (r) => r.conversions_before),
    interactions_before: Float64Array.from(rows, (r) => r.interactions_before),
  };
  const notes: string[] = [];
  const covariates: CovariateColumn[] = [];
  for (const name of SHOUTOUT_COVARIATES) {
    const values = columns[name];
    if (values.every((v) => v === values[0])) notes.push(`covariate ${name} is ${values[0]} for every unit and was left out`);
    else covariates.push({ name, values, log: true });
  }
  if (counts.no_post_before > 0) notes.push(`${counts.no_post_before} shouted-out accounts had not posted before their first shout-out and were left out`);
  if (counts.window_past_end > 0) notes.push(`${counts.window_past_end} shouted-out accounts were left out: their ${windowText} runs past the store's last event`);
  if (counts.controls_without_date > 0) notes.push(`${counts.controls_without_date} accounts first posted after every shout-out date and were left out`);
  if (rows.some((r) => r.reported_followers !== null)) notes.push('followers are the reported counts (a snapshot at export) less the follows known to start on or after the date');
  const ids = units.map((u) => u.account_id);
  return {
    data: { treatment, outcome, covariates, ids },
    account,
    window: { label: o.window.trim(), ms: windowMs },
    outcome: o.outcome,
    type,
    units: units.map((u, i) => ({ id: u.account_id, treated: i < treated.length, at: u.at, outcome: outcome[i]! })),
    counts,
    data_end: end,
    notes,
  };
}

/** What a shout-out comparison was about, beside the comparison itself. */
export interface ShoutoutSummary {
  account: AccountRef;
  window: string;
  window_ms: number;
  outcome: ShoutoutOutcome;
  type: ConversionType | null;
  covariates: string[];
  counts: ShoutoutCounts;
  /** How the controls got their dates. */
  pseudo_dates: string;
  notes: string[];
}

/**
 * Judges ACCOUNT's shout-outs: the units from the store (shoutoutUnits), compared by compareGroups with `options`
 * (its seed defaults to the request's). The result is compareGroups' with a `shoutout` section saying what was compared.
 */
export async function compareShoutouts(
  conn: Conn,
  request: ShoutoutRequest,
  options: CompareOptions = {},
): Promise<CompareResult & { shoutout: ShoutoutSummary }> {
  const u = await shoutoutUnits(conn, request);
  const seed = request.seed ?? 1;
  const result = compareGroups(u.data, { seed, ...options });
  return {
    ...result,
    shoutout: {
      account: u.account,
      window: u.window.label,
      window_ms: u.window.ms,
      outcome: u.outcome,
      type: u.type,
      covariates: u.data.covariates.map((c) => c.name),
      counts: u.counts,
      pseudo_dates: `each control's date is drawn (seed ${seed}) from the shouted-out accounts' first shout-out dates after its own first post`,
      notes: u.notes,
    },
  };
}

/** First index whose value is > x (length when none). */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
