/**
 * The conversion API's pure parts: write-time attribution rules, the request body schema, idempotency decisions
 * and request fingerprints. Known answers are worked out by hand in each case.
 */
import { describe, expect, it } from 'vitest';
import { resolveAttribution, type AttributionFacts, type LinkFacts } from '../../../src/server/conversions/attribution.js';
import { canonicalJson, decideIdempotency, idempotencyKeyProblem, IDEMPOTENCY_TTL_MS, requestHash } from '../../../src/server/conversions/idempotency.js';
import { clickPath, hashEmail, normaliseCustomerId, toConversionInput, trackBodySchema } from '../../../src/server/conversions/schema.js';

const L1: LinkFacts = { id: 'l1', post_id: 'p1', author_id: 'alice', campaign_id: 'c1' };
const L2: LinkFacts = { id: 'l2', post_id: 'p2', author_id: 'bob', campaign_id: null };
const L3: LinkFacts = { id: 'l3', post_id: null, author_id: 'carol', campaign_id: 'c3' };

function facts(over: Partial<AttributionFacts> = {}): AttributionFacts {
  return {
    clicks: new Map([['k1', 'l1'], ['k2', 'l2']]),
    links: new Map([['l1', L1], ['l2', L2], ['l3', L3]]),
    linkByKey: null,
    lead: null,
    ...over,
  };
}

describe('resolveAttribution', () => {
  it('credits the newest known click of the path (last touch)', () => {
    const a = resolveAttribution(['k1', 'k2'], facts());
    expect(a).toEqual({ rule: 'click', click_id: 'k2', link_id: 'l2', post_id: 'p2', author_id: 'bob', campaign_id: null });
    expect(resolveAttribution(['k2', 'k1'], facts()).author_id).toBe('alice');
  });

  it('skips unknown click ids at the end of the path', () => {
    const a = resolveAttribution(['k1', 'forged', 'gone'], facts());
    expect(a.rule).toBe('click');
    expect(a.click_id).toBe('k1');
    expect(a.link_id).toBe('l1');
    expect(a.campaign_id).toBe('c1');
  });

  it('uses the link key when no click is known, keeping the id that was sent', () => {
    const a = resolveAttribution(['unknown'], facts({ clicks: new Map(), linkByKey: L3 }));
    expect(a).toEqual({ rule: 'link_key', click_id: 'unknown', link_id: 'l3', post_id: null, author_id: 'carol', campaign_id: 'c3' });
  });

  it("inherits the customer's lead link when nothing else is sent", () => {
    const a = resolveAttribution([], facts({ clicks: new Map(), lead: { link_id: 'l1', click_id: 'k1' } }));
    expect(a).toEqual({ rule: 'customer_lead', click_id: 'k1', link_id: 'l1', post_id: 'p1', author_id: 'alice', campaign_id: 'c1' });
  });

  it('prefers a click over the link key and the lead', () => {
    const a = resolveAttribution(['k1'], facts({ linkByKey: L3, lead: { link_id: 'l2', click_id: 'k2' } }));
    expect(a.rule).toBe('click');
    expect(a.author_id).toBe('alice');
  });

  it('leaves a conversion without any evidence unattributed', () => {
    expect(resolveAttribution([], facts({ clicks: new Map() }))).toEqual({
      rule: 'none', click_id: null, link_id: null, post_id: null, author_id: null, campaign_id: null,
    });
  });

  it('keeps the link id even when the link row is missing', () => {
    const a = resolveAttribution(['k9'], facts({ clicks: new Map([['k9', 'deleted']]) }));
    expect(a).toMatchObject({ rule: 'click', link_id: 'deleted', post_id: null, author_id: null });
  });
});

