// A loopback stand-in for the CloudFront KeyValueStore API (there is no emulator), for the demo and the tests
// (which import it through __tests__/support/keyvaluestore-stub.ts); the action reaches it through
// AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: the REST-JSON wire
// protocol of the SDK's model (service cloudfront-keyvaluestore, 2022-07-26) for the three operations the
// redirect sync calls, with ETag semantics:
//   GET  /key-value-stores/{KvsARN}                         DescribeKeyValueStore → JSON + ETag header
//   GET  /key-value-stores/{KvsARN}/keys?MaxResults&NextToken   ListKeys → { Items: [{Key, Value}], NextToken }
//   POST /key-value-stores/{KvsARN}/keys  If-Match: <etag>   UpdateKeys { Puts, Deletes } → JSON + new ETag
// A wrong If-Match is a ConflictException (409); more than 50 keys in one UpdateKeys, a key over 512 bytes or
// a value over 1 KB a ValidationException (400); a store past 5 MB a ServiceQuotaExceededException (402);
// another ARN a ResourceNotFoundException (404). It listens on 127.0.0.1 only, and closes itself after
// `lifetimeMs` (30 s) whatever happens.
import http from 'node:http';

const LIMITS = { keysPerUpdate: 50, keyBytes: 512, valueBytes: 1024, storeBytes: 5_000_000, pageMax: 50 };

/**
 * startKeyValueStoreStub({ arn?, entries?, lifetimeMs? }) → { endpoint, arn, entries (a live Map), etag(),
 * write(put, del), requests, beforeUpdate?, failNext?, status, close() }. `lifetimeMs: Infinity` keeps it up
 * until close() (the demo, while it serves).
 */
export async function startKeyValueStoreStub(options = {}) {
  let version = 1;
  const stub = {
    endpoint: '',
    arn: options.arn ?? 'arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b',
    entries: new Map(Object.entries(options.entries ?? {})),
    etag: () => `ETVER${version}`,
    write(put, del = []) {
      for (const [key, value] of Object.entries(put)) stub.entries.set(key, value);
      for (const key of del) stub.entries.delete(key);
      version += 1;
    },
    requests: [],
    status: 'READY',
    close: async () => undefined,
  };
  const size = () => [...stub.entries].reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/');
      const arn = decodeURIComponent(parts[2] ?? '');
      const keys = parts[3] === 'keys' && parts.length === 4;
      const operation =
        parts[1] !== 'key-value-stores'
          ? 'unknown'
          : req.method === 'GET' && parts.length === 3
            ? 'DescribeKeyValueStore'
            : req.method === 'GET' && keys
              ? 'ListKeys'
              : req.method === 'POST' && keys
                ? 'UpdateKeys'
                : 'unknown';
      const text = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: req.method ?? '',
        operation,
        arn,
        query: Object.fromEntries(url.searchParams),
        ifMatch: req.headers['if-match'],
        authorization: req.headers.authorization,
        regionSet: req.headers['x-amz-region-set'],
        ...(text ? { body: JSON.parse(text) } : {}),
      };
      stub.requests.push(request);

      const reply = (status, body, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'stub', ...headers });
        res.end(JSON.stringify(body));
      };
      const fail = (status, type, message) =>
        reply(status, { __type: type, Message: message }, { 'x-amzn-errortype': type });

      if (stub.failNext && stub.failNext.operation === operation) {
        const { status, type, message } = stub.failNext;
        stub.failNext = undefined;
        fail(status, type, message);
        return;
      }
      if (operation === 'unknown')
        return fail(400, 'ValidationException', `no such operation: ${req.method} ${url.pathname}`);
      if (arn !== stub.arn) return fail(404, 'ResourceNotFoundException', `Resource ${arn} not found`);

      if (operation === 'DescribeKeyValueStore') {
        return reply(
          200,
          {
            ItemCount: stub.entries.size,
            TotalSizeInBytes: size(),
            KvsARN: stub.arn,
            Created: 1767225600,
            LastModified: 1767225600 + version,
            Status: stub.status,
          },
          { etag: stub.etag() },
        );
      }

      if (operation === 'ListKeys') {
        const max = Math.min(Number(request.query.MaxResults ?? 10), LIMITS.pageMax);
        const start = Number(request.query.NextToken ?? 0);
        const sorted = [...stub.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const page = sorted.slice(start, start + max).map(([Key, Value]) => ({ Key, Value }));
        const next = start + max < sorted.length ? String(start + max) : undefined;
        return reply(200, { Items: page, ...(next ? { NextToken: next } : {}) });
      }

      // UpdateKeys
      stub.beforeUpdate?.(stub, request);
      if (request.ifMatch !== stub.etag()) {
        return fail(409, 'ConflictException', `The ETag ${request.ifMatch} does not match ${stub.etag()}`);
      }
      const puts = request.body?.Puts ?? [];
      const deletes = request.body?.Deletes ?? [];
      if (puts.length + deletes.length > LIMITS.keysPerUpdate) {
        return fail(400, 'ValidationException', `at most ${LIMITS.keysPerUpdate} keys per UpdateKeys`);
      }
      for (const { Key, Value } of puts) {
        if (Buffer.byteLength(Key) > LIMITS.keyBytes) return fail(400, 'ValidationException', 'key too long');
        if (Buffer.byteLength(Value) > LIMITS.valueBytes) return fail(400, 'ValidationException', 'value too long');
      }
      const before = new Map(stub.entries);
      for (const { Key, Value } of puts) stub.entries.set(Key, Value);
      for (const { Key } of deletes) stub.entries.delete(Key);
      if (size() > LIMITS.storeBytes) {
        stub.entries.clear();
        for (const [k, v] of before) stub.entries.set(k, v);
        return fail(402, 'ServiceQuotaExceededException', 'the key value store is full');
      }
      version += 1;
      return reply(200, { ItemCount: stub.entries.size, TotalSizeInBytes: size() }, { etag: stub.etag() });
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.endpoint = `http://127.0.0.1:${server.address().port}`;
  const lifetimeMs = options.lifetimeMs ?? 30_000;
  const lifetime = Number.isFinite(lifetimeMs) ? setTimeout(() => void stub.close(), lifetimeMs) : undefined;
  lifetime?.unref();
  stub.close = () =>
    new Promise((resolve) => {
      clearTimeout(lifetime);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
