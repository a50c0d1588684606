/**
 * A fast path for the schemas of src/domain/schemas.ts: for the common case — every field well formed — it builds
 * the same normalized record the kind's zod schema would, with no intermediate objects. It only ever *accepts*:
 * whenever a value is missing where required, of an unexpected type, or malformed, it answers `undefined` and the
 * caller runs the zod schema, which stays the one definition of the format and the one source of every rejection
 * message. `test/import-fast-path.test.ts` checks on random and mutated records that whatever the fast path
 * accepts, zod accepts with an equal result.
 *
 * Each field's kind of value (id, text, timestamp, …) below mirrors the field's zod type in schemas.ts; required
 * fields are taken from the schema itself (see columns.ts). Campaigns and codes (rare, with a date-order refinement) always go to zod.
 */
import {
  CONVERSION_TYPES,
  FRAMINGS,
  isIsoCurrency,
  INTERACTION_TYPES,
  POST_KINDS,
  interactionId,
  parseTimestamp,
  toMinorUnits,
  type Kind,
} from '../domain/index.js';
import { requiredFields } from './columns.js';

/** Returned by a field check when the value needs the full schema. */
const DEFER = Symbol('defer');
type FieldCheck = (v: unknown) => unknown;

const DECIMAL_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const COUNT_TEXT = /^\s*\d+\s*$/;

