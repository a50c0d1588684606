/**
 * Whose is a link: a page that names the author's handle (github.com/sponsors/NAME, patreon.com/NAME,
 * NAME.substack.com, ko-fi.com/NAME, mastodon.social/@NAME) is the author's own. Handles are compared without case and
 * without the separators platforms spell differently (`ana_dev` on X is `ana-dev` on GitHub).
 */

/** A handle as compared: its name in lower case, no leading @; null when absent or too short to name anyone (under 3 characters). */
export function handleOf(handle: string | null | undefined): string | null {
  // a Mastodon handle's name before its instance (name@instance), a Bluesky handle's first label (name.bsky.social)
  const h = (handle ?? '').trim().replace(/^@/, '').split('@')[0]!.split('.')[0]!.toLowerCase();
  return h.length >= 3 ? h : null;
}

/** True when the URL's host (a subdomain) or one of its path segments is the handle. */
export function urlNamesAccount(url: string, handle: string | null | undefined): boolean {
  const h = handleOf(handle);
  if (h === null) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const key = squash(h);
  const hostParts = parsed.hostname.toLowerCase().split('.');
  const sub = hostParts.length > 2 ? hostParts.slice(0, -2) : [];
  const segments = parsed.pathname.split('/').map((s) => decodeURIComponent(s).replace(/^@/, ''));
  return [...sub, ...segments].some((s) => s !== '' && squash(s) === key);
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}
