import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFrontCdn, createCloudFrontClient } from '../../src/adapters/cloudfront/cdn.js';

const cf = mockClient(CloudFrontClient);

function client(): CloudFrontClient {
  return new CloudFrontClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

beforeEach(() => {
  cf.reset();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('createCloudFrontClient', () => {
  it('uses us-east-1, whatever AWS_REGION says', async () => {
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-3';
    try {
      expect(await createCloudFrontClient().config.region()).toBe('us-east-1');
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved;
    }
  });

  it('retries adaptively, up to 6 attempts', async () => {
    const { config } = createCloudFrontClient();
    expect(await config.maxAttempts()).toBe(6);
    const strategy = (await config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
  });
});

describe('createInvalidation', () => {
  it.each<[string, string[]]>([
    ['one path', ['/index.html']],
    ['several paths', ['/index.html', '/', '/docs/*']],
  ])('sends exactly the distribution, caller reference and paths (%s) and returns the ID', async (_title, paths) => {
    cf.on(CreateInvalidationCommand).resolves({
      Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined },
    });
    const id = await new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL').invalidate(paths, 'parlai-site-deploy-123');
    expect(id).toBe('I1');
    const calls = cf.commandCalls(CreateInvalidationCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({
      DistributionId: 'E2QWRUHAPOMQZL',
      InvalidationBatch: { CallerReference: 'parlai-site-deploy-123', Paths: { Quantity: paths.length, Items: paths } },
    });
    expect(cf.calls()).toHaveLength(1);
  });

  it.each<[string, object]>([
    ['no Invalidation', {}],
    ['no Id', { Invalidation: { Status: 'InProgress' } }],
    ['an empty Id', { Invalidation: { Id: '', Status: 'InProgress' } }],
  ])('throws when CloudFront answers with %s', async (_title, response) => {
    cf.on(CreateInvalidationCommand).resolves(response);
    await expect(new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL').invalidate(['/'], 'ref')).rejects.toThrow(
      /without an invalidation ID/,
    );
  });

  it('describes the SDK error, naming the distribution', async () => {
    const error = Object.assign(new Error('Too many'), { name: 'TooManyInvalidationsInProgress' });
    cf.on(CreateInvalidationCommand).rejects(error);
    await expect(new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL').invalidate(['/'], 'ref')).rejects.toThrow(
      'too many invalidations in progress',
    );
  });
});

describe('waitForInvalidation', () => {
  it('resolves at once when the invalidation is already Completed, asking about the right one', async () => {
    cf.on(GetInvalidationCommand).resolves({
      Invalidation: { Id: 'I1', Status: 'Completed', CreateTime: new Date(), InvalidationBatch: undefined },
    });
    await expect(new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL').waitFor('I1')).resolves.toBeUndefined();
    const calls = cf.commandCalls(GetInvalidationCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({ DistributionId: 'E2QWRUHAPOMQZL', Id: 'I1' });
  });

  it('polls until the status is Completed', async () => {
    jest.useFakeTimers();
    cf.on(GetInvalidationCommand)
      .resolvesOnce({
        Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined },
      })
      .resolvesOnce({
        Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined },
      })
      .resolves({
        Invalidation: { Id: 'I1', Status: 'Completed', CreateTime: new Date(), InvalidationBatch: undefined },
      });
    let settled = false;
    const waiting = new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL').waitFor('I1').finally(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(1000);
    // The first poll said InProgress: the waiter sleeps at least minDelay (5 s) before asking again.
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(1);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(60_000);
    await expect(waiting).resolves.toBeUndefined();
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(3);
  });

  it('rejects when the invalidation is still InProgress after maxWaitSeconds', async () => {
    // Fake time only (the waiter's clock and its sleeps): the deadline is reached by advancing it, not by waiting.
    jest.useFakeTimers();
    cf.on(GetInvalidationCommand).resolves({
      Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined },
    });
    let settled = false;
    const waiting = new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL', 6).waitFor('I1').finally(() => {
      settled = true;
    });
    const outcome = expect(waiting).rejects.toThrow('invalidation I1 is not Completed after 6 s');
    await jest.advanceTimersByTimeAsync(4_999);
    // Still within the first 5 s sleep: one poll, no verdict yet.
    expect(settled).toBe(false);
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_001); // 6 s: the deadline
    expect(settled).toBe(true);
    await outcome;
    expect(cf.commandCalls(GetInvalidationCommand).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a maximum wait not above the 5 s minimum delay', async () => {
    await expect(new CloudFrontCdn(client(), 'E2QWRUHAPOMQZL', 5).waitFor('I1')).rejects.toThrow(/maxWaitTime/);
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(0);
  });
});
