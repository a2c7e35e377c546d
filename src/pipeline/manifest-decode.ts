import { gunzipSync } from 'node:zlib';
import {
  type Claim,
  HISTORY_LENGTH,
  type HistoryEntry,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  MAX_MANIFEST_BYTES,
  type Manifest,
  type ManifestEntry,
  NewerManifestError,
  type PublishedBy,
  emptyManifest,
} from './manifest.js';

// Reading a deploy manifest (manifest.ts has the format) that anyone who can write the bucket may have
// written: every field validated, one line parsed at a time, within limits set by the listing, so no manifest
// can exhaust memory or make the action trust what it did not write.

/** Unzipped, a manifest may take this much plus ENTRY_ALLOWANCE per listed object, and never more. */
const BASE_ALLOWANCE = 1024 * 1024;
const ENTRY_ALLOWANCE = 2048;
/** The longest line: an entry (a 1,024-byte key, escaped, and its fields) or the header. */
const MAX_LINE = 8 * 1024;
const MAX_HEADER_LINE = 256 * 1024;
/** Formats 1 and 2 are one JSON document: parsed whole only up to this size (its worst case stays small). */
const MAX_LEGACY_BYTES = 1024 * 1024;
const MAX_PENDING_PATHS = 3000;

/** How much a manifest may unzip to, for a prefix whose listing holds `listed` objects. */
export function unzippedLimit(listed: number): number {
  return BASE_ALLOWANCE + ENTRY_ALLOWANCE * Math.max(0, listed);
}

export interface DecodeLimits {
  /** The largest gzipped body read. */
  bytes?: number;
  /** The most it may unzip to (see unzippedLimit). */
  unzipped?: number;
  /**
   * Entries and retained assets kept (others are skipped, never held): the keys the listing shows. It may
   * answer with the listing's own string for the path, which the entry is then keyed by (one string, not two).
   */
  keep?: (relativePath: string) => boolean | string;
}

// --- validation of what a bucket writer may have written --------------------------------------------------

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;
const MD5 = /^[0-9a-f]{32}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function text(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max && !CONTROL.test(value);
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

function isPath(value: unknown): value is string {
  return text(value, 1024) && value !== '' && Buffer.byteLength(value) <= 1024;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function entryOf(row: unknown[]): ManifestEntry {
  const [, , md5, etag, size, contentType, cacheControl, lastModified, versionId] = row;
  if (
    row.length > 9 ||
    typeof md5 !== 'string' ||
    !MD5.test(md5) ||
    !text(etag, 128) ||
    !isCount(size) ||
    !text(contentType, 1024) ||
    !text(cacheControl, 1024) ||
    !(lastModified === null || isDate(lastModified)) ||
    !(versionId === undefined || versionId === null || text(versionId, 1024))
  ) {
    throw new Error('a malformed entry');
  }
  // Every entry has the same seven fields (absent ones undefined): one object shape, with no out-of-object
  // property store, for the million entries a large site has.
  return {
    md5,
    etag,
    size,
    contentType,
    cacheControl,
    lastModified: lastModified ? lastModified : undefined,
    versionId: typeof versionId === 'string' ? versionId : undefined,
  };
}

function claimOf(value: unknown): Claim | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if (!text(c.run, 64) || !text(c.attempt, 16) || !isDate(c.started) || !isDate(c.expires)) return undefined;
  if (!text(c.planDigest, 64) || !(c.runUrl === undefined || text(c.runUrl, 512))) return undefined;
  return {
    run: c.run,
    attempt: c.attempt,
    ...(c.runUrl !== undefined ? { runUrl: c.runUrl as string } : {}),
    started: c.started,
    expires: c.expires,
    planDigest: c.planDigest,
  };
}

function publishedByOf(value: unknown): PublishedBy | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  if (!text(p.run, 64) || !isDate(p.at) || !(p.runUrl === undefined || text(p.runUrl, 512))) return undefined;
  return {
    run: p.run,
    attempt: text(p.attempt, 16) ? p.attempt : '1',
    ...(p.runUrl !== undefined ? { runUrl: p.runUrl as string } : {}),
    at: p.at,
  };
}

