/**
 * Status HTML as plain text: paragraphs and line breaks, shortened links joined back, mentions and hashtags kept as
 * text but not listed as links, entities decoded, and whatever is not a well-formed tag left as text.
 */
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/ingest/platforms/html-text.js';

const LONG_LINK =
  '<a href="https://shop.example/books/a-very-long-title?ref=alice&amp;utm_source=mastodon" target="_blank" rel="nofollow noopener noreferrer" translate="no">' +
  '<span class="invisible">https://</span><span class="ellipsis">shop.example/books/a-very-lo</span>' +
  '<span class="invisible">ng-title?ref=alice&amp;utm_source=mastodon</span></a>';

describe('htmlToText', () => {
  it('joins the invisible and ellipsis spans of a shortened link and lists its decoded href', () => {
    expect(htmlToText(`<p>Buy it: ${LONG_LINK}</p>`)).toEqual({
      text: 'Buy it: https://shop.example/books/a-very-long-title?ref=alice&utm_source=mastodon',
      links: ['https://shop.example/books/a-very-long-title?ref=alice&utm_source=mastodon'],
    });
  });

  it('separates paragraphs by a blank line and turns <br> into a newline, with no break at either end', () => {
    expect(htmlToText('<p>one<br>two<br/>three<br />four</p><p>five</p><P>six</P>').text).toBe('one\ntwo\nthree\nfour\n\nfive\n\nsix');
    expect(htmlToText('<p><br>lead</p><p></p><p>tail<br></p>').text).toBe('lead\n\ntail');
    expect(htmlToText('<p>a</p>\n  <p>b</p>').text).toBe('a\n\nb');
    expect(htmlToText('<p>a<br></p><p>b</p>').text).toBe('a\n\nb');
  });

  it('keeps mentions and hashtags as their text and leaves them out of the links', () => {
    const html =
      '<p><span class="h-card" translate="no"><a href="https://other.example/@bob" class="u-url mention">@<span>bob</span></a></span> ' +
      '<a href="https://social.example/tags/water" class="mention hashtag" rel="tag">#<span>water</span></a> ' +
      '<a rel="tag" href="https://x.example/tags/only-rel">#only</a> <a class="hashtag" href="https://x.example/tags/c">#c</a> ' +
      '<a href="https://water.example/">water.example</a></p>';
    expect(htmlToText(html)).toEqual({ text: '@bob #water #only #c water.example', links: ['https://water.example/'] });
  });

  it('reads attributes in any order, any case, quoted either way or not at all', () => {
    const html =
      "<A CLASS='x' TARGET=_blank HREF='https://a.example/?q=1&amp;r=2'>a</A> " +
      '<a\nrel="nofollow"\thref=https://b.example/b class=link>b</a> <a data-x="y>z" href="https://c.example/">c</a> <a>no href</a>';
    expect(htmlToText(html)).toEqual({
      text: 'a b c no href',
      links: ['https://a.example/?q=1&r=2', 'https://b.example/b', 'https://c.example/'],
    });
  });

  it('decodes entities in text, and escaped markup stays text', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#x1F680; 5&nbsp;€ &copy;</p>').text).toBe(
      `<script>alert("x")</script> & 'q' 🚀 5\u00a0€ ©`,
    );
  });

  it('passes nested spans through', () => {
    expect(htmlToText('<p><span class="a"><span class="b">in<span>ner</span></span> out</span></p>').text).toBe('inner out');
  });

  it('keeps what is not a well-formed tag as text', () => {
    expect(htmlToText('<p>1 < 2 and 3 <3 you, a<>b</p>').text).toBe('1 < 2 and 3 <3 you, a<>b');
    expect(htmlToText('<p>cut <a href="https://x.example/"').text).toBe('cut <a href="https://x.example/"');
    expect(htmlToText('<p>open <a href="https://x.example/>never closed</p>').text).toBe('open <a href="https://x.example/>never closed');
  });

  it('reads unclosed elements to the end', () => {
    expect(htmlToText('<p>first<p>second <a href="https://x.example/">link')).toEqual({
      text: 'first\n\nsecond link',
      links: ['https://x.example/'],
    });
  });

  it('drops comments and the content of script and style elements', () => {
    expect(htmlToText('<p>a<!-- hidden -->b<script>alert(1)</script>c<style>p{}</style>d</p>').text).toBe('abcd');
    expect(htmlToText('<p>a<script>never closed').text).toBe('a');
  });

  it('lists every link in order, repeats included', () => {
    expect(htmlToText('<a href="https://a.example/">1</a><a href="https://b.example/">2</a><a href=" https://a.example/ ">3</a>').links).toEqual([
      'https://a.example/',
      'https://b.example/',
      'https://a.example/',
    ]);
  });

  it('turns list items and other blocks into lines and paragraphs', () => {
    expect(htmlToText('<p>intro</p><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>').text).toBe(
      'intro\n\none\ntwo\n\nquoted',
    );
  });

  it('gives empty text for empty content', () => {
    expect(htmlToText('')).toEqual({ text: '', links: [] });
    expect(htmlToText('<p></p>')).toEqual({ text: '', links: [] });
  });
});
