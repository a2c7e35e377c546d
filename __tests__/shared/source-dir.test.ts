import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTION_INPUTS } from '../../src/context/action-inputs.js';
import { readInputs, withDefaults } from '../../src/context/inputs.js';
import {
  type SourceBounds,
  confineSourceDir,
  isWithin,
  sourceBounds,
  sourceDirProblem,
} from '../../src/shared/source-dir.js';
import { InputError } from '../../src/shared/errors.js';

const SPECS = [...ACTION_INPUTS];

/** A GitHub-hosted runner's paths. */
const RUNNER_ENV: NodeJS.ProcessEnv = {
  GITHUB_WORKSPACE: '/home/runner/work/site/site',
  RUNNER_TEMP: '/home/runner/work/_temp',
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_1',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_1',
};

function read(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = RUNNER_ENV,
  cwd = '/home/runner/work/site/site',
) {
  const all: Record<string, string> = { bucket: 'parl.ai', ...inputs };
  return readInputs(
    withDefaults((name) => all[name] ?? '', SPECS),
    env,
    cwd,
  );
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('source-dir');
    return error as InputError;
  }
  throw new Error('expected an InputError for source-dir');
}

describe('source-dir stays in the workspace (as written, before anything runs)', () => {
  it.each([['website/build'], ['.'], ['/home/runner/work/site/site/public'], ['docs/../public']])(
    '%s is inside',
    (sourceDir) => {
      expect(read({ 'source-dir': sourceDir }).sourceDir.startsWith('/home/runner/work/site/site')).toBe(true);
    },
  );

  it.each([['../..'], ['..'], ['/tmp'], ['/'], ['/home/runner/work/site/site-other'], ['/home/runner/.aws']])(
    '%s is refused, naming the input and both fixes',
    (sourceDir) => {
      const error = refusal(() => read({ 'source-dir': sourceDir }));
      expect(error.message).toMatch(
        /^Input 'source-dir': '.*' .*is outside the workspace \/home\/runner\/work\/site\/site/,
      );
      expect(error.message).toContain("like 'website/build'");
      expect(error.message).toContain("set 'allow-source-outside-workspace: true'");
    },
  );

  it('is relative to working-directory, and working-directory does not move the workspace', () => {
    expect(read({ 'working-directory': 'website', 'source-dir': 'build' }).sourceDir).toBe(
      '/home/runner/work/site/site/website/build',
    );
    refusal(() => read({ 'working-directory': 'website', 'source-dir': '../../x' }));
  });

  it('in a local run (no GITHUB_WORKSPACE) the workspace is the current directory', () => {
    expect(read({ 'source-dir': 'build' }, {}, '/home/me/site').sourceDir).toBe('/home/me/site/build');
    const error = refusal(() => read({ 'source-dir': '/tmp/build' }, {}, '/home/me/site'));
    expect(error.message).toContain('outside the workspace /home/me/site');
  });

  it('allow-source-outside-workspace allows it, but never the runner temp folder or a folder holding it', () => {
    expect(read({ 'source-dir': '/tmp/site', 'allow-source-outside-workspace': 'true' }).sourceDir).toBe('/tmp/site');
    // An artifact downloaded below RUNNER_TEMP is fine.
    expect(
      read({ 'source-dir': '/home/runner/work/_temp/site', 'allow-source-outside-workspace': 'true' }).sourceDir,
    ).toBe('/home/runner/work/_temp/site');
    for (const sourceDir of ['/home/runner/work/_temp', '/home/runner/work', '/', '/home/runner/work/_temp/']) {
      const error = refusal(() => read({ 'source-dir': sourceDir, 'allow-source-outside-workspace': 'true' }));
      expect(error.message).toContain("is or holds the runner's temp folder (RUNNER_TEMP /home/runner/work/_temp)");
    }
    const error = refusal(() =>
      read({ 'source-dir': '/home/runner/work/_temp/_runner_file_commands', 'allow-source-outside-workspace': 'true' }),
    );
    expect(error.message).toContain('holds a file of the runner');
  });

  it('never a folder holding a file-command file, even inside the workspace', () => {
    const env = { GITHUB_WORKSPACE: '/w', GITHUB_ENV: '/w/.runner/env' };
    const error = refusal(() => read({ 'source-dir': '.' }, env, '/w'));
    expect(error.message).toContain("holds a file of the runner's workflow commands (/w/.runner/env)");
    expect(read({ 'source-dir': 'public' }, env, '/w').sourceDir).toBe('/w/public');
  });
});

describe('isWithin', () => {
  it.each([
    ['/a/b', '/a', true],
    ['/a', '/a', true],
    ['/ab', '/a', false],
    ['/a/..b', '/a', true],
    ['/', '/a', false],
    ['/a', '/', true],
  ])('%s within %s: %s', (inner, outer, expected) => {
    expect(isWithin(inner, outer)).toBe(expected);
  });
});

describe('confineSourceDir: real paths, once the build has run', () => {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'confine-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  const temp = path.join(root, 'runner-temp');
  for (const dir of [workspace, outside, temp, path.join(workspace, 'public')]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(temp, 'set_env_1'), '');
  symlinkSync(outside, path.join(workspace, 'linked-out'));
  symlinkSync(temp, path.join(workspace, 'linked-temp'));
  symlinkSync(path.join(workspace, 'public'), path.join(workspace, 'linked-in'));
  const bounds = (allowOutsideWorkspace = false): SourceBounds =>
    sourceBounds(
      { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp, GITHUB_ENV: path.join(temp, 'set_env_1') },
      '/',
      allowOutsideWorkspace,
    );

  it('passes a folder of the workspace, also through a symlink that stays inside', async () => {
    await expect(confineSourceDir(path.join(workspace, 'public'), 'public', bounds())).resolves.toBeUndefined();
    await expect(confineSourceDir(path.join(workspace, 'linked-in'), 'linked-in', bounds())).resolves.toBeUndefined();
  });

  it('refuses a symlink in the workspace that leads outside it, naming where it leads', async () => {
    await expect(confineSourceDir(path.join(workspace, 'linked-out'), 'linked-out', bounds())).rejects.toThrow(
      new RegExp(`^Input 'source-dir': 'linked-out' \\(${outside}\\) is outside the workspace`),
    );
    await expect(
      confineSourceDir(path.join(workspace, 'linked-out'), 'linked-out', bounds(true)),
    ).resolves.toBeUndefined();
  });

  it('refuses a symlink to the runner temp folder, even when outside is allowed', async () => {
    await expect(confineSourceDir(path.join(workspace, 'linked-temp'), 'linked-temp', bounds(true))).rejects.toThrow(
      /is or holds the runner's temp folder/,
    );
  });

  it('the same paths pass the check as written: only the real path shows the escape', () => {
    expect(sourceDirProblem(path.join(workspace, 'linked-out'), 'linked-out', bounds())).toBeUndefined();
  });
});
