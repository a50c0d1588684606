/**
 * Mastodon status HTML to plain text and links, minimal: `<br>` and paragraph ends become line breaks, other tags
 * are dropped, entities decoded; links are the `href`s of anchors that are not mentions or hashtags (Mastodon marks
 * those with class `mention`/`hashtag` or `rel="tag"`), http(s) only, distinct, in order.
 */
import { decodeHTML } from 'entities';

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The attributes of a tag's attribute text, names lower-cased, values decoded. */
function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (!(name in out)) out[name] = decodeHTML(m[3] ?? m[4] ?? m[5] ?? '');
  }
  return out;
}

/** Whether an anchor's attributes mark it as a mention or a hashtag rather than a link. */
function isMentionOrTag(attrs: Record<string, string>): boolean {
  const classes = (attrs['class'] ?? '').toLowerCase().split(/\s+/);
  const rels = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
  return classes.includes('mention') || classes.includes('hashtag') || rels.includes('tag');
}

/** Plain text and the distinct http(s) links of a status's HTML content. */
export function htmlToText(html: string): { text: string; links: string[] } {
  const links: string[] = [];
  const seen = new Set<string>();
  let text = '';
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    text += html.slice(last, m.index);
    last = m.index + m[0].length;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (name === 'br') text += '\n';
    else if (closing && (name === 'p' || name === 'div' || name === 'li' || name === 'blockquote')) text += '\n\n';
    else if (!closing && name === 'a') {
      const attrs = attributes(m[3] ?? '');
      const href = (attrs['href'] ?? '').trim();
      if (/^https?:\/\//i.test(href) && !isMentionOrTag(attrs) && !seen.has(href)) {
        seen.add(href);
        links.push(href);
      }
    }
  }
  text += html.slice(last);
  const decoded = decodeHTML(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: decoded, links };
}
