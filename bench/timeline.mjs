#!/usr/bin/env node
// Where a first upload's wall time goes, from the requests alone: when each tool's first request, first and
// last object write reach the counting proxy (and, for this action, the release protocol's probe, claim and
// publish), and when the tool exits. A CPU profile cannot show this: most of a small first upload is waiting.
//   node bench/timeline.mjs [--site website|full|N] [--latency MS] [--runs R]
// `--site`: a fixture of ../shared/fixtures (website: 168 files, full: 367) or a generated site of N files
// (default website); `--latency`: added to every request (default 25); `--runs`: per tool, medians (default 5).
// Runs this action (dist/index.js on node24) and tuned rclone, alternating, each on a fresh bucket, against
// s3rver behind the proxy on 127.0.0.1; everything it makes is removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startLocalS3 } from '../examples/local-s3-server.mjs';
import { startS3Proxy } from '../__tests__/support/s3-proxy.mjs';
import { ensureNode24 } from '../tools/node24/ensure.mjs';
import { generateSite } from './generate-site.mjs';
import { median } from './lib/measure.mjs';
import { extract } from './lib/small-sites.mjs';
import { adminClient, makeTools } from './lib/tools.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const siteName = option('--site', 'website');
const latencyMs = Number(option('--latency', '25'));
const runs = Number(option('--runs', '5'));
const FIXTURES = { website: 'parlai-website.tar.gz', full: 'parlai-site-full.tar.gz' };
const WRITES = new Set(['PutObject', 'CompleteMultipartUpload', 'CopyObject']);
const OWN = /\.parlai-site-deploy\.(json\.gz|probe)(\?|$)/;

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-timeline-'));
let server;
let proxy;
let admin;
try {
  let pristine = path.join(work, 'site');
  if (FIXTURES[siteName]) pristine = extract(path.resolve(REPO, '../shared/fixtures', FIXTURES[siteName]), pristine);
  else await generateSite(pristine, { files: Number(siteName), seed: 42 });
  server = await startLocalS3({ buckets: [], directory: path.join(work, 's3') });
  let started = 0;
  let seen = [];
  proxy = await startS3Proxy({
    target: server.endpoint,
    fault: (request) => {
      seen.push({ at: performance.now() - started, operation: request.operation, url: request.url });
      return latencyMs > 0 ? { delayMs: latencyMs } : undefined;
    },
  });
  admin = adminClient(server.endpoint);
  const tools = makeTools({ repo: REPO, node24: ensureNode24(), work, endpoint: proxy.endpoint });
  const marks = { action: [], rclone: [] };
  for (let run = 0; run < runs; run += 1) {
    for (const tool of run % 2 ? ['rclone', 'action'] : ['action', 'rclone']) {
      const bucket = `timeline-${tool}-${run}`;
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      const site = path.join(work, `copy-${tool}-${run}`);
      spawnSync('cp', ['-a', pristine, site]);
      seen = [];
      started = performance.now();
      const result = await tools[tool](site, bucket, { logFile: path.join(work, `${tool}-${run}.log`), tuned: true });
      if (result.code !== 0) throw new Error(`${tool} failed: see ${path.join(work, `${tool}-${run}.log`)}`);
      const at = (pick) => seen.find(pick)?.at;
      const last = (pick) => seen.findLast(pick)?.at;
      const siteWrite = (request) => WRITES.has(request.operation) && !OWN.test(request.url);
      const manifestWrite = (request) => request.operation === 'PutObject' && /json\.gz/.test(request.url);
      marks[tool].push({
        'first request': at(() => true),
        'probe sent': at((request) => /\.probe/.test(request.url)),
        'claim sent': at(manifestWrite),
        'first object write': at(siteWrite),
        'last object write': last(siteWrite),
        'publish sent': seen.filter(manifestWrite).length > 1 ? last(manifestWrite) : undefined,
        exit: result.wallS * 1000,
      });
    }
  }
  console.log(
    `First upload of ${FIXTURES[siteName] ? `the ${siteName} fixture` : `${siteName} generated files`}, +${latencyMs} ms a request, median of ${runs} runs (ms after spawn, as the proxy saw the requests):\n`,
  );
  console.log('| moment | this action | rclone, 32 transfers |');
  console.log('|---|---:|---:|');
  for (const moment of Object.keys(marks.action[0])) {
    const cell = (tool) => {
      const values = marks[tool].map((mark) => mark[moment]).filter((value) => value !== undefined);
      return values.length ? median(values).toFixed(0) : '—';
    };
    console.log(`| ${moment} | ${cell('action')} | ${cell('rclone')} |`);
  }
} finally {
  admin?.destroy();
  await proxy?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
