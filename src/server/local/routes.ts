/**
 * The server side of the two doors: `clout report` and `clout import` on a store held by a running server call
 * these (admin scope; the CLI uses the server's local token from the endpoint file). They run the very same
 * `loadFullReportInput` + `runFullReport` (in a worker thread) and `importPaths` in-process, so results and rejects are identical.
 * The outcome model's fit (seconds) runs after the store read, outside the reader queue.
 */
import type { FastifyInstance } from 'fastify';
import { KINDS, type Kind } from '../../domain/index.js';
import { importPaths } from '../../ingest/index.js';
import { FULL_REPORT_DEFAULTS, RANK_BY, loadFullReportInput, type FullReportOptions, type ReportOptions } from '../../report/index.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { flushClicks, runtimeOf } from '../runtime.js';
import { runFullReportInWorker } from './report-worker.js';

export const reportQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', maxLength: 200, description: 'Comma-separated conversion types (default: all).' },
    rank_by: { type: 'string', enum: [...RANK_BY], default: 'conversions_per_post' },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    model: { type: 'boolean', default: FULL_REPORT_DEFAULTS.model, description: 'Fit the outcome model (false: only the last-touch sections, as `--no-model`).' },
    niter: { type: 'integer', minimum: 50, maximum: 1_000_000, default: FULL_REPORT_DEFAULTS.niter, description: "The outcome model's sampler iterations (a fifth burn-in)." },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1, default: FULL_REPORT_DEFAULTS.seed, description: 'Seed of the sampler and of Leiden (tribes).' },
  },
} as const;

export const importBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['paths'],
  properties: {
    paths: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 4096 } },
    kind: { type: 'string', enum: [...KINDS] },
    rejects_path: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

/** Registers GET /api/report and POST /api/import (admin). */
export async function registerLocalRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const admin = requireScope(ctx, 'admin');

  app.get<{ Querystring: { type?: string; rank_by: ReportOptions['rankBy']; currency?: string; model: boolean; niter: number; seed: number } }>(
    '/api/report',
    { preHandler: admin, schema: { querystring: reportQuerySchema } },
    async (request) => {
      const q = request.query;
      const options: FullReportOptions = {
        types: (q.type ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
        currency: q.currency?.toUpperCase(),
        rankBy: q.rank_by,
        model: q.model,
        niter: q.niter,
        seed: q.seed,
      };
      await flushClicks(ctx);
      const input = await ctx.db.read((conn) => loadFullReportInput({ ...ctx.store, conn }, options));
      return runFullReportInWorker(input, options); // the sampler and Leiden never block the redirect
    },
  );

  app.post<{ Body: { paths: string[]; kind?: Kind; rejects_path?: string } }>(
    '/api/import',
    { preHandler: admin, schema: { body: importBodySchema } },
    async (request) => {
      const b = request.body;
      await flushClicks(ctx);
      const summary = await ctx.db.write(() =>
        importPaths(ctx.store, b.paths, {
          ...(b.kind !== undefined ? { kind: b.kind } : {}),
          ...(b.rejects_path !== undefined ? { rejectsPath: b.rejects_path } : {}),
        }),
      );
      await runtimeOf(ctx).links.load(ctx.db);
      return summary;
    },
  );
}
