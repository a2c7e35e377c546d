import type { PathMatcher } from '../shared/globs.js';
import { type ObjectHeaders, isFingerprinted, isHtml, sameHeaders } from './headers.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry, isDeploymentManifest, isManifestPath } from './manifest.js';
import type { Change } from './outcome.js';
import type { LocalFile } from './scan.js';
import { previewSpaceRoot } from '../shared/previews.js';

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

/** A build file with its key and headers (the file's absolute path stays the file's own, made when asked for). */
class PlacedFile implements SiteFile {
  readonly relativePath: string;
  readonly size: number;
  readonly md5: string;
  readonly multipartEtag?: string;

  constructor(
    private readonly local: LocalFile,
    readonly key: string,
    readonly headers: ObjectHeaders,
    readonly rule?: string,
  ) {
    this.relativePath = local.relativePath;
    this.size = local.size;
    this.md5 = local.md5;
    if (local.multipartEtag !== undefined) this.multipartEtag = local.multipartEtag;
  }

  get absolutePath(): string {
    return this.local.absolutePath;
  }
}

export function siteFileOf(file: LocalFile, key: string, headers: ObjectHeaders, rule?: string): SiteFile {
  return new PlacedFile(file, key, headers, rule);
}

export type WriteReason = 'new' | 'changed' | 'headers';

export interface PlannedWrite {
  file: SiteFile;
  /** `new` and `changed` send the bytes; `headers` rewrites the metadata with a server-side copy. */
  reason: WriteReason;
  /** A rollback: this earlier version of the key is made current again (a server-side copy, no bytes sent). */
  sourceVersion?: string;
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
  /** What HEAD showed of the keys `keysToVerify` returned. */
  observed: Map<string, Observed>;
  exclude: PathMatcher;
  deleteRemoved: boolean;
  /** How long a deleted fingerprinted (or `immutable`) asset is kept; 0 deletes it at once. */
  gracePeriodMs: number;
  now: Date;
}

/** What a HEAD showed of an object the listing could not vouch for. */
export interface Observed {
  headers: ObjectHeaders;
  versionId?: string;
  /** The store's own SHA-256 of the object equals the file's: the bytes are the same whatever the ETag. */
  sameBytes?: boolean;
}

/** S3's CopyObject limit; a larger object whose headers change is uploaded again instead. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

/**
 * The manifest entry, when the listing confirms it: same ETag, same size, and not modified since the manifest
 * recorded it. A LastModified that moved means someone rewrote the object (maybe only its headers); one that
 * is missing, unparseable or later than now (a forged entry) confirms nothing.
 */
function confirmedEntry(
  manifest: Manifest,
  relativePath: string,
  remote: RemoteObject,
  now: Date,
): ManifestEntry | undefined {
  const entry = manifest.entries.get(relativePath);
  if (!entry || entry.etag !== remote.etag || entry.size !== remote.size) return undefined;
  const recorded = entry.lastModified === undefined ? NaN : parsedDate(entry.lastModified);
  if (!(recorded <= now.getTime())) return undefined;
  if (!remote.lastModified || remote.lastModified.getTime() > recorded) return undefined;
  return entry;
}

/**
 * `Date.parse`, once per distinct text: a manifest's dates are a few hundred seconds shared by every entry
 * (manifest-decode.ts keeps one string per value), and a million entries are looked at twice each.
 */
const parsedDates = new Map<string, number>();
function parsedDate(text: string): number {
  let time = parsedDates.get(text);
  if (time === undefined) {
    if (parsedDates.size >= 10_000) parsedDates.clear();
    time = Date.parse(text);
    parsedDates.set(text, time);
  }
  return time;
}

/** The listing by key, made once per listing (keysToVerify and planDeploy both look objects up). */
const listingIndexes = new WeakMap<RemoteObject[], Map<string, RemoteObject>>();
function byKey(remote: RemoteObject[]): Map<string, RemoteObject> {
  let index = listingIndexes.get(remote);
  if (!index) {
    index = new Map(remote.map((object) => [object.key, object]));
    listingIndexes.set(remote, index);
  }
  return index;
}

/** An object the manifest recorded with this ETag whose LastModified moved since: touched out of band. */
function touchedOutOfBand(manifest: Manifest, relativePath: string, remote: RemoteObject, now: Date): boolean {
  const entry = manifest.entries.get(relativePath);
  if (!entry || entry.etag !== remote.etag || entry.lastModified === undefined) return false;
  const recorded = parsedDate(entry.lastModified);
  return recorded <= now.getTime() && !!remote.lastModified && remote.lastModified.getTime() > recorded;
}

