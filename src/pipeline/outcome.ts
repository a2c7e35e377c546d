import type { ObjectHeaders } from './headers.js';
import type { HistoryEntry } from './manifest.js';
import type { Plan } from './plan.js';
import type { ConditionalSupport } from './ports.js';
import { type RedirectsOutcome, redirectsChanged } from './redirect-step.js';
import type { SiteCheckResult } from './site-check.js';

// The one result of a run. The pipeline builds it once, at the end, and freezes it; the report turns it into
// the job summary, the outputs, the annotations and the pull-request comment. Every path — a refusal before
// anything ran, a failed build, a failed write, a skip — ends in an Outcome.

/** `unchanged`: deployed, and nothing needed writing. In a dry run, what the real deploy would have done. */
export type Result = 'deployed' | 'unchanged' | 'refused' | 'failed' | 'skipped';

export type ChangeKind = 'new' | 'changed' | 'headers' | 'deleted';

export interface Change {
  key: string;
  kind: ChangeKind;
  /** What the object gets (not for deletions). */
  headers?: ObjectHeaders;
  /** Which header rule gave it `headers` (`headerChoice` in headers.ts), when known. */
  rule?: string;
  /** What it had before, when known (header-only changes). */
  previous?: ObjectHeaders;
  /** Bytes sent for it: the file's size for new and changed objects, else 0. */
  bytes: number;
  /** It had been changed out of band since the last deploy, and this write puts it right. */
  repair?: boolean;
}

export interface Counts {
  new: number;
  changed: number;
  headers: number;
  deleted: number;
  unchanged: number;
  /** Of the writes: objects changed out of band since the last deploy, put right. */
  repaired: number;
}

export interface Failure {
  key: string;
  message: string;
}

export interface Kept {
  /** Remote objects matched by `exclude`. */
  excluded: number;
  /** Other deployments nested under the prefix (full prefixes). */
  otherDeployments: string[];
  /** Long-cached assets gone from the build, kept for their grace period. */
  retained: number;
}

export interface InvalidationOutcome {
  id?: string;
  paths: string[];
  note?: string;
}

export interface Outcome {
  result: Result;
  /** `remove`: a closed pull request's preview was deleted; `rollback`: an earlier deploy restored. */
  action: 'deploy' | 'remove' | 'rollback';
  dryRun: boolean;
  /** `s3://bucket/prefix`; '' when the inputs were too wrong to know it. */
  target: string;
  prefix: string;
  /** Public URL of what was deployed (site-url + prefix). */
  url?: string;
  /** Why it was refused, failed or skipped, and what to do. */
  reason?: string;
  /** The input that can fix a refusal, when one can. */
  input?: string;
  /** Whether a plan was made (a refusal after planning still shows it). */
  planned: boolean;
  /** What was written (or, when nothing was applied, what the plan would write), sorted by key. */
  changes: readonly Change[];
  counts: Counts;
  bytesUploaded: number;
  failures: readonly Failure[];
  kept: Kept;
  invalidation: InvalidationOutcome;
  /** Invalidation paths recorded for the next deploy to send (this one's failed). */
  pendingInvalidation: number;
  /** How the store treated conditional writes, when this run wrote and had to find out (`unchecked`: dry run). */
  conditionalWrites?: ConditionalSupport;
  /** This run's deploy id, when it recorded one in the deploy history (the `deploy-id` output). */
  deployId?: string;
  /** The prefix's last deploys, newest first, as this run left the history (the summary shows five). */
  history: readonly HistoryEntry[];
  /** For a rollback: the deploy it restores. */
  restores?: string;
  /** What the site check found (absent with `link-check: off`, or when nothing was built). */
  siteCheck?: SiteCheckResult;
  /** `source-dir` relative to the workspace: where the site check's file names are. */
  sourceDir?: string;
  /** The site's redirects: where they are served from and what changed (absent when it has none). */
  redirects?: RedirectsOutcome;
  durationMs: number;
}

/**
 * What a mode of the pipeline ran into, step by step; `outcomeOf` makes the one Outcome of it. Every field
 * is optional: a run refused before anything was read has only its reason.
 */
export interface Run {
  /** Set when the run did not simply deploy: refused, failed (with `reason`) or skipped. */
  result?: 'refused' | 'failed' | 'skipped';
  reason?: string;
  input?: string;
  plan?: Plan;
  /** The plan's changes, computed once with it. */
  planned?: Change[];
  /** What was written (or recorded, in a dry run); undefined until the writes ran. */
  applied?: Change[];
  bytesUploaded?: number;
  failures?: Failure[];
  invalidation?: InvalidationOutcome;
  pendingInvalidation?: number;
  conditionalWrites?: ConditionalSupport;
  deployId?: string;
  history?: readonly HistoryEntry[];
  restores?: string;
  siteCheck?: SiteCheckResult;
  redirects?: RedirectsOutcome;
}

/** Where the run was going, for the Outcome: empty when the inputs were too wrong to know. */
export interface RunTarget {
  action: Outcome['action'];
  dryRun: boolean;
  /** `s3://bucket/prefix`. */
  target: string;
  prefix: string;
  url?: string;
  sourceDir?: string;
}

/** The one Outcome of a run, built from what it did; frozen. */
export function outcomeOf(where: RunTarget, run: Run, durationMs: number): Readonly<Outcome> {
  const { plan } = run;
  const changes = run.applied ?? run.planned ?? [];
  const failures = run.failures ?? [];
  // Redirect changes are writes too (in a dry run, the ones the deploy would make).
  const wrote = (run.applied?.length ?? 0) > 0 || redirectsChanged(run.redirects, where.dryRun) > 0;
  const result = run.result ?? (failures.length > 0 || run.reason ? 'failed' : wrote ? 'deployed' : 'unchanged');
  return finalOutcome({
    result,
    ...where,
    reason: run.reason,
    input: run.input,
    planned: plan !== undefined,
    changes: [...changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    counts: countChanges(changes, plan?.unchanged.length ?? 0),
    bytesUploaded: run.applied ? (run.bytesUploaded ?? 0) : changes.reduce((sum, change) => sum + change.bytes, 0),
    failures,
    kept: {
      excluded: plan?.excludedRemote ?? 0,
      otherDeployments: (plan?.otherDeployments ?? []).map((root) => where.prefix + root),
      retained: plan?.retained.length ?? 0,
    },
    invalidation: run.invalidation ?? { paths: [] },
    pendingInvalidation: run.pendingInvalidation ?? 0,
    conditionalWrites: run.conditionalWrites,
    deployId: run.deployId,
    history: run.history ?? [],
    restores: run.restores,
    siteCheck: run.siteCheck,
    redirects: run.redirects,
    durationMs,
  });
}

export function emptyCounts(): Counts {
  return { new: 0, changed: 0, headers: 0, deleted: 0, unchanged: 0, repaired: 0 };
}

export function countChanges(changes: readonly Change[], unchanged: number): Counts {
  const counts = { ...emptyCounts(), unchanged };
  for (const change of changes) {
    counts[change.kind] += 1;
    if (change.repair) counts.repaired += 1;
  }
  return counts;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The outcome, frozen: nothing downstream can change what the run did. */
export function finalOutcome(outcome: Outcome): Readonly<Outcome> {
  return deepFreeze(outcome);
}
