#!/usr/bin/env node
// A real S3 protocol server (s3rver) on 127.0.0.1, for the demo, the end-to-end tests and the benchmark.
//
//   node examples/local-s3-server.mjs [--port 4569] [--dir DIR] [--bucket NAME]...   (runs until Ctrl-C)
//   import { startLocalS3 } from './examples/local-s3-server.mjs'                    (from code)
//
// s3rver needs Node's legacy OpenSSL provider for ListObjectsV2 continuation tokens, so it always runs in
// its own child process started with --openssl-legacy-provider. Credentials: S3RVER / S3RVER.
//
// Without --dir (or `directory`), the data lives in a new temp folder that is removed when the server stops.
// The server never outlives the process that started it: it stops when its stdin closes, which happens when
// that process ends, however it ends.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
export const LOCAL_S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

/** How long the server may take to start, and to stop before it is killed. */
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts s3rver; resolves to { endpoint, port, directory, stop() } once it listens. */
export function startLocalS3({ buckets = ['site'], directory, port = 0, allowMismatchedSignatures = false } = {}) {
  const dir = directory ?? mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const removeDir = () => {
    if (!directory) rmSync(dir, { recursive: true, force: true });
  };
  const args = ['--openssl-legacy-provider', self, '--child', '--port', String(port), '--dir', dir];
  for (const bucket of buckets) args.push('--bucket', bucket);
  if (allowMismatchedSignatures) args.push('--allow-mismatched-signatures');
  if (!directory) args.push('--remove-dir');
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  /** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS; then the temp folder goes. */
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    removeDir();
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      removeDir();
      reject(new Error(`s3rver did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      buffered += chunk;
      const match = /^LISTENING (\d+)$/m.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      const listening = Number(match[1]);
      resolve({ endpoint: `http://127.0.0.1:${listening}`, port: listening, directory: dir, stop });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      removeDir();
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      removeDir();
      reject(new Error(`s3rver exited early with code ${code}`));
    });
  });
}

async function serve(argv) {
  const option = (name, fallback) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : fallback;
  };
  const buckets = argv.flatMap((arg, index) => (arg === '--bucket' ? [argv[index + 1]] : []));
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: Number(option('--port', '0')),
    directory: option('--dir'),
    silent: true,
    allowMismatchedSignatures: argv.includes('--allow-mismatched-signatures'),
    configureBuckets: (buckets.length ? buckets : ['site']).map((name) => ({ name })),
  });
  const { port } = await server.run();
  process.stdout.write(`LISTENING ${port}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const exit = () => {
      if (argv.includes('--remove-dir')) rmSync(option('--dir'), { recursive: true, force: true });
      process.exit(0);
    };
    server.close().then(exit, exit);
    setTimeout(exit, 2_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent holds our stdin open: end of input means it is gone, and so should we be.
  process.stdin.on('end', stop).on('error', stop).resume();
}

if (process.argv[1] === self) {
  if (process.argv.includes('--child')) {
    await serve(process.argv.slice(2));
  } else {
    // Run by a user: start the server as a child and keep it in the foreground.
    const argv = process.argv.slice(2);
    const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    const buckets = argv.flatMap((arg, index) => (arg === '--bucket' ? [argv[index + 1]] : []));
    const server = await startLocalS3({
      port: Number(option('--port') ?? 4569),
      directory: option('--dir'),
      buckets: buckets.length > 0 ? buckets : ['site'],
    });
    const kept = option('--dir') ? 'kept' : 'removed when it stops';
    console.log(
      `S3 server at ${server.endpoint} (credentials S3RVER / S3RVER), data in ${server.directory} (${kept}). Ctrl-C stops it.`,
    );
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
  }
}
