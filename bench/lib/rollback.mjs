// The rollback phase: how long rolling back ParlAI's whole site (the shared fixture, 367 files) takes with
// 25 ms added to every request, against moto's S3 (versioning, as the Terraform module's bucket has) behind
// the latency proxy. Deploy A (the site), deploy B (a tenth of the pages edited, a few files removed and
// added), then alternately roll back to A and forward to B: each timed (wall, CPU, peak RSS), median of the
// rounds. Skipped, with the reason, where moto_server or the fixture is absent.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Proxy } from '../../__tests__/support/s3-proxy.mjs';
import { median, runTimed } from './measure.mjs';
import { ACTION_INPUTS, inputVariable, parseOutputs } from './tools.mjs';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
export const ROLLBACK_GOAL_S = 5;

function which(command) {
  const found = spawnSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** moto_server on a free loopback port; resolves when it answers. Bounded: 20 s to start. */
async function startMoto(binary) {
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto_server did not start in 20 s:\n${output}`)), 20_000);
    const read = (chunk) => {
      output += chunk;
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', (code) => reject(new Error(`moto_server exited (${code}):\n${output}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

function filesUnder(root, relative = '') {
  const found = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const name = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(root, name));
    else found.push(name);
  }
  return found;
}

/**
 * Runs the phase. `work` is a scratch folder (removed by the caller); `node24` runs dist/index.js.
 * Resolves to the measured rounds, or { skipped } with why.
 */
export async function benchRollback({ repo, node24, work, fixture, rounds = 3, latencyMs = 25, log = console.log }) {
  const moto = process.env.MOTO_SERVER ?? which('moto_server');
  if (!moto) return { skipped: "moto_server not found (pip install 'moto[server]')" };
  if (!existsSync(fixture)) return { skipped: `the fixture ${fixture} is absent` };
  mkdirSync(work, { recursive: true });
  spawnSync('tar', ['-xzf', fixture, '-C', work], { timeout: 60_000 });
  const siteA = path.join(work, 'site-build');
  const siteB = path.join(work, 'site-b');
  spawnSync('cp', ['-a', siteA, siteB]);
  const files = filesUnder(siteB);
  const pages = files.filter((file) => file.endsWith('.html'));
  for (const page of pages.filter((_, index) => index % 10 === 0))
    appendFileSync(path.join(siteB, page), '\n<!-- B -->\n');
  for (const file of files.filter((file) => file.endsWith('.md')).slice(0, 5)) rmSync(path.join(siteB, file));
  for (let index = 0; index < 5; index += 1)
    writeFileSync(path.join(siteB, `new-${index}.html`), `<p>new ${index}</p>`);
  // C: every file of the site changed, so a rollback from C copies all of them.
  const siteC = path.join(work, 'site-c');
  spawnSync('cp', ['-a', siteA, siteC]);
  for (const file of filesUnder(siteC)) appendFileSync(path.join(siteC, file), '\n');

  const server = await startMoto(moto);
  const proxy = await startS3Proxy({ target: server.endpoint, fault: () => ({ delayMs: latencyMs }) });
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const bucket = 'bench-rollback';
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const defaults = Object.fromEntries(ACTION_INPUTS.map((spec) => [spec.name, spec.default]));
    let run = 0;
    const action = async (label, inputs) => {
      run += 1;
      const outputFile = path.join(work, `output-${run}`);
      writeFileSync(outputFile, '');
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME ?? work,
        TMPDIR: work,
        ...CREDENTIALS,
        AWS_EC2_METADATA_DISABLED: 'true',
        GITHUB_OUTPUT: outputFile,
        GITHUB_WORKSPACE: work,
        GITHUB_RUN_ID: `${Date.now()}${run}`,
        GITHUB_SHA: String(run).padStart(40, '0'),
      };
      for (const [name, value] of Object.entries(defaults)) env[inputVariable(name)] = value;
      const given = {
        bucket,
        'endpoint-url': proxy.endpoint,
        'force-path-style': 'true',
        'asset-grace-period': '0',
        ...inputs,
      };
      for (const [name, value] of Object.entries(given)) env[inputVariable(name)] = value;
      const timed = await runTimed(node24, [path.join(repo, 'dist/index.js')], {
        env,
        cwd: work,
        logFile: path.join(work, `log-${run}`),
        timeoutMs: 5 * 60_000,
      });
      const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
      if (timed.code !== 0)
        throw new Error(
          `${label} failed (${timed.code}): ${readFileSync(path.join(work, `log-${run}`), 'utf8').slice(-3000)}`,
        );
      return { label, wallS: timed.wallS, cpuS: timed.userS + timed.sysS, rssMb: timed.rssKb / 1024, outputs };
    };
    const deployA = await action('deploy A', { 'source-dir': siteA });
    const deployB = await action('deploy B', { 'source-dir': siteB });
    log(
      `rollback bench: A ${deployA.outputs['deploy-id']} (${deployA.outputs.uploaded} uploaded), B ${deployB.outputs['deploy-id']} (${deployB.outputs.uploaded} uploaded, ${deployB.outputs.deleted} deleted)`,
    );
    const measured = [];
    for (let round = 0; round < rounds; round += 1) {
      const back = await action('roll back to A', { 'rollback-to': deployA.outputs['deploy-id'] });
      const forward = await action('roll forward to B', { 'rollback-to': deployB.outputs['deploy-id'] });
      // The whole site: deploy C (every file changed), then roll back to A (every file copied back).
      await action('deploy C', { 'source-dir': siteC });
      const whole = await action('roll back from C to A', { 'rollback-to': deployA.outputs['deploy-id'] });
      await action('roll forward to B', { 'rollback-to': deployB.outputs['deploy-id'] });
      measured.push({ back, forward, whole });
      log(
        `rollback bench round ${round + 1}: back ${back.wallS.toFixed(2)} s (${back.outputs.uploaded} copied, ${back.outputs.deleted} deleted), forward ${forward.wallS.toFixed(2)} s, whole site from C ${whole.wallS.toFixed(2)} s (${whole.outputs.uploaded} copied)`,
      );
    }
    const summary = (key) => {
      const runs = measured.map((round) => round[key]);
      return {
        wallS: median(runs.map((r) => r.wallS)),
        wallRange: [Math.min(...runs.map((r) => r.wallS)), Math.max(...runs.map((r) => r.wallS))],
        cpuS: median(runs.map((r) => r.cpuS)),
        rssMb: median(runs.map((r) => r.rssMb)),
        copied: Number(runs[0].outputs.uploaded),
        deleted: Number(runs[0].outputs.deleted),
        unchanged: Number(runs[0].outputs.unchanged),
      };
    };
    return {
      files: filesUnder(siteA).length,
      latencyMs,
      rounds,
      back: summary('back'),
      forward: summary('forward'),
      whole: summary('whole'),
      goalS: ROLLBACK_GOAL_S,
    };
  } finally {
    s3.destroy();
    await proxy.close();
    server.stop();
  }
}

