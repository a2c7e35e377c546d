// An independent check of a SigV4 header signature as S3 makes it (node:crypto only, no SDK code): the
// canonical request rebuilt from what arrived on the wire, the signing key derived from the secret. s3rver
// accepts any SigV4 signature (its check is unimplemented), so tests of signing use this instead.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export type Verdict = 'valid' | 'unsigned' | 'bad signature' | 'bad payload hash';

/**
 * Whether `url` (path and query as sent), `headers` and `body` carry a valid signature by `secret`. Without
 * the body (a proxy that streams it on), the signed payload hash is taken as sent.
 */
export function verifySigV4(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
  secret: string,
): Verdict {
  const match =
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      String(headers.authorization ?? ''),
    );
  if (!match) return 'unsigned';
  const [, date, region, service, signedHeaders, signature] = match as unknown as string[];
  const payloadHash = String(headers['x-amz-content-sha256'] ?? '');
  if (body && payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'bad payload hash';
  const [path, query = ''] = url.split('?') as [string, string?];
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((pair) => (pair.includes('=') ? pair : `${pair}=`))
    .sort()
    .join('&');
  const names = signedHeaders!.split(';');
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', String(headers['x-amz-date']), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex') === signature ? 'valid' : 'bad signature';
}
