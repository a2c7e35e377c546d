import * as core from '@actions/core';
import type { S3Client } from '@aws-sdk/client-s3';

/** Environment variables that may hold a secret this process can see. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'INPUT_GITHUB-TOKEN', 'GITHUB_TOKEN'];

/** Registers every secret in the environment with the runner, which then masks it wherever it is printed. */
export function maskSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value) core.setSecret(value);
  }
}

/**
 * Whether the SDK's default chain (environment, OIDC web identity from configure-aws-credentials, profiles,
 * instance roles) yields credentials. The secrets it resolves are masked too.
 */
export async function haveCredentials(client: S3Client): Promise<boolean> {
  try {
    const credentials = await client.config.credentials();
    core.setSecret(credentials.secretAccessKey);
    if (credentials.sessionToken) core.setSecret(credentials.sessionToken);
    return true;
  } catch (error) {
    if ((error as Error).name === 'CredentialsProviderError') return false;
    throw error;
  }
}