export function rollbackMarkdown(result, { date, command, machine }) {
  if (result.skipped) return `# Rollback benchmark\n\nSkipped: ${result.skipped}.\n`;
  const row = (label, r) =>
    `| ${label} | ${r.wallS.toFixed(2)} s (${r.wallRange.map((v) => v.toFixed(2)).join('–')}) | ${r.cpuS.toFixed(2)} s | ${r.rssMb.toFixed(0)} MB | ${r.copied} | ${r.deleted} | ${r.unchanged} |`;
  const met = [result.back, result.forward, result.whole].every((r) => r.wallS < result.goalS);
  return `# Rollback benchmark

ParlAI's whole site (the shared fixture, ${result.files} files) deployed as A, then as B (every tenth page
edited, five files removed, five added), then rolled back to A and forward to B with \`rollback-to\`, and —
the whole site — deployed as C (every file changed) and rolled back to A, ${result.rounds}
rounds, against moto's S3 (versioned bucket) behind a proxy that adds ${result.latencyMs} ms to every request.
Median wall time (range), CPU seconds (user + system) and peak RSS of the bundled action on Node 24.

| run | wall | CPU | peak RSS | copied | deleted | unchanged |
|---|---:|---:|---:|---:|---:|---:|
${row('roll back to A', result.back)}
${row('roll forward to B', result.forward)}
${row('roll back to A from C (every file changed)', result.whole)}

Goal: under ${result.goalS} s — **${met ? 'met' : 'not met'}**.

- ${date}; ${machine}; \`${command}\`.
`;
}
