import { stat } from 'node:fs/promises';
import path from 'node:path';
import pMap from 'p-map';
import type { RunContext } from '../context/run-context.js';
import { DeployError, Refusal, errorMessage, isRefusal } from '../shared/errors.js';
import { isPreviewPrefix, previewSpaceRoot } from '../shared/previews.js';
import { applyPlanned } from './apply.js';
import { headerChoice } from './headers.js';
import { ownPendingPaths } from './invalidation.js';
import { type Outcome, type Run, outcomeOf } from './outcome.js';
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
  siteFileOf,
} from './plan.js';
import { planLines } from './plan-text.js';
import type { Log, Ports } from './ports.js';
import { newRelease, targetOf } from './release.js';
import {
  type RedirectStep,
  type RedirectsOutcome,
  applyRedirects,
  loadRedirects,
  planRedirects,
  plannedRedirects,
  redirectKeys,
  redirectLine,
} from './redirect-step.js';
import { rollBack } from './rollback.js';
import { listAll, listInRanges, rangeBounds } from './listing.js';
import { type LocalFile, checkSourceDir, sha256Checksums, startScan } from './scan.js';
import { brokenLinks, checkLinks } from './site-check-step.js';
import { siteCheckCounts } from './site-check.js';
import { confineSourceDir } from '../shared/source-dir.js';
import { deleteStale, invalidate, invalidationFor, staleKeys } from './steps.js';

// The three modes of a run, each a short list of steps (steps.ts, apply.ts) over the ports it is given:
//   deploy:          build → scan (beside the listing and the manifest) → verify → plan → site check → applyRelease
//   remove preview:  list → plan the removal → delete → invalidate
//   roll back:       rollback.ts — read the history → the recorded versions → plan → applyRelease
// Decisions are made by the pure modules beside this one (scan, headers, plan, invalidation, history);
// this file sequences them. A dry run is the same code over DryRunStore / DryRunCdn.

export type { Ports } from './ports.js';
export { targetOf } from './release.js';

export const NO_CREDENTIALS =
  'No AWS credentials found. In a workflow, add aws-actions/configure-aws-credentials before this step (OIDC: `role-to-assume`, with `permissions: id-token: write`); locally, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE.';

/** Runs the whole pipeline. Never throws: every way a run can end is an Outcome. */
export async function deploy(context: RunContext, ports: Ports): Promise<Readonly<Outcome>> {
  const started = ports.now().getTime();
  const { inputs, target } = context;
  const mode = target.cleanup ? removePreview : inputs.rollbackTo ? rollBack : deploySite;
  let run: Run;
  try {
    run = await mode(context, ports);
  } catch (error) {
    run = { result: isRefusal(error) ? 'refused' : 'failed', reason: errorMessage(error), input: inputInError(error) };
  }
  const where = {
    action: target.cleanup ? ('remove' as const) : inputs.rollbackTo ? ('rollback' as const) : ('deploy' as const),
    dryRun: inputs.dryRun,
    target: targetOf(inputs.bucket, inputs.prefix),
    prefix: inputs.prefix,
    url: context.url,
    sourceDir: inputs.sourceDir ? path.relative(inputs.sourceBounds.workspace, inputs.sourceDir) || '.' : undefined,
  };
  return outcomeOf(where, run, ports.now().getTime() - started);
}

function inputInError(error: unknown): string | undefined {
  return (error as { input?: string }).input;
}

/** A refusal after the plan was made: the outcome still shows the plan. */
export function refusedWith(run: Run, error: Refusal): Run {
  return { ...run, result: 'refused', reason: error.message, input: error.input };
}

