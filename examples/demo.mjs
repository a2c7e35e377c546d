#!/usr/bin/env node
// `npm run demo`: the bundled action (dist/index.js), run the way the GitHub runner runs it, against local
// stand-ins for AWS, on the sample site (examples/site) or on your own build:
//
//   npm run demo                          the sample site
//   npm run demo -- --site path/to/build  your build (copied first: your files are not touched)
//   npm run demo -- --serve | --no-serve  keep serving without a terminal | end even with one
//   npm run demo -- --port 8080           the local CDN's port (default: any free one)
//
// It starts an S3 server (s3rver), a CloudFront API stand-in that prints each invalidation it receives, a
// KeyValueStore API stand-in that holds the redirects, and a local CDN front that serves the bucket as the
// distribution in terraform/ does (examples/local-cdn.mjs: its function answers the redirects from that store),
// all on 127.0.0.1. Then it deploys three times: the first deploy, the same build again (nothing to do), and a
// build with one page edited (one upload, and the invalidation of exactly that page's paths). The sample site's
// copy gets a `_redirects` file (SAMPLE_REDIRECTS); a --site build's own `_redirects` is deployed as it is.
//
// Every run starts clean: the bucket lives in a temp folder that is removed when the demo ends, whichever
// way it ends. With a terminal the site stays up until Ctrl-C; without one (CI) the demo checks the edited
// page through the local CDN, stops, and says so.
/* global fetch, AbortSignal -- Node 18+ built-ins */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureNode24 } from '../tools/node24/ensure.mjs';
import { startLocalCdn } from './local-cdn.mjs';
import { startCloudFrontStub } from './local-cloudfront.mjs';
import { startKeyValueStoreStub } from './local-keyvaluestore.mjs';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './local-s3-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The runner's Node 24 (installed into tools/node24 on first use); this Node where that package does not exist.
const node = ensureNode24() ?? process.execPath;
const BUCKET = 'demo-site';
const DISTRIBUTION = 'EDEMO0DISTRIBUTION';
const DEPLOY_TIMEOUT_MS = 60_000;
const EDIT_MARK = 'Edited by npm run demo';
// Moved pages of the sample site, in Netlify's format (docs/redirects.md): the deploy syncs them into the
// KeyValueStore stand-in and the local CDN answers them; the demo checks the first one.
const SAMPLE_REDIRECTS = `# Moved pages, answered at the edge (docs/redirects.md). Written by npm run demo into its copy of the sample site.
/about-us   /about/
/guide/*    /docs/guide/:splat   302
`;
const SAMPLE_REDIRECT = { from: '/about-us', status: 301, location: '/about/' };

const USAGE = `Usage: npm run demo [-- --site DIR] [--serve | --no-serve] [--port N]
  --site DIR   deploy your own build instead of examples/site (a copy: your files are not touched)
  --serve      keep serving until Ctrl-C even without a terminal
  --no-serve   end after the deploys even with a terminal
  --port N     port of the local CDN (default: any free port)`;

function parseArgs(argv) {
  const options = { site: undefined, serve: process.stdout.isTTY === true, port: 0 };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) fail(`${arg} needs a value.\n${USAGE}`);
      return next;
    };
    if (arg === '--site') options.site = value();
    else if (arg.startsWith('--site=')) options.site = arg.slice('--site='.length);
    else if (arg === '--serve') options.serve = true;
    else if (arg === '--no-serve') options.serve = false;
    else if (arg === '--port') options.port = Number(value());
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) fail('--port: give 0-65535.');
  return options;
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

