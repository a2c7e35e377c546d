// Reliability and security, end to end: the bundled action against s3rver on 127.0.0.1 behind a
// fault-injecting proxy (503 SlowDown, 500, connection resets, delays, held requests; deterministic by seed),
// killed mid-upload, racing another deploy, fed bad input, and searched for leaked secrets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { MANIFEST_NAME, decodeManifest } from '../../src/pipeline/manifest.js';
import { type ActionRun, type RunOptions, runAction } from '../support/action-runner.js';
import { listKeys, localS3Client, readObject, snapshot } from '../support/bucket.js';
import { type CloudFrontStub, startCloudFrontStub } from '../support/cloudfront-stub.js';
import { expectedHeaders } from '../support/expected-headers.js';
import { type Fault, type ProxiedRequest, type S3Proxy, startS3Proxy } from '../support/s3-proxy.mjs';
import { unprivileged } from '../support/privileges.js';
import { listFiles, tempDir, writeSite } from '../support/sites.js';
import { seeded } from '../support/random.js';
import { type Verdict, verifySigV4 } from '../support/sigv4-verify.js';
import type { IncomingHttpHeaders } from 'node:http';

let server: LocalS3;
let s3: S3Client;
let cloudfront: CloudFrontStub;
let clean: S3Proxy;
const proxies: S3Proxy[] = [];
let bucketCount = 0;

beforeAll(async () => {
  server = await startLocalS3({ buckets: ['site'] });
  s3 = localS3Client(server.endpoint);
  cloudfront = await startCloudFrontStub();
  clean = await proxy();
});

afterAll(async () => {
  s3?.destroy();
  await Promise.all(proxies.map((p) => p.close()));
  await cloudfront?.close();
  await server?.stop();
});

async function proxy(fault?: (request: ProxiedRequest) => Fault, target = server.endpoint): Promise<S3Proxy> {
  const started = await startS3Proxy({ target, fault, conditional: 'honour' });
  proxies.push(started);
  return started;
}

