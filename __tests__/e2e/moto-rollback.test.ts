// Rollback and a forged manifest end to end against moto's S3 (real versioning, multipart ETags and 412s):
// the bundled action deploys A, then B, rolls back to A and forward to B, byte for byte and header for header;
// and a defacement uploaded as a one-part multipart object, its manifest entry forged, does not survive the
// next deploy. Skipped, saying why, where moto_server is not installed (docs/testing-moto.md).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { MANIFEST_NAME, decodeManifest, encodeManifest } from '../../src/pipeline/manifest.js';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { listKeys, readObject } from '../support/bucket.js';
import {
  MOTO_CREDENTIALS,
  type MotoServer,
  createMotoBucket,
  createMotoDistribution,
  describeWithMoto,
  listMotoInvalidations,
  motoCloudFrontClient,
  motoS3Client,
  startMoto,
} from '../support/moto.js';
import { listFiles, writeSite } from '../support/sites.js';

const HTML = { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' };

describeWithMoto('rollback and forged manifests against moto', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let cloudfront: CloudFrontClient;
  let distributionId: string;
  let runs = 0;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = motoS3Client(moto.endpoint);
    cloudfront = motoCloudFrontClient(moto.endpoint);
    distributionId = await createMotoDistribution(cloudfront, 'moto-rollback');
  });

  afterAll(async () => {
    s3?.destroy();
    cloudfront?.destroy();
    await moto?.stop();
  });

  function run(bucket: string, inputs: Record<string, string>, sha = 'f'.repeat(40)): Promise<ActionRun> {
    runs += 1;
    return runAction({
      inputs: {
        bucket,
        'endpoint-url': moto.endpoint,
        'force-path-style': 'true',
        'distribution-id': distributionId,
        'require-conditional-writes': 'true',
        'asset-grace-period': '0',
        ...inputs,
      },
      env: {
        ...MOTO_CREDENTIALS,
        AWS_ENDPOINT_URL_CLOUDFRONT: moto.endpoint,
        GITHUB_RUN_ID: `${Date.now()}${runs}`,
        GITHUB_SHA: sha,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
      },
    });
  }

  function expectOk(result: ActionRun, outcome: string): void {
    if (result.code !== 0 || result.outputs.result !== outcome) {
      throw new Error(
        `expected ${outcome}, got ${result.outputs.result} (${result.code}):\n${result.stdout}\n${result.stderr}`,
      );
    }
  }

  /** The bucket's current objects with their bytes and headers, the action's own left out. */
  async function state(bucket: string) {
    const result: Record<string, { body: string; contentType: string; cacheControl: string }> = {};
    for (const key of await listKeys(s3, bucket)) {
      if (key.endsWith(MANIFEST_NAME)) continue;
      const object = await readObject(s3, bucket, key);
      result[key] = {
        body: object.body.toString('utf8'),
        contentType: object.contentType,
        cacheControl: object.cacheControl,
      };
    }
    return result;
  }

  const bodies = (site: string) =>
    Object.fromEntries(listFiles(site).map((file) => [file, readFileSync(path.join(site, file), 'utf8')]));

  it('deploy A, deploy B, roll back to A, roll forward to B: each exactly, with a precise invalidation', async () => {
    const bucket = 'moto-rollback';
    await createMotoBucket(s3, bucket, { versioning: true });
    const a = writeSite({
      'index.html': '<h1>A</h1>',
      'about.html': 'about',
      'old.html': 'only in A',
      'assets/app.1a2b3c4d.js': 'console.log("A")',
      'logo.png': 'PNG',
    });
    const b = writeSite({
      'index.html': '<h1>B</h1>',
      'about.html': 'about',
      'new.html': 'only in B',
      'assets/app.5e6f7a8b.js': 'console.log("B")',
      'logo.png': 'PNG',
    });
    const deployA = await run(bucket, { 'source-dir': a }, 'a'.repeat(40));
    expectOk(deployA, 'deployed');
    const afterA = await state(bucket);
    expect(afterA['logo.png']).toEqual({ body: 'PNG', contentType: 'image/png', cacheControl: 'public, max-age=3600' });
    const deployB = await run(
      bucket,
      { 'source-dir': b, 'cache-control': '*.png: public, max-age=86400' },
      'b'.repeat(40),
    );
    expectOk(deployB, 'deployed');
    const afterB = await state(bucket);
    expect(afterB['logo.png']!.cacheControl).toBe('public, max-age=86400');
    expect(Object.fromEntries(Object.entries(afterB).map(([key, value]) => [key, value.body]))).toEqual(bodies(b));

    const before = (await listMotoInvalidations(cloudfront, distributionId)).length;
    const back = await run(bucket, { 'rollback-to': 'previous' });
    expectOk(back, 'deployed');
    expect(await state(bucket)).toEqual(afterA);
    expect(back.outputs['bytes-uploaded']).toBe('0');
    expect(back.summary).toContain(`Rolled back \`s3://${bucket}/\` to \`${deployA.outputs['deploy-id']}\``);
    expect(back.summary).toContain('### Last deploys');
    const invalidations = await listMotoInvalidations(cloudfront, distributionId);
    expect(invalidations).toHaveLength(before + 1);
    expect([...invalidations.at(-1)!.paths].sort()).toEqual([
      '/',
      '/assets/app.5e6f7a8b.js',
      '/index.html',
      '/logo.png',
      '/new.html',
    ]);

    const forward = await run(bucket, { 'rollback-to': deployB.outputs['deploy-id']! });
    expectOk(forward, 'deployed');
    expect(await state(bucket)).toEqual(afterB);
    // A deploy after the rollbacks sees the bucket as B left it: nothing to write.
    const again = await run(bucket, { 'source-dir': b, 'cache-control': '*.png: public, max-age=86400' });
    expectOk(again, 'unchanged');
  });

  it('a rollback on a bucket without versioning is refused before any write, saying why', async () => {
    const bucket = 'moto-unversioned';
    await createMotoBucket(s3, bucket, { versioning: false });
    const site = writeSite({ 'index.html': '<h1>A</h1>' });
    expectOk(await run(bucket, { 'source-dir': site }), 'deployed');
    expectOk(await run(bucket, { 'source-dir': writeSite({ 'index.html': '<h1>B</h1>' }) }), 'deployed');
    const refused = await run(bucket, { 'rollback-to': 'previous' });
    expect(refused.outputs.result).toBe('refused');
    expect(refused.errors.join('\n')).toMatch(/without versioning/);
    expect((await readObject(s3, bucket, 'index.html')).body.toString()).toBe('<h1>B</h1>');
  });

  it('a defacement uploaded as a one-part multipart object, padded to size, its entry forged, is replaced by the next deploy', async () => {
    const bucket = 'moto-forged';
    await createMotoBucket(s3, bucket, { versioning: true });
    const real = '<h1>The real home page</h1>';
    const site = writeSite({ 'index.html': real, 'about.html': 'about' });
    expectOk(await run(bucket, { 'source-dir': site }), 'deployed');

    const defaced = Buffer.from('PWNED'.padEnd(real.length, ' '));
    const upload = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: 'index.html',
        ContentType: HTML.contentType,
        CacheControl: HTML.cacheControl,
      }),
    );
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'index.html',
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: defaced,
      }),
    );
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'index.html',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const etag = (completed.ETag ?? '').replace(/"/g, '');
    expect(etag).toMatch(/^[0-9a-f]{32}-1$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' }));

    // Forge the entry: the real MD5, the defacement's ETag and size, a LastModified after the listing's.
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST_NAME }));
    const manifest = decodeManifest(Buffer.from(await stored.Body!.transformToByteArray()));
    const entry = manifest.entries.get('index.html')!;
    manifest.entries.set('index.html', {
      ...entry,
      etag,
      size: defaced.length,
      lastModified: new Date(head.LastModified!.getTime() + 5000).toISOString(),
    });
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: MANIFEST_NAME, Body: encodeManifest(manifest, new Date()) }),
    );

    const next = await run(bucket, { 'source-dir': site });
    expectOk(next, 'deployed');
    expect(next.outputs.uploaded).toBe('1');
    expect((await readObject(s3, bucket, 'index.html')).body.toString()).toBe(real);
  });
});
