import { describe, expect, it } from '@jest/globals';
import { compileGlob } from '../../src/shared/globs.js';
import {
  CACHE_DEFAULT,
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  type HeaderRules,
  baseType,
  defaultCacheControl,
  defaultContentType,
  headersFor,
  isFingerprinted,
  isHtml,
  isNavigable,
  sameHeaders,
} from '../../src/pipeline/headers.js';

const NO_RULES: HeaderRules = { cacheControl: [], contentType: [] };

function rules(cacheControl: string[] = [], contentType: string[] = []): HeaderRules {
  const toRules = (lines: string[]) =>
    lines.map((line) => {
      const colon = line.indexOf(':');
      const pattern = line.slice(0, colon).trim();
      return { pattern, matches: compileGlob(pattern), value: line.slice(colon + 1).trim() };
    });
  return { cacheControl: toRules(cacheControl), contentType: toRules(contentType) };
}

describe('cache constants', () => {
  it('are the documented values', () => {
    expect(CACHE_REVALIDATE).toBe('public, max-age=0, must-revalidate');
    expect(CACHE_IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(CACHE_DEFAULT).toBe('public, max-age=3600');
  });
});

describe('defaultContentType', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['old/page.htm', 'text/html; charset=utf-8'],
    ['css/site.css', 'text/css; charset=utf-8'],
    ['js/app.js', 'text/javascript; charset=utf-8'],
    ['js/mod.mjs', 'text/javascript; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['js/app.js.map', 'application/json; charset=utf-8'],
    ['README.md', 'text/markdown; charset=utf-8'],
    ['img/logo.svg', 'image/svg+xml; charset=utf-8'],
    ['sitemap.xml', 'application/xml; charset=utf-8'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['data/table.csv', 'text/csv; charset=utf-8'],
    ['data/convai2.jsonl', 'application/jsonl; charset=utf-8'],
    ['data/stream.ndjson', 'application/x-ndjson; charset=utf-8'],
    ['feed.rss', 'application/rss+xml; charset=utf-8'],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['install.sh', 'application/x-sh; charset=utf-8'],
    ['img/logo.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['fonts/a.woff2', 'font/woff2'],
    ['bin/mod.wasm', 'application/wasm'],
    ['paper.pdf', 'application/pdf'],
    ['blob.qqqzz', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
    ['docs/LICENSE', 'application/octet-stream'],
    ['v1.2/LICENSE', 'application/octet-stream'],
    ['IMAGE.PNG', 'image/png'],
    ['INDEX.HTML', 'text/html; charset=utf-8'],
    ['DATA.JSONL', 'application/jsonl; charset=utf-8'],
  ])('%s → %s', (file, expected) => {
    expect(defaultContentType(file)).toBe(expected);
  });
});

describe('isFingerprinted', () => {
  it.each<[string, boolean]>([
    ['app.3f2a9c1b7d.js', true],
    ['main-9f86d081.css', true],
    ['chunk_1e4a7bc2.mjs', true],
    ['assets/3f2a9c1b.js', true],
    ['static/js/main~3f2a9c1b.js', true],
    ['a.B3F2A9C1.js', true],
    ['x.abcdefab-0123.3f2a9c1b.js', true],
    ['main.3f2a9c1b.chunk.js', true],
    ['deep/dir/app.3f2a9c1b7d0e1f2a3b4c5d6e.js', true],
    // Not hashes.
    ['report-20240131.pdf', false],
    ['deadbeefcafe.js', false],
    ['app.deadbeef.js', false],
    ['app.DEADBEEF.js', false],
    ['app.3f2a9c1.js', false],
    ['index.html', false],
    ['3f2a9c1b7d/app.js', false],
    ['app3f2a9c1b7d.js', false],
    ['app.3f2a9c1b7dz.js', false],
    ['app.3f2a9c1b', false],
    ['a.B3f2A9C1.js', false],
    ['app.3g2a9c1b7d.js', false],
  ])('%s → %s', (file, expected) => {
    expect(isFingerprinted(file)).toBe(expected);
  });

  it('treats a name that is all hex as a hash segment (there is no separator to tell it apart)', () => {
    // `abc3f2a9c1b7d` is itself 13 hex digits, mixing letters and digits.
    expect(isFingerprinted('abc3f2a9c1b7d.js')).toBe(true);
  });

  it('gives the same answer on repeated calls (the global regex keeps no state between calls)', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(isFingerprinted('app.3f2a9c1b7d.js')).toBe(true);
      expect(isFingerprinted('index.html')).toBe(false);
    }
  });
});

