/**
 * Webhooks over real HTTP, signed by the official client libraries: Stripe (`generateTestHeaderString`) and
 * Standard Webhooks (`Webhook.sign`). Valid events are accepted once; wrong, expired (> 300 s, by the injected
 * clock) and replayed ones are rejected or ignored; nothing is stored for a rejected event.
 */
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEmail } from '../../../src/server/conversions/schema.js';
import { linkAndClick, STANDARD_SECRET, startHarness, STRIPE_SECRET, type Harness } from '../../support/server-harness.js';

let h: Harness;
let linksKey: string;

beforeAll(async () => {
  h = await startHarness();
  linksKey = await h.key(['links:write']);
});
afterAll(async () => {
  await h?.close();
});

function nowS(): number {
  return Math.floor((Date.now() + h.clock.offset) / 1000);
}

async function send(path: string, payload: string, headers: Record<string, string>): Promise<{ status: number; body: any; type: string | null }> {
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') };
}

function stripeEvent(id: string, session: Record<string, unknown>, type = 'checkout.session.completed'): string {
  return JSON.stringify({ id, object: 'event', type, data: { object: { object: 'checkout.session', payment_status: 'paid', ...session } } });
}

function stripeSend(payload: string, opts: { secret?: string; timestamp?: number } = {}) {
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? STRIPE_SECRET, timestamp: opts.timestamp ?? nowS() });
  return send('/webhooks/stripe', payload, { 'stripe-signature': header });
}

describe('POST /webhooks/stripe', () => {
  it('records a paid checkout session as an attributed sale, once', async () => {
    const { clickId, link } = await linkAndClick(h, linksKey, { url: 'https://shop.example/s', post_id: 'post_a' });
    const payload = stripeEvent('evt_1', {
      id: 'cs_test_1', client_reference_id: clickId, amount_total: 3900, currency: 'usd',
      customer: null, customer_details: { email: 'Fan@Example.com' },
    });
    const first = await stripeSend(payload);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: true, event_id: 'evt_1', duplicate: false });
    const rows = (await h.conversions()).filter((r) => r.source === 'stripe');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.body.conversion_id, type: 'sale', value_minor: 3900, currency: 'USD', click_id: clickId, link_id: link.id,
      post_id: 'post_a', author_id: 'alice', customer_id: hashEmail('fan@example.com'), external_id: 'cs_test_1',
    });
    expect(JSON.stringify(rows)).not.toMatch(/fan@example\.com/i);

    // The same event again (Stripe retries): 200, ignored.
    const replay = await stripeSend(payload);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ received: true, duplicate: true });
    // Another event for the same session (async payment succeeded): the same sale, not a second one.
    const sameSession = await stripeSend(stripeEvent('evt_2', { id: 'cs_test_1', client_reference_id: clickId, amount_total: 3900, currency: 'usd' }, 'checkout.session.async_payment_succeeded'));
    expect(sameSession.body).toMatchObject({ duplicate: true, conversion_id: first.body.conversion_id });
    expect((await h.conversions()).filter((r) => r.source === 'stripe')).toHaveLength(1);
  });

  it('rejects a wrong signature, a tampered body and an expired timestamp with 400, storing nothing', async () => {
    const before = (await h.conversions()).length;
    const payload = stripeEvent('evt_bad', { id: 'cs_bad', client_reference_id: null, amount_total: 100, currency: 'usd', customer: 'cus_x' });
    const wrong = await stripeSend(payload, { secret: 'whsec_not_ours' });
    expect(wrong.status).toBe(400);
    expect(wrong.type).toMatch(/application\/problem\+json/);
    expect(wrong.body.code).toBe('bad_signature');
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: nowS() });
    const tampered = await send('/webhooks/stripe', payload.replace('"amount_total":100', '"amount_total":100000'), { 'stripe-signature': header });
    expect(tampered.status).toBe(400);
    const expired = await stripeSend(payload, { timestamp: nowS() - 301 });
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toMatch(/tolerance/);
    // The same signature is good now and expired once the (injected) clock moves 301 s on.
    const t = nowS();
    const fresh = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: t });
    h.clock.offset += 301_000;
    try {
      expect((await send('/webhooks/stripe', payload, { 'stripe-signature': fresh })).status).toBe(400);
    } finally {
      h.clock.offset -= 301_000;
    }
    const missing = await send('/webhooks/stripe', payload, {});
    expect(missing.status).toBe(400);
    expect((await h.conversions()).length).toBe(before);
    // …and the valid delivery of that event is then accepted.
    expect((await send('/webhooks/stripe', payload, { 'stripe-signature': fresh })).status).toBe(200);
    expect((await h.conversions()).length).toBe(before + 1);
  });

  it('answers 200 to other event types and unpaid sessions without storing', async () => {
    const before = (await h.conversions()).length;
    const other = await stripeSend(JSON.stringify({ id: 'evt_inv', type: 'invoice.paid', data: { object: { id: 'in_1' } } }));
    expect(other.status).toBe(200);
    expect(other.body.ignored).toMatch(/not tracked/);
    const unpaid = await stripeSend(stripeEvent('evt_unpaid', { id: 'cs_unpaid', amount_total: 100, currency: 'usd', payment_status: 'unpaid' }));
    expect(unpaid.status).toBe(200);
    expect((await h.conversions()).length).toBe(before);
  });
});

