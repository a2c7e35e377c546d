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
  close(): Promise<void>;
}
export function startCloudFrontStub(options?: {
  failWith?: string;
  pollsUntilCompleted?: number;
  onInvalidation?: (invalidation: RecordedInvalidation, id: string) => void;
}): Promise<CloudFrontStub>;
