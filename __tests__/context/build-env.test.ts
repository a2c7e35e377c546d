import { describe, expect, it } from '@jest/globals';
import { buildEnvironment, parseBuildEnv, withheldFromBuild } from '../../src/context/build-env.js';
import { InputError } from '../../src/shared/errors.js';

/** What a deploy job's step sees after aws-actions/configure-aws-credentials, on a GitHub-hosted runner. */
const STEP_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  LANG: 'C.UTF-8',
  CI: 'true',
  NODE_OPTIONS: '--max-old-space-size=4096',
  GITHUB_WORKSPACE: '/home/runner/work/site/site',
  GITHUB_SHA: '3f2a9c1b7d',
  GITHUB_REPOSITORY: 'facebookresearch/ParlAI',
  RUNNER_TEMP: '/home/runner/work/_temp',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret-key',
  AWS_SESSION_TOKEN: 'session-token',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/home/runner/work/_temp/token',
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/site-deploy',
  AWS_PROFILE: 'deploy',
  AWS_SHARED_CREDENTIALS_FILE: '/home/runner/.aws/credentials',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/token',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/',
  'INPUT_GITHUB-TOKEN': 'ghs_installation',
  'INPUT_SOURCE-DIR': 'public',
  INPUT_BUCKET: 'parl.ai',
  GITHUB_TOKEN: 'ghs_env',
  GH_TOKEN: 'ghs_cli',
  NPM_TOKEN: 'npm_x',
  NODE_AUTH_TOKEN: 'npm_y',
  DB_PASSWORD: 'hunter2',
  CLIENT_SECRET: 's',
  GOOGLE_APPLICATION_CREDENTIALS: '/secrets/key.json',
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_1',
  GITHUB_PATH: '/home/runner/work/_temp/_runner_file_commands/add_path_1',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_1',
  GITHUB_STATE: '/home/runner/work/_temp/_runner_file_commands/save_state_1',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_1',
};

describe('buildEnvironment', () => {
  it('withholds AWS credentials and settings, tokens, the OIDC request, inputs and file commands', () => {
    const env = buildEnvironment(STEP_ENV, []);
    expect(Object.keys(env).sort()).toEqual(
      [
        'CI',
        'GITHUB_REPOSITORY',
        'GITHUB_SHA',
        'GITHUB_WORKSPACE',
        'HOME',
        'LANG',
        'NODE_OPTIONS',
        'PATH',
        'RUNNER_TEMP',
      ].sort(),
    );
    // No value of a withheld variable is anywhere in what the build gets.
    const values = Object.values(env).join('\n');
    for (const secret of ['secret-key', 'session-token', 'oidc-request-token', 'ghs_installation', 'npm_x']) {
      expect(values).not.toContain(secret);
    }
  });

  it('passes exactly the variables build-env names, and only those', () => {
    const env = buildEnvironment(STEP_ENV, ['AWS_REGION', 'NPM_TOKEN', 'NOT_SET']);
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(env.NPM_TOKEN).toBe('npm_x');
    expect(env).not.toHaveProperty('NOT_SET');
    expect(env).not.toHaveProperty('AWS_DEFAULT_REGION');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    // Names are exact, case included.
    expect(buildEnvironment(STEP_ENV, ['aws_region'])).not.toHaveProperty('AWS_REGION');
  });

  it('does not change the environment it is given', () => {
    const copy = { ...STEP_ENV };
    buildEnvironment(copy, []);
    expect(copy).toEqual(STEP_ENV);
  });

  it.each([
    ['aws_secret_access_key', true],
    ['Actions_Runtime_Token', true],
    ['MY_API_TOKEN', true],
    ['TOKENIZER_MODEL', false],
    ['KEYBOARD', false],
    ['SSH_PRIVATE_KEY', true],
    ['GITHUB_ACTIONS', false],
    ['RUNNER_OS', false],
  ])('%s withheld: %s', (name, withheld) => {
    expect(withheldFromBuild(name)).toBe(withheld);
  });
});

