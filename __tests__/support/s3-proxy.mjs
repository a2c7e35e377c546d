// A loopback HTTP proxy in front of the S3 server: counts requests by S3 operation and bytes sent, and can
// inject faults (status codes, connection resets, delays) into a chosen share of requests. Test and
// benchmark code only; it listens on 127.0.0.1 and forwards to 127.0.0.1.
import http from 'node:http';

/** The S3 operation a request performs, from its method, query and headers. */
export function classify(method, url, headers) {
  const query = new URL(url, 'http://x').searchParams;
  if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
  if (method === 'GET' && query.has('list-type') === false && /^\/[^/]+\/?$/.test(new URL(url, 'http://x').pathname))
    return 'ListObjects';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'PUT' && headers['x-amz-copy-source']) return 'CopyObject';
  if (method === 'PUT' && query.has('partNumber')) return 'UploadPart';
  if (method === 'PUT') return 'PutObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'DELETE') return 'DeleteObject';
  return `${method} other`;
}

export const WRITE_OPERATIONS = new Set([
  'PutObject',
  'CopyObject',
  'UploadPart',
  'CreateMultipartUpload',
  'CompleteMultipartUpload',
  'DeleteObjects',
  'DeleteObject',
]);

/**
 * startS3Proxy({ target: 'http://127.0.0.1:PORT', fault?: (request) => undefined | { status, code } | 'reset' | { delayMs } | { until: Promise } })
 * → { endpoint, counts, bytesIn, requests, writes(), reset(), close() }
 * `request` passed to fault is { operation, method, url, headers, index } (index counts all requests).
 */
export async function startS3Proxy({ target, fault } = {}) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const state = { counts: {}, bytesIn: 0, requests: [] };
  let index = 0;
  const server = http.createServer((req, res) => {
    const operation = classify(req.method, req.url, req.headers);
    const request = { operation, method: req.method, url: req.url, headers: req.headers, index: index++ };
    const injected = fault ? fault(request) : undefined;
    const chunks = [];
    req.on('data', (chunk) => {
      chunks.push(chunk);
      state.bytesIn += chunk.length;
    });
    req.on('end', () => {
      state.counts[operation] = (state.counts[operation] ?? 0) + 1;
      const label = !injected
        ? undefined
        : typeof injected === 'string'
          ? injected
          : (injected.code ?? (injected.until ? 'held' : `delay ${injected.delayMs}`));
      state.requests.push({ operation, method: req.method, url: req.url, injected: label });
      if (injected === 'reset') {
        req.socket.destroy();
        return;
      }
      if (injected && injected.status) {
        const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${injected.code}</Code><Message>injected by the test proxy</Message></Error>`;
        res.writeHead(injected.status, {
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      const forward = () => {
        const headers = { ...req.headers, host: upstream.host };
        const proxied = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
          (upstreamResponse) => {
            res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
            upstreamResponse.pipe(res);
          },
        );
        // A request the upstream does not answer within 30 s fails, so no test waits for ever.
        proxied.setTimeout(30_000, () => proxied.destroy(new Error('upstream timeout')));
        proxied.on('error', () => res.destroy());
        proxied.end(Buffer.concat(chunks));
      };
      if (injected && injected.until) injected.until.then(forward, forward);
      else if (injected && injected.delayMs) setTimeout(forward, injected.delayMs);
      else forward();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get counts() {
      return state.counts;
    },
    get bytesIn() {
      return state.bytesIn;
    },
    get requests() {
      return state.requests;
    },
    /** How many requests changed the bucket. */
    writes() {
      return Object.entries(state.counts).reduce(
        (sum, [operation, count]) => sum + (WRITE_OPERATIONS.has(operation) ? count : 0),
        0,
      );
    },
    reset() {
      state.counts = {};
      state.bytesIn = 0;
      state.requests = [];
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
