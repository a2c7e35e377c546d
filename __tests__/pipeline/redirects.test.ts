// The redirect rules (src/pipeline/redirects.ts): Netlify's `_redirects` format parsed into the plan the
// edge serves, what is refused and why (with line numbers), the KeyValueStore entries and their limits, the
// changes a sync writes, the sync's retry on a moved ETag, and the S3-website mapping.
import { describe, expect, it } from '@jest/globals';
import {
  KVS_LIMITS,
  RedirectBudgetError,
  RedirectRulesError,
  checkRedirectBudget,
  emptyRedirectPlan,
  keysToSync,
  ownedEntries,
  parseRedirects,
  planRedirectSync,
  redirectEntries,
  syncRedirects,
  websiteRedirects,
  type RedirectPlan,
} from '../../src/pipeline/redirects.js';
import { Refusal, isRefusal } from '../../src/shared/errors.js';
import { MemoryRedirectStore } from '../support/memory-store.js';

const file = (...lines: string[]) => ({ name: '_redirects', text: lines.join('\n') });
const parse = (lines: string[], prefix = '') => parseRedirects(file(...lines), { prefix });

/** The refusals of these lines, as `line: reason` strings. */
function refusals(lines: string[], prefix = ''): string[] {
  try {
    parse(lines, prefix);
  } catch (error) {
    // The parts of a reason quoted from the file are marked untrusted (\uE000…\uE001); shown plain here.
    if (error instanceof RedirectRulesError)
      return error.problems.map((p) => `${p.line}: ${p.reason.replace(/[\uE000\uE001]/g, '')}`);
    throw error;
  }
  throw new Error('nothing was refused');
}

/** exact and prefixes in one comparable shape: `from -> status to`. */
function shape(plan: RedirectPlan): { exact: string[]; prefixes: string[] } {
  return {
    exact: [...plan.exact].map(([from, t]) => `${from} -> ${t.status} ${t.to}`),
    prefixes: plan.prefixes.map((p) => `${p.from} -> ${p.status} ${p.to}`),
  };
}

