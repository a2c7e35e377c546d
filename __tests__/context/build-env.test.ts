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
