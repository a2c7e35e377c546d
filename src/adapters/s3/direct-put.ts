import http from 'node:http';
import https from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { USER_AGENT } from '../user-agent.js';
import { type Agents, agentsOf } from './client.js';

// A first upload is one single-part PutObject per file, and the SDK's per-request work (a middleware stack
// rebuilt per command, endpoint rules, schema serialisation, a second SHA-256 of the body for the signature)
// cost about two thirds of a millisecond of CPU each (1.0 ms a PUT, against 0.33 ms sent as below).
// These PUTs are sent directly: signed by the SDK's own SignatureV4 with the client's credentials, on the
// client's keep-alive sockets, to the endpoint the SDK itself resolved for a request the store answered
// (learned below, never built by hand). Anything but a 2xx goes back to the SDK, which retries, follows
// region redirects and names the error as for any other call.

/** Where the SDK sent a request the store accepted, and the credential scope it signed for. */
export interface Route {
  protocol: 'http:' | 'https:';
  hostname: string;
  port?: number;
  /** The path before the key: `/bucket/` path-style, `/` virtual-hosted. */
  pathPrefix: string;
  region: string;
  service: string;
}

export interface DirectObject {
  key: string;
  body: Buffer;
  md5: Buffer;
  sha256: Buffer;
  contentType: string;
  cacheControl: string;
}

export type DirectAnswer =
  | { stored: true; etag: string | undefined; versionId: string | undefined; serverSideEncryption: string | undefined }
  | { stored: false; throttled: boolean };

export interface DirectStats {
  /** PUTs the store accepted. */
  stored: number;
  /** PUTs answered with anything else (or not at all), handed back to the SDK. */
  handedBack: number;
  /** Of those, the ones the store throttled (503, 429). */
  throttled: number;
}

const REQUEST_TIMEOUT_MS = 120_000;
const LEARNED_FROM = new Set(['PutObjectCommand', 'GetObjectCommand', 'HeadObjectCommand']);

/** A key as S3 paths carry it: each segment URI-encoded, with `!'()*` too (the SDK's extended encoding). */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/** The credential scope of a SigV4 Authorization header (`Credential=AKID/date/region/service/aws4_request`). */
export function signedScope(authorization: unknown): { region: string; service: string } | undefined {
  if (typeof authorization !== 'string' || !authorization.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization);
  return scope ? { region: scope[1]!, service: scope[2]! } : undefined;
}

interface SentRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The route of a signed object request the store answered with a 2xx, when it is a plain one. */
export function routeOf(request: SentRequest, key: unknown, status: number): Route | undefined {
  if (status < 200 || status > 299 || typeof key !== 'string' || key === '') return undefined;
  if (request.protocol !== 'http:' && request.protocol !== 'https:') return undefined;
  if (!request.hostname || typeof request.path !== 'string') return undefined;
  // Only `x-id` (the SDK's marker) in the query: a version, a part or an access point's extras are not plain.
  if (Object.keys(request.query ?? {}).some((name) => name !== 'x-id')) return undefined;
  const encoded = encodeKeyPath(key);
  if (!request.path.endsWith(encoded)) return undefined;
  const scope = signedScope(request.headers?.authorization);
  if (!scope) return undefined;
  return {
    protocol: request.protocol,
    hostname: request.hostname,
    ...(request.port ? { port: request.port } : {}),
    pathPrefix: request.path.slice(0, request.path.length - encoded.length),
    ...scope,
  };
}

const direct = new WeakMap<S3Client, DirectPut>();

/** Single-part PUTs of site files, sent without the SDK's middleware once the SDK has shown the route. */
export class DirectPut {
  /** Per bucket: a client may serve more than one, and a route is never used for another bucket. */
  private readonly routes = new Map<string, Route>();
  private readonly signer: SignatureV4;
  readonly stats: DirectStats = { stored: 0, handedBack: 0, throttled: 0 };

  /** One per client, on its sockets: the route is learned from the client's own requests. */
  static for(client: S3Client): DirectPut {
    const existing = direct.get(client);
    if (existing) return existing;
    const created = new DirectPut(client, agentsOf(client));
    direct.set(client, created);
    return created;
  }

