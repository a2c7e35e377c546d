import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { SiteFile } from '../../src/pipeline/plan.js';
import { PARTS_IN_FLIGHT, agentOptions, createS3Client } from '../../src/adapters/s3/client.js';
import { IntegrityError } from '../../src/adapters/s3/file-upload.js';
import { S3Store } from '../../src/adapters/s3/store.js';
import { ConditionsNotSupported, PreconditionFailed } from '../../src/pipeline/ports.js';
import { PART_SIZE, hashFile } from '../../src/pipeline/scan.js';

const s3 = mockClient(S3Client);
const directory = mkdtempSync(path.join(os.tmpdir(), 's3-unit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeEach(() => {
  s3.reset();
});

const HEADERS = { contentType: 'application/gzip', cacheControl: 'no-store' };
const store = () =>
  new S3Store(new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), {
    bucket: 'bucket',
    prefix: '',
    region: 'us-east-1',
  });
const md5 = (data: Buffer) => createHash('md5').update(data);

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

async function siteFile(name: string, content: Buffer): Promise<SiteFile> {
  const absolutePath = path.join(directory, name);
  writeFileSync(absolutePath, content);
  return {
    relativePath: name,
    absolutePath,
    key: `p/${name}`,
    ...hashFile(absolutePath),
    headers: { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' },
  };
}

describe('createS3Client', () => {
  it('retries with backoff (standard mode: no client-side rate limiter under the write window), follows region redirects and sends checksums only when required', async () => {
    const client = createS3Client({ region: 'eu-west-1', forcePathStyle: true, maxConcurrency: 8 });
    expect(await client.config.maxAttempts()).toBe(6);
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
    expect(client.config.followRegionRedirects).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(client.config.forcePathStyle).toBe(true);
  });

  it('keeps a socket for every write the window may grow to, and the parts of large files', () => {
    expect(agentOptions({ maxConcurrency: 256 })).toEqual({ keepAlive: true, maxSockets: 256 + PARTS_IN_FLIGHT });
  });
});

describe('putObject (the deploy manifest and the probe)', () => {
  const body = Buffer.from('manifest');

  it('creates with If-None-Match: * when asked', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"new"' });
    expect(await store().putObject('m', body, HEADERS, { ifNoneMatch: '*' })).toEqual({ etag: 'new' });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'bucket',
      Key: 'm',
      IfNoneMatch: '*',
      ContentMD5: md5(body).digest('base64'),
      ContentType: 'application/gzip',
      CacheControl: 'no-store',
    });
    expect(input.IfMatch).toBeUndefined();
  });

  it('replaces with If-Match on the given ETag, quoted', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"def"', VersionId: 'v-2' });
    expect(await store().putObject('m', body, HEADERS, { ifMatch: 'abc' })).toEqual({ etag: 'def', versionId: 'v-2' });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input.IfMatch).toBe('"abc"');
    expect(input.IfNoneMatch).toBeUndefined();
  });

  it('sends no condition when none is asked', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"x"' });
    await store().putObject('m', body, HEADERS);
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input.IfMatch).toBeUndefined();
    expect(input.IfNoneMatch).toBeUndefined();
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it.each<[string, number, 'ifMatch' | 'ifNoneMatch']>([
    ['PreconditionFailed', 412, 'ifMatch'],
    ['ConditionalRequestConflict', 409, 'ifMatch'],
    ['NoSuchKey', 404, 'ifMatch'],
    ['NotModified', 304, 'ifNoneMatch'],
  ])('turns %s (HTTP %i) on %s into PreconditionFailed', async (name, status, kind) => {
    s3.on(PutObjectCommand).rejects(serviceError(name, status));
    const condition = kind === 'ifMatch' ? { ifMatch: 'abc' } : { ifNoneMatch: '*' as const };
    await expect(store().putObject('m', body, HEADERS, condition)).rejects.toThrow(PreconditionFailed);
  });

  it.each<[string, number]>([
    ['NotImplemented', 501],
    ['NotImplemented', 400],
    ['InvalidArgument', 400],
  ])('turns %s (HTTP %i) on a conditional PUT into ConditionsNotSupported', async (name, status) => {
    const error = serviceError(name, status);
    if (name === 'InvalidArgument') error.message = 'The If-Match header is not supported';
    s3.on(PutObjectCommand).rejects(error);
    await expect(store().putObject('m', body, HEADERS, { ifMatch: 'abc' })).rejects.toThrow(ConditionsNotSupported);
  });

  it('a 404 without a condition is an ordinary error, naming the bucket', async () => {
    s3.on(PutObjectCommand).rejects(serviceError('NoSuchBucket', 404));
    await expect(store().putObject('m', body, HEADERS)).rejects.toThrow(/bucket 'bucket' does not exist/);
  });

  it('describes other errors, naming the input to fix', async () => {
    s3.on(PutObjectCommand).rejects(serviceError('AccessDenied', 403));
    await expect(store().putObject('m', body, HEADERS, { ifMatch: 'abc' })).rejects.toThrow(
      /^S3 PutObject on s3:\/\/bucket\/ failed: access denied/,
    );
  });
});

