import type { PathMatcher } from './globs.js';
import { type ObjectHeaders, isFingerprinted, isHtml, sameHeaders } from './headers.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry, isManifestPath } from './manifest.js';
import type { Change } from './outcome.js';
import type { LocalFile } from './scan.js';

/** One object of a ListObjectsV2 page (ETag without its quotes). */
export interface RemoteObject {
  key: string;
  etag: string;
  size: number;
}

/** A local file with the key and headers it should have in the bucket. */
export interface SiteFile extends LocalFile {
  key: string;
  headers: ObjectHeaders;
}

export type WriteReason = 'new' | 'changed' | 'headers';

export interface PlannedWrite {
  file: SiteFile;
  /** `new` and `changed` send the bytes; `headers` rewrites the metadata with a server-side copy. */
  reason: WriteReason;
  /** For a header-only change: the headers the object has now, when known. */
  previous?: ObjectHeaders;
}

export interface Plan {
  uploads: PlannedWrite[];
  headerUpdates: PlannedWrite[];
  /** Full keys. */
  deletes: string[];
  /**
   * Long-cached assets gone from the build but kept until their grace period ends, so that pages still held
   * by browsers and edges can load them (full keys).
   */
  retained: Array<{ key: string; since: Date; until: Date }>;
  unchanged: SiteFile[];
  /** Manifest entries for the unchanged files, as they stand. */
  unchangedEntries: Map<string, ManifestEntry>;
  /** Remote keys under the prefix this deploy leaves alone because `exclude` matches them. */
  excludedRemote: number;
  /** Roots (relative to the prefix) of other deployments nested under this one, whose objects are kept. */
  otherDeployments: string[];
  /** Every key listed under the prefix before the deploy, except manifests: what a CDN may hold. */
  remoteKeys: string[];
}

export interface PlanInput {
  prefix: string;
  files: SiteFile[];
  remote: RemoteObject[];
  manifest: Manifest;
  /** Headers read with HEAD for the keys `keysToVerify` returned. */
  observed: Map<string, ObjectHeaders>;
  exclude: PathMatcher;
  deleteRemoved: boolean;
  /** How long a deleted fingerprinted (or `immutable`) asset is kept; 0 deletes it at once. */
  gracePeriodMs: number;
  now: Date;
}

/** S3's CopyObject limit; a larger object whose headers change is uploaded again instead. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

function contentMatchesEtag(file: LocalFile, etag: string): boolean {
  return etag === file.md5 || (file.multipartEtag !== undefined && etag === file.multipartEtag);
}

/** The manifest vouches for an object when the object still carries the ETag the action recorded. */
function vouchedEntry(manifest: Manifest, relativePath: string, remote: RemoteObject): ManifestEntry | undefined {
  const entry = manifest.entries.get(relativePath);
  return entry && entry.etag === remote.etag && entry.size === remote.size ? entry : undefined;
}

/**
 * Keys whose content matches but whose headers nobody has vouched for: objects uploaded by another tool, or
 * written by a run that failed before it saved the manifest. They are read once with HEAD; the next manifest
 * then knows them.
 */
export function keysToVerify(files: SiteFile[], remote: RemoteObject[], manifest: Manifest, prefix: string): string[] {
  const remoteByKey = new Map(remote.map((object) => [object.key, object]));
  const keys: string[] = [];
  for (const file of files) {
    const object = remoteByKey.get(file.key);
    if (!object || object.size !== file.size) continue;
    if (vouchedEntry(manifest, file.key.slice(prefix.length), object)) continue;
    if (contentMatchesEtag(file, object.etag)) keys.push(file.key);
  }
  return keys;
}

/**
 * Assets a stale page may still ask for long after a deploy: fingerprinted names, or objects served as
 * `immutable`. Pages (and everything else) revalidate and are replaced in place.
 */
function isLongCached(relativePath: string, entry: ManifestEntry | undefined): boolean {
  return isFingerprinted(relativePath) || (entry?.cacheControl.includes('immutable') ?? false);
}

/** Roots of deployments nested under this prefix, found by their own manifests (`pr-42/` for a preview). */
export function otherDeploymentRoots(remote: RemoteObject[], prefix: string): string[] {
  const roots: string[] = [];
  for (const { key } of remote) {
    const relativePath = key.slice(prefix.length);
    if (relativePath !== MANIFEST_NAME && isManifestPath(relativePath)) {
      roots.push(relativePath.slice(0, -MANIFEST_NAME.length));
    }
  }
  return roots.sort();
}

