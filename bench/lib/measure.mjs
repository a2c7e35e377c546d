// Running one tool invocation under GNU time (peak RSS, CPU), with a bounded run time, and reading the CPU
// time of the S3 server process; classifying what the counting proxy saw.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';
/** Process groups of the tool runs in progress, for cleanup on an interrupt. */
export const running = new Set();

/** Kills every tool run still in progress (their whole process groups). */
export function killRunning() {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * Runs `command args` under `/usr/bin/time`, stdout and stderr to `logFile`. Resolves to
 * { code, signal, timedOut, wallS, rssKb, userS, sysS }. The child is killed (its whole process group) after
 * `timeoutMs`.
 */
export function runTimed(command, args, { env, cwd, logFile, timeoutMs = 30 * 60_000 } = {}) {
  const timeFile = `${logFile}.time`;
  rmSync(timeFile, { force: true });
  const out = openSync(logFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(GNU_TIME, ['-f', '%M %e %U %S', '-o', timeFile, '--', command, ...args], {
    env,
    cwd,
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so a timeout can end every process it started
  });
  closeSync(out);
  running.add(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child.pid);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKb = NaN;
      let userS = NaN;
      let sysS = NaN;
      if (existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" first when the command fails.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [rss, , user, sys] = last.split(/\s+/).map(Number);
        rssKb = rss;
        userS = user;
        sysS = sys;
      }
      resolve({ code, signal, timedOut, wallS, rssKb, userS, sysS });
    });
  });
}

/** Runs a command and collects its output (for short helper commands: versions, md5sum timings). */
export function capture(command, args, { env, cwd, timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** PIDs of this process's direct children whose command line contains `needle`. */
export function childPids(needle) {
  const pids = [];
  const taskDir = `/proc/${process.pid}/task`;
  for (const task of readdirSync(taskDir)) {
    let children = '';
    try {
      children = readFileSync(path.join(taskDir, task, 'children'), 'utf8');
    } catch {
      continue;
    }
    for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) pids.push(Number(pid));
      } catch {
        // exited
      }
    }
  }
  return pids;
}

/** User + system CPU seconds a process has used so far (NaN when it is gone). */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The proxy's operation, refined for bucket-level requests (which it files under object operations). */
export function operationOf(request) {
  const url = new URL(request.url, 'http://x');
  const segments = url.pathname.split('/').filter(Boolean);
  const bucketLevel = segments.length <= 1;
  if (bucketLevel) {
    if (request.method === 'PUT' && request.operation === 'PutObject') return 'CreateBucket';
    if (request.method === 'HEAD') return 'HeadBucket';
    if (request.method === 'GET' && url.searchParams.has('location')) return 'GetBucketLocation';
  }
  return request.operation;
}

/** The object key a request addresses (path-style URLs: /bucket/key). */
export function keyOf(request) {
  const { pathname } = new URL(request.url, 'http://x');
  return pathname
    .split('/')
    .slice(2)
    .map((segment) => decodeURIComponent(segment))
    .join('/');
}

/**
 * Objects written: one per PutObject, CopyObject (a metadata-only rewrite is still a new object version) and
 * CompleteMultipartUpload (the parts of one multipart upload make one object; UploadPart and
 * CreateMultipartUpload are not counted again). Deletes are counted apart.
 */
export const OBJECT_WRITES = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);

const PROBE_NAME = '.parlai-site-deploy.probe';

export function summariseRequests(requests, { manifestName } = {}) {
  const counts = {};
  const writtenKeys = [];
  let manifestWrites = 0;
  let probeWrites = 0;
  let deletes = 0;
  for (const request of requests) {
    const operation = operationOf(request);
    counts[operation] = (counts[operation] ?? 0) + 1;
    if (OBJECT_WRITES.has(operation)) {
      const key = keyOf(request);
      if (manifestName && key.endsWith(manifestName)) manifestWrites += 1;
      // The release protocol's probe of conditional writes (written only where a store ignores them).
      else if (manifestName && key.endsWith(PROBE_NAME)) probeWrites += 1;
      else writtenKeys.push(key);
    }
    if (operation === 'DeleteObject' || operation === 'DeleteObjects') deletes += 1;
  }
  const writes = Object.entries(counts).reduce(
    (sum, [operation, count]) => sum + (OBJECT_WRITES.has(operation) ? count : 0),
    0,
  );
  return {
    counts,
    total: requests.length,
    writes,
    manifestWrites,
    probeWrites,
    contentWrites: writes - manifestWrites - probeWrites,
    writtenKeys,
    deletes,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of runs with their range, as the reports print it. */
export function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Waits until the wall clock is in a later second than now. S3 lists LastModified to the second (s3rver too),
 * and aws s3 sync uploads a file whose mtime is newer than that: a file written in the same second as its
 * upload would look newer than its object on the next sync. In real use seconds pass between a build and a
 * deploy; the benchmark makes sure they do too (outside the timed region, for every tool alike).
 */
export function nextSecond() {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
}