describe('parseRedirects: what is supported', () => {
  it('reads from, to and an optional status; skips comments and blank lines; 301 by default', () => {
    const plan = parse([
      '# moved pages',
      '',
      '/old.html   /new.html',
      '  /a.html\t/b.html   302  ',
      '/c.html /d.html 307 # a trailing comment',
      '/e.html /f.html 308',
      '   # an indented comment',
    ]);
    expect(shape(plan)).toEqual({
      exact: [
        '/a.html -> 302 /b.html',
        '/c.html -> 307 /d.html',
        '/e.html -> 308 /f.html',
        '/old.html -> 301 /new.html',
      ],
      prefixes: [],
    });
    expect(plan.rules.map((r) => [r.line, r.from, r.to, r.status])).toEqual([
      [3, '/old.html', '/new.html', 301],
      [4, '/a.html', '/b.html', 302],
      [5, '/c.html', '/d.html', 307],
      [6, '/e.html', '/f.html', 308],
    ]);
  });

  it('a directory-like path covers both its forms (/old and /old/); a file or the root only itself', () => {
    expect(shape(parse(['/old /new/', '/guide/ /manual/', '/page.html /other.html', '/ /home/'])).exact).toEqual([
      '/ -> 301 /home/',
      '/guide -> 301 /manual/',
      '/guide/ -> 301 /manual/',
      '/old -> 301 /new/',
      '/old/ -> 301 /new/',
      '/page.html -> 301 /other.html',
    ]);
  });

  it('a trailing * is a splat, passed on as :splat; the longest directory first', () => {
    expect(
      shape(parse(['/* https://new.example.org/:splat', '/docs/* /manual/:splat', '/docs/v1/* /docs/v2/:splat'])),
    ).toEqual({
      exact: [],
      prefixes: [
        '/docs/v1/ -> 301 /docs/v2/:splat',
        '/docs/ -> 301 /manual/:splat',
        '/ -> 301 https://new.example.org/:splat',
      ],
    });
  });

  it('a splat may send everything to one page (no :splat in to)', () => {
    expect(shape(parse(['/old-blog/* /blog/'])).prefixes).toEqual(['/old-blog/ -> 301 /blog/']);
  });

  it('targets: a path (with query and fragment) or an absolute http(s) URL, kept as written', () => {
    expect(
      shape(
        parse([
          '/a /b?x=1#top',
          '/c http://example.org',
          '/d HTTPS://Example.org/Path?q=a:b',
          '/e/* https://example.org:8443/e/:splat',
        ]),
      ),
    ).toEqual({
      exact: [
        '/a -> 301 /b?x=1#top',
        '/a/ -> 301 /b?x=1#top',
        '/c -> 301 http://example.org',
        '/c/ -> 301 http://example.org',
        '/d -> 301 HTTPS://Example.org/Path?q=a:b',
        '/d/ -> 301 HTTPS://Example.org/Path?q=a:b',
      ],
      prefixes: ['/e/ -> 301 https://example.org:8443/e/:splat'],
    });
  });

  it('paths are percent-encoded as browsers send them (non-ASCII, quotes), %xx in upper case', () => {
    expect(shape(parse(['/café.html /cafe.html', '/a%2fb.html /%e2%9c%93.html', '/"q".html /q.html'])).exact).toEqual([
      '/%22q%22.html -> 301 /q.html',
      '/a%2Fb.html -> 301 /%E2%9C%93.html',
      '/caf%C3%A9.html -> 301 /cafe.html',
    ]);
  });

  it('CRLF line ends, a byte-order mark and tabs are fine', () => {
    const plan = parseRedirects({ name: '_redirects', text: '\uFEFF/a.html\t/b.html\r\n/c.html /d.html\r\n' });
    expect(shape(plan).exact).toEqual(['/a.html -> 301 /b.html', '/c.html -> 301 /d.html']);
  });

  it('under a deploy prefix every key carries it, and so does a target inside the site; an absolute URL does not', () => {
    expect(
      shape(
        parse(['/old.html /new.html', '/docs/* /manual/:splat', '/ext https://example.org/x', '/* /:splat'], 'pr-42/'),
      ),
    ).toEqual({
      exact: [
        '/pr-42/ext -> 301 https://example.org/x',
        '/pr-42/ext/ -> 301 https://example.org/x',
        '/pr-42/old.html -> 301 /pr-42/new.html',
      ],
      prefixes: ['/pr-42/docs/ -> 301 /pr-42/manual/:splat', '/pr-42/ -> 301 /pr-42/:splat'],
    });
  });

  it('reads an input the same way, and several sources together', () => {
    const plan = parseRedirects(
      [file('/a.html /b.html'), { name: "input 'redirects'", text: '/c.html /d.html 302', input: 'redirects' }],
      { prefix: '' },
    );
    expect(plan.rules.map((r) => `${r.source}:${r.line} ${r.from}`)).toEqual([
      '_redirects:1 /a.html',
      "input 'redirects':1 /c.html",
    ]);
  });

  it('an empty file is an empty plan', () => {
    expect(shape(parse(['# nothing yet', '']))).toEqual({ exact: [], prefixes: [] });
    expect(shape(emptyRedirectPlan('pr-1/'))).toEqual({ exact: [], prefixes: [] });
  });
});

