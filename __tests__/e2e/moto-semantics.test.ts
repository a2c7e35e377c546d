// What moto's server (the third-party S3 + CloudFront of __tests__/e2e/moto.test.ts) really does, asserted
// with the SDK directly, so tests built on it rely on facts rather than hopes: where it matches AWS, and where
// it does not (each deviation is asserted as moto's behaviour and marked DEVIATION, so a moto upgrade that
// fixes one fails here and the note in docs/testing-moto.md can be updated). One server for the file.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  type CloudFrontClient,
  CreateInvalidationCommand,
  GetCachePolicyCommand,
  ListFunctionsCommand,
  ListKeyValueStoresCommand,
  ListResponseHeadersPoliciesCommand,
} from '@aws-sdk/client-cloudfront';
import {
  createMotoBucket,
  createMotoDistribution,
  describeWithMoto,
  listMotoInvalidations,
  motoCloudFrontClient,
  motoS3Client,
  type MotoServer,
  startMoto,
} from '../support/moto.js';

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest();
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('base64');
const NO_SUCH_ETAG = '"0123456789abcdef0123456789abcdef"';

/** The error a request fails with, as { status, name }; throws when it succeeds. */
async function failure(request: Promise<unknown>): Promise<{ status: number | undefined; name: string }> {
  try {
    await request;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { status: e.$metadata?.httpStatusCode, name: e.name };
  }
  throw new Error('the request succeeded');
}

async function text(response: { Body?: { transformToString(): Promise<string> } }): Promise<string> {
  return response.Body!.transformToString();
}

