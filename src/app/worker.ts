/**
 * Runs a module's work in a worker thread and resolves with what it posts back: the one place that starts workers
 * (the report's sampler off the server's event loop, an impact backtest beside the main fit). The module posts
 * `{ value }` or `{ error: { code, message } }`; under the test runner the module is TypeScript and the worker first
 * registers the same loader (tsx, a dev dependency).
 */
import { Worker } from 'node:worker_threads';
import { CloutError, type ErrorCode } from '../domain/index.js';

/** What a worker module posts back. */
export type WorkerReply<T> = { value: T } | { error: { code: string; message: string } };

/** Starts `moduleUrl` (an `import.meta.url`) in a worker with `workerData` and resolves with the value it posts. */
export function runInWorker<T>(moduleUrl: string, workerData: unknown, what: string): Promise<T> {
  const self = new URL(moduleUrl);
  return new Promise((resolve, reject) => {
    const worker = self.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(self.href)}); });`, { eval: true, workerData })
      : new Worker(self, { workerData });
    let settled = false;
    worker.once('message', (m: WorkerReply<T>) => {
      settled = true;
      if ('value' in m) resolve(m.value);
      else reject(new CloutError((m.error.code ?? 'internal') as ErrorCode, m.error.message ?? `${what} failed`));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new CloutError('internal', `${what} worker exited with code ${code} before answering`));
    });
  });
}

/** Runs `work` in the worker and posts its value (or its error, with the CloutError code) back to the parent. */
export function answerFromWorker<T>(post: (reply: WorkerReply<T>) => void, work: () => T): void {
  try {
    post({ value: work() });
  } catch (e) {
    const code = e instanceof CloutError ? e.code : 'internal';
    post({ error: { code, message: e instanceof Error ? e.message : String(e) } });
  }
}