describe('parseRedirects: what is refused, with the line number and why', () => {
  const cases: Array<[string, string, string]> = [
    ['a rewrite (200)', '/app/* /index.html 200', 'rewrites and proxies (status 200) are not supported'],
    ['a proxy to another host', '/api/* https://api.example.org/:splat 200', 'rewrites and proxies (status 200)'],
    ['a custom 404', '/missing /404.html 404', 'custom 404 rules are not supported'],
    ['another status', '/gone /x 410', 'status 410 is not supported: use 301 (the default), 302, 307 or 308'],
    ['a force flag', '/a /b 301!', 'the force flag (301!) is not supported'],
    ['a bare force flag on 200', '/a /b 200!', 'the force flag (200!) is not supported'],
    [
      'a query-parameter condition',
      '/store id=:id /blog/:id 301',
      'query-parameter conditions (id=:id) are not supported',
    ],
    ['a query string in from', '/search?q=old /find', 'a query string in from is not supported'],
    ['a country condition', '/ /uk/ 302 Country=gb', 'country conditions (Country=gb) are not supported'],
    ['a language condition', '/ /fr/ 302 Language=fr', 'language conditions (Language=fr) are not supported'],
    ['a role condition', '/admin/* /login 302 Role=admin', 'role conditions (Role=admin) are not supported'],
    ['a cookie condition', '/a /b 302 Cookie=x', 'cookie conditions (Cookie=x) are not supported'],
    ['a condition without a status', '/ /uk/ Country=gb', 'country conditions (Country=gb) are not supported'],
    ['a placeholder in from', '/news/:year/:slug /blog/:year/:slug', 'placeholders (:year) are not supported'],
    ['a placeholder in to', '/news/* /blog/:slug', 'placeholders (:slug) are not supported: only :splat'],
    [':splat without a splat', '/a /b/:splat', ':splat in to needs a from ending in /*'],
    [':splat in a host', '/a/* https://:splat.example.org/', ':splat can only stand in the path of an absolute URL'],
    ['a * inside from', '/docs/*/index.html /x', 'a * is supported only as the whole last segment of from'],
    ['a * glued to a name', '/docs* /x', 'a * is supported only as the whole last segment of from'],
    ['two *', '/a/*/* /x', 'a * is supported only as the whole last segment of from'],
    ['a relative from', 'old.html /new.html', 'from must be a path starting with /'],
    ['a host rule', 'https://old.example.org/* https://new.example.org/:splat', 'a full URL in from (a host rule)'],
    ['a relative to', '/a new.html', 'to must be a path starting with / or an http(s) URL'],
    ['another scheme', '/a javascript:alert(1)', 'to must be a path starting with / or an http(s) URL'],
    ['a protocol-relative to', '/a //evil.example.org/', 'a protocol-relative to (//host) is not allowed'],
    ['a backslash in to', '/a /\\evil.example.org', 'a backslash in to is not allowed'],
    ['a to without a host', '/a https:///path', 'https:///path has no host'],
    ['a missing to', '/lonely', 'a rule needs a from and a to'],
    ['an unexpected field', '/a /b 301 extra', 'unexpected field extra (a rule is `from to [status]`)'],
    ['a fragment in from', '/a#x /b', 'a #fragment in from never reaches the server'],
    ['an empty segment', '/a//b /c', 'an empty path segment (//) in from is not allowed'],
    ['a dot segment', '/a/../b /c', '. and .. segments in from never reach the server'],
    ['a broken escape', '/a%zz /b', "a '%' must start a %XX escape"],
    ['the previews’ space', '/pr-42/old /new', 'paths /pr-<number>/… are where pull-request previews live'],
    ['the previews’ space, as a splat', '/pr-7/* /x', 'paths /pr-<number>/… are where pull-request previews live'],
    ['a control character', '/a\u0007 /b', 'control characters are not allowed'],
  ];

  it.each(cases)('%s', (_name, line, reason) => {
    const [problem, ...rest] = refusals(['# header', line]);
    expect(rest).toEqual([]);
    expect(problem).toContain(`2: ${reason}`);
  });

  it('a splat deeper than the edge walks is refused, the prefix counted', () => {
    expect(refusals(['/1/2/3/4/5/6/7/8/9/10/11/* /x'])).toEqual([
      '1: a splat at most 10 directories deep is supported',
    ]);
    expect(parse(['/1/2/3/4/5/6/7/8/9/10/* /x']).prefixes).toHaveLength(1);
    expect(refusals(['/1/2/3/4/5/6/7/8/9/10/* /x'], 'pr-1/')).toEqual([
      '1: a splat at most 10 directories deep (the prefix pr-1/ included) is supported',
    ]);
  });

  it('a second rule for a path is refused, naming the first (no silent first-wins)', () => {
    expect(refusals(['/a.html /b.html', '/c.html /d.html', '/a.html /e.html'])).toEqual([
      '3: a second rule for the same path: the first is line 1; keep one',
    ]);
    expect(refusals(['/old /new', '/old/ /other'])).toEqual([
      '2: a second rule for /old (with or without the trailing slash, the same path): the first is line 1; keep one',
    ]);
    expect(refusals(['/docs/* /a/:splat', '/docs/* /b/:splat'])).toEqual([
      '2: a second rule for the same path: the first is line 1; keep one',
    ]);
  });

  it('across sources, the duplicate names the other source', () => {
    try {
      parseRedirects([file('/a /b'), { name: "input 'redirects'", text: '\n/a /c', input: 'redirects' }]);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(RedirectRulesError);
      const refused = error as RedirectRulesError;
      expect(refused.problems).toEqual([
        {
          source: "input 'redirects'",
          line: 2,
          text: '/a /c',
          reason: 'a second rule for the same path: the first is _redirects line 1; keep one',
        },
      ]);
      expect(refused.input).toBe('redirects');
    }
  });

  it('an exact rule and a splat on the same directory are two rules (the exact one wins at the edge)', () => {
    expect(shape(parse(['/docs/ /manual/', '/docs/* /manual/:splat']))).toEqual({
      exact: ['/docs -> 301 /manual/', '/docs/ -> 301 /manual/'],
      prefixes: ['/docs/ -> 301 /manual/:splat'],
    });
  });

  it('reports every refused line at once, as a Refusal (nothing is deployed), with the lines marked untrusted', () => {
    try {
      parse(['/ok.html /fine.html', '/app/* /index.html 200', '# fine', '/a /b 301!', '/c /d Country=us']);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(RedirectRulesError);
      expect(error).toBeInstanceOf(Refusal);
      expect(isRefusal(error)).toBe(true);
      const refused = error as RedirectRulesError;
      expect(refused.problems.map((p) => [p.source, p.line, p.text])).toEqual([
        ['_redirects', 2, '/app/* /index.html 200'],
        ['_redirects', 4, '/a /b 301!'],
        ['_redirects', 5, '/c /d Country=us'],
      ]);
      expect(refused.message.split('\n')[0]).toBe(
        '3 redirect rules refused (nothing was deployed; see docs/redirects.md):',
      );
      expect(refused.message.split('\n')[1]).toBe(
        '  _redirects line 2: \uE000/app/* /index.html 200\uE001: rewrites and proxies (status 200) are not supported: the edge only redirects (301, 302, 307, 308)',
      );
      expect(refused.input).toBeUndefined();
    }
  });

  it('shows at most 20 problems in the message, and says how many more', () => {
    const lines = Array.from({ length: 25 }, (_, i) => `/p${i} /q 200`);
    try {
      parse(lines);
      throw new Error('not refused');
    } catch (error) {
      const message = (error as Error).message.split('\n');
      expect(message).toHaveLength(22);
      expect(message[21]).toBe('  … and 5 more');
      expect((error as RedirectRulesError).problems).toHaveLength(25);
    }
  });

  it('marks what a reason quotes from the file as untrusted (it is shown in the summary and the pull-request comment)', () => {
    try {
      parse(['/a @someone=x /b', '/c /d https://evil.example'], '');
      throw new Error('not refused');
    } catch (error) {
      expect((error as RedirectRulesError).problems.map((p) => p.reason)).toEqual([
        'query-parameter conditions (\uE000@someone=x\uE001) are not supported: the edge matches the path only, and keeps the query string',
        'unexpected field \uE000https://evil.example\uE001 (a rule is `from to [status]`)',
      ]);
    }
  });

  it('an input names itself as the input to fix', () => {
    try {
      parseRedirects({ name: "input 'redirects'", text: '/a /b 200', input: 'redirects' });
      throw new Error('not refused');
    } catch (error) {
      expect((error as RedirectRulesError).input).toBe('redirects');
    }
  });
});

