import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
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
import { DirectPut } from './direct-put.js';
import { FileUploads, IntegrityError } from './file-upload.js';
import { type ListingPage, leanListing } from './listing-xml.js';
import { throttlingCounter } from './throttling.js';
import {
  encodeCopySource,
  isNotFound,
  isConditionsNotSupported,
  isPreconditionFailed,
  unquote,
  versionOf,
} from './compat.js';

const DELETE_BATCH = 1000;

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

/** The ObjectStore of the pipeline, on S3 (or an S3-compatible store). Errors name the input that fixes them. */
export class S3Store implements ObjectStore {
  private readonly uploads: FileUploads;

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
    this.direct = DirectPut.for(client);
    this.uploads = new FileUploads(client, this.bucket, this.direct, signal);
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
      file.size >= PART_SIZE ? this.uploads.putMultipart(file) : this.uploads.putSingle(file),
    );
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
