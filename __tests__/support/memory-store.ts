// An in-memory bucket that follows the S3 API reference where s3rver does not: conditional writes (412 on a
// failed If-Match / If-None-Match: *, checked and applied atomically), a new VersionId per write, delete
// markers, LastModified per write. It implements the pipeline's ObjectStore port, so scenario tests run the
// whole pipeline in-process in milliseconds. `conditional` makes it behave like the stores that refuse
// conditional writes (501) or silently ignore them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ObjectHeaders } from '../../src/pipeline/headers.js';
import type { RemoteObject, SiteFile } from '../../src/pipeline/plan.js';
import {
  type Cdn,
  type ConditionalSupport,
  ConditionsNotSupported,
  type ObjectHead,
  type ObjectStore,
  PreconditionFailed,
  type StoredObject,
  type WriteCondition,
  type Written,
  probeConditionalWrites,
} from '../../src/pipeline/ports.js';
import { PART_SIZE } from '../../src/pipeline/scan.js';
import { type RedirectStore, RedirectStoreConflict } from '../../src/pipeline/redirects.js';

export interface Version {
  versionId: string;
  /** Undefined for a delete marker. */
  body?: Buffer;
  etag: string;
  headers: ObjectHeaders;
  lastModified: Date;
  /** The SHA-256 the store keeps (base64; `…-N` for a multipart write), when the write sent one. */
  checksumSha256?: string;
  /** `x-amz-website-redirect-location`, for a website redirect object. */
  redirectLocation?: string;
}

/** `honour` as S3 does; `refuse` with 501; `ignore` silently; `none-match-only`: If-None-Match yes, If-Match 501. */
export type ConditionalMode = 'honour' | 'refuse' | 'ignore' | 'none-match-only';

export interface MemoryStoreOptions {
  conditional?: ConditionalMode;
  /** ETags that are not MD5s, as with SSE-KMS: each write gets a random one. */
  opaqueEtags?: boolean;
  /** An unversioned bucket: no VersionId is returned, and a write replaces the object. */
  unversioned?: boolean;
  /** The store's clock (LastModified); defaults to the real one. */
  now?: () => Date;
  /** Keys per listing page (S3: 1,000). */
  pageSize?: number;
  /** Answers every listing from the start, as a store that ignores `StartAfter` would. */
  ignoreStartAfter?: boolean;
  /** Called before each request: throw to inject a fault, await to delay or interleave. */
  before?: (operation: string, key: string) => void | Promise<void>;
}

/** S3's key order, computed the plain way (not with the pipeline's compareKeys, which tests check against it). */
function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function md5(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

/** S3's composite SHA-256 of a multipart upload in PART_SIZE parts. */
function multipartSha256(body: Buffer): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += PART_SIZE) {
    digests.push(
      createHash('sha256')
        .update(body.subarray(offset, offset + PART_SIZE))
        .digest(),
    );
  }
  return `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-${digests.length}`;
}

/** S3's ETag of a multipart upload in PART_SIZE parts. */
function multipartEtag(body: Buffer): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += PART_SIZE) {
    digests.push(
      createHash('md5')
        .update(body.subarray(offset, offset + PART_SIZE))
        .digest(),
    );
  }
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
}

export class MemoryStore implements ObjectStore {
  /** Every version of every key, oldest first; the last one is current (a delete marker means absent). */
  readonly versions = new Map<string, Version[]>();
  /** Requests in order, as `Operation key`. */
  readonly requests: string[] = [];
  /** Answers that asked to slow down (a test's `before` hook raises it to play a throttling store). */
  throttles = 0;
  private nextVersion = 1;
  private readonly conditional: ConditionalMode;
  private readonly clock: () => Date;

  constructor(private readonly options: MemoryStoreOptions = {}) {
    this.conditional = options.conditional ?? 'honour';
    this.clock = options.now ?? (() => new Date());
  }

  private async request(operation: string, key: string): Promise<void> {
    this.requests.push(`${operation} ${key}`);
    await this.options.before?.(operation, key);
  }

  throttled(): number {
    return this.throttles;
  }

  current(key: string): Version | undefined {
    const version = this.versions.get(key)?.at(-1);
    return version?.body === undefined ? undefined : version;
  }

  /** Writes a version directly (test setup: "another tool wrote this"); `etag` as another tool's upload left it. */
  seed(key: string, body: Buffer | string, headers: ObjectHeaders, etag?: string): Version {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return this.write(key, bytes, headers, etag ?? md5(bytes));
  }

