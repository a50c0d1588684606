/**
 * Status HTML (Mastodon and other ActivityPub servers) as plain text, with the links it carries.
 *
 * Mastodon sanitizes the HTML of a status to a small subset (p, br, a, span; remote servers add a few block tags),
 * so a small tokenizer is enough: no DOM, no dependency beyond `entities` for character references.
 * - `<p>` (and other block tags) → paragraphs separated by a blank line; `<br>` → a newline; `<li>` → a new line.
 * - Spans are transparent: the `invisible` and `ellipsis` parts of a shortened URL join back into the full URL.
 * - Mentions and hashtags keep their text (`@alice`, `#tag`); every other `<a href>` is listed in `links`.
 * - Whitespace is kept as written (Mastodon shows statuses with `white-space: pre-wrap`); the result is trimmed.
 * - Anything that is not a well-formed tag (`a < b`, a `<` never closed) stays text; `<script>`/`<style>` content and
 *   comments are dropped; `&lt;script&gt;` is text.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';

/** The text of a status and the hrefs of its links that are neither mentions nor hashtags. */
export interface HtmlText {
  text: string;
  /** Every such href in order of appearance, repeats included (decoded, untrimmed otherwise). */
  links: string[];
}

/** One tag as the tokenizer reads it. */
interface Tag {
  name: string;
  closing: boolean;
  attrs: Map<string, string>;
  /** Index just past its `>`. */
  end: number;
}

const PARAGRAPH_TAGS = new Set(['p', 'div', 'blockquote', 'pre', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const HIDDEN_CONTENT_TAGS = new Set(['script', 'style']);

/** Plain text and non-mention, non-hashtag link hrefs of a status's HTML content. */
export function htmlToText(html: string): HtmlText {
  const out = new TextBuilder();
  const links: string[] = [];
  let i = 0;
  let textStart = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      out.text(decodeHTML(html.slice(textStart, lt)));
      const close = html.indexOf('-->', lt + 4);
      i = textStart = close < 0 ? html.length : close + 3;
      continue;
    }
    const tag = readTag(html, lt);
    if (tag === undefined) {
      i = lt + 1; // not a tag: the `<` is text
      continue;
    }
    out.text(decodeHTML(html.slice(textStart, lt)));
    i = textStart = tag.end;
    if (!tag.closing && HIDDEN_CONTENT_TAGS.has(tag.name)) {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
      const gt = close < 0 ? -1 : html.indexOf('>', close);
      i = textStart = gt < 0 ? html.length : gt + 1;
      continue;
    }
    if (tag.name === 'br') out.lineBreak();
    else if (tag.name === 'li' && !tag.closing) out.startLine();
    else if (PARAGRAPH_TAGS.has(tag.name)) out.paragraphBreak();
    else if (tag.name === 'a' && !tag.closing) {
      const href = tag.attrs.get('href');
      if (href !== undefined && href.trim() !== '' && !isMentionOrHashtag(tag.attrs)) links.push(href.trim());
    }
  }
  out.text(decodeHTML(html.slice(textStart)));
  return { text: out.result(), links };
}

/** True when an `<a>` is a mention or a hashtag (class `mention`/`hashtag`, or rel `tag`). */
function isMentionOrHashtag(attrs: Map<string, string>): boolean {
  const classes = (attrs.get('class') ?? '').toLowerCase().split(/\s+/);
  const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
  return classes.includes('mention') || classes.includes('hashtag') || rels.includes('tag');
}

const NAME_START = /[A-Za-z]/;
const NAME_CHAR = /[A-Za-z0-9-]/;
const SPACE = /[\t\n\f\r ]/;

/** Reads the tag starting at `html[lt] === '<'`, or undefined when what follows is not a well-formed tag. */
function readTag(html: string, lt: number): Tag | undefined {
  let i = lt + 1;
  const closing = html[i] === '/';
  if (closing) i++;
  if (i >= html.length || !NAME_START.test(html[i]!)) return undefined;
  const nameStart = i;
  while (i < html.length && NAME_CHAR.test(html[i]!)) i++;
  const name = html.slice(nameStart, i).toLowerCase();
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < html.length && SPACE.test(html[i]!)) i++;
    if (i >= html.length) return undefined; // never closed: text
    const c = html[i]!;
    if (c === '>') return { name, closing, attrs, end: i + 1 };
    if (c === '/') {
      i++;
      continue;
    }
    if (c === '<') return undefined;
    const attrStart = i;
    while (i < html.length && !SPACE.test(html[i]!) && !'/>='.includes(html[i]!)) i++;
    const attrName = html.slice(attrStart, i).toLowerCase();
    while (i < html.length && SPACE.test(html[i]!)) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < html.length && SPACE.test(html[i]!)) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close < 0) return undefined;
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueStart = i;
        while (i < html.length && !SPACE.test(html[i]!) && html[i] !== '>') i++;
        value = html.slice(valueStart, i);
      }
    }
    if (!attrs.has(attrName)) attrs.set(attrName, decodeHTMLAttribute(value));
  }
}

/** Builds the text: breaks are held until more text comes, so none dangles at the start or the end. */
class TextBuilder {
  private out = '';
  private pending = '';

  text(s: string): void {
    if (s === '') return;
    if (this.pending !== '' && s.trim() === '') return; // layout whitespace between blocks
    if (this.out !== '') this.out += this.pending;
    this.pending = '';
    this.out += s;
  }

  lineBreak(): void {
    if (this.out === '') return;
    this.pending += '\n';
  }

  /** Starts a new line unless one has just been started. */
  startLine(): void {
    if (this.out === '' || this.pending !== '') return;
    this.pending = '\n';
  }

  paragraphBreak(): void {
    if (this.out === '') return;
    if (!this.pending.endsWith('\n\n')) this.pending = this.pending.endsWith('\n') ? this.pending + '\n' : this.pending + '\n\n';
  }

  result(): string {
    return this.out.trim();
  }
}
