// The site check on small hand-made sites (one concern per test), then on the ParlAI site with its docs.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileGlob } from '../../src/shared/globs.js';
import {
  type SiteCheckInput,
  type SiteCheckResult,
  checkSite,
  checkSiteInSlices,
  siteCheckAnnotations,
  siteCheckLines,
  siteFiles,
} from '../../src/pipeline/site-check.js';
import { REPO } from '../support/action-runner.js';
import { listFiles, tempDir, writeSite } from '../support/sites.js';

const NO_RULES = { cacheControl: [], contentType: [] };

/** Checks a site made of `files` (path → content), with the deploy's default headers. */
function check(files: Record<string, string | Buffer>, options: Partial<SiteCheckInput> = {}): SiteCheckResult {
  const directory = writeSite(files);
  return checkDirectory(directory, options);
}

function checkDirectory(directory: string, options: Partial<SiteCheckInput> = {}): SiteCheckResult {
  const files = listFiles(directory).map((relativePath) => ({
    relativePath,
    absolutePath: path.join(directory, relativePath),
  }));
  return checkSite({ files: siteFiles(files, NO_RULES), prefix: '', ...options });
}

/** A page from lines: line N of the file is `lines[N - 1]`. */
const page = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** The broken targets as `kind target ← file:line reference` lines: one short literal per expectation. */
function brief(result: SiteCheckResult): string[] {
  return result.broken.flatMap((entry) =>
    entry.referrers.map(
      (referrer) => `${entry.kind} ${entry.target} ← ${referrer.file}:${referrer.line} ${referrer.reference}`,
    ),
  );
}

