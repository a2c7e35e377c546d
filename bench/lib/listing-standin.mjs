// A stand-in S3 bucket for the million-object bench (issue #18): no disk-backed test server holds a million
// objects, so this one holds none. It answers ListObjectsV2 (path-style, `prefix`, `start-after`,
// `continuation-token`, 1,000 keys a page) from a sorted key list with ETags and sizes given up front,
// GetObject and HeadObject of the few objects it was given bodies for (the deploy manifest), and nothing
// else: any other request gets 501 and is counted, so a bench can say a no-change deploy made no write.
// Every answer waits `delayMs` first, like a request across a network. 127.0.0.1 only.
import { createServer } from 'node:http';

const PAGE = 1000;

function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

/** The first index whose key is greater than `after` (or, `orEqual`, not less); keys sorted, ASCII. */
function search(keys, after, orEqual = false) {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle] < after || (!orEqual && keys[middle] === after)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Starts the stand-in. `objects`: { keys (sorted, ASCII), etags, sizes, lastModified (ISO) };
 * `bodies`: Map key → { body, etag } for GetObject and HeadObject. Resolves to { endpoint, requests (operation → count), close }.
 */
export async function startListingStandin({ bucket, objects, bodies = new Map(), delayMs = 0 }) {
  const requests = {};
  const count = (operation) => (requests[operation] = (requests[operation] ?? 0) + 1);
  const { keys, etags, sizes, lastModified } = objects;

  const list = (query) => {
    const prefix = query.get('prefix') ?? '';
    const token = query.get('continuation-token');
    const startAfter = query.get('start-after');
    const underPrefix = search(keys, prefix, true);
    const start = token
      ? Number(Buffer.from(token, 'base64url').toString())
      : Math.max(underPrefix, startAfter ? search(keys, startAfter) : 0);
    const parts = [];
    let index = start;
    for (; index < keys.length && parts.length < PAGE && keys[index].startsWith(prefix); index += 1) {
      parts.push(
        `<Contents><Key>${escapeXml(keys[index])}</Key><LastModified>${lastModified}</LastModified><ETag>&quot;${etags[index]}&quot;</ETag><Size>${sizes[index]}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
    }
    const truncated = index < keys.length && keys[index].startsWith(prefix);
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${parts.length}</KeyCount><MaxKeys>${PAGE}</MaxKeys>` +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (truncated
        ? `<NextContinuationToken>${Buffer.from(String(index)).toString('base64url')}</NextContinuationToken>`
        : '') +
      (startAfter ? `<StartAfter>${escapeXml(startAfter)}</StartAfter>` : '') +
      `${parts.join('')}</ListBucketResult>`
    );
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const [, name, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    request.resume();
    request.once('end', () =>
      setTimeout(() => {
        if (name !== bucket) return answer(response, 404, 'NoSuchBucket');
        if (request.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2') {
          count('ListObjectsV2');
          response.writeHead(200, { 'content-type': 'application/xml' });
          return response.end(list(url.searchParams));
        }
        if ((request.method === 'GET' || request.method === 'HEAD') && key !== '') {
          count(request.method === 'GET' ? 'GetObject' : 'HeadObject');
          const { body, etag } = bodies.get(key) ?? {};
          if (!body) return answer(response, 404, 'NoSuchKey', request.method === 'HEAD');
          response.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': body.length,
            etag: `"${etag}"`,
            'last-modified': new Date(lastModified).toUTCString(),
          });
          return response.end(request.method === 'GET' ? body : undefined);
        }
        count(`${request.method} (refused)`);
        return answer(response, 501, 'NotImplemented');
      }, delayMs),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function answer(response, status, code, head = false) {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    head
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
}
