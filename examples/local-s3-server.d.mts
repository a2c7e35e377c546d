export const LOCAL_S3_CREDENTIALS: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
export interface LocalS3 {
  endpoint: string;
  port: number;
  directory: string;
  stop(): Promise<void>;
}
export function startLocalS3(options?: {
  buckets?: string[];
  directory?: string;
  port?: number;
  allowMismatchedSignatures?: boolean;
}): Promise<LocalS3>;
