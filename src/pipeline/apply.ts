import type { RunContext } from '../context/run-context.js';
import { type Refusal, errorMessage, isRefusal } from '../shared/errors.js';
import { type RecordedRun, newDeployId, withRun } from './history.js';
import { type HistoryEntry, type Manifest, type ManifestEntry, sameManifest } from './manifest.js';
import { type Change, type Failure, type InvalidationOutcome, type Run, countChanges } from './outcome.js';
import type { Plan, PlannedWrite } from './plan.js';
import type { Ports, Written } from './ports.js';
import { type RedirectStep, type RedirectsOutcome, applyRedirects } from './redirect-step.js';
import { type Release, planDigest } from './release.js';
import { changesWritten, deleteStale, invalidate, invalidationFor, staleKeys, writeObjects } from './steps.js';

// The release protocol's writes, for a deploy and a rollback alike (release.ts has the sequence):
//   claim → write assets, then pages → publish the manifest (or, after a failure, abandon the claim) →
//   redirects (a deploy's: redirect-step.ts) → delete → invalidate → record the invalidation.
// Whatever was overwritten is invalidated even after a failure: it is live at the origin either way.

/** What applying a plan did. */
export interface Applied {
  applied: Change[];
  bytesUploaded: number;
  failures: Failure[];
  invalidation: InvalidationOutcome;
  /** Invalidation paths left recorded for the next run (this one's invalidation failed). */
  pendingInvalidation: number;
  /** Why the run failed, when it did. */
  failure?: string;
  /** The deploy history as this run published it. */
  history: HistoryEntry[];
  /** What the redirects step did, when the deploy has one and got to it. */
  redirects?: RedirectsOutcome;
}

export interface ApplyInput {
  plan: Plan;
  planned: Change[];
  release: Release;
  /** The manifest as read. */
  manifest: Manifest;
  /** This run, as the history records it (its result and counts are added here). */
  run: Omit<RecordedRun, 'result' | 'counts'>;
  /** The deploy's redirects, made live after the publish and before the deletes. */
  redirects?: RedirectStep;
}

