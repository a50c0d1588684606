/** The Link header parser Mastodon paging relies on. */
import { describe, expect, it } from 'vitest';
import { linkWithRel, parseLinkHeader } from '../../src/connectors/link-header.js';

describe('parseLinkHeader', () => {
  it("reads Mastodon's next and prev links", () => {
    const h = '<https://example.social/api/v1/accounts/1/statuses?limit=40&max_id=9>; rel="next", <https://example.social/api/v1/accounts/1/statuses?limit=40&min_id=12>; rel="prev"';
    expect(parseLinkHeader(h)).toEqual([
      { target: 'https://example.social/api/v1/accounts/1/statuses?limit=40&max_id=9', params: { rel: 'next' } },
      { target: 'https://example.social/api/v1/accounts/1/statuses?limit=40&min_id=12', params: { rel: 'prev' } },
    ]);
    expect(linkWithRel(h, 'next')).toBe('https://example.social/api/v1/accounts/1/statuses?limit=40&max_id=9');
    expect(linkWithRel(h, 'prev')).toBe('https://example.social/api/v1/accounts/1/statuses?limit=40&min_id=12');
  });

  it('handles commas in targets and quoted values, unquoted rel, several rels, other params and case', () => {
    const h = '<https://h/a?x=1,2>; title="a, b; c"; REL=next, </b>; rel="prev last"; type=text/html,<https://h/c>;rel=Next';
    expect(parseLinkHeader(h)).toEqual([
      { target: 'https://h/a?x=1,2', params: { title: 'a, b; c', rel: 'next' } },
      { target: '/b', params: { rel: 'prev last', type: 'text/html' } },
      { target: 'https://h/c', params: { rel: 'Next' } },
    ]);
    expect(linkWithRel(h, 'next')).toBe('https://h/a?x=1,2');
    expect(linkWithRel(h, 'last', 'https://base.example/x/y')).toBe('https://base.example/b');
  });

  it('has no next link when there is none, or no header', () => {
    expect(linkWithRel('<https://h/p>; rel="prev"', 'next')).toBeUndefined();
    expect(linkWithRel(null, 'next')).toBeUndefined();
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader('garbage')).toEqual([]);
  });
});
