import { gzipSync } from 'node:zlib';
import { compareStrings } from '../shared/text.js';

/**
 * The deploy manifest: a small object the action keeps beside the site (at `<prefix><MANIFEST_NAME>`). Per
 * key it records the content hash and headers the action last wrote, and what the bucket listing shows of
 * the object (ETag, LastModified, and the VersionId the store returned): a listing that still shows them
 * proves the object's headers are what the action wrote, so a redeploy needs no per-object HEAD. It also
 * records since when each deleted fingerprinted asset has been kept, the invalidation paths not yet sent,
 * the deploy history, and — while a deploy runs — that deploy's claim on the prefix (see release.ts). Keys are
 * relative to the prefix.
 *
 * Anyone who can write the bucket can forge it, so it is evidence, never authority: it never vouches for
 * bytes (plan.ts compares them with what the store itself computed), every field is validated (manifest-decode.ts), and it
 * is parsed line by line within limits set by the size of the listing, so no manifest can exhaust memory.
 *
 * Format 3, gzipped text, one JSON value a line: a header object (`format`, `version` first, so a newer
 * version is recognised from the first bytes), then `["e", path, md5, etag, size, contentType,
 * cacheControl, lastModified, versionId]` per entry, `["r", path, since]` per retained asset and `["p",
 * path]` per pending invalidation path, each sorted.
 */
export const MANIFEST_NAME = '.parlai-site-deploy.json.gz';
/** The object the conditional-write probe uses (release.ts); never deployed, never deleted as stale. */
export const PROBE_NAME = '.parlai-site-deploy.probe';
export const MANIFEST_FORMAT = 'parlai-site-deploy/manifest';
/** 3: one line per entry, VersionIds and the deploy history; 1 and 2 (one JSON document) are still read. */
export const MANIFEST_VERSION = 3;

/** A manifest object larger than this (gzipped) is not read. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Deploys kept in the history. */
export const HISTORY_LENGTH = 100;

export interface ManifestEntry {
  md5: string;
  etag: string;
  size: number;
  contentType: string;
  cacheControl: string;
  /** LastModified as the listing showed it (or, right after a write, the time the write completed). */
  lastModified?: string;
  /** The version the store returned for the write (versioned buckets): what a rollback restores. */
  versionId?: string;
}

/** A deploy in progress: written before its first upload, removed when it publishes. */
export interface Claim {
  /** `run-<id>` of the workflow run (the same for its re-runs), or `local-<time>`. */
  run: string;
  attempt: string;
  runUrl?: string;
  started: string;
  /** After this the claim is taken to be left by a dead run; a live run refreshes it. */
  expires: string;
  /** SHA-256 of the planned changes. */
  planDigest: string;
}

export interface PublishedBy {
  run: string;
  attempt: string;
  runUrl?: string;
  at: string;
}

/** One deploy (or rollback) of the prefix, newest first in `Manifest.history`. */
export interface HistoryEntry {
  /** The `deploy-id` output: what `rollback-to` names. */
  id: string;
  kind: 'deploy' | 'rollback';
  result: 'deployed' | 'failed';
  at: string;
  commit?: string;
  run?: string;
  runUrl?: string;
  /** For a rollback: the deploy it restored. */
  restored?: string;
  uploaded: number;
  deleted: number;
  unchanged: number;
  /** The manifest object's version that records this deploy's entries (filled in by the next read). */
  manifestVersion?: string;
}

export interface Manifest {
  entries: Map<string, ManifestEntry>;
  /** Assets gone from the build but kept for a grace period: key → when the deploy first found them gone. */
  retained: Map<string, Date>;
  /** Invalidation paths a deploy published but could not get CloudFront to take: the next run sends them. */
  pendingInvalidation: string[];
  claim?: Claim;
  /** The run that published this manifest (named to a run that lost a race to it). */
  publishedBy?: PublishedBy;
  /** The last HISTORY_LENGTH deploys, newest first. */
  history: HistoryEntry[];
}

/** The manifest was written by a newer version of the action: never overwrite what it recorded. */
export class NewerManifestError extends Error {
  constructor(readonly version: number) {
    super(`format ${version}`);
    this.name = 'NewerManifestError';
  }
}

export function emptyManifest(): Manifest {
  return { entries: new Map(), retained: new Map(), pendingInvalidation: [], history: [] };
}

/** The manifest itself, and the probe object: the action's own, never part of a site. */
export function isManifestPath(relativePath: string): boolean {
  return (
    relativePath === MANIFEST_NAME ||
    relativePath.endsWith(`/${MANIFEST_NAME}`) ||
    relativePath === PROBE_NAME ||
    relativePath.endsWith(`/${PROBE_NAME}`)
  );
}

/** The root manifest of a deployment (not the probe). */
export function isDeploymentManifest(relativePath: string): boolean {
  return relativePath === MANIFEST_NAME || relativePath.endsWith(`/${MANIFEST_NAME}`);
}

export function encodeManifest(manifest: Manifest, updatedAt: Date): Buffer {
  const header: Record<string, unknown> = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    updatedAt: updatedAt.toISOString(),
  };
  if (manifest.claim) header.claim = manifest.claim;
  if (manifest.publishedBy) header.publishedBy = manifest.publishedBy;
  if (manifest.history.length > 0) header.history = manifest.history.slice(0, HISTORY_LENGTH);
  const lines = [JSON.stringify(header)];
  for (const [path, e] of [...manifest.entries].sort(([a], [b]) => compareStrings(a, b))) {
    const row = ['e', path, e.md5, e.etag, e.size, e.contentType, e.cacheControl, e.lastModified ?? null];
    if (e.versionId !== undefined) row.push(e.versionId);
    lines.push(JSON.stringify(row));
  }
  for (const [path, since] of [...manifest.retained].sort(([a], [b]) => compareStrings(a, b))) {
    lines.push(JSON.stringify(['r', path, since.toISOString()]));
  }
  for (const path of [...new Set(manifest.pendingInvalidation)].sort()) lines.push(JSON.stringify(['p', path]));
  return gzipSync(`${lines.join('\n')}\n`);
}

function sameEntry(a: ManifestEntry, b: ManifestEntry): boolean {
  return (
    a.md5 === b.md5 &&
    a.etag === b.etag &&
    a.size === b.size &&
    a.contentType === b.contentType &&
    a.cacheControl === b.cacheControl &&
    a.lastModified === b.lastModified &&
    a.versionId === b.versionId
  );
}

export { type DecodeLimits, decodeManifest, unzippedLimit } from './manifest-decode.js';

/** Whether two manifests record the same state (so an unchanged one need not be written again). */
export function sameManifest(a: Manifest, b: Manifest): boolean {
  if (a.entries.size !== b.entries.size || a.retained.size !== b.retained.size) return false;
  if (a.claim !== undefined || b.claim !== undefined) return false;
  if ([...a.pendingInvalidation].sort().join('\n') !== [...b.pendingInvalidation].sort().join('\n')) return false;
  for (const [key, entry] of a.entries) {
    const other = b.entries.get(key);
    if (!other || !sameEntry(entry, other)) return false;
  }
  for (const [key, since] of a.retained) {
    if (b.retained.get(key)?.getTime() !== since.getTime()) return false;
  }
  return true;
}