describe('checkSite: what counts as a reference', () => {
  const kinds = page(
    '<!doctype html>',
    '<html><head>',
    '<link rel="stylesheet" href="k/link-stylesheet.css">',
    '<link rel="icon" href="k/link-icon.png">',
    '<link rel="preload" href="k/link-preload.woff2" as="font">',
    '<link rel="manifest" href="k/link-manifest.webmanifest">',
    '<link rel="canonical" href="k/link-canonical.html">',
    '<link rel="preconnect" href="k/preconnect.html">',
    '<link rel="DNS-Prefetch" href="k/dns-prefetch.html">',
    '<script src="k/script.js"></script>',
    '<meta http-equiv="Refresh" content="30; URL=\'k/meta-refresh.html\'">',
    '</head><body>',
    '<a href="k/a.html">a</a>',
    '<map><area href="k/area.html"></map>',
    '<img src="k/img.png" srcset="k/img-1x.png 1x, k/img-2x.png 2x">',
    '<iframe src="k/iframe.html"></iframe>',
    '<picture><source srcset="k/source-srcset.webp" type="image/webp"></picture>',
    '<video src="k/video.mp4" poster="k/video-poster.jpg"><source src="k/source.webm"><track src="k/track.vtt"></video>',
    '<audio src="k/audio.mp3"></audio>',
    '<embed src="k/embed.swf">',
    '<input type="image" src="k/input-image.png">',
    '<input type="text" src="k/input-text.png">',
    '<object data="k/object.svg"></object>',
    '<svg><image href="k/svg-image.png"/><use xlink:href="k/svg-use.svg#icon"/></svg>',
    '<div style="background: url(k/style-attribute.png)"></div>',
    '<style>',
    '  .x { background: url("k/style-block.png"); }',
    '</style>',
    '<!-- <a href="k/in-a-comment.html"> -->',
    '<script>document.write(\'<a href="k/in-a-script.html">\')</script>',
    '<textarea><a href="k/in-a-textarea.html"></textarea>',
    '</body></html>',
  );

  it('finds every kind of reference, each on its line, and nothing in comments, scripts or text', () => {
    const result = check({ 'kinds.html': kinds });
    expect(result.pages).toBe(1);
    expect(result.references).toBe(26);
    expect(brief(result)).toEqual([
      'missing k/a.html ← kinds.html:13 k/a.html',
      'missing k/area.html ← kinds.html:14 k/area.html',
      'missing k/audio.mp3 ← kinds.html:19 k/audio.mp3',
      'missing k/embed.swf ← kinds.html:20 k/embed.swf',
      'missing k/iframe.html ← kinds.html:16 k/iframe.html',
      'missing k/img-1x.png ← kinds.html:15 k/img-1x.png',
      'missing k/img-2x.png ← kinds.html:15 k/img-2x.png',
      'missing k/img.png ← kinds.html:15 k/img.png',
      'missing k/input-image.png ← kinds.html:21 k/input-image.png',
      'missing k/link-canonical.html ← kinds.html:7 k/link-canonical.html',
      'missing k/link-icon.png ← kinds.html:4 k/link-icon.png',
      'missing k/link-manifest.webmanifest ← kinds.html:6 k/link-manifest.webmanifest',
      'missing k/link-preload.woff2 ← kinds.html:5 k/link-preload.woff2',
      'missing k/link-stylesheet.css ← kinds.html:3 k/link-stylesheet.css',
      'missing k/meta-refresh.html ← kinds.html:11 k/meta-refresh.html',
      'missing k/object.svg ← kinds.html:23 k/object.svg',
      'missing k/script.js ← kinds.html:10 k/script.js',
      'missing k/source-srcset.webp ← kinds.html:17 k/source-srcset.webp',
      'missing k/source.webm ← kinds.html:18 k/source.webm',
      'missing k/style-attribute.png ← kinds.html:25 k/style-attribute.png',
      'missing k/style-block.png ← kinds.html:27 k/style-block.png',
      'missing k/svg-image.png ← kinds.html:24 k/svg-image.png',
      'missing k/svg-use.svg ← kinds.html:24 k/svg-use.svg#icon',
      'missing k/track.vtt ← kinds.html:18 k/track.vtt',
      'missing k/video-poster.jpg ← kinds.html:18 k/video-poster.jpg',
      'missing k/video.mp4 ← kinds.html:18 k/video.mp4',
    ]);
  });

  it('reports nothing once every target is in the build', () => {
    const names = [
      'a.html',
      'area.html',
      'audio.mp3',
      'embed.swf',
      'iframe.html',
      'img-1x.png',
      'img-2x.png',
      'img.png',
      'input-image.png',
      'link-canonical.html',
      'link-icon.png',
      'link-manifest.webmanifest',
      'link-preload.woff2',
      'link-stylesheet.css',
      'meta-refresh.html',
      'object.svg',
      'script.js',
      'source-srcset.webp',
      'source.webm',
      'style-attribute.png',
      'style-block.png',
      'svg-image.png',
      'svg-use.svg',
      'track.vtt',
      'video-poster.jpg',
      'video.mp4',
    ];
    const files = Object.fromEntries(names.map((name) => [`k/${name}`, name.endsWith('.html') ? '<p>' : 'x']));
    const result = check({ 'kinds.html': kinds, ...files });
    expect(result.broken).toEqual([]);
    expect(result.pages).toBe(6);
    expect(result.references).toBe(26);
  });

  it('skips other origins, other schemes, empty and bare-# references, and does not count them', () => {
    const result = check({
      'index.html': page(
        '<a href="https://example.org/missing.html">',
        '<a href="//cdn.example.org/lib.js">',
        '<a href="mailto:team@example.org">',
        '<a href="tel:+15551234">',
        '<a href="javascript:void(0)">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<a href="">',
        '<a href="   ">',
        '<a href="#">',
        '<a>no href</a>',
        '<a href="ftp://example.org/file.txt">',
      ),
    });
    expect(result).toEqual({ pages: 1, references: 0, broken: [], octetStream: [] });
  });

  it('parses srcset candidates as HTML does: commas inside URLs, descriptors with parentheses, no spaces', () => {
    const result = check({
      'index.html': page(
        '<img srcset="a,b.png 1x, c.png 2x,d.png 3x">',
        '<img srcset="',
        '  e.png 480w,',
        '  f.png (a, b) 800w  ,  g.png">',
        '<img srcset="h.png,i.png">',
      ),
    });
    expect(brief(result)).toEqual([
      'missing a,b.png ← index.html:1 a,b.png',
      'missing c.png ← index.html:1 c.png',
      'missing d.png ← index.html:1 d.png',
      'missing e.png ← index.html:3 e.png',
      'missing f.png ← index.html:4 f.png',
      'missing g.png ← index.html:4 g.png',
      'missing h.png,i.png ← index.html:5 h.png,i.png',
    ]);
  });

  it('decodes entities in attributes and names the line of the attribute in a tag over several lines', () => {
    const result = check({
      'index.html': page(
        '<a class="x"',
        '   title="t"',
        '   href="missing.html?a=1&amp;b=2">x</a>',
        '<a href="caf&eacute;.html">',
        '<a href="&#x2F;abs&#46;html">',
      ),
    });
    expect(brief(result)).toEqual([
      'missing abs.html ← index.html:5 /abs.html',
      'missing café.html ← index.html:4 café.html',
      'missing missing.html ← index.html:3 missing.html?a=1&b=2',
    ]);
  });

  it('reads UTF-8 pages: non-ASCII names, ids and fragments', () => {
    const result = check({
      'index.html': page(
        '<p id="münchen">ü</p>',
        '<a href="café.html#über">',
        '<a href="#münchen">',
        '<a href="#m%C3%BCnchen">',
        '<a href="naïve.html">',
      ),
      'café.html': page('<h2 id="über">Über</h2>'),
    });
    expect(brief(result)).toEqual(['missing naïve.html ← index.html:5 naïve.html']);
  });

  it('recognises self-closing tags in XHTML pages only', () => {
    const xhtml = page('<script src="one.js"/>', '<a href="two.html">two</a>');
    const result = check({ 'page.xhtml': xhtml, 'page.html': xhtml });
    expect(brief(result)).toEqual([
      'missing one.js ← page.html:1 one.js',
      'missing one.js ← page.xhtml:1 one.js',
      'missing two.html ← page.xhtml:2 two.html',
    ]);
  });
});

