/**
 * Webhook signature checks against signatures made by the official client libraries (`stripe`'s
 * generateTestHeaderString and `standardwebhooks`' Webhook.sign), plus the pure event → conversion mappings.
 */
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { hashEmail } from '../../../src/server/conversions/schema.js';
import { verifyStandardSignature, verifyStripeSignature } from '../../../src/server/webhooks/signature.js';
import { mapStandardEvent } from '../../../src/server/webhooks/standard.js';
import { mapStripeEvent } from '../../../src/server/webhooks/stripe.js';

const STRIPE_SECRET = 'whsec_test_3f9a1c0d2b';
const STD_SECRET = 'whsec_' + Buffer.from('a 32-byte secret for the tests!!').toString('base64');
const T = 1_780_000_000; // unix seconds

function stripeHeader(payload: string, secret = STRIPE_SECRET, timestamp = T): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

describe('Stripe-Signature', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed', data: { object: {} } });
  const raw = Buffer.from(body);

  it('accepts what stripe-node signs, within 300 s either side', () => {
    const h = stripeHeader(body);
    expect(verifyStripeSignature(h, raw, STRIPE_SECRET, T * 1000)).toEqual({ ok: true, timestamp: T });
    expect(verifyStripeSignature(h, raw, STRIPE_SECRET, (T + 300) * 1000).ok).toBe(true);
    expect(verifyStripeSignature(h, raw, STRIPE_SECRET, (T - 300) * 1000).ok).toBe(true);
  });

  it('rejects expired and far-future timestamps (> 300 s)', () => {
    const h = stripeHeader(body);
    expect(verifyStripeSignature(h, raw, STRIPE_SECRET, (T + 301) * 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance/) });
    expect(verifyStripeSignature(h, raw, STRIPE_SECRET, (T - 301) * 1000).ok).toBe(false);
  });

  it('rejects a wrong secret, a changed body and a missing header', () => {
    expect(verifyStripeSignature(stripeHeader(body, 'whsec_other'), raw, STRIPE_SECRET, T * 1000)).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verifyStripeSignature(stripeHeader(body), Buffer.from(body.replace('evt_1', 'evt_2')), STRIPE_SECRET, T * 1000).ok).toBe(false);
    expect(verifyStripeSignature(undefined, raw, STRIPE_SECRET, T * 1000).ok).toBe(false);
    expect(verifyStripeSignature('t=abc,v1=00', raw, STRIPE_SECRET, T * 1000).ok).toBe(false);
  });

  it('accepts any one of several v1 signatures (secret rolling) and ignores v0', () => {
    const good = stripeHeader(body).split(',')[1]!;
    const bad = stripeHeader(body, 'whsec_old').split(',')[1]!;
    expect(verifyStripeSignature(`t=${T},${bad},${good}`, raw, STRIPE_SECRET, T * 1000).ok).toBe(true);
    expect(verifyStripeSignature(`t=${T},v0=${good.slice(3)}`, raw, STRIPE_SECRET, T * 1000).ok).toBe(false);
  });
});

