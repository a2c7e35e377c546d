import { gunzipSync, gzipSync } from 'node:zlib';
import { compareStrings } from '../shared/text.js';

/**
 * The deploy manifest: a small object the action keeps beside the site (at `<prefix><MANIFEST_NAME>`). Per
 * key it records the content hash and headers the action last wrote, and what the bucket listing shows of
 * the object (ETag, LastModified): a listing that still shows both proves the object is what the action
 * wrote, so a redeploy needs no per-object HEAD and never compares mtimes. It also records since when each
 * deleted fingerprinted asset has been kept, the invalidation paths not yet sent, and — while a deploy runs —
 * that deploy's claim on the prefix (see release.ts). Keys are relative to the prefix.
 *
 * Nothing in it is trusted beyond what the listing confirms (plan.ts), and it is read with size limits: a
 * bucket writer can forge it.
 */
export const MANIFEST_NAME = '.parlai-site-deploy.json.gz';
/** The object the conditional-write probe uses (release.ts); never deployed, never deleted as stale. */
export const PROBE_NAME = '.parlai-site-deploy.probe';
const FORMAT = 'parlai-site-deploy/manifest';
/** 2 added `lastModified`, `pendingInvalidation` and `claim`; version 1 manifests are read as they are. */
export const MANIFEST_VERSION = 2;

/** A manifest larger than this (gzipped, or unzipped) is not read: a million entries take about 40 / 200 MB. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
export const MAX_MANIFEST_UNZIPPED_BYTES = 512 * 1024 * 1024;

export interface ManifestEntry {
  md5: string;
  etag: string;
  size: number;
  contentType: string;
  cacheControl: string;
  /** LastModified as the listing showed it (or, right after a write, the time the write completed). */
  lastModified?: string;
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

export interface Manifest {
  entries: Map<string, ManifestEntry>;
  /** Assets gone from the build but kept for a grace period: key → when the deploy first found them gone. */
  retained: Map<string, Date>;
  /** Invalidation paths a deploy published but could not get CloudFront to take: the next run sends them. */
  pendingInvalidation: string[];
  claim?: Claim;
  /** The run that published this manifest (named to a run that lost a race to it). */
  publishedBy?: { run: string; attempt: string; runUrl?: string; at: string };
}

/** The manifest was written by a newer version of the action: never overwrite what it recorded. */
export class NewerManifestError extends Error {
  constructor(readonly version: number) {
    super(`format ${version}`);
    this.name = 'NewerManifestError';
  }
}

export function emptyManifest(): Manifest {
  return { entries: new Map(), retained: new Map(), pendingInvalidation: [] };
}

function sortedObject<T, U>(map: Map<string, T>, value: (item: T) => U): Record<string, U> {
  return Object.fromEntries([...map].sort(([a], [b]) => compareStrings(a, b)).map(([key, item]) => [key, value(item)]));
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
  const entries = sortedObject(manifest.entries, (entry) => entry);
  const retained = sortedObject(manifest.retained, (since) => since.toISOString());
  const document: Record<string, unknown> = {
    format: FORMAT,
    version: MANIFEST_VERSION,
    updatedAt: updatedAt.toISOString(),
    entries,
    retained,
  };
  if (manifest.pendingInvalidation.length > 0) document.pendingInvalidation = [...manifest.pendingInvalidation].sort();
  if (manifest.claim) document.claim = manifest.claim;
  if (manifest.publishedBy) document.publishedBy = manifest.publishedBy;
  return gzipSync(JSON.stringify(document));
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.md5 === 'string' &&
    typeof entry.etag === 'string' &&
    typeof entry.size === 'number' &&
    typeof entry.contentType === 'string' &&
    typeof entry.cacheControl === 'string' &&
    (entry.lastModified === undefined || typeof entry.lastModified === 'string')
  );
}

function isClaim(value: unknown): value is Claim {
  if (typeof value !== 'object' || value === null) return false;
  const claim = value as Record<string, unknown>;
  return ['run', 'attempt', 'started', 'expires', 'planDigest'].every((field) => typeof claim[field] === 'string');
}

/**
 * Throws on anything that is not a manifest of a version this action reads (the caller then trusts nothing
 * in it), and NewerManifestError for one of a newer version.
 */
export function decodeManifest(
  body: Buffer,
  limits = { bytes: MAX_MANIFEST_BYTES, unzipped: MAX_MANIFEST_UNZIPPED_BYTES },
): Manifest {
  if (body.length > limits.bytes) throw new Error(`larger than ${limits.bytes} bytes`);
  let text: string;
  try {
    text = gunzipSync(body, { maxOutputLength: limits.unzipped }).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ERR_BUFFER_TOO_LARGE' ? `unzips to more than ${limits.unzipped} bytes` : 'not gzip');
  }
  const parsed: unknown = JSON.parse(text);
  const document = parsed as {
    format?: unknown;
    version?: unknown;
    entries?: unknown;
    retained?: unknown;
    pendingInvalidation?: unknown;
    claim?: unknown;
    publishedBy?: unknown;
  };
  if (document.format !== FORMAT) throw new Error('not a deploy manifest');
  if (typeof document.version === 'number' && document.version > MANIFEST_VERSION) {
    throw new NewerManifestError(document.version);
  }
  if (document.version !== 1 && document.version !== MANIFEST_VERSION) throw new Error('an unknown version');
  if (typeof document.entries !== 'object' || document.entries === null) throw new Error('no entries');
  const entries = new Map<string, ManifestEntry>();
  // The headers repeat across thousands of entries: keep one string per distinct value.
  const interned = new Map<string, string>();
  const intern = (text: string): string => {
    const known = interned.get(text);
    if (known !== undefined) return known;
    interned.set(text, text);
    return text;
  };
  for (const [key, value] of Object.entries(document.entries)) {
    if (isEntry(value)) {
      value.contentType = intern(value.contentType);
      value.cacheControl = intern(value.cacheControl);
      entries.set(key, value);
    }
  }
  const retained = new Map<string, Date>();
  if (typeof document.retained === 'object' && document.retained !== null) {
    for (const [key, value] of Object.entries(document.retained)) {
      const since = typeof value === 'string' ? new Date(value) : undefined;
      if (since && !Number.isNaN(since.getTime())) retained.set(key, since);
    }
  }
  const pendingInvalidation = Array.isArray(document.pendingInvalidation)
    ? document.pendingInvalidation.filter((path): path is string => typeof path === 'string' && path.startsWith('/'))
    : [];
  const published = document.publishedBy as Record<string, unknown> | undefined;
  const publishedBy =
    published && typeof published.run === 'string' && typeof published.at === 'string'
      ? {
          run: published.run,
          attempt: typeof published.attempt === 'string' ? published.attempt : '1',
          ...(typeof published.runUrl === 'string' ? { runUrl: published.runUrl } : {}),
          at: published.at,
        }
      : undefined;
  return {
    entries,
    retained,
    pendingInvalidation,
    claim: isClaim(document.claim) ? document.claim : undefined,
    ...(publishedBy ? { publishedBy } : {}),
  };
}

function sameEntry(a: ManifestEntry, b: ManifestEntry): boolean {
  return (
    a.md5 === b.md5 &&
    a.etag === b.etag &&
    a.size === b.size &&
    a.contentType === b.contentType &&
    a.cacheControl === b.cacheControl &&
    a.lastModified === b.lastModified
  );
}

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
