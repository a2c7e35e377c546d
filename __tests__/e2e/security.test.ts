// End to end, security: what `build-command` can see, where `source-dir` may point, and what a key from the
// bucket can do to the log — the bundled action run as the runner runs it, against s3rver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { listKeys, localS3Client } from '../support/bucket.js';
import { runnerCommand } from '../support/runner-commands.js';
import { tempDir, writeSite } from '../support/sites.js';

let server: LocalS3;
let s3: S3Client;
let bucketCount = 0;

beforeAll(async () => {
  server = await startLocalS3({ buckets: [] });
  s3 = localS3Client(server.endpoint);
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});

async function newBucket(): Promise<string> {
  bucketCount += 1;
  const bucket = `security-${process.pid}-${bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function run(
  bucket: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<ActionRun> {
  return runAction({
    inputs: { bucket, 'endpoint-url': server.endpoint, 'force-path-style': 'true', ...inputs },
    env: { ...LOCAL_S3_CREDENTIALS, ...env },
    cwd,
  });
}

function expectSuccess(result: ActionRun): void {
  if (result.code !== 0) throw new Error(`action failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
}

describe('build-command gets no credentials, tokens or inputs', () => {
  // What a deploy job's step holds after configure-aws-credentials (OIDC), with the runner's tokens.
  const STEP_SECRETS = {
    AWS_SESSION_TOKEN: 'session-token-value',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-value',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
    GITHUB_TOKEN: 'ghs_env_token_value',
    PLAIN_SETTING: 'visible',
  };
  // Prints every variable name the build sees, then the values of the interesting ones.
  const BUILD =
    'mkdir -p out && echo "<h1>hi</h1>" > out/index.html && env | cut -d= -f1 | sed "s/^/BUILD-SEES /" && ' +
    'echo "BUILD-VALUE secret=${AWS_SECRET_ACCESS_KEY:-none} oidc=${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-none} ' +
    'other=${PLAIN_SETTING:-none}"';

  const seen = (result: ActionRun) =>
    result.stdout
      .split('\n')
      .filter((line) => line.startsWith('BUILD-SEES '))
      .map((line) => line.slice('BUILD-SEES '.length));

  it('by default: no AWS_*, ACTIONS_*, INPUT_* or token variable reaches the build, and the deploy still works', async () => {
    const bucket = await newBucket();
    const project = tempDir('build-env');
    const result = await run(
      bucket,
      { 'build-command': BUILD, 'working-directory': project, 'source-dir': 'out', 'github-token': 'ghs_input_token' },
      STEP_SECRETS,
      project,
    );
    expectSuccess(result);
    const names = seen(result);
    expect(names).toContain('PATH');
    expect(names).toContain('PLAIN_SETTING');
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_EC2_METADATA_DISABLED',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_RUNTIME_TOKEN',
      'GITHUB_TOKEN',
      'GITHUB_OUTPUT',
      'GITHUB_STEP_SUMMARY',
      'INPUT_GITHUB-TOKEN',
      'INPUT_BUCKET',
    ]) {
      expect(names).not.toContain(name);
    }
    expect(names.filter((name) => /^(AWS|ACTIONS|INPUT)_/.test(name))).toEqual([]);
    expect(result.stdout).toContain('BUILD-VALUE secret=none oidc=none other=visible');
    expect(await listKeys(s3, bucket)).toContain('index.html');
  });

  it('passes the variables build-env names, and only those', async () => {
    const bucket = await newBucket();
    const project = tempDir('build-env');
    const result = await run(
      bucket,
      {
        'build-command': BUILD,
        'working-directory': project,
        'source-dir': 'out',
        'github-token': 'ghs_input_token',
        'build-env': 'AWS_SECRET_ACCESS_KEY\nINPUT_GITHUB-TOKEN',
      },
      STEP_SECRETS,
      project,
    );
    expectSuccess(result);
    const names = seen(result);
    expect(names).toContain('AWS_SECRET_ACCESS_KEY');
    expect(names).toContain('INPUT_GITHUB-TOKEN');
    expect(names).not.toContain('AWS_ACCESS_KEY_ID');
    expect(names).not.toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    expect(result.stdout).toContain(
      `BUILD-VALUE secret=${LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY} oidc=none other=visible`,
    );
  });
});

