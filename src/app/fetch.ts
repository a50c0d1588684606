/**
 * Use case "fetch these accounts from a platform" (`clout fetch bluesky|mastodon HANDLE...`): the only network access
 * in clout, run on purpose. A connector (src/connectors) reads the platform's public API politely into interchange
 * NDJSON files in an output folder (appended as it goes, resumable), which are then imported into the store.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { CloutError } from '../domain/index.js';
import { BLUESKY_SERVICE, fetchBluesky, normalizeActor } from '../connectors/bluesky.js';
import { HttpClient, type HttpClock } from '../connectors/http.js';
import { fetchMastodon, parseMastodonHandle } from '../connectors/mastodon.js';
import { NdjsonOutput, type FetchKind } from '../connectors/output.js';

export { FETCH_KINDS } from '../connectors/output.js';
import { FetchState } from '../connectors/state.js';
import type { ConnectorRun, FetchedAccount } from '../connectors/types.js';
import { importIntoDb, type ImportSummary } from './import.js';

/** The platforms clout can fetch from. */
export const FETCH_PLATFORMS = ['bluesky', 'mastodon'] as const;
/** One platform clout can fetch from. */
export type FetchPlatform = (typeof FETCH_PLATFORMS)[number];

/** An http(s) URL option. */
const httpUrlOption = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/** Options of a fetch: one schema for the CLI's flags (and any other door). */
export const FETCH_OPTIONS = z
  .object({
    service: httpUrlOption.optional().describe(`Bluesky: the AppView to read (default ${BLUESKY_SERVICE})`),
    base_url: httpUrlOption.optional().describe("Mastodon: the API's base URL (default https://INSTANCE of each handle)"),
    out: z.string().optional().describe('the output folder (default ./clout-fetch/PLATFORM-YYYYMMDD); a folder fetched before is resumed'),
    max_posts: z.number().int().min(1).max(100_000).default(200).describe('feed items (posts and reposts) per account, across runs'),
    max_pages: z.number().int().min(1).max(100_000).default(20).describe('pages per list per run (a list cut short goes on at the next run)'),
    max_wait: z.number().int().min(0).max(86_400).default(600).describe('longest single wait for a rate limit, in seconds (longer: stop; run again later)'),
    timeout: z.number().int().min(1).max(600).default(30).describe('seconds allowed for one request'),
    retries: z.number().int().min(0).max(10).default(4).describe('retries of a request after 429, 5xx or a network error'),
    engagement: z.boolean().default(true).describe('fetch who liked and reposted each post'),
    graph: z.boolean().default(true).describe('fetch followers and follows'),
    import: z.boolean().default(true).describe('import the fetched files into the store'),
  })
  .strict();
export type FetchOptions = z.output<typeof FETCH_OPTIONS>;

/** What a fetch is asked beyond its options: the platform, the accounts, and the store to import into. */
export interface FetchRequest {
  platform: FetchPlatform;
  handles: readonly string[];
  options: FetchOptions;
  /** The store to import into (when options.import). */
  dbPath?: string;
}

/** What can be injected (tests): the fetch function, the clock and sleep, the jitter, progress and wait lines. */
export interface FetchDeps {
  fetch?: typeof fetch;
  clock?: HttpClock;
  random?: () => number;
  /** Progress lines (an account begun, a page fetched). */
  log?: (line: string) => void;
  /** Lines the user should see even without progress: waits for rate limits and retries. */
  warn?: (line: string) => void;
}

/** What a fetch did. */
export interface FetchSummary {
  platform: FetchPlatform;
  out: string;
  accounts: FetchedAccount[];
  /** Records written by this run, per kind. */
  fetched: Record<FetchKind, number>;
  /** Records in the output folder after this run, per kind. */
  in_folder: Record<FetchKind, number>;
  requests: number;
  retries: number;
  waited_seconds: number;
  /** Lists with more pages left (stopped by --max-pages): running the same command again continues them. */
  lists_with_more: number;
  /** The import of the folder, or null with --no-import. */
  import: ImportSummary | null;
}

/** The default output folder: ./clout-fetch/<platform>-<yyyymmdd> (UTC date of `now`). */
export function defaultOutDir(platform: FetchPlatform, now: number): string {
  return join('clout-fetch', `${platform}-${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}`);
}

/** Checks the request before any network access: handles present and well-formed, flags that fit the platform. */
export function checkFetchRequest(req: FetchRequest): void {
  if (req.handles.length === 0) throw new CloutError('usage', `no accounts to fetch; usage: clout fetch ${req.platform} HANDLE...`);
  if (req.platform === 'bluesky') {
    if (req.options.base_url !== undefined) throw new CloutError('usage', '--base-url is for mastodon; Bluesky takes --service');
    for (const h of req.handles) if (normalizeActor(h) === '') throw new CloutError('usage', 'an empty Bluesky handle');
  } else {
    if (req.options.service !== undefined) throw new CloutError('usage', '--service is for bluesky; Mastodon takes --base-url');
    for (const h of req.handles) parseMastodonHandle(h);
  }
}

/** Fetches the accounts into the output folder (resuming it), then imports the folder unless told not to. */
export async function fetchAccounts(req: FetchRequest, deps: FetchDeps = {}): Promise<FetchSummary> {
  checkFetchRequest(req);
  const { options } = req;
  const now = (deps.clock?.now ?? Date.now)();
  const outDir = options.out ?? defaultOutDir(req.platform, now);
  const service = req.platform === 'bluesky' ? (options.service ?? BLUESKY_SERVICE) : (options.base_url ?? "each handle's instance");
  const out = new NdjsonOutput(outDir);
  const state = FetchState.open(outDir, req.platform, service);
  const log = deps.log ?? (() => undefined);
  const warn = deps.warn ?? log;
  const http = new HttpClient({
    timeoutMs: options.timeout * 1000,
    retries: options.retries,
    maxWaitMs: options.max_wait * 1000,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    onWait: (ms, reason) => {
      if (ms >= 1000) warn(`waiting ${Math.ceil(ms / 1000)} s: ${reason}`);
    },
  });
  const run: ConnectorRun = {
    http,
    out,
    state,
    limits: { maxPosts: options.max_posts, maxPages: options.max_pages, engagement: options.engagement, graph: options.graph },
    log,
  };
  const accounts =
    req.platform === 'bluesky'
      ? await fetchBluesky(req.handles, service, run)
      : await fetchMastodon(req.handles, options.base_url, run);
  state.save();
  const counts = out.counts();
  const listsWithMore = state.streams().filter(([key, s]) => !s.complete && !(s.items >= options.max_posts && /^(feed|statuses):/.test(key))).length;
  let imported: ImportSummary | null = null;
  if (options.import) {
    if (req.dbPath === undefined) throw new CloutError('usage', 'no store to import into; give --db or --no-import');
    imported = await importIntoDb(req.dbPath, [outDir]);
  }
  return {
    platform: req.platform,
    out: outDir,
    accounts,
    fetched: counts.written,
    in_folder: counts.total,
    requests: http.stats.requests,
    retries: http.stats.retries,
    waited_seconds: Math.round(http.stats.waitedMs / 1000),
    lists_with_more: listsWithMore,
    import: imported,
  };
}
