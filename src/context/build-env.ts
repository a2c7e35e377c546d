import { InputError } from '../shared/errors.js';

// The environment `build-command` runs in: the step's environment without what could deploy, sign in or
// speak for this step — AWS credentials and settings, tokens, the OIDC request variables, the action's own
// inputs and file commands — unless `build-env` names a variable to pass through. Not a sandbox: the build
// runs as the same user and can read any file that user can (see the README's Security section).

/** Variable names kept from the build whatever their name, by prefix: */
const WITHHELD_PREFIXES = [
  // AWS credentials and where the SDKs find them (keys, session token, web identity token file, role,
  // profile, shared files, container credential endpoints), and every other AWS setting.
  'AWS_',
  // The runner's own: ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN / _URL, ACTIONS_RESULTS_URL, …
  'ACTIONS_',
  // This action's inputs, `github-token` among them.
  'INPUT_',
];

/**
 * The action's file commands: what the build wrote there would be taken as this step's outputs, state,
 * summary, or the next steps' environment and PATH.
 */
const WITHHELD_NAMES = new Set(['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']);

/** Any other name holding a secret by its name: GITHUB_TOKEN, GH_TOKEN, NPM_TOKEN, NODE_AUTH_TOKEN, …_PASSWORD. */
const SECRET_NAME = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY)(_|$)/i;

/** Whether `name` is withheld from the build unless `build-env` names it. */
export function withheldFromBuild(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    WITHHELD_PREFIXES.some((prefix) => upper.startsWith(prefix)) || WITHHELD_NAMES.has(upper) || SECRET_NAME.test(name)
  );
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `build-env`: variable names, one a line (or separated by spaces or commas); `#` starts a comment line. */
export function parseBuildEnv(text: string): string[] {
  const names = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((name) => name !== '');
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) {
      throw new InputError(
        'build-env',
        `'${name}' is not an environment variable name: list names only, one a line, like 'AWS_REGION' (no '=' or values).`,
      );
    }
  }
  return [...new Set(names)];
}

/**
 * The environment for `build-command`: `env` without the withheld variables, except those `passThrough`
 * names (exactly, case included). Pure: `env` is not changed.
 */
export function buildEnvironment(env: NodeJS.ProcessEnv, passThrough: readonly string[]): Record<string, string> {
  const allowed = new Set(passThrough);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (withheldFromBuild(name) && !allowed.has(name)) continue;
    result[name] = value;
  }
  return result;
}
