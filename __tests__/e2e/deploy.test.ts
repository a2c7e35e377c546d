// End to end: the bundled action (dist/index.js), run as the runner runs it under Node 24, against a real S3
// protocol server (s3rver on 127.0.0.1) behind a request-counting proxy, and a loopback CloudFront stub.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { MANIFEST_NAME } from '../../src/pipeline/manifest.js';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { listKeys, localS3Client, readObject, snapshot } from '../support/bucket.js';
import { type CloudFrontStub, startCloudFrontStub } from '../support/cloudfront-stub.js';
import { expectedHeaders } from '../support/expected-headers.js';
import { type S3Proxy, startS3Proxy } from '../support/s3-proxy.mjs';
import { listFiles, parlaiSite, sampleSite, tempDir, touchAll, writeSite } from '../support/sites.js';

let server: LocalS3;
let proxy: S3Proxy;
let cloudfront: CloudFrontStub;
let s3: S3Client;
let bucketCount = 0;

beforeAll(async () => {
  server = await startLocalS3({ buckets: ['site'] });
  proxy = await startS3Proxy({ target: server.endpoint, conditional: 'honour' });
  cloudfront = await startCloudFrontStub();
  s3 = localS3Client(server.endpoint);
});

afterAll(async () => {
  s3?.destroy();
  await proxy?.close();
  await cloudfront?.close();
  await server?.stop();
});

async function newBucket(): Promise<string> {
  bucketCount += 1;
  const bucket = `e2e-${process.pid}-${bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

const DISTRIBUTION = 'E2E2E2E2E2E2E2';

function deploy(
  bucket: string,
  sourceDir: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  proxy.reset();
  return runAction({
    inputs: { 'source-dir': sourceDir, bucket, 'endpoint-url': proxy.endpoint, 'force-path-style': 'true', ...inputs },
    env: {
      ...LOCAL_S3_CREDENTIALS,
      AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
      GITHUB_RUN_ID: `${Date.now()}`,
      ...env,
    },
  });
}

function expectSuccess(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

/**
 * Every file of the site is in the bucket, byte for byte, with the default headers README "Headers" gives its
 * type (support/expected-headers.ts: written out there, not computed by src/).
 */
async function expectBucketMatches(bucket: string, site: string, prefix = ''): Promise<void> {
  const files = listFiles(site).sort();
  const keys = (await listKeys(s3, bucket, prefix)).filter((key) => !key.endsWith(MANIFEST_NAME));
  expect(keys).toEqual(files.map((file) => prefix + file).sort());
  for (const file of files) {
    const stored = await readObject(s3, bucket, prefix + file);
    const local = readFileSync(path.join(site, file));
    expect({ file, md5: md5(stored.body) }).toEqual({ file, md5: md5(local) });
    expect({ file, contentType: stored.contentType, cacheControl: stored.cacheControl }).toEqual({
      file,
      ...expectedHeaders(file),
    });
  }
}

describe('the ParlAI website (or the sample site where the shared fixture is absent)', () => {
  const parlai = parlaiSite();
  const site = parlai ?? sampleSite();
  let bucket: string;
  const fileCount = listFiles(site).length;

  it('first deploy: every object uploaded byte-exact with its Content-Type and Cache-Control', async () => {
    if (!parlai) console.warn('ParlAI fixture not found: running the realistic-site suite on examples/site');
    bucket = await newBucket();
    const run = await deploy(bucket, site, { 'distribution-id': DISTRIBUTION });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({
      uploaded: String(fileCount),
      deleted: '0',
      unchanged: '0',
      skipped: 'false',
      'invalidation-id': '',
      'invalidation-paths': '[]',
    });
    expect(Number(run.outputs['bytes-uploaded'])).toBe(
      listFiles(site).reduce((sum, file) => sum + readFileSync(path.join(site, file)).length, 0),
    );
    await expectBucketMatches(bucket, site);
    // Brand-new keys were never cached: no invalidation.
    expect(cloudfront.invalidations.filter((i) => i.distributionId === DISTRIBUTION)).toHaveLength(0);
    expect(run.summary).toContain(`Deployed to \`s3://${bucket}/\``);
    expect(run.summary).toMatch(new RegExp(`uploaded, new \\| ${fileCount} \\|`));
  });

  it('no-change redeploy: only the listing and the manifest read, no writes, no invalidation', async () => {
    const before = await snapshot(s3, bucket);
    const invalidations = cloudfront.invalidations.length;
    const run = await deploy(bucket, site, { 'distribution-id': DISTRIBUTION });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({
      uploaded: '0',
      deleted: '0',
      unchanged: String(fileCount),
      'bytes-uploaded': '0',
      'invalidation-id': '',
    });
    expect(proxy.writes()).toBe(0);
    expect(proxy.counts).toEqual({ ListObjectsV2: Math.ceil((fileCount + 1) / 1000), GetObject: 1 });
    expect(cloudfront.invalidations.length).toBe(invalidations);
    expect(await snapshot(s3, bucket)).toEqual(before);
  });

  it('fresh checkout (every mtime changed, same bytes): still no writes', async () => {
    touchAll(site);
    const run = await deploy(bucket, site);
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '0', unchanged: String(fileCount) });
    expect(proxy.writes()).toBe(0);
  });
});