function listFiles(directory, base = directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(full, base);
    return [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** The page the third deploy edits: about/index.html in the sample site, else the home page, else any page. */
function pageToEdit(files) {
  const sorted = [...files].sort();
  return (
    ['about/index.html', 'index.html'].find((file) => files.includes(file)) ??
    sorted.find((file) => file.endsWith('.html')) ??
    sorted[0]
  );
}

function editPage(file) {
  const text = readFileSync(file, 'utf8');
  // The edit links a page that does not exist: the site check (link-check, default warn) names it in deploy 3.
  const note = `<p style="padding:.5em;background:#ffeb99">${EDIT_MARK} at ${new Date().toISOString()}: this page was the only upload of deploy 3. <a href="/coming-soon.html">Coming soon</a></p>`;
  if (!file.endsWith('.html')) writeFileSync(file, `${text}\n`);
  else if (/<\/body>/i.test(text)) writeFileSync(file, text.replace(/<\/body>/i, `${note}\n</body>`));
  else writeFileSync(file, `${text}\n${note}\n`);
}

/** The URL a key is served at: "about/index.html" at "/about/", as the CloudFront function maps it. */
function urlPath(key) {
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  if (key === 'index.html') return '/';
  return key.endsWith('/index.html') ? `/${encoded.slice(0, -'index.html'.length)}` : `/${encoded}`;
}

/** The GITHUB_OUTPUT file format (`name<<delimiter\nvalue\ndelimiter`). */
function parseOutputs(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index]);
    if (!match) continue;
    const value = [];
    for (index += 1; index < lines.length && lines[index] !== match[2]; index += 1) value.push(lines[index]);
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

/** The runner's workflow commands, shown as a person reads them. */
function readable(line) {
  if (!line || line.startsWith('::add-mask::') || line === '::endgroup::') return undefined;
  return line.replace(/^::group::/, '▸ ').replace(/^::(\w+)[^:]*::/, '[$1] ');
}

const options = parseArgs(process.argv.slice(2));
// `npm run demo` runs in the repository root; a relative --site is meant from where the user typed it (INIT_CWD).
const source = options.site
  ? path.resolve(process.env.INIT_CWD ?? process.cwd(), options.site)
  : path.join(repo, 'examples/site');
if (!existsSync(source) || !statSync(source).isDirectory()) fail(`--site: "${source}" is not a directory.`);
const files = listFiles(source);
if (files.length === 0) fail(`--site: "${source}" is empty.`);

const work = mkdtempSync(path.join(os.tmpdir(), 'parlai-site-deploy-demo-'));
const project = path.join(work, 'project');
let s3;
let cloudfront;
let redirectStore;
let front;
let running; // the action's process while a deploy runs
let serving = false;

let cleaning;
/** Stops everything this demo started and removes its temp folder; safe to call more than once. */
function cleanup() {
  cleaning ??= (async () => {
    running?.kill('SIGKILL');
    await Promise.allSettled([front?.close(), cloudfront?.close(), redirectStore?.close(), s3?.stop()]);
    rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    console.log(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the servers…`);
    await cleanup();
    console.log(`Stopped. The temp folder ${work} is removed.`);
    process.exit(serving ? 0 : 130);
  });
}

/** Runs the action like the runner does for `uses: …@v1` with these `with:` inputs; resolves to its outputs. */
async function deploy(title) {
  const output = path.join(work, 'output');
  const summary = path.join(work, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const inputs = {
    'build-command': 'rm -rf build && cp -R src build && echo "built $(find build -type f | wc -l) files"',
    'working-directory': project,
    'source-dir': 'build',
    bucket: BUCKET,
    'endpoint-url': s3.endpoint,
    'force-path-style': 'true',
    region: 'us-east-1',
    'distribution-id': DISTRIBUTION,
    'redirect-store-arn': redirectStore.arn,
    'site-url': front.url,
    delete: 'true',
    'max-deletes': '1000',
    concurrency: '32',
    'dry-run': 'false',
    'wait-for-invalidation': 'false',
  };
  const env = {
    PATH: process.env.PATH,
    HOME: os.homedir(),
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ...LOCAL_S3_CREDENTIALS,
    AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: redirectStore.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: project, // the checkout, as on the runner: 'source-dir' must be inside it
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  console.log(`\n━━━ ${title} ━━━\n`);
  const child = spawn(node, [path.join(repo, 'dist/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const shown = readable(line);
    if (shown !== undefined) console.log(`  ${shown}`);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), DEPLOY_TIMEOUT_MS);
  const [code, signal] = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  }).finally(() => clearTimeout(timer));
  running = undefined;
  if (code !== 0) {
    if (stderr) console.error(stderr);
    throw new Error(`the action ${signal ? `was killed (${signal})` : `exited with ${code}`}`);
  }
  return { outputs: parseOutputs(readFileSync(output, 'utf8')), summary: readFileSync(summary, 'utf8') };
}

async function main() {
  cpSync(source, path.join(project, 'src'), { recursive: true });
  if (!options.site) writeFileSync(path.join(project, 'src', '_redirects'), SAMPLE_REDIRECTS);
  s3 = await startLocalS3({ buckets: [BUCKET], directory: path.join(work, 's3') });
  cloudfront = await startCloudFrontStub({
    onInvalidation: (invalidation, id) =>
      console.log(
        `  ⇢ CloudFront stand-in received CreateInvalidation ${id} for ${invalidation.distributionId}: ${invalidation.paths.join(', ')}`,
      ),
  });
  // The store the deploys sync and the CDN's function reads: one live Map, as CloudFront reads the store it updates.
  redirectStore = await startKeyValueStoreStub({ lifetimeMs: Infinity });
  front = await startLocalCdn({
    s3Endpoint: s3.endpoint,
    bucket: BUCKET,
    redirects: redirectStore.entries,
    port: options.port,
    onRequest: (request) => {
      if (!serving) return;
      const served = request.key ? ` → ${request.key}` : '';
      console.log(`  ${request.method} ${request.url}${served} ${request.status}`);
    },
  });
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), source);
  const shownSource = relative.startsWith('..') ? source : relative || '.';
  console.log('parlai-site-deploy demo: the bundled action against local stand-ins for S3 and CloudFront');
  console.log(
    `  site        ${shownSource} (${files.length} files), copied into ${work}${options.site ? ': your files are not touched' : ''}`,
  );
  console.log(`  S3          s3rver at ${s3.endpoint}, bucket "${BUCKET}" (credentials S3RVER / S3RVER)`);
  console.log(`  CloudFront  API stand-in at ${cloudfront.endpoint} (prints each invalidation it receives)`);
  console.log(
    `  Redirects   KeyValueStore API stand-in at ${redirectStore.endpoint} (the store the CDN's function reads)`,
  );
  console.log(
    `  CDN         ${front.url}/ serves the bucket as the distribution does (terraform/functions/viewer-request.js)`,
  );
  console.log('  Every run starts from an empty bucket: it lives in the temp folder, removed when the demo ends.');

  const first = await deploy('Deploy 1/3: the first deploy uploads everything');
  const second = await deploy('Deploy 2/3: the same build again: nothing to upload, nothing to invalidate');
  const edited = pageToEdit(files);
  editPage(path.join(project, 'src', edited));
  const third = await deploy(`Deploy 3/3: ${edited} edited: one upload, one precise invalidation`);
  console.log('\n── job summary of deploy 3 (what GITHUB_STEP_SUMMARY shows on the run page) ──\n');
  console.log(third.summary.trim());

  const paths = JSON.parse(third.outputs['invalidation-paths'] || '[]');
  console.log('\nRecap');
  console.log(`  deploy 1: ${first.outputs.uploaded} uploaded (new keys were never cached: nothing to invalidate)`);
  console.log(
    `  deploy 2: ${second.outputs.uploaded} uploaded, ${second.outputs.unchanged} unchanged: nothing changed`,
  );
  console.log(
    `  deploy 3: ${third.outputs.uploaded} uploaded (${edited}), invalidated ${paths.join(', ') || 'nothing'} (${third.outputs['invalidation-id'] || 'no invalidation'})`,
  );

  const page = `${front.url}${urlPath(edited)}`;
  const response = await fetch(page, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  const fresh = edited.endsWith('.html') ? body.includes(EDIT_MARK) : true;
  console.log(
    `\nChecked ${page} through the local CDN: ${response.status} ${response.headers.get('content-type')}, ` +
      `cache-control "${response.headers.get('cache-control')}"${fresh ? ', the edited version' : ', NOT the edited version'}.`,
  );
  if (response.status !== 200 || !fresh) throw new Error(`${page} does not serve the edited page`);

  const entries = redirectStore.entries.size;
  if (!options.site) {
    const moved = await fetch(`${front.url}${SAMPLE_REDIRECT.from}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await moved.arrayBuffer();
    const location = moved.headers.get('location');
    console.log(
      `Checked ${front.url}${SAMPLE_REDIRECT.from} through the local CDN: ${moved.status} → ${location} ` +
        `(_redirects, answered by the function from the store: ${plural(entries, 'entry', 'entries')}).`,
    );
    if (moved.status !== SAMPLE_REDIRECT.status || location !== SAMPLE_REDIRECT.location)
      throw new Error(`${SAMPLE_REDIRECT.from} does not redirect to ${SAMPLE_REDIRECT.location}`);
  } else if (entries > 0) {
    console.log(
      `The build's redirects: ${plural(entries, 'entry', 'entries')} in the store, answered by the local CDN.`,
    );
  }

  if (!options.serve) {
    console.log(
      `\n${process.stdout.isTTY ? 'Ending now (--no-serve)' : 'No terminal (CI?): the demo ends here'}: ` +
        'the servers stop and the temp folder is removed. In a terminal, `npm run demo` keeps the site up until ' +
        'Ctrl-C (without one: `npm run demo -- --serve`).',
    );
    await cleanup();
    console.log(`Stopped. The temp folder ${work} is removed.`);
    return;
  }
  serving = true;
  console.log(`\nServing: ${front.url}/   (the edited page: ${page})`);
  console.log('The site as CloudFront would serve it, from the bucket the action deployed to. Ctrl-C stops it all.');
  console.log('Requests:');
}

try {
  await main();
} catch (error) {
  console.error(`\nThe demo failed: ${error.message}`);
  await cleanup();
  process.exit(1);
}
