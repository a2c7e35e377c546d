import type { ObjectHeaders } from './headers.js';
import type { RemoteObject, SiteFile } from './plan.js';
import type { RedirectStore } from './redirects.js';

// What the pipeline needs from the world, as small interfaces. The adapters implement them for S3,
// CloudFront, the shell and the runner's log; tests implement them in memory. The pipeline never asks
// which implementation it holds — a dry run is just a store and a CDN that record writes instead of sending
// them (dry-run.ts).

export interface ObjectHead {
  etag: string;
  headers: ObjectHeaders;
  /** The current version's ID, on a versioned bucket. */
  versionId?: string;
  /**
   * The SHA-256 checksum the store computed from the bytes when they were written (base64; `…-N` for a
   * multipart object), when asked for (`checksums`) and the object has one: what proves the bytes where the
   * ETag cannot (SSE-KMS).
   */
  checksumSha256?: string;
  /** `x-amz-website-redirect-location`: the object is a redirect of S3's website endpoint. */
  redirectLocation?: string;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
  /** The version read, on a versioned bucket (S3 says `null` for an unversioned one: undefined here). */
  versionId?: string;
  /** The object was larger than the store adapter reads; `body` is empty. */
  tooLarge?: boolean;
}

/** What the store answered for a write. */
export interface Written {
  etag: string;
  /** On a versioned bucket: the version this write created. */
  versionId?: string;
}

/** How the store treats `If-Match` / `If-None-Match` on PUT; `unchecked` where finding out would write. */
export type ConditionalSupport = 'honoured' | 'refused' | 'ignored' | 'unchecked';

/** The bucket, seen through the calls a deploy makes and nothing else. Keys are full keys. */
export interface ObjectStore {
  /**
   * The objects under the prefix, a page (up to 1,000) at a time in S3's key order, from just after
   * `startAfter` when given; listing.ts reads it whole or in key ranges side by side.
   */
  listPages(prefix: string, startAfter?: string): AsyncIterable<RemoteObject[]>;
  /**
   * The object's ETag and the two headers this action owns, or undefined when it is absent; with `checksums`,
   * also the SHA-256 the store keeps for it.
   */
  head(key: string, options?: { checksums?: boolean; versionId?: string }): Promise<ObjectHead | undefined>;
  get(key: string, options?: { versionId?: string }): Promise<StoredObject | undefined>;
  /** Uploads a scanned file with its headers and a SHA-256 checksum the store verifies and keeps. */
  putFile(file: SiteFile): Promise<Written>;
  /** Rewrites an object's headers in place (server-side copy): no bytes are sent. */
  copyWithHeaders(file: SiteFile): Promise<Written>;
  /**
   * Makes an earlier version of the key current again, with the given headers (a server-side copy of that
   * version onto the key: no bytes are sent). For rollback.
   */
  copyVersion(key: string, versionId: string, headers: ObjectHeaders): Promise<Written>;
  /**
   * Writes an empty object that S3's website endpoint answers with a 301 to `location`
   * (`x-amz-website-redirect-location`): a redirect for a bucket served without CloudFront.
   */
  putRedirect(key: string, location: string, headers: ObjectHeaders): Promise<Written>;
  /**
   * Writes a small object of the action's own (the deploy manifest). With a condition, the store writes only
   * if the object still has that ETag (`ifMatch`) or does not exist (`ifNoneMatch`), and otherwise throws a
   * PreconditionFailed; a store without conditional writes throws ConditionsNotSupported (or, the worst
   * kind, ignores the condition — see release.ts for how that is found out).
   */
  putObject(key: string, body: Buffer, headers: ObjectHeaders, condition?: WriteCondition): Promise<Written>;
  /** Deletes the keys; returns those the store refused, with why. */
  deleteKeys(keys: string[]): Promise<Array<{ key: string; message: string }>>;
  /**
   * Whether the store honours conditional writes, found out with `probeConditionalWrites` on `probeKey` (a
   * store that cannot write, such as a dry run's, answers `unchecked`).
   */
  conditionalWrites(probeKey: string): Promise<ConditionalSupport>;
  /**
   * How many answers so far asked to slow down (503 SlowDown, 429, and the like), retried ones included: a
   * counter that only grows, which the write window reads to back off (write-window.ts).
   */
  throttled(): number;
}

/** An ETag no object can have (ETags are hex): a write conditional on it must fail. */
const IMPOSSIBLE_ETAG = 'parlai-site-deploy-probe-no-such-etag';

/**
 * One PUT of the probe object conditional on an ETag no object has, which must fail: 412 means the store
 * honours conditions; NotImplemented that it refuses them; success that it ignores them (the probe object is
 * then deleted again). Two requests at most.
 */
export async function probeConditionalWrites(store: ObjectStore, probeKey: string): Promise<ConditionalSupport> {
  try {
    await store.putObject(
      probeKey,
      Buffer.from('probe\n'),
      { contentType: 'text/plain', cacheControl: 'no-store' },
      { ifMatch: IMPOSSIBLE_ETAG },
    );
    await store.deleteKeys([probeKey]).catch(() => undefined);
    return 'ignored';
  } catch (error) {
    if (error instanceof PreconditionFailed) return 'honoured';
    if (error instanceof ConditionsNotSupported) return 'refused';
    throw error;
  }
}

/** The CDN in front of the bucket. */
export interface Cdn {
  /** One invalidation of these paths; its ID, or undefined when nothing was sent (dry run). */
  invalidate(paths: string[], callerReference: string): Promise<string | undefined>;
  /** Waits until the invalidation has completed at every edge. */
  waitFor(invalidationId: string): Promise<void>;
}

/** What the pipeline is given: the store and the CDN, the build, the log, the clock and the job's cancellation. */
export interface Ports {
  store: ObjectStore;
  /** Absent without `distribution-id`. */
  cdn?: Cdn;
  /** The CloudFront KeyValueStore the edge answers redirects from; absent without `redirect-store-arn`. */
  redirects?: RedirectStore;
  build: Builder;
  log: Log;
  now: () => Date;
  /** Waits (between retries of a throttled invalidation); tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a throttled invalidation is retried before its paths are left pending (default 2 minutes). */
  invalidationRetryMs?: number;
  /** Called once, right before the first write (to record a GitHub deployment). */
  beforeWrite?: () => Promise<void>;
  /** Aborted when the job is cancelled: writes stop, and the claim on the prefix is let go. */
  signal?: AbortSignal;
  /** Told how many files the build has, as soon as the walk has found them (main.ts sizes V8's heap by it). */
  buildSize?: (files: number) => void;
}

/** Runs the site's build command in exactly the environment given (nothing else); resolves to its exit code. */
export type Builder = (command: string, workingDirectory: string, env: Record<string, string>) => Promise<number>;

export interface Log {
  info(line: string): void;
  warning(line: string): void;
  notice(line: string): void;
  /** A collapsible group of lines (a log group on the runner). */
  group(title: string, lines: string[]): void;
}

export type WriteCondition = { ifMatch: string } | { ifNoneMatch: '*' };

/** A conditional write was refused because its condition failed (HTTP 412, or 409 for a concurrent one). */
export class PreconditionFailed extends Error {
  constructor(key: string) {
    super(`the store refused to write ${key}: it changed since it was read`);
    this.name = 'PreconditionFailed';
  }
}

/** The store does not implement conditional writes (HTTP 501 NotImplemented, or a 400 that says so). */
export class ConditionsNotSupported extends Error {
  constructor(detail: string) {
    super(`the store does not support conditional writes (${detail})`);
    this.name = 'ConditionsNotSupported';
  }
}
