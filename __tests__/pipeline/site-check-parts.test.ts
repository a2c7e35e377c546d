// The pieces of the site check on their own: the small parsers of extract.ts and the URL rules of resolve.ts.
import { describe, expect, it } from '@jest/globals';
import { Lines, cssUrls, refreshUrl, scanHtml, srcsetUrls } from '../../src/pipeline/site-check/extract.js';
import {
  fileUrl,
  fragmentFound,
  fragmentOf,
  redirectMatcher,
  resolveReference,
  siteSpace,
} from '../../src/pipeline/site-check/resolve.js';

describe('extract', () => {
  it('Lines: 1-based line of a character index', () => {
    const lines = new Lines('ab\ncd\n\ne');
    expect([0, 2, 3, 5, 6, 7, 100].map((index) => lines.at(index))).toEqual([1, 1, 2, 2, 3, 4, 4]);
  });

  it('refreshUrl: the URL of a meta refresh, as HTML reads the content attribute', () => {
    expect(refreshUrl('0; url=next.html')).toEqual({ url: 'next.html', offset: 7 });
    expect(refreshUrl('5;URL = "a b.html"')).toEqual({ url: 'a b.html', offset: 9 });
    expect(refreshUrl('0, next.html')).toEqual({ url: 'next.html', offset: 3 });
    expect(refreshUrl("1.5; url='x.html' ignored")).toEqual({ url: 'x.html', offset: 10 });
    expect(refreshUrl('30')).toBeUndefined();
    expect(refreshUrl('url=x.html')).toBeUndefined();
    expect(refreshUrl('')).toBeUndefined();
  });

  it('srcsetUrls: offsets of each candidate URL', () => {
    expect(srcsetUrls(' a.png 1x,b.png 2x , c.png')).toEqual([
      { url: 'a.png', offset: 1 },
      { url: 'b.png', offset: 10 },
      { url: 'c.png', offset: 21 },
    ]);
    expect(srcsetUrls('')).toEqual([]);
    expect(srcsetUrls(' , ,')).toEqual([]);
  });

  it('cssUrls: unterminated strings and url( end where CSS ends them', () => {
    expect(cssUrls('a { background: url("open.png\n) } b { background: url(ok.png) }')).toEqual([
      { url: 'ok.png', offset: 54 },
    ]);
    expect(cssUrls("@import 'unterminated.css")).toEqual([{ url: 'unterminated.css', offset: 9 }]);
    expect(cssUrls('a{background:url(never-closed.png')).toEqual([]);
    expect(cssUrls('@import "bad\n.css";')).toEqual([]);
    expect(cssUrls('/* never closed url(x.png)')).toEqual([]);
    expect(cssUrls('a { b: url(\\75rl.png) }')).toEqual([{ url: 'url.png', offset: 11 }]);
  });

  it('scanHtml: ids, <a name>, the first base, and the attributes of repeated names as HTML keeps them', () => {
    const scan = scanHtml(
      '<base href="/b/"><base href="/c/"><p id="one" id="two"><a name="anchor" href="x.html" href="y.html"><A HREF="Z.html" ID="Up">',
    );
    expect(scan).toEqual({
      references: [
        { url: 'x.html', line: 1 },
        { url: 'Z.html', line: 1 },
      ],
      base: '/b/',
      ids: new Set(['one', 'anchor', 'Up']),
    });
  });

  it('scanHtml: UTF-8 bytes read as latin1 give the same references and ids as the decoded text', () => {
    const html = '<p id="Ünïcödé">€</p>\n<a href="страница.html#Ünïcödé">\n<img srcset="日本.png 1x">';
    const decoded = scanHtml(html);
    const bytes = scanHtml(Buffer.from(html, 'utf8').toString('latin1'), { utf8Bytes: true });
    expect(bytes).toEqual(decoded);
    expect(decoded.references).toEqual([
      { url: 'страница.html#Ünïcödé', line: 2 },
      { url: '日本.png', line: 3 },
    ]);
  });
});