describe('changes', () => {
  it('edit + add + remove: exactly those written, the removed deleted, the changed invalidated', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    expectSuccess(await deploy(bucket, site, { 'distribution-id': DISTRIBUTION }));

    appendFileSync(path.join(site, 'docs/index.html'), '<!-- edited -->\n');
    writeFileSync(path.join(site, 'docs/new-page.html'), '<!doctype html><title>new</title>');
    rmSync(path.join(site, 'robots.txt'));
    const run = await deploy(bucket, site, { 'distribution-id': DISTRIBUTION });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '2', deleted: '1', unchanged: String(listFiles(site).length - 2) });
    // The two files, then the release protocol's writes of the manifest: the conditional-write probe (which
    // must fail), the claim, the published manifest, and the manifest once the invalidation went through.
    expect(proxy.counts.PutObject).toBe(2 + 4);
    expect(proxy.counts.DeleteObjects).toBe(1);
    await expectBucketMatches(bucket, site);

    const invalidation = cloudfront.invalidations.at(-1)!;
    expect(invalidation.distributionId).toBe(DISTRIBUTION);
    expect(invalidation.paths.sort()).toEqual(['/docs/', '/docs/index.html', '/robots.txt']);
    expect(invalidation.callerReference).toMatch(/^parlai-site-deploy-run-\d+-1-[0-9a-f]{16}$/);
    expect(run.outputs['invalidation-id']).toMatch(/^ISTUB\d+$/);
    expect(JSON.parse(run.outputs['invalidation-paths']!).sort()).toEqual(invalidation.paths.sort());
    expect(run.summary).toContain(run.outputs['invalidation-id']);
    expect(run.summary).toMatch(/`docs\/new-page.html`: new/);
    expect(run.summary).toMatch(/`robots.txt`: deleted/);
  });

  it('pages go up after the assets they link', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    expectSuccess(await deploy(bucket, site, { concurrency: '4' }));
    const puts = proxy.requests
      .filter((r) => r.operation === 'PutObject')
      .map((r) => decodeURIComponent(new URL(r.url, 'http://x').pathname));
    const lastAsset = Math.max(
      ...puts.map((key, index) => (!key.endsWith('.html') && !key.endsWith(MANIFEST_NAME) ? index : -1)),
    );
    const firstPage = puts.findIndex((key) => key.endsWith('.html'));
    expect(firstPage).toBeGreaterThan(lastAsset);
  });

  it('a header-only rule change rewrites metadata with a server-side copy, sending no file bytes', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    expectSuccess(await deploy(bucket, site));
    const run = await deploy(bucket, site, {
      'cache-control': '*.png: public, max-age=86400\n*.svg: public, max-age=600',
      'distribution-id': DISTRIBUTION,
    });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '2', 'headers-updated': '2', 'bytes-uploaded': '0' });
    expect(proxy.counts.CopyObject).toBe(2);
    expect(proxy.counts.PutObject).toBe(4); // the probe, the claim, the published manifest, the invalidation recorded
    expect((await readObject(s3, bucket, 'images/pattern.png')).cacheControl).toBe('public, max-age=86400');
    expect((await readObject(s3, bucket, 'images/logo.svg')).cacheControl).toBe('public, max-age=600');
    expect(cloudfront.invalidations.at(-1)!.paths.sort()).toEqual(['/images/*']);
    // And the next run sees the new headers as current.
    const again = await deploy(bucket, site, {
      'cache-control': '*.png: public, max-age=86400\n*.svg: public, max-age=600',
    });
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ result: 'unchanged', uploaded: '0', 'headers-updated': '0' });
  });

  it('takes over a bucket filled by another tool: checks each object once, fixes wrong headers, uploads nothing it has', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    for (const file of listFiles(site)) {
      // What `aws s3 sync` without --content-type rules leaves behind for some files.
      const body = readFileSync(path.join(site, file));
      const headers = expectedHeaders(file);
      const wrong = file.endsWith('.jsonl') || file.endsWith('.css');
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: file,
          Body: body,
          ContentType: wrong ? 'binary/octet-stream' : headers.contentType,
          CacheControl: headers.cacheControl,
        }),
      );
    }
    const run = await deploy(bucket, site);
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '2', 'headers-updated': '2', 'bytes-uploaded': '0' });
    expect(proxy.counts.HeadObject).toBe(listFiles(site).length); // each object once
    await expectBucketMatches(bucket, site);
    const next = await deploy(bucket, site);
    expectSuccess(next);
    expect(next.outputs).toMatchObject({ result: 'unchanged', uploaded: '0' });
    expect(proxy.counts.HeadObject ?? 0).toBe(0); // the manifest knows them now
  });

  it('uploads a large file in parts, byte-exact, and recognises it next time', async () => {
    const bucket = await newBucket();
    const big = Buffer.alloc(17 * 1024 * 1024 + 3);
    for (let index = 0; index + 4 <= big.length; index += 4096) big.writeUInt32BE(index, index);
    const site = writeSite({ 'index.html': '<h1>big</h1>', 'files/model.bin': big });
    const run = await deploy(bucket, site);
    expectSuccess(run);
    expect(proxy.counts).toMatchObject({ CreateMultipartUpload: 1, UploadPart: 3, CompleteMultipartUpload: 1 });
    expect(md5((await readObject(s3, bucket, 'files/model.bin')).body)).toBe(md5(big));
    const again = await deploy(bucket, site);
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ result: 'unchanged', uploaded: '0', unchanged: '2' });
  });

  it('keeps names as they are: spaces, unicode, +, % and a zero-byte file', async () => {
    const bucket = await newBucket();
    const site = writeSite({
      'a b/c d.html': 'space',
      'ünï/cödé.md': '# ü',
      'c++.txt': 'plus',
      '100%.txt': 'percent',
      'empty.txt': '',
    });
    const run = await deploy(bucket, site);
    expectSuccess(run);
    await expectBucketMatches(bucket, site);
    expect((await readObject(s3, bucket, 'empty.txt')).body.length).toBe(0);
  });
});

