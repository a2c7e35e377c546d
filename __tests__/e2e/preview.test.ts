// Pull-request previews and GitHub deployments, end to end: the bundled action against s3rver on 127.0.0.1
// and a loopback stub of the GitHub REST API (GITHUB_API_URL), with pull_request events as the runner
// writes them (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { MANIFEST_NAME } from '../../src/pipeline/manifest.js';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { listKeys, localS3Client } from '../support/bucket.js';
import { type CloudFrontStub, startCloudFrontStub } from '../support/cloudfront-stub.js';
import { type GitHubStub, startGitHubStub } from '../support/github-stub.js';
import { type S3Proxy, startS3Proxy } from '../support/s3-proxy.mjs';
import { tempDir, writeSite } from '../support/sites.js';

const REPOSITORY = 'org/site';
const TOKEN = 'ghs_previewTestToken0123456789';
const SITE_URL = 'https://d111111abcdef8.cloudfront.net';

let server: LocalS3;
let s3: S3Client;
let gh: GitHubStub;
let cloudfront: CloudFrontStub;
let bucket: string;
/** In front of s3rver: conditional writes as S3 has them. */
let proxy: S3Proxy;

beforeAll(async () => {
  server = await startLocalS3({ buckets: ['previews'] });
  s3 = localS3Client(server.endpoint);
  proxy = await startS3Proxy({ target: server.endpoint, conditional: 'honour' });
  gh = await startGitHubStub();
  cloudfront = await startCloudFrontStub();
  bucket = `preview-${process.pid}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  s3?.destroy();
  await gh?.close();
  await cloudfront?.close();
  await proxy?.close();
  await server?.stop();
});

function pullRequestEvent(number: number, action: string, headSha: string): string {
  const file = path.join(tempDir('event'), 'event.json');
  writeFileSync(
    file,
    JSON.stringify({
      action,
      number,
      pull_request: {
        number,
        head: { sha: headSha, ref: `feature-${number}`, repo: { full_name: REPOSITORY, fork: false } },
      },
      repository: { full_name: REPOSITORY },
    }),
  );
  return file;
}

function pushEvent(): string {
  const file = path.join(tempDir('event'), 'event.json');
  writeFileSync(file, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: REPOSITORY } }));
  return file;
}

function run(
  site: string,
  event: { name: string; path: string },
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    inputs: {
      'source-dir': site,
      bucket,
      'endpoint-url': proxy.endpoint,
      'force-path-style': 'true',
      preview: 'true',
      'site-url': SITE_URL,
      'github-token': TOKEN,
      'distribution-id': 'EPREVIEW1234',
      ...inputs,
    },
    env: {
      ...LOCAL_S3_CREDENTIALS,
      AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: event.path,
      GITHUB_SHA: 'mergecommit0000000000000000000000000000000',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      ...env,
    },
  });
}

function expectSuccess(result: ActionRun): void {
  if (result.code !== 0) throw new Error(`action failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
}

const commentsOn = (issue: number) => gh.comments.filter((comment) => comment.issue === issue);

describe('previews', () => {
  const site42 = writeSite({ 'index.html': '<h1>PR 42</h1>', 'docs/index.html': '<h1>docs</h1>', 'style.css': 'b{}' });
  const site43 = writeSite({ 'index.html': '<h1>PR 43</h1>' });
  const production = writeSite({ 'index.html': '<h1>prod</h1>', 'about.html': 'about' });

  it('a pull request deploys under pr-<number>/, comments once with the link, and records a deployment', async () => {
    const result = await run(site42, {
      name: 'pull_request',
      path: pullRequestEvent(42, 'opened', 'head42aaaaaaaaaa'),
    });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ prefix: 'pr-42/', url: `${SITE_URL}/pr-42/`, uploaded: '3' });
    expect(await listKeys(s3, bucket)).toEqual([
      `pr-42/${MANIFEST_NAME}`,
      'pr-42/docs/index.html',
      'pr-42/index.html',
      'pr-42/style.css',
    ]);

    const comments = commentsOn(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- parlai-site-deploy preview pr-42/ -->');
    expect(comments[0]!.body).toContain(`**${SITE_URL}/pr-42/**`);
    expect(comments[0]!.body).toContain(
      'Commit `head42a` · [deploy log](https://github.com/org/site/actions/runs/4242)',
    );
    expect(comments[0]!.body).toContain(`- [docs/index.html](${SITE_URL}/pr-42/docs/)`);

    expect(gh.deployments).toHaveLength(1);
    expect(gh.deployments[0]).toMatchObject({
      ref: 'head42aaaaaaaaaa',
      environment: 'preview',
      transient_environment: true,
      production_environment: false,
      required_contexts: [],
      payload: { prefix: 'pr-42/', pull_request: 42 },
    });
    expect(gh.deployments[0]!.statuses.map((status) => status.state)).toEqual(['in_progress', 'success']);
    expect(gh.deployments[0]!.statuses[1]).toMatchObject({
      environment_url: `${SITE_URL}/pr-42/`,
      log_url: 'https://github.com/org/site/actions/runs/4242',
      auto_inactive: false,
    });
    expect(gh.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(TOKEN);
  });

  it('the next push edits the same comment instead of adding one', async () => {
    appendFileSync(path.join(site42, 'docs/index.html'), '<p>more</p>');
    const result = await run(site42, {
      name: 'pull_request',
      path: pullRequestEvent(42, 'synchronize', 'head42bbbbbbbbbb'),
    });
    expectSuccess(result);
    const comments = commentsOn(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Commit `head42b`');
    expect(comments[0]!.body).toContain('| 1 | 0 | 2 |');
    expect(gh.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(gh.deployments).toHaveLength(2);
  });

  it('another pull request gets its own prefix, comment and deployment', async () => {
    expectSuccess(
      await run(site43, { name: 'pull_request', path: pullRequestEvent(43, 'opened', 'head43aaaaaaaaaa') }),
    );
    expect(commentsOn(43)).toHaveLength(1);
    expect(commentsOn(42)).toHaveLength(1);
    expect((await listKeys(s3, bucket)).filter((key) => key.startsWith('pr-43/'))).toEqual([
      `pr-43/${MANIFEST_NAME}`,
      'pr-43/index.html',
    ]);
  });

  it('a push deploys production at the root, records a production deployment, and keeps the previews', async () => {
    const result = await run(production, { name: 'push', path: pushEvent() });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ prefix: '', url: `${SITE_URL}/` });
    const deployment = gh.deployments.at(-1)!;
    expect(deployment).toMatchObject({
      ref: 'mergecommit0000000000000000000000000000000',
      environment: 'production',
      production_environment: true,
      transient_environment: false,
    });
    expect(deployment.statuses.at(-1)).toMatchObject({
      state: 'success',
      environment_url: `${SITE_URL}/`,
      auto_inactive: true,
    });
    const keys = await listKeys(s3, bucket);
    expect(keys.filter((key) => key.startsWith('pr-42/'))).toHaveLength(4);
    expect(keys.filter((key) => key.startsWith('pr-43/'))).toHaveLength(2);
    expect(result.summary).toContain('other deployments under `pr-42/`, `pr-43/`');
  });

  it('closing the pull request removes only its prefix (past max-deletes), updates the comment and deactivates its deployments', async () => {
    const invalidations = cloudfront.invalidations.length;
    const result = await run(
      site42,
      { name: 'pull_request', path: pullRequestEvent(42, 'closed', 'head42bbbbbbbbbb') },
      { 'max-deletes': '1' },
    );
    expectSuccess(result);
    expect(result.outputs.deleted).toBe('4');
    const keys = await listKeys(s3, bucket);
    expect(keys.filter((key) => key.startsWith('pr-42/'))).toEqual([]);
    expect(keys).toEqual([MANIFEST_NAME, 'about.html', 'index.html', `pr-43/${MANIFEST_NAME}`, 'pr-43/index.html']);
    expect(commentsOn(42)).toHaveLength(1);
    expect(commentsOn(42)[0]!.body).toContain('### Preview removed');
    expect(cloudfront.invalidations.length).toBe(invalidations + 1);
    expect(cloudfront.invalidations.at(-1)!.paths).toEqual(['/pr-42/*']);
    const pr42 = gh.deployments.filter(
      (deployment) => (deployment.payload as { pull_request?: number }).pull_request === 42,
    );
    const pr43 = gh.deployments.filter(
      (deployment) => (deployment.payload as { pull_request?: number }).pull_request === 43,
    );
    expect(pr42.map((deployment) => deployment.statuses.at(-1)!.state)).toEqual(['inactive', 'inactive']);
    expect(pr43.map((deployment) => deployment.statuses.at(-1)!.state)).toEqual(['success']);
    expect(result.summary).toContain('Removed the preview at `s3://');
  });
});

describe('missing GitHub permissions', () => {
  it('become warnings that name the permission; the deploy succeeds', async () => {
    gh.forbid = [/^POST .*\/deployments$/, /^POST .*\/issues\/\d+\/comments$/, /^GET .*\/issues\/\d+\/comments$/];
    try {
      const site = writeSite({ 'index.html': 'seven' });
      const result = await run(site, { name: 'pull_request', path: pullRequestEvent(7, 'opened', 'head7aaaaaaaaaaa') });
      expectSuccess(result);
      expect(result.outputs.uploaded).toBe('1');
      expect(result.warnings).toEqual([
        expect.stringMatching(
          /Could not record a GitHub deployment: the token lacks the 'deployments: write' permission\. Add `permissions: deployments: write`/,
        ),
        expect.stringMatching(
          /Could not comment on the pull request: the token lacks the 'pull-requests: write' permission/,
        ),
      ]);
      expect(commentsOn(7)).toEqual([]);
    } finally {
      gh.forbid = [];
    }
  });

  it('without a token (a local run) nothing is sent to GitHub', async () => {
    const before = gh.requests.length;
    const site = writeSite({ 'index.html': 'eight' });
    expectSuccess(
      await run(
        site,
        { name: 'pull_request', path: pullRequestEvent(8, 'opened', 'head8aaaaaaaaaaa') },
        { 'github-token': '' },
      ),
    );
    expect(gh.requests.length).toBe(before);
    expect((await listKeys(s3, bucket)).some((key) => key.startsWith('pr-8/'))).toBe(true);
  });

  it('a dry run of a preview writes nothing and tells GitHub nothing', async () => {
    const before = gh.requests.length;
    const result = await run(
      writeSite({ 'index.html': 'nine' }),
      { name: 'pull_request', path: pullRequestEvent(9, 'opened', 'head9aaaaaaaaaaa') },
      { 'dry-run': 'true' },
    );
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '1', prefix: 'pr-9/' });
    expect(gh.requests.length).toBe(before);
    expect((await listKeys(s3, bucket)).some((key) => key.startsWith('pr-9/'))).toBe(false);
  });
});