async function newBucket(): Promise<string> {
  bucketCount += 1;
  const bucket = `rel-${process.pid}-${bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function deploy(
  via: S3Proxy,
  bucket: string,
  sourceDir: string,
  inputs: Record<string, string> = {},
  options: Partial<RunOptions> = {},
): Promise<ActionRun> {
  via.reset();
  return runAction({
    ...options,
    inputs: {
      'source-dir': sourceDir,
      bucket,
      'endpoint-url': via.endpoint,
      'force-path-style': 'true',
      'asset-grace-period': '0',
      ...inputs,
    },
    env: {
      ...LOCAL_S3_CREDENTIALS,
      AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
      GITHUB_RUN_ID: `${Date.now()}`,
      ...options.env,
    },
  });
}

async function readManifestBody(bucket: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST_NAME }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

function expectSuccess(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

/**
 * The bucket holds exactly the site (plus the manifest), byte for byte, with the default headers README
 * "Headers" gives each type (support/expected-headers.ts: written out there, not computed by src/).
 */
async function expectConverged(bucket: string, site: string): Promise<void> {
  const files = listFiles(site).sort();
  expect((await listKeys(s3, bucket)).filter((key) => key !== MANIFEST_NAME)).toEqual(files);
  for (const file of files) {
    const stored = await readObject(s3, bucket, file);
    expect({ file, md5: md5(stored.body), contentType: stored.contentType, cacheControl: stored.cacheControl }).toEqual(
      {
        file,
        md5: md5(readFileSync(path.join(site, file))),
        ...expectedHeaders(file),
      },
    );
  }
}

/** Keys a page links to (href/src on this site), resolved against the page's own directory. */
function linkedKeys(html: string, pageKey: string): string[] {
  const directory = pageKey.includes('/') ? pageKey.slice(0, pageKey.lastIndexOf('/') + 1) : '';
  return [...html.matchAll(/(?:href|src)="([^"#?]+)"/g)]
    .map((match) => match[1]!)
    .filter((link) => !/^[a-z]+:/i.test(link))
    .map((link) => {
      const resolved = path.posix.normalize(link.startsWith('/') ? link.slice(1) : directory + link);
      return decodeURI(resolved.endsWith('/') ? `${resolved}index.html` : resolved);
    });
}

/** No page in the bucket links an asset that is not there. */
async function expectNoBrokenPages(bucket: string): Promise<void> {
  const keys = new Set(await listKeys(s3, bucket));
  for (const key of keys) {
    if (!key.endsWith('.html')) continue;
    const html = (await readObject(s3, bucket, key)).body.toString('utf8');
    for (const linked of linkedKeys(html, key))
      expect({ page: key, linked, present: keys.has(linked) }).toEqual({ page: key, linked, present: true });
  }
}

/** Two versions of a site whose pages link fingerprinted assets that change between them. */
function versionedSite(version: 1 | 2, extraAssets = 0): string {
  const css = version === 1 ? 'assets/app.1a2b3c4d.css' : 'assets/app.5e6f7a8b.css';
  const files: Record<string, string | Buffer> = {
    'index.html': `<link rel="stylesheet" href="/${css}"><img src="/img/logo-v${version}.png"><a href="docs/">docs</a>`,
    'docs/index.html': `<link rel="stylesheet" href="../${css}"><img src="pic.png"><p>v${version}</p>`,
    'docs/pic.png': Buffer.alloc(2048, version),
    [`img/logo-v${version}.png`]: Buffer.alloc(4096, version + 10),
    [css]: `body { color: ${version === 1 ? 'red' : 'blue'}; }`,
  };
  for (let index = 0; index < extraAssets; index += 1)
    files[`img/extra-${index}.png`] = Buffer.alloc(8192, index + version);
  return writeSite(files);
}

describe('faults', () => {
  it('transient faults (503 SlowDown, 500, resets, delays) are retried and the deploy succeeds', async () => {
    const random = seeded(42);
    const faultsPerRequest = new Map<string, number>();
    const kinds: Fault[] = [
      { status: 503, code: 'SlowDown' },
      { status: 500, code: 'InternalError' },
      'reset',
      { delayMs: 300 },
    ];
    let injected = 0;
    const flaky = await proxy((request) => {
      const id = `${request.method} ${request.url}`;
      const seen = faultsPerRequest.get(id) ?? 0;
      // A transient fault: at most twice for the same request, then it goes through.
      if (seen >= 2 || random() >= 0.4) return undefined;
      faultsPerRequest.set(id, seen + 1);
      return kinds[injected++ % kinds.length];
    });
    const bucket = await newBucket();
    const site = versionedSite(1, 12);
    const run = await deploy(flaky, bucket, site, { concurrency: '4' });
    expectSuccess(run);
    const labels = flaky.requests.map((request) => request.injected).filter(Boolean);
    expect(new Set(labels)).toEqual(new Set(['SlowDown', 'InternalError', 'reset', 'delay 300']));
    expect(labels.length).toBeGreaterThanOrEqual(8);
    await expectConverged(bucket, site);
  });

  it('a store that throttles writes: the window backs off, the log says how, and the deploy converges', async () => {
    // Every 6th PUT of a site file meets one SlowDown, which the SDK retries; the action counts each.
    let puts = 0;
    const throttling = await proxy((request) => {
      if (request.operation !== 'PutObject' || request.url.includes(MANIFEST_NAME)) return undefined;
      puts += 1;
      return puts % 6 === 0 ? { status: 503, code: 'SlowDown' } : undefined;
    });
    const bucket = await newBucket();
    const site = versionedSite(1, 60);
    const run = await deploy(throttling, bucket, site);
    expectSuccess(run);
    const slowDowns = throttling.requests.filter((request) => request.injected === 'SlowDown').length;
    expect(slowDowns).toBeGreaterThanOrEqual(5);
    expect(run.stdout).toMatch(
      new RegExp(
        `Writes in flight: started at 32, peaked at \\d+, ended at \\d+; ${slowDowns} slow-down answers from the store \\(backed off [1-9]\\d*×\\)\\.`,
      ),
    );
    await expectConverged(bucket, site);
  });

  it("site files after the SDK's first request go as direct PUTs, signed by the run's credentials, and are stored as planned", async () => {
    // The SDK marks its requests with an invocation id; the direct PUTs of site files (direct-put.ts) do not.
    const sent: Array<{ direct: boolean; verdict: Verdict }> = [];
    const watching = await proxy((request) => {
      if (request.operation === 'PutObject' && !request.url.includes('parlai-site-deploy')) {
        sent.push({
          direct: request.headers['amz-sdk-invocation-id'] === undefined,
          verdict: verifySigV4(
            request.method,
            request.url,
            request.headers as IncomingHttpHeaders,
            undefined,
            LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
          ),
        });
      }
      return undefined;
    });
    const bucket = await newBucket();
    const site = versionedSite(1, 60);
    expectSuccess(await deploy(watching, bucket, site, { concurrency: '4' }));
    expect(sent.length).toBe(listFiles(site).length);
    expect(sent.filter((put) => put.direct).length).toBe(sent.length); // the claim showed the route
    expect(new Set(sent.map((put) => put.verdict))).toEqual(new Set(['valid']));
    await expectConverged(bucket, site);
  });

  it('persistent faults: non-zero exit, nothing deleted, manifest kept, failures listed; a clean re-run converges', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy(clean, bucket, versionedSite(1)));
    const manifestBefore = decodeManifest(await readManifestBody(bucket));
    const before = await snapshot(s3, bucket);

    const broken = await proxy((request) =>
      request.operation === 'PutObject' && request.url.includes('/img/')
        ? { status: 500, code: 'InternalError' }
        : undefined,
    );
    const site = versionedSite(2);
    const run = await deploy(broken, bucket, site);
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /write\(s\) failed: nothing was deleted and the deploy manifest records only what was written/,
    );
    expect(broken.counts.DeleteObjects ?? 0).toBe(0);
    const pagesSent = broken.requests.filter(
      (request) => request.operation === 'PutObject' && request.url.endsWith('.html'),
    );
    expect(pagesSent).toEqual([]); // pages wait for their assets
    // The claim is let go: the manifest records what was written, and still the pages as they were.
    const manifest = decodeManifest(await readManifestBody(bucket));
    expect(manifest.claim).toBeUndefined();
    expect(manifest.entries.get('index.html')).toEqual(manifestBefore.entries.get('index.html'));
    expect(run.summary).toContain('### Failed');
    expect(run.summary).toContain('`img/logo-v2.png`');
    expect(run.summary).toMatch(/`index.html`: not written: pages wait until every asset is uploaded/);
    // Nothing was deleted and no page was replaced: only assets went up, and every page still works.
    const after = await snapshot(s3, bucket);
    for (const key of Object.keys(before)) expect(after).toHaveProperty([key]);
    for (const key of Object.keys(before).filter((k) => k.endsWith('.html'))) expect(after[key]).toEqual(before[key]);
    await expectNoBrokenPages(bucket);

    expectSuccess(await deploy(clean, bucket, site));
    await expectConverged(bucket, site);
  });

  it('SIGKILL in the middle of an upload: no page ever links a missing asset, and a re-run converges', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy(clean, bucket, versionedSite(1)));
    const site = versionedSite(2, 20);
    let kill: (() => void) | undefined;
    let puts = 0;
    const slow = await proxy((request) => {
      if (request.operation !== 'PutObject') return undefined;
      puts += 1;
      if (puts === 8) kill?.(); // the probe, the claim, then six uploads under way
      return { delayMs: 50 };
    });
    const workflowRun = { GITHUB_RUN_ID: `${Date.now()}`, GITHUB_RUN_ATTEMPT: '1' };
    const killed = await deploy(
      slow,
      bucket,
      site,
      { concurrency: '2' },
      { onStart: (child) => (kill = () => child.kill('SIGKILL')), env: workflowRun },
    );
    expect(killed.signal).toBe('SIGKILL');
    const keys = await listKeys(s3, bucket);
    expect(keys.some((key) => key.startsWith('img/extra-'))).toBe(true); // it was killed mid-upload…
    expect((await readObject(s3, bucket, 'index.html')).body.toString()).toContain('app.1a2b3c4d.css'); // …before any page
    await expectNoBrokenPages(bucket);

    // The killed run's claim is live for 'lock-timeout': another deploy is refused, naming it…
    const other = await deploy(clean, bucket, site);
    expect(other.outputs.result).toBe('refused');
    expect(other.errors.join('\n')).toMatch(
      new RegExp(`Another deploy is publishing .*run-${workflowRun.GITHUB_RUN_ID} \\(attempt 1`),
    );
    expect(clean.writes()).toBe(0);
    // …while a re-run of the same workflow run (the "Re-run jobs" button) takes its claim over.
    const rerun = await deploy(clean, bucket, site, {}, { env: { ...workflowRun, GITHUB_RUN_ATTEMPT: '2' } });
    expectSuccess(rerun);
    expect(rerun.stdout).toContain('Taking over the claim of an earlier attempt of this workflow run');
    await expectConverged(bucket, site);
    await expectNoBrokenPages(bucket);
    // The objects the killed run wrote are recognised (one HEAD each), not sent again.
    expect(Number(rerun.outputs.uploaded)).toBeLessThan(listFiles(site).length);
  });

  it('cancelled as the runner cancels a job (SIGINT, SIGTERM 7.5 s later): stops writing, lets go of its claim, reports, and the next run deploys at once', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy(clean, bucket, versionedSite(1)));
    const site = versionedSite(2, 20);
    let cancel: (() => void) | undefined;
    let puts = 0;
    const slow = await proxy((request) => {
      if (request.operation !== 'PutObject') return undefined;
      puts += 1;
      if (puts === 8) cancel?.();
      return { delayMs: 50 };
    });
    const timers: NodeJS.Timeout[] = [];
    const started = Date.now();
    const cancelled = await deploy(
      slow,
      bucket,
      site,
      { concurrency: '2' },
      {
        onStart: (child) =>
          (cancel = () => {
            child.kill('SIGINT');
            timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
            timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000));
          }),
      },
    );
    timers.forEach(clearTimeout);
    expect(cancelled.signal).toBeNull(); // it ended by itself…
    expect(Date.now() - started).toBeLessThan(7500 + 2000); // …long before the runner's SIGTERM would matter
    expect(cancelled.code).toBe(1);
    expect(cancelled.outputs.result).toBe('failed');
    expect(cancelled.summary).toContain('Stopped: the job was cancelled.');
    const manifest = decodeManifest((await readObject(s3, bucket, MANIFEST_NAME)).body);
    expect(manifest.claim).toBeUndefined();
    await expectNoBrokenPages(bucket);
    // Another workflow run (the next push) is not refused: the claim was let go.
    const next = await deploy(clean, bucket, site, {}, { env: { GITHUB_RUN_ID: `${Date.now()}` } });
    expectSuccess(next);
    await expectConverged(bucket, site);
  });

  it('a manifest forged to exhaust memory ends in a result and a summary within a 64 MB heap', async () => {
    const bucket = await newBucket();
    const site = versionedSite(1);
    expectSuccess(await deploy(clean, bucket, site));
    const bomb = `{"format":"parlai-site-deploy/manifest","version":3,"claim":[${'{},'.repeat(20_000_000)}{}]}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: MANIFEST_NAME,
        Body: gzipSync(bomb),
        ContentType: 'application/gzip',
      }),
    );
    const run = await deploy(clean, bucket, site, {}, { env: { NODE_OPTIONS: '--max-old-space-size=64' } });
    expect(run.signal).toBeNull();
    expect(run.outputs.result).toBe('unchanged');
    expect(run.summary).toContain('Up to date');
    expect(run.warnings.join('\n')).toMatch(/deploy manifest .* is unreadable/);
  });
});

