import { stat } from 'node:fs/promises';
import pMap from 'p-map';
import type { RunContext } from '../context/run-context.js';
import { DeployError, Refusal, errorMessage, isRefusal } from '../shared/errors.js';
import { type ObjectHeaders, headersFor } from './headers.js';
import { callerReference, invalidationPaths } from './invalidation.js';
import {
  MANIFEST_NAME,
  type Manifest,
  type ManifestEntry,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  sameManifest,
} from './manifest.js';
import {
  type Change,
  type Failure,
  type InvalidationOutcome,
  type Kept,
  type Outcome,
  countChanges,
  finalOutcome,
} from './outcome.js';
import { type Plan, type SiteFile, keysToVerify, planDeploy, planRemoval, planChanges } from './plan.js';
import { planLines } from './plan-text.js';
import { type Builder, type Cdn, ConcurrentWriteError, type Log, type ObjectStore } from './ports.js';
import { checkSourceDir, scanSource } from './scan.js';
import { uploadAll } from './upload.js';

// The deploy pipeline, in order:
//   build → scan (beside the listing and the manifest) → plan → upload assets → upload pages → delete →
//   save the manifest → invalidate
// Removing a closed pull request's preview is the same pipeline with nothing built: every object under its
// prefix is planned for deletion. Decisions are made by the pure modules beside this one (scan, headers,
// plan, invalidation); this file only sequences them and the calls to the store and the CDN it is given.

export interface Ports {
  store: ObjectStore;
  /** Absent without `distribution-id`. */
  cdn?: Cdn;
  build: Builder;
  log: Log;
  now: () => Date;
  /** Called once, right before the first write (to record a GitHub deployment). */
  beforeWrite?: () => Promise<void>;
}

const MANIFEST_HEADERS: ObjectHeaders = { contentType: 'application/gzip', cacheControl: 'no-store' };

export const NO_CREDENTIALS =
  'No AWS credentials found. In a workflow, add aws-actions/configure-aws-credentials before this step (OIDC: `role-to-assume`, with `permissions: id-token: write`); locally, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE.';

/** What a run learned so far; made into the frozen Outcome once, at the end. */
interface Draft {
  result?: Outcome['result'];
  reason?: string;
  input?: string;
  plan?: Plan;
  /** What was written (or recorded, in a dry run); undefined until the writes ran. */
  applied?: Change[];
  bytesUploaded: number;
  failures: Failure[];
  invalidation: InvalidationOutcome;
}

export function targetOf(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}

/** Runs the whole pipeline. Never throws: every way a run can end is an Outcome. */
export async function deploy(context: RunContext, ports: Ports): Promise<Readonly<Outcome>> {
  const started = ports.now().getTime();
  const draft: Draft = { bytesUploaded: 0, failures: [], invalidation: { paths: [] } };
  try {
    if (context.target.cleanup) await removePreview(context, ports, draft);
    else await deploySite(context, ports, draft);
  } catch (error) {
    draft.result = isRefusal(error) ? 'refused' : 'failed';
    draft.reason = errorMessage(error);
    draft.input = (error as { input?: string }).input;
  }
  return finish(context, draft, ports.now().getTime() - started);
}

