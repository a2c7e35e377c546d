import type { RunContext } from '../context/run-context.js';
import { type ServiceError, errorMessage } from '../shared/errors.js';
import {
  type InvalidationPlan,
  MAX_INVALIDATION_PATHS,
  MAX_WILDCARD_PATHS,
  callerReference,
  encodeInvalidationPath,
  invalidationPaths,
} from './invalidation.js';
import type { Change, Failure, InvalidationOutcome } from './outcome.js';
import type { Plan, PlannedWrite } from './plan.js';
import type { ObjectStore, Ports } from './ports.js';
import { type UploadResult, uploadAll } from './upload.js';

// The steps every mode is made of, each returning what it did: write → (publish or abandon: release.ts) →
// delete → invalidate. deploy.ts, rollback.ts and the preview removal are lists of these calls.

/** Step: write the plan's objects, assets before pages, until done or told to stop. */
export async function writeObjects(
  ports: Ports,
  context: RunContext,
  plan: Plan,
  stopReason: () => string | undefined,
): Promise<UploadResult & { writtenAt: Map<string, Date>; failures: Failure[] }> {
  const writtenAt = new Map<string, Date>();
  const uploaded = await uploadAll(ports.store, plan, {
    concurrency: context.inputs.concurrency,
    maxConcurrency: context.inputs.maxConcurrency,
    log: ports.log.info,
    onWritten: (write) => writtenAt.set(write.file.key, ports.now()),
    stopBefore: stopReason,
  });
  const stopped = stopReason();
  const failures = [
    ...uploaded.failed.map(({ write, message }) => ({ key: write.file.key, message })),
    ...uploaded.notAttempted.map(({ file }) => ({
      key: file.key,
      message: stopped ? `not written: ${stopped}` : 'not written: pages wait until every asset is uploaded',
    })),
  ];
  return { ...uploaded, writtenAt, failures };
}

/** The changes a set of written objects made, as planned. */
export function changesWritten(planned: readonly Change[], written: ReadonlyArray<{ write: PlannedWrite }>): Change[] {
  const byKey = new Map(planned.map((change) => [change.key, change]));
  return written.map(({ write }) => byKey.get(write.file.key)!);
}

/** Step: delete the stale keys (only after the manifest that no longer lists them is published). */
export async function deleteStale(
  store: ObjectStore,
  keys: readonly string[],
): Promise<{ deleted: Change[]; failures: Failure[]; failure?: string }> {
  if (keys.length === 0) return { deleted: [], failures: [] };
  try {
    const refused = await store.deleteKeys([...keys]);
    const refusedKeys = new Set(refused.map((item) => item.key));
    const deleted = keys
      .filter((key) => !refusedKeys.has(key))
      .map((key): Change => ({ key, kind: 'deleted', bytes: 0 }));
    const failure =
      refused.length > 0
        ? `${refused.length} delete(s) failed; the manifest is published, so a re-run deletes them.`
        : undefined;
    return { deleted, failures: refused, failure };
  } catch (error) {
    return { deleted: [], failures: [], failure: errorMessage(error) };
  }
}

/** The paths that refresh these overwritten or deleted keys, with those earlier runs left pending. */
export function invalidationFor(
  context: RunContext,
  plan: Plan,
  keys: readonly string[],
  pending: readonly string[],
): InvalidationPlan {
  const prefix = context.inputs.prefix;
  const own = invalidationPaths({ changed: [...keys], remoteKeys: plan.remoteKeys, prefix });
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

/** Keys whose cached copies a set of changes makes stale: everything but brand-new keys. */
export function staleKeys(changes: ReadonlyArray<Pick<Change, 'key' | 'kind'>>): string[] {
  return changes.filter((change) => change.kind !== 'new').map((change) => change.key);
}

const THROTTLED = 'TooManyInvalidationsInProgress';

export interface Invalidated {
  outcome: InvalidationOutcome;
  status: 'none' | 'sent' | 'failed';
  failures: Failure[];
}

/**
 * Step: one invalidation of the given paths. CloudFront's TooManyInvalidationsInProgress is waited out with
 * backoff for a bounded time; any other failure is reported, not thrown (the paths stay pending).
 */
export async function invalidate(
  ports: Ports,
  context: RunContext,
  plan: InvalidationPlan | undefined,
  carried: number,
): Promise<Invalidated> {
  const { cdn, log } = ports;
  const { inputs } = context;
  if (!cdn || !plan) return { outcome: { paths: [] }, status: 'none', failures: [] };
  if (plan.paths.length === 0) {
    const note = 'Nothing cached was overwritten or deleted: no invalidation needed.';
    return { outcome: { paths: [], note }, status: 'none', failures: [] };
  }
  const carriedNote =
    carried > 0 ? `${carried} path(s) left pending by an earlier deploy are sent with this one.` : undefined;
  const note = [plan.fallback, carriedNote].filter(Boolean).join(' ') || undefined;
  if (plan.fallback) log.notice(plan.fallback);
  if (carriedNote) log.info(carriedNote);
  const outcome: InvalidationOutcome = { paths: plan.paths, note };
  const reference = callerReference(context.runIdentity, plan.paths);
  const deadline = ports.now().getTime() + (ports.invalidationRetryMs ?? 120_000);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const id = await cdn.invalidate(plan.paths, reference);
      if (id === undefined) return { outcome, status: 'sent', failures: [] };
      log.info(`CloudFront invalidation ${id}: ${plan.paths.length} path(s).`);
      if (!inputs.waitForInvalidation) return { outcome: { ...outcome, id }, status: 'sent', failures: [] };
      await cdn.waitFor(id);
      const completed = [note, 'Completed.'].filter(Boolean).join(' ');
      return { outcome: { ...outcome, id, note: completed }, status: 'sent', failures: [] };
    } catch (error) {
      const delay = Math.min(60_000, 5_000 * 2 ** attempt);
      if ((error as ServiceError).code === THROTTLED && ports.now().getTime() + delay <= deadline) {
        log.info(`CloudFront has too many invalidations in progress; trying again in ${delay / 1000} s.`);
        await (ports.sleep ?? defaultSleep)(delay);
        continue;
      }
      const failure = { key: `CloudFront ${inputs.distributionId ?? ''}`.trim(), message: errorMessage(error) };
      return { outcome, status: 'failed', failures: [failure] };
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
