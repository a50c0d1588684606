/**
 * The HTTP app: Fastify with a plain node:http front for the redirect hot path, one error handler that answers
 * RFC 9457 problem+json, and the route modules (links, redirect, analytics, local two-doors, OpenAPI, and B's
 * conversions, webhooks and client script), each handed the parts of the server context it uses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAnalyticsRoutes } from './analytics/routes.js';
import { registerClientScript } from './client/routes.js';
import type { ServerContext } from './context.js';
import { registerConversionRoutes } from './conversions/routes.js';
import { registerLinkRoutes } from './links/routes.js';
import { KEY_PATTERN } from './links/validate.js';
import { registerLocalRoutes } from './local/routes.js';
import { registerOpenApi } from './openapi/index.js';
import { HttpProblem, toProblem } from './problem.js';
import { registerWebhookRoutes } from './webhooks/routes.js';

/**
 * Builds the app over a server context (not listening yet). The context outlives the app: closing the app stops
 * requests; closeServerContext(ctx) then flushes the clicks and closes the connections.
 */
export async function buildApp(ctx: ServerContext): Promise<FastifyInstance> {
  const { links, redirector } = ctx;
  const app = Fastify({
    logger: false,
    bodyLimit: ctx.config.bodyLimitBytes,
    serverFactory: (handler) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        if (!redirector.tryHandle(req, res)) handler(req, res);
      }),
  });

  app.setErrorHandler((error, _request, reply) => {
    const p = toProblem(error);
    if (p.status >= 500) process.emitWarning(`clout serve: ${(error as Error).stack ?? String(error)}`);
    void reply.code(p.status).headers(p.headers).type('application/problem+json').send(p.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const p = new HttpProblem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(404).type('application/problem+json').send(p.body());
  });

  app.get('/healthz', async () => ({ ok: true }));
  await registerLinkRoutes(app, ctx, links);
  await registerAnalyticsRoutes(app, ctx);
  await registerLocalRoutes(app, ctx);
  await registerConversionRoutes(app, ctx);
  await registerWebhookRoutes(app, ctx);
  await registerClientScript(app);
  await registerOpenApi(app, ctx);

  // The redirect through Fastify (app.inject, or a request the node:http front let through): same capture.
  app.route<{ Params: { key: string } }>({
    method: ['GET', 'HEAD'],
    url: '/:key',
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const key = request.params.key;
      const link = KEY_PATTERN.test(key) ? links.get(key) : undefined;
      if (link === undefined) throw new HttpProblem(404, 'unknown_link', `no link with key '${key.slice(0, 64)}'`);
      const location = redirector.capture(request.raw, link, request.method === 'HEAD');
      return reply.code(302).header('location', location).header('cache-control', 'no-store').send();
    },
  });
  return app;
}
