import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { USER_AGENT } from '../user-agent.js';

export interface S3Settings {
  region: string;
  endpointUrl?: string;
  forcePathStyle: boolean;
  /** The most requests the deploy has in flight (the write window's ceiling). */
  maxConcurrency: number;
}

/** Parts of large files in flight at once, across all files: bounds memory to this many PART_SIZE buffers. */
export const PARTS_IN_FLIGHT = 4;

/** One keep-alive socket per request in flight, at the write window's largest: no new TLS handshake per object. */
export function agentOptions(settings: Pick<S3Settings, 'maxConcurrency'>) {
  return { keepAlive: true, maxSockets: settings.maxConcurrency + PARTS_IN_FLIGHT };
}

/** The keep-alive agents a client sends on, shared with the direct PUTs of site files (direct-put.ts). */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

const newAgents = (options: http.AgentOptions): Agents => ({
  http: new http.Agent(options),
  https: new https.Agent(options),
});

const clientAgents = new WeakMap<S3Client, Agents>();

/** The agents of a client of createS3Client (new keep-alive ones for a client made elsewhere). */
export function agentsOf(client: S3Client): Agents {
  let agents = clientAgents.get(client);
  if (!agents) {
    agents = newAgents({ keepAlive: true });
    clientAgents.set(client, agents);
  }
  return agents;
}

export function createS3Client(settings: S3Settings): S3Client {
  const agents = newAgents(agentOptions(settings));
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpointUrl,
    forcePathStyle: settings.forcePathStyle,
    followRegionRedirects: true,
    // Standard retries: exponential backoff with jitter on 503 SlowDown, 500 and resets, up to 6 attempts.
    // Not 'adaptive': its client-side rate limiter, once a SlowDown arrives, held a first upload at 25 ms to
    // 49 writes a second where the store took 200 (bench/throttle.md); the write window backs off instead.
    retryMode: 'standard',
    maxAttempts: 6,
    // Integrity comes from Content-MD5 on every PUT and part (checked by S3) and the ETag check below (for
    // servers that skip Content-MD5). The SDK's default CRC32 trailers would add aws-chunked framing that
    // some S3-compatible servers store verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    customUserAgent: USER_AGENT,
    requestHandler: {
      httpAgent: agents.http,
      httpsAgent: agents.https,
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    },
  });
  clientAgents.set(client, agents);
  return client;
}
