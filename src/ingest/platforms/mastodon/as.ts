/**
 * Reading ActivityStreams 2.0 values as Mastodon writes them: a property can hold a string, an object, a link
 * object or an array of them, so every read goes through these helpers and never trusts a shape.
 */

/** A JSON object whose properties are not known yet. */
export type JsonObject = { [key: string]: unknown };

/** True when `v` is a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty trimmed string, or undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** The id an ActivityStreams reference names: the string itself, an object's `id`, or the first of an array. */
export function idOf(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length > 0 ? idOf(v[0]) : undefined;
  if (isObject(v)) return textOf(v.id);
  return textOf(v);
}

/** An object's `type` (the first one when it is an array of types). */
export function typeOf(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const t = Array.isArray(v.type) ? v.type[0] : v.type;
  return textOf(t);
}

/** The URL a `url` property gives: a string, a Link's `href`, or the first of an array (text/html preferred). */
export function urlOf(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    const html = v.find((u) => isObject(u) && u.mediaType === 'text/html');
    return urlOf(html ?? v[0]);
  }
  if (isObject(v)) return textOf(v.href);
  return textOf(v);
}

/** A property that may hold one value or an array of them, as an array. */
export function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A collection's `totalItems` when it is a non-negative integer. */
export function totalItemsOf(collection: unknown): number | undefined {
  if (!isObject(collection)) return undefined;
  const n = collection.totalItems;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The language of a `contentMap` that holds exactly one language, or undefined. */
export function singleLanguageOf(contentMap: unknown): string | undefined {
  if (!isObject(contentMap)) return undefined;
  const keys = Object.keys(contentMap).filter((k) => k.trim() !== '');
  return keys.length === 1 ? keys[0] : undefined;
}

/** The host of a URL (`mastodon.social`), or undefined when it is not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}
