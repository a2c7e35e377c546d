import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { encodeKeyPath, routeOf, signedScope } from '../../src/adapters/s3/direct-put.js';
import { S3Store } from '../../src/adapters/s3/store.js';
import type { SiteFile } from '../../src/pipeline/plan.js';
import { hashFile } from '../../src/pipeline/scan.js';
import { readObject } from '../support/bucket.js';
import { type Verdict, verifySigV4 } from '../support/sigv4-verify.js';

// Single-part PUTs of site files skip the SDK's per-request middleware once the SDK has shown the route.
// What must hold: the same bytes, headers and checksums reach the same URL, signed so a verifying server
// accepts them, and anything but a 2xx is sent again by the SDK (its retries, its error names).

const directory = mkdtempSync(path.join(os.tmpdir(), 'direct-put-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const KEYS = ["site/a b+c=d&e!'()*ü~.html", 'site/plain/index.html', 'site/%41 already-encoded', 'site/x:y@z$,;'];
const AUTH = 'AWS4-HMAC-SHA256 Credential=AKID/20261203/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00';

let fileCount = 0;
function siteFile(key: string, content: string): SiteFile {
  fileCount += 1;
  const absolutePath = path.join(directory, `file-${fileCount}`);
  writeFileSync(absolutePath, content);
  return {
    relativePath: key,
    absolutePath,
    key,
    ...hashFile(absolutePath),
    headers: { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=60' },
  };
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The signature checked with the secret the stores below sign with. */
  verdict: Verdict;
}

const SECRET = 'secret';

const servers: Array<{ close: () => void; closeAllConnections: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A loopback S3 that records every request and answers `status(n)` to the n-th (200 with the body's MD5). */
async function recordingS3(status: (index: number) => number = () => 200) {
  const seen: Seen[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = request.method ?? '';
      const url = request.url ?? '';
      seen.push({
        method,
        url,
        headers: request.headers,
        body,
        verdict: verifySigV4(method, url, request.headers, body, SECRET),
      });
      const code = status(seen.length);
      if (code !== 200) {
        response.writeHead(code, { 'content-type': 'application/xml' });
        response.end(`<?xml version="1.0"?><Error><Code>${code === 503 ? 'SlowDown' : 'InternalError'}</Code></Error>`);
        return;
      }
      const md5 = createHash('md5').update(body).digest('hex');
      response.writeHead(200, { etag: `"${md5}"`, 'x-amz-version-id': `v${seen.length}` });
      response.end();
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, seen };
}

function storeFor(endpoint: string) {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
  const client = createS3Client({
    region: 'us-east-1',
    endpointUrl: endpoint,
    forcePathStyle: true,
    maxConcurrency: 4,
  });
  client.config.credentials = async () => credentials;
  return { store: new S3Store(client, { bucket: 'bucket', prefix: 'site/', region: 'us-east-1' }), credentials };
}

/** The SDK marks its own requests with an invocation id; the direct PUTs carry none. */
const bySdk = (request: Seen) => request.headers['amz-sdk-invocation-id'] !== undefined;

describe('encodeKeyPath', () => {
  it('encodes keys as the SDK puts them in the path', async () => {
    const s3 = await recordingS3();
    const client = createS3Client({
      region: 'us-east-1',
      endpointUrl: s3.endpoint,
      forcePathStyle: true,
      maxConcurrency: 1,
    });
    client.config.credentials = async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    for (const key of KEYS) await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: key, Body: 'x' }));
    client.destroy();
    expect(s3.seen.map((request) => request.url.replace(/\?x-id=PutObject$/, ''))).toEqual(
      KEYS.map((key) => `/bucket/${encodeKeyPath(key)}`),
    );
  });
});

describe('routeOf (what a request the store answered shows)', () => {
  const request = {
    protocol: 'https:',
    hostname: 'bucket.s3.eu-west-1.amazonaws.com',
    path: '/site/a%20b.html',
    query: { 'x-id': 'PutObject' },
    headers: { authorization: AUTH },
  };

  it('takes the host, the path before the key and the signed region and service', () => {
    expect(routeOf(request, 'site/a b.html', 200)).toEqual({
      protocol: 'https:',
      hostname: 'bucket.s3.eu-west-1.amazonaws.com',
      pathPrefix: '/',
      region: 'eu-west-1',
      service: 's3',
    });
    expect(routeOf({ ...request, port: 9000, path: '/bucket/site/a%20b.html' }, 'site/a b.html', 204)).toMatchObject({
      port: 9000,
      pathPrefix: '/bucket/',
    });
  });

  it.each<[string, Parameters<typeof routeOf>]>([
    ['an answer that is not a 2xx (a redirect to another region)', [request, 'site/a b.html', 301]],
    ['a path that does not end with the key', [request, 'site/other.html', 200]],
    ['a query beyond x-id (a version)', [{ ...request, query: { versionId: 'v1' } }, 'site/a b.html', 200]],
    [
      'a SigV4a signature (a multi-region access point)',
      [
        { ...request, headers: { authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKID/20261203/s3/aws4_request' } },
        'site/a b.html',
        200,
      ],
    ],
    ['no signature', [{ ...request, headers: {} }, 'site/a b.html', 200]],
  ])('learns nothing from %s', (_what, args) => {
    expect(routeOf(...args)).toBeUndefined();
  });

  it('reads the credential scope of a SigV4 header only', () => {
    expect(signedScope(AUTH)).toEqual({ region: 'eu-west-1', service: 's3' });
    expect(signedScope('Bearer x')).toBeUndefined();
    expect(signedScope(undefined)).toBeUndefined();
  });
});

describe('S3Store.putFile, sent directly', () => {
  it('sends what the SDK sends, to the same URL, once the SDK has shown the route', async () => {
    const s3 = await recordingS3();
    const { store } = storeFor(s3.endpoint);
    expect(store.direct.ready('bucket')).toBe(false);
    const first = siteFile(KEYS[0]!, '<p>first</p>');
    const second = siteFile(KEYS[0]!, '<p>second</p>');
    expect(await store.putFile(first)).toEqual({ etag: first.md5, versionId: 'v1' });
    expect(store.direct.ready('bucket')).toBe(true);
    expect(await store.putFile(second)).toEqual({ etag: second.md5, versionId: 'v2' });
    store.client.destroy();

    const [sdk, direct] = s3.seen as [Seen, Seen];
    expect(bySdk(sdk)).toBe(true);
    expect(bySdk(direct)).toBe(false);
    expect(direct.method).toBe('PUT');
    expect(direct.url).toBe(sdk.url.replace(/\?x-id=PutObject$/, ''));
    expect(direct.body.toString()).toBe('<p>second</p>');
    const body = direct.body;
    for (const name of ['content-type', 'cache-control', 'x-amz-sdk-checksum-algorithm', 'host']) {
      expect([name, direct.headers[name]]).toEqual([name, sdk.headers[name]]);
    }
    expect(direct.headers['content-md5']).toBe(createHash('md5').update(body).digest('base64'));
    expect(direct.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(body).digest('base64'));
    // The payload is signed (its SHA-256, computed once for the checksum), as the SDK signs it over HTTP.
    expect(direct.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(signedScope(direct.headers.authorization)).toEqual(signedScope(sdk.headers.authorization));
    expect(direct.headers.authorization).toMatch(/SignedHeaders=[^,]*content-md5;[^,]*x-amz-checksum-sha256/);
    // Checked independently of the SDK's signer: the SDK's own request passes the same check.
    expect([sdk.verdict, direct.verdict]).toEqual(['valid', 'valid']);
    expect(store.direct.stats).toEqual({ stored: 1, handedBack: 0, throttled: 0 });
  });

  it('uses a route only for the bucket it was learned for (one client may serve two stores)', async () => {
    const s3 = await recordingS3();
    const { store } = storeFor(s3.endpoint);
    const other = new S3Store(store.client, { bucket: 'other', prefix: '', region: 'us-east-1' });
    await store.putFile(siteFile('site/one.html', 'one'));
    await other.putFile(siteFile('two.html', 'two'));
    await other.putFile(siteFile('three.html', 'three'));
    store.client.destroy();
    expect(s3.seen.map((request) => [request.url.replace(/\?x-id=PutObject$/, ''), bySdk(request)])).toEqual([
      ['/bucket/site/one.html', true],
      ['/other/two.html', true],
      ['/other/three.html', false],
    ]);
  });

  it('signs with the credentials of the moment (a refreshed session, its token signed too)', async () => {
    const s3 = await recordingS3();
    const { store, credentials } = storeFor(s3.endpoint);
    await store.putFile(siteFile('site/one.html', 'one'));
    Object.assign(credentials, { accessKeyId: 'AKIDNEXT', sessionToken: 'token-2' });
    await store.putFile(siteFile('site/two.html', 'two'));
    credentials.secretAccessKey = 'not-the-secret';
    await store.putFile(siteFile('site/three.html', 'three'));
    store.client.destroy();
    const [, refreshed, wrong] = s3.seen as [Seen, Seen, Seen];
    expect(bySdk(refreshed)).toBe(false);
    expect(refreshed.headers.authorization).toContain('Credential=AKIDNEXT/');
    expect(refreshed.headers['x-amz-security-token']).toBe('token-2');
    expect(refreshed.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
    expect(refreshed.verdict).toBe('valid');
    expect(wrong.verdict).toBe('bad signature');
  });

  it('a body that is not the one signed fails the check (the payload hash is signed)', () => {
    const headers = {
      authorization: `AWS4-HMAC-SHA256 Credential=A/20261203/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      'x-amz-content-sha256': createHash('sha256').update('b').digest('hex'),
    };
    expect(verifySigV4('PUT', '/bucket/k', headers, Buffer.from('a'), SECRET)).toBe('bad payload hash');
  });

  it.each<[string, number, number]>([
    ['a slow-down, counted as throttling', 503, 1],
    ['a server error', 500, 0],
  ])('hands %s back to the SDK, which sends it again', async (_what, status, throttled) => {
    // 1: the SDK (learns the route); 2: direct, refused; 3: the SDK again.
    const s3 = await recordingS3((index) => (index === 2 ? status : 200));
    const { store } = storeFor(s3.endpoint);
    await store.putFile(siteFile('site/one.html', 'one'));
    const file = siteFile('site/two.html', 'two');
    expect(await store.putFile(file)).toEqual({ etag: file.md5, versionId: 'v3' });
    store.client.destroy();
    expect(s3.seen.map(bySdk)).toEqual([true, false, true]);
    expect(store.direct.stats).toEqual({ stored: 0, handedBack: 1, throttled });
    expect(store.throttled()).toBe(throttled);
  });

  it('hands a PUT the store never answered (a refused connection) back to the SDK, whose error names the call', async () => {
    const s3 = await recordingS3();
    const { store } = storeFor(s3.endpoint);
    await store.putFile(siteFile('site/one.html', 'one'));
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
    await expect(store.putFile(siteFile('site/two.html', 'two'))).rejects.toThrow(/PutObject/);
    store.client.destroy();
    expect(store.direct.stats.handedBack).toBe(1);
  });
});

describe('direct PUTs against an S3 protocol server (s3rver): what is stored', () => {
  let server: LocalS3;
  beforeAll(async () => {
    server = await startLocalS3({ buckets: ['signed'] });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const credentials = {
    accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID,
    secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  };

  function signedStore() {
    const client = createS3Client({
      region: 'us-east-1',
      endpointUrl: server.endpoint,
      forcePathStyle: true,
      maxConcurrency: 4,
    });
    client.config.credentials = async () => credentials;
    return { store: new S3Store(client, { bucket: 'signed', prefix: '', region: 'us-east-1' }) };
  }

  it('stores every file after the first directly, with its headers and bytes, none handed back', async () => {
    const { store } = signedStore();
    const files = KEYS.map((key, index) => siteFile(key, `<p>${index}</p>`));
    for (const file of files) await store.putFile(file);
    expect(store.direct.stats).toEqual({ stored: KEYS.length - 1, handedBack: 0, throttled: 0 });
    for (const file of files) {
      const stored = await readObject(store.client, 'signed', file.key);
      expect(stored).toEqual({
        body: readFileSync(file.absolutePath),
        contentType: 'text/html; charset=utf-8',
        cacheControl: 'public, max-age=60',
      });
      const head = await store.client.send(new HeadObjectCommand({ Bucket: 'signed', Key: file.key }));
      expect(head.ETag).toBe(`"${file.md5}"`);
    }
    store.client.destroy();
  });
});