describe('checkSite: stylesheets', () => {
  it('reads url() and @import with quotes, escapes and comments', () => {
    const css = [
      '/* url(commented.png)',
      '   @import "commented.css"; */', // lines 1-2
      '@import "imported.css";',
      "@import url('imported-url.css') screen;",
      'a { background: url(  "double.png"  ) }', // 5
      "b { background: url('single.png') }",
      'c { background: url(unquoted.png) }',
      'd { background: url(esc\\(aped\\).png) }',
      'e { content: "url(in-a-string.png)" }',
      'f { background: url("hex\\41 .png") }', // 10
      'g { mask: url(#clip) }',
      'h { src: url(data:font/woff2;base64,AAAA) }',
      'i { background: URL(upper.png) }',
      'j { background: my-url(not-a-url.png) }',
      'k { background: url() url("") }', // 15
      'l { background: url(bad url.png) }',
      "m { content: 'it\\'s url(still-a-string.png)' }",
      'n { background: url("../up.png") }',
      'o { background: url(/root.png) }',
    ].join('\n');
    const result = check({ 'css/site.css': css });
    expect(result.pages).toBe(0);
    expect(brief(result)).toEqual([
      'missing css/double.png ← css/site.css:5 double.png',
      'missing css/esc(aped).png ← css/site.css:8 esc(aped).png',
      'missing css/hexA.png ← css/site.css:10 hexA.png',
      'missing css/imported-url.css ← css/site.css:4 imported-url.css',
      'missing css/imported.css ← css/site.css:3 imported.css',
      'missing css/single.png ← css/site.css:6 single.png',
      'missing css/unquoted.png ← css/site.css:7 unquoted.png',
      'missing css/upper.png ← css/site.css:13 upper.png',
      'missing root.png ← css/site.css:19 /root.png',
      'missing up.png ← css/site.css:18 ../up.png',
    ]);
  });

  it('reads <style> blocks and style attributes against the page, on their own lines', () => {
    const result = check({
      'docs/index.html': page(
        '<style>',
        '  /* url(no.png) */',
        '  .a { background: url(img/a.png) }',
        '</style>',
        '<p style="color: red;',
        "  background: url('img/b.png')\">",
      ),
      'docs/img/a.png': 'a',
    });
    expect(brief(result)).toEqual(['missing docs/img/b.png ← docs/index.html:6 img/b.png']);
  });
});

