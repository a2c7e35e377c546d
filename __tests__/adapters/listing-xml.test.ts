// The lean ListObjectsV2 reader (listing-xml.ts) against the SDK's own: the same objects from the same XML,
// keys with every character S3 escapes, and errors and unknown bodies left to the SDK.
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type ListingPage, leanListing, parseListingXml } from '../../src/adapters/s3/listing-xml.js';
import { S3Store } from '../../src/adapters/s3/store.js';
import type { RemoteObject } from '../../src/pipeline/plan.js';

const escape = (text: string) =>
  text
    .replace(/[&<>"'\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/&#38;/g, '&amp;')
    .replace(/&#60;/g, '&lt;');

const KEYS = [
  'index.html',
  'a & b/<c>.html',
  "quote\"s and 'apostrophes'.txt",
  'line\r\nbreak.txt',
  'tab\there.txt',
  'ünïcödé/文字/😀.html',
  '  spaces  ',
  'plus+equals=amp&.css',
];

function listingXml(keys: string[], { truncated = false, token = '' } = {}): string {
  const contents = keys
    .map(
      (key, index) =>
        `<Contents><Key>${escape(key)}</Key><LastModified>2026-11-${String(10 + index).padStart(2, '0')}T08:0${index % 10}:00.000Z</LastModified><ETag>&quot;${index.toString(16).padStart(32, '0')}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><Size>${index * 1000 + 7}</Size><Owner><ID>x</ID><DisplayName>Key</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('\n  ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix></Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<NextContinuationToken>${escape(token)}</NextContinuationToken>` : ''}
  ${contents}
  <CommonPrefixes><Prefix>not-an-object/</Prefix></CommonPrefixes>
</ListBucketResult>`;
}

/** A client whose every request is answered with the next of these (status, body). */
function answering(answers: Array<{ status: number; body: string }>, requests: string[] = []) {
  return new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { path: string; query?: Record<string, string> }) => {
        requests.push(`${request.path}?${new URLSearchParams(request.query ?? {}).toString()}`);
        const answer = answers.shift()!;
        return {
          response: {
            statusCode: answer.status,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([Buffer.from(answer.body)]),
          },
        };
      },
    },
  });
}

const store = (client: S3Client) => new S3Store(client, { bucket: 'bucket', prefix: '', region: 'us-east-1' });

async function sdkObjects(xml: string): Promise<RemoteObject[]> {
  const output = await answering([{ status: 200, body: xml }]).send(new ListObjectsV2Command({ Bucket: 'bucket' }));
  return (output.Contents ?? []).map((object) => ({
    key: object.Key!,
    etag: object.ETag!.replace(/"/g, ''),
    size: object.Size!,
    lastModified: object.LastModified,
  }));
}

describe('parseListingXml', () => {
  it("reads the same objects as the SDK's deserializer, escaped keys included", async () => {
    const xml = listingXml(KEYS, { truncated: true, token: 'token/with+odd=chars&' });
    const page = parseListingXml(xml)!;
    expect(page.objects.map((object) => object.key)).toEqual(KEYS);
    expect(page.objects).toEqual(await sdkObjects(xml));
    expect(page).toMatchObject({ truncated: true, nextToken: 'token/with+odd=chars&' });
  });

  it('is not fooled by a Key or Size outside Contents', () => {
    const xml = listingXml(['real.html']).replace(
      '<Name>bucket</Name>',
      '<Name>bucket</Name><Key>fake.html</Key><Size>9</Size>',
    );
    expect(parseListingXml(xml)!.objects.map((object) => object.key)).toEqual(['real.html']);
  });

  it('recognises only a whole ListBucketResult', () => {
    expect(parseListingXml('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')).toBeUndefined();
    expect(parseListingXml('<ListBucketResult><Contents><Key>a</Key>')).toBeUndefined();
    expect(parseListingXml('<ListBucketResult><Contents><Key>a</Size></Contents></ListBucketResult>')).toBeUndefined();
  });
});

describe('leanListing', () => {
  const run = async (status: number, body: string) => {
    const into: { page?: ListingPage } = {};
    const response = { statusCode: status, headers: {}, body: Readable.from([Buffer.from(body)]) };
    const handler = leanListing(into)(async () => ({ response, output: {} }), {} as never);
    await handler({ input: {}, request: {} });
    let left = '';
    for await (const chunk of response.body) left += chunk;
    return { page: into.page, left };
  };

  it('takes the page of a 200 listing and leaves the SDK an empty one to read', async () => {
    const { page, left } = await run(200, listingXml(KEYS));
    expect(page?.objects).toHaveLength(KEYS.length);
    expect(left).not.toContain('<Contents>');
    expect(parseListingXml(left)).toEqual({ objects: [], truncated: false });
  });

  it('leaves an error answer, and a body it does not recognise, as they were', async () => {
    const error = '<?xml version="1.0"?><Error><Code>SlowDown</Code></Error>';
    expect(await run(503, error)).toEqual({ page: undefined, left: error });
    expect(await run(200, error)).toEqual({ page: undefined, left: error });
  });
});

describe('S3Store.listPages', () => {
  it('follows continuation tokens through the lean reader, StartAfter only on the first request', async () => {
    const requests: string[] = [];
    const client = answering(
      [
        { status: 200, body: listingXml(KEYS.slice(0, 3), { truncated: true, token: 'next&1' }) },
        { status: 200, body: listingXml(KEYS.slice(3)) },
      ],
      requests,
    );
    const pages: string[][] = [];
    for await (const page of store(client).listPages('', 'a')) pages.push(page.map((object) => object.key));
    expect(pages).toEqual([KEYS.slice(0, 3), KEYS.slice(3)]);
    expect(requests[0]).toContain('start-after=a');
    expect(requests[1]).toContain('continuation-token=next%261');
    expect(requests[1]).not.toContain('start-after');
  });

  it('leaves an error to the SDK, which names what to fix', async () => {
    const client = answering([
      {
        status: 403,
        body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      },
    ]);
    const listing = store(client).listPages('site/');
    await expect(listing[Symbol.asyncIterator]().next()).rejects.toThrow(
      /access denied: the credentials need permission for ListObjectsV2/,
    );
  });

  it("reads a 200 body it does not recognise with the SDK's parser", async () => {
    // A store that answers with the listing's elements in another root element, as some proxies rewrite it.
    const xml = listingXml(['x.html']).replace(/ListBucketResult/g, 'ListBucketResultV2');
    const client = answering([{ status: 200, body: xml }]);
    const pages: RemoteObject[][] = [];
    for await (const page of store(client).listPages('')) pages.push(page);
    expect(pages).toEqual([await sdkObjects(xml)]);
  });
});