describe('concurrent deploys', () => {
  // Three runs of the bundled action started together on one prefix, through a proxy that gives s3rver S3's
  // conditional writes. Each run's claim waits until all three have read the manifest (they started in the
  // same second); every other request gets a seeded random delay, so each seed is another interleaving.
  const SEEDS = (process.env.E2E_RACE_SEEDS ?? '1,2,3').split(',').map(Number);
  it.each(SEEDS)(
    'seed %i: exactly one of three racing runs publishes; the bucket is exactly its build',
    async (seed) => {
      const bucket = await newBucket();
      expectSuccess(await deploy(clean, bucket, versionedSite(1)));
      let state = seed;
      const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
      let reads = 0;
      let allRead: () => void = () => undefined;
      // Bounded: a run that never reads (it crashed) must not hold the others for ever.
      const barrier = Promise.race([
        new Promise<void>((resolve) => (allRead = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
      ]);
      const racing = await proxy((request) => {
        const manifest = request.url.includes(MANIFEST_NAME);
        if (manifest && request.operation === 'GetObject' && ++reads === 3) allRead();
        if (
          manifest &&
          request.operation === 'PutObject' &&
          (request.headers['if-match'] || request.headers['if-none-match'])
        )
          return { until: barrier };
        return { delayMs: Math.floor(next() * 30) };
      });
      const sites = [0, 1, 2].map((index) =>
        writeSite({ 'index.html': `<p>run ${index}</p>`, [`only-${index}.css`]: `${index}` }),
      );
      const results = await Promise.all(
        sites.map((site, index) =>
          deploy(
            racing,
            bucket,
            site,
            { 'max-deletes': '50' },
            {
              timeoutMs: 50_000,
              env: {
                GITHUB_RUN_ID: `${seed}00${index}`,
                GITHUB_SERVER_URL: 'https://github.com',
                GITHUB_REPOSITORY: 'o/r',
              },
            },
          ),
        ),
      );
      const winners = results.flatMap((result, index) => (result.outputs.result === 'deployed' ? [index] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      for (const [index, result] of results.entries()) {
        if (index === winner) continue;
        expect(result.code).toBe(1);
        expect(result.outputs.result).toBe('refused');
        expect(result.errors.join('\n')).toContain(`https://github.com/o/r/actions/runs/${seed}00${winner}`);
        expect(result.summary).toContain('Nothing was written to the bucket.');
      }
      // No object of a losing build, none of the winner's missing.
      await expectConverged(bucket, sites[winner]!);
    },
    90_000,
  );

  it('a deploy that planned against a manifest another deploy has since published refuses, writing no object', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy(clean, bucket, versionedSite(1)));
    let release: () => void = () => undefined;
    const held = new Promise((resolve) => (release = () => resolve(undefined)));
    let holding: () => void = () => undefined;
    const holdingStarted = new Promise<void>((resolve) => (holding = resolve));
    // Deploy A's first write (the conditional-write probe, before its claim) is held until deploy B has finished.
    const slowA = await proxy((request) => {
      if (request.operation !== 'PutObject') return undefined;
      holding();
      return { until: held };
    });
    const siteA = versionedSite(2);
    const siteB = writeSite({ 'index.html': '<p>B</p>', 'b.css': 'b' });
    const runA = deploy(slowA, bucket, siteA);
    await holdingStarted;
    const runB = await deploy(clean, bucket, siteB, { 'max-deletes': '10' });
    expectSuccess(runB);
    const manifestB = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: MANIFEST_NAME }))).ETag;
    release();
    const resultA = await runA;
    expect(resultA.code).toBe(1);
    expect(resultA.errors.join('\n')).toMatch(
      /took s3:\/\/rel-\d+-\d+\/ while this deploy was planning: nothing was written.*`concurrency:` group/,
    );
    expect(resultA.outputs.result).toBe('refused');
    expect(slowA.counts.PutObject).toBe(2); // the probe and the claim that lost: no content object
    expect(slowA.counts.DeleteObjects ?? 0).toBe(0);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: MANIFEST_NAME }))).ETag).toBe(manifestB);
    // Re-running the deploy that should be live converges.
    expectSuccess(await deploy(clean, bucket, siteB, { 'max-deletes': '20' }));
    await expectConverged(bucket, siteB);
  });
});

