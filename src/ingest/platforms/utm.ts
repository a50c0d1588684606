/** UTM tags (utm_source, utm_medium, utm_campaign, utm_content) read from a URL, a relative path or a query string. */

/** The UTM tags of a landing or referring address; absent tags are left out. */
export interface UtmTags {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_content?: string;
}

/** The UTM tag names clout keeps, in the order of the interchange format. */
export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content'] as const;

/**
 * The UTM tags of `text`: an absolute URL (`https://shop.example/?utm_source=x`), a relative path
 * (`/products/a?utm_source=x`), a query string (`?utm_source=x` or `utm_source=x&utm_medium=y`). Blank values are left out.
 */
export function utmFrom(text: string | undefined): UtmTags {
  const out: UtmTags = {};
  if (text === undefined) return out;
  const params = new URLSearchParams(queryOf(text.trim()));
  for (const key of UTM_KEYS) {
    const value = params.get(key)?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** The tags of `first`, with any tag it lacks taken from `second`. */
export function mergeUtm(first: UtmTags, second: UtmTags): UtmTags {
  const out: UtmTags = { ...first };
  for (const key of UTM_KEYS) if (out[key] === undefined && second[key] !== undefined) out[key] = second[key];
  return out;
}

/** `text` when it is an absolute http(s) URL, else undefined (a relative path has no host to make it absolute). */
export function absoluteHttpUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** The query part of a URL, path or bare query string (without `?` and `#fragment`). */
function queryOf(text: string): string {
  const noFragment = text.split('#', 1)[0]!;
  const q = noFragment.indexOf('?');
  if (q !== -1) return noFragment.slice(q + 1);
  return noFragment.includes('=') && !noFragment.includes('/') ? noFragment : '';
}
