// A loopback stand-in for the CloudFront API (there is no CloudFront emulator), for the demo and the tests:
// the action reaches it through AWS_ENDPOINT_URL_CLOUDFRONT. It records CreateInvalidation calls (and can
// report each as it arrives) and answers GetInvalidation. It listens on 127.0.0.1 only.
import http from 'node:http';

const xmlText = (xml, tag) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((match) => decodeXml(match[1] ?? ''));

function decodeXml(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * startCloudFrontStub({ failWith?, failTimes?, pollsUntilCompleted?, onInvalidation? })
 * → { endpoint, invalidations: [{ distributionId, callerReference, paths }], polls, close() }
 * `failWith` answers CreateInvalidation with that error code (HTTP 400) — the first `failTimes` calls only,
 * when given; `pollsUntilCompleted` makes
 * GetInvalidation answer InProgress that many times first; `onInvalidation(invalidation, id)` is called for
 * each CreateInvalidation received.
 */
export async function startCloudFrontStub(options = {}) {
  const stub = { endpoint: '', invalidations: [], polls: 0, failures: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const create = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(req.url ?? '');
      const get = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation\/([^/?]+)/.exec(req.url ?? '');
      const reply = (status, xml, headers = {}) => {
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amz-request-id': 'stub', ...headers });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
      };
      if (req.method === 'POST' && create) {
        if (options.failWith && (options.failTimes === undefined || stub.failures < options.failTimes)) {
          stub.failures += 1;
          reply(
            400,
            `<ErrorResponse><Error><Type>Sender</Type><Code>${options.failWith}</Code><Message>stubbed failure</Message></Error></ErrorResponse>`,
          );
          return;
        }
        const paths = xmlText(body, 'Path');
        const [callerReference = ''] = xmlText(body, 'CallerReference');
        const invalidation = { distributionId: create[1], callerReference, paths };
        stub.invalidations.push(invalidation);
        const id = `ISTUB${stub.invalidations.length}`;
        options.onInvalidation?.(invalidation, id);
        reply(
          201,
          `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${id}</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>${paths.length}</Quantity></Paths><CallerReference>${callerReference}</CallerReference></InvalidationBatch></Invalidation>`,
          { location: `https://cloudfront.example/2020-05-31/distribution/${create[1]}/invalidation/${id}` },
        );
        return;
      }
      if (req.method === 'GET' && get) {
        stub.polls += 1;
        const status = stub.polls > (options.pollsUntilCompleted ?? 0) ? 'Completed' : 'InProgress';
        reply(
          200,
          `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${get[2]}</Id><Status>${status}</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>0</Quantity></Paths><CallerReference>x</CallerReference></InvalidationBatch></Invalidation>`,
        );
        return;
      }
      reply(404, '<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>');
    });
  });
  server.requestTimeout = 10_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.endpoint = `http://127.0.0.1:${server.address().port}`;
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