/**
 * Whether the store proves the object holds the file's bytes: its ETag is the file's MD5 (a single-part
 * write) or the multipart ETag of this action's own part size — values S3 computes from the bytes — or a
 * HEAD showed the store's SHA-256 of it to be the file's. Nothing else counts: the action never writes a
 * small file in parts, so any other multipart ETag, and any manifest entry (which a bucket writer can forge),
 * is proof of nothing.
 */
export function sameContent(file: LocalFile, remote: RemoteObject, observed?: Observed): boolean {
  if (remote.size !== file.size) return false;
  if (remote.etag === file.md5) return true;
  if (file.multipartEtag !== undefined && remote.etag === file.multipartEtag) return true;
  return observed?.sameBytes === true;
}

/** The keys to HEAD before planning, and why. */
export interface Verification {
  /** The bytes are proven, the headers nobody vouched for: another tool's object, or touched out of band. */
  headers: string[];
  /**
   * The ETag cannot prove the bytes (SSE-KMS makes it opaque), but the manifest says they are the file's:
   * the store's own SHA-256 is compared with the file's, or the file is uploaded again.
   */
  checksums: string[];
}

/**
 * Keys whose headers, or whose bytes, the listing cannot vouch for: they are read once with HEAD (the
 * next manifest then knows them). Objects with other bytes are not read: they are uploaded.
 */
export function keysToVerify(
  files: SiteFile[],
  remote: RemoteObject[],
  manifest: Manifest,
  prefix: string,
  now: Date,
): Verification {
  const remoteByKey = byKey(remote);
  const verification: Verification = { headers: [], checksums: [] };
  for (const file of files) {
    const object = remoteByKey.get(file.key);
    if (!object || object.size !== file.size) continue;
    const relativePath = file.key.slice(prefix.length);
    if (sameContent(file, object)) {
      if (!confirmedEntry(manifest, relativePath, object, now)) verification.headers.push(file.key);
    } else if (manifest.entries.get(relativePath)?.md5 === file.md5) {
      verification.checksums.push(file.key);
    }
  }
  return verification;
}

/**
 * Assets a stale page may still ask for long after a deploy: fingerprinted names, or objects served as
 * `immutable` — and only those a deploy of this action published (the manifest has them, with the ETag the
 * listing shows, or kept them already). An object someone else put there is never kept for its name.
 */
function isLongCached(relativePath: string, remote: RemoteObject, manifest: Manifest): boolean {
  const entry = manifest.entries.get(relativePath);
  const published = entry?.etag === remote.etag || manifest.retained.has(relativePath);
  if (!published) return false;
  return isFingerprinted(relativePath) || (entry?.cacheControl.includes('immutable') ?? false);
}

/**
 * Roots (relative to the prefix) of the deployments nested under this one, whose objects it never counts or
 * deletes: a directory with its own manifest, and every directory of the preview space (`pr-*` + `/`: what
 * the preview role may write, with or without a manifest — so no pull request can make the production deploy
 * plan deletions of objects it put there).
 */
export function otherDeploymentRoots(remote: RemoteObject[], prefix: string): string[] {
  const roots = new Set<string>();
  for (const { key } of remote) {
    const relativePath = key.slice(prefix.length);
    const preview = previewSpaceRoot(relativePath);
    if (preview) roots.add(preview);
    else if (relativePath !== MANIFEST_NAME && isDeploymentManifest(relativePath)) {
      roots.add(relativePath.slice(0, -MANIFEST_NAME.length));
    }
  }
  return [...roots].sort();
}

/** A plan that changes nothing yet, over this listing. */
export function emptyPlan(remote: RemoteObject[], prefix: string, otherDeployments: string[]): Plan {
  return {
    uploads: [],
    headerUpdates: [],
    deletes: [],
    retained: [],
    unchanged: [],
    unchangedEntries: new Map(),
    excludedRemote: 0,
    otherDeployments,
    remoteKeys: remote.map((object) => object.key).filter((key) => !isManifestPath(key.slice(prefix.length))),
  };
}