describe('checkSite: how a reference resolves', () => {
  it('resolves relative, root-absolute and ./ references; ignores query strings', () => {
    const result = check({
      'docs/guide/page.html': page(
        '<link href="../css/style.css?v=3" rel="stylesheet">',
        '<img src="/img/logo.png">',
        '<img src="./here.png">',
        '<img src="here.png?size=2#x">',
        '<script src="../js/missing.js?v=3"></script>',
      ),
      'docs/css/style.css': 'a{}',
      'img/logo.png': 'png',
      'docs/guide/here.png': 'png',
    });
    expect(brief(result)).toEqual(['missing docs/js/missing.js ← docs/guide/page.html:5 ../js/missing.js?v=3']);
  });

  it('honours the first <base href>, also for references before it and for same-page fragments', () => {
    const result = check({
      'a/index.html': page(
        '<a href="before.html">',
        '<base href="/assets/">',
        '<base href="/ignored/">',
        '<img src="x.png">',
        '<a href="#section">',
      ),
      'assets/x.png': 'png',
      'b/index.html': page('<base href="https://cdn.example.org/">', '<img src="elsewhere.png">'),
    });
    expect(brief(result)).toEqual([
      'missing assets/before.html ← a/index.html:1 before.html',
      'missing assets/index.html ← a/index.html:5 #section',
    ]);
  });

  it('decodes percent-escapes in paths; an invalid escape is a bad URL', () => {
    const result = check({
      'index.html': page(
        '<a href="my%20file.html">',
        '<a href="my file.html">',
        '<a href="caf%C3%A9.html">',
        '<a href="bad%zz.html">',
        '<a href="%E0%A4.html">',
        '<a href="http://[broken">',
        '<a href="a+b.html">',
      ),
      'my file.html': '<p>',
      'café.html': '<p>',
      'a+b.html': '<p>',
    });
    expect(result.broken).toEqual([
      {
        target: '%E0%A4.html',
        kind: 'bad-url',
        referrers: [{ file: 'index.html', line: 5, reference: '%E0%A4.html' }],
      },
      {
        target: 'bad%zz.html',
        kind: 'bad-url',
        referrers: [{ file: 'index.html', line: 4, reference: 'bad%zz.html' }],
      },
      {
        target: 'http://[broken',
        kind: 'bad-url',
        referrers: [{ file: 'index.html', line: 6, reference: 'http://[broken' }],
      },
    ]);
  });

  it('stops `..` at the root of the URL space, as browsers do', () => {
    const files = {
      'a/b/index.html': page('<link rel="stylesheet" href="../../../../top.css">'),
      'top.css': 'a{}',
    };
    expect(check(files).broken).toEqual([]);
    // Under a prefix the clamped URL /top.css is outside the deploy at /pr-1/.
    expect(brief(check(files, { prefix: 'pr-1/' }))).toEqual([
      'outside-prefix /top.css ← a/b/index.html:1 ../../../../top.css',
    ]);
  });

  it('serves directories from index.html, with and without the trailing slash, as the CDN function does', () => {
    const result = check({
      'index.html': page(
        '<a href="/docs/">',
        '<a href="/docs">',
        '<a href="docs">',
        '<a href="/docs/#intro">',
        '<a href="/">',
        '<a href="/missing-dir/">',
        '<a href="/missing-dir">',
      ),
      'docs/index.html': page('<h1 id="intro">'),
    });
    expect(brief(result)).toEqual([
      'missing missing-dir/index.html ← index.html:6 /missing-dir/',
      'missing missing-dir/index.html ← index.html:7 /missing-dir',
    ]);
  });

  it('a file without an extension is not served at its name, and a directory with a dot is not served without its slash', () => {
    const result = check({
      'index.html': page('<a href="/LICENSE">', '<a href="/v1.2">', '<a href="/v1.2/">'),
      LICENSE: 'MIT',
      'v1.2/index.html': '<p>',
    });
    expect(result.broken).toEqual([
      {
        target: 'LICENSE/index.html',
        kind: 'missing',
        referrers: [{ file: 'index.html', line: 1, reference: '/LICENSE' }],
        note: "the build has 'LICENSE', but the CDN redirects a path whose last segment has no '.' to 'LICENSE/' and serves 'LICENSE/index.html': give the file an extension",
      },
      {
        target: 'v1.2',
        kind: 'missing',
        referrers: [{ file: 'index.html', line: 2, reference: '/v1.2' }],
        note: "'v1.2/index.html' exists, but the CDN serves 'v1.2' (its last segment has a '.') as a file: link to 'v1.2/'",
      },
    ]);
  });
});

describe('checkSite: fragments', () => {
  const files = {
    'index.html': page(
      '<h1 id="here">',
      '<a href="#here">',
      '<a href="#not-here">',
      '<a href="#top">',
      '<a href="#TOP">',
      '<a href="guide.html#install">',
      '<a href="guide.html#old-name">',
      '<a href="guide.html#usage">',
      '<a href="guide.html#">',
      '<a href="guide.html#caf%C3%A9">',
      '<a href="missing.html#x">',
      '<a href="logo.svg#icon">',
      '<a href="kept.html#anything">',
    ),
    'guide.html': page('<h2 id="install">', '<a name="usage"></a>', '<h2 id="café">'),
    'logo.svg': '<svg/>',
  };

  it('checks ids and <a name> of pages in the build; #top and empty fragments are always there', () => {
    const result = check(files, { keptKeys: ['kept.html'] });
    expect(brief(result)).toEqual([
      'fragment guide.html#old-name ← index.html:7 guide.html#old-name',
      'fragment index.html#not-here ← index.html:3 #not-here',
      'missing missing.html ← index.html:11 missing.html#x',
    ]);
  });

  it('can leave fragments alone', () => {
    const result = check(files, { keptKeys: ['kept.html'], checkFragments: false });
    expect(brief(result)).toEqual(['missing missing.html ← index.html:11 missing.html#x']);
  });
});

