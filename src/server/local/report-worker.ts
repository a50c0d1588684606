/**
 * The full report's CPU work (the outcome model's sampler, PageRank, Leiden) off the server's event loop: the
 * redirect and the conversion API must never wait behind a report. `runReportInWorker` posts the loaded input to
 * a worker thread that runs `runReport` and posts the document back. This module is also the worker's entry.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runReport, type LoadedReport } from '../../app/report.js';
import { answerFromWorker, runInWorker } from '../../app/worker.js';
import type { FullReport } from '../../report/full-report.js';

/** Runs the full report on `input` in a worker thread; resolves with the document. */
export function runReportInWorker(loaded: LoadedReport): Promise<FullReport> {
  return runInWorker<FullReport>(import.meta.url, { loaded }, 'report');
}

if (!isMainThread && parentPort !== null && (workerData as { loaded?: unknown } | null)?.loaded !== undefined) {
  const port = parentPort;
  const { loaded } = workerData as { loaded: LoadedReport };
  answerFromWorker((reply) => port.postMessage(reply), () => runReport(loaded));
}