describe('Standard Webhooks signature', () => {
  const body = JSON.stringify({ type: 'conversion.created', data: { type: 'sale', customer_id: 'c', amount: 5, currency: 'EUR' } });
  const raw = Buffer.from(body);
  const sign = (secret = STD_SECRET, id = 'msg_1', ts = T) => new Webhook(secret).sign(id, new Date(ts * 1000), body);

  it('accepts what standardwebhooks signs', () => {
    const h = { id: 'msg_1', timestamp: String(T), signature: sign() };
    expect(verifyStandardSignature(h, raw, STD_SECRET, T * 1000)).toEqual({ ok: true, timestamp: T });
    // several signatures separated by spaces: any valid one passes
    const other = sign('whsec_' + Buffer.from('another secret, 32 bytes long!!!').toString('base64'));
    expect(verifyStandardSignature({ ...h, signature: `${other} ${h.signature}` }, raw, STD_SECRET, T * 1000).ok).toBe(true);
  });

  it('rejects wrong secret, wrong id, changed body and stale timestamps', () => {
    const h = { id: 'msg_1', timestamp: String(T), signature: sign() };
    expect(verifyStandardSignature({ ...h, signature: sign('whsec_' + Buffer.from('a different secret of 32 bytes!!').toString('base64')) }, raw, STD_SECRET, T * 1000).ok).toBe(false);
    expect(verifyStandardSignature({ ...h, id: 'msg_2' }, raw, STD_SECRET, T * 1000).ok).toBe(false);
    expect(verifyStandardSignature(h, Buffer.from(body + ' '), STD_SECRET, T * 1000).ok).toBe(false);
    expect(verifyStandardSignature(h, raw, STD_SECRET, (T + 301) * 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance/) });
    expect(verifyStandardSignature({ ...h, signature: undefined }, raw, STD_SECRET, T * 1000).ok).toBe(false);
  });

  it('agrees with the library on what it accepts', () => {
    const wh = new Webhook(STD_SECRET);
    const sig = sign();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': sig };
    // The library checks against the real clock; sign at "now" for it.
    const nowSig = new Webhook(STD_SECRET).sign('msg_1', new Date(Number(headers['webhook-timestamp']) * 1000), body);
    expect(() => wh.verify(body, { ...headers, 'webhook-signature': nowSig })).not.toThrow();
    expect(verifyStandardSignature({ id: 'msg_1', timestamp: headers['webhook-timestamp'], signature: nowSig }, raw, STD_SECRET, Date.now()).ok).toBe(true);
  });
});

describe('event mappings', () => {
  const session = {
    id: 'cs_test_1', client_reference_id: 'click_1', amount_total: 2500, currency: 'usd',
    customer: null, customer_details: { email: 'Buyer@Example.com' }, payment_status: 'paid', metadata: {},
  };

  it('turns a paid checkout session into a sale without storing the e-mail', () => {
    const m = mapStripeEvent({ id: 'evt_1', type: 'checkout.session.completed', data: { object: session } });
    expect(m).toEqual({
      kind: 'conversion',
      input: {
        type: 'sale', clickIds: ['click_1'], linkKey: null, customerId: hashEmail('buyer@example.com'), amountMinor: 2500,
        currency: 'USD', eventName: 'checkout.session.completed', externalId: 'cs_test_1', metadata: null, source: 'stripe',
      },
    });
    expect(JSON.stringify(m)).not.toContain('@');
  });

  it('prefers the Stripe customer id, ignores unpaid sessions and other events', () => {
    const m = mapStripeEvent({ id: 'e', type: 'checkout.session.completed', data: { object: { ...session, customer: 'cus_9' } } });
    expect(m.kind === 'conversion' && m.input.customerId).toBe('cus_9');
    expect(mapStripeEvent({ id: 'e', type: 'checkout.session.completed', data: { object: { ...session, payment_status: 'unpaid' } } }).kind).toBe('ignore');
    expect(mapStripeEvent({ id: 'e', type: 'invoice.paid', data: { object: {} } }).kind).toBe('ignore');
    expect(mapStripeEvent({ id: 'e', type: 'checkout.session.completed', data: { object: { ...session, currency: 'dollars' } } }).kind).toBe('invalid');
  });

  it('maps Standard Webhooks conversion.created through the tracking schema', () => {
    const m = mapStandardEvent({ type: 'conversion.created', data: { type: 'donation', customer_id: 'd1', amount: 1000, currency: 'eur', click_id: 'k' } });
    expect(m).toMatchObject({ kind: 'conversion', input: { type: 'donation', clickIds: ['k'], amountMinor: 1000, currency: 'EUR', source: 'standard' } });
    expect(mapStandardEvent({ type: 'customer.updated', data: {} }).kind).toBe('ignore');
    expect(mapStandardEvent({ type: 'conversion.created', data: { type: 'refund', customer_id: 'x' } }).kind).toBe('invalid');
    expect(mapStandardEvent({ type: 'conversion.created', data: { type: 'sale', customer_id: 'x', amount: -5, currency: 'EUR' } })).toMatchObject({
      kind: 'invalid', reason: expect.stringMatching(/data\.amount/),
    });
  });
});
