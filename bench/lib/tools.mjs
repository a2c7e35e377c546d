// The three tools under test, each invoked the way its users run it, against the counting proxy on 127.0.0.1:
//   action  node24 dist/index.js with INPUT_* variables (as the GitHub runner sets them; see
//           __tests__/support/action-runner.ts), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files
//   aws     /usr/bin/aws s3 sync --delete        (Debian's awscli v2; not the pyenv shim first on PATH)
//   rclone  /usr/bin/rclone sync --fast-list     (Debian's rclone; remote configured by environment)
// Every tool gets a clean environment (no AWS_CA_BUNDLE, no proxy variables, its own HOME).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { inputSpecs } from '../../tools/action-inputs.mjs';
import { runTimed } from './measure.mjs';

/** The action's default concurrency, as action.yml declares it. */
/** action.yml's inputs with the defaults a run outside a workflow gets (an expression default is ''). */
export const ACTION_INPUTS = inputSpecs(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'));
export const DEFAULT_CONCURRENCY = ACTION_INPUTS.find((spec) => spec.name === 'concurrency').default;

export const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
export const AWS = '/usr/bin/aws';
/** rclone as issue #18 tunes it (the defaults are 4 transfers and 8 checkers). */
export const RCLONE_TUNED = ['--transfers', '32', '--checkers', '32'];
export const RCLONE = '/usr/bin/rclone';

/** A client of the S3 server itself (not through the proxy), for set-up and checks the proxy must not count. */
export function adminClient(endpoint) {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
}

export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses the GITHUB_OUTPUT file format (`name<<delimiter\nvalue\ndelimiter`). */
export function parseOutputs(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value = [];
    for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1) value.push(lines[index]);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

/**
 * Tool runners bound to one work directory and one S3 endpoint (the proxy). Each runner is
 * `(site, bucket, { logFile, concurrency?, nodeArgs? }) => runTimed(...)` result (+ `outputs` for the action).
 */
export function makeTools({ repo, node24, work, endpoint }) {
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });
  const awsConfig = path.join(home, 'aws-config');
  writeFileSync(awsConfig, '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n');
  // Tuned as issue #18 compares: 32 requests in flight (the default is 10).
  const awsTunedConfig = path.join(home, 'aws-config-tuned');
  writeFileSync(
    awsTunedConfig,
    '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n  max_concurrent_requests = 32\n',
  );
  const rcloneConfig = path.join(home, 'rclone.conf');
  writeFileSync(rcloneConfig, '');
  const baseEnv = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...CREDENTIALS,
  };

  const action = async (site, bucket, { logFile, concurrency, nodeArgs = [], timeoutMs } = {}) => {
    const outputFile = `${logFile}.output`;
    const summaryFile = `${logFile}.summary.md`;
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    // The sites are under `work`: it is the workspace 'source-dir' must be inside.
    const env = { ...baseEnv, GITHUB_WORKSPACE: work, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
    for (const spec of ACTION_INPUTS) env[inputVariable(spec.name)] = spec.default;
    const inputs = {
      'source-dir': site,
      bucket,
      region: 'us-east-1',
      'endpoint-url': endpoint,
      'force-path-style': 'true',
      ...(concurrency ? { concurrency: String(concurrency) } : {}),
    };
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
    const result = await runTimed(node24, [...nodeArgs, path.join(repo, 'dist/index.js')], {
      env,
      cwd: work,
      logFile,
      timeoutMs,
    });
    return { ...result, outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
  };

  const aws = (site, bucket, { logFile, timeoutMs, tuned = false } = {}) =>
    runTimed(AWS, ['--endpoint-url', endpoint, 's3', 'sync', '--delete', '--no-progress', site, `s3://${bucket}/`], {
      env: {
        ...baseEnv,
        AWS_CONFIG_FILE: tuned ? awsTunedConfig : awsConfig,
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
        AWS_PAGER: '',
      },
      cwd: work,
      logFile,
      timeoutMs,
    });

  const rclone = (site, bucket, { logFile, timeoutMs, tuned = false } = {}) =>
    runTimed(RCLONE, ['sync', '--fast-list', ...(tuned ? RCLONE_TUNED : []), site, `bench:${bucket}`], {
      env: {
        ...baseEnv,
        RCLONE_CONFIG: rcloneConfig,
        RCLONE_CONFIG_BENCH_TYPE: 's3',
        RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
        RCLONE_CONFIG_BENCH_ENDPOINT: endpoint,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: CREDENTIALS.AWS_ACCESS_KEY_ID,
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
      },
      cwd: work,
      logFile,
      timeoutMs,
    });

  return { action, aws, rclone };
}

/** What each tool runs with, for the report. */
export const TOOL_LABELS = {
  action: 'parlai-site-deploy (dist/index.js, node24)',
  aws: 'aws s3 sync --delete',
  rclone: 'rclone sync --fast-list',
};

export const TOOL_DEFAULTS = {
  action: `concurrency ${DEFAULT_CONCURRENCY} (action.yml default), MD5 + deploy manifest`,
  aws: 'max_concurrent_requests 10, multipart from 8 MiB, size + mtime',
  rclone: '--transfers 4 --checkers 8, single PUT up to 200 MiB, size + mtime (HEAD per object), MD5 on mtime mismatch',
};