describe('putFile integrity', () => {
  it('sends Content-MD5 and a SHA-256 checksum, accepts the matching ETag and returns the version', async () => {
    const content = Buffer.from('<h1>hello</h1>');
    const file = await siteFile('a.html', content);
    s3.on(PutObjectCommand).resolves({ ETag: `"${file.md5}"`, VersionId: 'v-1' });
    expect(await store().putFile(file)).toEqual({ etag: file.md5, versionId: 'v-1' });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Key: 'p/a.html',
      ContentMD5: md5(content).digest('base64'),
      // sha256 of '<h1>hello</h1>', base64
      ChecksumSHA256: createHash('sha256').update('<h1>hello</h1>').digest('base64'),
      ContentLength: content.length,
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'no-cache',
    });
    expect(Buffer.compare(input.Body as Buffer, content)).toBe(0);
  });

  it('fails when a server that ignores Content-MD5 stored other bytes', async () => {
    const file = await siteFile('b.html', Buffer.from('b'));
    s3.on(PutObjectCommand).resolves({ ETag: '"00000000000000000000000000000000"' });
    await expect(store().putFile(file)).rejects.toThrow(IntegrityError);
  });

  it('trusts S3 with SSE-KMS, whose ETag is not an MD5', async () => {
    const file = await siteFile('c.html', Buffer.from('c'));
    s3.on(PutObjectCommand).resolves({ ETag: '"opaque"', ServerSideEncryption: 'aws:kms', VersionId: 'null' });
    expect(await store().putFile(file)).toEqual({ etag: 'opaque' }); // `null`: an unversioned bucket
  });

  it.each([
    ['shorter', 'aft'],
    ['longer', 'after, and longer'],
  ])('refuses a file that got %s on disk after the scan, before sending it', async (_how, now) => {
    const file = await siteFile('d.html', Buffer.from('before'));
    writeFileSync(file.absolutePath, now);
    await expect(store().putFile(file)).rejects.toThrow(/d.html changed on disk after it was scanned/);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("sends the scan's Content-MD5 with the body as it is now: a same-size edit is refused, not stored as planned", async () => {
    const file = await siteFile('e.html', Buffer.from('before'));
    writeFileSync(file.absolutePath, 'after!');
    // A server that ignores Content-MD5 stores what it got, and answers with its MD5.
    s3.on(PutObjectCommand).callsFake((input: { Body: Buffer }) => ({
      ETag: `"${md5(Buffer.from(input.Body)).digest('hex')}"`,
    }));
    await expect(store().putFile(file)).rejects.toThrow(
      /other bytes than were scanned.*changed on disk during the deploy/,
    );
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.ContentMD5).toBe(
      md5(Buffer.from('before')).digest('base64'),
    );
  });

  it('reuses body buffers across uploads (no allocation per file)', async () => {
    const a = await siteFile('f.html', Buffer.from('first body'));
    const b = await siteFile('g.html', Buffer.from('second'));
    const bodies: ArrayBufferLike[] = [];
    s3.on(PutObjectCommand).callsFake((input: { Body: Buffer }) => {
      bodies.push(input.Body.buffer);
      return { ETag: `"${md5(Buffer.from(input.Body)).digest('hex')}"` };
    });
    const objects = store();
    await objects.putFile(a);
    await objects.putFile(b);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
  });

  it('uploads large files in parts, each with its own Content-MD5, and accepts the multipart ETag', async () => {
    const content = Buffer.alloc(PART_SIZE * 2 + 10, 7);
    content.write('different first part');
    const file = await siteFile('big.bin', content);
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((input: { Body: Buffer }) => ({ ETag: `"${md5(input.Body).digest('hex')}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({ ETag: `"${file.multipartEtag}"` });
    expect(await store().putFile(file)).toEqual({ etag: file.multipartEtag });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input.ChecksumAlgorithm).toBe('SHA256');
    const parts = s3.commandCalls(UploadPartCommand).map((call) => call.args[0].input);
    expect(parts.map((part) => [part.PartNumber, part.ContentLength])).toEqual(
      expect.arrayContaining([
        [1, PART_SIZE],
        [2, PART_SIZE],
        [3, 10],
      ]),
    );
    for (const part of parts) {
      const start = (part.PartNumber! - 1) * PART_SIZE;
      const bytes = content.subarray(start, start + part.ContentLength!);
      expect(part.ContentMD5).toBe(md5(bytes).digest('base64'));
      expect(part.ChecksumSHA256).toBe(createHash('sha256').update(bytes).digest('base64'));
    }
    const complete = s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input;
    expect(complete.MultipartUpload?.Parts?.map((part) => part.PartNumber)).toEqual([1, 2, 3]);
    expect(complete.MultipartUpload?.Parts?.every((part) => typeof part.ChecksumSHA256 === 'string')).toBe(true);
  });
});

describe('deleteKeys', () => {
  it('sends 1,000 keys a call and reports the ones S3 refused', async () => {
    s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: Array<{ Key: string }> } }) => ({
      Errors: input.Delete.Objects.filter(({ Key }) => Key === 'k1500').map(({ Key }) => ({
        Key,
        Code: 'AccessDenied',
        Message: 'no',
      })),
    }));
    const keys = Array.from({ length: 2500 }, (_, index) => `k${index}`);
    expect(await store().deleteKeys(keys)).toEqual([{ key: 'k1500', message: 'AccessDenied: no' }]);
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete?.Objects?.length)).toEqual([
      1000, 1000, 500,
    ]);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete?.Quiet).toBe(true);
  });
});
