/**
 * Starting and stopping the service: open the store, build the app, listen, publish the endpoint file
 * (`<db>.server.json`, for the CLI's two doors); a graceful close stops accepting requests, flushes buffered clicks,
 * removes the endpoint file and closes the store.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { closeStore, openStore, type Store } from '../store/db.js';
import { removeEndpoint, writeEndpoint } from '../store/server-endpoint.js';
import { buildApp } from './app.js';
import { resolveServerConfig } from './config.js';
import type { ServerConfig } from './config.js';
import { closeServerContext, createServerContext, type ServerContext } from './context.js';

/** Options of startServer. */
export interface StartServerOptions {
  /** Store path (created if needed). */
  dbPath: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Other configuration; baseUrl defaults to the listening URL. */
  config?: Partial<ServerConfig>;
  /** Clock (epoch ms); defaults to Date.now. */
  now?: () => number;
  /** Write `<db>.server.json` (default true; never for ':memory:'). */
  endpointFile?: boolean;
}

/** A running server. */
export interface RunningServer {
  url: string;
  ctx: ServerContext;
  app: FastifyInstance;
  /** The local admin token (also in the endpoint file). */
  token: string;
  close(): Promise<void>;
}

/** Opens the store, builds the one server context and the app, and serves until close(). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store: Store = await openStore(options.dbPath);
  let ctx: ServerContext | undefined;
  let app: FastifyInstance | undefined;
  try {
    const config = resolveServerConfig({
      ...options.config,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    const token = 'clout_local_' + randomBytes(24).toString('base64url');
    ctx = await createServerContext({ store, config, ...(options.now ? { now: options.now } : {}), localToken: token });
    // baseUrl is needed by the routes, but the port is known only after listen: resolve it lazily for port 0.
    const explicitBase = config.baseUrl !== '';
    app = await buildApp(ctx);
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const url = `http://${host}:${addr.port}`;
    if (!explicitBase) config.baseUrl = url;
    const writeFile = options.endpointFile !== false && options.dbPath !== ':memory:';
    if (writeFile) writeEndpoint(options.dbPath, { pid: process.pid, url, token });
    const running = { ctx, app }; // narrowed: close() runs long after these `let`s
    let closing: Promise<void> | undefined;
    return {
      url,
      ...running,
      token,
      close() {
        closing ??= (async () => {
          try {
            await running.app.close();
          } finally {
            if (writeFile) removeEndpoint(options.dbPath);
            try {
              await closeServerContext(running.ctx);
            } finally {
              await closeStore(store);
            }
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    if (app !== undefined) await app.close().catch(() => undefined);
    if (ctx !== undefined) await closeServerContext(ctx).catch(() => undefined);
    await closeStore(store).catch(() => undefined);
    throw e;
  }
}
