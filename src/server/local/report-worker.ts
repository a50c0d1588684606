/**
 * The full report's CPU work (the outcome model's sampler, PageRank, Leiden) off the server's event loop: the
 * redirect and the conversion API must never wait behind a report. `runReportInWorker` posts the loaded input to
 * a worker thread that runs `runReport` and posts the document back. This module is also the worker's entry.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CloutError, type ErrorCode } from '../../domain/index.js';
import { runReport, type LoadedReport } from '../../app/report.js';
import type { FullReport } from '../../report/full-report.js';

/** Runs the full report on `input` in a worker thread; resolves with the document. */
export function runReportInWorker(loaded: LoadedReport): Promise<FullReport> {
  const self = new URL(import.meta.url);
  return new Promise((resolve, reject) => {
    // Under the test runner this module is TypeScript: the worker first registers the same loader (tsx, a dev
    // dependency), then imports it.
    const worker = self.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(self.href)}); });`, { eval: true, workerData: { loaded } })
      : new Worker(self, { workerData: { loaded } });
    let settled = false;
    worker.once('message', (m: { report?: FullReport; error?: { code: string; message: string } }) => {
      settled = true;
      if (m.report !== undefined) resolve(m.report);
      else reject(new CloutError((m.error?.code ?? 'internal') as ErrorCode, m.error?.message ?? 'report worker failed'));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new CloutError('internal', `report worker exited with code ${code} before answering`));
    });
  });
}

if (!isMainThread && parentPort !== null && (workerData as { loaded?: unknown } | null)?.loaded !== undefined) {
  const { loaded } = workerData as { loaded: LoadedReport };
  try {
    parentPort.postMessage({ report: runReport(loaded) });
  } catch (e) {
    const code = e instanceof CloutError ? e.code : 'internal';
    parentPort.postMessage({ error: { code, message: e instanceof Error ? e.message : String(e) } });
  }
}
