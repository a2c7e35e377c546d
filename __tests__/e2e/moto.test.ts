// End to end against a third-party S3 + CloudFront: the bundled action (dist/index.js, under Node 24 as the
// runner runs it) deploys to moto's server, whose conditional writes, versioning and invalidations are moto's
// own rather than this project's stand-ins (s3rver + s3-proxy.mjs, the CloudFront stub). One server for the
// file; skipped, saying why, where moto_server is not installed (see docs/testing-moto.md).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { listKeys, readObject } from '../support/bucket.js';
import {
  createMotoBucket,
  createMotoDistribution,
  describeWithMoto,
  listMotoInvalidations,
  MOTO_CREDENTIALS,
  motoCloudFrontClient,
  motoS3Client,
  type MotoServer,
  startMoto,
} from '../support/moto.js';
import { writeSite } from '../support/sites.js';

/** The README's Headers table, as literals: what each kind of file must be served with. */
const EXPECTED_HEADERS: Record<string, { contentType: string; cacheControl: string }> = {
  'index.html': { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' },
  'docs/index.html': { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' },
  'docs/guide.html': { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' },
  'sitemap.xml': { contentType: 'application/xml; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' },
  'assets/app.3f2a9c1b7d.css': {
    contentType: 'text/css; charset=utf-8',
    cacheControl: 'public, max-age=31536000, immutable',
  },
  'images/logo.png': { contentType: 'image/png', cacheControl: 'public, max-age=3600' },
  'robots.txt': { contentType: 'text/plain; charset=utf-8', cacheControl: 'public, max-age=3600' },
};

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describeWithMoto('the bundled action against moto (S3 + CloudFront)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let cloudfront: CloudFrontClient;
  let distributionId: string;
  const bucket = 'moto-e2e-site';
  let site: string;
  const files = {
    'index.html': '<!doctype html><title>home</title><link rel="stylesheet" href="assets/app.3f2a9c1b7d.css">',
    'docs/index.html': '<!doctype html><title>docs</title>',
    'docs/guide.html': '<!doctype html><title>guide</title>',
    'sitemap.xml': '<?xml version="1.0" encoding="UTF-8"?><urlset/>',
    'assets/app.3f2a9c1b7d.css': 'body { margin: 0 }',
    'images/logo.png': PNG,
    'robots.txt': 'User-agent: *\n',
  };
  let runs = 0;
  let first: ActionRun;

  beforeAll(async () => {
    site = writeSite(files);
    moto = await startMoto();
    s3 = motoS3Client(moto.endpoint);
    cloudfront = motoCloudFrontClient(moto.endpoint);
    // Versioned, as the Terraform module's bucket is.
    await createMotoBucket(s3, bucket, { versioning: true });
    distributionId = await createMotoDistribution(cloudfront, bucket);
  });

  afterAll(async () => {
    s3?.destroy();
    cloudfront?.destroy();
    await moto?.stop();
  });

  function deploy(): Promise<ActionRun> {
    runs += 1;
    return runAction({
      inputs: {
        'source-dir': site,
        bucket,
        'endpoint-url': moto.endpoint,
        'force-path-style': 'true',
        'distribution-id': distributionId,
        // A store that does not honour If-Match / If-None-Match would be refused before any write.
        'require-conditional-writes': 'true',
      },
      env: {
        ...MOTO_CREDENTIALS,
        AWS_ENDPOINT_URL_CLOUDFRONT: moto.endpoint,
        GITHUB_RUN_ID: `${Date.now()}${runs}`,
      },
    });
  }

  function expectSuccess(run: ActionRun): void {
    if (run.code !== 0)
      throw new Error(
        `action failed (${run.code}):\n${run.stdout}\n${run.stderr}\nmoto:\n${moto.output().slice(-4000)}`,
      );
  }

  /** Anything the action says about conditional writes: only a store that lacks them makes it speak. */
  const conditionalWarnings = (run: ActionRun) =>
    [...run.warnings, ...run.errors, run.summary].filter((text) => /conditional writes/i.test(text));

  it('first deploy: deployed, every object with the Content-Type and Cache-Control of the README, no invalidation', async () => {
    const run = (first = await deploy());
    expectSuccess(run);
    expect(run.outputs).toMatchObject({
      result: 'deployed',
      uploaded: String(Object.keys(EXPECTED_HEADERS).length),
      deleted: '0',
      'invalidation-id': '',
      'invalidation-paths': '[]',
    });
    // The manifest is the action's own object; every other key is a file of the site.
    expect((await listKeys(s3, bucket)).filter((key) => !key.endsWith('.parlai-site-deploy.json.gz'))).toEqual(
      Object.keys(EXPECTED_HEADERS).sort(),
    );
    for (const [key, expected] of Object.entries(EXPECTED_HEADERS)) {
      const stored = await readObject(s3, bucket, key);
      expect({ key, contentType: stored.contentType, cacheControl: stored.cacheControl }).toEqual({ key, ...expected });
      expect({ key, same: stored.body.equals(readFileSync(path.join(site, key))) }).toEqual({ key, same: true });
    }
    // Brand-new keys were never cached.
    expect(await listMotoInvalidations(cloudfront, distributionId)).toEqual([]);
  });

  it('moto honours conditional writes: the probe was refused, require-conditional-writes passed, nothing warned', async () => {
    // Every deploy here sets require-conditional-writes: a store that ignored or refused the probe (a PUT
    // of the probe object with an If-Match no object can satisfy) would have been refused before any write.
    expect(first.outputs.result).toBe('deployed');
    expect(conditionalWarnings(first)).toEqual([]);
    expect(`${first.stdout}\n${first.stderr}`).not.toMatch(
      /ignores conditional writes|does not support conditional writes/,
    );
    // On a store that ignores conditions the probe object is written, then deleted: in this versioned bucket
    // that would leave a version and a delete marker. moto answered the probe with an error, so there is none.
    const probe = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: '.parlai-site-deploy.probe' }));
    expect({ versions: probe.Versions ?? [], markers: probe.DeleteMarkers ?? [] }).toEqual({
      versions: [],
      markers: [],
    });
  });

  it('a redeploy with no change: unchanged, no invalidation', async () => {
    const run = await deploy();
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ result: 'unchanged', uploaded: '0', 'invalidation-id': '' });
    expect(await listMotoInvalidations(cloudfront, distributionId)).toEqual([]);
  });

  it('after editing one page: 1 upload, one invalidation moto lists with exactly its paths, 2 versions of the page', async () => {
    appendFileSync(path.join(site, 'docs/index.html'), '<p>edited</p>\n');
    const run = await deploy();
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ result: 'deployed', uploaded: '1', 'headers-updated': '0', deleted: '0' });
    expect(conditionalWarnings(run)).toEqual([]);

    const invalidations = await listMotoInvalidations(cloudfront, distributionId);
    expect(invalidations).toHaveLength(1);
    expect(invalidations[0]!.id).toBe(run.outputs['invalidation-id']);
    expect([...invalidations[0]!.paths].sort()).toEqual(['/docs/', '/docs/index.html']);
    expect((JSON.parse(run.outputs['invalidation-paths']!) as string[]).sort()).toEqual(['/docs/', '/docs/index.html']);

    const stored = await readObject(s3, bucket, 'docs/index.html');
    expect(stored.body.toString()).toContain('<p>edited</p>');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'docs/index.html' }));
    expect(versions.Versions?.filter((version) => version.Key === 'docs/index.html')).toHaveLength(2);
    expect(versions.DeleteMarkers ?? []).toEqual([]);
    // The pages that did not change still have one version each.
    const guide = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'docs/guide.html' }));
    expect(guide.Versions).toHaveLength(1);
  });
});
