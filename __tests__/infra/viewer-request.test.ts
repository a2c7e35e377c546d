// The CloudFront Function terraform/functions/viewer-request.js, run in Node against cloudfront-js-2.0
// shaped events. The file is evaluated in an empty node:vm context, as CloudFront would run it: no module
// system, no Node globals, just the top-level `async function handler(event)`. Its one import — the
// `cloudfront` module, whose cf.kvs() opens the key value store associated with the function — is swapped
// for an in-memory store that behaves as CloudFront's does: get() resolves to the value, and rejects for an
// absent key.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { MAX_SPLAT_DEPTH, parseRedirects, redirectEntries } from '../../src/pipeline/redirects.js';

interface QueryValue {
  value: string;
  multiValue?: Array<{ value: string }>;
}

interface CloudFrontRequest {
  method: string;
  uri: string;
  querystring: Record<string, QueryValue>;
  headers: Record<string, { value: string }>;
  cookies: Record<string, { value: string }>;
}

interface CloudFrontResponse {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, { value: string }>;
  body?: { encoding: string; data: string };
}

type Handler = (event: {
  version: string;
  context: Record<string, string>;
  viewer: { ip: string };
  request: CloudFrontRequest;
}) => Promise<CloudFrontRequest | CloudFrontResponse>;

const IMPORT_LINE = "import cf from 'cloudfront';";

/** CloudFront's key value store as cf.kvs() returns it, in memory; counts the reads. */
class MemoryKvs {
  reads: string[] = [];
  constructor(
    readonly entries: Map<string, string> = new Map(),
    readonly failing = false,
  ) {}
  async get(key: string): Promise<string> {
    this.reads.push(key);
    if (this.failing) throw new Error('KeyValueStore unavailable');
    const value = this.entries.get(key);
    if (value === undefined) throw new Error(`Key ${key} not found`);
    return value;
  }
}

const FUNCTION_FILE = path.resolve(process.cwd(), 'terraform', 'functions', 'viewer-request.js');
const CLOUDFRONT_TF = path.resolve(process.cwd(), 'terraform', 'cloudfront.tf');
let code = '';
let handler: Handler;

/** The role line Terraform looks for and rewrites per distribution (local.function_role_line). */
function roleLine(): string {
  const match = /function_role_line\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(readFileSync(CLOUDFRONT_TF, 'utf8'));
  if (!match) throw new Error('local.function_role_line not found in terraform/cloudfront.tf');
  return match[1] as string;
}

/** The lines Terraform replaces with `var kvs = null;` when redirects = false (local.function_store_lines). */
function storeLines(): string {
  const match = /function_store_lines\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(readFileSync(CLOUDFRONT_TF, 'utf8'));
  if (!match) throw new Error('local.function_store_lines not found in terraform/cloudfront.tf');
  return (match[1] as string).replace(/\\n/g, '\n');
}

/** Runs the file in an empty context, the cloudfront module's import replaced by one giving `store`. */
function load(source: string, store?: MemoryKvs): Handler {
  const context = Object.create(null) as Record<string, unknown>;
  let script = source;
  if (store) {
    if (!source.startsWith(`${IMPORT_LINE}\n`)) throw new Error('the function does not start with its import');
    script = `var cf = __cloudfront;${source.slice(IMPORT_LINE.length)}`;
    context.__cloudfront = { kvs: () => store };
  }
  return vm.runInNewContext(`${script}\n;handler`, context, { filename: FUNCTION_FILE }) as Handler;
}

/** The function as Terraform deploys it for a distribution with this role (the same replace()). */
function handlerFor(role: 'site-and-previews' | 'site' | 'previews', store = new MemoryKvs()): Handler {
  const source = code.replace(roleLine(), `var DISTRIBUTION_ROLE = '${role}';`);
  if (role !== 'site-and-previews' && source === code) throw new Error('the role line was not replaced');
  return load(source, store);
}

beforeAll(() => {
  code = readFileSync(FUNCTION_FILE, 'utf8');
  handler = load(code, new MemoryKvs());
});