describe('redirectEntries: the KeyValueStore entries', () => {
  it('a path (or the directory and *) → "<status> <to>", sorted by key', () => {
    const plan = parse(['/old.html /new.html', '/docs/* /manual/:splat 302', '/x https://example.org/ 308'], 'pr-9/');
    expect([...redirectEntries(plan)]).toEqual([
      ['/pr-9/docs/*', '302 /pr-9/manual/:splat'],
      ['/pr-9/old.html', '301 /pr-9/new.html'],
      ['/pr-9/x', '308 https://example.org/'],
      ['/pr-9/x/', '308 https://example.org/'],
    ]);
  });
});

describe('checkRedirectBudget: the store limits, checked before any write', () => {
  it('counts the entries and their bytes, the other deployments’ included', () => {
    const plan = parse(['/a.html /b.html']);
    expect(checkRedirectBudget(plan)).toEqual({ keys: 1, storeBytes: '/a.html'.length + '301 /b.html'.length });
    expect(checkRedirectBudget(plan, new Map([['/pr-1/x', '301 /pr-1/y']]))).toEqual({
      keys: 1,
      storeBytes: 7 + 11 + 7 + 11,
    });
  });

  it('refuses a key over 512 bytes, naming the rule', () => {
    const long = `/${'k'.repeat(520)}.html`;
    expect(() => checkRedirectBudget(parse(['/fine.html /x.html', `${long} /x.html`]))).toThrow(
      /^_redirects line 2: the path \uE000\/k{199}…\uE001 is 526 bytes as a KeyValueStore key; CloudFront allows 512\. Shorten it \(nothing was deployed\)\.$/,
    );
  });

  it('counts bytes, not characters (a key of 200 é is 1,201 bytes once encoded)', () => {
    const error = captureBudget(parse([`/${'é'.repeat(200)}.html /x.html`]));
    expect(error.line).toBe(1);
    expect(error.message).toContain('is 1206 bytes as a KeyValueStore key');
  });

  it('refuses a value over 1024 bytes, naming the rule', () => {
    const error = captureBudget(parse(['/a.html /b.html', `/c.html https://example.org/${'v'.repeat(1010)}`]));
    expect(error).toBeInstanceOf(RedirectBudgetError);
    expect(error).toBeInstanceOf(Refusal);
    expect([error.source, error.line]).toEqual(['_redirects', 2]);
    expect(error.message).toMatch(
      /^_redirects line 2: the target \uE000301 https:\/\/example\.org\/v+…\uE001 is 1034 bytes as a KeyValueStore value; CloudFront allows 1024\. Shorten it \(nothing was deployed\)\.$/,
    );
  });

  it('accepts a key of exactly 512 bytes and a value of exactly 1024', () => {
    const key = `/${'k'.repeat(506)}.html`; // 512 bytes
    const to = `https://e.org/${'v'.repeat(1024 - 4 - 14)}`; // "301 " + 1020 = 1024 bytes
    expect(Buffer.byteLength(key)).toBe(512);
    expect(checkRedirectBudget(parse([`${key} ${to}`])).storeBytes).toBe(512 + 1024);
  });

  it('refuses a plan that would fill the store past 5 MB, naming the first rule past the limit, in file order', () => {
    // Each rule: a 500-byte key, a 1,000-byte value ("301 https://e.org/" + 982): 1,500 bytes.
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `/${String(i).padStart(4, '0')}${'p'.repeat(490)}.html https://e.org/${'v'.repeat(982)}`,
    );
    const error = captureBudget(parse(lines));
    // 3,333 rules are 4,999,500 bytes; the 3,334th passes 5,000,000.
    expect(error.line).toBe(3334);
    expect(error.message).toMatch(
      /^_redirects line 3334: with this rule the redirects need more than 5000000 bytes, the size of a CloudFront KeyValueStore \(the plan has 5000 entries\)\. Use splat rules/,
    );
  });

  it("counts the other deployments' entries towards the 5 MB", () => {
    const others = new Map([['/pr-1/big', 'x'.repeat(KVS_LIMITS.storeBytes - 20)]]);
    const error = captureBudget(parse(['/a.html /b.html']), others);
    expect(error.line).toBe(1);
    expect(error.message).toContain('(1 entry of other deployments included; the plan has 1 entry)');
  });

  function captureBudget(plan: RedirectPlan, others?: Map<string, string>): RedirectBudgetError {
    try {
      checkRedirectBudget(plan, others);
    } catch (error) {
      if (error instanceof RedirectBudgetError) return error;
      throw error;
    }
    throw new Error('the budget passed');
  }
});

