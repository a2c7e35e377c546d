// A loopback HTTP proxy in front of the S3 server: counts requests by S3 operation and bytes sent, and can
// inject faults (status codes, connection resets, delays) into a chosen share of requests. Test and
// benchmark code only; it listens on 127.0.0.1 and forwards to 127.0.0.1.
import http from 'node:http';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS } from '../../examples/local-s3-server.mjs';

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

function errorBody(code, message) {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/**
 * Conditional writes as the S3 API reference describes them, for a server (s3rver) that has none: a PUT or
 * CompleteMultipartUpload with `If-None-Match: *` fails with 412 when the object exists; with `If-Match` it
 * fails with 412 when the ETag differs and 404 NoSuchKey when there is no object. Conditional writes to one
 * key are serialised (check, then write, one at a time), so two racing writes cannot both pass.
 * `refuse` answers 501 NotImplemented instead (Backblaze B2, Aliyun OSS); `ignore` forwards them as they are
 * (s3rver, and stores that return 200 and ignore the headers).
 */
function conditionalWrites(target, mode) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: target,
    forcePathStyle: true,
    credentials: {
      accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  const queues = new Map();
  // S3 is strongly consistent; s3rver may answer a HEAD right after a PUT with the previous metadata under
  // load. So a conditional write holds its key until a HEAD shows the new ETag (bounded: 2 s).
  const settled = async (bucket, key, etag) => {
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      if ((await currentEtag(bucket, key).catch(() => undefined)) === etag) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const currentEtag = async (bucket, key) => {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return (head.ETag ?? '').replace(/"/g, '');
    } catch (error) {
      if (error?.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  };
  return {
    /** undefined: forward now; otherwise { status, code } to answer, or { release } to call when done. */
    async check(operation, req) {
      const ifMatch = req.headers['if-match'];
      const ifNoneMatch = req.headers['if-none-match'];
      if ((operation !== 'PutObject' && operation !== 'CompleteMultipartUpload') || (!ifMatch && !ifNoneMatch)) {
        return undefined;
      }
      if (mode === 'ignore') return undefined;
      if (mode === 'refuse') return { status: 501, code: 'NotImplemented', message: 'conditional writes' };
      const path = new URL(req.url, 'http://x').pathname;
      const [, bucket, ...rest] = path.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const id = `${bucket}/${key}`;
      const previous = queues.get(id) ?? Promise.resolve();
      let release;
      const mine = new Promise((resolve) => (release = resolve));
      queues.set(
        id,
        previous.then(() => mine),
      );
      await previous;
      const etag = await currentEtag(bucket, key);
      let failure;
      if (ifNoneMatch === '*' && etag !== undefined) failure = { status: 412, code: 'PreconditionFailed' };
      if (ifMatch !== undefined) {
        if (etag === undefined) failure = { status: 404, code: 'NoSuchKey' };
        else if (String(ifMatch).replace(/"/g, '') !== etag) failure = { status: 412, code: 'PreconditionFailed' };
      }
      if (failure) {
        release();
        return { ...failure, message: 'At least one of the pre-conditions you specified did not hold' };
      }
      return {
        release: (status, responseEtag) => {
          if (status !== 200 || !responseEtag) return release();
          settled(bucket, key, String(responseEtag).replace(/"/g, '')).then(release, release);
        },
      };
    },
    close: () => client.destroy(),
  };
}

// S3 replaces an object atomically: a GET sees the old body or the new one. s3rver rewrites the file in place,
// so a GET that overlaps a PUT of the same key can read a truncated file and never finish its response (seen
// as a racing deploy waiting for ever on the manifest another run was publishing). The proxy therefore lets one
// request at a time read or write an object's body; other keys, listings and HEADs are not held.
const BODY_OPERATIONS = new Set(['GetObject', 'PutObject', 'CopyObject', 'CompleteMultipartUpload']);

function objectLocks() {
  const tails = new Map();
  /** Resolves with a release function once no earlier request on this key is in flight. */
  return (id) => {
    const previous = tails.get(id) ?? Promise.resolve();
    let release;
    const mine = new Promise((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(id, tail);
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      release();
      if (tails.get(id) === tail) tails.delete(id);
    };
    return previous.then(() => done);
  };
}

function objectId(url) {
  const path = new URL(url, 'http://x').pathname;
  const [, bucket, ...rest] = path.split('/');
  return rest.length ? `${bucket}/${decodeURIComponent(rest.join('/'))}` : undefined;
}

/**
 * startS3Proxy({ target: 'http://127.0.0.1:PORT', conditional?: 'honour' | 'refuse' | 'ignore', fault?: (request) => undefined | { status, code, delayMs? } | 'reset' | { delayMs } | { until: Promise } })
 * → { endpoint, counts, bytesIn, requests, writes(), reset(), close() }
 * `request` passed to fault is { operation, method, url, headers, index } (index counts all requests).
 */
export async function startS3Proxy({ target, fault, conditional = 'ignore' } = {}) {
  const upstream = new URL(target);
  const conditions = conditionalWrites(target, conditional);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const lock = objectLocks();
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
        const body = errorBody(injected.code, 'injected by the test proxy');
        // With `delayMs` too, the error comes a round trip late, as a real store's would.
        setTimeout(() => {
          res.writeHead(injected.status, {
            'content-type': 'application/xml',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        }, injected.delayMs ?? 0);
        return;
      }
      const send = async (release) => {
        const id = BODY_OPERATIONS.has(operation) ? objectId(req.url) : undefined;
        const unlock = id ? await lock(id) : () => undefined;
        if (res.destroyed) {
          release?.();
          unlock();
          return;
        }
        res.on('close', unlock);
        const headers = { ...req.headers, host: upstream.host };
        const proxied = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
          (upstreamResponse) => {
            res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
            upstreamResponse.pipe(res);
            upstreamResponse.on('end', () => release?.(upstreamResponse.statusCode, upstreamResponse.headers.etag));
            // A response cut short upstream is cut short here too, so the client retries instead of waiting.
            upstreamResponse.on('error', () => {
              release?.();
              res.destroy();
            });
          },
        );
        // A request the upstream does not answer within 30 s fails, so no test waits for ever.
        proxied.setTimeout(30_000, () => proxied.destroy(new Error('upstream timeout')));
        proxied.on('error', () => {
          release?.();
          unlock();
          res.destroy();
        });
        proxied.end(Buffer.concat(chunks));
      };
      const forward = () => {
        conditions.check(operation, req).then(
          (verdict) => {
            if (verdict && verdict.status) {
              const body = errorBody(verdict.code, verdict.message);
              res.writeHead(verdict.status, {
                'content-type': 'application/xml',
                'content-length': Buffer.byteLength(body),
              });
              res.end(body);
              return;
            }
            send(verdict?.release);
          },
          () => res.destroy(),
        );
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
      conditions.close();
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