function historyEntryOf(value: unknown): HistoryEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = value as Record<string, unknown>;
  const optional = (field: string, max: number) => h[field] === undefined || text(h[field], max);
  if (!text(h.id, 64) || !/^[A-Za-z0-9._-]+$/.test(h.id) || !isDate(h.at)) return undefined;
  if (h.kind !== 'deploy' && h.kind !== 'rollback') return undefined;
  if (h.result !== 'deployed' && h.result !== 'failed') return undefined;
  if (!isCount(h.uploaded) || !isCount(h.deleted) || !isCount(h.unchanged)) return undefined;
  if (!optional('commit', 40) || !optional('run', 64) || !optional('runUrl', 512)) return undefined;
  if (!optional('restored', 64) || !optional('manifestVersion', 1024)) return undefined;
  const entry: HistoryEntry = {
    id: h.id,
    kind: h.kind,
    result: h.result,
    at: h.at,
    uploaded: h.uploaded,
    deleted: h.deleted,
    unchanged: h.unchanged,
  };
  for (const field of ['commit', 'run', 'runUrl', 'restored', 'manifestVersion'] as const) {
    if (typeof h[field] === 'string') entry[field] = h[field] as string;
  }
  return entry;
}

/** The version named in the first bytes, before anything is parsed: a newer format is never overwritten. */
function leadingVersion(start: string): number | undefined {
  const match = /^\{"format":"parlai-site-deploy\/manifest","version":(\d{1,6})[,}]/.exec(start);
  return match ? Number(match[1]) : undefined;
}

function unzip(body: Buffer, limits: DecodeLimits): Buffer {
  const bytes = limits.bytes ?? MAX_MANIFEST_BYTES;
  const unzipped = limits.unzipped ?? unzippedLimit(0);
  if (body.length > bytes) throw new Error(`larger than ${bytes} bytes`);
  try {
    return gunzipSync(body, { maxOutputLength: unzipped });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ERR_BUFFER_TOO_LARGE' ? `unzips to more than ${unzipped} bytes` : 'not gzip');
  }
}

/**
 * Throws on anything that is not a manifest of a version this action reads (the caller then trusts nothing
 * in it), and NewerManifestError for one of a newer version. Never holds more than one line parsed at once,
 * and keeps only the entries `keep` asks for.
 */
export function decodeManifest(body: Buffer, limits: DecodeLimits = {}): Manifest {
  const raw = unzip(body, limits);
  const version = leadingVersion(raw.subarray(0, 80).toString('utf8'));
  if (version !== undefined && version > MANIFEST_VERSION) throw new NewerManifestError(version);
  const firstEnd = raw.indexOf(10);
  const headerEnd = firstEnd < 0 ? raw.length : firstEnd;
  if (headerEnd > MAX_HEADER_LINE && !(firstEnd < 0 && raw.length <= MAX_LEGACY_BYTES)) {
    throw new Error('not a deploy manifest (its first line is too long)');
  }
  const header = JSON.parse(raw.subarray(0, headerEnd).toString('utf8')) as Record<string, unknown>;
  if (typeof header !== 'object' || header === null || header.format !== MANIFEST_FORMAT) {
    throw new Error('not a deploy manifest');
  }
  if (typeof header.version === 'number' && header.version > MANIFEST_VERSION) {
    throw new NewerManifestError(header.version);
  }
  const keep = limits.keep ?? (() => true);
  const manifest = emptyManifest();
  if (header.version === 1 || header.version === 2) {
    if (firstEnd >= 0 && raw.subarray(firstEnd).toString('utf8').trim() !== '') throw new Error('not one document');
    readLegacyBody(header, manifest, keep);
  } else if (header.version === MANIFEST_VERSION) {
    readLines(raw, headerEnd, manifest, keep);
  } else {
    throw new Error('an unknown version');
  }
  if (header.claim !== undefined) manifest.claim = claimOf(header.claim);
  const publishedBy = publishedByOf(header.publishedBy);
  if (publishedBy) manifest.publishedBy = publishedBy;
  if (Array.isArray(header.history)) {
    manifest.history = header.history
      .slice(0, HISTORY_LENGTH)
      .map(historyEntryOf)
      .filter((entry): entry is HistoryEntry => entry !== undefined);
  }
  return manifest;
}