describe('checkSite: what exists besides the build', () => {
  const links = page(
    '<a href="/old/page.html">',
    '<a href="/blog/2020/post/">',
    '<a href="/gone.html">',
    '<a href="/moved">',
    '<a href="/drafts/kept.html">',
    '<a href="/drafts/other.html">',
  );

  it('counts a path a redirect answers (exact or splat) and a kept object as existing; not a 404 rule', () => {
    const result = check(
      { 'index.html': links },
      {
        keptKeys: new Set(['drafts/kept.html']),
        redirects: [
          { from: '/old/page.html', to: '/new/page.html', status: 301 },
          { from: '/blog/*', to: '/news/:splat', status: 301 },
          { from: '/gone.html', to: '/404.html', status: 404 },
          { from: '/moved/', to: '/elsewhere/', status: 302 },
        ],
      },
    );
    expect(brief(result)).toEqual([
      'missing drafts/other.html ← index.html:6 /drafts/other.html',
      'missing gone.html ← index.html:3 /gone.html',
    ]);
  });

  it('without them, each is missing', () => {
    expect(brief(check({ 'index.html': links }))).toEqual([
      'missing blog/2020/post/index.html ← index.html:2 /blog/2020/post/',
      'missing drafts/kept.html ← index.html:5 /drafts/kept.html',
      'missing drafts/other.html ← index.html:6 /drafts/other.html',
      'missing gone.html ← index.html:3 /gone.html',
      'missing moved/index.html ← index.html:4 /moved',
      'missing old/page.html ← index.html:1 /old/page.html',
    ]);
  });
});

describe('checkSite: redirect targets', () => {
  const site = { 'index.html': '<p>home</p>', 'new/index.html': '<h1 id="top">new</h1>', 'a.html': 'a' };
  const rule = (line: number, from: string, to: string, source = '_redirects') => ({
    from,
    to,
    status: 301,
    source,
    line,
  });

  it('a rule whose target nothing serves is broken, named by its source and line; others are not', () => {
    const result = check(site, {
      redirects: [
        rule(1, '/old/', '/new/'),
        rule(2, '/gone/', '/vanished/'),
        rule(3, '/x.html', '/new/#nope'),
        rule(4, '/y.html', '/new/?ref=y#top'),
        rule(5, '/z', '/old/'), // to a path another rule answers
        rule(6, '/blog/*', '/news/:splat'), // depends on the request: not checked
        rule(7, '/ext', 'https://example.org/missing'), // another site's business
        rule(2, '/b.html', '/b-missing.html', "input 'redirects'"),
      ],
    });
    expect(brief(result)).toEqual([
      "missing b-missing.html ← input 'redirects':2 /b-missing.html",
      'fragment new/index.html#nope ← _redirects:3 /new/#nope',
      'missing vanished/index.html ← _redirects:2 /vanished/',
    ]);
    expect(result.references).toBe(6);
    expect(siteCheckAnnotations(result).map((note) => [note.file, note.line, note.message])).toEqual([
      [
        undefined,
        2,
        "Redirect to '/b-missing.html' (input 'redirects' line 2): 'b-missing.html' is not in the build, not kept in the bucket and not answered by a redirect.",
      ],
      [
        '_redirects',
        3,
        "Redirect to '/new/#nope' (_redirects line 3): 'new/index.html' has no element with id 'nope'.",
      ],
      [
        '_redirects',
        2,
        "Redirect to '/vanished/' (_redirects line 2): 'vanished/index.html' is not in the build, not kept in the bucket and not answered by a redirect.",
      ],
    ]);
  });

  it('under a prefix, a target is relative to the deploy root (the deploy prefixes it)', () => {
    const result = check(site, {
      prefix: 'pr-42/',
      redirects: [rule(1, '/old/', '/new/'), rule(2, '/gone/', '/vanished/')],
    });
    expect(brief(result)).toEqual(['missing vanished/index.html ← _redirects:2 /vanished/']);
  });

  it('rules without a source and line (not parsed from a file or the input) only answer paths', () => {
    expect(check(site, { redirects: [{ from: '/gone/', to: '/vanished/', status: 301 }] }).broken).toEqual([]);
  });
});

