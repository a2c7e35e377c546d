// Which Node runs what: the bundle and the dist check run on the runner's Node (the system's, or
// actions/setup-node's) — never on a `node` a dependency links into node_modules/.bin, which npm scripts put
// first on PATH — while the end-to-end tests run dist/index.js on Node 24 from tools/node24, as
// `runs.using: node24` does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { NODE24, NODE24_SUPPORTED, NODE24_VERSION } from '../tools/node24/ensure.mjs';
import { REPO, RUNNER_NODE } from './support/action-runner.js';

const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');

describe('the bundle runs on the runner’s Node', () => {
  it('no dependency links a node into node_modules/.bin', () => {
    expect(existsSync(path.join(REPO, 'node_modules/.bin/node'))).toBe(false);
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    const withNodeBin = Object.entries(lock.packages)
      .filter(([, entry]) => entry.bin && 'node' in entry.bin)
      .map(([name]) => name);
    expect(withNodeBin).toEqual([]);
  });

  it('npm scripts find the same node as the shell', () => {
    const inScripts = execFileSync('npm', ['exec', '--call', 'command -v node'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 30_000,
    }).trim();
    const inShell = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8', timeout: 10_000 }).trim();
    // (.ci/run may put tools/node24 first on PATH for the tests: the shell's node, not one of the project's.)
    expect(inScripts).toBe(inShell);
    expect(inScripts.startsWith(path.join(REPO, 'node_modules'))).toBe(false);
  });

  it('.ci/run and check-dist.yml bundle through .ci/bundle.sh', () => {
    // With the machine's own node on PATH again (.ci/run may have put tools/node24 first for the tests).
    expect(read('.ci/run')).toMatch(/^PATH=\$system_path bash \.ci\/bundle\.sh$/m);
    const workflow = parse(read('.github/workflows/check-dist.yml')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    expect(runs).toContain('bash .ci/bundle.sh');
    expect(runs.filter((run) => /^\s*npm run bundle/m.test(run))).toEqual([]);
  });
});

describe('.ci/bundle.sh, against a stand-in npm', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bundle-step-'));
    // `npm exec --call CMD` answers as npm would with FAKE_SCRIPT_NODE first on PATH; `npm run` is recorded.
    writeFileSync(
      path.join(dir, 'npm'),
      `#!/bin/sh
case "$1 $3" in
  "exec command -v node") echo "$FAKE_SCRIPT_NODE" ;;
  "exec node --version") echo v24.0.0 ;;
  *) echo "$*" >> "${dir}/calls" ;;
esac
`,
    );
    chmodSync(path.join(dir, 'npm'), 0o755);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const bundle = (scriptNode: string) => {
    rmSync(path.join(dir, 'calls'), { force: true });
    const result = spawnSync('bash', [path.join(REPO, '.ci/bundle.sh')], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_SCRIPT_NODE: scriptNode },
    });
    const calls = existsSync(path.join(dir, 'calls')) ? readFileSync(path.join(dir, 'calls'), 'utf8') : '';
    return { ...result, calls };
  };

  it('bundles with the runner’s node, and says which', () => {
    const result = bundle('/usr/bin/node');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('== bundling with /usr/bin/node (v24.0.0)');
    expect(result.calls.trim()).toBe('run bundle');
  });

  it('refuses a node linked into node_modules/.bin, and does not bundle', () => {
    const result = bundle(`${REPO}/node_modules/.bin/node`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::npm scripts would run');
    expect(result.calls).toBe('');
  });
});

describe('the end-to-end tests run dist/index.js on Node 24', () => {
  it('tools/node24 pins the major version action.yml runs on', () => {
    const using = (parse(read('action.yml')) as { runs: { using: string } }).runs.using;
    expect(`node${NODE24_VERSION.replace(/^v(\d+)\..*$/, '$1')}`).toBe(using);
  });

  (NODE24_SUPPORTED ? it : it.skip)('RUNNER_NODE is tools/node24’s Node 24 (installed by global-setup)', () => {
    expect(RUNNER_NODE).toBe(NODE24);
    expect(execFileSync(RUNNER_NODE, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim()).toBe(NODE24_VERSION);
  });
});
