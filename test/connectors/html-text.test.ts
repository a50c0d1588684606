/** Mastodon status HTML to text and links. */
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/connectors/html-text.js';

describe('htmlToText', () => {
  it('keeps the text of links, drops mentions and hashtags from the links, breaks lines at <br> and paragraphs', () => {
    const html =
      '<p>Look: <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/a?b=1&amp;</span><span class="invisible">c=2</span></a><br />by <span class="h-card"><a href="https://x.example/@bob" class="u-url mention">@<span>bob</span></a></span> <a href="https://s.example/tags/tea" class="mention hashtag" rel="tag">#<span>tea</span></a></p><p>Again <a href="https://example.com/a?b=1&amp;c=2">same</a> and <a href="http://other.example/">other</a> and <a href="mailto:x@y">mail</a></p>';
    expect(htmlToText(html)).toEqual({
      text: 'Look: https://example.com/a?b=1&c=2\nby @bob #tea\n\nAgain same and other and mail',
      links: ['https://example.com/a?b=1&c=2', 'http://other.example/'],
    });
  });

  it('decodes entities and copes with empty content', () => {
    expect(htmlToText('<p>Tom &amp; Jerry&#39;s &lt;3 &quot;ok&quot;</p>')).toEqual({ text: 'Tom & Jerry\'s <3 "ok"', links: [] });
    expect(htmlToText('')).toEqual({ text: '', links: [] });
    expect(htmlToText('plain')).toEqual({ text: 'plain', links: [] });
  });

  it('treats rel="tag" anchors as hashtags even without a class', () => {
    expect(htmlToText('<a href="https://s.example/tags/x" rel="tag">#x</a> <a href=\'https://ok.example\'>ok</a>').links).toEqual(['https://ok.example']);
  });
});
