import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { S3Store } from '../../src/adapters/s3/store.js';
import { isThrottling, throttlingCounter } from '../../src/adapters/s3/throttling.js';

// The write window learns of throttling from a counter of attempts the store refused: the SDK retries a
// SlowDown itself, so the count has to come from inside its retry loop. A loopback server plays S3.

const servers: Array<{ close: () => void; closeAllConnections: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Answers the first `refusals` requests with the given status and code, then 200 with an ETag. */
async function s3Answering(refusals: number, status = 503, code = 'SlowDown') {
  let seen = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      seen += 1;
      if (seen <= refusals) {
        response.writeHead(status, { 'content-type': 'application/xml' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>slow down</Message></Error>`,
        );
        return;
      }
      response.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' });
      response.end();
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests: () => seen };
}

function clientFor(endpoint: string) {
  const client = createS3Client({
    region: 'us-east-1',
    endpointUrl: endpoint,
    forcePathStyle: true,
    maxConcurrency: 2,
  });
  client.config.credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
  return client;
}

describe('throttlingCounter', () => {
  it('counts every attempt the store throttled, also those the SDK retried to success', async () => {
    const s3 = await s3Answering(2);
    const client = clientFor(s3.endpoint);
    const throttled = throttlingCounter(client);
    await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.css', Body: 'body' }));
    expect(s3.requests()).toBe(3);
    expect(throttled()).toBe(2);
    client.destroy();
  }, 20_000);

  it('counts 429 too, and not other errors', async () => {
    const s3 = await s3Answering(1, 429, 'TooManyRequests');
    const client = clientFor(s3.endpoint);
    const throttled = throttlingCounter(client);
    await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.css', Body: 'body' }));
    expect(throttled()).toBe(1);
    const denied = await s3Answering(1, 403, 'AccessDenied');
    const other = clientFor(denied.endpoint);
    const none = throttlingCounter(other);
    await expect(other.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.css', Body: 'body' }))).rejects.toThrow();
    expect(none()).toBe(0);
    client.destroy();
    other.destroy();
  }, 20_000);

  it('keeps one counter per client, however many stores share it', async () => {
    const s3 = await s3Answering(1);
    const client = clientFor(s3.endpoint);
    const first = new S3Store(client, { bucket: 'site', prefix: '', region: 'us-east-1' });
    const second = new S3Store(client, { bucket: 'site', prefix: '', region: 'us-east-1' });
    await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.css', Body: 'body' }));
    expect(first.throttled()).toBe(1);
    expect(second.throttled()).toBe(1);
    client.destroy();
  }, 20_000);
});

describe('isThrottling', () => {
  it.each([
    [{ name: 'SlowDown', $metadata: { httpStatusCode: 503 } }, true],
    [{ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }, true],
    [{ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } }, true],
    [{ name: 'ThrottlingException', $metadata: {} }, true],
    [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, false],
    [{ name: 'InternalError', $metadata: { httpStatusCode: 500 } }, false],
    ['SlowDown', false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isThrottling(error)).toBe(expected);
  });
});