describe('dry run', () => {
  it('plans the writes, deletes and invalidation, and writes nothing', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    expectSuccess(await deploy(bucket, site));
    const before = await snapshot(s3, bucket);
    appendFileSync(path.join(site, 'index.html'), '<!-- x -->');
    rmSync(path.join(site, 'about/index.html'));
    const invalidations = cloudfront.invalidations.length;
    const run = await deploy(bucket, site, { 'dry-run': 'true', 'distribution-id': DISTRIBUTION });
    expectSuccess(run);
    expect(proxy.writes()).toBe(0);
    // Reads only: the listing, the manifest, and the manifest's ETag checked again before the (recorded) deletes.
    expect(Object.keys(proxy.counts).sort()).toEqual(['GetObject', 'HeadObject', 'ListObjectsV2']);
    expect(await snapshot(s3, bucket)).toEqual(before);
    expect(cloudfront.invalidations.length).toBe(invalidations);
    expect(run.outputs).toMatchObject({ uploaded: '1', deleted: '1', 'invalidation-id': '' });
    expect(JSON.parse(run.outputs['invalidation-paths']!).sort()).toEqual(['/', '/about/*', '/index.html']);
    expect(run.summary).toContain('Dry run (nothing written)');
    expect(run.stdout).toMatch(/changed\s+index\.html/);
    expect(run.stdout).toMatch(/deleted\s+about\/index\.html/);
  });
});

describe('refusals leave the bucket untouched', () => {
  let bucket: string;
  let site: string;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    bucket = await newBucket();
    site = sampleSite();
    expectSuccess(await deploy(bucket, site));
    before = await snapshot(s3, bucket);
  });

  async function expectRefused(run: ActionRun, message: RegExp): Promise<void> {
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(message);
    expect(proxy.writes()).toBe(0);
    expect(await snapshot(s3, bucket)).toEqual(before);
  }

  it('missing source-dir', async () => {
    await expectRefused(await deploy(bucket, path.join(site, 'nope')), /'source-dir' ".*nope" does not exist/);
  });

  it('empty source-dir', async () => {
    await expectRefused(await deploy(bucket, tempDir('empty')), /is empty.*refusing to deploy/);
  });

  it('everything excluded', async () => {
    await expectRefused(
      await deploy(bucket, site, { exclude: '**' }),
      /is empty \(or 'exclude' matches every file in it\)/,
    );
  });

  it('more deletes than max-deletes', async () => {
    const smaller = writeSite({ 'index.html': 'only' });
    await expectRefused(
      await deploy(bucket, smaller, { 'max-deletes': '3' }),
      /deletes \d+ objects, more than 'max-deletes' \(3\); nothing was written/,
    );
  });

  it('a bad input', async () => {
    await expectRefused(
      await deploy(bucket, site, { 'cache-control': 'no colon here' }),
      /Input 'cache-control': line 'no colon here' is not 'GLOB: VALUE'/,
    );
  });

  it('a failing build', async () => {
    const run = await deploy(bucket, site, { 'build-command': 'echo building; exit 3' });
    await expectRefused(run, /Input 'build-command' exited with code 3; nothing was deployed/);
    expect(run.stdout).toContain('building');
  });
});

