import { describe, expect, it } from '@jest/globals';
import { describeCloudFrontError, describeS3Error } from '../../src/adapters/aws-errors.js';
import { ServiceError } from '../../src/shared/errors.js';

const TARGET = { bucket: 'parl.ai', prefix: 'pr-42/', region: 'us-east-1', distributionId: 'E2QWRUHAPOMQZL' };
const CUSTOM = { ...TARGET, endpointUrl: 'http://127.0.0.1:9000' };

/** S3 errors name the bucket; CloudFront's (CreateInvalidation) the distribution. */
function describeAwsError(error: unknown, action: string, target: typeof CUSTOM | typeof TARGET): ServiceError {
  return action === 'CreateInvalidation'
    ? describeCloudFrontError(error, action, target.distributionId)
    : describeS3Error(error, action, target);
}

/** An AWS SDK v3 service exception as the SDK shapes it: `name` is the error code. */
function awsError(
  name: string,
  message = `${name} message`,
  status?: number,
  extra: Record<string, unknown> = {},
): Error {
  const error = new Error(message) as Error & Record<string, unknown>;
  error.name = name;
  if (status !== undefined) error.$metadata = { httpStatusCode: status };
  Object.assign(error, extra);
  return error;
}

/** A Node system error: `name` is always 'Error', the code is in `code`. */
function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code, errno: -111, syscall: 'connect' });
}

describe('describeAwsError', () => {
  it.each([
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'ExpiredToken',
    'InvalidToken',
    'TokenRefreshRequired',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'AuthFailure',
  ])('%s: the credentials were rejected', (code) => {
    const error = describeAwsError(awsError(code, 'x', 403), 'PutObject', TARGET);
    expect(error.message).toBe(
      'S3 PutObject on s3://parl.ai/pr-42/ failed: the AWS credentials were rejected: check the access key / secret, or the role that aws-actions/configure-aws-credentials assumes.',
    );
  });

  it('NoSuchBucket names the bucket and the bucket input', () => {
    const error = describeAwsError(
      awsError('NoSuchBucket', 'The specified bucket does not exist', 404),
      'ListObjectsV2',
      TARGET,
    );
    expect(error.message).toBe(
      "S3 ListObjectsV2 on s3://parl.ai/pr-42/ failed: bucket 'parl.ai' does not exist: check input 'bucket'.",
    );
  });

  it('NoSuchBucket at a custom endpoint names the endpoint', () => {
    const error = describeAwsError(awsError('NoSuchBucket', 'x', 404), 'ListObjectsV2', CUSTOM);
    expect(error.message).toContain("bucket 'parl.ai' does not exist at http://127.0.0.1:9000: check input 'bucket'.");
  });

  it('NoSuchDistribution names the distribution and the distribution-id input', () => {
    const error = describeAwsError(awsError('NoSuchDistribution', 'x', 404), 'CreateInvalidation', TARGET);
    expect(error.message).toBe(
      "CloudFront CreateInvalidation on distribution E2QWRUHAPOMQZL failed: distribution 'E2QWRUHAPOMQZL' does not exist in this account: check input 'distribution-id'.",
    );
  });

  it.each<[string, Error, string, string]>([
    ['AccessDenied', awsError('AccessDenied', 'Access Denied', 403), 'PutObject', 's3://parl.ai/pr-42/'],
    ['Forbidden', awsError('Forbidden', '', 403), 'HeadObject', 's3://parl.ai/pr-42/'],
    ['a bare HTTP 403', awsError('UnknownError', 'x', 403), 'DeleteObjects', 's3://parl.ai/pr-42/'],
  ])('%s: names the action and target and points to the IAM example', (_title, cause, action, where) => {
    const error = describeAwsError(cause, action, TARGET);
    expect(error.message).toBe(
      `S3 ${action} on ${where} failed: access denied: the credentials need permission for ${action} on ${where} (see examples/iam/deploy-policy.json).`,
    );
  });

  it.each(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'])(
    '%s: points to the region input',
    (code) => {
      const error = describeAwsError(awsError(code, 'x', 301), 'ListObjectsV2', { ...TARGET, region: 'eu-west-3' });
      expect(error.message).toBe(
        "S3 ListObjectsV2 on s3://parl.ai/pr-42/ failed: the bucket is not in region 'eu-west-3': set input 'region' to the bucket's region.",
      );
    },
  );

  it('TooManyInvalidationsInProgress: says to re-run later', () => {
    const error = describeAwsError(awsError('TooManyInvalidationsInProgress', 'x', 400), 'CreateInvalidation', TARGET);
    expect(error.message).toBe(
      'CloudFront CreateInvalidation on distribution E2QWRUHAPOMQZL failed: CloudFront has too many invalidations in progress for this distribution: re-run once they complete.',
    );
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT'])(
    'a %s system error points to endpoint-url',
    (code) => {
      const error = describeAwsError(systemError(code), 'ListObjectsV2', CUSTOM);
      expect(error.message).toMatch(
        /^S3 ListObjectsV2 on s3:\/\/parl\.ai\/pr-42\/ failed: cannot reach http:\/\/127\.0\.0\.1:9000 \(.*\): check 'endpoint-url' and the network\.$/,
      );
    },
  );

  it.each(['TimeoutError', 'RequestTimeout'])(
    '%s (as the error name) points to endpoint-url, or S3 without one',
    (code) => {
      const error = describeAwsError(awsError(code), 'PutObject', TARGET);
      expect(error.message).toBe(
        `S3 PutObject on s3://parl.ai/pr-42/ failed: cannot reach S3 (${code}): check 'endpoint-url' and the network.`,
      );
    },
  );

  // Node's system errors are all named 'Error': the message must name their errno code instead.
  it.each(['ECONNREFUSED', 'ENOTFOUND'])('a %s system error names its code', (code) => {
    expect(describeAwsError(systemError(code), 'ListObjectsV2', CUSTOM).message).toContain(`(${code})`);
  });

  it.each<[string, Error | Record<string, unknown>, string]>([
    [
      'code, status and message',
      awsError('SlowDown', 'Please reduce your request rate.', 503),
      'SlowDown (HTTP 503): Please reduce your request rate.',
    ],
    [
      'no status',
      awsError('InternalError', 'We encountered an internal error.'),
      'InternalError: We encountered an internal error.',
    ],
    ['no message', awsError('InternalError', '', 500), 'InternalError (HTTP 500)'],
    [
      'Code wins over name',
      { Code: 'BadDigest', name: 'Error', message: 'digest mismatch' },
      'BadDigest: digest mismatch',
    ],
    ['a plain Error', new Error('boom'), 'Error: boom'],
    [
      'only the first line of the message',
      awsError('Weird', 'first line\nsecond line', 400),
      'Weird (HTTP 400): first line',
    ],
  ])('an unknown error (%s) shows its code, status and message', (_title, cause, advice) => {
    expect(describeAwsError(cause, 'PutObject', TARGET).message).toBe(
      `S3 PutObject on s3://parl.ai/pr-42/ failed: ${advice}`,
    );
  });

  it('truncates the message to 300 characters', () => {
    const message = 'x'.repeat(1000);
    const error = describeAwsError(awsError('Weird', message, 400), 'PutObject', TARGET);
    expect(error.message).toBe(`S3 PutObject on s3://parl.ai/pr-42/ failed: Weird (HTTP 400): ${'x'.repeat(300)}…`);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'boom'],
    ['an empty object', {}],
  ])('copes with %s', (_title, cause) => {
    const error = describeAwsError(cause, 'PutObject', TARGET);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.message).toMatch(/^S3 PutObject on s3:\/\/parl\.ai\/pr-42\/ failed: /);
  });

  it('returns a ServiceError with the original error as its cause', () => {
    const cause = awsError('AccessDenied', 'x', 403);
    const error = describeAwsError(cause, 'PutObject', TARGET);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.name).toBe('ServiceError');
    expect(error.cause).toBe(cause);
  });

  it('the target of an S3 action with no prefix is the bucket root', () => {
    const error = describeAwsError(awsError('AccessDenied', 'x', 403), 'PutObject', { ...TARGET, prefix: '' });
    expect(error.message).toMatch(/^S3 PutObject on s3:\/\/parl\.ai\/ failed/);
  });

  describe('never leaks request details', () => {
    const SECRET = 'SECRETVALUE';
    const signatureMessage = `The request signature we calculated does not match the signature you provided.\nStringToSign: AWS4-HMAC-SHA256 20240501T000000Z ${SECRET}\nCanonicalRequest: GET / x-amz-security-token=${SECRET}`;

    it.each(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'])('%s', (code) => {
      const message = describeAwsError(
        awsError(code, signatureMessage, 403, { StringToSign: SECRET }),
        'PutObject',
        TARGET,
      ).message;
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain('StringToSign');
    });

    it.each([
      ['an unknown code', awsError('Weird', `first line\n${SECRET}`, 400)],
      ['an unknown code with CRLF', awsError('Weird', `first line\r\n${SECRET}`, 400)],
      ['AccessDenied', awsError('AccessDenied', `Access Denied\n${SECRET}`, 403)],
      ['NoSuchBucket', awsError('NoSuchBucket', `No such bucket\n${SECRET}`, 404)],
    ])('%s uses at most the first line', (_title, cause) => {
      expect(describeAwsError(cause, 'PutObject', TARGET).message).not.toContain(SECRET);
    });
  });
});