describe('stores without conditional writes', () => {
  it('one that answers 501 NotImplemented: one warning naming it and a concurrency group, then deploys', async () => {
    const bucket = await newBucket();
    const refusing = await startS3Proxy({ target: server.endpoint, conditional: 'refuse' });
    proxies.push(refusing);
    const site = versionedSite(1);
    const run = await deploy(refusing, bucket, site);
    expectSuccess(run);
    const warnings = run.warnings.filter((line) => /conditional writes/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not support conditional writes.*`concurrency:` group/);
    await expectConverged(bucket, site);
  });

  it('one that ignores them (s3rver as it is): found out by the probe, which leaves nothing behind', async () => {
    const bucket = await newBucket();
    const ignoring = await startS3Proxy({ target: server.endpoint, conditional: 'ignore' });
    proxies.push(ignoring);
    const site = versionedSite(1);
    const run = await deploy(ignoring, bucket, site);
    expectSuccess(run);
    expect(run.warnings.join('\n')).toMatch(/ignores conditional writes/);
    await expectConverged(bucket, site);
  });

  it("with 'require-conditional-writes: true': refused before any content is written, with a summary", async () => {
    const bucket = await newBucket();
    const refusing = await startS3Proxy({ target: server.endpoint, conditional: 'refuse' });
    proxies.push(refusing);
    const run = await deploy(refusing, bucket, versionedSite(1), { 'require-conditional-writes': 'true' });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('refused');
    expect(run.errors.join('\n')).toMatch(/'require-conditional-writes' is true: refusing/);
    expect(run.summary).toContain('To fix: change the input `require-conditional-writes`.');
    expect(await listKeys(s3, bucket)).toEqual([]);
  });
});