describe('build-command', () => {
  it('runs in working-directory with bash and deploys what it built', async () => {
    const bucket = await newBucket();
    const project = tempDir('project');
    const run = await deploy(bucket, 'public', {
      'working-directory': project,
      'build-command':
        'set -u; mkdir -p public/docs && echo "<h1>$(pwd)</h1>" > public/index.html && printf "doc" | tee public/docs/a.md >/dev/null',
    });
    expectSuccess(run);
    expect(run.stdout).toMatch(/::group::Build: /);
    expect(await listKeys(s3, bucket)).toEqual(['.parlai-site-deploy.json.gz', 'docs/a.md', 'index.html']);
    expect((await readObject(s3, bucket, 'index.html')).body.toString()).toContain(project);
  });
});

describe('local runs', () => {
  it("work without the runner's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files", async () => {
    const bucket = await newBucket();
    const run = await deploy(
      bucket,
      sampleSite(),
      {},
      { GITHUB_OUTPUT: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_RUN_ID: undefined },
    );
    expectSuccess(run);
    expect(run.stdout).toMatch(/Deployed to s3:\/\/e2e-\d+-\d+\/: 13 new, 0 changed/);
    expect(run.summary).toBe('');
    expect(await listKeys(s3, bucket)).toHaveLength(14);
  });
});

describe('prefixes', () => {
  it('a deploy under a prefix touches nothing outside it, and the root deploy keeps the prefixed deployment', async () => {
    const bucket = await newBucket();
    const root = writeSite({ 'index.html': 'root', 'old.html': 'old' });
    expectSuccess(await deploy(bucket, root));
    const preview = writeSite({ 'index.html': 'preview', 'docs/index.html': 'preview docs' });
    const run = await deploy(bucket, preview, { prefix: 'pr-42' });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '2', deleted: '0' });
    expect(await listKeys(s3, bucket)).toEqual([
      MANIFEST_NAME,
      'index.html',
      'old.html',
      `pr-42/${MANIFEST_NAME}`,
      'pr-42/docs/index.html',
      'pr-42/index.html',
    ]);

    rmSync(path.join(root, 'old.html'));
    const rootAgain = await deploy(bucket, root);
    expectSuccess(rootAgain);
    expect(rootAgain.outputs.deleted).toBe('1');
    expect(await listKeys(s3, bucket)).toEqual([
      MANIFEST_NAME,
      'index.html',
      `pr-42/${MANIFEST_NAME}`,
      'pr-42/docs/index.html',
      'pr-42/index.html',
    ]);
    expect(rootAgain.summary).toContain('other deployments under `pr-42/`');
  });

  it('exclude keeps matching remote objects and never uploads matching files', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/user.png', Body: Buffer.from('user content') }));
    const site = writeSite({ 'index.html': 'x', 'secret.env': 'KEY=1' });
    const run = await deploy(bucket, site, { exclude: 'uploads/\n*.env' });
    expectSuccess(run);
    expect(await listKeys(s3, bucket)).toEqual([MANIFEST_NAME, 'index.html', 'uploads/user.png']);
  });
});

