// The redirect store on CloudFront KeyValueStore (src/adapters/cloudfront/redirect-store.ts), against a loopback
// stand-in of the API (support/keyvaluestore-stub.ts): the real SDK client, signing with the pure-JavaScript
// SigV4a signer, over HTTP on 127.0.0.1 — the wire protocol, pagination, batching within the API limits, the
// ETag conditions and a conflict retried by the sync, errors naming the input that fixes them.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  KeyValueRedirectStore,
  LIST_KEYS_PAGE,
  UPDATE_KEYS_LIMITS,
  createRedirectStoreClient,
  describeRedirectStoreError,
  updateBatches,
} from '../../src/adapters/cloudfront/redirect-store.js';
import {
  RedirectBudgetError,
  RedirectStoreConflict,
  emptyRedirectPlan,
  parseRedirects,
  syncRedirects,
} from '../../src/pipeline/redirects.js';
import { InputError, ServiceError } from '../../src/shared/errors.js';
import { startKeyValueStoreStub, type KeyValueStoreStub } from '../support/keyvaluestore-stub.js';

let stub: KeyValueStoreStub;

beforeEach(async () => {
  stub = await startKeyValueStoreStub();
});
afterEach(async () => {
  await stub.close();
});

function store(arn = stub.arn): KeyValueRedirectStore {
  const client = createRedirectStoreClient({
    endpointUrl: stub.endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return new KeyValueRedirectStore(client, arn);
}

const operations = () => stub.requests.map((r) => r.operation);
const rules = (...lines: string[]) => parseRedirects({ name: '_redirects', text: lines.join('\n') });

describe('createRedirectStoreClient', () => {
  it('is a us-east-1 client with adaptive retries, up to 6 attempts', async () => {
    const { config } = createRedirectStoreClient();
    expect(await config.region()).toBe('us-east-1');
    expect(await config.maxAttempts()).toBe(6);
    expect(((await config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  });
});

describe('signing: SigV4a in pure JavaScript, so the bundle stays one file', () => {
  it('the adapter registers @aws-sdk/signature-v4a before it loads the client', () => {
    const source = readFileSync('src/adapters/cloudfront/redirect-store.ts', 'utf8');
    const imports = [...source.matchAll(/^import [^;]*?'([^']+)';$/gms)].map((m) => m[1]);
    expect(imports.slice(0, 2)).toEqual(['@aws-sdk/signature-v4a', '@aws-sdk/client-cloudfront-keyvaluestore']);
  });

  it('nothing installs the native CRT signer (aws-crt, @aws-sdk/signature-v4-crt)', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((p) => /(^|\/)(aws-crt|@aws-sdk\/signature-v4-crt)$/.test(p))).toEqual([]);
  });
});

describe('read', () => {
  it('asks for the ETag first, then lists every key, 50 a page', async () => {
    for (let i = 0; i < 120; i++) stub.entries.set(`/p${String(i).padStart(3, '0')}.html`, `301 /q${i}.html`);
    const { etag, entries } = await store().read();
    expect(etag).toBe('ETVER1');
    expect(entries.size).toBe(120);
    expect(entries.get('/p007.html')).toBe('301 /q7.html');
    expect(operations()).toEqual(['DescribeKeyValueStore', 'ListKeys', 'ListKeys', 'ListKeys']);
    expect(stub.requests.slice(1).map((r) => r.query)).toEqual([
      { MaxResults: '50' },
      { MaxResults: '50', NextToken: '50' },
      { MaxResults: '50', NextToken: '100' },
    ]);
    expect(LIST_KEYS_PAGE).toBe(50);
  });

  it('addresses the store by its ARN in the path, signed with SigV4a (region set *) by the JavaScript signer', async () => {
    await store().read();
    for (const request of stub.requests) {
      expect(request.arn).toBe(stub.arn);
      expect(request.authorization).toMatch(
        /^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cloudfront-keyvaluestore\/aws4_request, SignedHeaders=[^,]*x-amz-region-set[^,]*, Signature=[0-9a-f]+$/,
      );
      expect(request.regionSet).toBe('*');
    }
  });

  it('reads an empty store as no entries', async () => {
    expect(await store().read()).toEqual({ etag: 'ETVER1', entries: new Map() });
  });

  it('refuses a store that is not READY', async () => {
    stub.status = 'PROVISIONING';
    await expect(store().read()).rejects.toThrow(
      `CloudFront KeyValueStore ${'arn:aws:cloudfront::123456789012:key-value-store/0b8a1f3e-4c2d-4e6f-9a7b-1c2d3e4f5a6b'} is PROVISIONING, not READY: re-run once it is.`,
    );
  });
});

describe('update', () => {
  it('puts and deletes in UpdateKeys batches of at most 50 keys, each If-Match the ETag the last one left', async () => {
    for (let i = 0; i < 30; i++) stub.entries.set(`/gone${i}.html`, '301 /x.html');
    const put = Array.from({ length: 120 }, (_, i) => ({ key: `/new${i}.html`, value: `301 /n${i}.html` }));
    const del = Array.from({ length: 30 }, (_, i) => `/gone${i}.html`);
    const etag = await store().update('ETVER1', put, del);
    expect(etag).toBe('ETVER4');
    const updates = stub.requests.filter((r) => r.operation === 'UpdateKeys');
    expect(updates.map((r) => [r.ifMatch, r.body?.Puts?.length ?? 0, r.body?.Deletes?.length ?? 0])).toEqual([
      ['ETVER1', 50, 0],
      ['ETVER2', 50, 0],
      ['ETVER3', 20, 30],
    ]);
    expect(stub.entries.size).toBe(120);
    expect(stub.entries.get('/new119.html')).toBe('301 /n119.html');
  });

  it('sends nothing for no changes', async () => {
    expect(await store().update('ETVER1', [], [])).toBe('ETVER1');
    expect(stub.requests).toEqual([]);
  });

  it('a moved ETag is a RedirectStoreConflict', async () => {
    stub.write({ '/other': '301 /x' });
    await expect(store().update('ETVER1', [{ key: '/a', value: '301 /b' }], [])).rejects.toBeInstanceOf(
      RedirectStoreConflict,
    );
    expect(stub.entries.has('/a')).toBe(false);
  });
});

describe('updateBatches: the UpdateKeys limits (50 keys, 3 MB)', () => {
  it('50 keys a call, puts first', () => {
    const put = Array.from({ length: 51 }, (_, i) => ({ key: `/k${i}`, value: 'v' }));
    const batches = updateBatches(put, ['/d1', '/d2']);
    expect(batches.map((b) => [b.Puts.length, b.Deletes.length])).toEqual([
      [50, 0],
      [1, 2],
    ]);
    expect(UPDATE_KEYS_LIMITS).toEqual({ keys: 50, payloadBytes: 3_000_000 });
  });

  it('cuts a batch before the payload limit', () => {
    const put = Array.from({ length: 5 }, (_, i) => ({ key: `/k${i}`, value: 'v'.repeat(100) }));
    // {"Puts":[],"Deletes":[]} is 24 bytes; each put {"Key":"/kN","Value":"v…"} is 127 bytes + a comma.
    const batches = updateBatches(put, [], { keys: 50, payloadBytes: 24 + 2 * 128 });
    expect(batches.map((b) => b.Puts.length)).toEqual([2, 2, 1]);
  });

  it('no changes, no calls', () => {
    expect(updateBatches([], [])).toEqual([]);
  });
});

describe('syncRedirects through the adapter', () => {
  it('writes only what changed, and leaves the previews’ keys alone', async () => {
    stub.entries.set('/keep.html', '301 /k.html');
    stub.entries.set('/gone.html', '301 /g.html');
    stub.entries.set('/pr-42/old.html', '301 /pr-42/new.html');
    const result = await syncRedirects(store(), rules('/keep.html /k.html', '/docs/* /manual/:splat 302'));
    expect(result).toMatchObject({ put: 1, deleted: 1, attempts: 1, etag: 'ETVER2' });
    expect([...stub.entries].sort()).toEqual([
      ['/docs/*', '302 /manual/:splat'],
      ['/keep.html', '301 /k.html'],
      ['/pr-42/old.html', '301 /pr-42/new.html'],
    ]);
    const update = stub.requests.find((r) => r.operation === 'UpdateKeys')!;
    expect(update.body).toEqual({
      Puts: [{ Key: '/docs/*', Value: '302 /manual/:splat' }],
      Deletes: [{ Key: '/gone.html' }],
    });
  });

  it('a second sync of the same rules sends no UpdateKeys', async () => {
    const plan = rules('/a.html /b.html');
    await syncRedirects(store(), plan);
    stub.requests = [];
    expect(await syncRedirects(store(), plan)).toMatchObject({ put: 0, deleted: 0, etag: 'ETVER2' });
    expect(operations()).toEqual(['DescribeKeyValueStore', 'ListKeys']);
  });

  it('an ETag conflict (another writer in between) is read again and retried', async () => {
    let first = true;
    stub.beforeUpdate = (s) => {
      if (!first) return;
      first = false;
      s.write({ '/pr-7/x.html': '301 /pr-7/y.html' }); // a preview deploy lands first
    };
    const result = await syncRedirects(store(), rules('/a.html /b.html'));
    expect(result).toMatchObject({ put: 1, deleted: 0, attempts: 2, etag: 'ETVER3' });
    expect(operations()).toEqual([
      'DescribeKeyValueStore',
      'ListKeys',
      'UpdateKeys',
      'DescribeKeyValueStore',
      'ListKeys',
      'UpdateKeys',
    ]);
    expect(stub.requests.filter((r) => r.operation === 'UpdateKeys').map((r) => r.ifMatch)).toEqual([
      'ETVER1',
      'ETVER2',
    ]);
    expect([...stub.entries].sort()).toEqual([
      ['/a.html', '301 /b.html'],
      ['/pr-7/x.html', '301 /pr-7/y.html'],
    ]);
  });

  it('a store that keeps moving fails after the bounded attempts, naming redirect-store-arn', async () => {
    stub.beforeUpdate = (s) => s.write({ [`/pr-1/${s.requests.length}`]: '301 /x' });
    await expect(syncRedirects(store(), rules('/a.html /b.html'), { attempts: 3 })).rejects.toThrow(
      "the redirect store (input 'redirect-store-arn') changed under this deploy 3 times in a row",
    );
    expect(operations().filter((o) => o === 'UpdateKeys')).toHaveLength(3);
  });

  it('a removed preview deletes its own keys only', async () => {
    stub.entries.set('/pr-42/a.html', '301 /pr-42/b.html');
    stub.entries.set('/pr-42/docs/*', '301 /pr-42/m/:splat');
    stub.entries.set('/a.html', '301 /b.html');
    await syncRedirects(store(), emptyRedirectPlan('pr-42/'));
    expect([...stub.entries]).toEqual([['/a.html', '301 /b.html']]);
  });

  it('refuses a plan over the store’s 5 MB before any write, counting what other deployments keep', async () => {
    // Another deployment's entries fill the store to 10 bytes short of 5,000,000: the first rule (18 bytes) is past it.
    let left = 5_000_000 - 10;
    for (let i = 0; left > 0; i++) {
      const key = `/pr-9/${String(i).padStart(6, '0')}`;
      const value = 'v'.repeat(Math.min(1000, left - key.length));
      stub.entries.set(key, value);
      left -= key.length + value.length;
    }
    const error = await syncRedirects(store(), rules('/a.html /b.html', '/c.html /d.html')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectBudgetError);
    expect((error as RedirectBudgetError).line).toBe(1);
    expect(operations().filter((o) => o === 'UpdateKeys')).toEqual([]);
  });
});

describe('errors name the store and the input that fixes them', () => {
  it('an ARN that is not a key value store’s is refused before any request', () => {
    expect(() => store('arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE')).toThrow(InputError);
    expect(() => store('E2EXAMPLE')).toThrow(
      "Input 'redirect-store-arn': 'E2EXAMPLE' is not a CloudFront key value store ARN (arn:aws:cloudfront::<account>:key-value-store/<id>, the Terraform output key_value_store_arn).",
    );
    expect(stub.requests).toEqual([]);
  });

  it('an unknown store', async () => {
    const other = 'arn:aws:cloudfront::123456789012:key-value-store/11111111-2222-3333-4444-555555555555';
    await expect(store(other).read()).rejects.toThrow(
      `CloudFront KeyValueStore DescribeKeyValueStore on ${other} failed: the key value store does not exist in this account: check input 'redirect-store-arn' (the Terraform output key_value_store_arn).`,
    );
  });

  it('access denied names the action, the store and the policy', async () => {
    stub.failNext = { operation: 'UpdateKeys', status: 403, type: 'AccessDeniedException', message: 'no' };
    const error = await store()
      .update('ETVER1', [{ key: '/a', value: '301 /b' }], [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('AccessDeniedException');
    expect((error as Error).message).toBe(
      `CloudFront KeyValueStore UpdateKeys on ${stub.arn} failed: access denied: the credentials need cloudfront-keyvaluestore:UpdateKeys on ${stub.arn} (see examples/iam/deploy-policy.json), or 'redirect-store-arn' names another site's store.`,
    );
  });

  it('a full store says what to do', async () => {
    stub.failNext = {
      operation: 'UpdateKeys',
      status: 402,
      type: 'ServiceQuotaExceededException',
      message: 'Limit exceeded',
    };
    await expect(store().update('ETVER1', [{ key: '/a', value: '301 /b' }], [])).rejects.toThrow(
      'the store is full (a CloudFront key value store holds at most 5 MB): redirect whole directories with splat rules (/old/* /new/:splat). Limit exceeded',
    );
  });

  it('a validation error passes the service’s word on', async () => {
    stub.failNext = { operation: 'ListKeys', status: 400, type: 'ValidationException', message: 'bad token' };
    await expect(store().read()).rejects.toThrow(
      "failed: the request was refused as invalid: bad token (check input 'redirect-store-arn').",
    );
  });

  it('an unreachable API (a Node system error; jest wraps real socket errors across realms, so it is built here)', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(describeRedirectStoreError(error, 'ListKeys', stub.arn).message).toBe(
      `CloudFront KeyValueStore ListKeys on ${stub.arn} failed: cannot reach the CloudFront KeyValueStore API (ECONNREFUSED): check the network.`,
    );
  });
});