describe('source-dir stays in the workspace', () => {
  /** A refusal: one ::error:: naming the input, result=refused with a summary, and the bucket untouched. */
  async function expectRefused(result: ActionRun, bucket: string, message: RegExp): Promise<void> {
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(message);
    expect(result.outputs.result).toBe('refused');
    expect(result.summary).toMatch(/refused/i);
    expect(result.summary).toContain('source-dir');
    expect(await listKeys(s3, bucket)).toEqual([]);
  }

  it.each([['../..'], ['/tmp'], ['..']])(
    'a typo like %s is refused before anything runs (the build does not run)',
    async (sourceDir) => {
      const bucket = await newBucket();
      const workspace = writeSite({ 'public/index.html': '<h1>site</h1>' });
      const marker = path.join(workspace, 'built');
      const result = await run(
        bucket,
        { 'source-dir': sourceDir, 'build-command': `touch ${JSON.stringify(marker)}` },
        { GITHUB_WORKSPACE: workspace },
        workspace,
      );
      await expectRefused(
        result,
        bucket,
        /^Input 'source-dir': '.*'.* is outside the workspace .*set 'allow-source-outside-workspace: true'/,
      );
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('a build output that is a symlink leading out of the workspace is refused after the build, before any read', async () => {
    const bucket = await newBucket();
    const workspace = tempDir('workspace');
    const elsewhere = writeSite({ 'index.html': '<h1>not the site</h1>' });
    const result = await run(
      bucket,
      { 'source-dir': 'public', 'build-command': `ln -s ${JSON.stringify(elsewhere)} public` },
      { GITHUB_WORKSPACE: workspace },
      workspace,
    );
    await expectRefused(result, bucket, /^Input 'source-dir': 'public' \(.*\) is outside the workspace/);
    // With the input that allows it, the same build deploys.
    const allowed = await run(
      bucket,
      {
        'source-dir': 'public',
        'build-command': `rm -f public && ln -s ${JSON.stringify(elsewhere)} public`,
        'allow-source-outside-workspace': 'true',
      },
      { GITHUB_WORKSPACE: workspace },
      workspace,
    );
    expectSuccess(allowed);
    expect(await listKeys(s3, bucket)).toContain('index.html');
  });

  it("the runner's temp folder is never deployed, even with allow-source-outside-workspace", async () => {
    const bucket = await newBucket();
    const workspace = tempDir('workspace');
    const runnerTemp = tempDir('runner-temp');
    mkdirSync(path.join(runnerTemp, '_runner_file_commands'));
    const githubEnv = path.join(runnerTemp, '_runner_file_commands', 'set_env_1');
    writeFileSync(githubEnv, '');
    writeFileSync(path.join(runnerTemp, 'index.html'), '<h1>temp</h1>');
    const env = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv };
    for (const sourceDir of [runnerTemp, path.dirname(runnerTemp)]) {
      const result = await run(bucket, { 'source-dir': sourceDir, 'allow-source-outside-workspace': 'true' }, env);
      await expectRefused(result, bucket, /is or holds the runner's temp folder \(RUNNER_TEMP /);
    }
    // Through a symlink in the workspace too.
    symlinkSync(runnerTemp, path.join(workspace, 'site'));
    const linked = await run(
      bucket,
      { 'source-dir': 'site', 'allow-source-outside-workspace': 'true' },
      env,
      workspace,
    );
    await expectRefused(linked, bucket, /^Input 'source-dir': 'site' \(.*\) is or holds the runner's temp folder/);
  });
});

describe('a key from the bucket cannot inject a workflow command', () => {
  // Anyone who can write to the bucket chooses its keys; S3 keys may hold newlines.
  const EVIL_KEYS = [
    'docs/a\n::error::pwned-error.html',
    'docs/b\n::warning::pwned-warning.html',
    'docs/c\n::set-output name=result::pwned',
    'docs/d\n::add-mask::pwned-mask',
    'docs/e\n::stop-commands::pwnedtoken',
    'docs/f\u2028::error::pwned-separator',
    '::error::pwned-start.html',
    // The runner's older syntax, parsed anywhere in a line that is not a `::` command.
    'docs/g##[set-output name=result;]pwned',
    'docs/h##[error]pwned-legacy.html',
  ];

  it('in the log, the summary, the annotations and the outputs, when the plan deletes them', async () => {
    const bucket = await newBucket();
    for (const key of EVIL_KEYS) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'planted' }));
    }
    // s3rver keeps the keys as given: the listing the action reads holds them.
    expect(await listKeys(s3, bucket)).toEqual([...EVIL_KEYS].sort());
    const site = writeSite({ 'index.html': '<h1>site</h1>', 'docs/index.html': '<h1>docs</h1>' });
    const result = await run(bucket, { 'source-dir': site, 'max-deletes': '1' });
    // More deletions than allowed: refused, and the refusal, plan and summary all name keys.
    expect(result.outputs.result).toBe('refused');
    const again = await run(bucket, { 'source-dir': site });
    expectSuccess(again);
    expect(again.outputs.deleted).toBe(String(EVIL_KEYS.length));
    expect(await listKeys(s3, bucket)).not.toContain(EVIL_KEYS[0]);

    for (const output of [result, again]) {
      const lines = output.stdout.split(/\r\n|\r|\n/);
      // Only the action's own commands start a line; none of them is a planted one.
      expect(lines.filter((line) => /pwned/.test(line) && line.startsWith('::'))).toEqual([]);
      expect(output.errors.filter((error) => error.startsWith('pwned'))).toEqual([]);
      expect(output.warnings.filter((warning) => warning.startsWith('pwned'))).toEqual([]);
      expect(output.stdout).not.toMatch(/^::(stop-commands|add-mask|set-output)::pwned/m);
      // No line is a command the runner would obey, but the action's own (V2, never of a planted key).
      expect(lines.filter((line) => /pwned/.test(line) && runnerCommand(line)?.parser === 'V1')).toEqual([]);
      expect(lines.filter((line) => line.includes('##['))).toEqual([]);
      // The planted names are still shown (escaped), so the plan says what is deleted.
      expect(output.stdout).toContain('pwned-error.html');
      expect(output.summary.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
      expect(output.outputs.result).not.toBe('pwned');
    }
    expect(again.summary).toContain('pwned-error.html');
  });

  it('nor can a file name of the build: ##[ is printed as ##\\[ in every line', async () => {
    const bucket = await newBucket();
    const names = ['x##[add-mask]y.html', 'z##[warning]pwned.html', 'docs/##[set-output name=result;]pwned.html'];
    const site = writeSite({
      'index.html': '<h1>site</h1>',
      ...Object.fromEntries(names.map((name) => [name, `<p>${name}</p>`])),
    });
    const result = await run(bucket, { 'source-dir': site });
    expectSuccess(result);
    // Deployed under their own names: only the log shows them escaped.
    expect(await listKeys(s3, bucket)).toEqual(expect.arrayContaining(names));
    const lines = result.stdout.split(/\r\n|\r|\n/);
    expect(lines.filter((line) => line.includes('##['))).toEqual([]);
    expect(lines.filter((line) => runnerCommand(line)?.parser === 'V1')).toEqual([]);
    expect(result.warnings.filter((warning) => /pwned/.test(warning))).toEqual([]);
    expect(result.outputs.result).toBe('deployed');
    // The plan still names them, readably.
    expect(result.stdout).toContain('x##\\[add-mask]y.html');
    expect(result.stdout).toContain('z##\\[warning]pwned.html');
  });
});
