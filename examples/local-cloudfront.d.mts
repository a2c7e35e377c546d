export interface RecordedInvalidation {
  distributionId: string;
  callerReference: string;
  paths: string[];
}
export interface CloudFrontStub {
  endpoint: string;
  invalidations: RecordedInvalidation[];
  /** GetInvalidation calls answered. */
  polls: number;
  /** CreateInvalidation calls failed on purpose. */
  failures: number;
  close(): Promise<void>;
}
export function startCloudFrontStub(options?: {
  failWith?: string;
  /** Fail only this many calls, then answer normally. */
  failTimes?: number;
  pollsUntilCompleted?: number;
  onInvalidation?: (invalidation: RecordedInvalidation, id: string) => void;
}): Promise<CloudFrontStub>;