  private write(key: string, body: Buffer, headers: ObjectHeaders, etag = md5(body), checksumSha256?: string): Version {
    const version: Version = {
      versionId: `v${this.nextVersion++}`,
      body,
      etag: this.options.opaqueEtags ? createHash('md5').update(`${Math.random()}`).digest('hex') : etag,
      headers: { contentType: headers.contentType, cacheControl: headers.cacheControl },
      lastModified: this.clock(),
      ...(checksumSha256 ? { checksumSha256 } : {}),
    };
    const list = this.options.unversioned ? [] : (this.versions.get(key) ?? []);
    list.push(version);
    this.versions.set(key, list);
    return version;
  }

  private written(version: Version): Written {
    return this.options.unversioned ? { etag: version.etag } : { etag: version.etag, versionId: version.versionId };
  }

  /** The current keys and their bodies as text, for comparing a bucket with a build. */
  contents(prefix = ''): Record<string, string> {
    const result: Record<string, string> = {};
    for (const key of [...this.versions.keys()].sort()) {
      const version = this.current(key);
      if (version && key.startsWith(prefix)) result[key] = version.body!.toString('utf8');
    }
    return result;
  }

  count(operation: string): number {
    return this.requests.filter((request) => request.startsWith(`${operation} `)).length;
  }

  /** S3's listing: pages in UTF-8 byte order, each from after the previous page's last key. */
  async *listPages(prefix: string, startAfter?: string): AsyncIterable<RemoteObject[]> {
    const pageSize = this.options.pageSize ?? 1000;
    let after = this.options.ignoreStartAfter ? undefined : startAfter;
    for (;;) {
      await this.request('ListObjectsV2', after === undefined ? prefix : `${prefix} after ${after}`);
      const keys = [...this.versions.keys()]
        .filter((key) => key.startsWith(prefix) && this.current(key) !== undefined)
        .sort(utf8Order)
        .filter((key) => after === undefined || utf8Order(key, after) > 0);
      const page = keys.slice(0, pageSize).map((key) => {
        const version = this.current(key)!;
        // S3 lists LastModified to the second.
        const lastModified = new Date(Math.floor(version.lastModified.getTime() / 1000) * 1000);
        return { key, etag: version.etag, size: version.body!.length, lastModified };
      });
      yield page;
      if (keys.length <= pageSize) return;
      after = page[page.length - 1]!.key;
    }
  }

  async head(key: string, options: { checksums?: boolean; versionId?: string } = {}): Promise<ObjectHead | undefined> {
    await this.request(options.checksums ? 'HeadObject(checksums)' : 'HeadObject', key);
    const version = options.versionId ? this.version(key, options.versionId) : this.current(key);
    if (!version) return undefined;
    return {
      etag: version.etag,
      headers: { ...version.headers },
      ...(this.options.unversioned ? {} : { versionId: version.versionId }),
      ...(options.checksums && version.checksumSha256 ? { checksumSha256: version.checksumSha256 } : {}),
      ...(version.redirectLocation !== undefined ? { redirectLocation: version.redirectLocation } : {}),
    };
  }

  async get(key: string, options: { versionId?: string } = {}): Promise<StoredObject | undefined> {
    await this.request('GetObject', key);
    const version = options.versionId ? this.version(key, options.versionId) : this.current(key);
    if (!version?.body) return undefined;
    return {
      body: Buffer.from(version.body),
      etag: version.etag,
      ...(this.options.unversioned ? {} : { versionId: version.versionId }),
    };
  }

  async putFile(file: SiteFile): Promise<Written> {
    await this.request('PutObject', file.key);
    const body = readFileSync(file.absolutePath);
    if (md5(body) !== file.md5) throw new Error(`BadDigest: ${file.key} changed since it was scanned`);
    const multipart = body.length >= PART_SIZE;
    return this.written(
      this.write(
        file.key,
        body,
        file.headers,
        multipart ? multipartEtag(body) : md5(body),
        multipart ? multipartSha256(body) : sha256(body),
      ),
    );
  }

  async copyWithHeaders(file: SiteFile): Promise<Written> {
    await this.request('CopyObject', file.key);
    const source = this.current(file.key);
    if (!source) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    // S3 gives a copy a full-object checksum when asked (the action asks for SHA-256) and its MD5 as ETag.
    return this.written(this.write(file.key, source.body!, file.headers, md5(source.body!), sha256(source.body!)));
  }