describe('keysToSync and ownedEntries: what a sync writes', () => {
  it('puts only new and changed keys, deletes only the keys that are gone', () => {
    const current = new Map([
      ['/same', '301 /x'],
      ['/changed', '301 /old'],
      ['/gone', '301 /y'],
    ]);
    const wanted = new Map([
      ['/same', '301 /x'],
      ['/changed', '302 /new'],
      ['/added', '301 /z'],
    ]);
    expect(keysToSync(current, wanted)).toEqual({
      put: [
        { key: '/added', value: '301 /z' },
        { key: '/changed', value: '302 /new' },
      ],
      delete: ['/gone'],
    });
    expect(keysToSync(wanted, wanted)).toEqual({ put: [], delete: [] });
  });

  const store = new Map([
    ['/old.html', 'a'],
    ['/docs/*', 'b'],
    ['/pr-42/old.html', 'c'],
    ['/pr-42/*', 'd'],
    ['/pr-7/x', 'e'],
    ['/docs/v1/page', 'f'],
    ['/pr-guide.html', 'g'],
    ['not-a-path', 'h'],
  ]);

  it('production owns the site’s paths but not the previews’ (/pr-<n>/…) nor keys that are not paths', () => {
    expect([...ownedEntries(store, '').keys()]).toEqual(['/old.html', '/docs/*', '/docs/v1/page', '/pr-guide.html']);
  });

  it('a preview owns its own prefix only', () => {
    expect([...ownedEntries(store, 'pr-42/').keys()]).toEqual(['/pr-42/old.html', '/pr-42/*']);
  });

  it('nested deployments keep their keys', () => {
    expect([...ownedEntries(store, '', ['docs/v1/']).keys()]).toEqual(['/old.html', '/docs/*', '/pr-guide.html']);
  });

  it('planRedirectSync: production never deletes a preview’s keys; an empty plan removes a preview’s own', () => {
    const production = planRedirectSync(store, parse(['/old.html /new.html']));
    expect(production.put).toEqual([{ key: '/old.html', value: '301 /new.html' }]);
    expect(production.delete).toEqual(['/docs/*', '/docs/v1/page', '/pr-guide.html']);
    const removed = planRedirectSync(store, emptyRedirectPlan('pr-42/'));
    expect(removed).toEqual({ put: [], delete: ['/pr-42/*', '/pr-42/old.html'], budget: { keys: 0, storeBytes: 66 } });
  });
});

