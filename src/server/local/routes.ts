/**
 * The server side of the two doors: `clout report` and `clout import` on a store held by a running server call
 * these (admin scope; the CLI uses the server's local token from the endpoint file). They run the very same
 * `loadReport` + `runReport` (app/report.ts; the run in a worker thread) and `importPaths` in-process, so results and rejects are identical.
 * The outcome model's fit (seconds) runs after the store read, outside the reader queue.
 */
import type { FastifyInstance } from 'fastify';
import { KINDS, type Kind } from '../../domain/index.js';
import { importPaths } from '../../ingest/index.js';
import { optionsFromText } from '../../app/options.js';
import { REPORT_OPTIONS, loadReport } from '../../app/report.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { flushClicks, runtimeOf } from '../runtime.js';
import { runReportInWorker } from './report-worker.js';

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

  // Query parameters are read by the report's own options schema (app/report.ts), the same one the CLI's flags use.
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/report', { preHandler: admin }, async (request) => {
    const options = optionsFromText(REPORT_OPTIONS, request.query);
    await flushClicks(ctx);
    const loaded = await ctx.db.read((conn) => loadReport(conn, options));
    return runReportInWorker(loaded); // the sampler and Leiden never block the redirect
  });

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