describeWithMoto('moto_server: the S3 and CloudFront semantics the moto tests rely on', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let cloudfront: CloudFrontClient;
  const plain = 'semantics-plain';
  const versioned = 'semantics-versioned';

  beforeAll(async () => {
    moto = await startMoto();
    s3 = motoS3Client(moto.endpoint);
    cloudfront = motoCloudFrontClient(moto.endpoint);
    await createMotoBucket(s3, plain);
    await createMotoBucket(s3, versioned, { versioning: true });
  });

  afterAll(async () => {
    s3?.destroy();
    cloudfront?.destroy();
    await moto?.stop();
  });

  const put = (bucket: string, key: string, body: string | Buffer, extra: Record<string, unknown> = {}) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));

  it('conditional PutObject: If-Match on another ETag → 412, on a missing key → 404 NoSuchKey, matching → 200', async () => {
    const first = await put(plain, 'if-match', 'one');
    expect(await failure(put(plain, 'if-match', 'two', { IfMatch: NO_SUCH_ETAG }))).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(await failure(put(plain, 'if-match-missing', 'two', { IfMatch: first.ETag }))).toEqual({
      status: 404,
      name: 'NoSuchKey',
    });
    const second = await put(plain, 'if-match', 'two', { IfMatch: first.ETag });
    expect(second.ETag).toBe(`"${md5('two').toString('hex')}"`);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: plain, Key: 'if-match' })))).toBe('two');
  });

  it('conditional PutObject: If-None-Match: * on an existing key → 412 (object unchanged), on a new key → 200', async () => {
    await put(plain, 'if-none-match', 'kept');
    expect(await failure(put(plain, 'if-none-match', 'lost', { IfNoneMatch: '*' }))).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: plain, Key: 'if-none-match' })))).toBe('kept');
    await expect(put(plain, 'if-none-match-new', 'new', { IfNoneMatch: '*' })).resolves.toBeDefined();
  });

  it('conditional CompleteMultipartUpload: If-None-Match: * → 412; If-Match on another ETag is accepted (DEVIATION: AWS answers 412)', async () => {
    await put(plain, 'multipart-conditional', 'exists');
    const complete = async (condition: Record<string, string>) => {
      const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: 'multipart-conditional' }));
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: plain,
          Key: 'multipart-conditional',
          UploadId: upload.UploadId,
          PartNumber: 1,
          Body: 'part',
        }),
      );
      return s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: plain,
          Key: 'multipart-conditional',
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          ...condition,
        }),
      );
    };
    expect(await failure(complete({ IfNoneMatch: '*' }))).toEqual({ status: 412, name: 'PreconditionFailed' });
    await expect(complete({ IfMatch: NO_SUCH_ETAG })).resolves.toMatchObject({ ETag: expect.stringMatching(/-1"$/) });
  });

  it('multipart ETag: MD5 of the parts’ MD5s, "-<parts>"; a part under 5 MiB that is not the last → EntityTooSmall', async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.from('tail')];
    const upload = async (key: string, bodies: Buffer[]) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: key }));
      const etags: string[] = [];
      for (const [index, body] of bodies.entries()) {
        const part = await s3.send(
          new UploadPartCommand({ Bucket: plain, Key: key, UploadId, PartNumber: index + 1, Body: body }),
        );
        etags.push(part.ETag!);
      }
      return s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: plain,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: etags.map((ETag, index) => ({ PartNumber: index + 1, ETag })) },
        }),
      );
    };
    const done = await upload('multipart', parts);
    const expected = `${createHash('md5')
      .update(Buffer.concat(parts.map((part) => md5(part))))
      .digest('hex')}-2`;
    expect(done.ETag).toBe(`"${expected}"`);
    expect((await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'multipart' }))).ETag).toBe(`"${expected}"`);
    expect(await failure(upload('multipart-small', [Buffer.from('small'), Buffer.from('tail')]))).toEqual({
      status: 400,
      name: 'EntityTooSmall',
    });
  });

  it('x-amz-checksum-sha256 with ChecksumAlgorithm SHA256: stored, returned by HEAD/GET with ChecksumMode ENABLED only, kept by CopyObject', async () => {
    const body = Buffer.from('checksum me');
    const written = await put(plain, 'checksummed', body, { ChecksumAlgorithm: 'SHA256' });
    expect(written.ChecksumSHA256).toBe(sha256(body));
    const head = await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'checksummed', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBe(sha256(body));
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'checksummed' }))).ChecksumSHA256,
    ).toBeUndefined();
    await s3.send(
      new CopyObjectCommand({ Bucket: plain, Key: 'checksummed-copy', CopySource: `${plain}/checksummed` }),
    );
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'checksummed-copy', ChecksumMode: 'ENABLED' })))
        .ChecksumSHA256,
    ).toBe(sha256(body));
  });

  it('checksums and Content-MD5 are not verified, and a bare x-amz-checksum-sha256 is not stored (DEVIATIONS: AWS stores it and answers 400 BadDigest to a wrong one)', async () => {
    const body = Buffer.from('checksum me');
    // The header alone (no x-amz-sdk-checksum-algorithm): accepted, not stored.
    await put(plain, 'bare-checksum', body, { ChecksumSHA256: sha256(body) });
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'bare-checksum', ChecksumMode: 'ENABLED' })))
        .ChecksumSHA256,
    ).toBeUndefined();
    // A wrong checksum with the algorithm: accepted and stored as given.
    const wrong = sha256('something else');
    await put(plain, 'wrong-checksum', body, { ChecksumAlgorithm: 'SHA256', ChecksumSHA256: wrong });
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'wrong-checksum', ChecksumMode: 'ENABLED' })))
        .ChecksumSHA256,
    ).toBe(wrong);
    // A wrong Content-MD5: accepted, the object holds the bytes sent.
    const stored = await put(plain, 'wrong-md5', 'abc', { ContentMD5: md5('xyz').toString('base64') });
    expect(stored.ETag).toBe(`"${md5('abc').toString('hex')}"`);
  });

  it('an unversioned bucket: PutObject, GetObject and HeadObject give no VersionId (as AWS: no header)', async () => {
    const written = await put(plain, 'unversioned', 'x');
    expect(written.VersionId).toBeUndefined();
    expect((await s3.send(new GetObjectCommand({ Bucket: plain, Key: 'unversioned' }))).VersionId).toBeUndefined();
    expect((await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'unversioned' }))).VersionId).toBeUndefined();
  });

  it('versions: each PutObject a VersionId; GET and HEAD by version; CopyObject from `bucket/key?versionId=V` restores V as a new version', async () => {
    const v1 = await put(versioned, 'page.html', 'v1');
    const v2 = await put(versioned, 'page.html', 'v2');
    expect(v1.VersionId).toEqual(expect.any(String));
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const old = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'page.html', VersionId: v1.VersionId }));
    expect({ version: old.VersionId, body: await text(old) }).toEqual({ version: v1.VersionId, body: 'v1' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'page.html', VersionId: v1.VersionId }));
    expect({ version: head.VersionId, etag: head.ETag }).toEqual({ version: v1.VersionId, etag: v1.ETag });

    const copy = await s3.send(
      new CopyObjectCommand({
        Bucket: versioned,
        Key: 'page.html',
        CopySource: `${versioned}/page.html?versionId=${v1.VersionId}`,
      }),
    );
    expect(copy.CopySourceVersionId).toBe(v1.VersionId);
    expect(copy.VersionId).not.toBe(v1.VersionId);
    expect(copy.CopyObjectResult?.ETag).toBe(v1.ETag);
    const current = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'page.html' }));
    expect({ version: current.VersionId, body: await text(current) }).toEqual({ version: copy.VersionId, body: 'v1' });
  });

  it('delete markers: DeleteObject adds one (GET → 404), ListObjectVersions lists it as latest, a copy from an old version brings the key back', async () => {
    const v1 = await put(versioned, 'gone.html', 'before');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'gone.html' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'gone.html' })))).toEqual({
      status: 404,
      name: 'NoSuchKey',
    });
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: versioned, Prefix: 'gone.html' }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1.VersionId, false]]);
    expect(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[deleted.VersionId, true]]);

    await s3.send(
      new CopyObjectCommand({
        Bucket: versioned,
        Key: 'gone.html',
        CopySource: `${versioned}/gone.html?versionId=${v1.VersionId}`,
      }),
    );
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'gone.html' })))).toBe('before');
  });

  it('a metadata-only CopyObject onto itself (REPLACE): same ETag, new headers, LastModified moved; without REPLACE → 400 InvalidRequest', async () => {
    await put(plain, 'metadata', 'same bytes', { ContentType: 'text/plain', CacheControl: 'max-age=1' });
    const before = await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'metadata' }));
    // LastModified has a resolution of one second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await s3.send(
      new CopyObjectCommand({
        Bucket: plain,
        Key: 'metadata',
        CopySource: `${plain}/metadata`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'public, max-age=0, must-revalidate',
      }),
    );
    const after = await s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'metadata' }));
    expect(after.ETag).toBe(before.ETag);
    expect({ type: after.ContentType, cache: after.CacheControl }).toEqual({
      type: 'text/html; charset=utf-8',
      cache: 'public, max-age=0, must-revalidate',
    });
    expect(after.LastModified!.getTime()).toBeGreaterThan(before.LastModified!.getTime());
    expect(
      await failure(
        s3.send(new CopyObjectCommand({ Bucket: plain, Key: 'metadata', CopySource: `${plain}/metadata` })),
      ),
    ).toEqual({ status: 400, name: 'InvalidRequest' });
  });

  it('CloudFront: distributions and invalidations (Completed at once, a repeated CallerReference makes a second one: DEVIATIONS), unknown id → NoSuchDistribution', async () => {
    const id = await createMotoDistribution(cloudfront, plain);
    expect(id).toMatch(/^[A-Z0-9]+$/);
    const batch = { CallerReference: 'semantics-1', Paths: { Quantity: 2, Items: ['/docs/', '/docs/index.html'] } };
    const created = await cloudfront.send(
      new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch }),
    );
    // AWS answers InProgress, and a later GetInvalidation says Completed.
    expect(created.Invalidation?.Status).toBe('COMPLETED');
    // AWS returns the existing invalidation for a repeated CallerReference with the same paths.
    const again = await cloudfront.send(
      new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch }),
    );
    expect(again.Invalidation?.Id).not.toBe(created.Invalidation?.Id);
    const listed = await listMotoInvalidations(cloudfront, id);
    expect(listed.map((invalidation) => invalidation.id).sort()).toEqual(
      [created.Invalidation!.Id!, again.Invalidation!.Id!].sort(),
    );
    for (const invalidation of listed) {
      expect(invalidation.paths).toEqual(['/docs/', '/docs/index.html']);
      expect(invalidation.callerReference).toBe('semantics-1');
    }
    expect(
      await failure(
        cloudfront.send(
          new CreateInvalidationCommand({
            DistributionId: 'ENOSUCHDISTRIBUTION',
            InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/x'] } },
          }),
        ),
      ),
    ).toEqual({ status: 404, name: 'NoSuchDistribution' });
  });

  it('CloudFront APIs moto lacks: functions, response headers policies, cache policies, KeyValueStores (an HTML 404, not an AWS error)', async () => {
    const requests = {
      ListFunctions: () => cloudfront.send(new ListFunctionsCommand({})),
      ListResponseHeadersPolicies: () => cloudfront.send(new ListResponseHeadersPoliciesCommand({})),
      GetCachePolicy: () => cloudfront.send(new GetCachePolicyCommand({ Id: '658327ea-f89d-4fab-a63d-7e88639e58f6' })),
      ListKeyValueStores: () => cloudfront.send(new ListKeyValueStoresCommand({})),
    };
    for (const [name, request] of Object.entries(requests))
      expect({ name, status: (await failure(request())).status }).toEqual({ name, status: 404 });
  });
});
