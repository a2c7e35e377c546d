import { ServiceError } from '../shared/errors.js';

// AWS SDK errors as messages that say which service failed and which input can fix it. Built from the
// error's code, its HTTP status and our own inputs — never from request details, so no credential can leak —
// plus the service's own message, cut to one bounded line without control characters.

interface AwsErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  /** DeleteObjects reports per-key errors with capitalised fields. */
  Message?: string;
  $metadata?: { httpStatusCode?: number };
}

export interface S3Target {
  bucket: string;
  prefix: string;
  region: string;
  endpointUrl?: string;
}

/** Error codes meaning the credentials were rejected (any AWS service). */
export const REJECTED_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
]);

/** Error codes meaning the service could not be reached. */
export const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
]);

const CREDENTIALS_ADVICE =
  'the AWS credentials were rejected: check the access key / secret, or the role that aws-actions/configure-aws-credentials assumes.';

/** The error's code: the SDK puts it in `name`; Node's system errors (all named 'Error') in `code`. */
export function errorCode(error: unknown): string {
  const shape = (error ?? {}) as AwsErrorShape;
  return (
    shape.Code ?? (shape.name && shape.name !== 'Error' ? shape.name : undefined) ?? shape.code ?? shape.name ?? 'Error'
  );
}

export function httpStatus(error: unknown): number | undefined {
  return ((error ?? {}) as AwsErrorShape).$metadata?.httpStatusCode;
}

/** The service's message as one bounded line of printable text. */
export function serviceDetail(error: unknown, max = 300): string {
  const shape = (error ?? {}) as AwsErrorShape;
  const message = shape.message ?? shape.Message ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const line = (message.split(/\r?\n|\r/)[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function fallbackAdvice(error: unknown): string {
  const code = errorCode(error);
  const status = httpStatus(error);
  const detail = serviceDetail(error);
  return `${code}${status ? ` (HTTP ${status})` : ''}${detail && detail !== code ? `: ${detail}` : ''}`;
}

/** An S3 error: names the bucket, and the input that fixes it (bucket, region, endpoint-url, credentials). */
export function describeS3Error(error: unknown, action: string, target: S3Target): ServiceError {
  const code = errorCode(error);
  const status = httpStatus(error);
  const where = `s3://${target.bucket}/${target.prefix}`;
  let advice: string;
  if (REJECTED_CREDENTIALS.has(code)) advice = CREDENTIALS_ADVICE;
  else if (code === 'NoSuchBucket') {
    advice = `bucket '${target.bucket}' does not exist${target.endpointUrl ? ` at ${target.endpointUrl}` : ''}: check input 'bucket'.`;
  } else if (code === 'AccessDenied' || code === 'Forbidden' || status === 403) {
    advice = `access denied: the credentials need permission for ${action} on ${where} (see examples/iam/deploy-policy.json).`;
  } else if (
    code === 'AuthorizationHeaderMalformed' ||
    code === 'IllegalLocationConstraintException' ||
    code === 'PermanentRedirect'
  ) {
    advice = `the bucket is not in region '${target.region}': set input 'region' to the bucket's region.`;
  } else if (NETWORK.has(code)) {
    advice = `cannot reach ${target.endpointUrl ?? 'S3'} (${code}): check 'endpoint-url' and the network.`;
  } else advice = fallbackAdvice(error);
  return new ServiceError(`S3 ${action} on ${where} failed: ${advice}`, code, { cause: error });
}

/** A CloudFront error: names the distribution and 'distribution-id'; never the S3 endpoint. */
export function describeCloudFrontError(error: unknown, action: string, distributionId: string): ServiceError {
  const code = errorCode(error);
  const status = httpStatus(error);
  const where = `distribution ${distributionId}`;
  let advice: string;
  if (REJECTED_CREDENTIALS.has(code)) advice = CREDENTIALS_ADVICE;
  else if (code === 'NoSuchDistribution') {
    advice = `distribution '${distributionId}' does not exist in this account: check input 'distribution-id'.`;
  } else if (code === 'AccessDenied' || code === 'Forbidden' || status === 403) {
    advice = `access denied: the credentials need cloudfront:${action} on distribution '${distributionId}' (see examples/iam/deploy-policy.json), or 'distribution-id' names another account's distribution.`;
  } else if (code === 'TooManyInvalidationsInProgress') {
    advice = 'CloudFront has too many invalidations in progress for this distribution: re-run once they complete.';
  } else if (NETWORK.has(code)) {
    advice = `cannot reach the CloudFront API (${code}): check the network (or AWS_ENDPOINT_URL_CLOUDFRONT, if set).`;
  } else advice = fallbackAdvice(error);
  return new ServiceError(`CloudFront ${action} on ${where} failed: ${advice}`, code, { cause: error });
}
