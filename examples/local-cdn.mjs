// A tiny local stand-in for the CloudFront distribution of terraform/: an HTTP front on 127.0.0.1 that serves a
// bucket of the local S3 server the way the CDN serves the real one, for the demo.
//
// - Every request goes through the module's own CloudFront Function, terraform/functions/viewer-request.js,
//   evaluated in an empty node:vm context as CloudFront runs it: "/about/" is served from "about/index.html",
//   "/docs" is redirected to "/docs/", the deploy manifest is answered with 404. Its first line, the import of
//   CloudFront's `cloudfront` module (whose cf.kvs() is the redirect store), is swapped for an in-memory store:
//   empty unless `redirects` (key → "<status> <target>", docs/redirects.md) is given.
// - Then it is proxied to the bucket (path-style, anonymous GET/HEAD, which s3rver allows).
// - A 403 or 404 from the bucket is answered with the bucket's /404.html and status 404, as the
//   distribution's custom_error_response blocks do.
// It does not cache: what the deploy uploads is visible at once (the CloudFront stand-in prints the
// invalidation the real CDN would get instead).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const VIEWER_REQUEST_FUNCTION = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../terraform/functions/viewer-request.js',
);

const IMPORT_LINE = "import cf from 'cloudfront';";

/**
 * The CloudFront Function's (async) handler, run as CloudFront runs it: no modules, no Node globals; its key
 * value store is `redirects` in memory, whose get() rejects for an absent key as CloudFront's does.
 */
export function loadViewerRequest(file = VIEWER_REQUEST_FUNCTION, redirects = new Map()) {
  const source = readFileSync(file, 'utf8');
  const store = {
    get: async (key) => {
      if (!redirects.has(key)) throw new Error(`Key ${key} not found`);
      return redirects.get(key);
    },
  };
  const script = source.startsWith(IMPORT_LINE) ? `var cf = __cloudfront;${source.slice(IMPORT_LINE.length)}` : source;
  const context = Object.assign(Object.create(null), { __cloudfront: { kvs: () => store } });
  return vm.runInNewContext(`${script}\n;handler`, context, { filename: file });
}

/** The cloudfront-js-2.0 event for a Node request. */
function viewerEvent(req) {
  const url = new URL(req.url ?? '/', 'http://front');
  const querystring = {};
  for (const [key, value] of url.searchParams) {
    const entry = querystring[key];
    if (!entry) querystring[key] = { value };
    else (entry.multiValue ??= [{ value: entry.value }]).push({ value });
  }
  const headers = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = { value: Array.isArray(value) ? value.join(',') : (value ?? '') };
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionDomainName: req.headers.host ?? '127.0.0.1' },
    viewer: { ip: req.socket.remoteAddress ?? '127.0.0.1' },
    request: { method: req.method ?? 'GET', uri: url.pathname, querystring, headers, cookies: {} },
  };
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'accept-ranges',
];

/**
 * startLocalCdn({ s3Endpoint, bucket, port?, onRequest?, redirects? }) → { url, close() }
 * `onRequest({ method, url, key, status })` is called for each request answered (key: the S3 key served).
 */
export async function startLocalCdn({ s3Endpoint, bucket, port = 0, onRequest, redirects }) {
  const handler = loadViewerRequest(VIEWER_REQUEST_FUNCTION, redirects);
  const origin = new URL(s3Endpoint);

  /** GET/HEAD of one key from the bucket: resolves to the upstream response (not yet read). */
  const fetchKey = (method, uri) =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: origin.hostname, port: origin.port, method, path: `/${bucket}${uri}` },
        resolve,
      );
      upstream.setTimeout(10_000, () => upstream.destroy(new Error('the S3 server did not answer within 10 s')));
      upstream.on('error', reject);
      upstream.end();
    });

  const server = http.createServer(async (req, res) => {
    const log = (status, key) => onRequest?.({ method: req.method, url: req.url, key, status });
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('Method Not Allowed\n');
        return log(405);
      }
      const result = await handler(viewerEvent(req));
      if (result.statusCode) {
        // Answered by the function itself (a redirect, or 404 for the manifest).
        const headers = {};
        for (const [name, { value }] of Object.entries(result.headers ?? {})) headers[name] = value;
        res.writeHead(result.statusCode, headers);
        res.end(req.method === 'HEAD' ? undefined : (result.body?.data ?? ''));
        return log(result.statusCode);
      }
      let status = 200;
      let uri = result.uri;
      let upstream = await fetchKey(req.method, uri);
      if (upstream.statusCode === 403 || upstream.statusCode === 404) {
        upstream.resume();
        status = 404;
        uri = '/404.html';
        upstream = await fetchKey(req.method, uri);
        if (upstream.statusCode !== 200) {
          upstream.resume();
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(req.method === 'HEAD' ? undefined : 'Not Found\n');
          return log(404);
        }
      } else if (upstream.statusCode !== 200) {
        status = upstream.statusCode ?? 502;
      }
      const headers = { via: '1.1 parlai-site-deploy-demo (local CDN stand-in, not cached)' };
      for (const name of PASSED_HEADERS) if (upstream.headers[name]) headers[name] = upstream.headers[name];
      res.writeHead(status, headers);
      upstream.pipe(res);
      log(status, safeDecode(uri.slice(1)));
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Bad Gateway: ${error.message}\n`);
      log(502);
    }
  });
  server.requestTimeout = 10_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
