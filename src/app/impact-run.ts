/**
 * Runs a causal impact analysis with its pre-period backtest in a worker thread beside the main fit, so both cores
 * work (issue 18): the result is exactly `causalImpact(data, options)`'s — the backtest has its own seeded stream —
 * whatever the threads' timing. This module is also the worker's entry.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  attachBacktest,
  fitImpact,
  impactBacktest,
  resolveImpactOptions,
  type BacktestOutcome,
  type ImpactData,
  type ImpactHooks,
  type ImpactOptions,
  type ImpactResult,
} from '../analysis/impact/index.js';
import { answerFromWorker, runInWorker } from './worker.js';

/** `causalImpact(data, options, hooks)` with the backtest in a worker thread while this thread runs the main fit. */
export async function runImpact(data: ImpactData, options: ImpactOptions = {}, hooks: ImpactHooks = {}): Promise<ImpactResult> {
  if (!resolveImpactOptions(options).backtest) return fitImpact(data, options, hooks);
  const backtest = runInWorker<BacktestOutcome>(import.meta.url, { impactBacktest: { data, options } }, 'impact backtest');
  // the main fit holds this thread; the worker's answer waits in its port until the fit is done
  let fit: ImpactResult;
  try {
    fit = fitImpact(data, options, hooks);
  } catch (e) {
    backtest.catch(() => undefined); // the same bad input fails there too; the fit's error is the answer
    throw e;
  }
  return attachBacktest(fit, data, await backtest);
}

if (!isMainThread && parentPort !== null && (workerData as { impactBacktest?: unknown } | null)?.impactBacktest !== undefined) {
  const port = parentPort;
  const { data, options } = (workerData as { impactBacktest: { data: ImpactData; options: ImpactOptions } }).impactBacktest;
  answerFromWorker((reply) => port.postMessage(reply), () => impactBacktest(data, options));
}
