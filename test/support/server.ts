/** Helpers of the server tests (test/server-*.test.ts): a real server on port 0 over a temp store, a test clock, fetch. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '../../src/server/config.js';
import { createApiKey } from '../../src/server/keys.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { Scope } from '../../src/server/auth.js';

/** A desktop Chrome User-Agent (a human click). */
export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** An iPhone Safari User-Agent (another human). */
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** A fresh temp directory. */
export function tempDir(prefix = 'clout-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A settable clock for the server (epoch ms). */
export class TestClock {
  constructor(public t = Date.parse('2026-03-02T10:00:00Z')) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A running test server with an admin key. */
export interface TestServer extends RunningServer {
  dbPath: string;
  clock: TestClock;
  adminKey: string;
  /** Creates a key with these scopes. */
  key(scopes: Scope[], origins?: string[]): Promise<string>;
  /** Sends a request; `key` becomes a Bearer header, `body` JSON unless a string. */
  req(method: string, path: string, o?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Rows of a query on the store (after flushing clicks). */
  rows(sql: string, params?: (string | number | boolean | null)[]): Promise<Record<string, unknown>[]>;
}

/** Starts a server on port 0 over a new temp store. */
export async function testServer(config: Partial<ServerConfig> = {}, dbPath = join(tempDir(), 'store.duckdb')): Promise<TestServer> {
  const clock = new TestClock();
  const s = await startServer({ dbPath, port: 0, config: { groupCommitMs: 20, ...config }, now: clock.now });
  const key = async (scopes: Scope[], origins?: string[]): Promise<string> =>
    (await createApiKey(s.ctx.store, { scopes, ...(origins ? { origins } : {}) })).key;
  const adminKey = await key(['admin']);
  return {
    ...s,
    dbPath,
    clock,
    adminKey,
    key,
    req(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.key !== undefined) headers.authorization = `Bearer ${o.key}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      return fetch(s.url + path, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    },
    async rows(sql, params = []) {
      await s.ctx.clicks.settle();
      return (await s.ctx.store.conn.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
    },
  };
}
