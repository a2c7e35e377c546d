import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The deploy manifest: a small object the action keeps beside the site (at `<prefix><MANIFEST_NAME>`) that
 * records, per key, the content hash and the headers it last wrote and the ETag S3 gave back. A listing's
 * ETag equal to the recorded one proves the object is still what the action wrote, so a redeploy needs no
 * per-object HEAD and never compares mtimes. Keys are relative to the prefix.
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
}

export function emptyManifest(): Manifest {
  return { entries: new Map() };
}

export function isManifestPath(relativePath: string): boolean {
  return relativePath === MANIFEST_NAME || relativePath.endsWith(`/${MANIFEST_NAME}`);
}

export function encodeManifest(manifest: Manifest, updatedAt: Date): Buffer {
  const entries = Object.fromEntries([...manifest.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const json = JSON.stringify({ format: FORMAT, version: VERSION, updatedAt: updatedAt.toISOString(), entries });
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
  const document = parsed as { format?: unknown; version?: unknown; entries?: unknown };
  if (document.format !== FORMAT || document.version !== VERSION) {
    throw new Error(`not a version ${VERSION} manifest`);
  }
  if (typeof document.entries !== 'object' || document.entries === null) throw new Error('no entries');
  const entries = new Map<string, ManifestEntry>();
  for (const [key, value] of Object.entries(document.entries)) {
    if (isEntry(value)) entries.set(key, value);
  }
  return { entries };
}
