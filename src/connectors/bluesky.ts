/**
 * The Bluesky connector: for each handle or DID, from a public AppView (default https://public.api.bsky.app): the
 * profile (app.bsky.actor.getProfile), the feed (app.bsky.feed.getAuthorFeed), who liked and reposted each of the
 * account's posts (app.bsky.feed.getLikes, getRepostedBy), and its followers and follows (app.bsky.graph.getFollowers,
 * getFollows); paginated with `cursor` and `limit=100`, bounded, resumable (state.ts), written as interchange NDJSON.
 */
import { CloutError } from '../domain/index.js';
import { httpStatusOf } from './http.js';
import { obj, objects, str, type JsonObject } from './json.js';
import { accountOf, feedItemRecords, followRecords, likeRecords, repostedByRecords } from './bluesky-records.js';
import { runStream, type Page, type TargetPost } from './state.js';
import { mergeBatches, writeBatch, type ConnectorRun, type FetchedAccount, type RecordBatch } from './types.js';

/** The public AppView (no login needed). */
export const BLUESKY_SERVICE = 'https://public.api.bsky.app';
/** The largest page the AppView serves. */
const PAGE = 100;

/** A handle as typed (`@alice.bsky.social`, `alice.bsky.social`) or a DID, without the leading @ and lower-cased. */
export function normalizeActor(actor: string): string {
  const a = actor.trim().replace(/^@/, '');
  return a.startsWith('did:') ? a : a.toLowerCase();
}

/** The URL of an XRPC query on the service. */
function xrpcUrl(service: string, method: string, params: Record<string, string | number | undefined>): URL {
  const url = new URL(`xrpc/${method}`, service.endsWith('/') ? service : `${service}/`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/** Fetches every account of `actors` from the AppView at `service` into the run's output folder. */
export async function fetchBluesky(actors: readonly string[], service: string, run: ConnectorRun): Promise<FetchedAccount[]> {
  const fetched: FetchedAccount[] = [];
  const query = async (method: string, params: Record<string, string | number | undefined>): Promise<JsonObject> => {
    const body = obj((await run.http.getJson(xrpcUrl(service, method, params))).body);
    if (body === undefined) throw new CloutError('network', `${method} answered something that is not a JSON object`);
    return body;
  };
  for (const asked of actors) {
    const actor = normalizeActor(asked);
    let profile: JsonObject;
    try {
      profile = await query('app.bsky.actor.getProfile', { actor });
    } catch (e) {
      const status = httpStatusOf(e);
      const error = e instanceof CloutError && typeof e.details?.['error'] === 'string' ? e.details['error'] : '';
      if (/^Account(Deactivated|Takedown|Suspended)/.test(error)) {
        throw new CloutError('input', `the Bluesky account ${actor} is not available (${error})`, { actor, status });
      }
      if (status === 400 || status === 404) throw new CloutError('input', `no such Bluesky account: ${actor}`, { actor, status });
      throw e;
    }
    const account = accountOf(profile);
    if (account === undefined) throw new CloutError('network', `app.bsky.actor.getProfile answered without a DID for ${actor}`);
    const did = String(account['id']);
    const handle = str(profile, 'handle') ?? actor;
    run.out.write('accounts', [account]);
    run.log(`bluesky: ${handle} (${did})`);
    fetched.push({ asked, id: did, handle });

    await runStream(
      run.state,
      `feed:${did}`,
      { maxPages: run.limits.maxPages, maxItems: run.limits.maxPosts },
      async (cursor, room) => {
        const body = await query('app.bsky.feed.getAuthorFeed', { actor: did, limit: Math.min(PAGE, room ?? PAGE), cursor });
        return { items: objects(body, 'feed'), next: str(body, 'cursor') };
      },
      (items) => {
        const batches: RecordBatch[] = [];
        const targets: TargetPost[] = [];
        for (const item of items) {
          const r = feedItemRecords(item, did);
          if (r === undefined) continue;
          batches.push(r.batch);
          if (r.target) targets.push(r.target);
        }
        writeBatch(run.out, mergeBatches(batches));
        run.state.addTargets(did, targets);
        run.log(`bluesky: ${handle}: ${items.length} feed item(s)`);
      },
    );

    if (run.limits.engagement) {
      for (const post of run.state.targets(did)) {
        if (post.likes > 0) {
          await runStream(run.state, `likes:${post.id}`, { maxPages: run.limits.maxPages }, async (cursor) => page(await query('app.bsky.feed.getLikes', { uri: post.ref, limit: PAGE, cursor }), 'likes'), (items) =>
            writeBatch(run.out, mergeBatches(items.map((l) => likeRecords(l, post)))),
          );
        }
        if (post.reposts > 0) {
          await runStream(run.state, `reposts:${post.id}`, { maxPages: run.limits.maxPages }, async (cursor) => page(await query('app.bsky.feed.getRepostedBy', { uri: post.ref, limit: PAGE, cursor }), 'repostedBy'), (items) =>
            // A repost the feed already gave (the account reposting its own post, with its real time) is not counted twice.
            writeBatch(run.out, mergeBatches(items.filter((p) => !run.out.hasInteraction('repost', str(p, 'did') ?? '', post.id)).map((p) => repostedByRecords(p, post)))),
          );
        }
      }
    }

    if (run.limits.graph) {
      await runStream(run.state, `followers:${did}`, { maxPages: run.limits.maxPages }, async (cursor) => page(await query('app.bsky.graph.getFollowers', { actor: did, limit: PAGE, cursor }), 'followers'), (items) =>
        writeBatch(run.out, mergeBatches(items.map((p) => followRecords(p, did, 'follower')))),
      );
      await runStream(run.state, `follows:${did}`, { maxPages: run.limits.maxPages }, async (cursor) => page(await query('app.bsky.graph.getFollows', { actor: did, limit: PAGE, cursor }), 'follows'), (items) =>
        writeBatch(run.out, mergeBatches(items.map((p) => followRecords(p, did, 'follows')))),
      );
    }
  }
  return fetched;
}

/** A page of an XRPC list answer: the objects under `key` and the cursor of the next page. */
function page(body: JsonObject, key: string): Page<JsonObject> {
  return { items: objects(body, key), next: str(body, 'cursor') };
}
