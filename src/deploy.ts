import { stat } from 'node:fs/promises';
import * as core from '@actions/core';
import pMap from 'p-map';
import { describeAwsError } from './aws-errors.js';
import { createCloudFrontClient, createInvalidation, waitForInvalidation } from './cloudfront.js';
import { runBuild } from './build.js';
import { haveCredentials } from './credentials.js';
import { deleteRemoved } from './delete.js';
import { DeployError, InputError, errorMessage } from './errors.js';
import { pullRequestWithoutSecrets, readEventContext } from './event.js';
import { type ObjectHeaders, headersFor } from './headers.js';
import type { DeployInputs } from './inputs.js';
import { callerReference, invalidationPaths } from './invalidate.js';
import {
  MANIFEST_NAME,
  type Manifest,
  type ManifestEntry,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  sameManifest,
} from './manifest.js';
import { type Plan, type SiteFile, bytesToUpload, changedKeys, keysToVerify, planDeploy } from './plan.js';
import type { ChangeKind, DeployReport } from './report.js';
import { ConcurrentWriteError, ObjectStore, createS3Client } from './s3.js';
import { checkSourceDir, scanSource } from './scan.js';
import { uploadAll } from './upload.js';

// The deploy pipeline: build → scan (with the listing and the manifest) → plan → upload → delete →
// manifest → invalidate, returned as a report. Pure decisions live in scan/plan/invalidate; this file
// sequences them and the S3 and CloudFront calls.

const LOGGED_PER_KIND = 500;
const MANIFEST_HEADERS: ObjectHeaders = { contentType: 'application/gzip', cacheControl: 'no-store' };

interface Context {
  inputs: DeployInputs;
  store: ObjectStore;
  manifestKey: string;
  /** The manifest as read at the start, and its ETag then (undefined when there was none). */
  manifest: Manifest;
  manifestEtag?: string;
}

function targetOf(inputs: DeployInputs): string {
  return `s3://${inputs.bucket}/${inputs.prefix}`;
}

/** A `.catch` handler that rethrows an AWS error as a DeployError saying what to fix. */
function describeError(action: string, inputs: DeployInputs) {
  return (error: unknown): never => {
    throw describeAwsError(error, action, inputs);
  };
}

function newReport(inputs: DeployInputs, status: DeployReport['status'], started: number): DeployReport {
  return {
    target: targetOf(inputs),
    status,
    durationMs: Date.now() - started,
    counts: { new: 0, changed: 0, headers: 0, deleted: 0, unchanged: 0 },
    bytesUploaded: 0,
    changes: [],
    failures: [],
    kept: { excluded: 0, otherDeployments: [], retained: 0 },
    invalidation: { paths: [] },
  };
}

async function build(inputs: DeployInputs): Promise<void> {
  if (!inputs.buildCommand) return;
  const directory = await stat(inputs.workingDirectory).catch(() => undefined);
  if (!directory?.isDirectory()) {
    throw new InputError(
      'working-directory',
      `'${inputs.workingDirectory}' is not a directory: give a path relative to the repository root.`,
    );
  }
  await runBuild(inputs.buildCommand, inputs.workingDirectory);
}

/** The manifest, and the ETag it was read at, for the conditional write at the end. */
async function readManifest(store: ObjectStore, key: string): Promise<{ manifest: Manifest; etag?: string }> {
  const stored = await store.readObject(key);
  if (!stored) return { manifest: emptyManifest() };
  try {
    return { manifest: decodeManifest(stored.body), etag: stored.etag };
  } catch (error) {
    core.warning(
      `The deploy manifest ${key} is unreadable (${errorMessage(error)}); every object will be checked once and the manifest rewritten.`,
    );
    return { manifest: emptyManifest(), etag: stored.etag };
  }
}

async function readObservedHeaders(
  store: ObjectStore,
  keys: string[],
  concurrency: number,
): Promise<Map<string, ObjectHeaders>> {
  const observed = new Map<string, ObjectHeaders>();
  if (keys.length > 0)
    core.info(`Checking the headers of ${keys.length} objects the deploy manifest does not know yet (once).`);
  await pMap(
    keys,
    async (key) => {
      const object = await store.head(key);
      if (object) observed.set(key, object.headers);
    },
    { concurrency },
  );
  return observed;
}

