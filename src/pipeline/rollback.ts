import pMap from 'p-map';
import type { RunContext } from '../context/run-context.js';
import { Refusal, errorMessage } from '../shared/errors.js';
import { untrusted } from '../shared/text.js';
import { applyPlanned } from './apply.js';
import { listAll } from './listing.js';
import { sameHeaders } from './headers.js';
import { type HistoryEntry, type Manifest, type ManifestEntry, decodeManifest, unzippedLimit } from './manifest.js';
import type { Run } from './outcome.js';
import {
  type Plan,
  type PlannedWrite,
  type RemoteObject,
  type SiteFile,
  otherDeploymentRoots,
  planChanges,
  emptyPlan,
  planDeletions,
} from './plan.js';
import { planLines } from './plan-text.js';
import type { Ports } from './ports.js';
import { resolveRollbackTarget } from './history.js';
import { type Release, newRelease, targetOf } from './release.js';

// Rollback: the prefix restored to exactly an earlier deploy, with no build and no bytes from the runner —
//   read the history → the deploy's manifest version → its object versions still there? → plan → applyRelease
// (claim, server-side copies of the recorded versions with their headers, publish, delete, invalidate).
// Refused before any write when the bucket is not versioned, the id is unknown, or a needed version is gone.

const MISSING_SHOWN = 20;

export async function rollBack(context: RunContext, ports: Ports): Promise<Run> {
  const { inputs } = context;
  const target = targetOf(inputs.bucket, inputs.prefix);
  if (!context.credentials) {
    if (context.withoutSecrets) {
      return { result: 'skipped', reason: `No AWS credentials: ${context.withoutSecrets}. Nothing was rolled back.` };
    }
    throw new Refusal('No AWS credentials found: a rollback needs the deploy role (see the README, "Undo a deploy").');
  }
  const release = newRelease(context, ports);
  const [remote, stored] = await Promise.all([listAll(ports.store, inputs.prefix), release.fetch()]);
  if (!stored)
    throw new Refusal(
      `Input 'rollback-to': ${target} has no deploy manifest, so no deploy of it is recorded.`,
      'rollback-to',
    );
  if (!stored.versionId) {
    throw new Refusal(
      `${target} is in a bucket without versioning: the objects of earlier deploys were overwritten, so nothing can be restored. Turn versioning on (the Terraform module does); deploys from then on can be rolled back.`,
    );
  }
  const manifest = release.read(stored, remote);
  const chosen = resolveRollbackTarget(manifest, inputs.rollbackTo!, target);
  const restored = await recordedEntries(ports, release, chosen, remote.length, target);
  const plan = planRollback(context, { restored, remote, current: manifest, chosen, now: ports.now() });
  await checkVersionsExist(ports, plan, { chosen, target, prefix: inputs.prefix, concurrency: inputs.concurrency });

  const planned = planChanges(plan);
  const { title, lines } = planLines(
    plan,
    `rolling back to ${chosen.id}; deletes allowed: ${inputs.maxDeletes}`,
    planned,
  );
  ports.log.group(title, lines);
  const run: Run = { plan, planned, history: manifest.history, restores: chosen.id };
  if (plan.deletes.length > inputs.maxDeletes) {
    const refusal = new Refusal(
      `Rolling back to ${chosen.id} deletes ${plan.deletes.length} objects, more than 'max-deletes' (${inputs.maxDeletes}); nothing was written. Raise 'max-deletes' for this run if that is intended.`,
      'max-deletes',
    );
    return { ...run, result: 'refused', reason: refusal.message, input: refusal.input };
  }
  const record = { kind: 'rollback' as const, commit: chosen.commit, run: context.run, restored: chosen.id };
  return applyPlanned(context, ports, { plan, planned, release, manifest, run: record }, run);
}

/** The entries the chosen deploy published, read from the manifest version that holds them. */
async function recordedEntries(
  ports: Ports,
  release: Release,
  chosen: HistoryEntry,
  listed: number,
  target: string,
): Promise<Map<string, ManifestEntry>> {
  const gone = `the deploy manifest version that records deploy ${untrusted(chosen.id)} of ${target}`;
  if (!chosen.manifestVersion) {
    throw new Refusal(
      `Input 'rollback-to': ${gone} is not known (was the bucket versioned then?): it cannot be restored.`,
      'rollback-to',
    );
  }
  const old = await ports.store.get(release.key, { versionId: chosen.manifestVersion });
  if (!old || old.tooLarge) {
    throw new Refusal(
      `Input 'rollback-to': ${gone} is gone — expired by the bucket's noncurrent-version lifecycle rule (the rollback window)? It cannot be restored; deploy that commit again instead.`,
      'rollback-to',
    );
  }
  let entries: Map<string, ManifestEntry>;
  try {
    entries = decodeManifest(old.body, { unzipped: unzippedLimit(listed + 100_000) }).entries;
  } catch (error) {
    throw new Refusal(
      `Input 'rollback-to': ${gone} is unreadable (${errorMessage(error)}): it cannot be restored.`,
      'rollback-to',
    );
  }
  const unversioned = [...entries].filter(([, entry]) => !entry.versionId).map(([path]) => path);
  if (unversioned.length > 0) {
    throw new Refusal(
      `Input 'rollback-to': deploy ${untrusted(chosen.id)} recorded no version for ${unversioned.length} object(s) (${unversioned.slice(0, 5).map(untrusted).join(', ')}…): the bucket was not versioned when it ran, so it cannot be restored exactly.`,
      'rollback-to',
    );
  }
  return entries;
}

