import { InputError } from '../shared/errors.js';

// The environment `build-command` runs in: the step's environment without what could deploy, sign in or
// speak for this step — AWS credentials and settings, tokens, keys, passwords, the SSH agent, the OIDC request
// variables, the action's own inputs and file commands — unless `build-env` names a variable to pass through.
// Hygiene, not a sandbox: the build runs as the same user and can read any file that user can (see the
// README's Security section).

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
 * Withheld by exact name: the action's file commands (what the build wrote there would be taken as this step's
 * outputs, state, summary, or the next steps' environment and PATH), and the SSH agent, which signs in for
 * whoever reaches its socket.
 */
const WITHHELD_NAMES = new Set([
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
]);

/**
 * Names that hold a credential by convention (case-insensitive; a word is delimited by `_`, `-` or the ends of
 * the name). Generous on purpose — a build that needs one of them gets it through `build-env` — but never the
 * ordinary settings: PWD and OLDPWD (the working directory), PATH, KEYBOARD_LAYOUT, GIT_AUTHOR_NAME, and
 * TOKENIZERS_PARALLELISM (the Hugging Face tokenizers setting, which Python builds such as ParlAI's may set)
 * are kept.
 */
const SECRET_NAMES: readonly RegExp[] = [
  // SECRET, PASSWORD, PASSWD, PASSPHRASE, CREDENTIAL anywhere: CLIENT_SECRET, MYSECRET, PGPASSWORD, DBPASSWORD,
  // GOOGLE_APPLICATION_CREDENTIALS.
  /SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL/i,
  // TOKEN or TOKENS as a word (GITHUB_TOKEN, NODE_AUTH_TOKEN, SLACK_TOKENS) or ending the name (APITOKEN,
  // NPMTOKEN, GHTOKEN); not TOKENIZERS_PARALLELISM.
  /(^|[_-])TOKENS?([_-]|$)/i,
  /TOKENS?$/i,
  // KEY or KEYS ending the name (API_KEY, APIKEY, STRIPE_SECRET_KEY, DEPLOY_KEYS), and PRIVATE_KEY, API_KEY,
  // ACCESS_KEY anywhere (SSH_PRIVATE_KEY_B64, MINIO_ACCESS_KEY_ID); not KEYBOARD_LAYOUT.
  /KEYS?$/i,
  /(PRIVATE|API|ACCESS)[_-]?KEY/i,
  // PASS, CREDS and AUTHORIZATION as a word (SMTP_PASS, DOCKER_CREDS); PWD after a separator (MYSQL_PWD, not PWD
  // or OLDPWD); AUTH, PAT, PATS, COOKIE, COOKIES, SESSION ending the name (NPM_AUTH, GH_PAT, SESSION_COOKIE).
  /(^|[_-])(PASS|CREDS|AUTHORIZATION)([_-]|$)/i,
  /[_-]PWD([_-]|$)/i,
  /(^|[_-])(AUTH|PATS?|COOKIES?|SESSION)$/i,
];

/**
 * Whether `name` is withheld from the build unless `build-env` names it. Hygiene, not a boundary: it keeps
 * credentials out of what build tools print, forward or upload by accident; the build can still read the files
 * and the process environment its user can.
 */
export function withheldFromBuild(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    WITHHELD_PREFIXES.some((prefix) => upper.startsWith(prefix)) ||
    WITHHELD_NAMES.has(upper) ||
    SECRET_NAMES.some((pattern) => pattern.test(name))
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