describe('grace period for deleted fingerprinted assets', () => {
  const GRACE = '8s';
  const GRACE_MS = 8000;

  it('keeps a replaced fingerprinted asset for pages still cached, then deletes it on a later deploy', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy(clean, bucket, versionedSite(1), { 'asset-grace-period': GRACE }));
    const v2 = versionedSite(2);
    const second = await deploy(clean, bucket, v2, { 'asset-grace-period': GRACE, 'distribution-id': 'EGRACE1234' });
    const keptSince = Date.now(); // no earlier than the date the deploy recorded
    expectSuccess(second);
    const keys = await listKeys(s3, bucket);
    expect(keys).toContain('assets/app.1a2b3c4d.css'); // the old asset a stale page may still ask for
    expect(keys).not.toContain('img/logo-v1.png'); // not fingerprinted: deleted at once
    expect(second.outputs.deleted).toBe('1');
    expect(second.summary).toContain('1 deleted fingerprinted asset kept for pages still cached');
    expect(second.stdout).toMatch(/kept\s+assets\/app\.1a2b3c4d\.css \(gone from the build; deleted after /);

    // Well inside the period even on a loaded machine (a deploy here takes a second or two).
    const early = await deploy(clean, bucket, v2, { 'asset-grace-period': GRACE });
    expectSuccess(early);
    expect(early.outputs).toMatchObject({ result: 'unchanged', uploaded: '0', deleted: '0' });
    expect(await listKeys(s3, bucket)).toContain('assets/app.1a2b3c4d.css'); // still inside its period
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, keptSince + GRACE_MS + 100 - Date.now())));
    const later = await deploy(clean, bucket, v2, { 'asset-grace-period': GRACE, 'distribution-id': 'EGRACE1234' });
    expectSuccess(later);
    expect(later.outputs.deleted).toBe('1');
    expect(await listKeys(s3, bucket)).not.toContain('assets/app.1a2b3c4d.css');
    expect(cloudfront.invalidations.at(-1)!.paths).toEqual(['/assets/app.1a2b3c4d.css']);
    await expectConverged(bucket, v2);
  }, 45_000);
});

