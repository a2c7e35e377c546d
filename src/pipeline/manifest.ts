import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The deploy manifest: a small object the action keeps beside the site (at `<prefix><MANIFEST_NAME>`) that
 * records, per key, the content hash and the headers it last wrote and the ETag S3 gave back. A listing's
 * ETag equal to the recorded one proves the object is still what the action wrote, so a redeploy needs no
 * per-object HEAD and never compares mtimes. It also records since when each deleted fingerprinted asset has
 * been kept for pages still cached (see plan.ts). Keys are relative to the prefix.
 */
export const MANIFEST_NAME = '.parlai-site-deploy.json.gz';
const FORMAT = 'parlai-site-deploy/manifest';
const VERSION = 1;

export interface ManifestEntry {
  md5: string;
  etag: string;
  size: number;
  contentType: string;
  cacheControl: string;
}

export interface Manifest {
  entries: Map<string, ManifestEntry>;
  /** Assets gone from the build but kept for a grace period: key → when the deploy first found them gone. */
  retained: Map<string, Date>;
}

export function emptyManifest(): Manifest {
  return { entries: new Map(), retained: new Map() };
}

function sortedObject<T, U>(map: Map<string, T>, value: (item: T) => U): Record<string, U> {
  return Object.fromEntries(
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, value(item)]),
  );
}

export function isManifestPath(relativePath: string): boolean {
  return relativePath === MANIFEST_NAME || relativePath.endsWith(`/${MANIFEST_NAME}`);
}

export function encodeManifest(manifest: Manifest, updatedAt: Date): Buffer {
  const entries = sortedObject(manifest.entries, (entry) => entry);
  const retained = sortedObject(manifest.retained, (since) => since.toISOString());
  const json = JSON.stringify({
    format: FORMAT,
    version: VERSION,
    updatedAt: updatedAt.toISOString(),
    entries,
    retained,
  });
  return gzipSync(json);
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.md5 === 'string' &&
    typeof entry.etag === 'string' &&
    typeof entry.size === 'number' &&
    typeof entry.contentType === 'string' &&
    typeof entry.cacheControl === 'string'
  );
}

/** Throws on anything that is not a manifest this version wrote; the caller then trusts nothing in it. */
export function decodeManifest(body: Buffer): Manifest {
  const parsed: unknown = JSON.parse(gunzipSync(body).toString('utf8'));
  const document = parsed as { format?: unknown; version?: unknown; entries?: unknown; retained?: unknown };
  if (document.format !== FORMAT || document.version !== VERSION) {
    throw new Error(`not a version ${VERSION} manifest`);
  }
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
  return { entries, retained };
}

function sameEntry(a: ManifestEntry, b: ManifestEntry): boolean {
  return (
    a.md5 === b.md5 &&
    a.etag === b.etag &&
    a.size === b.size &&
    a.contentType === b.contentType &&
    a.cacheControl === b.cacheControl
  );
}

/** Whether two manifests record the same state (so an unchanged one need not be written again). */
export function sameManifest(a: Manifest, b: Manifest): boolean {
  if (a.entries.size !== b.entries.size || a.retained.size !== b.retained.size) return false;
  for (const [key, entry] of a.entries) {
    const other = b.entries.get(key);
    if (!other || !sameEntry(entry, other)) return false;
  }
  for (const [key, since] of a.retained) {
    if (b.retained.get(key)?.getTime() !== since.getTime()) return false;
  }
  return true;
}
