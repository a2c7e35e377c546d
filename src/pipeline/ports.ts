import type { ObjectHeaders } from './headers.js';
import type { RemoteObject, SiteFile } from './plan.js';

// What the pipeline needs from the world, as small interfaces. The adapters implement them for S3,
// CloudFront, the shell and the runner's log; tests implement them in memory. The pipeline never asks
// which implementation it holds — a dry run is just a store and a CDN that record writes instead of sending
// them (dry-run.ts).

export interface ObjectHead {
  etag: string;
  headers: ObjectHeaders;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
}

/** The bucket, seen through the calls a deploy makes and nothing else. Keys are full keys. */
export interface ObjectStore {
  /** Every object under the prefix, one flat paginated listing. */
  list(prefix: string): Promise<RemoteObject[]>;
  /** The object's ETag and the two headers this action owns, or undefined when it is absent. */
  head(key: string): Promise<ObjectHead | undefined>;
  get(key: string): Promise<StoredObject | undefined>;
  /** Uploads a scanned file with its headers; returns the ETag the store recorded. */
  putFile(file: SiteFile): Promise<string>;
  /** Rewrites an object's headers in place (server-side copy): no bytes are sent. */
  copyWithHeaders(file: SiteFile): Promise<string>;
  /**
   * Writes `body` only if the object is still the one read before (`expectedEtag`, or absent); throws a
   * ConcurrentWriteError otherwise.
   */
  putIfUnchanged(key: string, body: Buffer, headers: ObjectHeaders, expectedEtag: string | undefined): Promise<string>;
  /** Deletes the keys; returns those the store refused, with why. */
  deleteKeys(keys: string[]): Promise<Array<{ key: string; message: string }>>;
}

/** The CDN in front of the bucket. */
export interface Cdn {
  /** One invalidation of these paths; its ID, or undefined when nothing was sent (dry run). */
  invalidate(paths: string[], callerReference: string): Promise<string | undefined>;
  /** Waits until the invalidation has completed at every edge. */
  waitFor(invalidationId: string): Promise<void>;
}

/** Runs the site's build command; resolves to its exit code. */
export type Builder = (command: string, workingDirectory: string) => Promise<number>;

export interface Log {
  info(line: string): void;
  warning(line: string): void;
  notice(line: string): void;
  /** A collapsible group of lines (a log group on the runner). */
  group(title: string, lines: string[]): void;
}

/** The object changed since this deploy read it: another deploy wrote it meanwhile. */
export class ConcurrentWriteError extends Error {
  constructor(
    readonly expectedEtag: string | undefined,
    readonly foundEtag: string | undefined,
  ) {
    super(
      foundEtag === undefined && expectedEtag !== undefined
        ? `expected ${expectedEtag}, but the store refused the write because the object changed`
        : `expected ${expectedEtag ?? 'no object'}, found ${foundEtag ?? 'another object'}`,
    );
    this.name = 'ConcurrentWriteError';
  }
}