function logPlan(plan: Plan, maxDeletes: number): void {
  const rows: Array<[ChangeKind, string[]]> = [
    ['new', plan.uploads.filter((write) => write.reason === 'new').map((write) => write.file.key)],
    ['changed', plan.uploads.filter((write) => write.reason === 'changed').map((write) => write.file.key)],
    ['headers', plan.headerUpdates.map((write) => write.file.key)],
    ['deleted', plan.deletes],
  ];
  const counts = rows
    .map(([kind, keys]) => `${keys.length} ${kind === 'headers' ? 'header updates' : kind}`)
    .join(', ');
  core.startGroup(`Plan: ${counts}, ${plan.unchanged.length} unchanged (deletes allowed: ${maxDeletes})`);
  for (const [kind, keys] of rows) {
    for (const key of keys.slice(0, LOGGED_PER_KIND)) core.info(`${kind.padEnd(8)} ${key}`);
    if (keys.length > LOGGED_PER_KIND) core.info(`${kind.padEnd(8)} … and ${keys.length - LOGGED_PER_KIND} more`);
  }
  if (plan.otherDeployments.length > 0)
    core.info(`kept     other deployments under: ${plan.otherDeployments.join(', ')}`);
  if (plan.excludedRemote > 0) core.info(`kept     ${plan.excludedRemote} remote objects matched by 'exclude'`);
  for (const { key, until } of plan.retained.slice(0, LOGGED_PER_KIND)) {
    core.info(`kept     ${key} (gone from the build; deleted after ${until.toISOString()}, 'asset-grace-period')`);
  }
  core.endGroup();
}

function plannedChanges(plan: Plan): Array<{ key: string; kind: ChangeKind }> {
  return [
    ...plan.uploads.map((write) => ({ key: write.file.key, kind: write.reason as ChangeKind })),
    ...plan.headerUpdates.map((write) => ({ key: write.file.key, kind: 'headers' as const })),
    ...plan.deletes.map((key) => ({ key, kind: 'deleted' as const })),
  ];
}

function concurrentDeployError(inputs: DeployInputs, error: ConcurrentWriteError, consequence: string): DeployError {
  return new DeployError(
    `Another deploy to ${targetOf(inputs)} saved its deploy manifest while this one ran (${error.message}): ${consequence} Re-run the deploy you want live, and give deploys of one site a \`concurrency\` group so they cannot overlap.`,
  );
}

/** Deletes only while the manifest is still the one this deploy planned against. */
async function deleteIfUnchanged(context: Context, keys: string[]): Promise<Awaited<ReturnType<typeof deleteRemoved>>> {
  const { inputs, store, manifestKey, manifestEtag } = context;
  const found = (await store.head(manifestKey).catch(describeError('HeadObject (deploy manifest)', inputs)))?.etag;
  if (found !== manifestEtag) {
    throw concurrentDeployError(
      inputs,
      new ConcurrentWriteError(manifestEtag, found),
      "nothing was deleted, and this deploy's uploads may be mixed with the other one's.",
    );
  }
  return deleteRemoved(store, keys).catch(describeError('DeleteObjects', inputs));
}

/** Writes the next manifest, unless it records exactly what the current one does. */
async function saveManifest(context: Context, next: Manifest): Promise<void> {
  const { inputs, store, manifestKey, manifest, manifestEtag } = context;
  if (manifestEtag !== undefined && sameManifest(next, manifest)) return;
  try {
    await store.putIfUnchanged(manifestKey, encodeManifest(next, new Date()), MANIFEST_HEADERS, manifestEtag);
  } catch (error) {
    if (error instanceof ConcurrentWriteError) {
      throw concurrentDeployError(
        inputs,
        error,
        'this deploy did not overwrite its manifest, and the bucket holds a mix of both deploys.',
      );
    }
    throw describeAwsError(error, 'PutObject (deploy manifest)', inputs);
  }
}

/** One invalidation for what was overwritten or deleted; a failure is reported, not thrown. */
async function invalidate(
  inputs: DeployInputs,
  remoteKeys: string[],
  overwritten: string[],
  report: DeployReport,
): Promise<void> {
  if (!inputs.distributionId) return;
  if (overwritten.length === 0) {
    report.invalidation.note = 'Nothing cached was overwritten or deleted: no invalidation needed.';
    return;
  }
  const { paths, fallback } = invalidationPaths({ changed: overwritten, remoteKeys, prefix: inputs.prefix });
  if (fallback) core.notice(fallback);
  report.invalidation = { paths, note: fallback };
  const cloudfront = createCloudFrontClient();
  try {
    const id = await createInvalidation(
      cloudfront,
      inputs.distributionId,
      paths,
      callerReference(process.env, paths, new Date()),
    );
    report.invalidation.id = id;
    core.info(`CloudFront invalidation ${id}: ${paths.length} path(s).`);
    if (inputs.waitForInvalidation) {
      await core.group(`Waiting for invalidation ${id}`, () =>
        waitForInvalidation(cloudfront, inputs.distributionId!, id),
      );
      report.invalidation.note = [fallback, 'Completed.'].filter(Boolean).join(' ');
    }
  } catch (error) {
    report.failures.push({
      key: `CloudFront ${inputs.distributionId}`,
      message: describeAwsError(error, 'CreateInvalidation', inputs).message,
    });
  }
}