describe('bad input: an ::error:: that names the input or file and the fix, and the bucket untouched', () => {
  let bucket: string;
  let site: string;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    bucket = await newBucket();
    site = versionedSite(1);
    expectSuccess(await deploy(clean, bucket, site));
    before = await snapshot(s3, bucket);
  });

  async function expectRefused(run: ActionRun, message: RegExp): Promise<void> {
    expect({ code: run.code, errors: run.errors }).toEqual({ code: 1, errors: [expect.stringMatching(message)] });
    expect(clean.writes()).toBe(0);
    expect(await snapshot(s3, bucket)).toEqual(before);
  }

  /** `<0…><1…>…<4…>/page.html` under `directory`, each directory name `nameLength` bytes long. */
  function deepFile(directory: string, nameLength: number): void {
    const deep = path.join(directory, ...Array.from({ length: 5 }, (_, i) => `${i}${'x'.repeat(nameLength - 1)}`));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'page.html'), 'deep');
  }

  /** A copy of the deployed site with one change made by `alter`. */
  function alteredSite(alter: (directory: string) => void): string {
    const directory = versionedSite(1);
    alter(directory);
    return directory;
  }

  it.each<[string, () => Record<string, string>, RegExp]>([
    [
      'missing source-dir',
      () => ({ 'source-dir': path.join(tempDir('none'), 'build') }),
      /'source-dir' ".*build" does not exist .*check the path/,
    ],
    ['empty source-dir', () => ({ 'source-dir': tempDir('empty') }), /'source-dir' ".*" is empty: refusing to deploy/],
    [
      'a file as source-dir',
      () => ({ 'source-dir': path.join(site, 'index.html') }),
      /'source-dir' ".*index.html" is a file, not a directory/,
    ],
    [
      'invalid bucket name',
      () => ({ bucket: 'My_Bucket' }),
      /Input 'bucket': 'My_Bucket' is not a valid S3 bucket name: use 3-63 lowercase/,
    ],
    [
      'bucket given as a URL',
      () => ({ bucket: 's3://my-bucket/site' }),
      /Input 'bucket': give the bucket name only, without 's3:\/\/'/,
    ],
    [
      'invalid region',
      () => ({ region: 'Not A Region!' }),
      /Input 'region': 'Not A Region!' .* is not an AWS region name/,
    ],
    [
      'malformed cache-control',
      () => ({ 'cache-control': '*.html public' }),
      /Input 'cache-control': line '\*\.html public' is not 'GLOB: VALUE'/,
    ],
    [
      'malformed content-type',
      () => ({ 'content-type': '*.x: not-a-type' }),
      /Input 'content-type': 'not-a-type' in '\*\.x: not-a-type' is not a media type/,
    ],
    ['bad glob', () => ({ exclude: 'docs/[abc' }), /Input 'exclude': bad glob 'docs\/\[abc'/],
    ['negated glob', () => ({ exclude: '!keep.html' }), /Input 'exclude': bad glob '!keep.html': negated patterns/],
    [
      'zero concurrency',
      () => ({ concurrency: '0' }),
      /Input 'concurrency': must be 'auto' or a whole number from 1 to 256, got '0'/,
    ],
    [
      'negative concurrency',
      () => ({ concurrency: '-4' }),
      /Input 'concurrency': must be 'auto' or a whole number from 1 to 256, got '-4'/,
    ],
    [
      'non-numeric concurrency',
      () => ({ concurrency: 'lots' }),
      /Input 'concurrency': must be 'auto' or a whole number/,
    ],
    [
      'zero max-deletes',
      () => ({ 'max-deletes': '0' }),
      /Input 'max-deletes': must be a whole number of at least 1, got '0'\. To deploy without deleting anything, set 'delete: false'/,
    ],
    [
      'negative max-deletes',
      () => ({ 'max-deletes': '-1' }),
      /Input 'max-deletes': must be a whole number of at least 1/,
    ],
    ['non-numeric max-deletes', () => ({ 'max-deletes': 'all' }), /Input 'max-deletes': must be a whole number/],
    ['prefix with ..', () => ({ prefix: 'previews/../prod' }), /Input 'prefix': has an empty, '\.' or '\.\.' segment/],
    ['prefix with a leading /', () => ({ prefix: '/site' }), /Input 'prefix': must not start with '\/'/],
    [
      'bad grace period',
      () => ({ 'asset-grace-period': 'forever' }),
      /Input 'asset-grace-period': 'forever' is not a duration/,
    ],
    ['bad boolean', () => ({ 'dry-run': 'yes' }), /Input 'dry-run': must be true or false, got 'yes'/],
    [
      'a symlink leaving the build',
      () => ({ 'source-dir': alteredSite((d) => symlinkSync(os.homedir(), path.join(d, 'home'))) }),
      /Symlink "home" points outside 'source-dir'.*Copy the file into the build instead, or add the link to 'exclude'/,
    ],
    [
      'a name with a control character',
      () => ({ 'source-dir': alteredSite((d) => writeFileSync(path.join(d, 'bad\tname.html'), 'x')) }),
      /File "bad\\tname.html" has a control character in its name.*rename it/,
    ],
    [
      'a key longer than 1,024 bytes',
      // Five 205-byte directory names and /page.html: 1,039 bytes.
      () => ({ 'source-dir': alteredSite((d) => deepFile(d, 205)) }),
      /File ".*page.html" would get a 1039-byte key; S3 allows 1024: shorten its path or the prefix, or add it to 'exclude'/,
    ],
  ])('%s', async (_name, inputs, message) => {
    await expectRefused(await deploy(clean, bucket, site, inputs()), message);
  });

  it('a key longer than 1,024 bytes once the prefix is added', async () => {
    // 1,014 bytes on its own; 'previews/pr-123/' adds 16.
    const deepSite = alteredSite((d) => deepFile(d, 200));
    await expectRefused(
      await deploy(clean, bucket, deepSite, { prefix: 'previews/pr-123' }),
      /would get a 1030-byte key; S3 allows 1024: shorten its path or the prefix/,
    );
  });

  // As root every file is readable: the action runs with root's capabilities dropped, as a runner's
  // unprivileged user would meet the file. Where that cannot be done, the test says why and is skipped.
  const reader = unprivileged();
  if (reader.skip) console.warn(`Skipping "an unreadable file": ${reader.skip}`);
  (reader.skip ? it.skip : it)(`an unreadable file${reader.skip ? ` (skipped: ${reader.skip})` : ''}`, async () => {
    if (!('wrapper' in reader)) return;
    const unreadable = alteredSite((d) => writeFileSync(path.join(d, 'secret.html'), 'x'));
    chmodSync(path.join(unreadable, 'secret.html'), 0o000);
    const run = await deploy(clean, bucket, unreadable, {}, { wrapper: reader.wrapper });
    await expectRefused(
      run,
      /Cannot read "secret.html" in 'source-dir' \(permission denied\): make it readable in the build, or add it to 'exclude'/,
    );
  });

  it('a zero-byte file is not an error: it is deployed as an empty object', async () => {
    const empty = await newBucket();
    const withEmpty = writeSite({ 'index.html': 'x', '.nojekyll': '', 'assets/empty.css': '' });
    expectSuccess(await deploy(clean, empty, withEmpty));
    expect((await readObject(s3, empty, 'assets/empty.css')).body.length).toBe(0);
    await expectConverged(empty, withEmpty);
  });
});

