// Reads a bucket on the local S3 server for assertions: keys, ETags, headers and bytes.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS } from '../../examples/local-s3-server.mjs';

export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface StoredObject {
  etag: string;
  size: number;
  contentType: string;
  cacheControl: string;
  lastModified: number;
}

export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** Every object with its ETag and headers: compare two snapshots to prove a bucket was not touched. */
export async function snapshot(client: S3Client, bucket: string): Promise<Record<string, StoredObject>> {
  const result: Record<string, StoredObject> = {};
  for (const key of await listKeys(client, bucket)) {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    result[key] = {
      etag: (head.ETag ?? '').replace(/"/g, ''),
      size: head.ContentLength ?? 0,
      contentType: head.ContentType ?? '',
      cacheControl: head.CacheControl ?? '',
      lastModified: head.LastModified?.getTime() ?? 0,
    };
  }
  return result;
}

export async function readObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: Buffer; contentType: string; cacheControl: string }> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: Buffer.from(await response.Body!.transformToByteArray()),
    contentType: response.ContentType ?? '',
    cacheControl: response.CacheControl ?? '',
  };
}
