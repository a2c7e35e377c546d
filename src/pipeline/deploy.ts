import { stat } from 'node:fs/promises';
import pMap from 'p-map';
import type { RunContext } from '../context/run-context.js';
import { confineSourceDir } from './source-dir.js';
import { isPreviewPrefix } from '../shared/previews.js';
import { DeployError, Refusal, type ServiceError, errorMessage, isRefusal } from '../shared/errors.js';
import { headerChoice } from './headers.js';
import {
  type InvalidationPlan,
  MAX_INVALIDATION_PATHS,
  MAX_WILDCARD_PATHS,
  callerReference,
  encodeInvalidationPath,
  invalidationPaths,
  ownPendingPaths,
} from './invalidation.js';
import { type Manifest, type ManifestEntry, sameManifest } from './manifest.js';
import {
  type Change,
  type Failure,
  type InvalidationOutcome,
  type Kept,
  type Outcome,
  countChanges,
  finalOutcome,
} from './outcome.js';
import {
  type Observed,
  type Plan,
  type SiteFile,
  type Verification,
  keysToVerify,
  otherDeploymentRoots,
  planChanges,
  planDeploy,
  planRemoval,
} from './plan.js';
import { planLines } from './plan-text.js';
import type { Builder, Cdn, ConditionalSupport, Log, ObjectStore, Written } from './ports.js';
import { Release, planDigest } from './release.js';
import { checkSourceDir, scanSource, sha256Checksums } from './scan.js';
import { previewSpaceRoot } from '../shared/previews.js';
import { uploadAll } from './upload.js';

// The deploy pipeline, in order:
//   build → scan (beside the listing and the manifest) → plan → claim → upload assets → upload pages →
//   publish the manifest → delete → invalidate → record the invalidation
// (the steps from "claim" on are the release protocol: release.ts)
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
  /** Waits (between retries of a throttled invalidation); tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a throttled invalidation is retried before its paths are left pending (default 2 minutes). */
  invalidationRetryMs?: number;
  /** Called once, right before the first write (to record a GitHub deployment). */
  beforeWrite?: () => Promise<void>;
  /** Aborted when the job is cancelled: writes stop, and the claim on the prefix is let go. */
  signal?: AbortSignal;
}

export const NO_CREDENTIALS =
  'No AWS credentials found. In a workflow, add aws-actions/configure-aws-credentials before this step (OIDC: `role-to-assume`, with `permissions: id-token: write`); locally, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE.';

/** What a run learned so far; made into the frozen Outcome once, at the end. */
interface Draft {
  result?: Outcome['result'];
  reason?: string;
  input?: string;
  plan?: Plan;
  /** The plan's changes, computed once with it. */
  planned?: Change[];
  /** What was written (or recorded, in a dry run); undefined until the writes ran. */
  applied?: Change[];
  bytesUploaded: number;
  failures: Failure[];
  invalidation: InvalidationOutcome;
  conditionalWrites?: ConditionalSupport;
  /** Invalidation paths left pending for the next run. */
  pendingInvalidation?: number;
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
  const changes = draft.applied ?? draft.planned ?? [];
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
    pendingInvalidation: draft.pendingInvalidation ?? 0,
    conditionalWrites: draft.conditionalWrites,
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
  const exitCode = await ports.build(buildCommand, workingDirectory, context.buildEnv);
  if (exitCode !== 0) {
    throw new DeployError(
      `Input 'build-command' exited with code ${exitCode}; nothing was deployed. See the "Build" log group above.`,
    );
  }
}

/**
 * HEADs what the listing cannot vouch for (see `keysToVerify`): the headers of objects whose bytes are
 * proven, and — where the ETag cannot prove the bytes — the store's SHA-256, compared with the file's.
 */