/** Deploy a build: the default mode. */
async function deploySite(context: RunContext, ports: Ports): Promise<Run> {
  const { inputs } = context;
  await build(context, ports);
  await checkSourceDir(inputs.sourceDir, inputs.sourceDirInput);
  await confineSourceDir(inputs.sourceDir, inputs.sourceDirInput, inputs.sourceBounds);
  if (!context.credentials && !context.withoutSecrets) throw new Refusal(NO_CREDENTIALS);

  const scan = startScan(inputs.sourceDir, { exclude: inputs.exclude, keyPrefix: inputs.prefix });
  // Told as soon as the walk is done, before the hashing: main.ts sizes the heap by it. (A failed walk
  // reaches the caller through `scan.files`.)
  scan.paths.then((paths) => ports.buildSize?.(paths.length)).catch(() => undefined);
  if (!context.credentials) return skipped(context, ports.log, (await scan.files).length);
  // Hashing the build overlaps with reading the manifest and listing the bucket, in ranges of the build's paths.
  const release = newRelease(context, ports);
  const bounds = scan.paths.then((paths) => rangeBounds(paths, inputs.concurrency, inputs.prefix));
  const [scanned, remote, stored] = await Promise.all([
    scan.files,
    listInRanges(ports.store, inputs.prefix, bounds),
    release.fetch(),
  ]);
  const manifest = release.read(stored, remote);
  const nested = otherDeploymentRoots(remote, inputs.prefix);
  manifest.pendingInvalidation = ownPendingPaths(manifest.pendingInvalidation, inputs.prefix, nested);
  const { files: localFiles, ...loaded } = loadRedirects(context, scanned);
  const files = siteFiles(context, localFiles);
  warnAboutPreviewSpace(files, inputs.prefix, ports.log);
  const siteKeys = new Set(files.map((file) => file.key));
  const nestedPrefixes = nested.map((root) => inputs.prefix + root);
  const redirects = await planRedirects(context, ports, loaded, remote, siteKeys, nestedPrefixes);

  const verify = keysToVerify(files, remote, manifest, inputs.prefix, ports.now());
  const observed = await observe(ports, files, verify, inputs.concurrency);
  const plan = keepRedirectObjects(
    redirects,
    planDeploy({
      prefix: inputs.prefix,
      files,
      remote,
      manifest,
      observed,
      exclude: inputs.exclude,
      deleteRemoved: inputs.deleteRemoved,
      gracePeriodMs: inputs.assetGracePeriodMs,
      now: ports.now(),
    }),
  );
  const planned = planChanges(plan);
  const { title, lines } = planLines(plan, `deletes allowed: ${inputs.maxDeletes}`, planned);
  ports.log.group(title, lines);
  const tooMany = plan.deletes.length > inputs.maxDeletes;
  // Where the check cannot stop the deploy ('warn'), the claim's probe of the store goes out while it reads
  // the pages: a round trip or two less before the first upload. With 'error' nothing is sent before it passes.
  if (planned.length > 0 && inputs.linkCheck === 'warn' && !tooMany) release.startProbe();
  const siteCheck = await checkLinks(context, ports.log, files, remote, loaded.rules);
  const run: Run = {
    plan,
    planned,
    history: manifest.history,
    siteCheck,
    ...(redirects ? { redirects: plannedRedirects(redirects) } : {}),
  };
  if (siteCheck && inputs.linkCheck === 'error' && siteCheckCounts(siteCheck).broken > 0) {
    return refusedWith(run, brokenLinks(siteCheck));
  }
  if (run.redirects) ports.log.info(redirectLine(run.redirects));
  if (tooMany) return refusedWith(run, tooManyDeletes(plan, inputs.maxDeletes));

  const record = { kind: 'deploy' as const, commit: context.target.ref, run: context.run };
  const applied = await applyPlanned(context, ports, { plan, planned, release, manifest, run: record, redirects }, run);
  if (applied.redirects?.synced) ports.log.info(redirectLine(applied.redirects));
  return applied;
}

/**
 * Removes a whole deployment (a closed pull request's preview): every object under the prefix, the manifest
 * included, past `max-deletes` — for this prefix only, never the bucket root.
 */
