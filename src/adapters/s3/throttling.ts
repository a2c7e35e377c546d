import type { S3Client } from '@aws-sdk/client-s3';
import { isThrottlingError } from '@smithy/core/retry';

// The write window (src/pipeline/write-window.ts) backs off when the store asks it to. The SDK retries a
// 503 SlowDown itself, so the pipeline never sees one that was retried: this middleware counts every attempt
// the store refused as throttling. It sits inside the retry middleware (finalizeRequest, low priority), so
// it sees each attempt's error, after deserialisation has named it.

const counters = new WeakMap<S3Client, { count: number }>();

/** Whether an attempt's error asked to slow down: the SDK's own classification, and any 503 or 429. */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 503 || status === 429 || isThrottlingError(error as Parameters<typeof isThrottlingError>[0]);
}

/** A reader of how many attempts of this client the store has throttled so far (one counter per client). */
export function throttlingCounter(client: S3Client): () => number {
  const existing = counters.get(client);
  if (existing) return () => existing.count;
  const counter = { count: 0 };
  counters.set(client, counter);
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) counter.count += 1;
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'parlaiSiteDeployThrottling' },
  );
  return () => counter.count;
}
