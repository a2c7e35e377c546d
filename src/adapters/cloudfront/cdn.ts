import {
  CloudFrontClient,
  CreateInvalidationCommand,
  waitUntilInvalidationCompleted,
} from '@aws-sdk/client-cloudfront';
import type { Cdn } from '../../pipeline/ports.js';
import { describeCloudFrontError } from '../aws-errors.js';
import { USER_AGENT } from '../user-agent.js';

/** CloudFront is global; its API lives in us-east-1. AWS_ENDPOINT_URL_CLOUDFRONT redirects it (tests do). */
export function createCloudFrontClient(): CloudFrontClient {
  return new CloudFrontClient({
    region: 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: 6,
    customUserAgent: USER_AGENT,
  });
}

/** The pipeline's CDN, on one CloudFront distribution. Errors name the distribution and 'distribution-id'. */
export class CloudFrontCdn implements Cdn {
  constructor(
    readonly client: CloudFrontClient,
    readonly distributionId: string,
    private readonly maxWaitSeconds = 900,
  ) {}

  /** One CreateInvalidation; returns its ID. */
  async invalidate(paths: string[], callerReference: string): Promise<string> {
    let id: string | undefined;
    try {
      const response = await this.client.send(
        new CreateInvalidationCommand({
          DistributionId: this.distributionId,
          InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
        }),
      );
      id = response.Invalidation?.Id;
    } catch (error) {
      throw describeCloudFrontError(error, 'CreateInvalidation', this.distributionId);
    }
    if (!id) throw new Error('CloudFront answered CreateInvalidation without an invalidation ID');
    return id;
  }

  /** Polls until CloudFront reports the invalidation Completed (usually well under a minute). */
  async waitFor(invalidationId: string): Promise<void> {
    try {
      // The waiter throws on timeout (and refuses a maxWaitTime not above minDelay).
      await waitUntilInvalidationCompleted(
        { client: this.client, maxWaitTime: this.maxWaitSeconds, minDelay: 5, maxDelay: 30 },
        { DistributionId: this.distributionId, Id: invalidationId },
      );
    } catch (error) {
      const state = (error as { state?: string }).state;
      if (state === 'TIMEOUT' || state === 'ABORTED' || (error as Error).name === 'TimeoutError') {
        throw new Error(
          `invalidation ${invalidationId} is not Completed after ${this.maxWaitSeconds} s; it goes on in CloudFront.`,
          { cause: error },
        );
      }
      throw describeCloudFrontError(error, 'GetInvalidation', this.distributionId);
    }
  }
}
