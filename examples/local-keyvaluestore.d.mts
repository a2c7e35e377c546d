export interface RecordedKvsRequest {
  method: string;
  operation: 'DescribeKeyValueStore' | 'ListKeys' | 'UpdateKeys' | 'unknown';
  arn: string;
  query: Record<string, string>;
  ifMatch?: string;
  authorization?: string;
  regionSet?: string;
  body?: { Puts?: Array<{ Key: string; Value: string }>; Deletes?: Array<{ Key: string }> };
}

export interface KeyValueStoreStub {
  /** The base URL (http://127.0.0.1:PORT). */
  endpoint: string;
  arn: string;
  entries: Map<string, string>;
  /** The ETag the store is at (`ETVER<version>`). */
  etag(): string;
  /** Another writer: changes the store (and its ETag) at once. */
  write(put: Record<string, string>, del?: string[]): void;
  requests: RecordedKvsRequest[];
  /** Called before an UpdateKeys is applied (e.g. to let another writer in first). */
  beforeUpdate?: (stub: KeyValueStoreStub, request: RecordedKvsRequest) => void;
  /** Answer the next requests of this operation with this error instead. */
  failNext?: { operation: RecordedKvsRequest['operation']; status: number; type: string; message: string };
  /** DescribeKeyValueStore's Status. */
  status: string;
  close(): Promise<void>;
}

export function startKeyValueStoreStub(options?: {
  arn?: string;
  entries?: Record<string, string>;
  /** Closes itself after this long (default 30 s); Infinity: only on close(). */
  lifetimeMs?: number;
}): Promise<KeyValueStoreStub>;