/** A viewer-request event as cloudfront-js-2.0 builds it. `target` may carry a query string. */
function event(target: string, host = 'example.com', querystring?: Record<string, QueryValue>) {
  const [uri = '/', query] = target.split('?', 2);
  const parsed: Record<string, QueryValue> = {};
  if (query !== undefined) {
    for (const part of query.split('&')) {
      const [key = '', value = ''] = part.split('=', 2);
      const existing = parsed[key];
      if (existing) {
        existing.multiValue ??= [{ value: existing.value }];
        existing.multiValue.push({ value });
      } else {
        parsed[key] = { value };
      }
    }
  }
  return {
    version: '1.0',
    context: {
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      eventType: 'viewer-request',
      requestId: 'test',
    },
    viewer: { ip: '192.0.2.10' },
    request: {
      method: 'GET',
      uri,
      querystring: querystring ?? parsed,
      headers: { host: { value: host }, accept: { value: 'text/html' } },
      cookies: {},
    },
  };
}

function isResponse(result: CloudFrontRequest | CloudFrontResponse): result is CloudFrontResponse {
  return 'statusCode' in result;
}

/** What the function did, in one comparable shape. */
function outcome(result: CloudFrontRequest | CloudFrontResponse): string {
  if (!isResponse(result)) return `pass ${result.uri}`;
  if ([301, 302, 307, 308].includes(result.statusCode)) return `${result.statusCode} ${result.headers.location?.value}`;
  return `${result.statusCode}`;
}