/** The diff of what is built against what is in the bucket. Pure: it reads and writes nothing. */
export function planDeploy(input: PlanInput): Plan {
  const { prefix, manifest } = input;
  const remoteByKey = new Map(input.remote.map((object) => [object.key, object]));
  const plan: Plan = {
    uploads: [],
    headerUpdates: [],
    deletes: [],
    retained: [],
    unchanged: [],
    unchangedEntries: new Map(),
    excludedRemote: 0,
    otherDeployments: otherDeploymentRoots(input.remote, prefix),
    remoteKeys: input.remote.map((object) => object.key).filter((key) => !isManifestPath(key.slice(prefix.length))),
  };

  for (const file of input.files) {
    const relativePath = file.key.slice(prefix.length);
    const object = remoteByKey.get(file.key);
    if (!object) {
      plan.uploads.push({ file, reason: 'new' });
      continue;
    }
    let current: { md5: string; headers: ObjectHeaders | undefined } | undefined;
    const entry = vouchedEntry(manifest, relativePath, object);
    if (entry) current = { md5: entry.md5, headers: entry };
    else if (object.size === file.size && contentMatchesEtag(file, object.etag)) {
      current = { md5: file.md5, headers: input.observed.get(file.key) };
    }
    if (!current || current.md5 !== file.md5) {
      plan.uploads.push({ file, reason: 'changed' });
    } else if (!current.headers || !sameHeaders(current.headers, file.headers)) {
      if (file.size > MAX_COPY_BYTES) plan.uploads.push({ file, reason: 'changed' });
      else plan.headerUpdates.push({ file, reason: 'headers', previous: current.headers });
    } else {
      plan.unchanged.push(file);
      plan.unchangedEntries.set(relativePath, {
        md5: file.md5,
        etag: object.etag,
        size: file.size,
        contentType: file.headers.contentType,
        cacheControl: file.headers.cacheControl,
      });
    }
  }

  const localKeys = new Set(input.files.map((file) => file.key));
  for (const { key } of input.remote) {
    if (!key.startsWith(prefix) || localKeys.has(key)) continue;
    const relativePath = key.slice(prefix.length);
    if (isManifestPath(relativePath)) continue;
    if (plan.otherDeployments.some((root) => relativePath.startsWith(root))) continue;
    if (input.exclude(relativePath)) {
      plan.excludedRemote += 1;
      continue;
    }
    if (!input.deleteRemoved) continue;
    if (input.gracePeriodMs > 0 && isLongCached(relativePath, manifest.entries.get(relativePath))) {
      const since = manifest.retained.get(relativePath) ?? input.now;
      const until = new Date(since.getTime() + input.gracePeriodMs);
      if (input.now < until) {
        plan.retained.push({ key, since, until });
        continue;
      }
    }
    plan.deletes.push(key);
  }
  plan.deletes.sort();
  return plan;
}

/** Writes in the order they must go live: every asset before any page, so no page links what is missing. */
export function orderWrites(plan: Plan): { assets: PlannedWrite[]; pages: PlannedWrite[] } {
  const writes = [...plan.uploads, ...plan.headerUpdates];
  return {
    assets: writes.filter((write) => !isHtml(write.file.headers.contentType)),
    pages: writes.filter((write) => isHtml(write.file.headers.contentType)),
  };
}

/** The plan's changes, each once: what is written or deleted, with the headers it gets. */
export function planChanges(plan: Plan): Change[] {
  const writes = [...plan.uploads, ...plan.headerUpdates].map((write): Change => ({
    key: write.file.key,
    kind: write.reason,
    headers: write.file.headers,
    previous: write.previous,
    bytes: write.reason === 'headers' ? 0 : write.file.size,
  }));
  return [...writes, ...plan.deletes.map((key): Change => ({ key, kind: 'deleted', bytes: 0 }))];
}

/** Removing a whole deployment: every object under the prefix, its manifest included, is deleted. */
export function planRemoval(remote: RemoteObject[], prefix: string): Plan {
  return {
    uploads: [],
    headerUpdates: [],
    deletes: remote.map((object) => object.key).sort(),
    retained: [],
    unchanged: [],
    unchangedEntries: new Map(),
    excludedRemote: 0,
    otherDeployments: [],
    remoteKeys: remote.map((object) => object.key).filter((key) => !isManifestPath(key.slice(prefix.length))),
  };
}
