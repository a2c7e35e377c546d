import { stat } from 'node:fs/promises';
import * as core from '@actions/core';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { runBuild } from './build.js';
import { createCloudFrontClient, createInvalidation, waitForInvalidation } from './cloudfront.js';
import { deleteRemoved } from './delete.js';
import { DeployError, InputError, errorMessage } from './errors.js';
import { currentPullRequestWithoutSecrets } from './github.js';
import { type ObjectHeaders, headersFor } from './headers.js';
import { type DeployInputs, readInputs } from './inputs.js';
import { callerReference, invalidationPaths } from './invalidate.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry, decodeManifest, emptyManifest, encodeManifest } from './manifest.js';
import { type Plan, type SiteFile, bytesToUpload, changedKeys, keysToVerify, planDeploy } from './plan.js';
import { type ChangeKind, type DeployReport, publishReport } from './report.js';
import { ObjectStore, createS3Client } from './s3.js';
import { checkSourceDir, scanSource } from './scan.js';
import { describeAwsError } from './aws-errors.js';
import { uploadAll } from './upload.js';

const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'INPUT_GITHUB-TOKEN', 'GITHUB_TOKEN'];
const LOGGED_PER_KIND = 500;

/** Registers every secret the process can see, so the runner masks it wherever it might be printed. */
function maskSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value) core.setSecret(value);
  }
}

/** Whether the SDK's default chain (env, OIDC web identity, profiles, instance roles) yields credentials. */
async function haveCredentials(client: S3Client): Promise<boolean> {
  try {
    const credentials = await client.config.credentials();
    core.setSecret(credentials.secretAccessKey);
    if (credentials.sessionToken) core.setSecret(credentials.sessionToken);
    return true;
  } catch (error) {
    if ((error as Error).name === 'CredentialsProviderError') return false;
    throw error;
  }
}

function targetOf(inputs: DeployInputs): string {
  return `s3://${inputs.bucket}/${inputs.prefix}`;
}

function emptyReport(inputs: DeployInputs, status: DeployReport['status'], started: number): DeployReport {
  return {
    target: targetOf(inputs),
    status,
    durationMs: Date.now() - started,
    counts: { new: 0, changed: 0, headers: 0, deleted: 0, unchanged: 0 },
    bytesUploaded: 0,
    changes: [],
    failures: [],
    kept: { excluded: 0, otherDeployments: [] },
    invalidation: { paths: [] },
  };
}

function logPlan(plan: Plan, maxDeletes: number): void {
  const rows: Array<[ChangeKind, string[]]> = [
    ['new', plan.uploads.filter((write) => write.reason === 'new').map((write) => write.file.key)],
    ['changed', plan.uploads.filter((write) => write.reason === 'changed').map((write) => write.file.key)],
    ['headers', plan.headerUpdates.map((write) => write.file.key)],
    ['deleted', plan.deletes],
  ];
  const counts = rows.map(([kind, keys]) => `${keys.length} ${kind === 'headers' ? 'header updates' : kind}`).join(', ');
  core.startGroup(`Plan: ${counts}, ${plan.unchanged.length} unchanged (deletes allowed: ${maxDeletes})`);
  for (const [kind, keys] of rows) {
    for (const key of keys.slice(0, LOGGED_PER_KIND)) core.info(`${kind.padEnd(8)} ${key}`);
    if (keys.length > LOGGED_PER_KIND) core.info(`${kind.padEnd(8)} … and ${keys.length - LOGGED_PER_KIND} more`);
  }
  if (plan.otherDeployments.length > 0) core.info(`kept     other deployments under: ${plan.otherDeployments.join(', ')}`);
  if (plan.excludedRemote > 0) core.info(`kept     ${plan.excludedRemote} remote objects matched by 'exclude'`);
  core.endGroup();
}

function planChanges(plan: Plan): Array<{ key: string; kind: ChangeKind }> {
  return [
    ...plan.uploads.map((write) => ({ key: write.file.key, kind: write.reason as ChangeKind })),
    ...plan.headerUpdates.map((write) => ({ key: write.file.key, kind: 'headers' as const })),
    ...plan.deletes.map((key) => ({ key, kind: 'deleted' as const })),
  ];
}

async function readManifest(store: ObjectStore, key: string): Promise<Manifest> {
  const stored = await store.readObject(key);
  if (!stored) return emptyManifest();
  try {
    return decodeManifest(stored.body);
  } catch (error) {
    core.warning(`The deploy manifest ${key} is unreadable (${errorMessage(error)}); every object will be checked once and the manifest rewritten.`);
    return emptyManifest();
  }
}