describe('tracking body', () => {
  const ok = { customer_id: 'cus_1', amount: 1999, currency: 'usd' };

  it('accepts a sale and upper-cases its currency', () => {
    const r = trackBodySchema.parse(ok);
    expect(r.currency).toBe('USD');
    expect(r.amount).toBe(1999);
  });

  it.each([
    ['negative amount', { ...ok, amount: -1 }, 'amount'],
    ['fractional amount', { ...ok, amount: 19.99 }, 'amount'],
    ['amount without currency', { customer_id: 'c', amount: 5 }, 'currency'],
    ['bad currency', { ...ok, currency: 'dollars' }, 'currency'],
    ['missing customer', { amount: 0 }, 'customer_id'],
    ['unknown field', { ...ok, value: 3 }, ''],
    ['empty click path', { ...ok, click_ids: [] }, 'click_ids'],
    ['too many click ids', { ...ok, click_ids: Array.from({ length: 51 }, (_, i) => `k${i}`) }, 'click_ids'],
    ['oversize metadata', { ...ok, metadata: { blob: 'x'.repeat(5000) } }, 'metadata'],
    ['metadata not an object', { ...ok, metadata: [1, 2] }, 'metadata'],
  ])('rejects %s', (_name, body, path) => {
    const r = trackBodySchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts amount 0 without currency (a free signup)', () => {
    expect(trackBodySchema.safeParse({ customer_id: 'c', amount: 0 }).success).toBe(true);
  });

  it('builds the click path oldest first with click_id as the last touch', () => {
    expect(clickPath({ click_ids: ['a', 'b'], click_id: 'c' })).toEqual(['a', 'b', 'c']);
    expect(clickPath({ click_ids: ['a', 'b'], click_id: 'b' })).toEqual(['a', 'b']);
    expect(clickPath({ click_id: 'c' })).toEqual(['c']);
    expect(clickPath({})).toEqual([]);
  });

  it('never keeps a raw e-mail as customer id', () => {
    const h = normaliseCustomerId(' Ann@Example.com ');
    expect(h).toBe(hashEmail('ann@example.com'));
    expect(h).toMatch(/^email_[0-9a-f]{64}$/);
    expect(normaliseCustomerId('cus_42')).toBe('cus_42');
    const input = toConversionInput('lead', trackBodySchema.parse({ customer_id: 'ann@example.com' }), 'client');
    expect(input.customerId).toBe(h);
    expect(JSON.stringify(input)).not.toContain('@');
  });
});

describe('idempotency', () => {
  it('fingerprints bodies up to key order, and tells different bodies and routes apart', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    const h = requestHash('POST /api/track/sale', { customer_id: 'c', amount: 5, currency: 'USD' });
    expect(requestHash('POST /api/track/sale', { currency: 'USD', amount: 5, customer_id: 'c' })).toBe(h);
    expect(requestHash('POST /api/track/sale', { currency: 'USD', amount: 6, customer_id: 'c' })).not.toBe(h);
    expect(requestHash('POST /api/track/lead', { customer_id: 'c', amount: 5, currency: 'USD' })).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
  });

  it('executes, replays, refuses and expires as Stripe does', () => {
    const rec = { requestHash: 'h1', status: 201, response: '{"id":"cv_1"}', createdAt: 1_000 };
    expect(decideIdempotency(null, 'h1', 5_000)).toEqual({ kind: 'execute' });
    expect(decideIdempotency(rec, 'h1', 5_000)).toEqual({ kind: 'replay', status: 201, response: '{"id":"cv_1"}' });
    expect(decideIdempotency(rec, 'h2', 5_000)).toEqual({ kind: 'conflict' });
    expect(decideIdempotency(rec, 'h1', 1_000 + IDEMPOTENCY_TTL_MS - 1).kind).toBe('replay');
    expect(decideIdempotency(rec, 'h2', 1_000 + IDEMPOTENCY_TTL_MS)).toEqual({ kind: 'execute' });
  });

  it('checks the header value', () => {
    expect(idempotencyKeyProblem('order-42/retry_1')).toBeNull();
    expect(idempotencyKeyProblem('')).toMatch(/empty/);
    expect(idempotencyKeyProblem('a b')).toMatch(/printable/);
    expect(idempotencyKeyProblem('x'.repeat(256))).toMatch(/longer/);
  });
});