describe('syncRedirects', () => {
  it('writes only the changes, with the ETag it read', async () => {
    const store = new MemoryRedirectStore(
      new Map([
        ['/keep.html', '301 /k.html'],
        ['/gone.html', '301 /g.html'],
        ['/pr-1/x', '301 /pr-1/y'],
      ]),
    );
    const result = await syncRedirects(store, parse(['/keep.html /k.html', '/new.html /n.html']));
    // 10 + 11 (/keep.html) + 9 + 11 (/new.html) + 7 + 11 (the preview's /pr-1/x, which stays)
    expect(result).toEqual({ put: 1, deleted: 1, attempts: 1, etag: 'E2', budget: { keys: 2, storeBytes: 59 } });
    expect(store.updates).toEqual([{ etag: 'E1', put: ['/new.html'], del: ['/gone.html'] }]);
    expect([...store.entries]).toEqual([
      ['/keep.html', '301 /k.html'],
      ['/pr-1/x', '301 /pr-1/y'],
      ['/new.html', '301 /n.html'],
    ]);
  });

  it('writes nothing when the store already holds the plan', async () => {
    const store = new MemoryRedirectStore(new Map([['/a.html', '301 /b.html']]));
    expect(await syncRedirects(store, parse(['/a.html /b.html']))).toMatchObject({ put: 0, deleted: 0, etag: 'E1' });
    expect(store.updates).toEqual([]);
  });

  it('on a moved ETag, reads again and recomputes the changes', async () => {
    const store = new MemoryRedirectStore();
    let once = true;
    store.interfere = (s) => {
      if (!once) return;
      once = false;
      s.entries.set('/pr-5/z', '301 /pr-5/w'); // a preview deploy got in between
      s.entries.set('/a.html', '301 /b.html'); // … and, oddly, wrote one of ours
      s.version++;
    };
    const result = await syncRedirects(store, parse(['/a.html /b.html', '/c.html /d.html']));
    expect(result).toMatchObject({ put: 1, deleted: 0, attempts: 2, etag: 'E3' });
    expect(store.updates).toEqual([
      { etag: 'E1', put: ['/a.html', '/c.html'], del: [] },
      { etag: 'E2', put: ['/c.html'], del: [] },
    ]);
    expect(store.entries.get('/pr-5/z')).toBe('301 /pr-5/w');
  });

  it('gives up after the bounded number of attempts, naming the input', async () => {
    const store = new MemoryRedirectStore();
    store.interfere = (s) => {
      s.version++;
    };
    await expect(syncRedirects(store, parse(['/a /b']), { attempts: 3 })).rejects.toThrow(
      "the redirect store (input 'redirect-store-arn') changed under this deploy 3 times in a row — another deploy or tool is writing it; re-run when it is done (some redirects may already be updated).",
    );
    expect(store.reads).toBe(3);
  });

  it('refuses a plan over the budget before any write', async () => {
    const store = new MemoryRedirectStore(new Map([['/pr-1/big', 'x'.repeat(KVS_LIMITS.storeBytes)]]));
    await expect(syncRedirects(store, parse(['/a /b']))).rejects.toBeInstanceOf(RedirectBudgetError);
    expect(store.updates).toEqual([]);
  });

  it('other errors pass through untouched, without a retry', async () => {
    const store = new MemoryRedirectStore();
    store.update = async () => {
      throw new Error('AccessDenied');
    };
    await expect(syncRedirects(store, parse(['/a /b']))).rejects.toThrow('AccessDenied');
    expect(store.reads).toBe(1);
  });
});