  private constructor(
    private readonly client: S3Client,
    private readonly agents: Agents,
  ) {
    this.signer = new SignatureV4({
      // Read at each signing: the provider refreshes (and a test may replace it).
      credentials: () => client.config.credentials(),
      region: client.config.region,
      service: 's3',
      sha256: client.config.sha256,
      // S3 signs the path as sent, not escaped twice (as the SDK's S3 signer does).
      uriEscapePath: false,
    });
    // Inside deserialisation, next to the transport: each attempt's signed request and raw status.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Bucket?: unknown; Key?: unknown };
        if (typeof input.Bucket === 'string' && !this.routes.has(input.Bucket)) {
          if (LEARNED_FROM.has(context.commandName ?? '')) {
            const status = (result.response as { statusCode?: number }).statusCode ?? 0;
            const route = routeOf(args.request as SentRequest, input.Key, status);
            if (route) this.routes.set(input.Bucket, route);
          }
        }
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'parlaiSiteDeployDirectRoute' },
    );
  }

  /** Whether a route to the bucket is known (until then, `put` answers undefined and the caller uses the SDK). */
  ready(bucket: string): boolean {
    return this.routes.has(bucket);
  }

  /** One PUT: stored (with what S3 said), or not (the caller sends it again through the SDK). */
  async put(bucket: string, object: DirectObject, signal?: AbortSignal): Promise<DirectAnswer | undefined> {
    const route = this.routes.get(bucket);
    if (!route || signal?.aborted) return undefined;
    const path = route.pathPrefix + encodeKeyPath(object.key);
    const headers: Record<string, string> = {
      host: route.port ? `${route.hostname}:${route.port}` : route.hostname,
      'content-length': String(object.body.length),
      'content-md5': object.md5.toString('base64'),
      // Kept by S3 with the object (as the SDK sends ChecksumSHA256 with its algorithm named), and the
      // signed payload hash: the one SHA-256 of the body serves both.
      'x-amz-sdk-checksum-algorithm': 'SHA256',
      'x-amz-checksum-sha256': object.sha256.toString('base64'),
      'x-amz-content-sha256': object.sha256.toString('hex'),
      'user-agent': USER_AGENT,
    };
    if (object.contentType) headers['content-type'] = object.contentType;
    if (object.cacheControl) headers['cache-control'] = object.cacheControl;
    const offset = this.client.config.systemClockOffset ?? 0;
    const signed = await this.signer.sign(
      { method: 'PUT', protocol: route.protocol, hostname: route.hostname, port: route.port, path, query: {}, headers },
      { signingDate: new Date(Date.now() + offset), signingRegion: route.region, signingService: route.service },
    );
    const answer = await this.send(route, path, signed.headers, object.body, signal);
    if (answer.stored) this.stats.stored += 1;
    else {
      this.stats.handedBack += 1;
      if (answer.throttled) this.stats.throttled += 1;
    }
    return answer;
  }

  private send(
    route: Route,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
    signal?: AbortSignal,
  ): Promise<DirectAnswer> {
    const notStored: DirectAnswer = { stored: false, throttled: false };
    return new Promise((resolve) => {
      const transport = route.protocol === 'https:' ? https : http;
      const request = transport.request(
        {
          agent: route.protocol === 'https:' ? this.agents.https : this.agents.http,
          hostname: route.hostname,
          port: route.port,
          method: 'PUT',
          path,
          headers,
          signal,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          // A PUT's answer has no body worth reading: an error's XML is the SDK's to read, on its own attempt.
          response.resume();
          response.on('error', () => resolve(notStored));
          response.on('end', () => {
            if (status >= 200 && status <= 299) {
              resolve({
                stored: true,
                etag: header(response.headers.etag),
                versionId: header(response.headers['x-amz-version-id']),
                serverSideEncryption: header(response.headers['x-amz-server-side-encryption']),
              });
            } else resolve({ stored: false, throttled: status === 503 || status === 429 });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('request timed out')));
      request.on('error', () => resolve(notStored));
      request.end(body);
    });
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
