// The pure-JavaScript SigV4a signer. The KeyValueStore API is global and only takes SigV4a signatures
// (region set `*`); the SDK signs with the native CRT module when it is loaded, else with this package,
// registered by importing it. It keeps the bundle one JavaScript file: no native `.node` addon.
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  UpdateKeysCommand,
  type CloudFrontKeyValueStoreClientConfig,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { REDIRECT_STORE_INPUT, RedirectStoreConflict, type RedirectStore } from '../../pipeline/redirects.js';
import { InputError, ServiceError } from '../../shared/errors.js';
import { KEY_VALUE_STORE_ARN } from '../../shared/redirect-rules.js';
import { errorCode, httpStatus, serviceDetail, NETWORK, REJECTED_CREDENTIALS } from '../aws-errors.js';
import { USER_AGENT } from '../user-agent.js';

/**
 * What one UpdateKeys call may carry: 50 keys (puts and deletes together) or a 3 MB payload, whichever comes
 * first (AWS's default quota, as the AWS provider's aws_cloudfrontkeyvaluestore_keys_exclusive documents it).
 * The payload is counted as the JSON body's bytes, with room to spare.
 */
export const UPDATE_KEYS_LIMITS = { keys: 50, payloadBytes: 3_000_000 } as const;

/** ListKeys returns at most 50 items a page (its MaxResults: "the default is 10 and maximum allowed page is 50"). */
export const LIST_KEYS_PAGE = 50;

/** Pages a listing may take: a 5 MB store holds at most ~2.5 million one-byte-key entries. */
const MAX_PAGES = 60_000;

/**
 * The KeyValueStore client: global, its API in us-east-1's partition, adaptive retries. The SDK derives the
 * endpoint from the store's ARN (`https://<account>.cloudfront-kvs.global.api.aws`); `endpointUrl` replaces it
 * as it is (a loopback stand-in in tests), signatures still SigV4a.
 */
export function createRedirectStoreClient(
  options: { endpointUrl?: string } & Partial<CloudFrontKeyValueStoreClientConfig> = {},
): CloudFrontKeyValueStoreClient {
  const { endpointUrl, ...config } = options;
  return new CloudFrontKeyValueStoreClient({
    region: 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: 6,
    customUserAgent: USER_AGENT,
    ...(endpointUrl ? { endpointProvider: () => ({ url: new URL(endpointUrl) }) } : {}),
    ...config,
  });
}

/** UpdateKeys calls for these changes, puts first, each within UPDATE_KEYS_LIMITS. */
export function updateBatches(
  put: ReadonlyArray<{ key: string; value: string }>,
  del: readonly string[],
  limits: { keys: number; payloadBytes: number } = UPDATE_KEYS_LIMITS,
): Array<{ Puts: Array<{ Key: string; Value: string }>; Deletes: Array<{ Key: string }> }> {
  type Item = { put: { Key: string; Value: string } } | { del: { Key: string } };
  const items: Item[] = [
    ...put.map((p) => ({ put: { Key: p.key, Value: p.value } })),
    ...del.map((key) => ({ del: { Key: key } })),
  ];
  const batches: Array<{ Puts: Array<{ Key: string; Value: string }>; Deletes: Array<{ Key: string }> }> = [];
  let current = { Puts: [] as Array<{ Key: string; Value: string }>, Deletes: [] as Array<{ Key: string }> };
  // `{"Puts":[],"Deletes":[]}` plus, per item, its JSON and a comma.
  const EMPTY = Buffer.byteLength(JSON.stringify(current));
  let bytes = EMPTY;
  let count = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify('put' in item ? item.put : item.del)) + 1;
    if (count > 0 && (count + 1 > limits.keys || bytes + size > limits.payloadBytes)) {
      batches.push(current);
      current = { Puts: [], Deletes: [] };
      bytes = EMPTY;
      count = 0;
    }
    if ('put' in item) current.Puts.push(item.put);
    else current.Deletes.push(item.del);
    bytes += size;
    count += 1;
  }
  if (count > 0) batches.push(current);
  return batches;
}

/** The redirect store on a CloudFront KeyValueStore. Errors name the store and 'redirect-store-arn'. */
export class KeyValueRedirectStore implements RedirectStore {
  readonly input: string;

  constructor(
    readonly client: CloudFrontKeyValueStoreClient,
    readonly storeArn: string,
    options: { input?: string } = {},
  ) {
    this.input = options.input ?? REDIRECT_STORE_INPUT;
    if (!KEY_VALUE_STORE_ARN.test(storeArn)) {
      throw new InputError(
        this.input,
        `'${storeArn}' is not a CloudFront key value store ARN (arn:aws:cloudfront::<account>:key-value-store/<id>, the Terraform output key_value_store_arn).`,
      );
    }
  }

