#!/usr/bin/env node
// A real S3 protocol server (s3rver) on 127.0.0.1, for the demo, the end-to-end tests and the benchmark.
//
//   node examples/local-s3-server.mjs [--port 4569] [--dir DIR] [--bucket NAME]...   (runs until Ctrl-C)
//   import { startLocalS3 } from './examples/local-s3-server.mjs'                    (from code)
//
// s3rver needs Node's legacy OpenSSL provider for ListObjectsV2 continuation tokens, so it always runs in
// its own child process started with --openssl-legacy-provider. Credentials: S3RVER / S3RVER.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
export const LOCAL_S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

/** Starts s3rver; resolves to { endpoint, port, directory, stop() } once it listens. */
export function startLocalS3({ buckets = ['site'], directory, port = 0, allowMismatchedSignatures = false } = {}) {
  const dir = directory ?? mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const args = ['--openssl-legacy-provider', self, '--child', '--port', String(port), '--dir', dir];
  for (const bucket of buckets) args.push('--bucket', bucket);
  if (allowMismatchedSignatures) args.push('--allow-mismatched-signatures');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const match = /^LISTENING (\d+)$/m.exec(buffered);
      if (!match) return;
      child.stdout.off('data', onData);
      const listening = Number(match[1]);
      resolve({
        endpoint: `http://127.0.0.1:${listening}`,
        port: listening,
        directory: dir,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited early with code ${code}`)));
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
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
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
    console.log(
      `S3 server at ${server.endpoint} (credentials S3RVER / S3RVER), data in ${server.directory}. Ctrl-C stops it.`,
    );
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
  }
}
