/**
 * `clout fetch bluesky|mastodon HANDLE...`: read accounts, posts, links, likes, reposts and follows from a platform's
 * public API into interchange NDJSON files (resumable), then import them. The only command that uses the network.
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';
import { FETCH_KINDS, FETCH_OPTIONS, FETCH_PLATFORMS, fetchAccounts, type FetchPlatform, type FetchSummary } from '../../app/fetch.js';
import { resolveDbPath } from '../../app/store.js';
import { formatInt, renderTable } from '../../report/table.js';
import { importViaServer, serverFor } from '../../server/local/client.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand } from '../command.js';
import { importJson, renderImportText } from './import.js';

const USAGE = 'clout fetch bluesky|mastodon HANDLE... [--out DIR] [--db PATH] [--no-import] [--json]';

/** The `--json` document: what was fetched per kind, the folder, the requests, and the import (or null). */
export function fetchJson(summary: FetchSummary): Record<string, unknown> {
  return {
    platform: summary.platform,
    out: summary.out,
    accounts: summary.accounts,
    fetched: summary.fetched,
    in_folder: summary.in_folder,
    requests: summary.requests,
    retries: summary.retries,
    waited_seconds: summary.waited_seconds,
    lists_with_more: summary.lists_with_more,
    import: summary.import === null ? null : importJson(summary.import),
  };
}

/** The human summary: one row per kind (fetched by this run, in the folder), notes, then the import table. */
export function renderFetchText(summary: FetchSummary): string {
  const rows = FETCH_KINDS.map((kind) => ({ kind, fetched: summary.fetched[kind], folder: summary.in_folder[kind] }));
  let text = `fetched ${summary.accounts.map((a) => a.handle).join(', ')} from ${summary.platform} into ${summary.out} (${formatInt(summary.requests)} request(s))\n`;
  text += renderTable(rows, [
    { header: 'kind', cell: (r) => r.kind },
    { header: 'fetched', cell: (r) => formatInt(r.fetched), align: 'right' },
    { header: 'in folder', cell: (r) => formatInt(r.folder), align: 'right' },
  ]);
  if (summary.lists_with_more > 0) {
    text += `${formatInt(summary.lists_with_more)} list(s) have more pages (--max-pages); run the same command again to continue\n`;
  }
  if (summary.import !== null) text += '\n' + renderImportText(summary.import);
  return text;
}

export const fetchCommand = defineCommand({
  name: 'fetch',
  summary: "Fetch accounts, posts, likes, reposts and follows from Bluesky's or a Mastodon instance's public API, then import them",
  options: FETCH_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  positionals: { usage: 'bluesky|mastodon HANDLE...', description: 'the platform, then Bluesky handles or DIDs, or Mastodon @user@instance' },
  notes: [
    'The only command that uses the network. Requests are polite: a clout/<version> User-Agent, retries with backoff, and waits for rate limits.',
    'The output folder keeps what was fetched and where each list stopped: the same command run again resumes. See docs/connectors.md.',
  ],
  example: 'clout fetch bluesky alice.bsky.social --max-posts 100',
  async run({ options, flags, positionals }, io) {
    const [platform, ...handles] = positionals;
    if (platform === undefined) throw new CloutError('usage', `which platform? usage: ${USAGE}`);
    if (!(FETCH_PLATFORMS as readonly string[]).includes(platform)) {
      throw new CloutError('usage', `cannot fetch from '${platform}': one of ${FETCH_PLATFORMS.join(', ')}; usage: ${USAGE}`);
    }
    const dbPath = resolveDbPath(flags.db, io.env);
    const server = options.import ? serverFor(dbPath) : undefined; // a running `clout serve` holds the store: import through it
    const line = (text: string): void => io.stderr(`${text}\n`);
    const summary = await fetchAccounts(
      { platform: platform as FetchPlatform, handles, options: { ...options, import: options.import && server === undefined }, dbPath },
      flags.json ? {} : { warn: line, ...(io.interactive ? { log: line } : {}) },
    );
    if (server !== undefined) summary.import = await importViaServer(server, [summary.out], {});
    if (flags.json) io.stdout(JSON.stringify(fetchJson(summary), null, 2) + '\n');
    else io.stdout(renderFetchText(summary));
    return summary.import !== null && summary.import.rejected_total > 0 ? EXIT.REJECTED_ROWS : EXIT.OK;
  },
});