describe('withheldFromBuild: the names (issue #19)', () => {
  // Names that hold credentials by convention. Each is withheld unless build-env names it.
  const WITHHELD: Array<[string, string]> = [
    // tokens: as a word, in the plural, or at the end of a name without a separator
    ['GITHUB_TOKEN', 'TOKEN as a word'],
    ['GH_TOKEN', 'TOKEN as a word'],
    ['NODE_AUTH_TOKEN', 'TOKEN as a word'],
    ['HF_TOKEN', 'TOKEN as a word'],
    ['TOKEN', 'TOKEN alone'],
    ['SLACK_TOKENS', 'TOKENS as a word'],
    ['APITOKEN', 'ends in TOKEN'],
    ['NPMTOKEN', 'ends in TOKEN'],
    ['GHTOKEN', 'ends in TOKEN'],
    ['NGROK_AUTHTOKEN', 'ends in TOKEN'],
    ['npmToken', 'ends in TOKEN, any case'],
    // secrets, passwords, passphrases, credentials: anywhere in the name
    ['CLIENT_SECRET', 'SECRET'],
    ['MYSECRET', 'SECRET'],
    ['DEPLOY_SECRETS', 'SECRET'],
    ['SECRET_KEY_BASE', 'SECRET'],
    ['DB_PASSWORD', 'PASSWORD'],
    ['DBPASSWORD', 'PASSWORD'],
    ['PGPASSWORD', 'PASSWORD'],
    ['REDIS_PASSWORDS', 'PASSWORD'],
    ['MYSQL_PASSWD', 'PASSWD'],
    ['HTPASSWD', 'PASSWD'],
    ['GPG_PASSPHRASE', 'PASSPHRASE'],
    ['GOOGLE_APPLICATION_CREDENTIALS', 'CREDENTIAL'],
    ['AZURE_CREDENTIAL', 'CREDENTIAL'],
    ['DOCKER_CREDENTIAL_HELPER_CONFIG', 'CREDENTIAL'],
    // keys: a name ending in KEY or KEYS, and PRIVATE_KEY, API_KEY, ACCESS_KEY anywhere
    ['API_KEY', 'ends in KEY'],
    ['APIKEY', 'ends in KEY'],
    ['OPENAI_API_KEY', 'ends in KEY'],
    ['STRIPE_SECRET_KEY', 'ends in KEY'],
    ['WANDB_API_KEY', 'ends in KEY'],
    ['ALGOLIA_ADMIN_KEY', 'ends in KEY'],
    ['DEPLOY_KEYS', 'ends in KEYS'],
    ['SSH_PRIVATE_KEY_B64', 'PRIVATE_KEY'],
    ['OPENAI_API_KEY_2', 'API_KEY'],
    ['MINIO_ACCESS_KEY_ID', 'ACCESS_KEY'],
    // words that are secrets in this place
    ['SMTP_PASS', 'PASS as a word'],
    ['DB_PASS_PROD', 'PASS as a word'],
    ['MYSQL_PWD', 'PWD after a separator'],
    ['DB_PWD_FILE', 'PWD after a separator'],
    ['DOCKER_CREDS', 'CREDS as a word'],
    ['CREDS_JSON', 'CREDS as a word'],
    ['NPM_AUTH', 'ends in AUTH'],
    ['NPM_CONFIG__AUTH', 'ends in AUTH'],
    ['BASIC_AUTH', 'ends in AUTH'],
    ['HTTP_AUTHORIZATION', 'AUTHORIZATION as a word'],
    ['GH_PAT', 'ends in PAT'],
    ['ADO_PATS', 'ends in PATS'],
    ['SESSION_COOKIE', 'ends in COOKIE'],
    ['AUTH_COOKIES', 'ends in COOKIES'],
    ['SHOPIFY_SESSION', 'ends in SESSION'],
    // an agent that signs in for whoever can reach it
    ['SSH_AUTH_SOCK', 'the SSH agent'],
    ['SSH_AGENT_PID', 'the SSH agent'],
    // the runner's and the action's own
    ['AWS_REGION', 'AWS_*'],
    ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_*'],
    ['INPUT_GITHUB-TOKEN', 'INPUT_*'],
    ['GITHUB_ENV', 'a file command'],
    ['GITHUB_STEP_SUMMARY', 'a file command'],
  ];

  // What a build needs (or what the runner sets) and holds no credential: kept.
  const KEPT: Array<[string, string]> = [
    ['PATH', 'PAT only at the end'],
    ['HOME', ''],
    ['PWD', 'the working directory'],
    ['OLDPWD', 'the previous working directory'],
    ['LANG', ''],
    ['CI', ''],
    ['SHELL', ''],
    ['USER', ''],
    ['GITHUB_SHA', ''],
    ['GITHUB_REF', ''],
    ['GITHUB_REPOSITORY', ''],
    ['GITHUB_WORKSPACE', ''],
    ['GITHUB_EVENT_PATH', ''],
    ['GITHUB_SERVER_URL', ''],
    ['RUNNER_OS', ''],
    ['RUNNER_TEMP', ''],
    ['NODE_ENV', ''],
    ['NODE_OPTIONS', ''],
    ['PYTHONPATH', ''],
    ['PYTHONHASHSEED', ''],
    ['TOKENIZERS_PARALLELISM', 'TOKEN only as a word or at the end: the Hugging Face tokenizers setting'],
    ['TOKENIZER_MODEL', 'TOKEN only as a word or at the end'],
    ['HF_HOME', ''],
    ['TRANSFORMERS_CACHE', ''],
    ['OMP_NUM_THREADS', ''],
    ['KEYBOARD_LAYOUT', 'KEY only at the end'],
    ['KEY_PATH', 'KEY only at the end'],
    ['PASSTHROUGH_MODE', 'PASS only as a word'],
    ['BYPASS_CACHE', 'PASS only as a word'],
    ['GIT_AUTHOR_NAME', 'AUTH only at the end'],
    ['AUTHOR', 'AUTH only at the end'],
    ['XDG_SESSION_TYPE', 'SESSION only at the end'],
    ['TERM_SESSION_ID', 'SESSION only at the end'],
    ['SELENIUM_JAR_PATH', ''],
    ['COOKIE_DOMAIN', 'COOKIE only at the end'],
    ['PIP_INDEX_URL', ''],
    ['GITHUB_ACTIONS', ''],
  ];

  it.each(WITHHELD)('%s is withheld (%s)', (name) => {
    expect(withheldFromBuild(name)).toBe(true);
    // … and build-env passes it.
    expect(buildEnvironment({ [name]: 'v' }, [name])).toEqual({ [name]: 'v' });
    expect(buildEnvironment({ [name]: 'v' }, [])).toEqual({});
  });

  it.each(KEPT)('%s is kept %s', (name) => {
    expect(withheldFromBuild(name)).toBe(false);
  });
});

describe('parseBuildEnv', () => {
  it('reads names one a line (spaces or commas also separate), skipping comments and blanks', () => {
    expect(
      parseBuildEnv('AWS_REGION\n\n# for the docs build\nNPM_TOKEN, SENTRY_DSN  INPUT_GITHUB-TOKEN\nAWS_REGION'),
    ).toEqual(['AWS_REGION', 'NPM_TOKEN', 'SENTRY_DSN', 'INPUT_GITHUB-TOKEN']);
    expect(parseBuildEnv('')).toEqual([]);
  });

  it('refuses an assignment, naming the input', () => {
    expect(() => parseBuildEnv('AWS_REGION=us-east-1')).toThrow(InputError);
    expect(() => parseBuildEnv('AWS_REGION=us-east-1')).toThrow(/^Input 'build-env': 'AWS_REGION=us-east-1' is not/);
    expect(() => parseBuildEnv('1ABC')).toThrow(/Input 'build-env'/);
  });
});
