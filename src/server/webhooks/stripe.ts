/**
 * Stripe events → conversions. `checkout.session.completed` (and `checkout.session.async_payment_succeeded`, for
 * payment methods that settle later) becomes a sale: click id from `client_reference_id`, amount `amount_total`
 * (minor units), `currency` upper-cased, customer from `customer` (a Stripe customer id) or else the hash of
 * `customer_details.email` (raw e-mails are never stored). The session id is the sale's external id, so the two
 * events of one session record one sale. A session still `unpaid` is not a sale yet; other events are ignored.
 */
import { z } from 'zod';
import { hashEmail, TRACK_LIMITS, type ConversionInput } from '../conversions/schema.js';
import { ISO_CURRENCY_MESSAGE, isIsoCurrency } from '../../domain/index.js';

/** Stripe event types that record a sale. */
export const STRIPE_SALE_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded'] as const;

const sessionSchema = z.object({
  id: z.string().min(1).max(TRACK_LIMITS.maxIdLength),
  client_reference_id: z.string().min(1).max(TRACK_LIMITS.maxIdLength).nullish(),
  amount_total: z.number().int().min(0).nullish(),
  currency: z.string().nullish(),
  customer: z.union([z.string(), z.object({ id: z.string() }).loose()]).nullish(),
  customer_details: z.object({ email: z.string().nullish() }).loose().nullish(),
  payment_status: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** The envelope of a Stripe event. */
export const stripeEventSchema = z.object({
  id: z.string().min(1).max(TRACK_LIMITS.maxIdLength),
  type: z.string(),
  data: z.object({ object: z.unknown() }).loose(),
}).loose();

/** A parsed Stripe event envelope. */
export type StripeEvent = z.output<typeof stripeEventSchema>;

/** What to do with a Stripe event: record a conversion, or ignore it (with why). */
export type StripeMapping = { kind: 'conversion'; input: ConversionInput } | { kind: 'ignore'; reason: string } | { kind: 'invalid'; reason: string };

/** Maps a verified Stripe event to a conversion (pure). */
export function mapStripeEvent(event: StripeEvent): StripeMapping {
  if (!(STRIPE_SALE_EVENTS as readonly string[]).includes(event.type)) return { kind: 'ignore', reason: `event type ${event.type} is not tracked` };
  const parsed = sessionSchema.safeParse(event.data.object);
  if (!parsed.success) return { kind: 'invalid', reason: `checkout session: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const s = parsed.data;
  if (s.payment_status === 'unpaid') return { kind: 'ignore', reason: 'checkout session not paid yet' };
  const amount = s.amount_total ?? null;
  const currency = s.currency ? s.currency.toUpperCase() : null;
  if (currency !== null && !isIsoCurrency(currency)) return { kind: 'invalid', reason: `currency: ${ISO_CURRENCY_MESSAGE}; got '${currency.slice(0, 20)}'` };
  if (amount !== null && amount > 0 && currency === null) return { kind: 'invalid', reason: 'amount_total without currency' };
  const customer = typeof s.customer === 'string' ? s.customer : (s.customer?.id ?? null);
  const email = s.customer_details?.email ?? null;
  const metadata = s.metadata && Object.keys(s.metadata).length > 0 ? s.metadata : null;
  return {
    kind: 'conversion',
    input: {
      type: 'sale',
      clickIds: s.client_reference_id ? [s.client_reference_id] : [],
      linkKey: null,
      customerId: customer ?? (email ? hashEmail(email) : null),
      amountMinor: amount,
      currency,
      eventName: event.type,
      externalId: s.id,
      metadata: metadata && Buffer.byteLength(JSON.stringify(metadata)) <= TRACK_LIMITS.maxMetadataBytes ? metadata : null,
      source: 'stripe',
    },
  };
}
