import {
  CloudFrontClient,
  CreateInvalidationCommand,
  waitUntilInvalidationCompleted,
} from '@aws-sdk/client-cloudfront';
import { USER_AGENT } from './s3.js';

/** CloudFront is global; its API lives in us-east-1. AWS_ENDPOINT_URL_CLOUDFRONT redirects it (tests do). */
export function createCloudFrontClient(): CloudFrontClient {
  return new CloudFrontClient({
    region: 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: 6,
    customUserAgent: USER_AGENT,
  });
}

/** One CreateInvalidation; returns its ID. */
export async function createInvalidation(
  client: CloudFrontClient,
  distributionId: string,
  paths: string[],
  callerReference: string,
): Promise<string> {
  const response = await client.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
    }),
  );
  const id = response.Invalidation?.Id;
  if (!id) throw new Error('CloudFront answered CreateInvalidation without an invalidation ID');
  return id;
}

/** Polls until CloudFront reports the invalidation Completed (usually well under a minute). */
export async function waitForInvalidation(
  client: CloudFrontClient,
  distributionId: string,
  invalidationId: string,
  maxWaitSeconds = 900,
): Promise<void> {
  try {
    // The waiter throws on timeout (and refuses a maxWaitTime not above minDelay).
    await waitUntilInvalidationCompleted(
      { client, maxWaitTime: maxWaitSeconds, minDelay: 5, maxDelay: 30 },
      { DistributionId: distributionId, Id: invalidationId },
    );
  } catch (error) {
    const state = (error as { state?: string }).state;
    if (state === 'TIMEOUT' || state === 'ABORTED' || (error as Error).name === 'TimeoutError') {
      throw new Error(
        `invalidation ${invalidationId} is not Completed after ${maxWaitSeconds} s; it goes on in CloudFront.`,
        { cause: error },
      );
    }
    throw error;
  }
}