async function observe(ports: Ports, files: SiteFile[], verify: Verification, concurrency: number) {
  const observed = new Map<string, Observed>();
  const count = verify.headers.length + verify.checksums.length;
  if (count > 0) ports.log.info(`Checking ${count} objects the deploy manifest cannot vouch for (once), with HEAD.`);
  const byKey = new Map(files.map((file) => [file.key, file]));
  const checks = [
    ...verify.headers.map((key) => ({ key, checksums: false })),
    ...verify.checksums.map((key) => ({ key, checksums: true })),
  ];
  await pMap(
    checks,
    async ({ key, checksums }) => {
      const object = await ports.store.head(key, { checksums });
      if (!object) return;
      const sameBytes =
        checksums && object.checksumSha256 !== undefined
          ? sha256Checksums(byKey.get(key)!.absolutePath).includes(object.checksumSha256)
          : undefined;
      observed.set(key, { headers: object.headers, versionId: object.versionId, sameBytes });
    },
    { concurrency },
  );
  return observed;
}

async function deploySite(context: RunContext, ports: Ports, draft: Draft): Promise<void> {
  const { inputs } = context;
  await build(context, ports);
  await checkSourceDir(inputs.sourceDir, inputs.sourceDirInput);
  await confineSourceDir(inputs.sourceDir, inputs.sourceDirInput, inputs.sourceBounds);
  if (!context.credentials && !context.withoutSecrets) throw new Refusal(NO_CREDENTIALS);

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
  const release = newRelease(context, ports);
  const [localFiles, remote, stored] = await Promise.all([scanning, ports.store.list(inputs.prefix), release.fetch()]);
  const manifest = release.read(stored, remote);
  manifest.pendingInvalidation = ownPendingPaths(
    manifest.pendingInvalidation,
    inputs.prefix,
    otherDeploymentRoots(remote, inputs.prefix),
  );
  if (localFiles.length === 0) {
    const excluded = inputs.excludePatterns.length > 0 ? " (or 'exclude' matches every file in it)" : '';
    throw new Refusal(
      `'source-dir' ${JSON.stringify(inputs.sourceDirInput)} is empty${excluded}: refusing to deploy, as that would delete the whole site. Check that the build wrote its output there.`,
      'source-dir',
    );
  }
  const files: SiteFile[] = localFiles.map((file) => {
    const { headers, rule } = headerChoice(file.relativePath, inputs.headerRules);
    return { ...file, key: inputs.prefix + file.relativePath, headers, rule };
  });

  warnAboutPreviewSpace(files, inputs.prefix, ports.log);
  const verify = keysToVerify(files, remote, manifest, inputs.prefix, ports.now());
  const observed = await observe(ports, files, verify, inputs.concurrency);
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
  adopt(draft, plan);
  const { title, lines } = planLines(plan, `deletes allowed: ${inputs.maxDeletes}`, draft.planned);
  ports.log.group(title, lines);
  if (plan.deletes.length > inputs.maxDeletes) {
    throw new Refusal(
      `The plan deletes ${plan.deletes.length} objects, more than 'max-deletes' (${inputs.maxDeletes}); nothing was written. If that is intended, raise 'max-deletes'; if not, check 'source-dir' and 'prefix' (see the plan).`,
      'max-deletes',
    );
  }
  try {
    await apply(context, ports, draft, plan, { release, manifest });
  } finally {
    await release.close();
    draft.conditionalWrites = release.conditionalWrites;
  }
}

/** Files of the build in the preview space (`pr-*` + `/`): the preview role may overwrite them. */
function warnAboutPreviewSpace(files: SiteFile[], prefix: string, log: Log): void {
  const inPreviewSpace = files.filter((file) => previewSpaceRoot(file.relativePath) !== undefined);
  if (inPreviewSpace.length === 0) return;
  const roots = [...new Set(inPreviewSpace.map((file) => previewSpaceRoot(file.relativePath)!))].sort();
  log.warning(
    `${inPreviewSpace.length} file(s) of the build are under ${roots
      .slice(0, 5)
      .map((root) => `'${prefix}${root}'`)
      .join(
        ', ',
      )}${roots.length > 5 ? ', …' : ''}: that is the preview space (pr-*/), which the preview role may write and this deploy never deletes from. Rename the folder so that pull requests cannot overwrite these pages.`,
  );
}