describe('a deploy stopped before any write still publishes: summary, outputs, and the preview comment', () => {
  // Each case first deploys a good preview (the comment says "Preview ready"), then a run that is stopped.
  it.each<
    [
      string,
      number,
      () => { site: string; inputs?: Record<string, string>; env?: Record<string, string> },
      string,
      RegExp,
    ]
  >([
    ['an empty build', 61, () => ({ site: writeSite({}) }), 'refused', /is empty/],
    [
      'too many deletions',
      62,
      () => ({ site: writeSite({ 'index.html': 'x' }), inputs: { 'max-deletes': '1' } }),
      'refused',
      /more than 'max-deletes'/,
    ],
    [
      'a bad input value',
      63,
      () => ({ site: siteFor(63), inputs: { concurrency: 'lots' } }),
      'refused',
      /Input 'concurrency'/,
    ],
    [
      'a missing bucket',
      64,
      () => ({ site: siteFor(64), inputs: { bucket: 'no-such-bucket-here' } }),
      'failed',
      /does not exist/,
    ],
    [
      'wrong credentials',
      65,
      () => ({ site: siteFor(65), env: { AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY', AWS_SECRET_ACCESS_KEY: 'wrong-secret' } }),
      'failed',
      /credentials were rejected|SignatureDoesNotMatch|InvalidAccessKeyId/,
    ],
    [
      'a failing build',
      66,
      () => ({ site: siteFor(66), inputs: { 'build-command': 'exit 3' } }),
      'failed',
      /exited with code 3/,
    ],
  ])('%s', async (_title, number, given, result, reason) => {
    expectSuccess(
      await run(siteFor(number), { name: 'pull_request', path: pullRequestEvent(number, 'opened', 'good') }),
    );
    expect(commentsOn(number)[0]!.body).toContain('### Preview ready');

    const { site, inputs, env } = given();
    const stopped = await runWithEnv(site, pullRequestEvent(number, 'synchronize', 'badcommit0'), inputs, env);
    expect(stopped.code).toBe(1);
    expect(stopped.outputs.result).toBe(result);
    expect(stopped.outputs).toHaveProperty('uploaded', '0');
    expect(stopped.summary).toMatch(new RegExp(`Deploy ${result}`));
    expect(stopped.summary).toMatch(reason);
    expect(stopped.errors.join('\n')).toMatch(reason);
    const comments = commentsOn(number);
    expect(comments).toHaveLength(1); // edited, not repeated
    expect(comments[0]!.body).toContain(`### Preview deploy ${result}`);
    expect(comments[0]!.body).toContain('`badcomm`');
    expect(comments[0]!.body).not.toContain('Preview ready');
  });
});

function siteFor(number: number): string {
  return writeSite({ 'index.html': `<h1>PR ${number}</h1>`, 'a.html': 'a', 'b.html': 'b' });
}

function runWithEnv(
  site: string,
  eventPath: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  // Without a distribution: these runs stop before any invalidation.
  return run(site, { name: 'pull_request', path: eventPath }, { 'distribution-id': '', ...inputs }, env);
}

describe('previews under a prefix', () => {
  it('nest under <prefix>pr-<number>/, one per pull request; closing one removes only its own', async () => {
    const nested = `nested-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: nested }));
    const inputs = { bucket: nested, prefix: 'previews' };
    for (const number of [50, 51]) {
      const result = await run(
        writeSite({ 'index.html': `<h1>PR ${number}</h1>`, 'a.css': 'a{}' }),
        { name: 'pull_request', path: pullRequestEvent(number, 'opened', `head${number}aaaaaaaaaa`) },
        inputs,
      );
      expectSuccess(result);
      expect(result.outputs).toMatchObject({
        prefix: `previews/pr-${number}/`,
        url: `${SITE_URL}/previews/pr-${number}/`,
      });
      expect(commentsOn(number)[0]!.body).toContain(`<!-- parlai-site-deploy preview previews/pr-${number}/ -->`);
    }
    // Something else under the parent prefix, which no preview owns.
    await s3.send(new PutObjectCommand({ Bucket: nested, Key: 'previews/index.html', Body: 'list of previews' }));
    const keysBefore = await listKeys(s3, nested);
    expect(keysBefore.filter((key) => key.startsWith('previews/pr-50/'))).toHaveLength(3);
    expect(keysBefore.filter((key) => key.startsWith('previews/pr-51/'))).toHaveLength(3);

    const closed = await run(
      writeSite({ 'index.html': 'unused' }),
      { name: 'pull_request', path: pullRequestEvent(50, 'closed', 'head50aaaaaaaaaa') },
      { ...inputs, delete: 'false', 'max-deletes': '1' },
    );
    expectSuccess(closed);
    expect(closed.outputs).toMatchObject({ prefix: 'previews/pr-50/', deleted: '3' });
    expect(await listKeys(s3, nested)).toEqual(keysBefore.filter((key) => !key.startsWith('previews/pr-50/')));
    expect(cloudfront.invalidations.at(-1)!.paths).toEqual(['/previews/pr-50/*']);
  });
});

describe('the preview comment is found only among the token identity’s own comments', () => {
  const marker = (number: number) => `<!-- parlai-site-deploy preview pr-${number}/ -->`;

  it('with the GITHUB_TOKEN: a comment by someone else holding the marker is never edited', async () => {
    const planted = {
      id: 9_000_001,
      issue: 60,
      body: `${marker(60)}\n### Preview ready\n\n**https://evil.example/**`,
      user: { login: 'mallory' },
    };
    gh.comments.push({ ...planted });
    const site = writeSite({ 'index.html': '<h1>PR 60</h1>' });
    for (const sha of ['head60aaaaaaaaaa', 'head60bbbbbbbbbb']) {
      expectSuccess(await run(site, { name: 'pull_request', path: pullRequestEvent(60, 'synchronize', sha) }));
    }
    const comments = commentsOn(60);
    expect(comments.find((comment) => comment.id === planted.id)).toEqual(planted);
    const ours = comments.filter((comment) => comment.user.login === 'github-actions[bot]');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain(marker(60));
    expect(ours[0]!.body).toContain('Commit `head60b`');
    expect(gh.requests.some((request) => request.method === 'PATCH' && request.path.endsWith(`/${planted.id}`))).toBe(
      false,
    );
  });

  it('with a GitHub App’s installation token: the app bot’s own comment is found and edited, once', async () => {
    gh.app = 'site-deploy-app';
    try {
      const planted = {
        id: 9_000_004,
        issue: 62,
        body: `${marker(62)}\nplanted`,
        user: { login: 'github-actions[bot]' },
      };
      gh.comments.push({ ...planted });
      const site = writeSite({ 'index.html': '<h1>PR 62</h1>' });
      for (const sha of ['head62aaaaaaaaaa', 'head62bbbbbbbbbb']) {
        expectSuccess(await run(site, { name: 'pull_request', path: pullRequestEvent(62, 'synchronize', sha) }));
      }
      const comments = commentsOn(62);
      expect(comments.find((comment) => comment.id === planted.id)).toEqual(planted);
      const apps = comments.filter((comment) => comment.user.login === 'site-deploy-app[bot]');
      expect(apps).toHaveLength(1);
      expect(apps[0]!.body).toContain('Commit `head62b`');
    } finally {
      gh.app = 'github-actions';
    }
  });

  it('with a personal access token: its user’s comment is edited, the bot’s and others’ are not', async () => {
    gh.viewer = 'alice';
    try {
      const fromBot = { id: 9_000_002, issue: 61, body: `${marker(61)}\nold`, user: { login: 'github-actions[bot]' } };
      const fromBob = { id: 9_000_003, issue: 61, body: `${marker(61)}\nbob`, user: { login: 'bob' } };
      gh.comments.push({ ...fromBot }, { ...fromBob });
      const site = writeSite({ 'index.html': '<h1>PR 61</h1>' });
      for (const sha of ['head61aaaaaaaaaa', 'head61bbbbbbbbbb']) {
        expectSuccess(await run(site, { name: 'pull_request', path: pullRequestEvent(61, 'synchronize', sha) }));
      }
      const comments = commentsOn(61);
      expect(comments.find((comment) => comment.id === fromBot.id)).toEqual(fromBot);
      expect(comments.find((comment) => comment.id === fromBob.id)).toEqual(fromBob);
      const alices = comments.filter((comment) => comment.user.login === 'alice');
      expect(alices).toHaveLength(1);
      expect(alices[0]!.body).toContain('Commit `head61b`');
      expect(
        gh.requests.filter((request) => request.method === 'GET' && request.path === '/user').length,
      ).toBeGreaterThan(0);
    } finally {
      gh.viewer = undefined;
    }
  });
});
