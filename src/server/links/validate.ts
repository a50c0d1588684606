/** Checks of link input: destinations are absolute http(s) URLs without credentials; keys are short, URL-safe, not reserved. */
import { randomBytes } from 'node:crypto';
import { HttpProblem } from '../problem.js';

/** Longest destination URL accepted. */
export const MAX_URL_LENGTH = 2048;
/** Shape of a short-link key. */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys that would shadow the service's own paths (compared case-insensitively). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'api', 'webhooks', 'openapi', 'openapi.json', 'clout.js', 'health', 'healthz', 'docs', 'static', 'assets',
  'favicon.ico', 'robots.txt', 'admin', 'dashboard', 'login', 'logout',
]);

/** Returns the normalized destination, or throws a 400 problem naming what is wrong. */
export function checkDestination(text: string, field = 'url', selfOrigin?: string): string {
  if (text.length > MAX_URL_LENGTH) throw new HttpProblem(400, 'invalid_url', `${field} is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpProblem(400, 'invalid_url', `${field} must be an absolute http(s) URL; got '${text.slice(0, 100)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpProblem(400, 'invalid_url', `${field} must use http or https; '${url.protocol}' is not allowed`);
  }
  if (url.username !== '' || url.password !== '') throw new HttpProblem(400, 'invalid_url', `${field} must not carry credentials`);
  if (url.hostname === '') throw new HttpProblem(400, 'invalid_url', `${field} has no host`);
  if (selfOrigin !== undefined && url.origin === selfOrigin) {
    throw new HttpProblem(400, 'invalid_url', `${field} points back at this link service (a redirect loop)`);
  }
  return url.href;
}

/** Throws a 400 problem unless `key` is a usable short-link key. */
export function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new HttpProblem(400, 'invalid_key', 'key must be 1–64 characters of A-Z a-z 0-9 _ -');
  if (RESERVED_KEYS.has(key.toLowerCase())) throw new HttpProblem(400, 'reserved_key', `key '${key}' is reserved`);
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random key of `length` characters from an unambiguous alphabet (crypto RNG). */
export function generateKey(length = 7): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 256 - (256 % ALPHABET.length)) out += ALPHABET[b % ALPHABET.length];
  }
  return out.length === length ? out : generateKey(length);
}