describe('checkSite: prefix and site URL', () => {
  const site = {
    'index.html': page(
      '<link rel="stylesheet" href="css/a.css">',
      '<link rel="stylesheet" href="/pr-42/css/a.css">',
      '<link rel="stylesheet" href="/css/a.css">',
      '<a href="/pr-42">',
      '<a href="https://parl.ai/pr-42/css/b.css">',
      '<a href="http://www.parl.ai/pr-42/css/a.css">',
      '<a href="//parl.ai/pr-42/missing.html">',
      '<a href="https://parl.ai/docs/">',
      '<a href="https://other.example/pr-42/missing.html">',
    ),
    'css/a.css': 'a{}',
  };

  it('under a prefix, root-absolute URLs outside it are reported apart, as not checkable', () => {
    expect(brief(check(site, { prefix: 'pr-42/' }))).toEqual(['outside-prefix /css/a.css ← index.html:3 /css/a.css']);
  });

  it('with site-url, absolute URLs to the site (http or https, with or without www.) are checked too', () => {
    expect(brief(check(site, { prefix: 'pr-42/', siteUrl: 'https://parl.ai' }))).toEqual([
      'outside-prefix /css/a.css ← index.html:3 /css/a.css',
      'outside-prefix /docs/ ← index.html:8 https://parl.ai/docs/',
      'missing css/b.css ← index.html:5 https://parl.ai/pr-42/css/b.css',
      'missing missing.html ← index.html:7 //parl.ai/pr-42/missing.html',
    ]);
  });

  it('a site-url with a path serves the bucket under that path', () => {
    const result = check(
      {
        'index.html': page(
          '<a href="/sub/a.html">',
          '<a href="/a.html">',
          '<a href="https://example.com/sub/b.html">',
          '<a href="/sub">',
        ),
        'a.html': '<p>',
      },
      { siteUrl: 'https://example.com/sub' },
    );
    expect(brief(result)).toEqual([
      'outside-prefix /a.html ← index.html:2 /a.html',
      'missing b.html ← index.html:3 https://example.com/sub/b.html',
    ]);
  });
});

describe('checkSiteInSlices', () => {
  const site = (): SiteCheckInput => {
    const directory = writeSite({
      'index.html': page('<a href="a.html">', '<a href="gone.html">'),
      'a.html': page('<a href="index.html#top">'),
      'b.html': page('<link rel="stylesheet" href="s.css">'),
      's.css': 'p { background: url(missing.png) }',
    });
    const files = listFiles(directory).map((relativePath) => ({
      relativePath,
      absolutePath: path.join(directory, relativePath),
    }));
    return { files: siteFiles(files, NO_RULES), prefix: '' };
  };

  it('finds what checkSite finds', async () => {
    const input = site();
    expect(await checkSiteInSlices(input, 0)).toEqual(checkSite(input));
  });

  it('gives the event loop a turn between pages once a slice is used up; checkSite does not', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await checkSiteInSlices(site(), 0).then(() => order.push('checked'));
    expect(order).toEqual(['other work', 'checked']);

    order.length = 0;
    setImmediate(() => order.push('other work'));
    await Promise.resolve(checkSite(site())).then(() => order.push('checked'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['checked', 'other work']);
  });
});