describe('baseType, isHtml, isNavigable', () => {
  it.each([
    ['text/html; charset=utf-8', 'text/html'],
    ['TEXT/HTML', 'text/html'],
    ['  image/png  ', 'image/png'],
    ['application/json;charset=utf-8', 'application/json'],
    ['', ''],
  ])('baseType(%j) = %j', (type, expected) => {
    expect(baseType(type)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['text/html', true],
    ['text/html; charset=utf-8', true],
    ['Text/HTML;charset=UTF-8', true],
    ['application/xhtml+xml', true],
    ['text/plain', false],
    ['application/xml', false],
    ['text/htmlx', false],
  ])('isHtml(%j) = %s', (type, expected) => {
    expect(isHtml(type)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['text/html; charset=utf-8', true],
    ['application/xml', true],
    ['text/xml', true],
    ['application/rss+xml', true],
    ['application/atom+xml', true],
    ['application/feed+json', true],
    ['application/manifest+json', true],
    ['image/svg+xml', false],
    ['application/json', false],
    ['text/css', false],
  ])('isNavigable(%j) = %s', (type, expected) => {
    expect(isNavigable(type)).toBe(expected);
  });
});

describe('headersFor: defaults', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8', CACHE_REVALIDATE],
    ['docs/tutorial.html', 'text/html; charset=utf-8', CACHE_REVALIDATE],
    ['index.3f2a9c1b.html', 'text/html; charset=utf-8', CACHE_REVALIDATE],
    ['sitemap.xml', 'application/xml; charset=utf-8', CACHE_REVALIDATE],
    ['atom.xml', 'application/xml; charset=utf-8', CACHE_REVALIDATE],
    ['blog/feed.rss', 'application/rss+xml; charset=utf-8', CACHE_REVALIDATE],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8', CACHE_REVALIDATE],
    ['static/js/app.3f2a9c1b7d.js', 'text/javascript; charset=utf-8', CACHE_IMMUTABLE],
    ['static/css/main-9f86d081.css', 'text/css; charset=utf-8', CACHE_IMMUTABLE],
    ['img/logo.3f2a9c1b.png', 'image/png', CACHE_IMMUTABLE],
    ['img/logo.png', 'image/png', CACHE_DEFAULT],
    ['js/app.js', 'text/javascript; charset=utf-8', CACHE_DEFAULT],
    ['report-20240131.pdf', 'application/pdf', CACHE_DEFAULT],
    ['LICENSE', 'application/octet-stream', CACHE_DEFAULT],
    ['img/icon.svg', 'image/svg+xml; charset=utf-8', CACHE_DEFAULT],
  ])('%s → %s, %s', (file, contentType, cacheControl) => {
    expect(headersFor(file, NO_RULES)).toEqual({ contentType, cacheControl });
  });
});

describe('headersFor: user rules', () => {
  it('a cache-control rule beats the defaults', () => {
    const r = rules(['*.html: no-store']);
    expect(headersFor('index.html', r)).toEqual({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' });
    expect(headersFor('app.3f2a9c1b7d.js', rules(['*.js: public, max-age=60'])).cacheControl).toBe(
      'public, max-age=60',
    );
  });

  it('a file no rule matches keeps the defaults', () => {
    const r = rules(['*.pdf: public, max-age=86400'], ['*.wasm: application/wasm']);
    expect(headersFor('img/logo.png', r)).toEqual({ contentType: 'image/png', cacheControl: CACHE_DEFAULT });
  });

  it.each([
    ['docs/index.html', 'no-store'],
    ['index.html', 'no-cache'],
    ['style.css', 'public, max-age=60'],
  ])('first matching cache-control rule wins: %s → %s', (file, expected) => {
    const r = rules([
      'docs/*.html: no-store',
      '*.html: no-cache',
      '*: public, max-age=60',
      'docs/*.html: never-reached',
    ]);
    expect(headersFor(file, r).cacheControl).toBe(expected);
  });

  it('first matching content-type rule wins', () => {
    const r = rules([], ['data/*.bin: application/x-first', '*.bin: application/x-second']);
    expect(headersFor('data/a.bin', r).contentType).toBe('application/x-first');
    expect(headersFor('other/a.bin', r).contentType).toBe('application/x-second');
  });

  it('a content-type rule overrides the type and is used verbatim', () => {
    const r = rules([], ['*.wasm: application/wasm; foo=bar', '*.txt: text/plain']);
    expect(headersFor('mod.wasm', r).contentType).toBe('application/wasm; foo=bar');
    expect(headersFor('notes.txt', r).contentType).toBe('text/plain');
  });

  it.each([
    ['*.page: text/html', 'a.page', CACHE_REVALIDATE],
    ['*.page: text/html', 'a.3f2a9c1b.page', CACHE_REVALIDATE],
    ['*.html: text/plain; charset=utf-8', 'index.html', CACHE_DEFAULT],
    ['*.html: application/octet-stream', 'index.3f2a9c1b.html', CACHE_IMMUTABLE],
    ['*.feed: application/atom+xml', 'news.feed', CACHE_REVALIDATE],
  ])('the default cache is computed from the overridden type (%s, %s)', (rule, file, expected) => {
    expect(headersFor(file, rules([], [rule])).cacheControl).toBe(expected);
  });

  it('a cache-control rule still wins over the cache default of an overridden type', () => {
    expect(headersFor('a.page', rules(['*.page: no-store'], ['*.page: text/html']))).toEqual({
      contentType: 'text/html',
      cacheControl: 'no-store',
    });
  });
});

describe('defaultCacheControl', () => {
  it.each([
    ['a.3f2a9c1b.js', 'text/html', CACHE_REVALIDATE],
    ['a.3f2a9c1b.js', 'text/javascript', CACHE_IMMUTABLE],
    ['a.js', 'text/javascript', CACHE_DEFAULT],
  ])('(%s, %s) → %s', (file, type, expected) => {
    expect(defaultCacheControl(file, type)).toBe(expected);
  });
});

describe('sameHeaders', () => {
  const base = { contentType: 'text/html; charset=utf-8', cacheControl: CACHE_REVALIDATE };
  it.each([
    ['identical', true, { ...base }],
    ['different content type', false, { ...base, contentType: 'text/html' }],
    ['different cache control', false, { ...base, cacheControl: CACHE_DEFAULT }],
    ['different case', false, { ...base, contentType: 'TEXT/HTML; charset=utf-8' }],
    ['both different', false, { contentType: 'image/png', cacheControl: CACHE_DEFAULT }],
  ])('%s → %s', (_title, expected, other) => {
    expect(sameHeaders(base, other)).toBe(expected);
    expect(sameHeaders(other, base)).toBe(expected);
  });
});
