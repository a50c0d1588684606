/**
 * The HTTP `Link` header (RFC 8288) as Mastodon pages with it:
 * `<https://host/api/v1/accounts/1/statuses?max_id=9>; rel="next", <https://host/…?min_id=12>; rel="prev"`.
 * Targets are split on the commas outside `<…>` and quoted strings; `rel` may name several relations.
 */

/** One link of a Link header: its target and parameters (names lower-cased, quotes removed). */
export interface HeaderLink {
  target: string;
  params: Record<string, string>;
}

/** Parses a Link header into its links (malformed parts are skipped). */
export function parseLinkHeader(header: string | null | undefined): HeaderLink[] {
  if (header === null || header === undefined) return [];
  const links: HeaderLink[] = [];
  let i = 0;
  const n = header.length;
  while (i < n) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open + 1);
    if (close < 0) break;
    const target = header.slice(open + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    // Parameters until the comma that ends this link (commas inside quotes do not count).
    while (i < n) {
      while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
      if (header[i] === ',') {
        i++;
        break;
      }
      if (header[i] !== ';') {
        i++;
        continue;
      }
      i++;
      while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
      let name = '';
      while (i < n && !'=;,'.includes(header[i]!)) name += header[i++];
      name = name.trim().toLowerCase();
      let value = '';
      if (header[i] === '=') {
        i++;
        while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
        if (header[i] === '"') {
          i++;
          while (i < n && header[i] !== '"') {
            if (header[i] === '\\' && i + 1 < n) i++;
            value += header[i++];
          }
          i++;
        } else {
          while (i < n && !';,'.includes(header[i]!)) value += header[i++];
          value = value.trim();
        }
      }
      if (name !== '' && !(name in params)) params[name] = value;
    }
    links.push({ target, params });
  }
  return links;
}

/** The target of the first link whose `rel` includes `rel` (case-insensitive), resolved against `base`; or undefined. */
export function linkWithRel(header: string | null | undefined, rel: string, base?: string): string | undefined {
  const want = rel.toLowerCase();
  for (const link of parseLinkHeader(header)) {
    const rels = (link.params['rel'] ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes(want)) continue;
    try {
      return new URL(link.target, base).href;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
