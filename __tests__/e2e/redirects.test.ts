// The bundled action with redirects, run as the runner runs it: `_redirects` synced into a KeyValueStore API
// stand-in (SigV4a-signed requests, ETag conditions) behind the CloudFront stub, against s3rver; and without a
// distribution, S3 website redirect objects.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { type CloudFrontStub, startCloudFrontStub } from '../support/cloudfront-stub.js';
import { type KeyValueStoreStub, startKeyValueStoreStub } from '../support/keyvaluestore-stub.js';
import { writeSite } from '../support/sites.js';

let server: LocalS3;
let cloudfront: CloudFrontStub;
let kvs: KeyValueStoreStub;
let s3: S3Client;

beforeAll(async () => {
  server = await startLocalS3({ buckets: ['edge', 'website'] });
  cloudfront = await startCloudFrontStub();
  kvs = await startKeyValueStoreStub({ entries: { '/pr-9/x': '301 /pr-9/y' }, lifetimeMs: 60_000 });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await kvs?.close();
  await cloudfront?.close();
  await server?.stop();
});

function deploy(bucket: string, site: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { 'source-dir': site, bucket, 'endpoint-url': server.endpoint, 'force-path-style': 'true', ...inputs },
    env: {
      ...LOCAL_S3_CREDENTIALS,
      AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
      AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: kvs.endpoint,
      GITHUB_RUN_ID: `${Date.now()}`,
    },
  });
}

const site = () =>
  writeSite({
    'index.html': '<a href="/old.html">old</a>',
    'new.html': 'new',
    _redirects: '/old.html /new.html\n/docs/v1/* /docs/v2/:splat 308\n',
  });

describe('redirects from the bundled action', () => {
  it('syncs the KeyValueStore with only the changed keys, If-Match on its ETag, and says so', async () => {
    const run = await deploy('edge', site(), { 'distribution-id': 'E2E2E2E2E2E2E2', 'redirect-store-arn': kvs.arn });
    if (run.code !== 0) throw new Error(`${run.stdout}\n${run.stderr}`);
    expect([...kvs.entries].sort()).toEqual([
      ['/docs/v1/*', '308 /docs/v2/:splat'],
      ['/old.html', '301 /new.html'],
      ['/pr-9/x', '301 /pr-9/y'],
    ]);
    const updates = kvs.requests.filter((request) => request.operation === 'UpdateKeys');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.ifMatch).toBe('ETVER1');
    expect(updates[0]!.regionSet).toBe('*');
    expect(run.outputs['redirects-updated']).toBe('2');
    expect(run.stdout).toMatch(/Redirects: 2 rules from _redirects → the CloudFront KeyValueStore/);

    const again = await deploy('edge', site(), { 'distribution-id': 'E2E2E2E2E2E2E2', 'redirect-store-arn': kvs.arn });
    expect(again.outputs.result).toBe('unchanged');
    expect(kvs.requests.filter((request) => request.operation === 'UpdateKeys')).toHaveLength(1);
  }, 60_000);

  it('without a distribution, writes S3 website redirect objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'website-2' })).catch(() => undefined);
    const run = await deploy('website-2', writeSite({ 'new.html': 'new', _redirects: '/old.html /new.html\n' }));
    if (run.code !== 0) throw new Error(`${run.stdout}\n${run.stderr}`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'website-2', Key: 'old.html' }));
    expect(head.WebsiteRedirectLocation).toBe('/new.html');
    expect(run.stdout).toMatch(/S3 website redirect objects/);
  }, 60_000);

  it('refuses a bad line before any write, with a summary and outputs', async () => {
    const run = await deploy('edge', writeSite({ 'a.html': 'a', _redirects: '/a /b 200\n' }), {
      'redirect-store-arn': kvs.arn,
    });
    expect(run.outputs.result).toBe('refused');
    expect(`${run.stdout}${run.stderr}`).toMatch(/_redirects line 1/);
  }, 60_000);
});