describe('checkSite: the output', () => {
  it('groups referrers by target, sorted by file and line, each once', () => {
    const result = check({
      'b.html': page('<img src="/img/gone.png">', '<img src="/img/gone.png"><img src="/img/gone.png">'),
      'a/index.html': page('', '<img src="../img/gone.png">'),
    });
    expect(result.broken).toEqual([
      {
        target: 'img/gone.png',
        kind: 'missing',
        referrers: [
          { file: 'a/index.html', line: 2, reference: '../img/gone.png' },
          { file: 'b.html', line: 1, reference: '/img/gone.png' },
          { file: 'b.html', line: 2, reference: '/img/gone.png' },
        ],
      },
    ]);
  });

  it('lists files served as application/octet-stream for an unknown extension, not for .bin or a rule', () => {
    const directory = writeSite({ 'index.html': '<p>', 'docs/objects.inv': 'x', 'model.bin': 'x', 'x.custom': 'x' });
    const files = ['index.html', 'docs/objects.inv', 'model.bin', 'x.custom'].map((relativePath) => ({
      relativePath,
      absolutePath: path.join(directory, relativePath),
    }));
    const rules = {
      cacheControl: [],
      contentType: [{ pattern: '*.custom', matches: compileGlob('*.custom'), value: 'application/octet-stream' }],
    };
    expect(checkSite({ files: siteFiles(files, rules), prefix: '' }).octetStream).toEqual(['docs/objects.inv']);
  });

  it('renders log lines and annotations', () => {
    const result = check({
      'index.html': page('<a href="gone.html">', '<a href="#nowhere">', '<a href="/LICENSE">'),
      LICENSE: 'MIT',
      'data.inv': 'x',
    });
    expect(siteCheckLines(result)).toEqual([
      'Site check: 1 page(s), 3 reference(s) to the site: 3 broken target(s), 0 outside this deploy',
      '  missing   LICENSE/index.html ← index.html:3',
      "            the build has 'LICENSE', but the CDN redirects a path whose last segment has no '.' to 'LICENSE/' and serves 'LICENSE/index.html': give the file an extension",
      '  missing   gone.html ← index.html:1',
      '  no anchor index.html#nowhere ← index.html:2',
      "  2 file(s) have an extension with no known type and are served as application/octet-stream (LICENSE, data.inv): set their type with the 'content-type' input, e.g. 'LICENSE: TYPE'",
    ]);
    expect(siteCheckAnnotations(result)).toEqual([
      {
        file: 'index.html',
        line: 3,
        message:
          "Link to '/LICENSE': 'LICENSE/index.html' is not in the build, not kept in the bucket and not answered by a redirect (the build has 'LICENSE', but the CDN redirects a path whose last segment has no '.' to 'LICENSE/' and serves 'LICENSE/index.html': give the file an extension).",
        severity: 'error',
      },
      {
        file: 'index.html',
        line: 1,
        message:
          "Link to 'gone.html': 'gone.html' is not in the build, not kept in the bucket and not answered by a redirect.",
        severity: 'error',
      },
      {
        file: 'index.html',
        line: 2,
        message: "Link to '#nowhere': 'index.html' has no element with id 'nowhere'.",
        severity: 'error',
      },
    ]);
  });

  it('caps the log at the given number of targets and referrers', () => {
    const links = Array.from({ length: 4 }, (_, index) => `<img src="gone-${index}.png"><img src="gone-0.png">`);
    const result = check({ 'index.html': page(...links) });
    expect(siteCheckLines(result, { targets: 2, referrers: 2 })).toEqual([
      'Site check: 1 page(s), 8 reference(s) to the site: 4 broken target(s), 0 outside this deploy',
      '  missing   gone-0.png ← index.html:1, index.html:2, … 2 more',
      '  missing   gone-1.png ← index.html:2',
      '  … and 2 more target(s)',
    ]);
    expect(siteCheckAnnotations(result).filter((annotation) => annotation.severity === 'warning')).toEqual([]);
  });
});

// The whole ParlAI website with its Sphinx docs: 367 files, 128 pages (../shared/fixtures/README.md).
const FULL_FIXTURE =
  process.env.PARLAI_SITE_FULL_FIXTURE ?? path.resolve(REPO, '../shared/fixtures/parlai-site-full.tar.gz');
const hasFixture = existsSync(FULL_FIXTURE);
if (!hasFixture) console.warn(`ParlAI full-site checks skipped: ${FULL_FIXTURE} is not on this machine`);
const itWithFixture = hasFixture ? it : it.skip;

function unpackFullSite(): string {
  const directory = tempDir('parlai-full');
  execFileSync('tar', ['-xzf', FULL_FIXTURE, '-C', directory], { timeout: 60_000 });
  return path.join(directory, 'site-build');
}

/**
 * Fragments the ParlAI site really gets wrong (linkchecker, which found its 0 broken links, does not check
 * anchors): the shared navigation links `#getstarted`, which only the home page has (as `<a name>`), and two
 * Markdown tables of contents point at headings that have no ids.
 */
