/**
 * A local HTTP server on 127.0.0.1 (port 0) that replays recorded API answers for the connector tests — no test ever
 * reaches the network. A fixture folder holds `routes.json`: "METHOD /path?query" → the answers for that request in
 * order (the last one repeats), each `{status?, headers?, file? | body?}` with `file` a JSON file of the folder.
 * Queries are compared decoded and sorted by name. Every request is recorded; an unknown one gets a 404 and is listed
 * in `unmatched`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** One recorded answer. */
export interface ReplayAnswer {
  status?: number;
  headers?: Record<string, string>;
  file?: string;
  body?: unknown;
}

/** A request the server received. */
export interface ReplayRequest {
  key: string;
  headers: IncomingHttpHeaders;
}

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: ReplayRequest[];
  unmatched: string[];
  /** Answers `answers` first (in order) for the request `key`, before the folder's. */
  prepend(key: string, answers: ReplayAnswer[]): void;
  close(): Promise<void>;
}

/** A request key with its query decoded and sorted by name (`GET /a?b=1&a=2` → `GET /a?a=2&b=1`). */
export function normalizeKey(key: string): string {
  const space = key.indexOf(' ');
  const method = key.slice(0, space).toUpperCase();
  const target = key.slice(space + 1);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (q < 0) return `${method} ${path}`;
  const params = [...new URLSearchParams(target.slice(q + 1))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method} ${path}?${params.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** Starts a replay server over the fixture folder `dir`. */
export async function replayServer(dir: string): Promise<ReplayServer> {
  const routes = JSON.parse(readFileSync(join(dir, 'routes.json'), 'utf8')) as Record<string, ReplayAnswer[]>;
  const queues = new Map<string, ReplayAnswer[]>();
  for (const [key, answers] of Object.entries(routes)) queues.set(normalizeKey(key), [...answers]);
  const requests: ReplayRequest[] = [];
  const unmatched: string[] = [];
  const server: Server = createServer((req, res) => {
    const key = normalizeKey(`${req.method ?? 'GET'} ${req.url ?? '/'}`);
    requests.push({ key, headers: req.headers });
    const queue = queues.get(key);
    if (queue === undefined || queue.length === 0) {
      unmatched.push(key);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'NotRecorded', message: key }));
      return;
    }
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    const body = answer.file !== undefined ? readFileSync(join(dir, answer.file), 'utf8') : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...(answer.headers ?? {}) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    prepend(key, answers) {
      const k = normalizeKey(key);
      queues.set(k, [...answers, ...(queues.get(k) ?? [])]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A clock for tests: time stands still except when slept, and every sleep is recorded. */
export function fakeClock(start = Date.UTC(2026, 2, 10, 12, 0, 0)): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}
