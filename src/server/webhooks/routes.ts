/**
 * Incoming webhooks: `POST /webhooks/stripe` and `POST /webhooks/standard`. Both routes live in their own Fastify
 * scope whose content-type parser keeps the raw body as a Buffer (signatures cover the exact bytes). Every event is
 * verified (signature, 300 s timestamp tolerance), then recorded through the shared conversion writer together with
 * its event id in one transaction, so a replayed or retried event never records a second conversion.
 * Answers: 200 `{received: true, …}` for a recorded, duplicate or ignored event; 400 for a bad signature, stale
 * timestamp or invalid payload; 503 when the secret is not configured (so the sender retries once it is).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerContext } from '../context.js';
import type { ConversionWriter } from '../conversions/writer.js';
import { problem } from '../problem.js';
import type { ConversionInput } from '../conversions/schema.js';
import { writeConversion } from '../conversions/service.js';
import { verifyStandardSignature, verifyStripeSignature } from './signature.js';
import { mapStandardEvent } from './standard.js';
import { mapStripeEvent, stripeEventSchema } from './stripe.js';

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw problem(400, 'bad_json', 'the webhook body is not valid JSON');
  }
}

async function record(writer: ConversionWriter, at: number, reply: FastifyReply, source: string, eventId: string, input: ConversionInput): Promise<FastifyReply> {
  const outcome = await writeConversion(writer, { input, at, webhookEvent: { source, id: eventId } });
  if (outcome.kind === 'duplicate_event') return reply.code(200).send({ received: true, duplicate: true, event_id: eventId });
  if (outcome.kind === 'created' || outcome.kind === 'duplicate_external_id') {
    const body = JSON.parse(outcome.body) as { id: string; duplicate?: boolean };
    return reply.code(200).send({ received: true, event_id: eventId, conversion_id: body.id, duplicate: body.duplicate === true });
  }
  throw new Error(`unexpected writer outcome ${outcome.kind} for a webhook`);
}

/** What the webhook routes use of the server context (secrets are read per request: they may change). */
export type WebhookDeps = Pick<ServerContext, 'config' | 'now' | 'conversions'>;

/** Registers the webhook routes in a scope that keeps raw bodies. */
export async function registerWebhookRoutes(app: FastifyInstance, ctx: WebhookDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/webhooks/stripe', async (request, reply) => {
      const secret = ctx.config.stripeWebhookSecret;
      if (!secret) throw problem(503, 'webhook_not_configured', 'start clout serve with --stripe-webhook-secret (or CLOUT_STRIPE_WEBHOOK_SECRET) to accept Stripe webhooks');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const v = verifyStripeSignature(header(request.headers['stripe-signature']), raw, secret, ctx.now());
      if (!v.ok) throw problem(400, 'bad_signature', `Stripe-Signature rejected: ${v.reason}`);
      const event = stripeEventSchema.safeParse(parseJson(raw));
      if (!event.success) throw problem(400, 'invalid_event', 'not a Stripe event (id, type, data.object)');
      const mapped = mapStripeEvent(event.data);
      if (mapped.kind === 'invalid') throw problem(400, 'invalid_event', mapped.reason);
      if (mapped.kind === 'ignore') return reply.code(200).send({ received: true, ignored: mapped.reason, event_id: event.data.id });
      return record(ctx.conversions, ctx.now(), reply, 'stripe', event.data.id, mapped.input);
    });

    scope.post('/webhooks/standard', async (request, reply) => {
      const secret = ctx.config.webhookSecret;
      if (!secret) throw problem(503, 'webhook_not_configured', 'start clout serve with --webhook-secret (or CLOUT_WEBHOOK_SECRET) to accept Standard Webhooks');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const id = header(request.headers['webhook-id']);
      const v = verifyStandardSignature(
        { id, timestamp: header(request.headers['webhook-timestamp']), signature: header(request.headers['webhook-signature']) },
        raw,
        secret,
        ctx.now(),
      );
      if (!v.ok) throw problem(400, 'bad_signature', `webhook signature rejected: ${v.reason}`);
      if (id!.length > 200) throw problem(400, 'invalid_event', 'webhook-id longer than 200 characters');
      const mapped = mapStandardEvent(parseJson(raw));
      if (mapped.kind === 'invalid') throw problem(400, 'invalid_event', mapped.reason);
      if (mapped.kind === 'ignore') return reply.code(200).send({ received: true, ignored: mapped.reason, event_id: id });
      return record(ctx.conversions, ctx.now(), reply, 'standard', id!, mapped.input);
    });
  });
}
