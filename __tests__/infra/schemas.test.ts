// Action and workflow files against GitHub's schemas (@action-validator/cli, offline), plus the supply-chain
// and injection rules the schemas do not cover:
//   - every third-party action is pinned to a full 40-hex commit SHA with a `# vX.Y.Z` comment, and one
//     action is pinned to one SHA across all files (Dependabot updates them together);
//   - this project's own actions are referred to as `YOUR_ORG/parlai-site-deploy…@vN` in examples, and from
//     this repository's workflows only locally (`./…`, checked out at the called commit), never by a tag;
//   - no `run:` script interpolates `${{ inputs.* }}` or `${{ github.event.* }}` (script injection): such
//     values must reach scripts through `env:`.
// The documentation's workflow snippets get the same schema check in __tests__/docs/workflows.test.ts.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const REPO = process.cwd();
const require = createRequire(path.join(REPO, 'package.json'));
const VALIDATOR = path.join(path.dirname(require.resolve('@action-validator/cli/package.json')), 'cli.mjs');

/** Our own actions as the examples refer to them: the placeholder owner, a release tag. */
const OWN_ACTION = /^YOUR_ORG\/parlai-site-deploy(\/[^@]+)?@v\d+$/;
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;

function yamlFiles(dir: string): string[] {
  const full = path.join(REPO, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

const ROOT_ACTION = 'action.yml';
const FILES = [ROOT_ACTION, 'infra/action.yml', ...yamlFiles('.github/workflows'), ...yamlFiles('examples/workflows')];

interface Step {
  uses?: string;
  run?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

/** Every step of a workflow (job steps) or of a composite action (runs.steps). */
function stepsOf(doc: Doc): Step[] {
  const steps: Step[] = [];
  if (Array.isArray(doc?.runs?.steps)) steps.push(...(doc.runs.steps as Step[]));
  for (const job of Object.values((doc?.jobs ?? {}) as Record<string, Doc>)) {
    if (Array.isArray(job?.steps)) steps.push(...(job.steps as Step[]));
  }
  return steps;
}

/** Every `uses:` reference: steps, and reusable-workflow jobs. */
function usesOf(doc: Doc): string[] {
  const refs = stepsOf(doc).flatMap((step) => (typeof step.uses === 'string' ? [step.uses] : []));
  for (const job of Object.values((doc?.jobs ?? {}) as Record<string, Doc>)) {
    if (typeof job?.uses === 'string') refs.push(job.uses);
  }
  return refs;
}

/**
 * References that are neither pinned to a full commit SHA nor local. This project's own actions by tag are
 * allowed in the examples only: this repository's workflows use the copy checked out at the called commit.
 */
function unpinned(refs: string[], file = 'examples/workflows/x.yml'): string[] {
  const ownByTagAllowed = file.startsWith('examples/');
  return refs.filter((ref) => !ref.startsWith('./') && !(ownByTagAllowed && OWN_ACTION.test(ref)) && !PINNED.test(ref));
}

/** Pinned references whose line lacks a `# vX.Y.Z` version comment. */
function pinnedWithoutVersionComment(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /uses:\s*\S+@[0-9a-f]{40}/.test(line))
    .filter((line) => !/@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\b/.test(line))
    .map((line) => line.trim());
}

/** run: scripts that interpolate inputs or event payload fields directly. */
function injectableRuns(steps: Step[]): string[] {
  return steps
    .flatMap((step) => (typeof step.run === 'string' ? [step.run] : []))
    .filter((script) => /\$\{\{\s*(inputs\.|github\.event\.|inputs\[|github\.event\[)/.test(script));
}

// @action-validator 0.6.0 (the latest release) predates the node24 action runtime: its schema allows
// runs.using node12/node16/node20 only. GitHub runners support node24 (and are moving actions to it), so
// for that one known gap an action's `using: node24` is validated as node20 (same schema otherwise),
// after checking it is a runtime GitHub supports. Everything else is validated as written.
const SUPPORTED_NODE_RUNTIMES = ['node20', 'node24'];
const NODE24 = /^(\s*using:\s*)(['"]?)node24\2(\s*(#.*)?)$/m;
let shimDir = '';

afterAll(() => {
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
});

function validate(file: string) {
  let target = file;
  const text = readFileSync(path.join(REPO, file), 'utf8');
  if (path.basename(file) === 'action.yml' && NODE24.test(text)) {
    shimDir ||= mkdtempSync(path.join(tmpdir(), 'action-validator-'));
    const dir = path.join(shimDir, file.replace(/[\\/]/g, '_'));
    mkdirSync(dir, { recursive: true });
    target = path.join(dir, 'action.yml');
    writeFileSync(target, text.replace(NODE24, '$1$2node20$2$3'));
  }
  return spawnSync(process.execPath, [VALIDATOR, target], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
}

describe('GitHub schemas (@action-validator/cli)', () => {
  it('finds the files to check', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'infra/action.yml',
        '.github/workflows/deploy-site.yml',
        'examples/workflows/parlai-website.yml',
      ]),
    );
  });

  for (const file of FILES) {
    it(`${file} is valid`, () => {
      const result = validate(file);
      expect({ file, status: result.status, errors: result.stderr.trim() }).toEqual({ file, status: 0, errors: '' });
    });
  }

  it('the action runs dist/index.js on node24 (the runtime the tests use); the infra action is composite', () => {
    const action = parse(readFileSync(path.join(REPO, ROOT_ACTION), 'utf8')) as Doc;
    expect({ using: action.runs.using, main: action.runs.main }).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(SUPPORTED_NODE_RUNTIMES).toContain(action.runs.using);
    expect(existsSync(path.join(REPO, action.runs.main as string))).toBe(true);
    expect((parse(readFileSync(path.join(REPO, 'infra/action.yml'), 'utf8')) as Doc).runs.using).toBe('composite');
  });

  it('the node24 shim changes nothing but the runtime line, and the validator needs it only for that', () => {
    const text = readFileSync(path.join(REPO, ROOT_ACTION), 'utf8');
    const shimmed = text.replace(NODE24, '$1$2node20$2$3');
    const changed = text.split('\n').filter((line, index) => line !== shimmed.split('\n')[index]);
    expect(changed.map((line) => line.trim())).toEqual([expect.stringMatching(/^using:\s*['"]?node24['"]?$/)]);
    const core = require('@action-validator/core') as { validateAction(text: string): { errors: unknown[] } };
    expect(core.validateAction(shimmed).errors).toEqual([]);
    expect(core.validateAction(text.replace(NODE24, '$1$2node99$2$3')).errors.length).toBeGreaterThan(0);
  });

  it('rejects an invalid workflow (the validator really validates)', () => {
    const core = require('@action-validator/core') as { validateWorkflow(text: string): { errors: unknown[] } };
    expect(
      core.validateWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n').errors.length,
    ).toBeGreaterThan(0);
    expect(
      core.validateWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n')
        .errors,
    ).toEqual([]);
  });
});

describe('pinning and script injection', () => {
  for (const file of FILES) {
    it(`${file}: third-party actions are pinned to a commit SHA with a version comment`, () => {
      const text = readFileSync(path.join(REPO, file), 'utf8');
      const doc = parse(text) as Doc;
      expect(unpinned(usesOf(doc), file)).toEqual([]);
      expect(pinnedWithoutVersionComment(text)).toEqual([]);
    });

    it(`${file}: no run: script interpolates \${{ inputs.* }} or \${{ github.event.* }}`, () => {
      const doc = parse(readFileSync(path.join(REPO, file), 'utf8')) as Doc;
      expect(injectableRuns(stepsOf(doc))).toEqual([]);
    });
  }

  it('the checks catch what they are meant to catch', () => {
    expect(
      unpinned([
        'actions/checkout@v4',
        'actions/checkout@main',
        'actions/checkout@11bd719',
        'docker://alpine:3',
        'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
        './infra',
        'YOUR_ORG/parlai-site-deploy@v1',
        'YOUR_ORG/parlai-site-deploy/infra@v1',
        'YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml@v1',
        'evil/parlai-site-deploy@v1',
        'YOUR_ORG/parlai-site-deploy@main',
      ]),
    ).toEqual([
      'actions/checkout@v4',
      'actions/checkout@main',
      'actions/checkout@11bd719',
      'docker://alpine:3',
      'evil/parlai-site-deploy@v1',
      'YOUR_ORG/parlai-site-deploy@main',
    ]);
    // In this repository's own workflows even the project's tag is refused: they run the checked-out copy.
    expect(
      unpinned(
        ['YOUR_ORG/parlai-site-deploy/infra@v1', './.parlai-site-deploy/infra'],
        '.github/workflows/deploy-site.yml',
      ),
    ).toEqual(['YOUR_ORG/parlai-site-deploy/infra@v1']);
    expect(
      pinnedWithoutVersionComment(
        '- uses: a/b@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n- uses: a/c@11bd71901bbe5b1630ceea73d27597364c9af683\n',
      ),
    ).toEqual(['- uses: a/c@11bd71901bbe5b1630ceea73d27597364c9af683']);
    expect(
      injectableRuns([
        { run: 'echo "${{ inputs.name }}"' },
        { run: 'echo "${{github.event.pull_request.title}}"' },
        { run: 'echo "$NAME"' },
        { run: 'echo "${{ github.sha }}"' },
      ]),
    ).toEqual(['echo "${{ inputs.name }}"', 'echo "${{github.event.pull_request.title}}"']);
  });

  it('the workflows pin the actions this project relies on', () => {
    const refs = FILES.filter((file) => existsSync(path.join(REPO, file))).flatMap((file) =>
      usesOf(parse(readFileSync(path.join(REPO, file), 'utf8')) as Doc),
    );
    const names = new Set(refs.map((ref) => ref.split('@')[0]));
    for (const name of [
      'actions/checkout',
      'actions/setup-python',
      'actions/upload-artifact',
      'actions/download-artifact',
      'aws-actions/configure-aws-credentials',
      'hashicorp/setup-terraform',
      'YOUR_ORG/parlai-site-deploy',
      'YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml',
      './.parlai-site-deploy',
      './.parlai-site-deploy/infra',
    ]) {
      expect([name, names.has(name)]).toEqual([name, true]);
    }
  });

  it('pins each third-party action to one commit across all files', () => {
    const shas = new Map<string, Set<string>>();
    for (const file of FILES)
      for (const ref of usesOf(parse(readFileSync(path.join(REPO, file), 'utf8')) as Doc).filter((r) =>
        PINNED.test(r),
      )) {
        const [name, sha] = ref.split('@') as [string, string];
        shas.set(name, (shas.get(name) ?? new Set()).add(sha));
      }
    const inconsistent = [...shas]
      .filter(([, set]) => set.size > 1)
      .map(([name, set]) => `${name}: ${[...set].join(', ')}`);
    expect(inconsistent).toEqual([]);
    expect(shas.size).toBeGreaterThanOrEqual(6);
  });
});
