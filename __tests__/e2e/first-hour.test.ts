// A user's first hour, end to end (dist/index.js as the runner or a terminal runs it, against s3rver on
// 127.0.0.1): the log and the summary show the headers each rule gives, header-only changes as old → new;
// local runs print readable outputs and summary (or write them to files), never workflow commands or a
// secret; a misspelt INPUT_ variable is named; no AWS SDK Node-version warning.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { type ActionRun, type RunOptions, runAction } from '../support/action-runner.js';
import { listKeys, localS3Client, readObject } from '../support/bucket.js';
import { tempDir } from '../support/cleanup.js';
import { type CloudFrontStub, startCloudFrontStub } from '../support/cloudfront-stub.js';
import { listFiles, sampleSite } from '../support/sites.js';

// s3rver accepts any secret with its access key here, so the secrets below can be distinctive.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFIRSTHOURSECRET';
const SESSION_TOKEN = 'FQoGZXIvYXdzEFIRSTHOURSESSIONTOKEN';
const GITHUB_TOKEN = 'ghp_FIRSTHOURgithubTOKEN0123456789abcd';
const DISTRIBUTION = 'EFIRSTHOUR0001';
const SDK_NODE_WARNING = /NodeVersionSupportWarning|NodeDeprecationWarning|AWS SDK for JavaScript \(v3\)/;

let server: LocalS3;
let cloudfront: CloudFrontStub;
let s3: S3Client;
let buckets = 0;

beforeAll(async () => {
  server = await startLocalS3({ buckets: [], allowMismatchedSignatures: true });
  cloudfront = await startCloudFrontStub();
  s3 = localS3Client(server.endpoint);
});

afterAll(async () => {
  s3?.destroy();
  await cloudfront?.close();
  await server?.stop();
});

async function newBucket(): Promise<string> {
  buckets += 1;
  const bucket = `first-hour-${process.pid}-${buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function deploy(
  bucket: string,
  site: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
  options: Partial<RunOptions> = {},
): Promise<ActionRun> {
  return runAction({
    inputs: { 'source-dir': site, bucket, 'endpoint-url': server.endpoint, 'force-path-style': 'true', ...inputs },
    env: {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
      GITHUB_RUN_ID: `${Date.now()}`,
      ...env,
    },
    ...options,
  });
}

/** As a person runs it from a terminal: no runner files, no run id. */
const LOCAL = { GITHUB_OUTPUT: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_RUN_ID: undefined };

function expectSuccess(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
}

function expectNoSdkWarning(run: ActionRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(SDK_NODE_WARNING);
}

/** The plan's per-rule lines, as printed in the log. */
function ruleLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('rule '));
}

describe('Show the headers', () => {
  it('the plan in the log has one line per rule and headers, and the summary a Headers table', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    const files = listFiles(site);
    const run = await deploy(bucket, site);
    expectSuccess(run);
    expectNoSdkWarning(run);

    const lines = ruleLines(run.stdout);
    // examples/site's 13 files get 8 distinct rule and headers pairs, one line each: the 6 pages; the other
    // JSON Lines, SVG, PNG and text; the fingerprinted CSS and JS; the XML sitemap.
    expect(files).toHaveLength(13);
    expect(lines).toEqual([
      'rule     default: HTML page — 6 file(s) get Content-Type: text/html; charset=utf-8 · Cache-Control: public, max-age=0, must-revalidate (404.html, about/index.html, docs/guide/c++.html, …)',
      'rule     default: other — 1 file(s) get Content-Type: application/jsonl; charset=utf-8 · Cache-Control: public, max-age=3600 (data/examples.jsonl)',
      'rule     default: other — 1 file(s) get Content-Type: image/svg+xml; charset=utf-8 · Cache-Control: public, max-age=3600 (images/logo.svg)',
      'rule     default: other — 1 file(s) get Content-Type: image/png · Cache-Control: public, max-age=3600 (images/pattern.png)',
      'rule     default: other — 1 file(s) get Content-Type: text/plain; charset=utf-8 · Cache-Control: public, max-age=3600 (robots.txt)',
      'rule     default: fingerprinted asset — 1 file(s) get Content-Type: text/css; charset=utf-8 · Cache-Control: public, max-age=31536000, immutable (assets/app.3f2a9c1b7d.css)',
      'rule     default: fingerprinted asset — 1 file(s) get Content-Type: text/javascript; charset=utf-8 · Cache-Control: public, max-age=31536000, immutable (assets/app.9e107d9d.js)',
      'rule     default: XML or feed — 1 file(s) get Content-Type: application/xml; charset=utf-8 · Cache-Control: public, max-age=0, must-revalidate (sitemap.xml)',
    ]);
    const pages = files.filter((file) => file.endsWith('.html')).length;

    expect(run.summary).toContain(
      '### Headers\n\n| rule | count | Content-Type | Cache-Control |\n|---|---:|---|---|\n',
    );
    expect(run.summary).toContain(
      `| default: HTML page | ${pages} | \`text/html; charset=utf-8\` | \`public, max-age=0, must-revalidate\` |`,
    );
    expect(run.summary).toContain('| default: other | 1 | `image/png` | `public, max-age=3600` |');
  });

  it('a header-only change prints old → new with the rule, and the summary names the glob', async () => {
    const bucket = await newBucket();
    const site = sampleSite();
    expectSuccess(await deploy(bucket, site));
    const run = await deploy(bucket, site, { 'cache-control': '*.png: public, max-age=86400' });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'headers-updated': '1', 'bytes-uploaded': '0' });
    expect(run.stdout).toContain(
      "headers  images/pattern.png: Cache-Control public, max-age=3600 → public, max-age=86400 (cache-control '*.png')",
    );
    expect(ruleLines(run.stdout)).toEqual([
      "rule     cache-control '*.png' — 1 file(s) get Content-Type: image/png · Cache-Control: public, max-age=86400 (images/pattern.png)",
    ]);
    expect(run.summary).toContain("| cache-control '\\*.png' | 1 | `image/png` | `public, max-age=86400` |");
    expect((await readObject(s3, bucket, 'images/pattern.png')).cacheControl).toBe('public, max-age=86400');
  });

  it('with site-url, the summary links the changed pages', async () => {
    const bucket = await newBucket();
    const run = await deploy(bucket, sampleSite(), { 'site-url': 'https://www.example.org/' });
    expectSuccess(run);
    expect(run.summary).toContain('### Changed pages');
    expect(run.summary).toContain('- [docs/index.html](https://www.example.org/docs/)');
    expect(run.summary).toContain(
      '- [docs/guide/getting started.html](https://www.example.org/docs/guide/getting%20started.html)',
    );
    expect(run.summary).not.toContain('](https://www.example.org/robots.txt)');
  });
});