function entryFor(file: SiteFile, etag: string): ManifestEntry {
  return {
    md5: file.md5,
    etag,
    size: file.size,
    contentType: file.headers.contentType,
    cacheControl: file.headers.cacheControl,
  };
}

/**
 * Upload (assets, then pages), delete, save the manifest — each step only if every one before succeeded —
 * then invalidate whatever was overwritten, even after a failure: it is live at the origin either way.
 */
async function apply(context: Context, plan: Plan, report: DeployReport): Promise<void> {
  const { inputs, store } = context;
  let failure: string | undefined;

  const uploaded = await uploadAll(store, plan, { concurrency: inputs.concurrency, log: core.info });
  report.bytesUploaded = uploaded.bytesUploaded;
  for (const { write } of uploaded.written) report.counts[write.reason] += 1;
  report.changes = uploaded.written.map(({ write }) => ({ key: write.file.key, kind: write.reason }));
  report.failures.push(
    ...uploaded.failed.map(({ write, message }) => ({ key: write.file.key, message })),
    ...uploaded.notAttempted.map(({ file }) => ({
      key: file.key,
      message: 'not written: pages wait until every asset is uploaded',
    })),
  );
  if (report.failures.length > 0) {
    failure = `${uploaded.failed.length} write(s) failed: nothing was deleted and the deploy manifest was not updated. Re-run the deploy: it converges.`;
  }

  let deleted: string[] = [];
  if (!failure && plan.deletes.length > 0) {
    try {
      const result = await deleteIfUnchanged(context, plan.deletes);
      deleted = result.deleted;
      report.failures.push(...result.failed);
      if (result.failed.length > 0)
        failure = `${result.failed.length} delete(s) failed: the deploy manifest was not updated. Re-run the deploy: it converges.`;
    } catch (error) {
      failure = errorMessage(error);
    }
    report.counts.deleted = deleted.length;
    report.changes.push(...deleted.map((key) => ({ key, kind: 'deleted' as const })));
  }

  if (!failure) {
    const next: Manifest = {
      entries: new Map(plan.unchangedEntries),
      retained: new Map(plan.retained.map(({ key, since }) => [key.slice(inputs.prefix.length), since])),
    };
    for (const { write, etag } of uploaded.written)
      next.entries.set(write.file.relativePath, entryFor(write.file, etag));
    await saveManifest(context, next).catch((error: unknown) => {
      failure = errorMessage(error);
    });
  }

  const overwritten = [
    ...uploaded.written.filter(({ write }) => write.reason !== 'new').map(({ write }) => write.file.key),
    ...deleted,
  ];
  const failuresBefore = report.failures.length;
  await invalidate(inputs, plan.remoteKeys, overwritten, report);
  if (!failure && report.failures.length > failuresBefore) {
    failure =
      'The site is deployed, but the CloudFront invalidation failed: edges may serve old copies until their TTL ends.';
  }

  report.changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (failure) {
    report.status = 'failed';
    report.reason = failure;
  }
}

export interface DeployHooks {
  /** Called once the plan is made and approved, right before the first write (not in a dry run). */
  beforeApply?: () => Promise<void>;
}

/** The client, the store and whether there are credentials; without them, fails unless the run may skip. */
async function connect(inputs: DeployInputs): Promise<{ store: ObjectStore; credentials: boolean }> {
  const store = new ObjectStore(createS3Client(inputs), inputs.bucket);
  return { store, credentials: await haveCredentials(store.client) };
}

/** Why this run has no secrets (a fork or Dependabot pull request), if that is so. */
function runWithoutSecrets(): string | undefined {
  const { eventName, payload, actor } = readEventContext();
  return pullRequestWithoutSecrets(eventName, payload, actor);
}

const NO_CREDENTIALS =
  'No AWS credentials found. In a workflow, add aws-actions/configure-aws-credentials before this step (OIDC: `role-to-assume`, with `permissions: id-token: write`); locally, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE.';

/**
 * Removes a whole deployment (a closed pull request's preview): every object under the prefix, the manifest
 * included, past `max-deletes` — for this prefix only, never the bucket root — then invalidates it.
 */
