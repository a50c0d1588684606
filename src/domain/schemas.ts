/**
 * Interchange format v1 (docs/formats.md): one zod schema per kind, shared by every reader, the store and the API.
 * Each schema takes a raw record (CSV strings or JSON values) and returns the normalized record used inside clout:
 * times as UTC epoch ms, money as integer minor units + currency, ids as strings, blanks as absent.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseTimestamp } from './time.js';
import { currencyExponent, isIsoCurrency, toMinorUnits } from './money.js';
import { FRAMINGS } from './vocabulary.js';

/** Every record kind of the interchange format, in the order an import should load them (references first). */
export const KINDS = [
  'accounts',
  'campaigns',
  'follows',
  'posts',
  'links',
  'codes',
  'interactions',
  'clicks',
  'conversions',
  'metrics',
] as const;

/** A value for every kind, made by `f` (typed: every kind has one). */
export function byKind<T>(f: (kind: Kind) => T): { [K in Kind]: T } {
  const out = {} as { [K in Kind]: T };
  for (const k of KINDS) out[k] = f(k);
  return out;
}
export type Kind = (typeof KINDS)[number];

/** True when `name` is one of the interchange kinds. */
export function isKind(name: string): name is Kind {
  return (KINDS as readonly string[]).includes(name);
}

export const INTERACTION_TYPES = ['repost', 'quote', 'reply', 'like', 'mention', 'view'] as const;
export const CONVERSION_TYPES = ['lead', 'sale', 'donation', 'signup', 'other'] as const;
/** One kind of outcome event. */
export type ConversionType = (typeof CONVERSION_TYPES)[number];

const blankToUndefined = (v: unknown): unknown => (v === null || v === '' ? undefined : v);

/** A string id; integers from JSON are accepted and turned into strings. */
const id = z.preprocess(
  (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : v),
  z.string({ error: 'expected a string id' }).min(1, { error: 'must not be empty' }),
);

/** A non-negative integer count; numeric strings (CSV) are accepted. */
const count = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number({ error: (iss) => `expected a non-negative integer, got ${show(iss.input)}` })
    .int({ error: (iss) => `expected a non-negative integer, got ${show(iss.input)}` })
    .nonnegative({ error: (iss) => `must be ≥ 0, got ${show(iss.input)}` }),
);