  /** A version that exists and is not a delete marker. */
  version(key: string, versionId: string): Version | undefined {
    const version = this.versions.get(key)?.find((candidate) => candidate.versionId === versionId);
    return version?.body === undefined ? undefined : version;
  }

  /** Removes a noncurrent version, as a lifecycle rule that expires noncurrent versions does. */
  expire(key: string, versionId: string): void {
    const list = this.versions.get(key) ?? [];
    this.versions.set(
      key,
      list.filter((version) => version.versionId !== versionId),
    );
  }

  async copyVersion(key: string, versionId: string, headers: ObjectHeaders): Promise<Written> {
    await this.request('CopyObject(version)', key);
    const source = this.version(key, versionId);
    if (!source) throw Object.assign(new Error('NoSuchVersion'), { name: 'NoSuchVersion' });
    return this.written(this.write(key, source.body!, headers, md5(source.body!), sha256(source.body!)));
  }

  async putRedirect(key: string, location: string, headers: ObjectHeaders): Promise<Written> {
    await this.request('PutObject(redirect)', key);
    const version = this.write(key, Buffer.alloc(0), headers);
    version.redirectLocation = location;
    return this.written(version);
  }

  conditionalWrites(probeKey: string): Promise<ConditionalSupport> {
    return probeConditionalWrites(this, probeKey);
  }

  async putObject(key: string, body: Buffer, headers: ObjectHeaders, condition?: WriteCondition): Promise<Written> {
    await this.request(condition ? 'PutObject(conditional)' : 'PutObject', key);
    const refuses =
      this.conditional === 'refuse' || (this.conditional === 'none-match-only' && condition && 'ifMatch' in condition);
    if (condition && refuses) throw new ConditionsNotSupported('NotImplemented, HTTP 501');
    if (condition && this.conditional !== 'ignore') {
      // Checked and written with no await in between: atomic, as S3 is.
      const etag = this.current(key)?.etag;
      if ('ifNoneMatch' in condition && etag !== undefined) throw new PreconditionFailed(key);
      if ('ifMatch' in condition && etag !== condition.ifMatch) throw new PreconditionFailed(key);
    }
    return this.written(this.write(key, Buffer.from(body), headers));
  }

  async deleteKeys(keys: string[]): Promise<Array<{ key: string; message: string }>> {
    await this.request('DeleteObjects', keys.join(','));
    for (const key of keys) {
      if (!this.versions.has(key)) continue;
      this.versions.get(key)!.push({
        versionId: `v${this.nextVersion++}`,
        etag: '',
        headers: { contentType: '', cacheControl: '' },
        lastModified: this.clock(),
      });
    }
    return [];
  }
}

/** A CDN that records invalidations; `fail` makes the next calls fail with that error code. */
export class MemoryCdn implements Cdn {
  readonly invalidations: string[][] = [];
  failures: string[] = [];

  async invalidate(paths: string[]): Promise<string> {
    const code = this.failures.shift();
    if (code) throw Object.assign(new Error(`CloudFront ${code}`), { name: 'ServiceError', code });
    this.invalidations.push([...paths].sort());
    return `IMEM${this.invalidations.length}`;
  }

  async waitFor(): Promise<void> {}
}

/** A RedirectStore in memory with ETag semantics; `interfere` runs before an update (another writer). */
export class MemoryRedirectStore implements RedirectStore {
  version = 1;
  reads = 0;
  updates: Array<{ etag: string; put: string[]; del: string[] }> = [];
  interfere?: (store: MemoryRedirectStore) => void;
  /** Where updates are also recorded (e.g. a MemoryStore's `requests`, to see the order of both). */
  events?: string[];
  /** Fail the next updates with this error. */
  failures: Error[] = [];
  constructor(readonly entries = new Map<string, string>()) {}
  get etag(): string {
    return `E${this.version}`;
  }
  async read() {
    this.reads++;
    return { etag: this.etag, entries: new Map(this.entries) };
  }
  async update(etag: string, put: Array<{ key: string; value: string }>, del: string[]) {
    this.interfere?.(this);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.events?.push(`UpdateKeys ${[...put.map((p) => p.key), ...del.map((key) => `-${key}`)].join(',')}`);
    this.updates.push({ etag, put: put.map((p) => p.key), del });
    if (etag !== this.etag) throw new RedirectStoreConflict(`ETag ${etag} is not ${this.etag}`);
    for (const { key, value } of put) this.entries.set(key, value);
    for (const key of del) this.entries.delete(key);
    this.version++;
    return this.etag;
  }
}