const id: FieldCheck = (v) => {
  if (typeof v === 'string') {
    const t = v.trim();
    return t.length > 0 ? t : DEFER;
  }
  return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : DEFER;
};
const text: FieldCheck = (v) => (typeof v === 'string' ? v : DEFER);
const timestamp: FieldCheck = (v) => {
  if (typeof v !== 'string') return DEFER;
  return canonicalTimestamp(v) ?? parseTimestamp(v) ?? DEFER;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits of `s` from `at` (length `n`) as a number, or -1 when one of them is not a digit. */
function digits(s: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The two spellings of a timestamp that writers emit most — `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS[.mmm]Z` — read
 * without a regular expression, to the same epoch ms as parseTimestamp; undefined for anything else (including
 * years before 100, which parseTimestamp reads its own way), so that parseTimestamp decides.
 */
function canonicalTimestamp(s: string): number | undefined {
  const n = s.length;
  if (n !== 10 && n !== 20 && n !== 24) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined; // '-'
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return undefined;
  if (n === 10) return Date.UTC(year, month - 1, day);
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return undefined; // T : : Z
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let millis = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return undefined; // '.'
    millis = digits(s, 20, 3);
    if (millis < 0) return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}
const count: FieldCheck = (v) => {
  const n = typeof v === 'string' && COUNT_TEXT.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : DEFER;
};
const decimal: FieldCheck = (v) => {
  const n = typeof v === 'string' && DECIMAL_TEXT.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : DEFER;
};
const bool: FieldCheck = (v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return DEFER;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return DEFER;
};
const httpUrl: FieldCheck = (v) => {
  if (typeof v !== 'string') return DEFER;
  const trimmed = v.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return DEFER;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? trimmed : DEFER;
};
const currency: FieldCheck = (v) => {
  if (typeof v !== 'string') return DEFER;
  const t = v.trim().toUpperCase();
  return isIsoCurrency(t) ? t : DEFER;
};
function oneOf(values: readonly string[]): FieldCheck {
  const allowed = new Set(values);
  return (v) => {
    if (typeof v !== 'string') return DEFER;
    const t = v.trim().toLowerCase();
    return allowed.has(t) ? t : DEFER;
  };
}

/** The value check of each field of each kind with a fast path (mirrors schemas.ts). */
const FIELD_CHECKS: { [K in Exclude<Kind, 'campaigns' | 'codes'>]: Record<string, FieldCheck> } = {
  accounts: { id, platform: text, handle: text, name: text, followers: count, following: count, created_at: timestamp },
  follows: { follower_id: id, followee_id: id, since: timestamp },
  posts: {
    id,
    author_id: id,
    created_at: timestamp,
    text,
    url: httpUrl,
    link_id: id,
    campaign_id: id,
    reply_to: id,
    kind: oneOf(POST_KINDS),
    repost_of: id,
    quote_of: id,
    platform: text,
    lang: text,
    likes: count,
    reposts: count,
    replies: count,
    quotes: count,
    views: count,
    framing: oneOf(FRAMINGS),
  },
  links: { id, url: httpUrl, key: text, post_id: id, campaign_id: id, author_id: id, created_at: timestamp },
  interactions: { id, type: oneOf(INTERACTION_TYPES), actor_id: id, post_id: id, target_id: id, created_at: timestamp },
  clicks: { id, link_id: id, at: timestamp, visitor_id: text, referrer: text, country: text, device: text, is_bot: bool },
  conversions: {
    id,
    at: timestamp,
    type: oneOf(CONVERSION_TYPES),
    value: decimal,
    currency,
    customer_id: text,
    click_id: id,
    link_id: id,
    post_id: id,
    campaign_id: id,
    code: id,
    utm_source: text,
    utm_medium: text,
    utm_campaign: text,
    utm_content: text,
    landing_url: httpUrl,
    refunded_value: decimal,
    status: text,
  },
  metrics: { series: id, at: timestamp, value: decimal },
};

type Normalized = Record<string, unknown>;
type FastValidator = (fields: Record<string, unknown>) => Normalized | undefined;

/** Builds the object-level fast path of a kind: every field checked, required ones present. */
function objectValidator(kind: Kind, checks: Record<string, FieldCheck>): FastValidator {
  const required = new Set(requiredFields(kind));
  const entries = Object.entries(checks).map(([field, check]) => ({ field, check, required: required.has(field) }));
  return (fields) => {
    const out: Normalized = {};
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const v = fields[e.field];
      if (v === undefined || v === null || v === '') {
        if (e.required) return undefined;
        continue;
      }
      const n = e.check(v);
      if (n === DEFER) return undefined;
      out[e.field] = n;
    }
    return out;
  };
}

/** The record-level steps of schemas.ts that follow the object, for the kinds that have them. */
function interactionsValidator(object: FastValidator): FastValidator {
  return (fields) => {
    const r = object(fields);
    if (r === undefined) return undefined;
    if (r.post_id === undefined && (r.type !== 'mention' || r.target_id === undefined)) return undefined;
    if (r.id === undefined) {
      r.id = interactionId(r as { type: string; actor_id: string; post_id?: string; target_id?: string; created_at: number });
    }
    return r;
  };
}

function conversionsValidator(object: FastValidator): FastValidator {
  return (fields) => {
    const r = object(fields);
    if (r === undefined) return undefined;
    const value = r.value as number | undefined;
    const refunded = r.refunded_value as number | undefined;
    if (value === undefined) return refunded === undefined ? r : undefined;
    const cur = r.currency as string | undefined;
    if (value < 0 || (value > 0 && cur === undefined)) return undefined;
    const minor = toMinorUnits(value, cur ?? 'XXX');
    if (minor === undefined || !Number.isSafeInteger(minor)) return undefined;
    delete r.value;
    r.value_minor = minor;
    if (refunded === undefined) return r;
    // A refund: in the same currency, never more than the value (else the schema says why).
    if (refunded < 0 || (refunded > 0 && cur === undefined)) return undefined;
    const refundedMinor = toMinorUnits(refunded, cur ?? 'XXX');
    if (refundedMinor === undefined || !Number.isSafeInteger(refundedMinor) || refundedMinor > minor) return undefined;
    delete r.refunded_value;
    r.refunded_minor = refundedMinor;
    return r;
  };
}

const VALIDATORS: Partial<Record<Kind, FastValidator>> = {};
for (const [kind, checks] of Object.entries(FIELD_CHECKS) as [Exclude<Kind, 'campaigns' | 'codes'>, Record<string, FieldCheck>][]) {
  const object = objectValidator(kind, checks);
  VALIDATORS[kind] =
    kind === 'interactions' ? interactionsValidator(object) : kind === 'conversions' ? conversionsValidator(object) : object;
}

/** The normalized record when the fast path is sure the kind's schema accepts `fields` (same result), else undefined. */
export function fastValidate(kind: Kind, fields: Record<string, unknown>): Normalized | undefined {
  const validator = VALIDATORS[kind];
  return validator === undefined ? undefined : validator(fields);
}
