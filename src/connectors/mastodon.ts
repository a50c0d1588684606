/**
 * The Mastodon connector: for each `@user@instance`, from the instance's public REST API (base https://instance, or
 * --base-url): the account (/api/v1/accounts/lookup), its statuses (/api/v1/accounts/:id/statuses), who favourited and
 * boosted each (/api/v1/statuses/:id/favourited_by, /reblogged_by), its followers and following; paged through the
 * `Link` header's rel="next" (kept on the base URL's origin), bounded, resumable (state.ts), written as NDJSON.
 * A reply's parent is looked up once (/api/v1/statuses/:id) to name it by its URI.
 */
import { CloutError } from '../domain/index.js';
import { httpStatusOf, type JsonResponse } from './http.js';
import { obj, str, type JsonObject } from './json.js';
import { linkWithRel } from './link-header.js';
import { accountIdOf, accountOf, engagementRecords, followRecords, statusRecords, targetOf, type ReplyParent } from './mastodon-records.js';
import { runStream, type Page, type TargetPost } from './state.js';
import { mergeBatches, writeBatch, type ConnectorRun, type FetchedAccount, type RecordBatch } from './types.js';

/** Largest pages the API serves: statuses 40, account lists 80. */
const STATUS_PAGE = 40;
const ACCOUNT_PAGE = 80;

/** A handle `@user@instance` (or `user@instance`) split into its user and instance; a usage error otherwise. */
export function parseMastodonHandle(handle: string): { user: string; instance: string } {
  const m = /^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+(?::\d+)?)$/.exec(handle.trim());
  if (!m) throw new CloutError('usage', `a Mastodon account is @user@instance (e.g. @alice@mastodon.social); got '${handle}'`);
  return { user: m[1]!, instance: m[2]!.toLowerCase() };
}

/** The base URL of the API for `instance`: `baseUrl` when given, else https://instance. */
export function mastodonBase(instance: string, baseUrl: string | undefined): string {
  return baseUrl ?? `https://${instance}`;
}