describe('resolve', () => {
  const space = siteSpace('pr-7/', 'https://Example.com/site');

  it('the URL space: site-url path, then the prefix', () => {
    expect(space.host).toBe('example.com');
    expect(space.root.href).toBe('https://example.com/site/pr-7/');
    expect(space.rootPath).toBe('/site/pr-7/');
    expect(fileUrl(space, 'docs/a b.html').href).toBe('https://example.com/site/pr-7/docs/a%20b.html');
    expect(siteSpace('').root.href).toBe('https://deploy.invalid/');
  });

  it('resolveReference: targets, as keys relative to the prefix', () => {
    const base = fileUrl(space, 'docs/index.html');
    expect(resolveReference(space, base, '../img/a.png?x#y')).toEqual({
      type: 'inside',
      path: '/img/a.png',
      key: 'img/a.png',
      viaSlash: false,
    });
    expect(resolveReference(space, base, 'guide')).toEqual({
      type: 'inside',
      path: '/docs/guide',
      key: 'docs/guide/index.html',
      viaSlash: true,
    });
    expect(resolveReference(space, base, '/site/pr-7')).toEqual({
      type: 'inside',
      path: '/',
      key: 'index.html',
      viaSlash: true,
    });
    expect(resolveReference(space, base, '/site/other/x.html')).toEqual({
      type: 'outside',
      path: '/site/other/x.html',
    });
    expect(resolveReference(space, base, 'HTTPS://WWW.EXAMPLE.COM/site/pr-7/')).toEqual({
      type: 'inside',
      path: '/',
      key: 'index.html',
      viaSlash: false,
    });
    expect(resolveReference(space, base, 'https://example.com:8443/site/pr-7/')).toEqual({ type: 'skip' });
    expect(resolveReference(space, base, ' \t#\n')).toEqual({ type: 'skip' });
    expect(resolveReference(space, base, 'a%2zb.html')).toEqual({ type: 'bad-url' });
  });

  it('fragmentOf and fragmentFound: HTML finds the fragment as written or decoded; top is the top', () => {
    expect(fragmentOf(' page.html#sec\ntion ')).toBe('section');
    expect(fragmentOf('page.html')).toBe('');
    expect(fragmentOf('#a#b')).toBe('a#b');
    const ids = new Set(['a b', '100%', 'x']);
    expect(fragmentFound(ids, 'a%20b')).toBe(true);
    expect(fragmentFound(ids, '100%')).toBe(true);
    expect(fragmentFound(ids, 'Top')).toBe(true);
    expect(fragmentFound(ids, 't%6Fp')).toBe(true);
    expect(fragmentFound(ids, '')).toBe(true);
    expect(fragmentFound(ids, 'X')).toBe(false);
    expect(fragmentFound(ids, '%zz')).toBe(false);
  });

  it('redirectMatcher: exact paths, with or without the slash, splats, and not 4xx rules', () => {
    const answers = redirectMatcher([
      { from: '/old.html', to: '/new.html', status: 301 },
      { from: '/dir', to: '/new/', status: 302 },
      { from: '/blog/*', to: '/news/:splat', status: 200 },
      { from: '/caf%C3%A9.html', to: '/cafe.html', status: 301 },
      { from: '/*', to: '/404.html', status: 404 },
    ]);
    expect(answers('/old.html', 'old.html')).toBe(true);
    expect(answers('/dir/', 'dir/index.html')).toBe(true);
    expect(answers('/blog', 'blog/index.html')).toBe(true);
    expect(answers('/blog/', 'blog/index.html')).toBe(true);
    expect(answers('/blog/2020/a.html', 'blog/2020/a.html')).toBe(true);
    expect(answers('/café.html', 'café.html')).toBe(true);
    expect(answers('/other.html', 'other.html')).toBe(false);
    expect(redirectMatcher([])('/x', 'x/index.html')).toBe(false);
  });
});
