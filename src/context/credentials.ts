// AWS credentials: whether this run has any, and every secret registered for masking before anything prints.

/** Environment variables that may hold a secret this process can see. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'INPUT_GITHUB-TOKEN', 'GITHUB_TOKEN'];

/** Registers every secret in the environment with `mask` (the runner then hides it wherever it is printed). */
export function maskSecrets(env: NodeJS.ProcessEnv, mask: (secret: string) => void): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value) mask(value);
  }
}

export interface ResolvedCredentials {
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Whether the SDK's default chain (environment, OIDC web identity from configure-aws-credentials, profiles,
 * instance roles) yields credentials; the secrets it resolves are masked too.
 */
export async function haveCredentials(
  resolve: () => Promise<ResolvedCredentials>,
  mask: (secret: string) => void,
): Promise<boolean> {
  try {
    const credentials = await resolve();
    mask(credentials.secretAccessKey);
    if (credentials.sessionToken) mask(credentials.sessionToken);
    return true;
  } catch (error) {
    if ((error as Error).name === 'CredentialsProviderError') return false;
    throw error;
  }
}
