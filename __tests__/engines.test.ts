// Engines: the action runs on Node 24 (action.yml), package.json declares what every installed package needs
// (so `npm ci` on a supported Node warns no EBADENGINE); .ci/run runs the tests on tools/node24 where the machine's Node is older.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { MIN_NODE_MAJOR, unsupportedNode } from '../src/main.js';
import { REPO } from './support/action-runner.js';

interface LockPackage {
  version?: string;
  engines?: { node?: unknown } | unknown[];
  dev?: boolean;
}

const packageJson = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};
const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { runs: { using: string } };
const declared = packageJson.engines.node;
const runnerMajor = Number(/^node(\d+)$/.exec(action.runs.using)?.[1]);

describe('package.json engines', () => {
  it("is within every locked package's own engines.node (npm ci on a declared Node warns no EBADENGINE)", () => {
    const unmet: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      if (where === '') continue;
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (typeof range !== 'string') continue;
      if (!semver.subset(declared, range)) unmet.push(`${where.replace(/^.*node_modules\//, '')}: ${range}`);
    }
    expect(unmet).toEqual([]);
  });

  it("admits the runner's Node (the action's runtime)", () => {
    expect(runnerMajor).toBe(24);
    expect(semver.satisfies(`${runnerMajor}.0.0`, declared)).toBe(true);
  });

  it('is recorded in package-lock.json as in package.json', () => {
    expect((lock.packages['']!.engines as { node: string }).node).toBe(declared);
  });

  it("the action's own old-Node warning starts where the declared range starts", () => {
    expect(semver.minVersion(declared)!.major).toBe(MIN_NODE_MAJOR);
    expect(unsupportedNode('v20.20.2')).toMatch(/^Node v20\.20\.2 is older than this action supports: .*Node 24/);
    expect(unsupportedNode('v22.13.0')).toBeUndefined();
    expect(unsupportedNode('v24.9.0')).toBeUndefined();
  });
});
