/** `clout serve`: the tracking service (links, redirect + click capture, conversions, webhooks, analytics) on one store. */
import { resolveDbPath } from '../../app/store.js';
import { SERVER_DEFAULTS } from '../../server/config.js';
import type { ServerConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { z } from 'zod';
import { DB_FLAG, EXIT, JSON_FLAG, NO_OPTIONS, defineCommand, type CommandIO, type ParsedValues } from '../command.js';
import { boolFlag, intFlag, stringFlag } from '../options.js';

/** Server configuration from flags > CLOUT_* environment > defaults. */
export function serveConfigFrom(values: ParsedValues, env: NodeJS.ProcessEnv): Partial<ServerConfig> & { host: string; port: number } {
  const pick = (flag: string, envName: string): string | undefined => stringFlag(values, flag) ?? env[envName];
  const num = (flag: string, envName: string, fallback: number, min: number, max: number): number =>
    intFlag({ [flag]: pick(flag, envName) }, flag, fallback, min, max);
  const rate = num('rate-limit', 'CLOUT_RATE_LIMIT', SERVER_DEFAULTS.rateLimit!.perSecond, 1, 1_000_000);
  const config: Partial<ServerConfig> & { host: string; port: number } = {
    host: pick('host', 'CLOUT_HOST') ?? SERVER_DEFAULTS.host,
    port: num('port', 'CLOUT_PORT', SERVER_DEFAULTS.port, 0, 65535),
    groupCommitMs: num('group-commit-ms', 'CLOUT_GROUP_COMMIT_MS', SERVER_DEFAULTS.groupCommitMs, 1, 100),
    rateLimit: { perSecond: rate, burst: num('rate-burst', 'CLOUT_RATE_BURST', Math.max(rate * 2, SERVER_DEFAULTS.rateLimit!.burst), 1, 10_000_000) },
  };
  const optional: [keyof ServerConfig, string, string][] = [
    ['baseUrl', 'base-url', 'CLOUT_BASE_URL'],
    ['countryHeader', 'country-header', 'CLOUT_COUNTRY_HEADER'],
    ['stripeWebhookSecret', 'stripe-webhook-secret', 'CLOUT_STRIPE_WEBHOOK_SECRET'],
    ['webhookSecret', 'webhook-secret', 'CLOUT_WEBHOOK_SECRET'],
  ];
  for (const [key, flag, envName] of optional) {
    const v = pick(flag, envName);
    if (v !== undefined && v !== '') (config as Record<string, unknown>)[key] = key === 'baseUrl' ? v.replace(/\/+$/, '') : v;
  }
  return config;
}

/** Resolves when the process receives SIGINT or SIGTERM. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/** Runs the server until `until` resolves (a signal by default), then stops it gracefully. */
export async function serve(values: ParsedValues, io: CommandIO, until: (s: RunningServer) => Promise<unknown> = stopSignal): Promise<number> {
  const dbPath = resolveDbPath(stringFlag(values, 'db'), io.env);
  const { host, port, ...config } = serveConfigFrom(values, io.env);
  const server = await startServer({ dbPath, host, port, config });
  if (boolFlag(values, 'json')) io.stdout(JSON.stringify({ url: server.url, pid: process.pid, db: dbPath }) + '\n');
  else io.stdout(`clout serve: listening on ${server.url} (store ${dbPath}, pid ${process.pid}); Ctrl-C stops\n`);
  const why = await until(server);
  await server.close();
  if (!boolFlag(values, 'json')) io.stderr(`clout serve: stopped (${String(why)}); buffered clicks flushed\n`);
  return EXIT.OK;
}

/** The server's flags: each falls back to its CLOUT_* variable, then to the default. */
const SERVE_FLAGS = z
  .object({
    ...DB_FLAG,
    port: z.number().int().min(0).max(65535).optional().describe(`port to listen on (default ${SERVER_DEFAULTS.port}; env CLOUT_PORT)`),
    host: z.string().optional().describe(`address to listen on (default ${SERVER_DEFAULTS.host}; env CLOUT_HOST)`),
    base_url: z.string().optional().describe('public base URL of the short links (env CLOUT_BASE_URL)'),
    country_header: z.string().optional().describe("request header carrying the visitor's country (env CLOUT_COUNTRY_HEADER)"),
    stripe_webhook_secret: z.string().optional().describe('Stripe webhook signing secret whsec_… (env CLOUT_STRIPE_WEBHOOK_SECRET)'),
    webhook_secret: z.string().optional().describe('signing secret of the generic conversion webhook (env CLOUT_WEBHOOK_SECRET)'),
    group_commit_ms: z.number().int().min(1).max(100).optional().describe(`ms clicks wait to be written together (default ${SERVER_DEFAULTS.groupCommitMs}; env CLOUT_GROUP_COMMIT_MS)`),
    rate_limit: z.number().int().min(1).max(1_000_000).optional().describe(`requests per second per client (default ${SERVER_DEFAULTS.rateLimit!.perSecond}; env CLOUT_RATE_LIMIT)`),
    rate_burst: z.number().int().min(1).max(10_000_000).optional().describe('burst of requests per client (default twice the rate limit; env CLOUT_RATE_BURST)'),
    ...JSON_FLAG,
  })
  .strict();

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run the tracking service: short links, click capture, conversion API, webhooks, analytics',
  options: NO_OPTIONS,
  flags: SERVE_FLAGS,
  example: 'clout serve --port 8787 --base-url https://go.example.org',
  run: ({ flags }, io) => {
    // serveConfigFrom reads flags as text beside the environment (flags > CLOUT_* > defaults).
    const values: ParsedValues = {};
    for (const [name, v] of Object.entries(flags)) if (v !== undefined) values[name.replaceAll('_', '-')] = typeof v === 'boolean' ? v : String(v);
    return serve(values, io);
  },
});