export async function removeDeployment(inputs: DeployInputs, started: number): Promise<DeployReport> {
  if (inputs.prefix === '')
    throw new DeployError(
      'Refusing to remove a deployment at the bucket root: a preview is removed by its prefix (pr-<number>/).',
    );
  const { store, credentials } = await connect(inputs);
  if (!credentials) {
    const reason = runWithoutSecrets();
    if (!reason) throw new DeployError(NO_CREDENTIALS);
    const report = newReport(inputs, 'skipped', started);
    report.reason = `No AWS credentials: ${reason}. The preview was not removed.`;
    return report;
  }
  const keys = (await store.list(inputs.prefix).catch(describeError('ListObjectsV2', inputs))).map(
    (object) => object.key,
  );
  core.info(`Removing the deployment at ${targetOf(inputs)}: ${keys.length} objects.`);
  const report = newReport(inputs, 'removed', started);
  if (inputs.dryRun) {
    report.status = 'dry-run';
    report.counts.deleted = keys.length;
    report.changes = keys.map((key) => ({ key, kind: 'deleted' as const }));
    return report;
  }
  const result = await deleteRemoved(store, keys).catch(describeError('DeleteObjects', inputs));
  report.counts.deleted = result.deleted.length;
  report.changes = result.deleted.map((key) => ({ key, kind: 'deleted' as const }));
  report.failures.push(...result.failed);
  await invalidate(inputs, keys, result.deleted, report);
  if (report.failures.length > 0) {
    report.status = 'failed';
    report.reason = `${report.failures.length} object(s) of the preview could not be removed: re-run to finish.`;
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Runs the whole pipeline for validated inputs. Throws (before any write) for what must stop it. */
export async function deploy(inputs: DeployInputs, started: number, hooks: DeployHooks = {}): Promise<DeployReport> {
  await build(inputs);
  await checkSourceDir(inputs.sourceDir, inputs.sourceDirInput);

  const { store, credentials } = await connect(inputs);
  const manifestKey = `${inputs.prefix}${MANIFEST_NAME}`;

  // Hashing the build overlaps with listing the bucket and reading the manifest.
  const [localFiles, remote, { manifest, etag: manifestEtag }] = await Promise.all([
    scanSource(inputs.sourceDir, { exclude: inputs.exclude, keyPrefix: inputs.prefix }),
    credentials ? store.list(inputs.prefix).catch(describeError('ListObjectsV2', inputs)) : Promise.resolve([]),
    credentials
      ? readManifest(store, manifestKey).catch(describeError('GetObject (deploy manifest)', inputs))
      : Promise.resolve({ manifest: emptyManifest(), etag: undefined }),
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
    const reason = runWithoutSecrets();
    if (!reason) throw new DeployError(NO_CREDENTIALS);
    core.warning(
      `No AWS credentials: ${reason}. The site was built and scanned (${files.length} files); the deploy is skipped.`,
    );
    const report = newReport(inputs, 'skipped', started);
    report.reason = `No AWS credentials: ${reason}. Built and scanned ${files.length} files; nothing was deployed.`;
    return report;
  }

  const verify = keysToVerify(files, remote, manifest, inputs.prefix);
  const observed = await readObservedHeaders(store, verify, inputs.concurrency).catch(
    describeError('HeadObject', inputs),
  );
  const plan = planDeploy({
    prefix: inputs.prefix,
    files,
    remote,
    manifest,
    observed,
    exclude: inputs.exclude,
    deleteRemoved: inputs.deleteRemoved,
    gracePeriodMs: inputs.assetGracePeriodMs,
    now: new Date(),
  });
  logPlan(plan, inputs.maxDeletes);
  if (plan.deletes.length > inputs.maxDeletes) {
    throw new DeployError(
      `The plan deletes ${plan.deletes.length} objects, more than 'max-deletes' (${inputs.maxDeletes}); nothing was written. If that is intended, raise 'max-deletes'; if not, check 'source-dir' and 'prefix' (see the plan above).`,
    );
  }

  const report = newReport(inputs, inputs.dryRun ? 'dry-run' : 'deployed', started);
  report.counts.unchanged = plan.unchanged.length;
  report.kept = {
    excluded: plan.excludedRemote,
    otherDeployments: plan.otherDeployments.map((root) => inputs.prefix + root),
    retained: plan.retained.length,
  };
  if (inputs.dryRun) {
    report.changes = plannedChanges(plan);
    for (const { kind } of report.changes) report.counts[kind] += 1;
    report.bytesUploaded = bytesToUpload(plan);
    if (inputs.distributionId) {
      const { paths, fallback } = invalidationPaths({
        changed: changedKeys(plan),
        remoteKeys: plan.remoteKeys,
        prefix: inputs.prefix,
      });
      report.invalidation = { paths, note: fallback };
    }
  } else {
    await hooks.beforeApply?.();
    await apply({ inputs, store, manifestKey, manifest, manifestEtag }, plan, report);
  }
  report.durationMs = Date.now() - started;
  return report;
}
