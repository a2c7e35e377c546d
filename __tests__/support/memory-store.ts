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
  ConditionsNotSupported,
  type ObjectHead,
  type ObjectStore,
  PreconditionFailed,
  type StoredObject,
  type WriteCondition,
} from '../../src/pipeline/ports.js';
import { PART_SIZE } from '../../src/pipeline/scan.js';

export interface Version {
  versionId: string;
  /** Undefined for a delete marker. */
  body?: Buffer;
  etag: string;
  headers: ObjectHeaders;
  lastModified: Date;
}

/** `honour` as S3 does; `refuse` with 501; `ignore` silently; `none-match-only`: If-None-Match yes, If-Match 501. */
export type ConditionalMode = 'honour' | 'refuse' | 'ignore' | 'none-match-only';

export interface MemoryStoreOptions {
  conditional?: ConditionalMode;
  /** The store's clock (LastModified); defaults to the real one. */
  now?: () => Date;
  /** Called before each request: throw to inject a fault, await to delay or interleave. */
  before?: (operation: string, key: string) => void | Promise<void>;
}

function md5(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
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

  current(key: string): Version | undefined {
    const version = this.versions.get(key)?.at(-1);
    return version?.body === undefined ? undefined : version;
  }

  /** Writes a version directly (test setup: "another tool wrote this"). */
  seed(key: string, body: Buffer | string, headers: ObjectHeaders): Version {
    return this.write(key, typeof body === 'string' ? Buffer.from(body) : body, headers);
  }

  private write(key: string, body: Buffer, headers: ObjectHeaders, etag = md5(body)): Version {
    const version: Version = {
      versionId: `v${this.nextVersion++}`,
      body,
      etag,
      headers: { contentType: headers.contentType, cacheControl: headers.cacheControl },
      lastModified: this.clock(),
    };
    const list = this.versions.get(key) ?? [];
    list.push(version);
    this.versions.set(key, list);
    return version;
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

  async list(prefix: string): Promise<RemoteObject[]> {
    await this.request('ListObjectsV2', prefix);
    const objects: RemoteObject[] = [];
    for (const key of [...this.versions.keys()].sort()) {
      const version = this.current(key);
      if (!version || !key.startsWith(prefix)) continue;
      // S3 lists LastModified to the second.
      const lastModified = new Date(Math.floor(version.lastModified.getTime() / 1000) * 1000);
      objects.push({ key, etag: version.etag, size: version.body!.length, lastModified });
    }
    return objects;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    await this.request('HeadObject', key);
    const version = this.current(key);
    return version && { etag: version.etag, headers: { ...version.headers } };
  }

  async get(key: string): Promise<StoredObject | undefined> {
    await this.request('GetObject', key);
    const version = this.current(key);
    return version && { body: Buffer.from(version.body!), etag: version.etag };
  }

  async putFile(file: SiteFile): Promise<string> {
    await this.request('PutObject', file.key);
    const body = readFileSync(file.absolutePath);
    if (md5(body) !== file.md5) throw new Error(`BadDigest: ${file.key} changed since it was scanned`);
    return this.write(file.key, body, file.headers, body.length >= PART_SIZE ? multipartEtag(body) : md5(body)).etag;
  }

  async copyWithHeaders(file: SiteFile): Promise<string> {
    await this.request('CopyObject', file.key);
    const source = this.current(file.key);
    if (!source) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    return this.write(file.key, source.body!, file.headers, source.etag).etag;
  }

  async putObject(key: string, body: Buffer, headers: ObjectHeaders, condition?: WriteCondition): Promise<string> {
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
    return this.write(key, Buffer.from(body), headers).etag;
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