function addPending(manifest: Manifest, path: unknown): void {
  if (!text(path, 4096) || !path.startsWith('/')) throw new Error('a malformed invalidation path');
  if (manifest.pendingInvalidation.length >= MAX_PENDING_PATHS) throw new Error('too many invalidation paths');
  manifest.pendingInvalidation.push(path);
}

function addRetained(
  manifest: Manifest,
  path: unknown,
  since: unknown,
  keep: (path: string) => boolean | string,
): void {
  if (!isPath(path) || !isDate(since)) throw new Error('a malformed retained asset');
  if (keep(path)) manifest.retained.set(path, new Date(since));
}

function readLines(raw: Buffer, from: number, manifest: Manifest, keep: (path: string) => boolean | string): void {
  // The header and entries repeat a handful of header values: keep one string per distinct value.
  const interned = new Map<string, string>();
  const intern = (value: string): string => {
    const known = interned.get(value);
    if (known !== undefined) return known;
    interned.set(value, value);
    return value;
  };
  let start = from + 1;
  while (start < raw.length) {
    let end = raw.indexOf(10, start);
    if (end < 0) end = raw.length;
    if (end - start > MAX_LINE) throw new Error('a line too long for a deploy manifest');
    if (end > start) {
      const row: unknown = JSON.parse(raw.subarray(start, end).toString('utf8'));
      if (!Array.isArray(row) || !isPath(row[1])) throw new Error('a malformed line');
      const path = row[1];
      if (row[0] === 'e') {
        const kept = keep(path);
        if (kept !== false) {
          const entry = entryOf(row);
          entry.contentType = intern(entry.contentType);
          entry.cacheControl = intern(entry.cacheControl);
          // A deploy's writes share a few hundred seconds, and a single-part object's ETag is its MD5.
          if (entry.lastModified !== undefined) entry.lastModified = intern(entry.lastModified);
          if (entry.etag === entry.md5) entry.etag = entry.md5;
          manifest.entries.set(typeof kept === 'string' ? kept : path, entry);
        }
      } else if (row[0] === 'r' && row.length === 3) addRetained(manifest, path, row[2], keep);
      else if (row[0] === 'p' && row.length === 2) addPending(manifest, path);
      else throw new Error('a malformed line');
    }
    start = end + 1;
  }
}

/** Formats 1 and 2: `entries` and `retained` as objects, `pendingInvalidation` as an array. */
function readLegacyBody(
  document: Record<string, unknown>,
  manifest: Manifest,
  keep: (path: string) => boolean | string,
) {
  if (typeof document.entries !== 'object' || document.entries === null) throw new Error('no entries');
  for (const [path, value] of Object.entries(document.entries)) {
    if (!isPath(path) || !keep(path) || typeof value !== 'object' || value === null) continue;
    const e = value as Record<string, unknown>;
    try {
      const lastModified = e.lastModified === undefined ? null : e.lastModified;
      manifest.entries.set(
        path,
        entryOf(['e', path, e.md5, e.etag, e.size, e.contentType, e.cacheControl, lastModified]),
      );
    } catch {
      // an entry this version cannot read is simply not known
    }
  }
  if (typeof document.retained === 'object' && document.retained !== null) {
    for (const [path, since] of Object.entries(document.retained)) {
      if (isPath(path) && isDate(since) && keep(path)) manifest.retained.set(path, new Date(since));
    }
  }
  if (Array.isArray(document.pendingInvalidation)) {
    for (const path of document.pendingInvalidation.slice(0, MAX_PENDING_PATHS)) {
      if (text(path, 4096) && path.startsWith('/')) manifest.pendingInvalidation.push(path);
    }
  }
}