describe('local runs (no GITHUB_OUTPUT)', () => {
  const secrets = {
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
  };

  function expectNoSecret(run: ActionRun): void {
    for (const secret of [SECRET, SESSION_TOKEN, GITHUB_TOKEN]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  }

  it('print the outputs and the summary readably, no workflow command, no secret', async () => {
    const bucket = await newBucket();
    const run = await deploy(bucket, sampleSite(), { 'build-command': 'echo building' }, { ...LOCAL, ...secrets });
    expectSuccess(run);
    expect(run.stdout).toMatch(/^Build: echo building\n.*\nbuilding$/m); // a title line, not ::group::
    expect(run.stdout).not.toContain('::set-output');
    expect(run.stdout).not.toContain('::add-mask::');
    expect(run.stdout).not.toMatch(/^::/m);
    expect(run.stdout).toMatch(/^Outputs:\n {2}result=deployed\n {2}uploaded=13\n/m);
    expect(run.stdout).toMatch(/^Job summary:\n\n## Deployed to `s3:\/\/first-hour-\d+-\d+\/`\n/m);
    expect(run.stdout).toMatch(/^\| default: HTML page \| 6 \|/m); // the summary's table, one row a line
    expect(run.stdout).not.toContain('\\u000a');
    expect(run.summary).toBe('');
    expectNoSecret(run);
    expectNoSdkWarning(run);
  });

  it('a failing run prints no secret either', async () => {
    const run = await deploy('no-such-bucket-first-hour', sampleSite(), {}, { ...LOCAL, ...secrets });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: /m);
    expect(run.stdout).toMatch(/^Outputs:\n {2}result=failed/m);
    expectNoSecret(run);
  });

  it('--summary-file and --outputs-file: written there, not printed', async () => {
    const bucket = await newBucket();
    const folder = tempDir('local-files');
    const summaryFile = path.join(folder, 's.md');
    const outputsFile = path.join(folder, 'o.txt');
    const run = await deploy(
      bucket,
      sampleSite(),
      { 'distribution-id': DISTRIBUTION },
      { ...LOCAL, ...secrets },
      { args: ['--summary-file', summaryFile, '--outputs-file', outputsFile] },
    );
    expectSuccess(run);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/^## Deployed to `s3:\/\/first-hour-\d+-\d+\/`\n/);
    expect(summary).toContain('| rule | count | Content-Type | Cache-Control |');
    const outputs = readFileSync(outputsFile, 'utf8').trimEnd().split('\n');
    expect(outputs).toEqual(expect.arrayContaining(['result=deployed', 'uploaded=13', 'invalidation-paths=[]']));
    expect(outputs.every((line) => /^[a-z-]+=/.test(line))).toBe(true);
    expect(run.stdout).toContain(`Job summary written to ${summaryFile} (--summary-file).`);
    expect(run.stdout).toContain(`Outputs written to ${outputsFile} (--outputs-file).`);
    expect(run.stdout).not.toContain('Job summary:');
    expect(run.stdout).not.toContain('Outputs:');
    expect(run.stdout).toContain('rule     default: HTML page'); // the log itself still shows the plan
    expectNoSecret(run);
  });

  it('an unknown flag stops before anything runs, with the usage', async () => {
    const bucket = await newBucket();
    const run = await deploy(bucket, sampleSite(), {}, LOCAL, { args: ['--summary', 'x.md'] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--summary'");
    expect(run.stderr).toContain('Usage: node dist/index.js [--summary-file FILE] [--outputs-file FILE]');
    expect(await listKeys(s3, bucket)).toEqual([]);
  });
});

describe('an INPUT_ variable that matches no input', () => {
  it('INPUT_DISTRIBUTION_ID (underscore) is warned about, naming INPUT_DISTRIBUTION-ID', async () => {
    const bucket = await newBucket();
    const run = await deploy(bucket, sampleSite(), {}, { INPUT_DISTRIBUTION_ID: DISTRIBUTION });
    expectSuccess(run);
    expect(run.warnings).toContainEqual(
      "INPUT_DISTRIBUTION_ID matches no input of this action and is ignored. Did you mean INPUT_DISTRIBUTION-ID (input 'distribution-id')?",
    );
  });

  it('and in a local run, on stderr', async () => {
    const bucket = await newBucket();
    const run = await deploy(bucket, sampleSite(), {}, { ...LOCAL, INPUT_DISTRIBUTION_ID: DISTRIBUTION });
    expectSuccess(run);
    expect(run.stderr).toContain('Warning: INPUT_DISTRIBUTION_ID matches no input of this action and is ignored.');
    expect(run.stderr).toContain('Did you mean INPUT_DISTRIBUTION-ID');
  });
});

/** Where an older Node comes from, in the order tried. */
function nodeCandidates(): string[] {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .filter((directory) => directory && !directory.includes('node_modules'))
    .map((directory) => path.join(directory, 'node'));
  // The Node running jest: on a machine with Node 20 or 21 installed it is the old Node a local run might use.
  return [...onPath, process.execPath].filter((candidate) => existsSync(candidate));
}

/** A `node` older than the SDK supports, as a local run might use: on PATH (outside node_modules) or jest's own. */
function olderNode(): { path: string; version: string } | undefined {
  for (const candidate of nodeCandidates()) {
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
    if (Number(/^v(\d+)\./.exec(version)?.[1]) < 22) return { path: candidate, version };
  }
  return undefined;
}

const OLD_NODE = olderNode();
if (!OLD_NODE) {
  console.warn(
    `Skipping the old-Node test: no node older than 22 on PATH or running jest (${process.execPath} is ${process.version}).`,
  );
}

describe('no AWS SDK Node-version warning', () => {
  it("on the runner's Node 24: none (checked in every run above), and none here", async () => {
    const run = await deploy(await newBucket(), sampleSite(), { 'distribution-id': DISTRIBUTION });
    expectSuccess(run);
    expectNoSdkWarning(run);
    expect(run.warnings.filter((warning) => /node/i.test(warning))).toEqual([]);
  });

  // Skipped, with the reason printed above, where no older Node is at hand: never passed without running.
  (OLD_NODE ? it : it.skip)("on an older local Node: one line of the action's own instead of the SDK's", async () => {
    const old = OLD_NODE!;
    const run = await deploy(await newBucket(), sampleSite(), {}, LOCAL, { node: old.path });
    expectSuccess(run);
    expectNoSdkWarning(run);
    expect(run.stderr).toContain(`Warning: Node ${old.version} is older than this action supports`);
  });
});
