/**
 * The server side of the two doors: `clout report` and `clout import` on a store held by a running server call
 * these (admin scope; the CLI uses the server's local token from the endpoint file). They run the very same
 * `loadReport` + `runReport` (app/report.ts; the run in a worker thread) and `importFiles` (app/import.ts) in-process, so results and rejects are identical.
 * The outcome model's fit (seconds) runs after the store read, outside the reader queue.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONVERSION_TYPES, KINDS } from '../../domain/index.js';
import { importFiles } from '../../app/import.js';
import { REPORT_OPTIONS, loadReport, type ReportRequest } from '../../app/report.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { validate, validateQueryOptions } from '../validation.js';
import { runReportInWorker } from './report-worker.js';

/** Body of POST /api/import. */
export const importBodySchema = z.strictObject({
  paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
  kind: z.enum(KINDS).optional(),
  conversion_type: z.enum(CONVERSION_TYPES).optional(),
  rejects_path: z.string().min(1).max(4096).optional(),
});

/** What the two doors use of the server context. */
export type LocalDeps = Pick<ServerContext, 'store' | 'db' | 'auth' | 'clicks' | 'links'>;

/** Registers GET /api/report and POST /api/import (admin). */
export async function registerLocalRoutes(app: FastifyInstance, ctx: LocalDeps): Promise<void> {
  const admin = requireScope(ctx.auth, 'admin');

  // Query parameters are read by the report's own options schema (app/report.ts), the same one the CLI's flags use.
  app.get<{ Querystring: ReportRequest }>('/api/report', { preValidation: validateQueryOptions(REPORT_OPTIONS), preHandler: admin }, async (request) => {
    await ctx.clicks.settle();
    const loaded = await ctx.db.read((conn) => loadReport(conn, request.query));
    return runReportInWorker(loaded); // the sampler and Leiden never block the redirect
  });

  app.post<{ Body: z.output<typeof importBodySchema> }>(
    '/api/import',
    { preValidation: validate({ body: importBodySchema }), preHandler: admin },
    async (request) => {
      const b = request.body;
      await ctx.clicks.settle();
      const summary = await ctx.db.write(() =>
        importFiles(ctx.store, b.paths, {
          ...(b.kind !== undefined ? { kind: b.kind } : {}),
          ...(b.conversion_type !== undefined ? { conversionType: b.conversion_type } : {}),
          ...(b.rejects_path !== undefined ? { rejectsPath: b.rejects_path } : {}),
        }),
      );
      await ctx.links.load(ctx.db);
      return summary;
    },
  );
}
