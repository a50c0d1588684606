/**
 * ISO 4217 currencies: every currency the server accepts (tracking API, Stripe and Standard webhooks, the report
 * query) is checked by isIsoCurrency; a made-up code is refused naming the field, and nothing is stored.
 */
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIsoCurrency } from '../../src/domain/index.js';
import { mapStandardEvent } from '../../src/server/webhooks/standard.js';
import { mapStripeEvent } from '../../src/server/webhooks/stripe.js';
import { post, STANDARD_SECRET, startHarness, STRIPE_SECRET, type Harness } from '../support/server-harness.js';

describe('isIsoCurrency', () => {
  it('knows ISO 4217 codes, upper-case only, and nothing else', () => {
    for (const c of ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'KWD', 'CLP']) expect(isIsoCurrency(c), c).toBe(true);
    for (const c of ['XYZ', 'ABC', 'usd', 'Usd', 'US', 'USDD', '', 'dollars', '$']) expect(isIsoCurrency(c), c).toBe(false);
  });
});

describe('webhook mappers', () => {
  it('Stripe: a session in an unknown currency is invalid, naming the currency', () => {
    const event = { id: 'evt_x', type: 'checkout.session.completed', data: { object: { id: 'cs_x', amount_total: 100, currency: 'xyz', customer: 'cus_1' } } };
    const m = mapStripeEvent(event);
    expect(m.kind).toBe('invalid');
    expect(m.kind === 'invalid' && m.reason).toMatch(/currency.*ISO 4217/);
    const ok = mapStripeEvent({ ...event, data: { object: { ...event.data.object, currency: 'eur' } } });
    expect(ok.kind === 'conversion' && ok.input.currency).toBe('EUR');
  });

  it('Standard Webhooks: data.currency must be ISO 4217', () => {
    const m = mapStandardEvent({ type: 'conversion.created', data: { type: 'sale', customer_id: 'c', amount: 100, currency: 'XYZ' } });
    expect(m.kind).toBe('invalid');
    expect(m.kind === 'invalid' && m.reason).toMatch(/^data\.currency: .*ISO 4217/);
  });
});

describe('over HTTP', () => {
  let h: Harness;
  let secret: string;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ seed: false });
    secret = await h.key(['conversions:write']);
    admin = await h.key(['admin']);
  });
  afterAll(async () => {
    await h?.close();
  });
  const nowS = (): number => Math.floor((Date.now() + h.clock.offset) / 1000);

  it.each(['XYZ', 'xyz', 'XXX', 'dollars', 'US'])('POST /api/track/sale refuses currency %s with 400 invalid_body naming the field', async (currency) => {
    const before = (await h.conversions()).length;
    const r = await post(`${h.url}/api/track/sale`, { customer_id: 'c', amount: 1999, currency }, secret);
    expect(r.status, r.text).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'invalid_body', type: 'urn:clout:problem:invalid_body' });
    expect(r.body.detail).toMatch(/^currency: .*ISO 4217/);
    expect((await h.conversions()).length).toBe(before);
  });

  it('POST /api/track/sale accepts an ISO 4217 code in any case and stores it upper-case', async () => {
    const r = await post(`${h.url}/api/track/sale`, { customer_id: 'c', amount: 1999, currency: 'eur' }, secret);
    expect(r.status, r.text).toBe(201);
    expect(r.body.currency).toBe('EUR');
  });

  it('webhooks refuse an unknown currency with 400 invalid_event and store nothing', async () => {
    const before = (await h.conversions()).length;
    const stripePayload = JSON.stringify({
      id: 'evt_cur', type: 'checkout.session.completed',
      data: { object: { id: 'cs_cur', payment_status: 'paid', amount_total: 100, currency: 'xyz', customer: 'cus_1' } },
    });
    const stripeHeader = Stripe.webhooks.generateTestHeaderString({ payload: stripePayload, secret: STRIPE_SECRET, timestamp: nowS() });
    const s = await post(`${h.url}/webhooks/stripe`, stripePayload, undefined, { 'stripe-signature': stripeHeader });
    expect(s.status, s.text).toBe(400);
    expect(s.body.code).toBe('invalid_event');
    expect(s.body.detail).toMatch(/currency.*ISO 4217/);

    const payload = JSON.stringify({ type: 'conversion.created', data: { type: 'sale', customer_id: 'c', amount: 100, currency: 'XYZ' } });
    const at = nowS();
    const std = await post(`${h.url}/webhooks/standard`, payload, undefined, {
      'webhook-id': 'msg_cur',
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(STANDARD_SECRET).sign('msg_cur', new Date(at * 1000), payload),
    });
    expect(std.status, std.text).toBe(400);
    expect(std.body.code).toBe('invalid_event');
    expect(std.body.detail).toMatch(/data\.currency: .*ISO 4217/);
    expect((await h.conversions()).length).toBe(before);
  });

  it('GET /api/report refuses currency=XYZ with 400 validation naming the field', async () => {
    const res = await fetch(`${h.url}/api/report?currency=XYZ&model=false`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('validation');
    expect(body.detail).toMatch(/^currency must be an ISO 4217 currency code such as USD; got 'XYZ'/);
  });
});