describe('describeCloudFrontError never blames the S3 inputs', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT'])('a %s names the CloudFront API, not endpoint-url', (code) => {
    const message = describeCloudFrontError(systemError(code), 'CreateInvalidation', 'E2QWRUHAPOMQZL').message;
    expect(message).toBe(
      `CloudFront CreateInvalidation on distribution E2QWRUHAPOMQZL failed: cannot reach the CloudFront API (${code}): check the network (or AWS_ENDPOINT_URL_CLOUDFRONT, if set).`,
    );
    expect(message).not.toContain('endpoint-url');
    expect(message).not.toContain('127.0.0.1:9000');
  });

  it('access denied names the cloudfront permission and distribution-id', () => {
    const message = describeCloudFrontError(awsError('AccessDenied', 'x', 403), 'CreateInvalidation', 'E1').message;
    expect(message).toContain('cloudfront:CreateInvalidation');
    expect(message).toContain("'distribution-id'");
    expect(message).not.toContain('s3://');
  });
});

describe('store error text is sanitised before it reaches a message', () => {
  it('keeps the error code, drops control characters, keeps one bounded line', () => {
    const hostile = awsError(
      'SlowDown',
      `Reduce\u0007 rate\u001b[31m now\r\n::error::injected\n${'y'.repeat(500)}`,
      503,
    );
    const message = describeS3Error(hostile, 'PutObject', TARGET).message;
    expect(message).toBe('S3 PutObject on s3://parl.ai/pr-42/ failed: SlowDown (HTTP 503): Reduce rate[31m now');
    // eslint-disable-next-line no-control-regex -- control characters are what must not be there
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message).not.toContain('::error::');
  });
});
