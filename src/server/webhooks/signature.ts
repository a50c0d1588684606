/**
 * Webhook signature checks (pure: the caller passes the raw body, the headers and the clock).
 *
 * - Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 of `${t}.${rawBody}` keyed
 *   with the whole `whsec_…` secret string, as Stripe's own libraries use it. Any one matching v1 is enough (Stripe
 *   sends several while a secret is being rolled).
 * - Standard Webhooks: headers `webhook-id`, `webhook-timestamp` (unix s) and `webhook-signature`
 *   (`v1,<base64>` entries separated by spaces), HMAC-SHA256 of `${id}.${timestamp}.${rawBody}` keyed with the
 *   base64-decoded part of the `whsec_<base64>` secret.
 * Both: the timestamp must be within the tolerance (300 s) of now, in either direction; comparisons are
 * constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Largest accepted distance between a signature's timestamp and now: 300 seconds. */
export const SIGNATURE_TOLERANCE_S = 300;

/** Why a signature was refused, or `ok`. */
export type SignatureResult = { ok: true; timestamp: number } | { ok: false; reason: string };

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTimestamp(text: string | undefined, nowMs: number, toleranceS: number): number | string {
  if (text === undefined || !/^\d{1,12}$/.test(text)) return 'missing or malformed timestamp';
  const t = Number(text);
  if (Math.abs(nowMs / 1000 - t) > toleranceS) return `timestamp outside the ${toleranceS} s tolerance`;
  return t;
}

/** Verifies a `Stripe-Signature` header over the raw request body. */
export function verifyStripeSignature(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  nowMs: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): SignatureResult {
  if (!header) return { ok: false, reason: 'missing Stripe-Signature header' };
  let t: string | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) v1.push(Buffer.from(v, 'hex'));
  }
  if (v1.length === 0) return { ok: false, reason: 'no v1 signature in Stripe-Signature' };
  const ts = checkTimestamp(t, nowMs, toleranceS);
  if (typeof ts === 'string') return { ok: false, reason: ts };
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return v1.some((s) => safeEqual(s, expected)) ? { ok: true, timestamp: ts } : { ok: false, reason: 'signature mismatch' };
}

/** Decodes a Standard Webhooks secret (`whsec_<base64>`, or bare base64) into its key bytes. */
export function standardWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** Verifies Standard Webhooks headers over the raw request body. */
export function verifyStandardSignature(
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  secret: string,
  nowMs: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): SignatureResult {
  if (!headers.id || !headers.signature) return { ok: false, reason: 'missing webhook-id or webhook-signature header' };
  const ts = checkTimestamp(headers.timestamp, nowMs, toleranceS);
  if (typeof ts === 'string') return { ok: false, reason: ts };
  const expected = createHmac('sha256', standardWebhookKey(secret))
    .update(`${headers.id}.${headers.timestamp}.`)
    .update(rawBody)
    .digest();
  for (const entry of headers.signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    if (safeEqual(Buffer.from(entry.slice(comma + 1), 'base64'), expected)) return { ok: true, timestamp: ts };
  }
  return { ok: false, reason: 'signature mismatch' };
}
