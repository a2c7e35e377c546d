export interface ProxiedRequest {
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  index: number;
}
export type Fault =
  | undefined
  | 'reset'
  | { status: number; code: string; delayMs?: number }
  | { delayMs: number }
  | { until: Promise<unknown> };
export interface S3Proxy {
  endpoint: string;
  readonly counts: Record<string, number>;
  readonly bytesIn: number;
  readonly requests: Array<{ operation: string; method: string; url: string; injected?: string }>;
  writes(): number;
  reset(): void;
  close(): Promise<void>;
}
export const WRITE_OPERATIONS: Set<string>;
export function classify(method: string, url: string, headers: Record<string, unknown>): string;
export function startS3Proxy(options: {
  target: string;
  fault?: (request: ProxiedRequest) => Fault;
  /** How conditional writes are treated: as S3 does (`honour`), 501 (`refuse`), or not at all (`ignore`, s3rver's way). */
  conditional?: 'honour' | 'refuse' | 'ignore';
}): Promise<S3Proxy>;
