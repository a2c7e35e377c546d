// #12.6: the release process. release.yml's own version check (its `run:` script, taken from the workflow
// file) runs in a scratch git repository with a local `origin`: semver tags only, package.json must agree, the
// commit must be on main, and the major tag moves only to the highest stable release of its major.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { read, type Doc } from './model.js';

const workflow = parse(read('.github/workflows/release.yml')) as Doc;
const steps = workflow.jobs.verify.steps as Doc[];
const VERSION_SCRIPT = steps.find((step) => step.id === 'version')!.run as string;

let dir = '';
const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@localhost',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@localhost',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

let work = '';
const commits: Record<string, string> = {};

function commit(version: string, branch = 'main'): string {
  git(work, 'checkout', '-q', branch);
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'x', version }));
  git(work, 'commit', '-q', '-am', `v${version}`);
  const sha = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', 'origin', branch);
  return sha;
}

/** Runs the step's script as the runner would: bash -e, with its env and a GITHUB_OUTPUT file. */
function verify(tag: string, sha: string): { status: number | null; outputs: Record<string, string>; log: string } {
  git(work, 'checkout', '-q', '--detach', sha);
  const output = path.join(dir, `output-${tag}`);
  writeFileSync(output, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', VERSION_SCRIPT], {
    cwd: work,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', TAG: tag, SHA: sha, GITHUB_OUTPUT: output },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  return { status: result.status, outputs, log: result.stdout + result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'release-test-'));
  const origin = path.join(dir, 'origin.git');
  work = path.join(dir, 'work');
  git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  git(dir, 'clone', '-q', origin, work);
  git(work, 'checkout', '-q', '-b', 'main');
  writeFileSync(path.join(work, 'package.json'), '{}');
  git(work, 'add', 'package.json');
  git(work, 'commit', '-q', '-m', 'start');
  git(work, 'push', '-q', 'origin', 'main');
  commits['1.0.0'] = commit('1.0.0');
  git(work, 'tag', 'v1.0.0', commits['1.0.0']);
  commits['1.1.0'] = commit('1.1.0');
  git(work, 'tag', 'v1.1.0', commits['1.1.0']);
  git(work, 'checkout', '-q', '-b', 'topic');
  commits.topic = commit('2.0.0', 'topic');
  git(work, 'tag', 'v2.0.0', commits.topic);
  commits['1.2.0-rc.1'] = commit('1.2.0-rc.1');
  git(work, 'tag', 'v1.2.0-rc.1', commits['1.2.0-rc.1']);
  git(work, 'checkout', '-q', '-b', 'backport', commits['1.0.0']);
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.1' }));
  git(work, 'commit', '-q', '-am', 'v1.0.1');
  commits['1.0.1'] = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', 'main');
  git(work, 'merge', '-q', '--no-edit', '-s', 'ours', 'backport');
  git(work, 'push', '-q', 'origin', 'main');
  git(work, 'tag', 'v1.0.1', commits['1.0.1']);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('release.yml: the version check', () => {
  it('a new highest stable release moves the major tag', () => {
    const result = verify('v1.1.0', commits['1.1.0']!);
    expect(result.status).toBe(0);
    expect(result.outputs).toEqual({ tag: 'v1.1.0', major: 'v1', prerelease: 'false', 'move-major': 'true' });
  });

  it('a backported patch of an older minor releases without moving the major tag', () => {
    const result = verify('v1.0.1', commits['1.0.1']!);
    expect(result.status).toBe(0);
    expect(result.outputs['move-major']).toBe('false');
  });

  it('a prerelease is marked so and leaves the major tag', () => {
    const result = verify('v1.2.0-rc.1', commits['1.2.0-rc.1']!);
    expect(result.status).toBe(0);
    expect(result.outputs).toMatchObject({ prerelease: 'true', 'move-major': 'false' });
  });

  it('refuses a commit that is not on main', () => {
    const result = verify('v2.0.0', commits.topic!);
    expect(result.status).toBe(1);
    expect(result.log).toContain('is not on main: release from main only.');
  });

  it('refuses a tag that disagrees with package.json, or is not a semantic version', () => {
    expect(verify('v1.1.1', commits['1.1.0']!).log).toContain('package.json says version 1.1.0, the tag says 1.1.1');
    const bad = verify('v1.1', commits['1.1.0']!);
    expect(bad.status).toBe(1);
    expect(bad.log).toContain("Tag 'v1.1' is not a semantic version");
    expect(verify('v01.1.0', commits['1.1.0']!).status).toBe(1);
  });
});

describe('release.yml: shape', () => {
  it('runs on version tags only', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
  });

  it('verifies with a read-only token: fresh dist/ compared, tests run', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.verify.permissions).toEqual({ contents: 'read' });
    const runs = steps.map((step) => String(step.run ?? ''));
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm test', 'npm run lint', 'npm run typecheck']));
    expect(runs.find((run) => run.includes('npm run bundle'))).toMatch(/git status --porcelain -- dist/);
  });

  it('publishes from a job that needs the verification, writes only contents, and runs no npm or checkout', () => {
    const publish = workflow.jobs.publish as Doc;
    expect(publish.needs).toBe('verify');
    expect(publish.permissions).toEqual({ contents: 'write' });
    for (const step of publish.steps as Doc[]) {
      expect(step.uses).toBeUndefined();
      expect(String(step.run)).not.toMatch(/\b(npm|npx|node|git clone|checkout)\b/);
    }
    const text = (publish.steps as Doc[]).map((step) => String(step.run)).join('\n');
    expect(text).toContain('gh release create "$TAG"');
    expect(text).toMatch(/git\/refs\/tags\/\$MAJOR/);
  });

  it('RELEASING.md and the README tell how to reference a release', () => {
    expect(read('RELEASING.md')).toMatch(/vX\.Y\.Z/);
    const firstScreen = read('README.md').split('\n').slice(0, 30).join('\n');
    expect(firstScreen).toContain('uses: YOUR_ORG/parlai-site-deploy@v1');
    expect(firstScreen).toMatch(/commit SHA/);
    expect(firstScreen).toContain('RELEASING.md');
  });
});
