import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { ObjectHeaders } from '../../pipeline/headers.js';
import type { RemoteObject, SiteFile } from '../../pipeline/plan.js';
import {
  type ConditionalSupport,
  ConditionsNotSupported,
  type ObjectHead,
  type ObjectStore,
  PreconditionFailed,
  type StoredObject,
  type WriteCondition,
  type Written,
  probeConditionalWrites,
} from '../../pipeline/ports.js';
import { MAX_MANIFEST_BYTES } from '../../pipeline/manifest.js';
import { PART_SIZE } from '../../pipeline/scan.js';
import { type S3Target, describeS3Error, errorCode, httpStatus, serviceDetail } from '../aws-errors.js';
import { PARTS_IN_FLIGHT, agentsOf } from './client.js';
import { DirectPut } from './direct-put.js';
import { type ListingPage, leanListing } from './listing-xml.js';
import { throttlingCounter } from './throttling.js';
import {
  acceptedMultipartEtags,
  encodeCopySource,
  etagIsOpaque,
  isNotFound,
  isConditionsNotSupported,
  isPreconditionFailed,
  unquote,
} from './compat.js';

/** Files up to this size are read into reused buffers (most of a site); larger ones get their own. */
const POOLED_BODY_BYTES = 1024 * 1024;
const DELETE_BATCH = 1000;
/** The SDK's standard retry delay base: a throttled direct PUT waits up to this before the SDK sends it. */
const THROTTLED_RETRY_MS = 100;

export class IntegrityError extends Error {}

/** Body buffers for single-part uploads, reused across files so a deploy of 50,000 files allocates a handful. */
class BodyBuffers {
  private readonly free: Buffer[] = [];

  take(size: number): Buffer {
    if (size > POOLED_BODY_BYTES) return Buffer.allocUnsafe(size);
    return this.free.pop() ?? Buffer.allocUnsafe(POOLED_BODY_BYTES);
  }

  give(buffer: Buffer): void {
    if (buffer.length === POOLED_BODY_BYTES) this.free.push(buffer);
  }
}

/** A listing page as the SDK read it (when the lean reader did not recognise the body). */
function sdkPage(output: ListObjectsV2CommandOutput): ListingPage {
  const objects: RemoteObject[] = [];
  for (const object of output.Contents ?? []) {
    if (object.Key === undefined) continue;
    objects.push({
      key: object.Key,
      etag: unquote(object.ETag),
      size: object.Size ?? 0,
      lastModified: object.LastModified,
    });
  }
  return { objects, truncated: output.IsTruncated === true, nextToken: output.NextContinuationToken };
}

/** S3 names no version (`null`, or nothing) on an unversioned bucket. */
function versionOf(versionId: string | undefined): { versionId?: string } {
  return versionId && versionId !== 'null' ? { versionId } : {};
}

/** Reads exactly `size` bytes of a file into `buffer`; fewer means the file changed since it was scanned. */
function readInto(absolutePath: string, buffer: Buffer, size: number): number {
  const descriptor = openSync(absolutePath, 'r');
  try {
    let total = 0;
    for (;;) {
      const bytesRead = readSync(descriptor, buffer, total, Math.min(buffer.length, size + 1) - total, null);
      if (bytesRead === 0) return total;
      total += bytesRead;
      if (total > size || total === buffer.length) return total;
    }
  } finally {
    closeSync(descriptor);
  }
}

/** The ObjectStore of the pipeline, on S3 (or an S3-compatible store). Errors name the input that fixes them. */
export class S3Store implements ObjectStore {
  private readonly partLimit = pLimit(PARTS_IN_FLIGHT);
  private readonly bodies = new BodyBuffers();

  readonly bucket: string;
  private readonly throttledCount: () => number;
  /** Single-part PUTs of site files, without the SDK's per-request work (direct-put.ts). */
  readonly direct: DirectPut;

