// Supply chain: what is installed is exactly what package.json and the lockfile say, every runtime dependency
// is explained, Dependabot watches every place that pins something, CodeQL analyses the sources and the
// workflows, and CI's `npm audit` step really fails on advisories (run here against a stand-in npm).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  lockfileVersion: number;
  packages: Record<
    string,
    { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
  >;
};
const declared = { ...packageJson.dependencies, ...packageJson.devDependencies, ...packageJson.optionalDependencies };

describe('dependencies', () => {
  it('pins every dependency to an exact version (the lockfile and the bundle stay reproducible)', () => {
    for (const [name, version] of Object.entries(declared))
      expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('the lockfile says the same versions as package.json, and resolves each to exactly that version', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const rootEntry = lock.packages['']!;
    expect(rootEntry.dependencies).toEqual(packageJson.dependencies);
    expect(rootEntry.devDependencies).toEqual(packageJson.devDependencies);
    for (const [name, version] of Object.entries(declared))
      expect({ name, locked: lock.packages[`node_modules/${name}`]?.version }).toEqual({ name, locked: version });
  });

  it('what npm ci installed is what the lockfile says (for the runtime dependencies)', () => {
    for (const name of Object.keys(packageJson.dependencies)) {
      const installed = JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string };
      expect({ name, installed: installed.version }).toEqual({ name, installed: packageJson.dependencies[name] });
    }
  });

  it('explains every runtime dependency in the README, and lists none that is gone', () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('### Runtime dependencies'));
    const rows = [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    expect(rows.sort()).toEqual(Object.keys(packageJson.dependencies).sort());
  });
});

describe('Dependabot', () => {
  const config = parse(read('.github/dependabot.yml')) as {
    version: number;
    updates: Array<{
      'package-ecosystem': string;
      directory?: string;
      directories?: string[];
      schedule?: { interval?: string };
    }>;
  };
  const dirs = (ecosystem: string) =>
    config.updates
      .filter((update) => update['package-ecosystem'] === ecosystem)
      .flatMap((update) => update.directories ?? [update.directory ?? '']);

  it('watches npm at the root and the Node 24 of tools/node24, on a schedule', () => {
    expect(config.version).toBe(2);
    expect(dirs('npm').sort()).toEqual(['/', '/tools/node24']);
    for (const update of config.updates) expect(update.schedule?.interval).toMatch(/^(daily|weekly)$/);
  });

  it('watches the pinned actions of every workflow and every action.yml', () => {
    const actionDirs = [
      '/',
      ...readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'action.yml')))
        .map((entry) => `/${entry.name}`),
    ];
    expect(actionDirs).toContain('/infra');
    expect(dirs('github-actions').sort()).toEqual(actionDirs.sort());
  });

  it('watches the provider lock file of every Terraform root module', () => {
    const roots = ['terraform', 'terraform/bootstrap'].filter((dir) =>
      existsSync(path.join(root, dir, '.terraform.lock.hcl')),
    );
    expect(roots).toHaveLength(2);
    expect(dirs('terraform').sort()).toEqual(roots.map((dir) => `/${dir}`).sort());
  });
});

describe('CodeQL', () => {
  const codeql = parse(read('.github/workflows/codeql.yml')) as {
    on: Record<string, unknown>;
    jobs: Record<
      string,
      {
        permissions?: Record<string, string>;
        strategy?: { matrix?: { language?: string[] } };
        steps: Array<{ uses?: string; with?: Record<string, string> }>;
      }
    >;
  };
  const job = Object.values(codeql.jobs)[0]!;

  it('analyses the TypeScript sources and the workflows, on pushes to main and pull requests', () => {
    expect(Object.keys(codeql.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(job.strategy?.matrix?.language).toEqual(expect.arrayContaining(['javascript-typescript', 'actions']));
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const init = job.steps.find((step) => step.uses?.startsWith('github/codeql-action/init@'));
    const analyze = job.steps.find((step) => step.uses?.startsWith('github/codeql-action/analyze@'));
    expect(init?.with?.languages).toBe('${{ matrix.language }}');
    expect(analyze?.with?.category).toBe('/language:${{ matrix.language }}');
  });
});

describe("CI's npm audit step (.ci/run), against a stand-in npm", () => {
  const script = read('.ci/run');
  const start = script.indexOf('audit_log=$(mktemp)');
  const end = script.indexOf('echo "== CI passed"');
  const auditBlock = script.slice(start, end);
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'audit-step-'));
    const npm = path.join(dir, 'npm');
    writeFileSync(
      npm,
      `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$FAKE_AUDIT" in
  clean) echo "found 0 vulnerabilities"; exit 0 ;;
  advisory) echo "1 high severity vulnerability"; exit 1 ;;
  no-endpoint) echo "npm error audit endpoint returned an error"; echo "npm error 404 Not Found - POST https://registry/-/npm/v1/security/advisories/bulk"; exit 1 ;;
esac
exit 2
`,
    );
    chmodSync(npm, 0o755);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (mode: string) =>
    spawnSync('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', auditBlock], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_AUDIT: mode, TMPDIR: dir },
    });

  it('is in .ci/run, after the tests', () => {
    expect(start).toBeGreaterThan(script.indexOf('npm test'));
    expect(end).toBeGreaterThan(start);
  });

  it('passes when npm audit finds nothing, asking only about runtime dependencies at high severity', () => {
    const result = run('clean');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no high-severity advisories');
    expect(readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').pop()).toBe(
      'audit --omit=dev --audit-level=high',
    );
  });

  it('fails CI on an advisory, and shows npm’s report', () => {
    const result = run('advisory');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('1 high severity vulnerability');
    expect(result.stderr).toContain('::error::npm audit found high-severity advisories');
  });

  it('says plainly when the registry cannot be asked, without counting it as a pass', () => {
    const result = run('no-endpoint');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /::notice::npm audit could not run: this registry has no audit endpoint \(404 Not Found - POST\)/,
    );
    expect(result.stdout).not.toContain('no high-severity advisories');
  });
});