const PROJECTS_WITH_GET_STARTED = [
  'anti_scaling',
  'bb3',
  'bb3x',
  'beat_the_bot',
  'blender',
  'blenderbot2',
  'bst',
  'contradiction',
  'controllable_dialogue',
  'convai2',
  'cringe',
  'dialogue_bias',
  'dialogue_safety',
  'dialogue_unlikelihood',
  'director',
  'dodecadialogue',
  'drqa',
  'fits',
  'genderation_bias',
  'hallucination',
  'humaneval',
  'humpback',
  'image_chat',
  'k2r',
  'light',
  'light_whoami',
  'mastering_the_dungeon',
  'md_gender',
  'memnn_feedback',
  'metacognition',
  'msc',
  'multilight',
  'multimodal_blenderbot',
  'params_vs_compute',
  'personachat',
  'personality_captions',
  'polyencoder',
  'recipes',
  'reframe_thoughts',
  'roscoe',
  'saferdialogues',
  'safety_bench',
  'safety_recipes',
  'sea',
  'seeker',
  'self_feeding',
  'style_gen',
  'talkthewalk',
  'tod_simulator',
  'trollhunting',
  'wizard_of_wikipedia',
];
const ROSCOE_SECTIONS = [
  'baseline-scoring',
  'bugs-or-questions',
  'citation',
  'fine-tuned-model-in-huggingface',
  'how-to-run-evaluation',
  'human-annotated-datasets',
  'meta-evaluation',
  'overview',
  'roscoe-evaluation',
  'roscoe-scoring',
  'setup',
  'steps-to-reproduce-results',
  'synthetic-data-generation',
];
const PARLAI_FRAGMENT_TARGETS = [
  'about/index.html#getstarted',
  'about/index.html#installing-parlai',
  'error.html#getstarted',
  'projects/index.html#getstarted',
  ...PROJECTS_WITH_GET_STARTED.map((project) => `projects/${project}/index.html#getstarted`),
  ...ROSCOE_SECTIONS.map((section) => `projects/roscoe/index.html#${section}`),
].sort();

/** The pages that link /static/css/parlai.css (line 15 of each): the site's own pages, not the docs. */
const PARLAI_CSS_PAGES = [
  'about/index.html',
  'error.html',
  'index.html',
  'projects/index.html',
  ...PROJECTS_WITH_GET_STARTED.map((project) => `projects/${project}/index.html`),
].sort();

describe('checkSite on the ParlAI website with its docs', () => {
  itWithFixture('finds no missing file (as linkchecker), and the fragments the site really gets wrong', () => {
    const result = checkDirectory(unpackFullSite());
    expect(result.pages).toBe(128);
    expect(result.broken.filter((entry) => entry.kind !== 'fragment')).toEqual([]);
    expect(result.broken.map((entry) => entry.target)).toEqual(PARLAI_FRAGMENT_TARGETS);
    expect(result.octetStream).toEqual(['docs/.buildinfo', 'docs/.nojekyll', 'docs/objects.inv']);
  });

  itWithFixture('with site-url https://parl.ai, also checks its absolute links to parl.ai', () => {
    const result = checkDirectory(unpackFullSite(), { siteUrl: 'https://parl.ai' });
    expect(brief({ ...result, broken: result.broken.filter((entry) => entry.kind !== 'fragment') })).toEqual([
      'missing downloads/light_project/light_atomic/atomic_tuned.tar.gz ← projects/light/index.html:114 http://parl.ai/downloads/light_project/light_atomic/atomic_tuned.tar.gz',
      'missing downloads/light_project/quests/quest_stems.tar.gz ← projects/light/index.html:114 http://parl.ai/downloads/light_project/quests/quest_stems.tar.gz',
      'missing projects/light_multiparty/index.html ← docs/tasks.html:2324 http://parl.ai/projects/light_multiparty',
      'missing projects/light_multiparty/index.html ← docs/tasks.html:2539 http://parl.ai/projects/light_multiparty',
    ]);
  });

  itWithFixture(
    'names the one asset removed, with its pages, and the one link misspelt, with its page and line',
    () => {
      const site = unpackFullSite();
      rmSync(path.join(site, 'static/css/parlai.css'));
      const quick = path.join(site, 'docs/tutorial_quick.html');
      const lines = readFileSync(quick, 'utf8').split('\n');
      expect(lines[2456]).toContain('<a href="tutorial_basic.html" class="btn btn-neutral float-right"');
      lines[2456] = lines[2456]!.replace('tutorial_basic.html', 'tutorial_basik.html');
      writeFileSync(quick, lines.join('\n'));

      const result = checkDirectory(site);
      expect(result.broken.filter((entry) => entry.kind !== 'fragment')).toEqual([
        {
          target: 'docs/tutorial_basik.html',
          kind: 'missing',
          referrers: [{ file: 'docs/tutorial_quick.html', line: 2457, reference: 'tutorial_basik.html' }],
        },
        {
          target: 'static/css/parlai.css',
          kind: 'missing',
          referrers: PARLAI_CSS_PAGES.map((file) => ({ file, line: 15, reference: '/static/css/parlai.css' })),
        },
      ]);
      expect(result.broken.filter((entry) => entry.kind === 'fragment').map((entry) => entry.target)).toEqual(
        PARLAI_FRAGMENT_TARGETS,
      );
    },
  );
});
