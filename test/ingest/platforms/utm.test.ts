/** UTM tags from URLs, relative paths and query strings; absolute URLs only as landing URLs. */
import { describe, expect, it } from 'vitest';
import { absoluteHttpUrl, mergeUtm, utmFrom } from '../../../src/ingest/platforms/utm.js';

describe('utm', () => {
  it('reads the four tags from an absolute URL, a relative path or a query string', () => {
    const tags = { utm_source: 'ig', utm_medium: 'social', utm_campaign: 'spring sale', utm_content: 'reel1' };
    const query = 'utm_source=ig&utm_medium=social&utm_campaign=spring+sale&utm_content=reel1&utm_term=x&ref=y';
    expect(utmFrom(`https://shop.example/p?${query}#top`)).toEqual(tags);
    expect(utmFrom(`/products/a?${query}`)).toEqual(tags);
    expect(utmFrom(`?${query}`)).toEqual(tags);
    expect(utmFrom(query)).toEqual(tags);
  });

  it('leaves out blank and absent tags', () => {
    expect(utmFrom('/p?utm_source=&utm_medium=%20&utm_campaign=c')).toEqual({ utm_campaign: 'c' });
    expect(utmFrom('/products/a')).toEqual({});
    expect(utmFrom(undefined)).toEqual({});
    expect(utmFrom('not a url')).toEqual({});
  });

  it('completes tags from a second source without overriding', () => {
    expect(mergeUtm({ utm_source: 'a' }, { utm_source: 'b', utm_medium: 'm' })).toEqual({ utm_source: 'a', utm_medium: 'm' });
  });

  it('keeps only absolute http(s) URLs as landing URLs', () => {
    expect(absoluteHttpUrl(' https://x.example/a?b=1 ')).toBe('https://x.example/a?b=1');
    expect(absoluteHttpUrl('/products/a')).toBeUndefined();
    expect(absoluteHttpUrl('javascript:alert(1)')).toBeUndefined();
  });
});
