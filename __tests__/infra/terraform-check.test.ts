// .ci/terraform.sh (the Terraform step of .ci/run and of ci.yml's terraform job), run against a recording
// stand-in for terraform first on PATH: which commands it runs, where, with which provider source, that it
// fails loudly, that it leaves nothing behind (checkout or temp folder), and that without a terraform CLI
// it says Terraform was NOT checked instead of passing quietly. The real terraform run is .ci/run's job.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = process.cwd();
const SCRIPT = path.join(REPO, '.ci', 'terraform.sh');

/** Absolute path of a tool, looked up on the test's own PATH (the script may run with a bare PATH). */
function which(tool: string): string {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  if (!found) throw new Error(`${tool} not found on PATH`);
  return found;
}
const BASH = which('bash');

// Appends {args, cwd, override} to $STANDIN_LOG per call; `override` is the content of the provider
// override file in the module folder at that moment (null when there is none).
const STAND_IN = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const overrideFile = path.join(process.cwd(), 'ci_provider_override.tf');
const override = fs.existsSync(overrideFile) ? fs.readFileSync(overrideFile, 'utf8') : null;
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ args, cwd: process.cwd(), override }) + '\\n');
const [sleeping, seconds] = (process.env.STANDIN_SLEEP || ':').split(':');
if (sleeping === args[0]) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(seconds) * 1000);
const [failing, code] = (process.env.STANDIN_FAIL || ':').split(':');
if (failing === args[0]) {
  process.stderr.write('Error: stand-in terraform told to fail ' + args[0] + '\\n');
  process.exit(Number(code));
}
if (args[0] === 'version') process.stdout.write('Terraform v' + (process.env.STANDIN_VERSION || '1.11.4') + '\\non linux_amd64\\n');
else if (args[0] === 'test') process.stdout.write(process.env.STANDIN_TEST_OUTPUT || 'Success! 3 passed, 0 failed.\\n');
else if (args[0] === 'init') fs.mkdirSync(path.join(process.cwd(), '.terraform'), { recursive: true });
`;

let work: string;
let binDir: string;
let pluginDir: string;
let runCount = 0;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'terraform-check-'));
  binDir = path.join(work, 'bin');
  pluginDir = path.join(work, 'plugins');
  mkdirSync(binDir);
  mkdirSync(path.join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'), {
    recursive: true,
  });
  writeFileSync(path.join(binDir, 'terraform'), STAND_IN);
  chmodSync(path.join(binDir, 'terraform'), 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Array<{ args: string[]; cwd: string; override: string | null }>;
  tmpLeft: string[];
}

function runCheck(env: Record<string, string> = {}, pathOverride?: string): Run {
  const dir = path.join(work, `run-${++runCount}`);
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const log = path.join(dir, 'terraform.log');
  writeFileSync(log, '');
  const result = spawnSync(BASH, [SCRIPT], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: pathOverride ?? `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: dir,
      TMPDIR: tmp,
      STANDIN_LOG: log,
      TF_PLUGIN_DIR: pluginDir,
      ...env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Run['calls'][number]),
    tmpLeft: readdirSync(tmp),
  };
}

/** "init terraform", "validate terraform/bootstrap", ...: each call with the module it ran in. */
function sequence(run: Run): string[] {
  return run.calls.map((call) => {
    const module = call.cwd.endsWith(`${path.sep}bootstrap`) ? 'terraform/bootstrap' : 'terraform';
    return call.args[0] === 'version' || call.args[0] === 'fmt'
      ? (call.args[0] as string)
      : `${call.args[0]} ${module}`;
  });
}