  constructor(
    readonly client: S3Client,
    private readonly target: S3Target,
    /** Aborts the uploads and copies in flight when the job is cancelled (the manifest writes go on). */
    private readonly signal?: AbortSignal,
  ) {
    this.bucket = target.bucket;
    this.throttledCount = throttlingCounter(client);
    this.direct = DirectPut.for(client, agentsOf(client));
  }

  /** Attempts the store throttled: the SDK's (retries included) and the direct PUTs'. */
  throttled(): number {
    return this.throttledCount() + this.direct.stats.throttled;
  }

  private get aborting() {
    return this.signal ? { abortSignal: this.signal } : undefined;
  }

  /** Runs one call; an SDK error becomes a ServiceError that says what to fix. */
  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof IntegrityError) throw error;
      throw describeS3Error(error, action, this.target);
    }
  }

  /** The listing under the prefix, one ListObjectsV2 page after another (from `startAfter`, when given). */
  async *listPages(prefix: string, startAfter?: string): AsyncIterable<RemoteObject[]> {
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix || undefined,
        ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
      });
      const lean: { page?: ListingPage } = {};
      command.middlewareStack.add(leanListing(lean), { step: 'deserialize', priority: 'low', name: 'leanListing' });
      const output: ListObjectsV2CommandOutput = await this.call('ListObjectsV2', () => this.client.send(command));
      const page = lean.page ?? sdkPage(output);
      yield page.objects;
      // A store that says truncated but gives no token would be listed again from the start: stop instead.
      token = page.truncated ? page.nextToken : undefined;
    } while (token);
  }

  /** One HEAD: the object's ETag and the two headers this action owns, or undefined when it is absent. */
  async head(key: string, options: { checksums?: boolean; versionId?: string } = {}): Promise<ObjectHead | undefined> {
    return this.call('HeadObject', async () => {
      try {
        const head = await this.client.send(
          new HeadObjectCommand({
            Bucket: this.bucket,
            Key: key,
            VersionId: options.versionId,
            ...(options.checksums ? { ChecksumMode: 'ENABLED' as const } : {}),
          }),
        );
        return {
          etag: unquote(head.ETag),
          headers: { contentType: head.ContentType ?? '', cacheControl: head.CacheControl ?? '' },
          ...versionOf(head.VersionId),
          ...(head.ChecksumSHA256 ? { checksumSha256: head.ChecksumSHA256 } : {}),
          ...(head.WebsiteRedirectLocation ? { redirectLocation: head.WebsiteRedirectLocation } : {}),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async get(key: string, options: { versionId?: string } = {}): Promise<StoredObject | undefined> {
    return this.call('GetObject', async () => {
      try {
        const response = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: options.versionId }),
        );
        // The manifest can be forged by anyone who can write the bucket: never read an unbounded body.
        if ((response.ContentLength ?? 0) > MAX_MANIFEST_BYTES) {
          response.Body?.transformToWebStream()
            .cancel()
            .catch(() => undefined);
          return { body: Buffer.alloc(0), etag: unquote(response.ETag), tooLarge: true };
        }
        const body = Buffer.from(await response.Body!.transformToByteArray());
        return { body, etag: unquote(response.ETag), ...versionOf(response.VersionId) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  /**
   * Uploads a file (in parts from PART_SIZE up) and returns the ETag S3 recorded. The Content-MD5 is the
   * scan's: a file that changed on disk since the scan is refused by S3 (or by the ETag check), not stored
   * as if it were the file that was planned.
   */
  async putFile(file: SiteFile): Promise<Written> {
    return this.call(file.size >= PART_SIZE ? 'multipart upload' : 'PutObject', () =>
      file.size >= PART_SIZE ? this.putMultipart(file) : this.putSingle(file),
    );
  }

  private async putSingle(file: SiteFile): Promise<Written> {
    const buffer = this.bodies.take(file.size + 1);
    try {
      const read = readInto(file.absolutePath, buffer, file.size);
      if (read !== file.size) {
        throw new IntegrityError(
          `${file.relativePath} changed on disk after it was scanned (now ${read > file.size ? 'longer' : `${read} bytes`}, was ${file.size}): is the build still writing?`,
        );
      }
      const body = buffer.subarray(0, file.size);
      const md5 = Buffer.from(file.md5, 'hex');
      const sha256 = createHash('sha256').update(body).digest();
      const answer = await this.direct.put(
        this.bucket,
        { key: file.key, body, md5, sha256, ...file.headers },
        this.signal,
      );
      if (answer?.stored) {
        const etag = this.checkStored(file, unquote(answer.etag), answer.serverSideEncryption, [file.md5]);
        return { etag, ...versionOf(answer.versionId) };
      }
      // Not sent directly (no route yet) or not stored: the SDK sends it, with its retries and error names.
      // After a slow-down answer, wait as the SDK's first retry would instead of asking again at once.
      if (answer?.throttled) await setTimeout(Math.random() * THROTTLED_RETRY_MS).catch(() => undefined);
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: file.key,
          Body: body,
          ContentLength: file.size,
          ContentMD5: md5.toString('base64'),
          // Kept by S3 with the object: what proves its bytes later where the ETag cannot (SSE-KMS). The
          // algorithm is named as well: some stores (moto) keep a precomputed checksum only then.
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: sha256.toString('base64'),
          ContentType: file.headers.contentType,
          CacheControl: file.headers.cacheControl,
        }),
        this.aborting,
      );
      const etag = this.checkStored(file, unquote(response.ETag), response.ServerSideEncryption, [file.md5]);
      return { etag, ...versionOf(response.VersionId) };
    } finally {
      this.bodies.give(buffer);
    }
  }

  private async putMultipart(file: SiteFile): Promise<Written> {
    const created = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: file.key,
        ContentType: file.headers.contentType,
        CacheControl: file.headers.cacheControl,
        ChecksumAlgorithm: 'SHA256',
      }),
      this.aborting,
    );
    const uploadId = created.UploadId!;
    const handle = await open(file.absolutePath, 'r');
    try {
      const partCount = Math.ceil(file.size / PART_SIZE);
      const settled = await Promise.allSettled(
        Array.from({ length: partCount }, (_, index) =>
          this.partLimit(async () => {
            const offset = index * PART_SIZE;
            const length = Math.min(PART_SIZE, file.size - offset);
            const body = Buffer.alloc(length);
            const { bytesRead } = await handle.read(body, 0, length, offset);
            if (bytesRead !== length)
              throw new IntegrityError(`${file.relativePath} got shorter while it was uploaded`);
            const md5 = createHash('md5').update(body).digest();
            const sha256 = createHash('sha256').update(body).digest('base64');
            const response = await this.client.send(
              new UploadPartCommand({
                Bucket: this.bucket,
                Key: file.key,
                UploadId: uploadId,
                PartNumber: index + 1,
                Body: body,
                ContentLength: length,
                ContentMD5: md5.toString('base64'),
                ChecksumAlgorithm: 'SHA256',
                ChecksumSHA256: sha256,
              }),
              this.aborting,
            );
            return { PartNumber: index + 1, ETag: response.ETag, ChecksumSHA256: sha256 };
          }),
        ),
      );
      const failure = settled.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      const parts = settled.map(
        (result) =>
          (result as PromiseFulfilledResult<{ PartNumber: number; ETag?: string; ChecksumSHA256: string }>).value,
      );
      const completed = await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: file.key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      const etag = this.checkStored(
        file,
        unquote(completed.ETag),
        completed.ServerSideEncryption,
        acceptedMultipartEtags(file.multipartEtag, file.md5),
      );
      return { etag, ...versionOf(completed.VersionId) };
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: file.key, UploadId: uploadId }))
        .catch(() => undefined); // the bucket's lifecycle rule cleans up what an abort could not
      throw error;
    } finally {
      await handle.close();
    }
  }

  /**
   * S3 rejects a body that does not match its Content-MD5; a server that ignores Content-MD5 is caught here,
   * by the ETag it computed. (With SSE-KMS or SSE-C the ETag is not an MD5, and S3's own check stands.)
   */
  private checkStored(file: SiteFile, etag: string, encryption: string | undefined, expected: string[]): string {
    if (!etagIsOpaque(encryption) && !expected.includes(etag)) {
      throw new IntegrityError(
        `${file.key}: the server stored other bytes than were scanned (ETag ${etag}, expected ${expected.filter(Boolean).join(' or ')}): the file changed on disk during the deploy, or was corrupted on the way.`,
      );
    }
    return etag;
  }

  /** Rewrites an object's headers in place (server-side copy onto itself): no bytes are sent. */
  async copyWithHeaders(file: SiteFile): Promise<Written> {
    const response = await this.call('CopyObject', () =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: file.key,
          CopySource: encodeCopySource(this.bucket, file.key),
          MetadataDirective: 'REPLACE',
          ContentType: file.headers.contentType,
          CacheControl: file.headers.cacheControl,
          // The copy gets S3's own SHA-256 of its bytes (see putSingle).
          ChecksumAlgorithm: 'SHA256',
        }),
        this.aborting,
      ),
    );
    return { etag: unquote(response.CopyObjectResult?.ETag), ...versionOf(response.VersionId) };
  }

  /** Makes an earlier version current again: a server-side copy of `key?versionId=…` onto `key`. */
  async copyVersion(key: string, versionId: string, headers: ObjectHeaders): Promise<Written> {
    const response = await this.call('CopyObject', () =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: `${encodeCopySource(this.bucket, key)}?versionId=${encodeURIComponent(versionId)}`,
          MetadataDirective: 'REPLACE',
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
          ChecksumAlgorithm: 'SHA256',
        }),
        this.aborting,
      ),
    );
    return { etag: unquote(response.CopyObjectResult?.ETag), ...versionOf(response.VersionId) };
  }

  conditionalWrites(probeKey: string): Promise<ConditionalSupport> {
    return probeConditionalWrites(this, probeKey);
  }

  /** An empty object the website endpoint answers with a 301 to `location`. */
  async putRedirect(key: string, location: string, headers: ObjectHeaders): Promise<Written> {
    const body = Buffer.alloc(0);
    const response = await this.call('PutObject', () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: 0,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
          WebsiteRedirectLocation: location,
        }),
        this.aborting,
      ),
    );
    return { etag: unquote(response.ETag), ...versionOf(response.VersionId) };
  }

  /** One PUT of a small object of the action's own, conditional when asked (see ObjectStore.putObject). */
  async putObject(key: string, body: Buffer, headers: ObjectHeaders, condition?: WriteCondition): Promise<Written> {
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
          ...(condition && 'ifMatch' in condition ? { IfMatch: `"${condition.ifMatch}"` } : {}),
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
        }),
      );
      return { etag: unquote(response.ETag), ...versionOf(response.VersionId) };
    } catch (error) {
      if (condition) {
        if (isPreconditionFailed(error, 'ifMatch' in condition ? 'ifMatch' : 'ifNoneMatch')) {
          throw new PreconditionFailed(key);
        }
        if (isConditionsNotSupported(error)) {
          throw new ConditionsNotSupported(
            `${errorCode(error)}${httpStatus(error) ? `, HTTP ${httpStatus(error)}` : ''}`,
          );
        }
      }
      throw describeS3Error(error, 'PutObject', this.target);
    }
  }

  /** DeleteObjects, up to 1,000 keys a call. Returns the keys S3 could not delete, with why. */
  async deleteKeys(keys: string[]): Promise<Array<{ key: string; message: string }>> {
    const failed: Array<{ key: string; message: string }> = [];
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const response = await this.call('DeleteObjects', () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
      for (const error of response.Errors ?? []) {
        failed.push({ key: error.Key ?? '?', message: `${error.Code ?? 'Error'}: ${serviceDetail(error)}`.trim() });
      }
    }
    return failed;
  }
}
