/**
 * The one server context: everything the HTTP service shares (store, its write/read queue, configuration, clock,
 * link cache, click buffer, redirector, conversion writer, authenticator), built once at start by
 * createServerContext and handed to each route module, which takes only the fields it uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from './config.js';
import { ClickJournal, journalDir } from '../store/click-journal.js';
import type { Store } from '../store/db.js';
import { Authenticator } from './auth.js';
import { ClickBuffer } from './clicks/buffer.js';
import { Redirector } from './clicks/redirect.js';
import { createConversionWriter } from './conversions/service.js';
import type { ConversionWriter } from './conversions/writer.js';
import { createDbQueue, type DbQueue } from './db-queue.js';
import { LinkCache } from './links/cache.js';

/** The service's shared state, built once by createServerContext; route modules take the fields they use. */
export interface ServerContext {
  store: Store;
  /** The writer and reader connections of `store` (owned by the context). */
  db: DbQueue;
  /** Mutable: startServer fills in `baseUrl` once the port is known. */
  config: ServerConfig;
  /** The clock (epoch ms); injectable for tests. */
  now(): number;
  /** Short key → compiled link, read by the redirect; reloaded after imports. */
  links: LinkCache;
  /** Captured clicks on their way to the store (`settle()` writes them now). */
  clicks: ClickBuffer;
  /** The redirect hot path in front of Fastify. */
  redirector: Redirector;
  /** The one conversion writer (tracking API and webhooks). */
  conversions: ConversionWriter;
  /** API keys, the local admin token and per-key rate limits. */
  auth: Authenticator;
}

/** What createServerContext needs: an open store, the resolved configuration, the clock and the local admin token. */
export interface ServerContextOptions {
  store: Store;
  config: ServerConfig;
  /** Defaults to Date.now. */
  now?: () => number;
  /** The local admin token of this process (the CLI's two doors); none when absent. */
  localToken?: string;
}

/** Builds the context of one server over an open store: opens its connections, loads the links, starts the click buffer. */
export async function createServerContext(options: ServerContextOptions): Promise<ServerContext> {
  const { store, config } = options;
  const now = options.now ?? Date.now;
  const db = await createDbQueue(store);
  try {
    const links = new LinkCache(config.clickIdParam);
    await links.load(db);
    // An in-memory store (tests) journals to a temporary directory (the journal removes it when closed empty).
    const journalPath = store.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'clout-clicks-')) : journalDir(store.path);
    const clicks = new ClickBuffer(new ClickJournal(journalPath), await store.instance.connect(), config.groupCommitMs, config.clickBatchRows ?? 4096, (e) =>
      process.emitWarning(`clout serve: a click batch failed to write: ${(e as Error).message}`),
    );
    return {
      store,
      db,
      config,
      now,
      links,
      clicks,
      redirector: new Redirector({ config, now }, links, clicks),
      conversions: createConversionWriter(db, now, clicks),
      auth: new Authenticator({ db, now, rateLimit: config.rateLimit, localToken: options.localToken }),
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

/** Writes the buffered clicks and closes the context's connections (the store itself stays open: its opener closes it). */
export async function closeServerContext(ctx: ServerContext): Promise<void> {
  try {
    await ctx.clicks.close();
  } finally {
    await ctx.db.close();
  }
}
