// moto's server (`moto_server`, Python: `pip install 'moto[server]'`) as a third-party S3 + CloudFront on
// 127.0.0.1, for end-to-end tests that need real semantics the s3rver + proxy pair only imitates: conditional
// writes (412), versioning (VersionId, delete markers, ListObjectVersions, get/copy by version), multipart
// ETags, checksums, CloudFront distributions and invalidations. See docs/testing-moto.md.
//
// Without moto_server on this machine, `motoSkipReason()` says so and the tests skip with that reason; nothing
// is installed from here. The server is one child process group per test file: killed by `stop()`, by the
// cleanup hook when the file ends (onCleanup in cleanup.ts), and when the worker exits; where GNU `timeout`
// exists its lifetime is also bounded, so a worker killed outright cannot leave it running for long.
import { describe, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import {
  CloudFrontClient,
  CreateDistributionCommand,
  ListInvalidationsCommand,
  GetInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { onCleanup } from './cleanup.js';

/** Any credentials do for moto; these are what the action gets too. */
export const MOTO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
} as const;

export const MOTO_INSTALL_HINT = "pip install 'moto[server]'";

/** How long the server may take to answer after it is started (moto imports a lot of Python). */
const START_TIMEOUT_MS = 20_000;
const POLL_MS = 100;
/** Upper bound on the server's lifetime, whatever happens to the jest worker (with GNU timeout). */
const LIFETIME_SECONDS = 15 * 60;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** `MOTO_SERVER` when set (it must be executable), else `moto_server` on PATH; undefined when neither. */
export function findMotoServer(): string | undefined {
  const configured = process.env.MOTO_SERVER;
  if (configured) return executable(configured) ? configured : undefined;
  return onPath('moto_server');
}

/**
 * Why the moto tests cannot run here, or undefined when they can. Tests pass it to `describe.skip` (or
 * print it), so a skip always says what is missing and how to get it.
 */
export function motoSkipReason(): string | undefined {
  const configured = process.env.MOTO_SERVER;
  if (configured && !findMotoServer()) return `MOTO_SERVER=${configured} is not an executable file`;
  if (!findMotoServer()) return `moto_server not found on PATH: ${MOTO_INSTALL_HINT} (or set MOTO_SERVER)`;
  return undefined;
}

/**
 * `describe` when moto_server is here; otherwise `describe.skip`, with the reason in the title and printed —
 * or, with MOTO_TEST_REQUIRED=1 (CI where moto is installed), a failing test instead, so a broken set-up
 * cannot pass as a skip.
 */
export function describeWithMoto(title: string, body: () => void): void {
  const reason = motoSkipReason();
  if (!reason) return describe(title, body);
  if (process.env.MOTO_TEST_REQUIRED === '1') {
    return describe(title, () => {
      it('needs moto_server (MOTO_TEST_REQUIRED=1)', () => {
        throw new Error(`${reason}; MOTO_TEST_REQUIRED=1 makes this a failure instead of a skip`);
      });
    });
  }
  console.warn(`Skipping "${title}": ${reason}`);
  describe.skip(`${title} (skipped: ${reason})`, body);
}

export interface MotoServer {
  /** `http://127.0.0.1:PORT`: the S3 endpoint (path-style) and the CloudFront endpoint alike. */
  endpoint: string;
  /** The server's own output so far (for failure messages). */
  output(): string;
  /** Kills the server (its whole process group) and waits, bounded, for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The server runs in its own process group (`detached`), led by the process spawned: `timeout`, a pyenv shim,
 * Python. The group is killed as a whole, also when its leader is already gone (killing `timeout` alone
 * would leave Python running).
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

/** Does the server answer S3's ListBuckets yet? Any HTTP answer counts; a refused connection does not. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts moto_server on 127.0.0.1, on a port it picks itself (`-p 0`, read back from its "Running on" line),
 * and resolves once it answers HTTP. Rejects after 20 s, or when the server exits, with its output.
 */
export async function startMoto(): Promise<MotoServer> {
  const binary = findMotoServer();
  if (!binary) throw new Error(motoSkipReason());
  const timeoutCommand = onPath('timeout');
  const command = timeoutCommand ? [timeoutCommand, '--kill-after=5', String(LIFETIME_SECONDS), binary] : [binary];
  // Not track()ed: cleanup.ts would kill the group's leader only. stop() below, registered with onCleanup,
  // kills the whole group.
  const child = spawn(command[0]!, [...command.slice(1), '-H', '127.0.0.1', '-p', '0'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Python writes no .pyc files, and its output is not held back in a buffer.
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    },
  });
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  child.stdout!.setEncoding('utf8').on('data', collect);
  child.stderr!.setEncoding('utf8').on('data', collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  // Also killed when the worker exits without running afterAll hooks (process.exit, an uncaught error).
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    killGroup(child, 'SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  onCleanup(stop);

  const deadline = Date.now() + START_TIMEOUT_MS;
  let endpoint: string | undefined;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    if (!endpoint) {
      const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) endpoint = `http://127.0.0.1:${port}`;
    }
    if (endpoint && (await answers(endpoint))) return { endpoint, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stop();
  throw new Error(
    `moto_server (${binary}) ${gone ? 'exited' : `did not answer within ${START_TIMEOUT_MS / 1000} s`}` +
      `${endpoint ? ` on ${endpoint}` : ''}; its output:\n${output}`,
  );
}

export function motoS3Client(endpoint: string): S3Client {
  return new S3Client({
    region: MOTO_CREDENTIALS.AWS_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
    // As the action's own client: no CRC32 trailers unless a test asks for a checksum.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function motoCloudFrontClient(endpoint: string): CloudFrontClient {
  return new CloudFrontClient({
    region: MOTO_CREDENTIALS.AWS_REGION,
    endpoint,
    credentials: {
      accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
}

/** Creates a bucket (us-east-1: no location constraint), versioned when asked. */
export async function createMotoBucket(
  client: S3Client,
  bucket: string,
  options: { versioning?: boolean } = {},
): Promise<string> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.versioning)
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  return bucket;
}

/**
 * Creates a CloudFront distribution in moto (an S3 origin on the given bucket) and returns its id: the
 * action's `distribution-id`, with `AWS_ENDPOINT_URL_CLOUDFRONT` set to the moto endpoint.
 */
export async function createMotoDistribution(client: CloudFrontClient, bucket: string): Promise<string> {
  const response = await client.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `moto-${bucket}-${Date.now()}`,
        Comment: `test distribution for ${bucket}`,
        Enabled: true,
        DefaultRootObject: 'index.html',
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 's3-origin',
              DomainName: `${bucket}.s3.us-east-1.amazonaws.com`,
              S3OriginConfig: { OriginAccessIdentity: '' },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 's3-origin',
          ViewerProtocolPolicy: 'redirect-to-https',
          // The managed CachingOptimized policy, as the Terraform module uses.
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      },
    }),
  );
  const id = response.Distribution?.Id;
  if (!id) throw new Error('moto created a distribution without an Id');
  return id;
}

export interface MotoInvalidation {
  id: string;
  status: string;
  paths: string[];
  callerReference: string;
}

/** Every invalidation of a distribution, with its paths (one GetInvalidation each; moto lists no paths). */
export async function listMotoInvalidations(
  client: CloudFrontClient,
  distributionId: string,
): Promise<MotoInvalidation[]> {
  const listed = await client.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
  const result: MotoInvalidation[] = [];
  for (const summary of listed.InvalidationList?.Items ?? []) {
    const got = await client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: summary.Id! }));
    result.push({
      id: summary.Id!,
      status: got.Invalidation?.Status ?? summary.Status ?? '',
      paths: [...(got.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])],
      callerReference: got.Invalidation?.InvalidationBatch?.CallerReference ?? '',
    });
  }
  return result;
}