function entryFor(write: PlannedWrite, written: Written, writtenAt: Date): ManifestEntry {
  const { file } = write;
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

export async function applyRelease(context: RunContext, ports: Ports, input: ApplyInput): Promise<Applied> {
  const { plan, planned, release, manifest } = input;
  const prefix = context.inputs.prefix;
  const pending = manifest.pendingInvalidation;
  const cdnPlan = (keys: string[]) => (ports.cdn ? invalidationFor(context, plan, keys, pending) : undefined);
  const recorded = (result: HistoryEntry['result'], changes: Change[]) =>
    planned.length > 0
      ? withRun(manifest.history, { ...input.run, result, counts: countChanges(changes, plan.unchanged.length) })
      : manifest.history;

  if (planned.length > 0) {
    await ports.beforeWrite?.();
    await release.claim(manifest, planDigest(planned));
  }
  const writes = await writeObjects(ports, context, plan, () => release.stopReason());
  const written = changesWritten(planned, writes.written);
  const withWritten = (base: Map<string, ManifestEntry>) => {
    const next = new Map(base);
    for (const { write, written: answer } of writes.written) {
      next.set(write.file.relativePath, entryFor(write, answer, writes.writtenAt.get(write.file.key) ?? ports.now()));
    }
    return next;
  };
  const done = { bytesUploaded: writes.bytesUploaded, pendingInvalidation: 0 };

  if (writes.failures.length > 0) {
    const stopped = release.stopReason();
    const failure = stopped
      ? `Stopped: ${stopped}. ${writes.written.length} object(s) were written before; nothing was deleted, the deploy manifest records only what was written, and the claim on the prefix was let go where it still held. Re-run the deploy: it converges.`
      : `${writes.failed.length} write(s) failed: nothing was deleted and the deploy manifest records only what was written. Re-run the deploy: it converges.`;
    const history = recorded('failed', written);
    await release.abandon({
      ...manifest,
      entries: withWritten(new Map([...manifest.entries, ...plan.unchangedEntries])),
      pendingInvalidation: cdnPlan(staleKeys(written))?.paths ?? pending,
      history,
    });
    const invalidated = await invalidate(ports, context, cdnPlan(staleKeys(written)), pending.length);
    const failures = [...writes.failures, ...invalidated.failures];
    return { ...done, applied: written, failures, invalidation: invalidated.outcome, failure, history };
  }

  const next: Manifest = {
    entries: withWritten(plan.unchangedEntries),
    retained: new Map(plan.retained.map(({ key, since }) => [key.slice(prefix.length), since])),
    pendingInvalidation: cdnPlan(staleKeys(planned))?.paths ?? pending,
    history: recorded('deployed', planned),
  };
  const publishes = planned.length > 0 || manifest.claim !== undefined || !sameManifest(next, manifest);
  if (publishes) {
    try {
      await release.publish(next);
    } catch (error) {
      const invalidated = await invalidate(ports, context, cdnPlan(staleKeys(written)), pending.length);
      return {
        ...done,
        applied: written,
        failures: invalidated.failures,
        invalidation: invalidated.outcome,
        failure: errorMessage(error),
        history: manifest.history,
      };
    }
  }
  // The history names the manifest version holding this run's entries (the next read fills it in otherwise).
  if (publishes && planned.length > 0 && release.versionId)
    next.history[0] = { ...next.history[0]!, manifestVersion: release.versionId };

  // Redirects once the pages they point to are published; deletes only after both, so that a moved page
  // answers with its redirect before its old object goes. Redirects not made live keep the stale objects.
  const redirected = input.redirects ? await redirectsStep(ports, input.redirects, context.inputs.dryRun) : undefined;
  const deletion = redirected?.failure
    ? { deleted: [], failures: [], failure: redirected.failure }
    : await deleteStale(ports.store, plan.deletes);
  const applied = [...written, ...deletion.deleted];
  const sent = cdnPlan(staleKeys(planned));
  const invalidated = await invalidate(ports, context, sent, pending.length);
  const failures = [...deletion.failures, ...invalidated.failures];
  let failure = deletion.failure;
  let pendingInvalidation = 0;
  const recordedManifest = publishes ? next : manifest;
  if (invalidated.status === 'failed') {
    pendingInvalidation = sent?.paths.length ?? 0;
    failure ??= `The site is deployed, but the CloudFront invalidation failed: edges may serve old copies until their TTL ends. The ${pendingInvalidation} path(s) are recorded in the deploy manifest, and the next deploy sends them.`;
  } else if (invalidated.status === 'sent' && recordedManifest.pendingInvalidation.length > 0) {
    await release.recordInvalidated(recordedManifest);
  }
  return {
    ...done,
    applied,
    failures,
    invalidation: invalidated.outcome,
    pendingInvalidation,
    failure,
    history: recordedManifest.history,
    ...(redirected?.outcome ? { redirects: redirected.outcome } : {}),
  };
}

async function redirectsStep(
  ports: Ports,
  step: RedirectStep,
  dryRun: boolean,
): Promise<{ outcome?: RedirectsOutcome; failure?: string }> {
  try {
    return { outcome: await applyRedirects(ports, step, dryRun) };
  } catch (error) {
    return {
      failure: `The pages are deployed, but the redirects were not updated: ${errorMessage(error)}. Stale objects were kept (none deleted), so no moved page is gone before its redirect answers; re-run the deploy.`,
    };
  }
}

/**
 * A planned run of a deploy or a rollback, applied: `applyRelease` under a new deploy id, its outcome merged
 * into `run`; a refused claim (another run got there first, an unprotected store with
 * require-conditional-writes) or a failed one still reports the plan. The release is closed in any case.
 */
export async function applyPlanned(
  context: RunContext,
  ports: Ports,
  input: Omit<ApplyInput, 'run'> & { run: Omit<ApplyInput['run'], 'id' | 'at'> },
  run: Run,
): Promise<Run> {
  const { planned, manifest, release } = input;
  const deployId = planned.length > 0 ? newDeployId(ports.now(), context.target.ref, manifest.history) : undefined;
  try {
    const applied = await applyRelease(context, ports, {
      ...input,
      run: { ...input.run, id: deployId ?? '', at: ports.now() },
    });
    return { ...run, ...applied, reason: applied.failure, deployId, conditionalWrites: release.conditionalWrites };
  } catch (error) {
    const refused = isRefusal(error);
    return {
      ...run,
      result: refused ? 'refused' : 'failed',
      reason: errorMessage(error),
      input: refused ? (error as Refusal).input : undefined,
      conditionalWrites: release.conditionalWrites,
    };
  } finally {
    await release.close();
  }
}