/** A recorded object as the plan's writes carry it: no local file, the version to copy from. */
function recordedFile(prefix: string, relativePath: string, entry: ManifestEntry, rule: string): SiteFile {
  return {
    relativePath,
    absolutePath: '',
    key: prefix + relativePath,
    md5: entry.md5,
    size: entry.size,
    headers: { contentType: entry.contentType, cacheControl: entry.cacheControl },
    rule,
  };
}

/**
 * Pure: what restoring `restored` over the listing takes. An object is left alone when the listing shows the
 * recorded ETag and size and the current manifest vouches for the same headers; every other recorded one is
 * copied from its recorded version; what the deploy did not have is deleted (the grace period applies).
 */
export function planRollback(
  context: RunContext,
  given: {
    restored: Map<string, ManifestEntry>;
    remote: RemoteObject[];
    /** The manifest as it is now: what vouches for the headers objects have now. */
    current: Manifest;
    chosen: HistoryEntry;
    now: Date;
  },
): Plan {
  const { restored, remote, current, chosen, now } = given;
  const { inputs } = context;
  const prefix = inputs.prefix;
  const rule = `rollback to ${chosen.id}`;
  const byKey = new Map(remote.map((object) => [object.key, object]));
  const otherDeployments = otherDeploymentRoots(remote, prefix);
  const plan = emptyPlan(remote, prefix, otherDeployments);
  for (const [relativePath, entry] of [...restored].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const file = recordedFile(prefix, relativePath, entry, rule);
    const object = byKey.get(file.key);
    const known = current.entries.get(relativePath);
    const sameBytes = object !== undefined && object.etag === entry.etag && object.size === entry.size;
    const vouched = known !== undefined && known.etag === object?.etag && sameHeaders(known, file.headers);
    if (sameBytes && vouched) {
      plan.unchanged.push(file);
      plan.unchangedEntries.set(relativePath, { ...known, versionId: known.versionId ?? entry.versionId });
      continue;
    }
    const write: PlannedWrite = {
      file,
      reason: object ? (sameBytes ? 'headers' : 'changed') : 'new',
      sourceVersion: entry.versionId,
    };
    if (known && !sameHeaders(known, file.headers))
      write.previous = { contentType: known.contentType, cacheControl: known.cacheControl };
    (write.reason === 'headers' ? plan.headerUpdates : plan.uploads).push(write);
  }
  const keep = new Set([...restored.keys()].map((path) => prefix + path));
  const deletions = planDeletions(
    {
      prefix,
      remote,
      manifest: current,
      exclude: inputs.exclude,
      deleteRemoved: true,
      gracePeriodMs: inputs.assetGracePeriodMs,
      now,
    },
    keep,
    otherDeployments,
  );
  return { ...plan, ...deletions };
}

/** Every version the plan copies from must still exist (a lifecycle rule may have expired it): say which not. */
async function checkVersionsExist(
  ports: Ports,
  plan: Plan,
  {
    chosen,
    target,
    prefix,
    concurrency,
  }: { chosen: HistoryEntry; target: string; prefix: string; concurrency: number },
) {
  const copies = [...plan.uploads, ...plan.headerUpdates];
  const missing: string[] = [];
  await pMap(
    copies,
    async (write) => {
      const found = await ports.store.head(write.file.key, { versionId: write.sourceVersion });
      if (!found) missing.push(write.file.key.slice(prefix.length));
    },
    { concurrency },
  );
  if (missing.length === 0) return;
  missing.sort();
  const shown = missing.slice(0, MISSING_SHOWN).map(untrusted).join(', ');
  throw new Refusal(
    `Input 'rollback-to': ${missing.length} object version(s) deploy ${untrusted(chosen.id)} of ${target} had are gone — expired by the bucket's noncurrent-version lifecycle rule (the rollback window)? — so it cannot be restored exactly: ${shown}${missing.length > MISSING_SHOWN ? ', …' : ''}. Nothing was written; deploy that commit again instead.`,
    'rollback-to',
  );
}
