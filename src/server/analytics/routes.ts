/** GET /api/analytics: clicks, unique clicks, bot clicks and credited conversions by link/post/author/campaign/day. */
import type { FastifyInstance } from 'fastify';
import { ANALYTICS_OPTIONS, analytics, type AnalyticsOptions } from '../../app/analytics.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { validateQueryOptions } from '../validation.js';

/** What the analytics route uses of the server context. */
export type AnalyticsDeps = Pick<ServerContext, 'db' | 'auth' | 'clicks'>;

/** Registers GET /api/analytics (scope analytics:read); the query is read by the use case's options schema (app/analytics.ts). */
export async function registerAnalyticsRoutes(app: FastifyInstance, ctx: AnalyticsDeps): Promise<void> {
  app.get<{ Querystring: AnalyticsOptions }>(
    '/api/analytics',
    { preValidation: validateQueryOptions(ANALYTICS_OPTIONS), preHandler: requireScope(ctx.auth, 'analytics:read') },
    async (request) => {
      await ctx.clicks.settle();
      return ctx.db.read((conn) => analytics(conn, request.query));
    },
  );
}