describe('secrets', () => {
  const SECRETS = {
    AWS_SECRET_ACCESS_KEY: 'sEcReT/aCcEsS+KeY0123456789abcdefXYZ',
    AWS_SESSION_TOKEN: 'FwoGZXIvYXdzSESSIONTOKEN0123456789abcdef==',
    'INPUT_GITHUB-TOKEN': 'ghs_GitHubTokenValue0123456789abcdefABC',
    GITHUB_TOKEN: 'ghs_WorkflowTokenValue0123456789abcdefXY',
  };
  let lenient: LocalS3;
  let lenientProxy: S3Proxy;
  let failingCloudFront: CloudFrontStub;

  beforeAll(async () => {
    // This server accepts any secret for the S3RVER key id, so the secret can be a distinctive string.
    lenient = await startLocalS3({ buckets: ['secret-site'], allowMismatchedSignatures: true });
    lenientProxy = await proxy(
      (request) =>
        request.operation === 'PutObject' && request.url.includes('/broken/')
          ? { status: 500, code: 'InternalError' }
          : undefined,
      lenient.endpoint,
    );
    failingCloudFront = await startCloudFrontStub({ failWith: 'AccessDenied' });
  });
  afterAll(async () => {
    await failingCloudFront?.close();
    await lenient?.stop();
  });

  function run(
    inputs: Record<string, string>,
    sourceDir: string,
    extraEnv: Record<string, string> = {},
  ): Promise<ActionRun> {
    return runAction({
      inputs: {
        'source-dir': sourceDir,
        bucket: 'secret-site',
        'endpoint-url': lenientProxy.endpoint,
        'force-path-style': 'true',
        ...inputs,
      },
      env: {
        AWS_ACCESS_KEY_ID: 'S3RVER',
        ...SECRETS,
        AWS_ENDPOINT_URL_CLOUDFRONT: failingCloudFront.endpoint,
        ...extraEnv,
      },
    });
  }

  it('are registered with the runner and appear nowhere else, in success and in every failure path', async () => {
    const site = writeSite({ 'index.html': 'x', 'a.css': 'a' });
    const runs: Array<[string, ActionRun]> = [];
    runs.push(['success', await run({}, site)]);
    runs.push(['bad input', await run({ concurrency: '0' }, site)]);
    runs.push(['missing bucket', await run({ bucket: 'no-such-bucket' }, site)]);
    runs.push(['failing writes', await run({}, writeSite({ 'index.html': 'y', 'broken/a.png': 'p' }))]);
    writeFileSync(path.join(site, 'a.css'), 'changed');
    runs.push(['failing invalidation', await run({ 'distribution-id': 'EFAILING123' }, site)]);
    runs.push(['failing build', await run({ 'build-command': 'echo "about to fail"; exit 7' }, site)]);
    expect(runs.map(([name, r]) => [name, r.code])).toEqual([
      ['success', 0],
      ['bad input', 1],
      ['missing bucket', 1],
      ['failing writes', 1],
      ['failing invalidation', 1],
      ['failing build', 1],
    ]);
    for (const [name, result] of runs) {
      const masked = result.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
      for (const secret of Object.values(SECRETS))
        expect({ name, registered: masked.includes(`::add-mask::${secret}`) }).toEqual({ name, registered: true });
      const printed = [
        ...result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')),
        result.stderr,
        result.summary,
        JSON.stringify(result.outputs),
      ].join('\n');
      for (const secret of Object.values(SECRETS))
        expect({ name, leaked: printed.includes(secret) }).toEqual({ name, leaked: false });
    }
  });
});