describe('.ci/terraform.sh', () => {
  it('runs fmt -check, then init -backend=false, validate and test in both root modules', () => {
    const run = runCheck();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(sequence(run)).toEqual([
      'version',
      'fmt',
      'init terraform',
      'validate terraform',
      'test terraform',
      'init terraform/bootstrap',
      'validate terraform/bootstrap',
      'test terraform/bootstrap',
    ]);
    expect(run.calls[1]?.args).toEqual(['fmt', '-check', '-recursive', '-diff', 'terraform']);
    expect(run.calls[1]?.cwd).toBe(REPO);
    expect(run.calls[2]?.args).toEqual([
      'init',
      '-backend=false',
      '-input=false',
      '-no-color',
      `-plugin-dir=${pluginDir}`,
    ]);
    expect(run.stdout).toContain(`providers from the filesystem mirror ${pluginDir}`);
    expect(run.stdout).toContain('aws provider in use: 5.100.0');
    expect(run.stdout).toContain('== Terraform checked');
  });

  it('works on a temporary copy: nothing is written to the checkout, and the copy is removed', () => {
    const run = runCheck();
    expect(run.status).toBe(0);
    const initDirs = run.calls.filter((call) => call.args[0] === 'init').map((call) => call.cwd);
    expect(initDirs).toHaveLength(2);
    for (const dir of initDirs) {
      expect(dir.startsWith(path.join(work, `run-${runCount}`, 'tmp'))).toBe(true);
      expect(existsSync(dir)).toBe(false);
    }
    expect(run.tmpLeft).toEqual([]);
    expect(existsSync(path.join(REPO, 'terraform', '.terraform'))).toBe(false);
    expect(existsSync(path.join(REPO, 'terraform', 'bootstrap', '.terraform'))).toBe(false);
  });

  it('a failing terraform test fails the check, names the module, and still cleans up', () => {
    const run = runCheck({ STANDIN_FAIL: 'test:1' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('::error::terraform: terraform test failed.');
    expect(sequence(run)).not.toContain('init terraform/bootstrap');
    expect(run.tmpLeft).toEqual([]);
  });

  it('bounds every terraform command by TF_CHECK_TIMEOUT', () => {
    const started = Date.now();
    const run = runCheck({ STANDIN_SLEEP: 'validate:20', TF_CHECK_TIMEOUT: '1' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('::error::terraform: terraform validate failed.');
    expect(run.tmpLeft).toEqual([]);
  });

  it('refuses a Terraform older than 1.11 (the tests need override_during), before running anything else', () => {
    const run = runCheck({ STANDIN_VERSION: '1.10.5' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Terraform 1.10.5 is too old: the tests need Terraform 1.11 or later.');
    expect(sequence(run)).toEqual(['version']);
    expect(runCheck({ STANDIN_VERSION: '1.14.0' }).status).toBe(0);
  });

  it('rejects a TF_CHECK_TIMEOUT that is not a number of seconds', () => {
    const run = runCheck({ TF_CHECK_TIMEOUT: '5m' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('TF_CHECK_TIMEOUT must be a whole number of seconds');
  });

  it('unformatted files fail the check before anything else runs', () => {
    const run = runCheck({ STANDIN_FAIL: 'fmt:3' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('terraform fmt found unformatted files');
    expect(sequence(run)).toEqual(['version', 'fmt']);
  });

  it('a module without tests does not pass silently', () => {
    const run = runCheck({ STANDIN_TEST_OUTPUT: 'Success! 0 passed, 0 failed.\n' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('terraform test found no tests');
  });

  it('TF_AWS_PROVIDER_VERSION pins the provider through an override file and init -upgrade', () => {
    const run = runCheck({ TF_AWS_PROVIDER_VERSION: '~> 6.0' });
    expect(run.status).toBe(0);
    const inits = run.calls.filter((call) => call.args[0] === 'init');
    expect(inits).toHaveLength(2);
    for (const init of inits) {
      expect(init.args).toContain('-upgrade');
      expect(init.override).toMatch(/aws = \{\s+source\s+= "hashicorp\/aws"\s+version = "~> 6\.0"\s+\}/);
    }
    // The plain run has neither.
    const plain = runCheck().calls.filter((call) => call.args[0] === 'init');
    expect(plain.every((call) => !call.args.includes('-upgrade') && call.override === null)).toBe(true);
  });

  it('TF_EXPECT_AWS_PROVIDER fails a leg that tests another provider version than it says', () => {
    const run = runCheck({ TF_EXPECT_AWS_PROVIDER: '6.' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('aws provider 5.100.0 is in use, expected 6.*');
    expect(runCheck({ TF_EXPECT_AWS_PROVIDER: '5.100.0' }).status).toBe(0);
  });

  it('rejects a TF_PLUGIN_DIR without the aws provider', () => {
    const run = runCheck({ TF_PLUGIN_DIR: path.join(work, 'bin') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('holds no registry.terraform.io/hashicorp/aws provider');
    expect(run.calls).toEqual([]);
  });

  it('without a terraform CLI: a plain warning that Terraform was NOT checked (not a pass)', () => {
    // A PATH with the one external tool the script needs before it looks for terraform.
    const tools = path.join(work, 'tools');
    if (!existsSync(tools)) {
      mkdirSync(tools);
      symlinkSync(which('dirname'), path.join(tools, 'dirname'));
    }
    const run = runCheck({}, tools);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^::warning::Terraform was NOT checked: no terraform CLI on PATH/m);
    expect(run.stdout).toContain('(this is not a pass)');
    expect(run.calls).toEqual([]);

    const required = runCheck({ TF_CHECK_REQUIRED: '1' }, tools);
    expect(required.status).toBe(1);
    expect(required.stderr).toMatch(/^::error::Terraform was NOT checked/m);
  });

  it('is called by .ci/run after the lint step, and by the terraform job of ci.yml on both provider ends', () => {
    const ciRun = readFileSync(path.join(REPO, '.ci', 'run'), 'utf8').split('\n');
    expect(ciRun.indexOf('bash .ci/terraform.sh')).toBe(ciRun.indexOf('npm run lint') + 1);
    const workflow = readFileSync(path.join(REPO, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(workflow).toContain('run: bash .ci/terraform.sh');
    expect(workflow).toMatch(/- expect: 5\.100\.0\n\s+override: ''/);
    expect(workflow).toMatch(/- expect: '6\.'\n\s+override: '~> 6\.0'/);
    expect(workflow).toMatch(/TF_CHECK_REQUIRED: '1'/);
  });
});