async function removePreview(context: RunContext, ports: Ports): Promise<Run> {
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
    return { result: 'skipped', reason: `No AWS credentials: ${context.withoutSecrets}. The preview was not removed.` };
  }
  const plan = planRemoval(await listAll(ports.store, inputs.prefix), inputs.prefix);
  ports.log.info(
    `Removing the deployment at ${targetOf(inputs.bucket, inputs.prefix)}: ${plan.deletes.length} objects.`,
  );
  const deletion = await deleteStale(ports.store, plan.deletes);
  const redirects = await removeRedirects(context, ports);
  const paths = ports.cdn ? invalidationFor(context, plan, staleKeys(deletion.deleted), []) : undefined;
  const invalidated = await invalidate(ports, context, paths, 0);
  return {
    plan,
    planned: planChanges(plan),
    applied: deletion.deleted,
    failures: [...deletion.failures, ...invalidated.failures],
    invalidation: invalidated.outcome,
    ...(redirects.outcome ? { redirects: redirects.outcome } : {}),
    reason:
      deletion.failure ??
      redirects.failure ??
      (invalidated.status === 'failed'
        ? 'The preview was removed, but the CloudFront invalidation failed.'
        : undefined),
  };
}

/** A removed preview's redirects: its entries of the (preview) KeyValueStore, when one is given. */
async function removeRedirects(
  context: RunContext,
  ports: Ports,
): Promise<{ outcome?: RedirectsOutcome; failure?: string }> {
  if (!ports.redirects) return {};
  try {
    const step = await planRedirects(context, ports, { sources: [] }, [], new Set(), []);
    return step ? { outcome: await applyRedirects(ports, step, context.inputs.dryRun) } : {};
  } catch (error) {
    return { failure: `The preview was removed, but its redirects were not: ${errorMessage(error)}.` };
  }
}

/** The plan without deletes of the website redirect objects the deploy keeps. */
function keepRedirectObjects(step: RedirectStep | undefined, plan: Plan): Plan {
  const keys = redirectKeys(step);
  return keys.size === 0 ? plan : { ...plan, deletes: plan.deletes.filter((key) => !keys.has(key)) };
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

/** No credentials on a fork's or Dependabot's pull request: built and scanned, not deployed. */
function skipped(context: RunContext, log: Log, fileCount: number): Run {
  const why = `No AWS credentials: ${context.withoutSecrets}.`;
  log.warning(`${why} The site was built and scanned (${fileCount} files); the deploy is skipped.`);
  return { result: 'skipped', reason: `${why} Built and scanned ${fileCount} files; nothing was deployed.` };
}

/** The build's files with their keys and headers; an empty build is refused (it would delete the site). */
function siteFiles(context: RunContext, localFiles: LocalFile[]): SiteFile[] {
  const { inputs } = context;
  if (localFiles.length === 0) {
    const excluded = inputs.excludePatterns.length > 0 ? " (or 'exclude' matches every file in it)" : '';
    throw new Refusal(
      `'source-dir' ${JSON.stringify(inputs.sourceDirInput)} is empty${excluded}: refusing to deploy, as that would delete the whole site. Check that the build wrote its output there.`,
      'source-dir',
    );
  }
  return localFiles.map((file) => {
    const { headers, rule } = headerChoice(file.relativePath, inputs.headerRules);
    return siteFileOf(file, inputs.prefix + file.relativePath, headers, rule);
  });
}

function tooManyDeletes(plan: Plan, maxDeletes: number): Refusal {
  return new Refusal(
    `The plan deletes ${plan.deletes.length} objects, more than 'max-deletes' (${maxDeletes}); nothing was written. If that is intended, raise 'max-deletes'; if not, check 'source-dir' and 'prefix' (see the plan).`,
    'max-deletes',
  );
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

/** Files of the build in the preview space (`pr-*` + `/`): the preview role may overwrite them. */
function warnAboutPreviewSpace(files: SiteFile[], prefix: string, log: Log): void {
  const inPreviewSpace = files.filter((file) => previewSpaceRoot(file.relativePath) !== undefined);
  if (inPreviewSpace.length === 0) return;
  const roots = [...new Set(inPreviewSpace.map((file) => previewSpaceRoot(file.relativePath)!))].sort();
  const shown = roots.slice(0, 5).map((root) => `'${prefix}${root}'`);
  log.warning(
    `${inPreviewSpace.length} file(s) of the build are under ${shown.join(', ')}${roots.length > 5 ? ', …' : ''}: that is the preview space (pr-*/), which the preview role may write and this deploy never deletes from. Rename the folder so that pull requests cannot overwrite these pages.`,
  );
}
