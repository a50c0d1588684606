/**
 * `POST /api/track/{lead,signup,sale,donation}` and their CORS preflights.
 *
 * Secret keys need `conversions:write` (or admin) and may record every type. Publishable keys (`clout_pk_…`,
 * `conversions:client`) may record only leads and signups, without an amount, and only from an Origin listed on
 * the key; anything a browser sends can be forged, so sales and donations need a secret key or a signed webhook.
 * Answers: 201 with the conversion (after COMMIT); 200 `{duplicate: true}` when the (type, external_id) was already
 * recorded; the first answer replayed with `Idempotent-Replayed: true` for a repeated Idempotency-Key and body;
 * 409 for a repeated key with a different body; 4xx problem+json for anything invalid (nothing stored).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { HttpProblem, problem } from '../problem.js';
import { ALLOWED_HEADERS, PREFLIGHT_MAX_AGE_S, PublishableOrigins, allowOrigin, originOf, varyOrigin } from './cors.js';
import { idempotencyKeyProblem, requestHash } from './idempotency.js';
import { CLIENT_TYPES, TRACK_TYPES, toConversionInput, trackBodySchema, type TrackType } from './schema.js';
import { writeConversion } from './service.js';
import { parseWith } from '../validation.js';

/** Path of the tracking route of a type. */
export const TRACK_PATH = '/api/track/:type';

function trackType(request: FastifyRequest): TrackType {
  const t = (request.params as { type?: string }).type ?? '';
  if (!(TRACK_TYPES as readonly string[]).includes(t)) {
    throw problem(404, 'not_found', `no tracking route for '${t}'; types are ${TRACK_TYPES.join(', ')}`);
  }
  return t as TrackType;
}

/** The Idempotency-Key header, checked; undefined when absent. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const h = request.headers['idempotency-key'];
  if (h === undefined) return undefined;
  const key = Array.isArray(h) ? h.join(',') : h;
  const why = idempotencyKeyProblem(key);
  if (why !== null) throw problem(400, 'bad_idempotency_key', why);
  return key;
}

/** What the tracking routes use of the server context. */
export type ConversionDeps = Pick<ServerContext, 'db' | 'now' | 'auth' | 'conversions'>;

/** Registers the tracking routes on `app`. */
export async function registerConversionRoutes(app: FastifyInstance, ctx: ConversionDeps): Promise<void> {
  const origins = new PublishableOrigins(ctx.db, () => ctx.now());

  app.options(TRACK_PATH, async (request, reply) => {
    trackType(request);
    const origin = originOf(request);
    varyOrigin(reply);
    if (origin === undefined || !(await origins.allows(origin))) {
      throw problem(403, 'origin_not_allowed', `origin ${origin ?? '(none)'} is not listed on any publishable key`);
    }
    allowOrigin(reply, origin);
    reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
    return reply.code(204).send();
  });

  app.post(TRACK_PATH, {
    // CORS headers go on every answer to an allowed origin, errors included, so a page can read the problem.
    onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const origin = originOf(request);
      if (origin === undefined) return payload;
      varyOrigin(reply);
      const key = request.apiKey;
      const ok = key ? key.kind === 'publishable' && key.origins.includes(origin) : await origins.allows(origin);
      if (ok) allowOrigin(reply, origin);
      return payload;
    },
    preHandler: requireScope(ctx.auth, 'conversions:write', 'conversions:client'),
    handler: async (request, reply) => {
      const type = trackType(request);
      const key = request.apiKey!;
      if (key.kind === 'publishable') {
        const origin = originOf(request);
        if (origin === undefined || !key.origins.includes(origin)) {
          throw problem(403, 'origin_not_allowed', `this publishable key may be used only from ${key.origins.join(', ')}; request origin ${origin ?? '(none)'}`);
        }
        if (!CLIENT_TYPES.includes(type)) {
          throw problem(403, 'client_type_forbidden', `a publishable key may record only ${CLIENT_TYPES.join(' and ')}: a browser can forge amounts, so ${type}s need a secret key (conversions:write) or a signed webhook`);
        }
      }
      const idemKey = idempotencyKeyOf(request);
      // Parsed here, not in a preValidation hook: the key's checks above come first.
      const body = parseWith(trackBodySchema, request.body, { code: 'invalid_body' });
      if (key.kind === 'publishable' && (body.amount ?? 0) > 0) {
        throw problem(403, 'client_amount_forbidden', 'a publishable key cannot record amounts; send them from your server or a signed webhook');
      }
      const input = toConversionInput(type, body, key.kind === 'publishable' ? 'client' : 'api');
      const outcome = await writeConversion(ctx.conversions, {
        input,
        at: ctx.now(),
        ...(idemKey === undefined ? {} : { idempotency: { apiKeyId: key.id, key: idemKey, hash: requestHash(`POST /api/track/${type}`, request.body) } }),
      });
      switch (outcome.kind) {
        case 'idempotency_conflict':
          throw new HttpProblem(409, 'idempotency_conflict', 'this Idempotency-Key was already used with a different request; use a new key for a new conversion');
        case 'replay':
          reply.header('idempotent-replayed', 'true');
          break;
        case 'duplicate_event':
          throw new Error('unreachable: tracking requests carry no webhook event');
      }
      return reply.code(outcome.status).type('application/json; charset=utf-8').send(outcome.body);
    },
  });
}
