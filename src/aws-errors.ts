import { DeployError } from './errors.js';

interface AwsErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

interface Target {
  bucket: string;
  prefix: string;
  region: string;
  endpointUrl?: string;
  distributionId?: string;
}

const REJECTED_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
]);

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * An AWS SDK error as a message that says what to fix. Built from the error's code and our own inputs only:
 * never from request details, so no credential can leak into the log.
 */
export function describeAwsError(error: unknown, action: string, target: Target): DeployError {
  const shape = (error ?? {}) as AwsErrorShape;
  // Node's system errors are all named 'Error'; their errno code (ECONNREFUSED…) says more.
  const code =
    shape.Code ??
    (shape.name && shape.name !== 'Error' ? shape.name : undefined) ??
    shape.code ??
    shape.name ??
    'Error';
  const status = shape.$metadata?.httpStatusCode;
  const where =
    action === 'CreateInvalidation'
      ? `CloudFront distribution ${target.distributionId}`
      : `s3://${target.bucket}/${target.prefix}`;
  const detail = (shape.message ?? '').split(/\r?\n|\r/)[0]?.slice(0, 300) ?? '';
  let advice: string;
  if (REJECTED_CREDENTIALS.has(code)) {
    advice =
      'the AWS credentials were rejected: check the access key / secret, or the role that aws-actions/configure-aws-credentials assumes.';
  } else if (code === 'NoSuchBucket') {
    advice = `bucket '${target.bucket}' does not exist${target.endpointUrl ? ` at ${target.endpointUrl}` : ''}: check input 'bucket'.`;
  } else if (code === 'NoSuchDistribution') {
    advice = `distribution '${target.distributionId}' does not exist in this account: check input 'distribution-id'.`;
  } else if (code === 'AccessDenied' || code === 'Forbidden' || status === 403) {
    advice = `access denied: the credentials need permission for ${action} on ${where} (see examples/iam/deploy-policy.json).`;
  } else if (
    code === 'AuthorizationHeaderMalformed' ||
    code === 'IllegalLocationConstraintException' ||
    code === 'PermanentRedirect'
  ) {
    advice = `the bucket is not in region '${target.region}': set input 'region' to the bucket's region.`;
  } else if (code === 'TooManyInvalidationsInProgress') {
    advice = 'CloudFront has too many invalidations in progress for this distribution: re-run once they complete.';
  } else if (NETWORK.has(code)) {
    advice = `cannot reach ${target.endpointUrl ?? 'AWS'} (${code}): check 'endpoint-url' and the network.`;
  } else {
    advice = `${code}${status ? ` (HTTP ${status})` : ''}${detail ? `: ${detail}` : ''}`;
  }
  return new DeployError(`${action} on ${where} failed: ${advice}`, { cause: error });
}
