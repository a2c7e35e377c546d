import type { PathMatcher } from './globs.js';
import { type ObjectHeaders, isFingerprinted, isHtml, sameHeaders } from './headers.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry, isDeploymentManifest, isManifestPath } from './manifest.js';
import type { Change } from './outcome.js';
import type { LocalFile } from './scan.js';

/** One object of a ListObjectsV2 page (ETag without its quotes). */
export interface RemoteObject {
  key: string;
  etag: string;
  size: number;
  lastModified?: Date;
}

/** A local file with the key and headers it should have in the bucket. */
export interface SiteFile extends LocalFile {
  key: string;
  headers: ObjectHeaders;
  /** The rule that gave it `headers` (see `headerChoice`), shown in the plan and the summary. */
  rule?: string;
}

export type WriteReason = 'new' | 'changed' | 'headers';

export interface PlannedWrite {
  file: SiteFile;
  /** `new` and `changed` send the bytes; `headers` rewrites the metadata with a server-side copy. */
  reason: WriteReason;
  /** For a header-only change: the headers the object has now, when known. */
  previous?: ObjectHeaders;
  /** The object was changed out of band (its LastModified moved since the manifest recorded it). */
  repair?: boolean;
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
  /**
   * The bucket's ETags are not MD5s (SSE-KMS): only then may the manifest vouch for a plain-looking ETag.
   * Otherwise a listed ETag of 32 hex digits is the object's MD5 and is compared with the file directly.
   */
  opaqueEtags?: boolean;
}

/** S3's CopyObject limit; a larger object whose headers change is uploaded again instead. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

const PLAIN_MD5 = /^[0-9a-f]{32}$/;

/**
 * The manifest entry, when the listing confirms it: same ETag, same size, and not modified since the manifest
 * recorded it. A LastModified that moved means someone rewrote the object (maybe only its headers).
 */
function confirmedEntry(manifest: Manifest, relativePath: string, remote: RemoteObject): ManifestEntry | undefined {
  const entry = manifest.entries.get(relativePath);
  if (!entry || entry.etag !== remote.etag || entry.size !== remote.size) return undefined;
  if (entry.lastModified && remote.lastModified && remote.lastModified.getTime() > Date.parse(entry.lastModified)) {
    return undefined;
  }
  return entry;
}

/** An object the manifest recorded with this ETag whose LastModified moved since: touched out of band. */
function touchedOutOfBand(manifest: Manifest, relativePath: string, remote: RemoteObject): boolean {
  const entry = manifest.entries.get(relativePath);
  return !!entry && entry.etag === remote.etag && !confirmedEntry(manifest, relativePath, remote);
}

/**
 * Whether the object holds the file's bytes. A plain MD5 ETag is compared with the file itself: the manifest
 * (which a bucket writer can forge) never vouches for bytes the listing can show. A multipart or opaque
 * ETag is compared with the file's multipart ETag, or else vouched for by a confirmed manifest entry.
 */
function sameContent(
  file: LocalFile,
  remote: RemoteObject,
  entry: ManifestEntry | undefined,
  opaque: boolean,
): boolean {
  if (remote.size !== file.size) return false;
  if (remote.etag === file.md5) return true;
  if (file.multipartEtag !== undefined && remote.etag === file.multipartEtag) return true;
  if (PLAIN_MD5.test(remote.etag) && !opaque) return false;
  return entry !== undefined && entry.md5 === file.md5 && entry.size === file.size;
}

/**
 * Keys whose content matches but whose headers nobody has vouched for: objects uploaded by another tool,
 * written by a run that failed before it saved the manifest, or touched out of band since. They are read once
 * with HEAD; the next manifest then knows them.
 */
export function keysToVerify(
  files: SiteFile[],
  remote: RemoteObject[],
  manifest: Manifest,
  prefix: string,
  opaqueEtags = false,
): string[] {
  const remoteByKey = new Map(remote.map((object) => [object.key, object]));
  const keys: string[] = [];
  for (const file of files) {
    const object = remoteByKey.get(file.key);
    if (!object) continue;
    const entry = confirmedEntry(manifest, file.key.slice(prefix.length), object);
    if (entry) continue;
    if (sameContent(file, object, undefined, opaqueEtags)) keys.push(file.key);
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
    if (relativePath !== MANIFEST_NAME && isDeploymentManifest(relativePath)) {
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
    const entry = confirmedEntry(manifest, relativePath, object);
    const repair = touchedOutOfBand(manifest, relativePath, object) || undefined;
    const headers = entry ?? input.observed.get(file.key);
    if (!sameContent(file, object, entry, input.opaqueEtags ?? false)) {
      plan.uploads.push({ file, reason: 'changed', repair });
    } else if (!headers || !sameHeaders(headers, file.headers)) {
      const previous = headers ? { contentType: headers.contentType, cacheControl: headers.cacheControl } : undefined;
      if (file.size > MAX_COPY_BYTES) plan.uploads.push({ file, reason: 'changed', previous, repair });
      else plan.headerUpdates.push({ file, reason: 'headers', previous, repair });
    } else {
      plan.unchanged.push(file);
      plan.unchangedEntries.set(relativePath, {
        md5: file.md5,
        etag: object.etag,
        size: file.size,
        contentType: file.headers.contentType,
        cacheControl: file.headers.cacheControl,
        // A confirmed entry keeps its date (no manifest write for a redeploy that changes nothing); one
        // verified with HEAD records the listing's, which later listings are compared with.
        lastModified: entry ? entry.lastModified : object.lastModified?.toISOString(),
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
      // A date in the future (a forged manifest) would keep the object forever: none is later than now.
      const recorded = manifest.retained.get(relativePath) ?? input.now;
      const since = recorded > input.now ? input.now : recorded;
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
    rule: write.file.rule,
    previous: write.previous,
    repair: write.repair,
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
