// What S3-compatible stores do differently from S3, in one place.

/** ETags come quoted, sometimes weak (`W/"…"`); the pipeline compares them bare. */
export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
}

/**
 * CopyObject's source, percent-encoded per segment as S3 expects. (s3rver decodes it with decodeURI, which
 * leaves `+ = &` mangled; AWS, MinIO and R2 accept it as sent.)
 */
export function encodeCopySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Absent: S3 says NoSuchKey on GET and a bare 404 (NotFound) on HEAD. */
export function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/**
 * A conditional write lost: 412 PreconditionFailed; 409 ConditionalRequestConflict when a concurrent
 * conditional write to the same key won; 404 for `If-Match` on an object that is gone; 304, which older
 * MinIO versions answered to a failed `If-None-Match`.
 */
export function isPreconditionFailed(error: unknown, conditional: 'ifMatch' | 'ifNoneMatch'): boolean {
  const name = (error as { name?: string }).name;
  const status = statusOf(error);
  if (status === 412 || status === 409 || status === 304) return true;
  if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict') return true;
  return conditional === 'ifMatch' && (status === 404 || name === 'NoSuchKey');
}

/**
 * The store does not implement conditional writes: 501 NotImplemented (Backblaze B2, Aliyun OSS), or a 400
 * whose code or message names NotImplemented or the header (older Ceph and MinIO).
 */
export function isConditionsNotSupported(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  if (statusOf(error) === 501 || name === 'NotImplemented') return true;
  return statusOf(error) === 400 && /NotImplemented|If-(None-)?Match/i.test(`${name ?? ''} ${message ?? ''}`);
}

/**
 * The ETag is the MD5 of the bytes only for plain and SSE-S3 objects; with SSE-KMS (or SSE-C) it is opaque,
 * and S3's own Content-MD5 check is what vouches for the bytes.
 */
export function etagIsOpaque(serverSideEncryption: string | undefined): boolean {
  return serverSideEncryption === 'aws:kms' || serverSideEncryption === 'aws:kms:dsse';
}

/**
 * The ETags a multipart upload may come back with: AWS's md5-of-part-md5s-N, or — s3rver and some other
 * servers — the plain MD5 of the whole object. Both prove the bytes.
 */
export function acceptedMultipartEtags(multipartEtag: string | undefined, md5: string): string[] {
  return [multipartEtag ?? '', md5].filter(Boolean);
}

/** S3 names no version (`null`, or nothing) on an unversioned bucket. */
export function versionOf(versionId: string | undefined): { versionId?: string } {
  return versionId && versionId !== 'null' ? { versionId } : {};
}