/** A finite decimal number; numeric strings (CSV) are accepted. */
const decimal = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : v),
  z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` }).finite(),
);

/** An interchange timestamp, returned as UTC epoch milliseconds. */
const timestamp = z
  .string({ error: (iss) => `expected an ISO 8601 timestamp, got ${show(iss.input)}` })
  .transform((text, ctx) => {
    const ms = parseTimestamp(text);
    if (ms === undefined) {
      ctx.issues.push({ code: 'custom', input: text, message: `not an ISO 8601 timestamp or YYYY-MM-DD date: ${show(text)}` });
      return z.NEVER;
    }
    return ms;
  });

/** An absolute http(s) URL; any other scheme (javascript:, data:, file:) is refused. */
const httpUrl = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    ctx.issues.push({ code: 'custom', input: text, message: `must be an http(s) URL, got ${show(text)}` });
    return z.NEVER;
  }
  return trimmed;
});

/** A boolean; CSV spellings true/false/1/0/yes/no are accepted. */
const bool = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return v;
}, z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }));

const text = z.string();
/** The reason given for a currency that is not ISO 4217. */
export const ISO_CURRENCY_MESSAGE = 'must be an ISO 4217 currency code such as USD';

/** A currency as options and the API take it: an ISO 4217 code in any case, upper-cased (`usd` → `USD`; `XYZ` is refused). */
export const isoCurrencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, ISO_CURRENCY_MESSAGE)
  .transform((c) => c.toUpperCase())
  .refine(isIsoCurrency, ISO_CURRENCY_MESSAGE);

const currency = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
  z.string().refine(isIsoCurrency, { error: (iss) => `expected an ISO 4217 code like USD, got ${show(iss.input)}` }),
);

function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}
function req<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema);
}

function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(values, { error: (iss) => `expected one of ${values.join(', ')}, got ${show(iss.input)}` }),
  );
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** Converts a decimal value + currency pair to minor units, reporting problems on the right field. */
function moneyFields<T extends { value?: number | undefined; currency?: string | undefined }>(
  rec: T,
  ctx: z.RefinementCtx,
  valueField: string,
): (Omit<T, 'value'> & { value_minor?: number }) {
  const { value, ...rest } = rec;
  if (value === undefined) return rest;
  if (value < 0) {
    ctx.addIssue({ code: 'custom', path: [valueField], message: `must be ≥ 0, got ${value}` });
    return z.NEVER;
  }
  if (value > 0 && rec.currency === undefined) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: `is required when ${valueField} > 0` });
    return z.NEVER;
  }
  const cur = rec.currency ?? 'XXX';
  const minor = toMinorUnits(value, cur);
  if (minor === undefined || !Number.isSafeInteger(minor)) {
    ctx.addIssue({
      code: 'custom',
      path: [valueField],
      message: `${value} has more than ${currencyExponent(cur)} decimals for ${cur}`,
    });
    return z.NEVER;
  }
  return { ...rest, value_minor: minor };
}

export const accountSchema = z.object({
  id: req(id),
  platform: opt(text),
  handle: opt(text),
  name: opt(text),
  followers: opt(count),
  following: opt(count),
  created_at: opt(timestamp),
});

export const followSchema = z.object({
  follower_id: req(id),
  followee_id: req(id),
  since: opt(timestamp),
});

/** What a post is (format v1.1; absent = original). */
export const POST_KINDS = ['original', 'reply', 'quote', 'repost'] as const;

export const postSchema = z.object({
  id: req(id),
  author_id: req(id),
  created_at: req(timestamp),
  text: opt(text),
  url: opt(httpUrl),
  link_id: opt(id),
  campaign_id: opt(id),
  reply_to: opt(id),
  // v1.1: what the post is, what it reposts or quotes, and the counters the platform showed at export time.
  kind: opt(enumOf(POST_KINDS)),
  repost_of: opt(id),
  quote_of: opt(id),
  platform: opt(text),
  lang: opt(text),
  likes: opt(count),
  reposts: opt(count),
  replies: opt(count),
  quotes: opt(count),
  views: opt(count),
  // v1.1: the framing a person gave the post (pitch, endorsement, bare_link, other); it overrides clout's classifier.
  framing: opt(enumOf(FRAMINGS)),
});

/** A discount or referral code owned by an account (format v1.1): an order that uses it in its window is tied to it. */
export const codeSchema = z
  .object({
    code: req(id),
    account_id: opt(id),
    post_id: opt(id),
    campaign_id: opt(id),
    starts_at: opt(timestamp),
    ends_at: opt(timestamp),
  })
  .transform((r, ctx) => {
    if (r.starts_at !== undefined && r.ends_at !== undefined && r.ends_at < r.starts_at) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'is before starts_at' });
      return z.NEVER;
    }
    return r;
  });

export const interactionSchema = z
  .object({
    id: opt(id),
    type: req(enumOf(INTERACTION_TYPES)),
    actor_id: req(id),
    post_id: opt(id),
    target_id: opt(id),
    created_at: req(timestamp),
  })
  .transform((r, ctx) => {
    if (r.type !== 'mention' && r.post_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['post_id'], message: `is required for a ${r.type}` });
      return z.NEVER;
    }
    if (r.type === 'mention' && r.post_id === undefined && r.target_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['target_id'], message: 'a mention needs target_id or post_id' });
      return z.NEVER;
    }
    return { ...r, id: r.id ?? interactionId(r) };
  });

export const linkSchema = z.object({
  id: req(id),
  url: req(httpUrl),
  key: opt(text),
  post_id: opt(id),
  campaign_id: opt(id),
  author_id: opt(id),
  created_at: opt(timestamp),
});

export const clickSchema = z.object({
  id: req(id),
  link_id: req(id),
  at: req(timestamp),
  visitor_id: opt(text),
  referrer: opt(text),
  country: opt(text),
  device: opt(text),
  is_bot: opt(bool),
});

export const conversionSchema = z
  .object({
    id: req(id),
    at: req(timestamp),
    type: req(enumOf(CONVERSION_TYPES)),
    value: opt(decimal),
    currency: opt(currency),
    customer_id: opt(text),
    click_id: opt(id),
    link_id: opt(id),
    post_id: opt(id),
    campaign_id: opt(id),
    // v1.1: how an order can be tied to a post without a click id, and what became of it.
    code: opt(id),
    utm_source: opt(text),
    utm_medium: opt(text),
    utm_campaign: opt(text),
    utm_content: opt(text),
    landing_url: opt(httpUrl),
    refunded_value: opt(decimal),
    status: opt(text),
  })
  .transform((r, ctx) => {
    const { refunded_value, ...rest } = r;
    const money = moneyFields(rest, ctx, 'value');
    if (refunded_value === undefined || (money as unknown) === z.NEVER) return money;
    const refunded = moneyFields({ value: refunded_value, currency: r.currency }, ctx, 'refunded_value') as { value_minor?: number };
    if ((refunded as unknown) === z.NEVER) return z.NEVER;
    const paid = (money as { value_minor?: number }).value_minor;
    if (refunded.value_minor !== undefined && (paid === undefined || refunded.value_minor > paid)) {
      ctx.addIssue({ code: 'custom', path: ['refunded_value'], message: `must not exceed value, got ${refunded_value}` });
      return z.NEVER;
    }
    return { ...money, refunded_minor: refunded.value_minor };
  });

export const campaignSchema = z
  .object({
    id: req(id),
    name: opt(text),
    goal_value: opt(decimal),
    currency: opt(currency),
    starts_at: opt(timestamp),
    ends_at: opt(timestamp),
    owner_id: opt(id),
    metric: opt(text),
  })
  .transform((r, ctx) => {
    const { goal_value, ...rest } = r;
    const money = moneyFields({ ...rest, value: goal_value }, ctx, 'goal_value');
    const { value_minor, ...others } = money as typeof money & { value_minor?: number };
    return { ...others, goal_minor: value_minor };
  })
  .transform((r, ctx) => {
    if (r.starts_at !== undefined && r.ends_at !== undefined && r.ends_at < r.starts_at) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'is before starts_at' });
      return z.NEVER;
    }
    return r;
  });

export const metricSchema = z.object({
  series: req(id),
  at: req(timestamp),
  value: req(decimal),
});

/** The schema of each kind. */
export const SCHEMAS = {
  accounts: accountSchema,
  campaigns: campaignSchema,
  follows: followSchema,
  posts: postSchema,
  links: linkSchema,
  codes: codeSchema,
  interactions: interactionSchema,
  clicks: clickSchema,
  conversions: conversionSchema,
  metrics: metricSchema,
} as const;

export type Account = z.output<typeof accountSchema>;
export type Follow = z.output<typeof followSchema>;
export type Post = z.output<typeof postSchema>;
export type Interaction = z.output<typeof interactionSchema>;
export type Link = z.output<typeof linkSchema>;
export type Click = z.output<typeof clickSchema>;
export type Conversion = z.output<typeof conversionSchema>;
export type Campaign = z.output<typeof campaignSchema>;
export type Metric = z.output<typeof metricSchema>;
export type Code = z.output<typeof codeSchema>;

/** The normalized record type of each kind. */
export interface RecordOf {
  accounts: Account;
  campaigns: Campaign;
  follows: Follow;
  posts: Post;
  links: Link;
  codes: Code;
  interactions: Interaction;
  clicks: Click;
  conversions: Conversion;
  metrics: Metric;
}

/** A schema's field names in declaration order, read through its transforms to the object they start from. */
function fieldNames(schema: z.ZodType): readonly string[] {
  let s = schema as unknown as { def: { type: string; in?: unknown }; shape?: Record<string, unknown> };
  while (s.def.type === 'pipe') s = s.def.in as typeof s;
  return Object.keys(s.shape ?? {});
}

/** The interchange field names of each kind, in documented order (CSV header order when writing): its schema's fields. */
export const FIELDS = byKind((k) => fieldNames(SCHEMAS[k]));

/** The key fields of each kind: importing a record with the same key updates it. */
export const KEY_FIELDS: { [K in Kind]: readonly string[] } = {
  accounts: ['id'],
  campaigns: ['id'],
  follows: ['follower_id', 'followee_id'],
  posts: ['id'],
  links: ['id'],
  codes: ['code'],
  interactions: ['id'],
  clicks: ['id'],
  conversions: ['id'],
  metrics: ['series', 'at'],
};

/** A deterministic id for an interaction that came without one, derived from its content. */
export function interactionId(r: {
  type: string;
  actor_id: string;
  post_id?: string | undefined;
  target_id?: string | undefined;
  created_at: number;
}): string {
  const h = createHash('sha256');
  h.update(`${r.type}\u0000${r.actor_id}\u0000${r.post_id ?? ''}\u0000${r.target_id ?? ''}\u0000${r.created_at}`);
  return 'ix_' + h.digest('hex').slice(0, 24);
}

/** One problem with one field of one raw record. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** Result of validating one raw record: the normalized record, or the issues that reject it. */
export type Validation<T> = { ok: true; record: T } | { ok: false; issues: FieldIssue[] };

/** Validates one raw record of a kind against its schema. */
export function validateRecord<K extends Kind>(kind: K, raw: unknown): Validation<RecordOf[K]> {
  const result = SCHEMAS[kind].safeParse(raw);
  if (result.success) return { ok: true, record: result.data as RecordOf[K] };
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const issues: FieldIssue[] = result.error.issues.map((iss) => {
    const field = iss.path.length > 0 ? String(iss.path[0]) : '';
    const given = fields[field];
    const missing = field !== '' && (given === undefined || given === null || given === '');
    return { field, reason: missing && iss.code === 'invalid_type' ? 'is required' : iss.message };
  });
  return { ok: false, issues };
}
