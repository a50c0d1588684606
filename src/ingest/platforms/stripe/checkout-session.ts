/**
 * A Stripe Checkout Session object (API `object: "checkout.session"`) as a conversion: a complete, paid session is a
 * conversion whose id is the session id; unpaid, expired, open and test-mode sessions are reported.
 * Amounts in the API are integers in the currency's minor unit (¥1500 is 1500, $12.50 is 1250).
 */
import { formatTimestamp, fromMinorUnits } from '../../../domain/index.js';
import { conversionRecord, conversionReject, conversionReported } from '../fields.js';
import type { Emitted, Origin, PlatformContext } from '../types.js';
import { absoluteHttpUrl, mergeUtm, UTM_KEYS, utmFrom, type UtmTags } from '../utm.js';

/** A JSON object, as parsed. */
export type JsonObject = Record<string, unknown>;

/** True when `v` is a JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What one Checkout Session becomes; `origin` has the file and record index, the session id is added to it. */
export function sessionItem(session: JsonObject, origin: Origin, ctx: PlatformContext, raw: unknown = session): Emitted {
  const id = typeof session['id'] === 'string' ? session['id'].trim() : '';
  if (id === '') return conversionReject(origin, 'id', 'a Checkout Session needs its id', raw);
  const at: Origin = { ...origin, record: id };
  const reject = (field: string, reason: string): Emitted => conversionReject(at, field, reason, raw);
  const reported = (reason: string): Emitted => conversionReported(at, reason);

  const created = session['created'];
  if (typeof created !== 'number' || !Number.isFinite(created)) return reject('created', 'expected a Unix time in seconds');
  if (session['livemode'] === false) return reported('test mode payment');

  const status = session['status'];
  if (status === 'expired') return reported('expired session');
  if (status === 'open') return reported('open session');
  if (status !== 'complete' && status !== undefined && status !== null) {
    return reject('status', `unknown session status: ${JSON.stringify(status)}`);
  }
  const paymentStatus = session['payment_status'];
  if (paymentStatus === 'unpaid') return reported('unpaid session');
  if (paymentStatus !== 'paid' && paymentStatus !== 'no_payment_required') {
    return reject('payment_status', `unknown payment status: ${JSON.stringify(paymentStatus ?? null)}`);
  }

  const currency = typeof session['currency'] === 'string' ? session['currency'].trim().toUpperCase() : undefined;
  const total = session['amount_total'];
  let value: number | undefined;
  if (total !== undefined && total !== null) {
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
      return reject('amount_total', `expected an amount in minor units, got ${JSON.stringify(total)}`);
    }
    if (currency === undefined && total > 0) return reject('currency', 'is required when amount_total > 0');
    value = fromMinorUnits(total, currency ?? 'XXX');
  } else if (paymentStatus === 'paid') {
    return reject('amount_total', 'is required for a paid session');
  }

  const metadata = isJsonObject(session['metadata']) ? session['metadata'] : {};
  const details = isJsonObject(session['customer_details']) ? session['customer_details'] : {};
  const fields: Record<string, unknown> = {
    id,
    at: formatTimestamp(Math.round(created * 1000)),
    type: ctx.conversionType,
    value,
    currency,
    customer_id: customerOf(session) ?? stringOf(details['email']) ?? stringOf(session['customer_email']),
    click_id: stringOf(session['client_reference_id']) ?? stringOf(metadata['click_id']),
    code: metadataCode(metadata) ?? promotionCodeOf(session),
    ...mergeUtm(metadataUtm(metadata), utmFrom(stringOf(metadata['landing_url']))),
    landing_url: absoluteHttpUrl(stringOf(metadata['landing_url'])),
    status: paymentStatus,
  };
  return conversionRecord(fields, at, raw);
}

/** The code in the metadata keys `code`, `coupon` or `promo_code` (first one given). */
function metadataCode(metadata: JsonObject): string | undefined {
  return stringOf(metadata['code']) ?? stringOf(metadata['coupon']) ?? stringOf(metadata['promo_code']);
}

/** A non-blank string, trimmed, or undefined. */
function stringOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** The session's customer id (`customer` is an id, or the Customer object when expanded). */
function customerOf(session: JsonObject): string | undefined {
  const c = session['customer'];
  return isJsonObject(c) ? stringOf(c['id']) : stringOf(c);
}

/**
 * The customer-facing code of the session's first promotion code, when `discounts[].promotion_code` was expanded
 * (a bare `promo_…` id or a coupon id is not the code a customer typed, so it is not used).
 */
function promotionCodeOf(session: JsonObject): string | undefined {
  const discounts = session['discounts'];
  if (!Array.isArray(discounts)) return undefined;
  for (const d of discounts) {
    if (!isJsonObject(d)) continue;
    const promo = d['promotion_code'];
    if (isJsonObject(promo)) {
      const code = stringOf(promo['code']);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

/** UTM tags from the session's metadata keys `utm_source` … `utm_content`. */
function metadataUtm(metadata: JsonObject): UtmTags {
  const out: UtmTags = {};
  for (const key of UTM_KEYS) {
    const v = stringOf(metadata[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
