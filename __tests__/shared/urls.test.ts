import { describe, expect, it } from '@jest/globals';
import { publicUrl } from '../../src/shared/urls.js';

describe('publicUrl', () => {
  it.each([
    ['https://example.com', 'pr-42/', 'https://example.com/pr-42/'],
    ['https://example.com/', 'docs/index.html', 'https://example.com/docs/'],
    ['https://example.com', 'index.html', 'https://example.com/'],
    ['https://example.com', 'a b/ü.html', 'https://example.com/a%20b/%C3%BC.html'],
    ['https://d1.cloudfront.net', 'pr-42/guide/c++.html', 'https://d1.cloudfront.net/pr-42/guide/c%2B%2B.html'],
    ['https://example.com', 'notindex.html', 'https://example.com/notindex.html'],
  ])('%s + %s → %s', (site, key, url) => {
    expect(publicUrl(site, key)).toBe(url);
  });
});
