/**
 * OpenAPI 3.1 paths and schemas of the conversion API, the webhooks and /clout.js, merged into /openapi.json by
 * ./index.ts. The tracking body schema is generated from the zod schema the route validates with, so the document
 * cannot drift from the code; descriptions carry the rules JSON Schema cannot say.
 */
import { CLIENT_TYPES, TRACK_LIMITS, TRACK_TYPES, trackBodySchema } from '../conversions/schema.js';
import { IDEMPOTENCY_KEY_MAX } from '../conversions/idempotency.js';
import { SIGNATURE_TOLERANCE_S } from '../webhooks/signature.js';
import { jsonSchemaOf } from '../validation.js';
import type { OpenApiPart } from './types.js';

const problemRef = { $ref: '#/components/responses/Problem' };
const json = (schema: unknown): Record<string, unknown> => ({ content: { 'application/json': { schema } } });

/** The tracking body as JSON Schema (from zod), without the `$schema` key OpenAPI does not want inside components. */
function trackBodyJsonSchema(): Record<string, unknown> {
  const schema = jsonSchemaOf(trackBodySchema);
  const props = schema.properties as Record<string, Record<string, unknown>>;
  props.click_id!.description = 'The click id from the landing URL (last touch).';
  props.click_ids!.description = 'Click ids of a multi-touch path, oldest first; the last known one gets the credit, all are stored.';
  props.link_key!.description = "A short link's key, when no click id is known.";
  props.customer_id!.description = 'Your id for the customer; an e-mail address is replaced by its SHA-256 hash before storage.';
  props.amount!.description = 'Integer minor units (cents); ≥ 0.';
  props.currency!.description = 'ISO 4217 code (any case; stored upper-case). Required when amount > 0.';
  props.metadata!.description = `A JSON object of at most ${TRACK_LIMITS.maxMetadataKeys} keys and ${TRACK_LIMITS.maxMetadataBytes} bytes.`;
  props.external_id!.description = 'Your id of the event; a second conversion of the same type with the same external_id is not recorded (200, duplicate).';
  return schema;
}

const conversion = {
  type: 'object',
  required: ['id', 'type', 'at', 'attribution'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: [...TRACK_TYPES] },
    at: { type: 'string', format: 'date-time' },
    customer_id: { type: ['string', 'null'] },
    amount: { type: ['integer', 'null'] },
    currency: { type: ['string', 'null'] },
    click_id: { type: ['string', 'null'] },
    click_ids: { type: 'array', items: { type: 'string' } },
    link_id: { type: ['string', 'null'] },
    post_id: { type: ['string', 'null'] },
    author_id: { type: ['string', 'null'] },
    campaign_id: { type: ['string', 'null'] },
    attribution: { type: 'string', enum: ['click', 'link_key', 'customer_lead', 'none'], description: 'Which rule credited the conversion.' },
    event_name: { type: ['string', 'null'] },
    external_id: { type: ['string', 'null'] },
    metadata: { type: ['object', 'null'] },
  },
};

const webhookAnswer = {
  type: 'object',
  properties: {
    received: { type: 'boolean' },
    event_id: { type: 'string' },
    conversion_id: { type: 'string' },
    duplicate: { type: 'boolean', description: 'The event (or its checkout session / external id) was already recorded.' },
    ignored: { type: 'string', description: 'Why the event records nothing (not a tracked type, not paid yet).' },
  },
};

/** This module's part of /openapi.json. */
export const conversionsOpenApi: OpenApiPart = {
  schemas: { TrackBody: trackBodyJsonSchema(), Conversion: conversion, WebhookAnswer: webhookAnswer },
  paths: {
    '/api/track/{type}': {
      parameters: [{ name: 'type', in: 'path', required: true, schema: { type: 'string', enum: [...TRACK_TYPES] } }],
      post: {
        summary: 'Record a conversion (lead, signup, sale, donation)',
        description:
          `Scope conversions:write (secret key) for every type; a publishable key (clout_pk_…, scope conversions:client) may record only ${CLIENT_TYPES.join(' and ')}, ` +
          'without an amount, and only from an Origin listed on the key (CORS). Answered after the row is committed. ' +
          'Attribution at write time: the last known click of click_ids/click_id → its link → post, author, campaign; else link_key; ' +
          "else (sales and donations) the customer's latest attributed lead; else none.",
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: IDEMPOTENCY_KEY_MAX },
            description: 'Scoped to the API key, kept 24 h. Same key + same body → the first answer replayed (Idempotent-Replayed: true); same key + different body → 409.',
          },
        ],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/TrackBody' }) },
        responses: {
          '201': { description: 'Recorded (or replayed)', headers: { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } } }, ...json({ $ref: '#/components/schemas/Conversion' }) },
          '200': { description: 'Already recorded under this type and external_id', ...json({ type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, external_id: { type: 'string' }, duplicate: { const: true } } }) },
          '400': problemRef,
          '401': problemRef,
          '403': problemRef,
          '404': problemRef,
          '409': problemRef,
          '413': problemRef,
          '415': problemRef,
          '429': problemRef,
          '503': problemRef,
        },
      },
      options: {
        summary: 'CORS preflight for browsers using a publishable key',
        security: [],
        responses: { '204': { description: 'Origin listed on a publishable key' }, '403': problemRef },
      },
    },
    '/webhooks/stripe': {
      post: {
        summary: 'Stripe webhook endpoint (checkout.session.completed → sale)',
        description:
          `Verifies Stripe-Signature (t=…,v1=… HMAC-SHA256 of "t.body" with the whsec_ secret; ±${SIGNATURE_TOLERANCE_S} s). ` +
          'client_reference_id = click id; amount_total, currency; customer id or hashed e-mail. Duplicate event ids and sessions are ignored.',
        security: [],
        parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, ...json({ type: 'object' }) },
        responses: { '200': { description: 'Received', ...json({ $ref: '#/components/schemas/WebhookAnswer' }) }, '400': problemRef, '413': problemRef, '503': problemRef },
      },
    },
    '/webhooks/standard': {
      post: {
        summary: 'Standard Webhooks endpoint (conversion.created → conversion)',
        description:
          `Verifies webhook-id, webhook-timestamp (±${SIGNATURE_TOLERANCE_S} s) and webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body">). ` +
          'Body {type: "conversion.created", data: {type, …TrackBody}}; a repeated webhook-id is ignored.',
        security: [],
        parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
        requestBody: { required: true, ...json({ type: 'object', required: ['type', 'data'], properties: { type: { type: 'string' }, data: { type: 'object' } } }) },
        responses: { '200': { description: 'Received', ...json({ $ref: '#/components/schemas/WebhookAnswer' }) }, '400': problemRef, '413': problemRef, '503': problemRef },
      },
    },
    '/clout.js': {
      get: {
        summary: 'The first-party landing-page script (keeps click ids, clout.track posts leads)',
        security: [],
        responses: { '200': { description: 'JavaScript, cached an hour, with an ETag', content: { 'text/javascript': { schema: { type: 'string' } } } }, '304': { description: 'Not modified' } },
      },
    },
  },
};