/** The diff of what is built against what is in the bucket. Pure: it reads and writes nothing. */
export function planDeploy(input: PlanInput): Plan {
  const { prefix, manifest, now } = input;
  const remoteByKey = byKey(input.remote);
  const plan = emptyPlan(input.remote, prefix, otherDeploymentRoots(input.remote, prefix));

  for (const file of input.files) {
    const relativePath = file.key.slice(prefix.length);
    const object = remoteByKey.get(file.key);
    if (!object) {
      plan.uploads.push({ file, reason: 'new' });
      continue;
    }
    const entry = confirmedEntry(manifest, relativePath, object, now);
    const observed = input.observed.get(file.key);
    const repair = touchedOutOfBand(manifest, relativePath, object, now) || undefined;
    const headers = entry ?? observed?.headers;
    if (!sameContent(file, object, observed)) {
      plan.uploads.push({ file, reason: 'changed', repair });
    } else if (!headers || !sameHeaders(headers, file.headers)) {
      const previous = headers ? { contentType: headers.contentType, cacheControl: headers.cacheControl } : undefined;
      if (file.size > MAX_COPY_BYTES) plan.uploads.push({ file, reason: 'changed', previous, repair });
      else plan.headerUpdates.push({ file, reason: 'headers', previous, repair });
    } else {
      plan.unchanged.push(file);
      // A confirmed entry that records exactly this file is kept as it is (most of a redeploy's entries).
      if (entry && entry.md5 === file.md5 && entry.size === file.size && sameHeaders(entry, file.headers)) {
        plan.unchangedEntries.set(relativePath, entry);
        continue;
      }
      const versionId = entry ? entry.versionId : observed?.versionId;
      plan.unchangedEntries.set(relativePath, {
        md5: file.md5,
        etag: object.etag,
        size: file.size,
        contentType: file.headers.contentType,
        cacheControl: file.headers.cacheControl,
        // A confirmed entry keeps its date (no manifest write for a redeploy that changes nothing); one
        // verified with HEAD records the listing's, which later listings are compared with.
        lastModified: entry ? entry.lastModified : object.lastModified?.toISOString(),
        versionId,
      });
    }
  }

  const deletions = planDeletions(input, new Set(input.files.map((file) => file.key)), plan.otherDeployments);
  return { ...plan, ...deletions };
}

/**
 * What to delete of the listing (and what to keep for the grace period): every key under the prefix that is
 * not in `keep`, except manifests, other deployments, what `exclude` matches, and — for their grace period —
 * long-cached assets a deploy published.
 */
export function planDeletions(
  input: Pick<PlanInput, 'prefix' | 'remote' | 'manifest' | 'exclude' | 'deleteRemoved' | 'gracePeriodMs' | 'now'>,
  keep: ReadonlySet<string>,
  otherDeployments: readonly string[],
): Pick<Plan, 'deletes' | 'retained' | 'excludedRemote'> {
  const { prefix, manifest, now } = input;
  const result: Pick<Plan, 'deletes' | 'retained' | 'excludedRemote'> = {
    deletes: [],
    retained: [],
    excludedRemote: 0,
  };
  for (const object of input.remote) {
    const { key } = object;
    if (!key.startsWith(prefix) || keep.has(key)) continue;
    const relativePath = key.slice(prefix.length);
    if (isManifestPath(relativePath)) continue;
    if (otherDeployments.some((root) => relativePath.startsWith(root))) continue;
    if (input.exclude(relativePath)) {
      result.excludedRemote += 1;
      continue;
    }
    if (!input.deleteRemoved) continue;
    if (input.gracePeriodMs > 0 && isLongCached(relativePath, object, manifest)) {
      // A date in the future (a forged manifest) would keep the object forever: none is later than now.
      const recorded = manifest.retained.get(relativePath) ?? now;
      const since = recorded > now ? now : recorded;
      const until = new Date(since.getTime() + input.gracePeriodMs);
      if (now < until) {
        result.retained.push({ key, since, until });
        continue;
      }
    }
    result.deletes.push(key);
  }
  result.deletes.sort();
  return result;
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
    bytes: write.reason === 'headers' || write.sourceVersion ? 0 : write.file.size,
  }));
  return [...writes, ...plan.deletes.map((key): Change => ({ key, kind: 'deleted', bytes: 0 }))];
}

/** Removing a whole deployment: every object under the prefix, its manifest included, is deleted. */
export function planRemoval(remote: RemoteObject[], prefix: string): Plan {
  return { ...emptyPlan(remote, prefix, []), deletes: remote.map((object) => object.key).sort() };
}