  /**
   * The ETag first (DescribeKeyValueStore), then every key (ListKeys, 50 a page): the ETag is never newer than
   * the listing, so a write made in between fails the update's If-Match instead of being overwritten unseen.
   */
  async read(): Promise<{ etag: string; entries: Map<string, string> }> {
    const described = await this.send('DescribeKeyValueStore', () =>
      this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.storeArn })),
    );
    if (described.Status && described.Status !== 'READY') {
      throw new ServiceError(
        `CloudFront KeyValueStore ${this.storeArn} is ${described.Status}${described.FailureReason ? ` (${described.FailureReason})` : ''}, not READY: re-run once it is.`,
        'NotReady',
      );
    }
    if (!described.ETag) throw new ServiceError('CloudFront KeyValueStore answered without an ETag', 'NoETag');

    const entries = new Map<string, string>();
    let token: string | undefined;
    const tokens = new Set<string>();
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new ServiceError(`listing ${this.storeArn} did not end`, 'EndlessListing');
      const listed = await this.send('ListKeys', () =>
        this.client.send(new ListKeysCommand({ KvsARN: this.storeArn, MaxResults: LIST_KEYS_PAGE, NextToken: token })),
      );
      for (const item of listed.Items ?? []) {
        if (item.Key !== undefined && item.Value !== undefined) entries.set(item.Key, item.Value);
      }
      token = listed.NextToken || undefined;
      if (!token) break;
      if (tokens.has(token)) throw new ServiceError(`listing ${this.storeArn} repeated a page`, 'EndlessListing');
      tokens.add(token);
    }
    return { etag: described.ETag, entries };
  }

  /**
   * UpdateKeys in batches of at most 50 keys (puts first), each conditional on the ETag the previous one left.
   * A ConflictException (or a 412) means another writer moved the store on: RedirectStoreConflict, which the
   * sync answers by reading again.
   */
  async update(etag: string, put: Array<{ key: string; value: string }>, del: string[]): Promise<string> {
    let current = etag;
    for (const batch of updateBatches(put, del)) {
      const response = await this.send('UpdateKeys', () =>
        this.client.send(
          new UpdateKeysCommand({
            KvsARN: this.storeArn,
            IfMatch: current,
            ...(batch.Puts.length > 0 ? { Puts: batch.Puts } : {}),
            ...(batch.Deletes.length > 0 ? { Deletes: batch.Deletes } : {}),
          }),
        ),
      );
      if (!response.ETag)
        throw new ServiceError('CloudFront KeyValueStore answered UpdateKeys without an ETag', 'NoETag');
      current = response.ETag;
    }
    return current;
  }

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const code = errorCode(error);
      const status = httpStatus(error);
      if (action === 'UpdateKeys' && (code === 'ConflictException' || status === 409 || status === 412)) {
        throw new RedirectStoreConflict(`${code}${serviceDetail(error) ? `: ${serviceDetail(error)}` : ''}`);
      }
      throw describeRedirectStoreError(error, action, this.storeArn, this.input);
    }
  }
}

/**
 * A CloudFront KeyValueStore error (the redirect store): names the store and the input that names it
 * (`redirect-store-arn`), and for a refusal the action and the policy to grant it in.
 */
export function describeRedirectStoreError(
  error: unknown,
  action: string,
  storeArn: string,
  input = 'redirect-store-arn',
): ServiceError {
  const code = errorCode(error);
  const status = httpStatus(error);
  let advice: string;
  if (REJECTED_CREDENTIALS.has(code)) {
    advice =
      'the AWS credentials were rejected: check the access key / secret, or the role that aws-actions/configure-aws-credentials assumes.';
  } else if (code === 'ResourceNotFoundException' || status === 404) {
    advice = `the key value store does not exist in this account: check input '${input}' (the Terraform output key_value_store_arn).`;
  } else if (code === 'AccessDeniedException' || code === 'AccessDenied' || status === 403) {
    advice = `access denied: the credentials need cloudfront-keyvaluestore:${action} on ${storeArn} (see examples/iam/deploy-policy.json), or '${input}' names another site's store.`;
  } else if (code === 'ServiceQuotaExceededException' || status === 402) {
    advice = `the store is full (a CloudFront key value store holds at most 5 MB): redirect whole directories with splat rules (/old/* /new/:splat).${serviceDetail(error) ? ` ${serviceDetail(error)}` : ''}`;
  } else if (code === 'ValidationException') {
    advice = `the request was refused as invalid${serviceDetail(error) ? `: ${serviceDetail(error)}` : ''} (check input '${input}').`;
  } else if (NETWORK.has(code)) {
    advice = `cannot reach the CloudFront KeyValueStore API (${code}): check the network.`;
  } else {
    const detail = serviceDetail(error);
    advice = `${code}${status ? ` (HTTP ${status})` : ''}${detail && detail !== code ? `: ${detail}` : ''}`;
  }
  return new ServiceError(`CloudFront KeyValueStore ${action} on ${storeArn} failed: ${advice}`, code, {
    cause: error,
  });
}
