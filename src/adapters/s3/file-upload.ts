import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { SiteFile } from '../../pipeline/plan.js';
import type { Written } from '../../pipeline/ports.js';
import { PART_SIZE } from '../../pipeline/scan.js';
import { PARTS_IN_FLIGHT } from './client.js';
import { acceptedMultipartEtags, etagIsOpaque, unquote, versionOf } from './compat.js';
import type { DirectPut } from './direct-put.js';

// The bytes of site files on their way to S3: single-part PUTs (direct when the route is known, else through
// the SDK) and multipart uploads from PART_SIZE up, each body checked against the scan's MD5.

/** Files up to this size are read into reused buffers (most of a site); larger ones get their own. */
const POOLED_BODY_BYTES = 1024 * 1024;
/**
 * A throttled direct PUT waits up to this before the SDK sends it again (the SDK's own retries of a throttled
 * attempt wait up to 1 s, doubling). The write window, not this wait, is what slows the deploy down.
 */
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

export class FileUploads {
  private readonly partLimit = pLimit(PARTS_IN_FLIGHT);
  private readonly bodies = new BodyBuffers();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly direct: DirectPut,
    private readonly signal?: AbortSignal,
  ) {}

  private get aborting() {
    return this.signal ? { abortSignal: this.signal } : undefined;
  }

  async putSingle(file: SiteFile): Promise<Written> {
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

  async putMultipart(file: SiteFile): Promise<Written> {
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
}