/** Fetches every account of `handles` into the run's output folder; `baseUrl` overrides each handle's instance. */
export async function fetchMastodon(handles: readonly string[], baseUrl: string | undefined, run: ConnectorRun): Promise<FetchedAccount[]> {
  const fetched: FetchedAccount[] = [];
  for (const asked of handles) {
    const { user, instance } = parseMastodonHandle(asked);
    const base = new URL(mastodonBase(instance, baseUrl));
    /** GETs JSON; a 401/403 says that the instance serves its API only to logged-in users (clout reads public data only). */
    const get = async (url: URL): Promise<JsonResponse> => {
      try {
        return await run.http.getJson(url);
      } catch (e) {
        const status = httpStatusOf(e);
        if (status !== 401 && status !== 403) throw e;
        throw new CloutError('input', `${(e as Error).message}: ${base.host} does not serve this to visitors who are not logged in, and clout fetch reads public data only`, {
          ...(e as CloutError).details,
        });
      }
    };
    const api = (path: string, params: Record<string, string | number> = {}): URL => {
      const url = new URL(path, base);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
      return url;
    };
    /** A list page: the array it answers and the next page (rel="next" of its Link header), kept on the base's origin. */
    const listPage = async (url: URL): Promise<Page<JsonObject>> => {
      const r = await get(url);
      const items = Array.isArray(r.body) ? r.body.map(obj).filter((x): x is JsonObject => x !== undefined) : [];
      const nextHref = linkWithRel(r.headers.get('link'), 'next', url.href);
      let next: string | undefined;
      if (nextHref !== undefined) {
        const n = new URL(nextHref);
        next = new URL(n.pathname + n.search, base).href;
      }
      return { items, next };
    };
    const acct = base.host.toLowerCase() === instance ? user : `${user}@${instance}`;
    let entity: JsonObject | undefined;
    try {
      entity = obj((await get(api('/api/v1/accounts/lookup', { acct }))).body);
    } catch (e) {
      const status = httpStatusOf(e);
      if (status === 404 || status === 400 || status === 410) throw new CloutError('input', `no such Mastodon account: ${user}@${instance}`, { acct, status });
      throw e;
    }
    const account = entity ? accountOf(entity) : undefined;
    const localId = str(entity, 'id');
    if (account === undefined || localId === undefined) throw new CloutError('network', `${base.host} answered the lookup of ${acct} without an account id`);
    const accountId = String(account['id']);
    const handle = String(account['handle'] ?? `${user}@${instance}`);
    run.out.write('accounts', [account]);
    run.log(`mastodon: ${handle} (${accountId})`);
    fetched.push({ asked, id: accountId, handle });

    /** The post a status replies to: from this run's statuses, the state, or one lookup (undefined when it is gone). */
    const parentOf = async (status: JsonObject): Promise<ReplyParent | undefined> => {
      const parentId = str(status, 'in_reply_to_id');
      if (parentId === undefined) return undefined;
      const key = `status:${base.host}:${parentId}`;
      const known = run.state.lookup(key);
      if (known !== undefined) return known === '' ? undefined : (JSON.parse(known) as ReplyParent);
      let parent: JsonObject | undefined;
      try {
        parent = obj((await get(api(`/api/v1/statuses/${encodeURIComponent(parentId)}`))).body);
      } catch (e) {
        const code = httpStatusOf(e);
        if (code === undefined || code < 400 || code >= 500 || code === 429) throw e;
        run.state.setLookup(key, ''); // deleted, private or from a blocked server: the reply keeps no reply_to
        return undefined;
      }
      const parentRecords = parent ? statusRecords(parent) : undefined;
      if (parentRecords === undefined) {
        run.state.setLookup(key, '');
        return undefined;
      }
      writeBatch(run.out, parentRecords.batch);
      const resolved: ReplyParent = { uri: String(parentRecords.post['id']), author_id: String(parentRecords.post['author_id']) };
      run.state.setLookup(key, JSON.stringify(resolved));
      return resolved;
    };

    await runStream(
      run.state,
      `statuses:${accountId}`,
      { maxPages: run.limits.maxPages, maxItems: run.limits.maxPosts },
      async (cursor, room) => {
        const limit = Math.min(STATUS_PAGE, room ?? STATUS_PAGE);
        const url = cursor !== undefined ? new URL(cursor) : api(`/api/v1/accounts/${encodeURIComponent(localId)}/statuses`);
        url.searchParams.set('limit', String(limit)); // no more than is left under --max-posts
        return listPage(url);
      },
      async (items) => {
        // The page's own statuses first, so a reply to one of them needs no lookup.
        for (const s of items) {
          const uri = str(s, 'uri');
          const id = str(s, 'id');
          const author = accountIdOf(obj(s['account']));
          if (uri !== undefined && id !== undefined) run.state.setLookup(`status:${base.host}:${id}`, JSON.stringify({ uri, author_id: author }));
        }
        const batches: RecordBatch[] = [];
        const targets: TargetPost[] = [];
        for (const s of items) {
          const r = statusRecords(s, await parentOf(s));
          if (r === undefined) continue;
          batches.push(r.batch);
          const target = targetOf(s, r.post, accountId);
          if (target) targets.push(target);
        }
        writeBatch(run.out, mergeBatches(batches));
        run.state.addTargets(accountId, targets);
        run.log(`mastodon: ${handle}: ${items.length} status(es)`);
      },
    );

    if (run.limits.engagement) {
      for (const post of run.state.targets(accountId)) {
        const lists: [number, string, 'like' | 'repost'][] = [
          [post.likes, 'favourited_by', 'like'],
          [post.reposts, 'reblogged_by', 'repost'],
        ];
        for (const [n, path, type] of lists) {
          if (n <= 0) continue;
          await runStream(
            run.state,
            `${type === 'like' ? 'likes' : 'reposts'}:${post.id}`,
            { maxPages: run.limits.maxPages },
            (cursor) => listPage(cursor !== undefined ? new URL(cursor) : api(`/api/v1/statuses/${encodeURIComponent(post.ref)}/${path}`, { limit: ACCOUNT_PAGE })),
            (items) => writeBatch(run.out, mergeBatches(items.filter((a) => type !== 'repost' || !run.out.hasInteraction('repost', accountIdOf(a) ?? '', post.id)).map((a) => engagementRecords(a, post, type)))),
          );
        }
      }
    }

    if (run.limits.graph) {
      for (const direction of ['follower', 'following'] as const) {
        const path = direction === 'follower' ? 'followers' : 'following';
        await runStream(
          run.state,
          `${path}:${accountId}`,
          { maxPages: run.limits.maxPages },
          (cursor) => listPage(cursor !== undefined ? new URL(cursor) : api(`/api/v1/accounts/${encodeURIComponent(localId)}/${path}`, { limit: ACCOUNT_PAGE })),
          (items) => writeBatch(run.out, mergeBatches(items.map((a) => followRecords(a, accountId, direction)))),
        );
      }
    }
  }
  return fetched;
}
