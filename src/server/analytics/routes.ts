/** GET /api/analytics: clicks, unique clicks, bot clicks and credited conversions by link/post/author/campaign/day. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromMinorUnits, parseTimestamp } from '../../domain/index.js';
import { ANALYTICS_GROUPS, analytics, type AnalyticsGroup } from '../../store/server-analytics.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';
import { validate } from '../validation.js';

/** Query of GET /api/analytics. */
export const analyticsQuerySchema = z.strictObject({
  group_by: z.enum(ANALYTICS_GROUPS).default('link'),
  from: z.string().max(40).optional().describe('Inclusive start: ISO 8601 timestamp or YYYY-MM-DD (UTC).'),
  to: z.string().max(40).optional().describe('Exclusive end: ISO 8601 timestamp or YYYY-MM-DD (UTC).'),
});

function timeParam(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new HttpProblem(400, 'validation', `${name} must be an ISO 8601 timestamp or a date YYYY-MM-DD; got '${text}'`);
  return ms;
}

/** What the analytics route uses of the server context. */
export type AnalyticsDeps = Pick<ServerContext, 'db' | 'auth' | 'clicks'>;

/** Registers GET /api/analytics (scope analytics:read). */
export async function registerAnalyticsRoutes(app: FastifyInstance, ctx: AnalyticsDeps): Promise<void> {
  app.get<{ Querystring: { group_by: AnalyticsGroup; from?: string | undefined; to?: string | undefined } }>(
    '/api/analytics',
    { preValidation: validate({ querystring: analyticsQuerySchema }), preHandler: requireScope(ctx.auth, 'analytics:read') },
    async (request) => {
      const { group_by, from, to } = request.query;
      const fromMs = timeParam('from', from);
      const toMs = timeParam('to', to);
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw new HttpProblem(400, 'validation', 'to must be after from');
      await ctx.clicks.settle();
      const rows = await ctx.db.read((conn) => analytics(conn, group_by, fromMs, toMs));
      return {
        group_by,
        from: fromMs === undefined ? null : new Date(fromMs).toISOString(),
        to: toMs === undefined ? null : new Date(toMs).toISOString(),
        data: rows.map((r) => ({
          ...r,
          value: Object.fromEntries(Object.entries(r.value_minor).map(([cur, v]) => [cur, cur === '' ? v : fromMinorUnits(v, cur)])),
        })),
      };
    },
  );
}
