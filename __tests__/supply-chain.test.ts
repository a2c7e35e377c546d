import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('supply chain', () => {
  it('pins every dependency to an exact version (the lockfile and the bundle stay reproducible)', () => {
    for (const [name, version] of Object.entries({ ...packageJson.dependencies, ...packageJson.devDependencies })) {
      expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    }
  });

  it('explains every runtime dependency in the README', () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('### Runtime dependencies'));
    for (const name of Object.keys(packageJson.dependencies))
      expect({ name, explained: table.includes(`| \`${name}\` |`) }).toEqual({ name, explained: true });
  });

  it('has Dependabot watch npm and the pinned actions', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number;
      updates: Array<{ 'package-ecosystem': string }>;
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });

  it('runs CodeQL on the sources, and npm audit of runtime dependencies in CI', () => {
    const codeql = parse(read('.github/workflows/codeql.yml')) as {
      jobs: Record<string, { steps: Array<{ uses?: string }> }>;
    };
    const uses = Object.values(codeql.jobs).flatMap((job) => job.steps.map((step) => step.uses ?? ''));
    expect(uses.some((step) => step.startsWith('github/codeql-action/analyze@'))).toBe(true);
    expect(read('.ci/run')).toMatch(/npm audit --omit=dev --audit-level=high/);
  });
});
