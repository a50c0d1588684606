/**
 * The CLI side of the two doors: when a live `clout serve` holds the store, `clout report` and `clout import` call
 * its API with the local token from the endpoint file, and get exactly what they would have computed themselves.
 */
import { resolve } from 'node:path';
import { CloutError, ERROR_CODES, type ErrorCode, type ConversionType, type Kind } from '../../domain/index.js';
import type { ImportSummary } from '../../app/import.js';
import type { ReportRequest } from '../../app/report.js';
import type { FullReport } from '../../report/index.js';
import { liveServer, type ServerEndpoint } from '../../store/server-endpoint.js';

export { liveServer } from '../../store/server-endpoint.js';

const CODES = new Set<string>(Object.values(ERROR_CODES));

async function call<T>(server: ServerEndpoint, path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(server.url + path, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${server.token}` },
    });
  } catch (e) {
    throw new CloutError('store', `the store is held by 'clout serve' (pid ${server.pid}) but ${server.url} did not answer: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = typeof body.code === 'string' && CODES.has(body.code) ? (body.code as ErrorCode) : 'store';
    throw new CloutError(code, String(body.detail ?? `${server.url}${path} answered ${res.status}`));
  }
  return body as T;
}

/** The whole report computed by the running server (the same document `clout report --json` builds itself). */
export function reportViaServer(server: ServerEndpoint, options: ReportRequest): Promise<FullReport> {
  const q = new URLSearchParams({ rank_by: options.rank_by, model: String(options.model), niter: String(options.niter), seed: String(options.seed) });
  if (options.type !== undefined) q.set('type', options.type);
  if (options.currency !== undefined) q.set('currency', options.currency);
  if (options.series !== undefined) q.set('series', options.series);
  return call<FullReport>(server, `/api/report?${q.toString()}`);
}

/** Imports `paths` (made absolute here) through the running server; same summary and rejects as a local import. */
export function importViaServer(server: ServerEndpoint, paths: readonly string[], options: { kind?: Kind; conversionType?: ConversionType; rejectsPath?: string }): Promise<ImportSummary> {
  const body = {
    paths: paths.map((p) => resolve(p)),
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    ...(options.conversionType !== undefined ? { conversion_type: options.conversionType } : {}),
    ...(options.rejectsPath !== undefined ? { rejects_path: resolve(options.rejectsPath) } : {}),
  };
  return call<ImportSummary>(server, '/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The live server holding `dbPath`, if any (a stale endpoint file is ignored). */
export function serverFor(dbPath: string): ServerEndpoint | undefined {
  return liveServer(dbPath);
}