function finish(context: RunContext, draft: Draft, durationMs: number): Readonly<Outcome> {
  const { inputs } = context;
  const plan = draft.plan;
  const changes = draft.applied ?? (plan ? planChanges(plan) : []);
  const wrote = (draft.applied?.length ?? 0) > 0;
  const kept: Kept = {
    excluded: plan?.excludedRemote ?? 0,
    otherDeployments: (plan?.otherDeployments ?? []).map((root) => inputs.prefix + root),
    retained: plan?.retained.length ?? 0,
  };
  const result = draft.result ?? (draft.failures.length > 0 ? 'failed' : wrote ? 'deployed' : 'unchanged');
  return finalOutcome({
    result,
    action: context.target.cleanup ? 'remove' : 'deploy',
    dryRun: inputs.dryRun,
    target: targetOf(inputs.bucket, inputs.prefix),
    prefix: inputs.prefix,
    url: context.url,
    reason: draft.reason,
    input: draft.input,
    planned: plan !== undefined,
    changes: [...changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    counts: countChanges(changes, plan?.unchanged.length ?? 0),
    bytesUploaded: draft.applied ? draft.bytesUploaded : changes.reduce((sum, change) => sum + change.bytes, 0),
    failures: draft.failures,
    kept,
    invalidation: draft.invalidation,
    durationMs,
  });
}

async function build(context: RunContext, ports: Ports): Promise<void> {
  const { buildCommand, workingDirectory } = context.inputs;
  if (!buildCommand) return;
  const directory = await stat(workingDirectory).catch(() => undefined);
  if (!directory?.isDirectory()) {
    throw new Refusal(
      `Input 'working-directory': '${workingDirectory}' is not a directory: give a path relative to the repository root.`,
      'working-directory',
    );
  }
  const exitCode = await ports.build(buildCommand, workingDirectory);
  if (exitCode !== 0) {
    throw new DeployError(
      `Input 'build-command' exited with code ${exitCode}; nothing was deployed. See the "Build" log group above.`,
    );
  }
}

/** The manifest, and the ETag it was read at, for the conditional write at the end. */
async function readManifest(ports: Ports, key: string): Promise<{ manifest: Manifest; etag?: string }> {
  const stored = await ports.store.get(key);
  if (!stored) return { manifest: emptyManifest() };
  try {
    return { manifest: decodeManifest(stored.body), etag: stored.etag };
  } catch (error) {
    ports.log.warning(
      `The deploy manifest ${key} is unreadable (${errorMessage(error)}); every object will be checked once and the manifest rewritten.`,
    );
    return { manifest: emptyManifest(), etag: stored.etag };
  }
}

async function readObservedHeaders(ports: Ports, keys: string[], concurrency: number) {
  const observed = new Map<string, ObjectHeaders>();
  if (keys.length > 0) {
    ports.log.info(`Checking the headers of ${keys.length} objects the deploy manifest does not know yet (once).`);
  }
  await pMap(
    keys,
    async (key) => {
      const object = await ports.store.head(key);
      if (object) observed.set(key, object.headers);
    },
    { concurrency },
  );
  return observed;
}

async function deploySite(context: RunContext, ports: Ports, draft: Draft): Promise<void> {
  const { inputs } = context;
  await build(context, ports);
  await checkSourceDir(inputs.sourceDir, inputs.sourceDirInput);
  if (!context.credentials && !context.withoutSecrets) throw new Refusal(NO_CREDENTIALS);

  const manifestKey = `${inputs.prefix}${MANIFEST_NAME}`;
  const scanning = scanSource(inputs.sourceDir, { exclude: inputs.exclude, keyPrefix: inputs.prefix });
  if (!context.credentials) {
    const files = await scanning;
    const why = `No AWS credentials: ${context.withoutSecrets}.`;
    ports.log.warning(`${why} The site was built and scanned (${files.length} files); the deploy is skipped.`);
    draft.result = 'skipped';
    draft.reason = `${why} Built and scanned ${files.length} files; nothing was deployed.`;
    return;
  }
  // Hashing the build overlaps with listing the bucket and reading the manifest.
  const [localFiles, remote, { manifest, etag: manifestEtag }] = await Promise.all([
    scanning,
    ports.store.list(inputs.prefix),
    readManifest(ports, manifestKey),
  ]);
  if (localFiles.length === 0) {
    const excluded = inputs.excludePatterns.length > 0 ? " (or 'exclude' matches every file in it)" : '';
    throw new Refusal(
      `'source-dir' ${JSON.stringify(inputs.sourceDirInput)} is empty${excluded}: refusing to deploy, as that would delete the whole site. Check that the build wrote its output there.`,
      'source-dir',
    );
  }
  const files: SiteFile[] = localFiles.map((file) => ({
    ...file,
    key: inputs.prefix + file.relativePath,
    headers: headersFor(file.relativePath, inputs.headerRules),
  }));

  const verify = keysToVerify(files, remote, manifest, inputs.prefix);
  const observed = await readObservedHeaders(ports, verify, inputs.concurrency);
  const plan = planDeploy({
    prefix: inputs.prefix,
    files,
    remote,
    manifest,
    observed,
    exclude: inputs.exclude,
    deleteRemoved: inputs.deleteRemoved,
    gracePeriodMs: inputs.assetGracePeriodMs,
    now: ports.now(),
  });
  draft.plan = plan;
  logPlan(ports.log, plan, `deletes allowed: ${inputs.maxDeletes}`);
  if (plan.deletes.length > inputs.maxDeletes) {
    throw new Refusal(
      `The plan deletes ${plan.deletes.length} objects, more than 'max-deletes' (${inputs.maxDeletes}); nothing was written. If that is intended, raise 'max-deletes'; if not, check 'source-dir' and 'prefix' (see the plan).`,
      'max-deletes',
    );
  }
  await apply(context, ports, draft, plan, { key: manifestKey, manifest, etag: manifestEtag });
}

/**
 * Removes a whole deployment (a closed pull request's preview): every object under the prefix, the manifest
 * included, past `max-deletes` — for this prefix only, never the bucket root.
 */
async function removePreview(context: RunContext, ports: Ports, draft: Draft): Promise<void> {
  const { inputs } = context;
  if (inputs.prefix === '') {
    throw new Refusal(
      'Refusing to remove a deployment at the bucket root: a preview is removed by its prefix (pr-<number>/).',
      'prefix',
    );
  }
  if (!context.credentials) {
    if (!context.withoutSecrets) throw new Refusal(NO_CREDENTIALS);
    draft.result = 'skipped';
    draft.reason = `No AWS credentials: ${context.withoutSecrets}. The preview was not removed.`;
    return;
  }
  const plan = planRemoval(await ports.store.list(inputs.prefix), inputs.prefix);
  draft.plan = plan;
  ports.log.info(
    `Removing the deployment at ${targetOf(inputs.bucket, inputs.prefix)}: ${plan.deletes.length} objects.`,
  );
  await apply(context, ports, draft, plan, undefined);
}

function logPlan(log: Log, plan: Plan, limits: string): void {
  const { title, lines } = planLines(plan, limits);
  log.group(title, lines);
}

interface ManifestState {
  key: string;
  /** The manifest as read at the start, and its ETag then (undefined when there was none). */
  manifest: Manifest;
  etag?: string;
}

function concurrentDeployError(target: string, error: ConcurrentWriteError, consequence: string): DeployError {
  return new DeployError(
    `Another deploy to ${target} saved its deploy manifest while this one ran (${error.message}): ${consequence} Re-run the deploy you want live, and give deploys of one site a \`concurrency\` group so they cannot overlap.`,
  );
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
 * `state` is undefined when removing a preview: its manifest is deleted with it, not saved.
 */
async function apply(
  context: RunContext,
  ports: Ports,
  draft: Draft,
  plan: Plan,
  state: ManifestState | undefined,
): Promise<void> {
  const { inputs } = context;
  const { store } = ports;
  const target = targetOf(inputs.bucket, inputs.prefix);
  const applied: Change[] = [];
  draft.applied = applied;
  let failure: string | undefined;
  await ports.beforeWrite?.();

  const uploaded = await uploadAll(store, plan, { concurrency: inputs.concurrency, log: ports.log.info });
  draft.bytesUploaded = uploaded.bytesUploaded;
  const planned = new Map(planChanges(plan).map((change) => [change.key, change]));
  for (const { write } of uploaded.written) applied.push(planned.get(write.file.key)!);
  draft.failures.push(
    ...uploaded.failed.map(({ write, message }) => ({ key: write.file.key, message })),
    ...uploaded.notAttempted.map(({ file }) => ({
      key: file.key,
      message: 'not written: pages wait until every asset is uploaded',
    })),
  );
  if (draft.failures.length > 0) {
    failure = `${uploaded.failed.length} write(s) failed: nothing was deleted and the deploy manifest was not updated. Re-run the deploy: it converges.`;
  }

  let deleted: string[] = [];
  if (!failure && plan.deletes.length > 0) {
    try {
      if (state) {
        // Deletes only while the manifest is still the one this deploy planned against.
        const found = (await store.head(state.key))?.etag;
        if (found !== state.etag) {
          throw concurrentDeployError(
            target,
            new ConcurrentWriteError(state.etag, found),
            "nothing was deleted, and this deploy's uploads may be mixed with the other one's.",
          );
        }
      }
      const refused = await store.deleteKeys(plan.deletes);
      const refusedKeys = new Set(refused.map((item) => item.key));
      deleted = plan.deletes.filter((key) => !refusedKeys.has(key));
      draft.failures.push(...refused);
      if (refused.length > 0) {
        failure = `${refused.length} delete(s) failed: the deploy manifest was not updated. Re-run the deploy: it converges.`;
      }
    } catch (error) {
      failure = errorMessage(error);
    }
    for (const key of deleted) applied.push(planned.get(key) ?? { key, kind: 'deleted', bytes: 0 });
  }

  if (!failure && state) {
    const next: Manifest = {
      entries: new Map(plan.unchangedEntries),
      retained: new Map(plan.retained.map(({ key, since }) => [key.slice(inputs.prefix.length), since])),
    };
    for (const { write, etag } of uploaded.written)
      next.entries.set(write.file.relativePath, entryFor(write.file, etag));
    if (state.etag === undefined || !sameManifest(next, state.manifest)) {
      try {
        await store.putIfUnchanged(state.key, encodeManifest(next, ports.now()), MANIFEST_HEADERS, state.etag);
      } catch (error) {
        failure =
          error instanceof ConcurrentWriteError
            ? concurrentDeployError(
                target,
                error,
                'this deploy did not overwrite its manifest, and the bucket holds a mix of both deploys.',
              ).message
            : errorMessage(error);
      }
    }
  }

  const overwritten = [
    ...uploaded.written.filter(({ write }) => write.reason !== 'new').map(({ write }) => write.file.key),
    ...deleted,
  ];
  const invalidationFailed = await invalidate(context, ports, draft, plan.remoteKeys, overwritten);
  if (!failure && invalidationFailed) {
    failure =
      'The site is deployed, but the CloudFront invalidation failed: edges may serve old copies until their TTL ends.';
  }
  if (failure) {
    draft.result = 'failed';
    draft.reason = failure;
  }
}

/** One invalidation for what was overwritten or deleted. Returns whether it failed (reported, not thrown). */
async function invalidate(
  context: RunContext,
  ports: Ports,
  draft: Draft,
  remoteKeys: string[],
  overwritten: string[],
): Promise<boolean> {
  const { cdn, log } = ports;
  const { inputs } = context;
  if (!cdn) return false;
  if (overwritten.length === 0) {
    draft.invalidation = { paths: [], note: 'Nothing cached was overwritten or deleted: no invalidation needed.' };
    return false;
  }
  const { paths, fallback } = invalidationPaths({ changed: overwritten, remoteKeys, prefix: inputs.prefix });
  if (fallback) log.notice(fallback);
  draft.invalidation = { paths, note: fallback };
  try {
    const id = await cdn.invalidate(paths, callerReference(context.runIdentity, paths));
    if (id === undefined) return false;
    draft.invalidation = { ...draft.invalidation, id };
    log.info(`CloudFront invalidation ${id}: ${paths.length} path(s).`);
    if (inputs.waitForInvalidation) {
      await cdn.waitFor(id);
      draft.invalidation = { ...draft.invalidation, note: [fallback, 'Completed.'].filter(Boolean).join(' ') };
    }
    return false;
  } catch (error) {
    draft.failures.push({ key: `CloudFront ${inputs.distributionId ?? ''}`.trim(), message: errorMessage(error) });
    return true;
  }
}