async function readObservedHeaders(store: ObjectStore, keys: string[], concurrency: number): Promise<Map<string, ObjectHeaders>> {
  const limit = pLimit(concurrency);
  const observed = new Map<string, ObjectHeaders>();
  if (keys.length > 0) core.info(`Checking the headers of ${keys.length} objects the deploy manifest does not know yet (once).`);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const headers = await store.readHeaders(key);
        if (headers) observed.set(key, headers);
      }),
    ),
  );
  return observed;
}

function entryFor(file: SiteFile, etag: string): ManifestEntry {
  return { md5: file.md5, etag, size: file.size, contentType: file.headers.contentType, cacheControl: file.headers.cacheControl };
}

async function deploy(inputs: DeployInputs, started: number): Promise<DeployReport> {
  if (inputs.buildCommand) {
    const workingDirectory = await stat(inputs.workingDirectory).catch(() => undefined);
    if (!workingDirectory?.isDirectory()) {
      throw new InputError('working-directory', `'${inputs.workingDirectory}' is not a directory: give a path relative to the repository root.`);
    }
    await runBuild(inputs.buildCommand, inputs.workingDirectory);
  }
  await checkSourceDir(inputs.sourceDir, inputs.sourceDirInput);

  const client = createS3Client(inputs);
  const store = new ObjectStore(client, inputs.bucket);
  const manifestKey = `${inputs.prefix}${MANIFEST_NAME}`;
  const credentials = await haveCredentials(client);

  // Hashing the build overlaps with listing the bucket and reading the manifest.
  const describe = (action: string) => (error: unknown) => {
    throw describeAwsError(error, action, inputs);
  };
  const [localFiles, remote, manifest] = await Promise.all([
    scanSource(inputs.sourceDir, { exclude: inputs.exclude, keyPrefix: inputs.prefix, concurrency: 8 }),
    credentials ? store.list(inputs.prefix).catch(describe('ListObjectsV2')) : Promise.resolve([]),
    credentials ? readManifest(store, manifestKey).catch(describe('GetObject (deploy manifest)')) : Promise.resolve(emptyManifest()),
  ]);
  if (localFiles.length === 0) {
    const excluded = inputs.excludePatterns.length > 0 ? " (or 'exclude' matches every file in it)" : '';
    throw new DeployError(
      `'source-dir' ${JSON.stringify(inputs.sourceDirInput)} is empty${excluded}: refusing to deploy, as that would delete the whole site. Check that the build wrote its output there.`,
    );
  }
  const files: SiteFile[] = localFiles.map((file) => ({
    ...file,
    key: inputs.prefix + file.relativePath,
    headers: headersFor(file.relativePath, inputs.headerRules),
  }));

  if (!credentials) {
    const reason = currentPullRequestWithoutSecrets();
    if (!reason) {
      throw new DeployError(
        'No AWS credentials found. In a workflow, add aws-actions/configure-aws-credentials before this step (OIDC: `role-to-assume`, with `permissions: id-token: write`); locally, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE.',
      );
    }
    core.warning(`No AWS credentials: ${reason}. The site was built and scanned (${files.length} files); the deploy is skipped.`);
    const report = emptyReport(inputs, 'skipped', started);
    report.reason = `No AWS credentials: ${reason}. Built and scanned ${files.length} files; nothing was deployed.`;
    return report;
  }

  const verify = keysToVerify(files, remote, manifest, inputs.prefix);
  const observed = await readObservedHeaders(store, verify, inputs.concurrency).catch(describe('HeadObject'));
  const plan = planDeploy({
    prefix: inputs.prefix,
    files,
    remote,
    manifest,
    observed,
    exclude: inputs.exclude,
    deleteRemoved: inputs.deleteRemoved,
  });
  logPlan(plan, inputs.maxDeletes);
  if (plan.deletes.length > inputs.maxDeletes) {
    throw new DeployError(
      `The plan deletes ${plan.deletes.length} objects, more than 'max-deletes' (${inputs.maxDeletes}); nothing was written. If that is intended, raise 'max-deletes'; if not, check 'source-dir' and 'prefix' (see the plan above).`,
    );
  }

  const report = emptyReport(inputs, inputs.dryRun ? 'dry-run' : 'deployed', started);
  report.kept = { excluded: plan.excludedRemote, otherDeployments: plan.otherDeployments.map((root) => inputs.prefix + root) };
  if (inputs.dryRun) {
    const invalidation = invalidationPaths({ changed: changedKeys(plan), remoteKeys: plan.remoteKeys, prefix: inputs.prefix });
    report.counts = {
      new: plan.uploads.filter((write) => write.reason === 'new').length,
      changed: plan.uploads.filter((write) => write.reason === 'changed').length,
      headers: plan.headerUpdates.length,
      deleted: plan.deletes.length,
      unchanged: plan.unchanged.length,
    };
    report.bytesUploaded = bytesToUpload(plan);
    report.changes = planChanges(plan);
    if (inputs.distributionId) report.invalidation = { paths: invalidation.paths, note: invalidation.fallback };
    report.durationMs = Date.now() - started;
    return report;
  }

  const uploaded = await uploadAll(store, plan, { concurrency: inputs.concurrency, log: core.info });
  report.bytesUploaded = uploaded.bytesUploaded;
  report.counts.unchanged = plan.unchanged.length;
  for (const { write } of uploaded.written) report.counts[write.reason] += 1;
  report.changes = uploaded.written.map(({ write }) => ({ key: write.file.key, kind: write.reason }));
  report.failures = [
    ...uploaded.failed.map(({ write, message }) => ({ key: write.file.key, message })),
    ...uploaded.notAttempted.map(({ file }) => ({ key: file.key, message: 'not written: pages wait until every asset is uploaded' })),
  ];

  let deletedKeys: string[] = [];
  const writesFailed = report.failures.length;
  if (writesFailed === 0) {
    const deleted = await deleteRemoved(store, plan.deletes).catch(describe('DeleteObjects'));
    deletedKeys = deleted.deleted;
    report.counts.deleted = deleted.deleted.length;
    report.changes.push(...deleted.deleted.map((key) => ({ key, kind: 'deleted' as const })));
    report.failures.push(...deleted.failed);
  }

  const deletesFailed = report.failures.length - writesFailed;
  if (report.failures.length === 0) {
    const next: Manifest = { entries: new Map(plan.unchangedEntries) };
    for (const { write, etag } of uploaded.written) next.entries.set(write.file.relativePath, entryFor(write.file, etag));
    await store
      .putBuffer(manifestKey, encodeManifest(next, new Date()), { contentType: 'application/gzip', cacheControl: 'no-store' })
      .catch(describe('PutObject (deploy manifest)'));
  }

  // Even after a failure, what was overwritten is live at the origin: refresh it at the edges too.
  const overwritten = [
    ...uploaded.written.filter(({ write }) => write.reason !== 'new').map(({ write }) => write.file.key),
    ...deletedKeys,
  ];
  if (inputs.distributionId && overwritten.length > 0) {
    const { paths, fallback } = invalidationPaths({ changed: overwritten, remoteKeys: plan.remoteKeys, prefix: inputs.prefix });
    if (fallback) core.notice(fallback);
    const cloudfront = createCloudFrontClient();
    try {
      const id = await createInvalidation(cloudfront, inputs.distributionId, paths, callerReference(process.env, paths, new Date()));
      report.invalidation = { id, paths, note: fallback };
      core.info(`CloudFront invalidation ${id}: ${paths.length} path(s).`);
      if (inputs.waitForInvalidation) {
        await core.group(`Waiting for invalidation ${id}`, () => waitForInvalidation(cloudfront, inputs.distributionId!, id));
        report.invalidation.note = [fallback, 'Completed.'].filter(Boolean).join(' ');
      }
    } catch (error) {
      report.invalidation = { paths, note: fallback };
      report.failures.push({ key: `CloudFront ${inputs.distributionId}`, message: describeAwsError(error, 'CreateInvalidation', inputs).message });
    }
  } else if (inputs.distributionId) {
    report.invalidation.note = 'Nothing cached was overwritten or deleted: no invalidation needed.';
  }

  report.changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (report.failures.length > 0) {
    report.status = 'failed';
    report.reason =
      writesFailed > 0
        ? `${writesFailed} write(s) failed: nothing was deleted and the deploy manifest was not updated. Re-run the deploy: it converges.`
        : deletesFailed > 0
          ? `${deletesFailed} delete(s) failed: the deploy manifest was not updated. Re-run the deploy: it converges.`
          : 'The site is deployed, but the CloudFront invalidation failed: edges may serve old copies until their TTL ends.';
  }
  report.durationMs = Date.now() - started;
  return report;
}

export async function run(): Promise<void> {
  const started = Date.now();
  maskSecrets(process.env);
  let inputs: DeployInputs;
  try {
    inputs = readInputs((name) => core.getInput(name));
  } catch (error) {
    core.setFailed(errorMessage(error));
    return;
  }
  try {
    const report = await deploy(inputs, started);
    await publishReport(report);
    if (report.status === 'failed') {
      for (const failure of report.failures.slice(0, 20)) core.error(`${failure.key}: ${failure.message}`);
      core.setFailed(report.reason ?? 'The deploy failed.');
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