describe('POST /webhooks/standard', () => {
  const wh = new Webhook(STANDARD_SECRET);
  const signed = (id: string, payload: string, at = nowS(), hook = wh) => ({
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': hook.sign(id, new Date(at * 1000), payload),
  });

  it('records conversion.created once per webhook-id', async () => {
    const { clickId } = await linkAndClick(h, linksKey, { url: 'https://give.example/water', author_id: 'bob', campaign_id: 'birthday' });
    const payload = JSON.stringify({ type: 'conversion.created', timestamp: new Date().toISOString(), data: { type: 'donation', click_id: clickId, customer_id: 'donor_1', amount: 2500, currency: 'usd' } });
    const first = await send('/webhooks/standard', payload, signed('msg_1', payload));
    expect(first.status).toBe(200);
    const row = (await h.conversions()).find((r) => r.id === first.body.conversion_id)!;
    expect(row).toMatchObject({ type: 'donation', value_minor: 2500, currency: 'USD', author_id: 'bob', campaign_id: 'birthday', source: 'standard' });
    const replay = await send('/webhooks/standard', payload, signed('msg_1', payload));
    expect(replay.status).toBe(200);
    expect(replay.body.duplicate).toBe(true);
    expect((await h.conversions()).filter((r) => r.source === 'standard')).toHaveLength(1);
  });

  it('rejects wrong and expired signatures and invalid payloads, storing nothing', async () => {
    const before = (await h.conversions()).length;
    const payload = JSON.stringify({ type: 'conversion.created', data: { type: 'sale', customer_id: 'c9', amount: 100, currency: 'EUR' } });
    const otherHook = new Webhook('whsec_' + Buffer.from('not the configured secret 32 byt').toString('base64'));
    const wrong = await send('/webhooks/standard', payload, signed('msg_w', payload, nowS(), otherHook));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('bad_signature');
    const expired = await send('/webhooks/standard', payload, signed('msg_e', payload, nowS() - 301));
    expect(expired.status).toBe(400);
    const invalid = JSON.stringify({ type: 'conversion.created', data: { type: 'sale', customer_id: 'c9', amount: -1, currency: 'EUR' } });
    const bad = await send('/webhooks/standard', invalid, signed('msg_i', invalid));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_event');
    const ignored = JSON.stringify({ type: 'customer.updated', data: {} });
    expect((await send('/webhooks/standard', ignored, signed('msg_o', ignored))).status).toBe(200);
    expect((await h.conversions()).length).toBe(before);
  });
});

describe('without secrets', () => {
  it('answers 503 so that senders retry once the secret is configured', async () => {
    const bare = await startHarness({ seed: false, config: { stripeWebhookSecret: undefined, webhookSecret: undefined } });
    try {
      bare.srv.ctx.config.stripeWebhookSecret = undefined;
      bare.srv.ctx.config.webhookSecret = undefined;
      const r = await fetch(`${bare.url}/webhooks/stripe`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(503);
      const s = await fetch(`${bare.url}/webhooks/standard`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(s.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