describe('credentials', () => {
  it('wrong credentials fail with advice and without printing the secret', async () => {
    const bucket = await newBucket();
    const secret = 'wRoNgSeCrEt/with+chars0123456789abcdefXYZ';
    const run = await deploy(
      bucket,
      sampleSite(),
      {},
      { AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: secret },
    );
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/credentials were rejected/);
    expect(run.stdout).toContain(`::add-mask::${secret}`); // registered with the runner, which hides it…
    const printed = (run.stdout + run.stderr)
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(printed).not.toContain(secret); // …and printed nowhere else
    expect(run.summary).not.toContain(secret);
  });

  it('no credentials outside a fork pull request: fails, saying how to configure them', async () => {
    const run = await deploy(
      await newBucket(),
      sampleSite(),
      {},
      {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
    );
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/No AWS credentials found.*configure-aws-credentials/);
  });

  it('no credentials on a pull request from a fork: builds, scans, skips with a warning', async () => {
    const event = path.join(tempDir('event'), 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 7, head: { repo: { fork: true, full_name: 'someone/fork' } } },
        repository: { full_name: 'org/site' },
      }),
    );
    const run = await deploy(
      await newBucket(),
      sampleSite(),
      { 'build-command': 'echo built' },
      {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'org/site',
      },
    );
    expectSuccess(run);
    expect(run.stdout).toContain('built');
    expect(run.outputs.skipped).toBe('true');
    expect(run.warnings.join('\n')).toMatch(/No AWS credentials: this pull request comes from a fork/);
    expect(run.summary).toContain('Deploy skipped');
    expect(proxy.requests).toHaveLength(0);
  });
});

describe('CloudFront', () => {
  it('waits for the invalidation when asked', async () => {
    const slow = await startCloudFrontStub({ pollsUntilCompleted: 1 });
    try {
      const bucket = await newBucket();
      const site = sampleSite();
      expectSuccess(await deploy(bucket, site));
      appendFileSync(path.join(site, 'index.html'), 'x');
      const run = await deploy(
        bucket,
        site,
        { 'distribution-id': DISTRIBUTION, 'wait-for-invalidation': 'true' },
        { AWS_ENDPOINT_URL_CLOUDFRONT: slow.endpoint },
      );
      expectSuccess(run);
      expect(slow.polls).toBe(2);
      expect(run.summary).toContain('Completed.');
    } finally {
      await slow.close();
    }
  });

  it('a failed invalidation fails the step after the deploy, and the next run sends its paths', async () => {
    const failing = await startCloudFrontStub({ failWith: 'AccessDenied' });
    try {
      const bucket = await newBucket();
      const site = sampleSite();
      expectSuccess(await deploy(bucket, site));
      appendFileSync(path.join(site, 'index.html'), 'x');
      const run = await deploy(
        bucket,
        site,
        { 'distribution-id': DISTRIBUTION },
        { AWS_ENDPOINT_URL_CLOUDFRONT: failing.endpoint },
      );
      expect(run.code).toBe(1);
      expect(run.outputs.result).toBe('failed');
      expect(run.errors.join('\n')).toMatch(/The site is deployed, but the CloudFront invalidation failed/);
      expect(run.errors.join('\n')).toMatch(/cloudfront:CreateInvalidation/);
      expect(run.summary).toMatch(/2 path\(s\) are recorded in the deploy manifest, and the next deploy sends them/);
      expect(run.outputs.uploaded).toBe('1');
      // The re-run uploads nothing and only invalidates what the failed run could not…
      const before = cloudfront.invalidations.length;
      const rerun = await deploy(bucket, site, { 'distribution-id': DISTRIBUTION });
      expectSuccess(rerun);
      expect(rerun.outputs).toMatchObject({ result: 'unchanged', uploaded: '0' });
      expect(cloudfront.invalidations.slice(before).map((i) => i.paths.sort())).toEqual([['/', '/index.html']]);
      expect(rerun.summary).toContain('left pending by an earlier deploy');
      // …and once that went through, the paths are no longer pending.
      const third = await deploy(bucket, site, { 'distribution-id': DISTRIBUTION });
      expectSuccess(third);
      expect(third.outputs).toMatchObject({ result: 'unchanged', uploaded: '0', 'invalidation-id': '' });
      expect(cloudfront.invalidations.length).toBe(before + 1);
    } finally {
      await failing.close();
    }
  });

  it('TooManyInvalidationsInProgress is waited out with backoff, not failed at once', async () => {
    const throttled = await startCloudFrontStub({ failWith: 'TooManyInvalidationsInProgress', failTimes: 1 });
    try {
      const bucket = await newBucket();
      const site = sampleSite();
      expectSuccess(await deploy(bucket, site));
      appendFileSync(path.join(site, 'index.html'), 'x');
      const run = await deploy(
        bucket,
        site,
        { 'distribution-id': DISTRIBUTION },
        { AWS_ENDPOINT_URL_CLOUDFRONT: throttled.endpoint },
      );
      expectSuccess(run);
      expect(throttled.failures).toBe(1);
      expect(run.stdout).toMatch(/too many invalidations in progress; trying again in 5 s/);
      expect(run.outputs['invalidation-id']).toMatch(/^ISTUB\d+$/);
    } finally {
      await throttled.close();
    }
  });
});