describe('websiteRedirects: a plain S3 website endpoint (no distribution)', () => {
  it('maps each exact 301 rule to an object with x-amz-website-redirect-location', () => {
    const plan = parse([
      '/old.html /new.html',
      '/moved /new-place/',
      '/guide/ https://docs.example.org/',
      '/café.html /cafe.html',
    ]);
    expect(websiteRedirects(plan).map((r) => [r.key, r.location, r.line])).toEqual([
      ['café.html', '/cafe.html', 4],
      ['guide', 'https://docs.example.org/', 3],
      ['guide/index.html', 'https://docs.example.org/', 3],
      ['moved', '/new-place/', 2],
      ['moved/index.html', '/new-place/', 2],
      ['old.html', '/new.html', 1],
    ]);
  });

  it('under a prefix, keys and paths carry it', () => {
    expect(websiteRedirects(parse(['/old.html /new.html'], 'pr-3/')).map((r) => [r.key, r.location])).toEqual([
      ['pr-3/old.html', '/pr-3/new.html'],
    ]);
  });

  it('refuses splats and statuses other than 301, with their lines', () => {
    try {
      websiteRedirects(parse(['/a.html /b.html', '/docs/* /manual/:splat', '/t.html /u.html 302']), {
        input: 'redirects',
      });
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(RedirectRulesError);
      expect((error as RedirectRulesError).problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([
        '2: splat rules cannot be served by an S3 website endpoint (one object per path): list the paths, or serve the site through CloudFront',
        '3: an S3 website endpoint redirects with 301 only: drop the status, or serve the site through CloudFront',
      ]);
      expect((error as RedirectRulesError).input).toBe('redirects');
    }
  });

  it('refuses a redirect that would replace a page of the build', () => {
    expect(() =>
      websiteRedirects(parse(['/about /team/']), { siteKeys: new Set(['about/index.html', 'team/index.html']) }),
    ).toThrow(/line 1: .*the build has a file at about\/index\.html: S3 holds one object per key/);
  });
});
