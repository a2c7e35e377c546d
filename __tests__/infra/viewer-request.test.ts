// The CloudFront Function terraform/functions/viewer-request.js, run in Node against cloudfront-js-2.0
// shaped events. The file is evaluated in an empty node:vm context, as CloudFront would run it: no module
// system, no Node globals, just the top-level `function handler(event)`.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

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
}) => CloudFrontRequest | CloudFrontResponse;

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

/** The function as Terraform deploys it for a distribution with this role (the same replace()). */
function handlerFor(role: 'site-and-previews' | 'site' | 'previews'): Handler {
  const source = code.replace(roleLine(), `var DISTRIBUTION_ROLE = '${role}';`);
  if (role !== 'site-and-previews' && source === code) throw new Error('the role line was not replaced');
  return vm.runInNewContext(`${source}\n;handler`, Object.create(null), { filename: FUNCTION_FILE }) as Handler;
}

beforeAll(() => {
  code = readFileSync(FUNCTION_FILE, 'utf8');
  handler = vm.runInNewContext(`${code}\n;handler`, Object.create(null), { filename: FUNCTION_FILE }) as Handler;
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
  if (result.statusCode === 301) return `301 ${result.headers.location?.value}`;
  return `${result.statusCode}`;
}

describe('viewer-request function', () => {
  it('defines a top-level handler and nothing that needs Node', () => {
    expect(typeof handler).toBe('function');
    expect(code).toMatch(/^function handler\(event\) \{$/m);
    expect(code).not.toMatch(/\brequire\(|\bimport\s|\bexport\s|\bprocess\.|module\.exports/);
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

  it.each(cases)('%s', (_name, input, expected) => {
    expect(outcome(handler(input))).toBe(expected);
  });

  it('rebuilds the query string from the cloudfront-js-2.0 object, multiValue included', () => {
    const result = handler(
      event('/a/b', 'www.example.com', {
        a: { value: '1' },
        b: { value: '2', multiValue: [{ value: '2' }, { value: '3' }] },
      }),
    );
    expect(outcome(result)).toBe('301 https://example.com/a/b?a=1&b=2&b=3');
  });

  it('keeps percent-encoded query values as the viewer sent them', () => {
    const result = handler(event('/search', 'example.com', { q: { value: 'a%20b%26c' }, lang: { value: 'en' } }));
    expect(outcome(result)).toBe('301 /search/?q=a%20b%26c&lang=en');
  });

  it('returns the request object itself, with everything but the uri untouched', () => {
    const input = event('/docs/');
    const result = handler(input);
    expect(result).toBe(input.request);
    expect(result).toMatchObject({ method: 'GET', headers: { host: { value: 'example.com' } }, querystring: {} });
  });

  it('answers 301 with a Location header and a cache lifetime', () => {
    const result = handler(event('/docs'));
    expect(isResponse(result)).toBe(true);
    expect(result).toMatchObject({ statusCode: 301, statusDescription: 'Moved Permanently' });
    expect((result as CloudFrontResponse).headers['cache-control']?.value).toMatch(/^max-age=\d+$/);
  });

  it('answers the manifest with a 404 response object carrying a body', () => {
    const result = handler(event('/.parlai-site-deploy.json.gz'));
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

  it.each(production)("production ('site'): %s", (_name, input, expected) => {
    expect(outcome(handlerFor('site')(input))).toBe(expected);
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

  it.each(previews)("previews ('previews'): %s", (_name, input, expected) => {
    expect(outcome(handlerFor('previews')(input))).toBe(expected);
  });

  it("the committed default ('site-and-previews') serves site and previews alike", () => {
    const both = handlerFor('site-and-previews');
    expect(outcome(both(event('/pr-42/')))).toBe('pass /pr-42/index.html');
    expect(outcome(both(event('/docs/')))).toBe('pass /docs/index.html');
  });

  it('stays inside the CloudFront Functions size limit in every variant', () => {
    for (const role of ['site', 'previews'] as const) {
      const source = code.replace(roleLine(), `var DISTRIBUTION_ROLE = '${role}';`);
      expect(Buffer.byteLength(source, 'utf8')).toBeLessThan(10 * 1024);
    }
  });
});