describe('viewer-request function', () => {
  it('defines a top-level async handler; its only import is the cloudfront module, on the first line', () => {
    expect(typeof handler).toBe('function');
    expect(code).toMatch(/^async function handler\(event\) \{$/m);
    expect(code.split('\n')[0]).toBe(IMPORT_LINE);
    expect(code.split('\n')[1]).toBe('var kvs = cf.kvs();');
    const rest = code.split('\n').slice(1).join('\n');
    expect(rest).not.toMatch(/\brequire\(|\bimport\s|\bexport\s|\bprocess\.|module\.exports/);
  });

  it('fits the CloudFront Functions code size limit (10 KB)', () => {
    expect(Buffer.byteLength(code, 'utf8')).toBeLessThan(10 * 1024);
  });

  const cases: Array<[string, ReturnType<typeof event>, string]> = [
    ['/ is served from /index.html', event('/'), 'pass /index.html'],
    ['/docs/ is served from /docs/index.html', event('/docs/'), 'pass /docs/index.html'],
    ['nested directory', event('/docs/tutorials/'), 'pass /docs/tutorials/index.html'],
    ['/docs redirects to /docs/', event('/docs'), '301 /docs/'],
    ['/docs?x=1 redirects to /docs/?x=1', event('/docs?x=1'), '301 /docs/?x=1'],
    ['/docs/page.html passes unchanged', event('/docs/page.html'), 'pass /docs/page.html'],
    ['/file.css passes unchanged', event('/file.css'), 'pass /file.css'],
    ['/404.html passes unchanged', event('/404.html'), 'pass /404.html'],
    ['preview prefix /pr-42/ is served from /pr-42/index.html', event('/pr-42/'), 'pass /pr-42/index.html'],
    ['preview prefix /pr-42 redirects to /pr-42/', event('/pr-42'), '301 /pr-42/'],
    ['page inside a preview prefix passes unchanged', event('/pr-42/docs/page.html'), 'pass /pr-42/docs/page.html'],
    ['a dot in a directory but not in the last segment redirects', event('/v1.2/guide'), '301 /v1.2/guide/'],
    [
      'a dot in a directory and a trailing slash serves the index',
      event('/v1.2/guide/'),
      'pass /v1.2/guide/index.html',
    ],
    [
      'www. host redirects to the apex with path and query',
      event('/a/b?q=1&r=2', 'www.example.com'),
      '301 https://example.com/a/b?q=1&r=2',
    ],
    ['www. host without path or query', event('/', 'www.example.com'), '301 https://example.com/'],
    ['www. host is matched case-insensitively', event('/x', 'WWW.Example.com'), '301 https://example.com/x'],
    [
      'www. redirect keeps every value of a repeated parameter',
      event('/s?a=1&b=2&b=3', 'www.example.com'),
      '301 https://example.com/s?a=1&b=2&b=3',
    ],
    [
      'the trailing-slash redirect keeps every value of a repeated parameter',
      event('/docs?tag=a&tag=b&x=1'),
      '301 /docs/?tag=a&tag=b&x=1',
    ],
    ['a parameter without a value stays bare', event('/docs?flag'), '301 /docs/?flag'],
    ['apex host is not redirected', event('/docs/page.html', 'example.com'), 'pass /docs/page.html'],
    ['a host merely containing www. is not redirected', event('/x.html', 'notwww.example.com'), 'pass /x.html'],
    ['the deploy manifest at the root is 404', event('/.parlai-site-deploy.json.gz'), '404'],
    ['the deploy manifest under a preview prefix is 404', event('/pr-42/.parlai-site-deploy.json.gz'), '404'],
    ['the deploy manifest deep down is 404', event('/a/b/c/.parlai-site-deploy.json.gz'), '404'],
    ['a percent-encoded manifest name is 404 too', event('/%2Eparlai-site-deploy.json.gz'), '404'],
    [
      'a file that only resembles the manifest passes',
      event('/x.parlai-site-deploy.json.gz'),
      'pass /x.parlai-site-deploy.json.gz',
    ],
    ['a protocol-relative trick cannot redirect off-site', event('//evil.example'), 'pass //evil.example'],
    ['a double-slash path redirects to a same-site path', event('//evil'), '301 /evil/'],
    ['a backslash path redirects to a same-site path', event('/\\evil'), '301 /evil/'],
  ];

  it.each(cases)('%s', async (_name, input, expected) => {
    expect(outcome(await handler(input))).toBe(expected);
  });

  it('rebuilds the query string from the cloudfront-js-2.0 object, multiValue included', async () => {
    const result = await handler(
      event('/a/b', 'www.example.com', {
        a: { value: '1' },
        b: { value: '2', multiValue: [{ value: '2' }, { value: '3' }] },
      }),
    );
    expect(outcome(result)).toBe('301 https://example.com/a/b?a=1&b=2&b=3');
  });

  it('keeps percent-encoded query values as the viewer sent them', async () => {
    const result = await handler(event('/search', 'example.com', { q: { value: 'a%20b%26c' }, lang: { value: 'en' } }));
    expect(outcome(result)).toBe('301 /search/?q=a%20b%26c&lang=en');
  });

  it('returns the request object itself, with everything but the uri untouched', async () => {
    const input = event('/docs/');
    const result = await handler(input);
    expect(result).toBe(input.request);
    expect(result).toMatchObject({ method: 'GET', headers: { host: { value: 'example.com' } }, querystring: {} });
  });

  it('answers 301 with a Location header and a cache lifetime', async () => {
    const result = await handler(event('/docs'));
    expect(isResponse(result)).toBe(true);
    expect(result).toMatchObject({ statusCode: 301, statusDescription: 'Moved Permanently' });
    expect((result as CloudFrontResponse).headers['cache-control']?.value).toMatch(/^max-age=\d+$/);
  });

  it('answers the manifest with a 404 response object carrying a body', async () => {
    const result = await handler(event('/.parlai-site-deploy.json.gz'));
    expect(result).toMatchObject({
      statusCode: 404,
      statusDescription: 'Not Found',
      body: { encoding: 'text', data: 'Not Found\n' },
    });
  });
});

describe('viewer-request function with a preview distribution (DISTRIBUTION_ROLE, rewritten by Terraform)', () => {
  it('the committed file carries the exact role line terraform/cloudfront.tf replaces', () => {
    expect(roleLine()).toBe("var DISTRIBUTION_ROLE = 'site-and-previews';");
    expect(code.split('\n')).toContain(roleLine());
  });

  const production: Array<[string, ReturnType<typeof event>, string]> = [
    ['site pages are served', event('/docs/'), 'pass /docs/index.html'],
    ['the root is served', event('/'), 'pass /index.html'],
    ['a preview index is 404', event('/pr-42/'), '404'],
    ['a preview page is 404', event('/pr-42/docs/page.html'), '404'],
    ['a preview root without slash is 404 (not redirected)', event('/pr-42'), '404'],
    ['a percent-encoded preview path is 404 too', event('/pr%2D42/index.html'), '404'],
    ['a page merely starting with pr- is served', event('/pr-guide.html'), 'pass /pr-guide.html'],
    ['a directory pr-x (not a number) is served', event('/pr-x/'), 'pass /pr-x/index.html'],
    ['www. still redirects to the apex', event('/pr-1/', 'www.example.com'), '301 https://example.com/pr-1/'],
  ];

  it.each(production)("production ('site'): %s", async (_name, input, expected) => {
    expect(outcome(await handlerFor('site')(input))).toBe(expected);
  });

  const previews: Array<[string, ReturnType<typeof event>, string]> = [
    ['a preview index is served', event('/pr-42/', 'd222.cloudfront.net'), 'pass /pr-42/index.html'],
    ['a preview page is served', event('/pr-42/docs/page.html'), 'pass /pr-42/docs/page.html'],
    ['a preview root redirects to its slash form', event('/pr-42'), '301 /pr-42/'],
    ['a preview directory redirects to its slash form', event('/pr-42/docs'), '301 /pr-42/docs/'],
    ['the site root is 404', event('/'), '404'],
    ['a site page is 404', event('/docs/page.html'), '404'],
    ['the site 404 page is not served directly', event('/404.html'), '404'],
    ['pr- without a number is 404', event('/pr-x/'), '404'],
    ['a path that only contains a preview prefix is 404', event('/a/pr-1/'), '404'],
    ['the manifest inside a preview is still 404', event('/pr-42/.parlai-site-deploy.json.gz'), '404'],
    [
      'a percent-encoded preview path is served as the key S3 decodes',
      event('/pr%2D42/x.html'),
      'pass /pr%2D42/x.html',
    ],
  ];

  it.each(previews)("previews ('previews'): %s", async (_name, input, expected) => {
    expect(outcome(await handlerFor('previews')(input))).toBe(expected);
  });

  it("the committed default ('site-and-previews') serves site and previews alike", async () => {
    const both = handlerFor('site-and-previews');
    expect(outcome(await both(event('/pr-42/')))).toBe('pass /pr-42/index.html');
    expect(outcome(await both(event('/docs/')))).toBe('pass /docs/index.html');
  });

  it('stays inside the CloudFront Functions size limit in every variant', () => {
    for (const role of ['site', 'previews'] as const) {
      const source = code.replace(roleLine(), `var DISTRIBUTION_ROLE = '${role}';`);
      expect(Buffer.byteLength(source, 'utf8')).toBeLessThan(10 * 1024);
    }
  });
});

describe('viewer-request function: redirects from the key value store (step 2c)', () => {
  /** The store the deploy action writes for these `_redirects` lines (redirects.ts), under `prefix`. */
  function storeFor(lines: string[], prefix = ''): MemoryKvs {
    return new MemoryKvs(redirectEntries(parseRedirects({ name: '_redirects', text: lines.join('\n') }, { prefix })));
  }

  const RULES = [
    '/old.html            /new.html',
    '/moved-dir           /new-dir/',
    '/temporary           /elsewhere.html   302',
    '/keep-method         /other.html       307',
    '/keep-method-forever /other.html       308',
    '/docs/*              /manual/:splat',
    '/docs/v1/*           /docs/v2/:splat',
    '/docs/v1/special     /special.html',
    '/blog/*              https://blog.example.org/:splat 302',
    '/search              /find?src=old',
    '/anchor              /page.html#top',
    '/go/*                /:splat',
    '/café.html           /cafe.html',
  ];
  const store = storeFor(RULES);
  let site: Handler;
  beforeAll(() => {
    site = load(code, store);
  });

  const cases: Array<[string, ReturnType<typeof event>, string]> = [
    ['an exact rule (301 by default)', event('/old.html'), '301 /new.html'],
    ['302', event('/temporary'), '302 /elsewhere.html'],
    ['307', event('/keep-method'), '307 /other.html'],
    ['308', event('/keep-method-forever'), '308 /other.html'],
    ['a directory-like rule covers its trailing-slash form', event('/moved-dir/'), '301 /new-dir/'],
    ['… and the form as written', event('/moved-dir'), '301 /new-dir/'],
    ['a splat passes on what * matched', event('/docs/guide/intro.html'), '301 /manual/guide/intro.html'],
    ['the longest splat prefix wins', event('/docs/v1/a/b.html'), '301 /docs/v2/a/b.html'],
    ['an exact rule wins over a splat', event('/docs/v1/special'), '301 /special.html'],
    ['a splat matches its directory itself', event('/docs/v1/'), '301 /docs/v2/'],
    ['… and the directory without its slash', event('/docs/v1'), '301 /docs/v2/'],
    ['the query string is kept', event('/old.html?a=1&b=2&b=3'), '301 /new.html?a=1&b=2&b=3'],
    ['a splat keeps it too', event('/docs/x?q=1'), '301 /manual/x?q=1'],
    ["added to the target's own query", event('/search?q=word'), '301 /find?src=old&q=word'],
    ['put before the fragment', event('/anchor?q=1'), '301 /page.html?q=1#top'],
    ['an absolute target', event('/blog/2024/post/'), '302 https://blog.example.org/2024/post/'],
    ['a percent-encoded path, as browsers send it', event('/caf%C3%A9.html'), '301 /cafe.html'],
    ['a splat cannot make a protocol-relative Location', event('/go//evil.example/'), '301 /evil.example/'],
    ['no rule: the index rewrite as before', event('/guide/'), 'pass /guide/index.html'],
    ['no rule: the trailing-slash redirect as before', event('/guide'), '301 /guide/'],
    ['no rule: a file passes as before', event('/new.html'), 'pass /new.html'],
    ['rules match the path exactly (case)', event('/OLD.html'), 'pass /OLD.html'],
    ['www. still goes to the apex first', event('/old.html', 'www.example.com'), '301 https://example.com/old.html'],
    ['the manifest is still 404 inside a redirected directory', event('/docs/.parlai-site-deploy.json.gz'), '404'],
  ];

  it.each(cases)('%s', async (_name, input, expected) => {
    expect(outcome(await site(input))).toBe(expected);
  });

  it('answers with the status text, the Location and a cache lifetime by kind', async () => {
    const permanent = (await site(event('/old.html'))) as CloudFrontResponse;
    expect(permanent).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/new.html' }, 'cache-control': { value: 'max-age=3600' } },
    });
    const temporary = (await site(event('/temporary'))) as CloudFrontResponse;
    expect(temporary).toEqual({
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: '/elsewhere.html' }, 'cache-control': { value: 'no-store' } },
    });
    expect(((await site(event('/keep-method'))) as CloudFrontResponse).statusDescription).toBe('Temporary Redirect');
    expect(((await site(event('/keep-method-forever'))) as CloudFrontResponse).statusDescription).toBe(
      'Permanent Redirect',
    );
  });

  it('reads the exact key, then one splat key per directory from the deepest up: O(segments)', async () => {
    const empty = new MemoryKvs();
    const run = load(code, empty);
    expect(outcome(await run(event('/a/b/c/page.html')))).toBe('pass /a/b/c/page.html');
    expect(empty.reads).toEqual(['/a/b/c/page.html', '/a/b/c/page.html/*', '/a/b/c/*', '/a/b/*', '/a/*', '/*']);

    empty.reads = [];
    await run(event('/'));
    expect(empty.reads).toEqual(['/', '/*']);
  });

  it(`walks at most ${MAX_SPLAT_DEPTH} directories deep (the same limit as the deploy action's)`, async () => {
    expect(code).toContain(`var MAX_SPLAT_DEPTH = ${MAX_SPLAT_DEPTH};`);
    const empty = new MemoryKvs();
    const deep = `/${Array.from({ length: 20 }, (_, i) => `d${i}`).join('/')}/`;
    await load(code, empty)(event(deep));
    expect(empty.reads).toHaveLength(1 + MAX_SPLAT_DEPTH + 1);
    expect(empty.reads[1]).toBe('/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/*');
    expect(empty.reads.at(-1)).toBe('/*');
  });

  it('stops at the first splat found', async () => {
    const reads = storeFor(['/docs/* /manual/:splat']);
    await load(code, reads)(event('/docs/a/b/c.html'));
    expect(reads.reads).toEqual(['/docs/a/b/c.html', '/docs/a/b/c.html/*', '/docs/a/b/*', '/docs/a/*', '/docs/*']);
  });

  it('makes no read for a URI longer than a key can be (512 bytes)', async () => {
    const empty = new MemoryKvs();
    const long = `/${'x'.repeat(600)}.html`;
    expect(outcome(await load(code, empty)(event(long)))).toBe(`pass ${long}`);
    expect(empty.reads).toEqual([]);
  });

  it('falls through when the store fails or holds a value it does not understand', async () => {
    expect(outcome(await load(code, new MemoryKvs(new Map(), true))(event('/old.html')))).toBe('pass /old.html');
    const odd = new MemoryKvs(
      new Map([
        ['/a.html', '200 /b.html'],
        ['/c.html', '301/d.html'],
        ['/e.html', 'x'],
      ]),
    );
    const run = load(code, odd);
    for (const uri of ['/a.html', '/c.html', '/e.html']) expect(outcome(await run(event(uri)))).toBe(`pass ${uri}`);
  });

  it("a root splat redirects the site, and on the shared distribution never a preview's paths", async () => {
    const everything = storeFor(['/* https://new.example.org/:splat']);
    const run = load(code, everything);
    expect(outcome(await run(event('/any/page.html?x=1')))).toBe('301 https://new.example.org/any/page.html?x=1');
    expect(outcome(await run(event('/')))).toBe('301 https://new.example.org/');
    everything.reads = [];
    expect(outcome(await run(event('/pr-42/page.html')))).toBe('pass /pr-42/page.html');
    expect(everything.reads).toEqual(['/pr-42/page.html', '/pr-42/page.html/*', '/pr-42/*']);
  });

  it("a preview's rules carry its prefix, in its own part of the store", async () => {
    const preview = storeFor(['/old.html /new.html', '/api/* https://api.example.org/:splat', '/* /:splat'], 'pr-42/');
    expect([...preview.entries.keys()]).toEqual(['/pr-42/*', '/pr-42/api/*', '/pr-42/old.html']);
    for (const role of ['site-and-previews', 'previews'] as const) {
      const run = handlerFor(role, preview);
      expect(outcome(await run(event('/pr-42/old.html')))).toBe('301 /pr-42/new.html');
      expect(outcome(await run(event('/pr-42/api/v1/x')))).toBe('301 https://api.example.org/v1/x');
    }
  });

  it("production ('site') answers preview paths with 404 before any read", async () => {
    const preview = storeFor(['/old.html /new.html'], 'pr-42/');
    const run = handlerFor('site', preview);
    expect(outcome(await run(event('/pr-42/old.html')))).toBe('404');
    expect(preview.reads).toEqual([]);
  });

  it("the preview distribution ('previews') answers site paths with 404 before any read", async () => {
    const production = storeFor(['/old.html /new.html']);
    const run = handlerFor('previews', production);
    expect(outcome(await run(event('/old.html')))).toBe('404');
    expect(production.reads).toEqual([]);
  });

  it('with redirects = false (no store: the two lines become `var kvs = null;`) it behaves as before, reading nothing', async () => {
    const lines = storeLines();
    expect(lines).toBe(`${IMPORT_LINE}\nvar kvs = cf.kvs();\n`);
    expect(code.startsWith(lines)).toBe(true);
    const plain = load(code.replace(lines, 'var kvs = null;\n'));
    expect(outcome(await plain(event('/old.html')))).toBe('pass /old.html');
    expect(outcome(await plain(event('/docs')))).toBe('301 /docs/');
    expect(outcome(await plain(event('/docs/')))).toBe('pass /docs/index.html');
    expect(outcome(await plain(event('/x', 'www.example.com')))).toBe('301 https://example.com/x');
  });
});