function newRelease(context: RunContext, ports: Ports): Release {
  const { inputs } = context;
  return new Release(ports.store, ports.log, {
    prefix: inputs.prefix,
    target: targetOf(inputs.bucket, inputs.prefix),
    run: context.run,
    runUrlBase: context.runUrlBase,
    lockTimeoutMs: inputs.lockTimeoutMs,
    requireConditionalWrites: inputs.requireConditionalWrites,
    now: ports.now,
    signal: ports.signal,
  });
}

/**
 * Removes a whole deployment (a closed pull request's preview): every object under the prefix, the manifest
 * included, past `max-deletes` — for this prefix only, never the bucket root.
 */
async function removePreview(context: RunContext, ports: Ports, draft: Draft): Promise<void> {
  const { inputs } = context;
  const number = context.target.pullRequest?.number ?? 0;
  if (!isPreviewPrefix(inputs.prefix, number)) {
    const where = inputs.prefix === '' ? 'the bucket root' : `'${inputs.prefix}'`;
    throw new Refusal(
      `Refusing to remove ${where}: only a pull request's own preview prefix (pr-${number}/, under 'prefix' when set) is removed when it closes.`,
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
  adopt(draft, plan);
  ports.log.info(
    `Removing the deployment at ${targetOf(inputs.bucket, inputs.prefix)}: ${plan.deletes.length} objects.`,
  );
  await apply(context, ports, draft, plan, undefined);
}

/** The plan, and its changes computed once: the log, the writes and the outcome all use these. */
function adopt(draft: Draft, plan: Plan): void {
  draft.plan = plan;
  draft.planned = planChanges(plan);
}

interface ReleaseState {
  release: Release;
  /** The manifest as read at the start. */
  manifest: Manifest;
}

function entryFor(file: SiteFile, written: Written, writtenAt: Date): ManifestEntry {
  return {
    md5: file.md5,
    etag: written.etag,
    ...(written.versionId !== undefined ? { versionId: written.versionId } : {}),
    size: file.size,
    contentType: file.headers.contentType,
    cacheControl: file.headers.cacheControl,
    // Not the store's LastModified (a PUT does not return it) but no earlier: the next listing's value is
    // recorded from then on, and only a later change (out of band) moves past it.
    lastModified: writtenAt.toISOString(),
  };
}

/**
 * The release protocol (release.ts) around the writes: claim → upload assets → upload pages → publish the
 * manifest → delete → invalidate → record the invalidation. `state` is undefined when removing a preview:
 * its manifest is deleted with it. Whatever was overwritten is invalidated even after a failure: it is live at
 * the origin either way.
 */
async function apply(
  context: RunContext,
  ports: Ports,
  draft: Draft,
  plan: Plan,
  state: ReleaseState | undefined,
): Promise<void> {
  const { inputs } = context;
  const { store } = ports;
  const planned = draft.planned ?? planChanges(plan);
  const byKey = new Map(planned.map((change) => [change.key, change]));
  const contentWrites = planned.length > 0;
  const applied: Change[] = [];
  draft.applied = applied;
  let failure: string | undefined;

  // What these keys need invalidated, plus what earlier runs could not invalidate (none without a CDN).
  const pendingBefore = state?.manifest.pendingInvalidation ?? [];
  const invalidationFor = (changed: string[]): InvalidationPlan | undefined =>
    ports.cdn
      ? mergeInvalidation(
          invalidationPaths({ changed, remoteKeys: plan.remoteKeys, prefix: inputs.prefix }),
          pendingBefore,
          inputs.prefix,
        )
      : undefined;
  const invalidation = invalidationFor(planned.filter((change) => change.kind !== 'new').map((change) => change.key));

  if (contentWrites) {
    await ports.beforeWrite?.();
    if (state) await state.release.claim(state.manifest, planDigest(planned));
  }

  const writtenAt = new Map<string, Date>();
  const uploaded = await uploadAll(store, plan, {
    concurrency: inputs.concurrency,
    log: ports.log.info,
    onWritten: (write) => writtenAt.set(write.file.key, ports.now()),
    stopBefore: () => state?.release.stopReason(),
  });
  draft.bytesUploaded = uploaded.bytesUploaded;
  for (const { write } of uploaded.written) applied.push(byKey.get(write.file.key)!);
  draft.failures.push(
    ...uploaded.failed.map(({ write, message }) => ({ key: write.file.key, message })),
    ...uploaded.notAttempted.map(({ file }) => ({
      key: file.key,
      message: state?.release.stopReason()
        ? `not written: ${state.release.stopReason()}`
        : 'not written: pages wait until every asset is uploaded',
    })),
  );
  /** `base` plus an entry for every object this run wrote. */
  const withWritten = (base: Map<string, ManifestEntry>): Map<string, ManifestEntry> => {
    const next = new Map(base);
    for (const { write, written } of uploaded.written) {
      next.set(write.file.relativePath, entryFor(write.file, written, writtenAt.get(write.file.key) ?? ports.now()));
    }
    return next;
  };

  const overwritten = uploaded.written.filter(({ write }) => write.reason !== 'new').map(({ write }) => write.file.key);
  let published: Manifest | undefined;
  if (draft.failures.length > 0) {
    const stopped = state?.release.stopReason();
    failure = stopped
      ? `Stopped: ${stopped}. ${uploaded.written.length} object(s) were written before; nothing was deleted, the deploy manifest records only what was written, and the claim on the prefix was let go where it still held. Re-run the deploy: it converges.`
      : `${uploaded.failed.length} write(s) failed: nothing was deleted and the deploy manifest records only what was written. Re-run the deploy: it converges.`;
    if (state) {
      // Release the claim, keeping what was written (and its invalidation, not yet sent) on record.
      await state.release.abandon({
        ...state.manifest,
        entries: withWritten(new Map([...state.manifest.entries, ...plan.unchangedEntries])),
        pendingInvalidation: invalidationFor(overwritten)?.paths ?? pendingBefore,
      });
    }
  } else if (state) {
    const next: Manifest = {
      entries: withWritten(plan.unchangedEntries),
      retained: new Map(plan.retained.map(({ key, since }) => [key.slice(inputs.prefix.length), since])),
      pendingInvalidation: invalidation?.paths ?? pendingBefore,
      history: state.manifest.history,
    };
    if (contentWrites || state.manifest.claim || !sameManifest(next, state.manifest)) {
      try {
        await state.release.publish(next);
        published = next;
      } catch (error) {
        failure = errorMessage(error);
      }
    }
  }

  // Deletes only once the new manifest is published (a preview being removed has none to publish).
  let deleted: string[] = [];
  if (!failure && plan.deletes.length > 0) {
    try {
      const refused = await store.deleteKeys(plan.deletes);
      const refusedKeys = new Set(refused.map((item) => item.key));
      deleted = plan.deletes.filter((key) => !refusedKeys.has(key));
      draft.failures.push(...refused);
      if (refused.length > 0) {
        failure = `${refused.length} delete(s) failed; the manifest is published, so a re-run deletes them.`;
      }
    } catch (error) {
      failure = errorMessage(error);
    }
    for (const key of deleted) applied.push(byKey.get(key) ?? { key, kind: 'deleted', bytes: 0 });
  }

  // Invalidate what reached the origin: all that was planned once published, else what was written.
  const sent = !failure || published ? invalidation : invalidationFor([...overwritten, ...deleted]);
  const invalidated = await invalidate(context, ports, draft, sent, pendingBefore.length);
  // The manifest that now records pending paths: the one published, or (nothing to publish) the one read.
  const recorded = published ?? (failure ? undefined : state?.manifest);
  if (invalidated === 'failed') {
    draft.pendingInvalidation = sent?.paths.length ?? 0;
    failure ??= `The site is deployed, but the CloudFront invalidation failed: edges may serve old copies until their TTL ends. The ${sent?.paths.length ?? 0} path(s) are recorded in the deploy manifest, and the next deploy sends them.`;
  } else if (invalidated === 'sent' && state && recorded && recorded.pendingInvalidation.length > 0) {
    await state.release.recordInvalidated(recorded);
  }
  if (failure) {
    draft.result = 'failed';
    draft.reason = failure;
  }
}

/** This run's paths and those earlier runs left pending, within CloudFront's limits. */
function mergeInvalidation(own: InvalidationPlan, pending: string[], prefix: string): InvalidationPlan {
  if (pending.length === 0) return own;
  const paths = [...new Set([...own.paths, ...pending])].sort();
  const wildcards = paths.filter((path) => path.endsWith('*')).length;
  if (paths.length > MAX_INVALIDATION_PATHS || wildcards > MAX_WILDCARD_PATHS) {
    const everything = `${encodeInvalidationPath(prefix)}*`;
    return {
      paths: [everything],
      fallback: `${paths.length} paths (with those pending from earlier deploys) are more than one invalidation may hold: invalidating ${everything} instead`,
    };
  }
  return { paths, fallback: own.fallback };
}

const THROTTLED = 'TooManyInvalidationsInProgress';

/**
 * One invalidation of the given paths. CloudFront's TooManyInvalidationsInProgress is waited out with
 * backoff for a bounded time; any other failure is reported, not thrown (the paths stay pending).
 */
async function invalidate(
  context: RunContext,
  ports: Ports,
  draft: Draft,
  plan: InvalidationPlan | undefined,
  carried: number,
): Promise<'none' | 'sent' | 'failed'> {
  const { cdn, log } = ports;
  const { inputs } = context;
  if (!cdn || !plan) return 'none';
  if (plan.paths.length === 0) {
    draft.invalidation = { paths: [], note: 'Nothing cached was overwritten or deleted: no invalidation needed.' };
    return 'none';
  }
  const carriedNote =
    carried > 0 ? `${carried} path(s) left pending by an earlier deploy are sent with this one.` : undefined;
  const note = [plan.fallback, carriedNote].filter(Boolean).join(' ') || undefined;
  if (plan.fallback) log.notice(plan.fallback);
  if (carriedNote) log.info(carriedNote);
  draft.invalidation = { paths: plan.paths, note };
  const reference = callerReference(context.runIdentity, plan.paths);
  const deadline = ports.now().getTime() + (ports.invalidationRetryMs ?? 120_000);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const id = await cdn.invalidate(plan.paths, reference);
      if (id === undefined) return 'sent';
      draft.invalidation = { ...draft.invalidation, id };
      log.info(`CloudFront invalidation ${id}: ${plan.paths.length} path(s).`);
      if (inputs.waitForInvalidation) {
        await cdn.waitFor(id);
        draft.invalidation = { ...draft.invalidation, note: [note, 'Completed.'].filter(Boolean).join(' ') };
      }
      return 'sent';
    } catch (error) {
      const delay = Math.min(60_000, 5_000 * 2 ** attempt);
      if ((error as ServiceError).code === THROTTLED && ports.now().getTime() + delay <= deadline) {
        log.info(`CloudFront has too many invalidations in progress; trying again in ${delay / 1000} s.`);
        await (ports.sleep ?? defaultSleep)(delay);
        continue;
      }
      draft.failures.push({ key: `CloudFront ${inputs.distributionId ?? ''}`.trim(), message: errorMessage(error) });
      return 'failed';
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
