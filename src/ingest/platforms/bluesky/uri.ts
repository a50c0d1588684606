/** AT-URIs (`at://<did>/<collection>/<rkey>`) and the bsky.app web address of a post. */

/** The collection of Bluesky posts. */
export const POST_COLLECTION = 'app.bsky.feed.post';

/** The parts of an AT-URI naming a record. */
export interface AtUri {
  authority: string;
  collection: string;
  rkey: string;
}

/** The AT-URI of a record in a repository. */
export function atUri(did: string, collection: string, rkey: string): string {
  return `at://${did}/${collection}/${rkey}`;
}

/** The parts of an AT-URI that names a record, or undefined for anything else. */
export function parseAtUri(uri: string): AtUri | undefined {
  const m = /^at:\/\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)$/.exec(uri);
  return m === null ? undefined : { authority: m[1], collection: m[2], rkey: m[3] };
}

/** True when the AT-URI names a post (`…/app.bsky.feed.post/<rkey>`). */
export function isPostUri(uri: string): boolean {
  return parseAtUri(uri)?.collection === POST_COLLECTION;
}

/** The bsky.app address of a post. */
export function postWebUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${did}/post/${rkey}`;
}

/** A repository key (`<collection>/<rkey>`) split in two, or undefined when it is not one. */
export function splitRepoKey(key: string): { collection: string; rkey: string } | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1 || key.indexOf('/', slash + 1) !== -1) return undefined;
  return { collection: key.slice(0, slash), rkey: key.slice(slash + 1) };
}
