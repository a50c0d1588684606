/**
 * Test harness for the tracking service: a real server on a free loopback port over a fresh store, an adjustable
 * clock, API keys by scope, and small HTTP helpers (plain fetch, no client library).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../src/server/keys.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { ServerConfig } from '../../src/server/config.js';
import { listServerConversions, type ServerConversionRow } from '../../src/store/server-conversions.js';
import { clout, type CliResult } from './cli.js';

/** Webhook secrets the harness configures. */
export const STRIPE_SECRET = 'whsec_harness_stripe_0123456789';
export const STANDARD_SECRET = 'whsec_' + Buffer.from('harness standard secret 32 bytes').toString('base64');

/** A running test server. */
export interface Harness {
  dir: string;
  dbPath: string;
  srv: RunningServer;
  url: string;
  /** Milliseconds added to the real clock (ctx.now). */
  clock: { offset: number };
  key(scopes: string[], origins?: string[]): Promise<string>;
  conversions(): Promise<ServerConversionRow[]>;
  close(): Promise<void>;
}

/** Runs the CLI in-process; returns exit code and captured output. */
export function cli(args: string[]): Promise<CliResult> {
  return clout(args, { ...process.env, CI: 'true' });
}

/** Imports a small world (two authors, a post each) into `dbPath` before the server opens it. */
export async function seedWorld(dir: string, dbPath: string): Promise<void> {
  const world = join(dir, 'world');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(world, { recursive: true });
  writeFileSync(join(world, 'accounts.csv'), 'id,handle,followers\nalice,@alice,1200\nbob,@bob,1400000\n');
  writeFileSync(
    join(world, 'posts.csv'),
    'id,author_id,created_at,text\npost_a,alice,2026-01-05T10:00:00Z,WOW this book amazes me\npost_b,bob,2026-01-05T11:00:00Z,Title of book — link\n',
  );
  const r = await cli(['import', world, '--db', dbPath, '--json']);
  if (r.code !== 0) throw new Error(`seed import failed: ${r.stderr}`);
}

/** Starts a server over a new store (seeded unless `seed: false`). */
export async function startHarness(options: { seed?: boolean; config?: Partial<ServerConfig> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'clout-srv-'));
  const dbPath = join(dir, 'store.duckdb');
  if (options.seed !== false) await seedWorld(dir, dbPath);
  const clock = { offset: 0 };
  const srv = await startServer({
    dbPath,
    port: 0,
    now: () => Date.now() + clock.offset,
    config: {
      rateLimit: { perSecond: 1e6, burst: 1e6 },
      stripeWebhookSecret: STRIPE_SECRET,
      webhookSecret: STANDARD_SECRET,
      ...options.config,
    },
  });
  return {
    dir,
    dbPath,
    srv,
    url: srv.url,
    clock,
    key: async (scopes, origins) => (await createApiKey(srv.ctx.store, { scopes, ...(origins ? { origins } : {}) })).key,
    conversions: () => srv.ctx.db.read((conn) => listServerConversions(conn)),
    close: () => srv.close(),
  };
}

/** A JSON POST with an optional bearer key and extra headers; returns status, headers and parsed body. */
export async function post(
  url: string,
  body: unknown,
  key?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Creates a link through the API and follows its short URL once; returns the link and the click id. */
export async function linkAndClick(
  h: Harness,
  linksKey: string,
  link: Record<string, unknown>,
): Promise<{ link: { id: string; key: string; short_url: string }; clickId: string; location: string }> {
  const created = await post(`${h.url}/api/links`, link, linksKey);
  if (created.status !== 201) throw new Error(`link create: ${created.status} ${created.text}`);
  const res = await fetch(created.body.short_url, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' } });
  if (res.status !== 302) throw new Error(`redirect: ${res.status}`);
  const location = res.headers.get('location')!;
  const clickId = new URL(location).searchParams.get('clout_id');
  if (!clickId) throw new Error(`no clout_id in ${location}`);
  return { link: created.body, clickId, location };
}
