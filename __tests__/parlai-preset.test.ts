// The ParlAI preset's files, quickly (part of `npm test`): the pinned light requirements, the mock wrapper's three
// torch values, build-site.sh's input checks, and that the reusable workflow and the example call the same
// command. The full build from ParlAI's source is __tests__/parlai/site.parlai-test.ts (`npm run test:parlai`).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BUILD_SITE, PARLAI_PYTHON, REPO } from './support/parlai-build.mjs';
import { tempDir } from './support/sites.js';

const PRESET = path.join(REPO, 'presets/parlai');
const MOCK = path.join(PRESET, 'mock_heavy.py');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const yamlOf = (file: string) => parse(readFileSync(path.join(REPO, file), 'utf8')) as Doc;

describe('presets/parlai/requirements.txt', () => {
  const lines = readFileSync(path.join(PRESET, 'requirements.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const pins = new Map(
    lines.map((line) => {
      const match = /^([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)$/.exec(line);
      if (!match) throw new Error(`not an exact pin: ${line}`);
      return [match[1]!.toLowerCase().replace(/_/g, '-'), match[2]!];
    }),
  );

  it('pins every package exactly, with ParlAI own pins where it has them', () => {
    expect(pins.size).toBe(lines.length);
    expect(pins.get('sphinx')).toMatch(/^5\.1\.\d+$/); // Sphinx~=5.1.0
    expect(pins.get('myst-parser')).toMatch(/^0\./); // myst-parser<1
    expect(pins.get('sphinx-rtd-theme')).toBe('0.4.3');
    expect(pins.get('docutils')).toMatch(/^0\.1[45]\./); // docutils<0.16,>=0.14
    expect(pins.get('markdown')).toBe('3.3.2'); // markdown<=3.3.2
    expect(pins.get('py-gfm')).toBe('1.0.2');
    expect(pins.get('iopath')).toMatch(/^0\.1\.(8|9|\d\d)$/); // iopath~=0.1.8
    for (const name of ['gitpython', 'pyyaml', 'tqdm', 'regex', 'requests', 'portalocker', 'numpy'])
      expect([name, pins.has(name)]).toEqual([name, true]);
    for (const name of ['typing-extensions', 'packaging', 'sh', 'tornado', 'websocket-client', 'joblib'])
      expect([name, pins.has(name)]).toEqual([name, true]);
  });

  it('leaves out torch and the other heavy packages', () => {
    for (const heavy of ['torch', 'torchvision', 'torchtext', 'scikit-learn', 'sklearn', 'scipy', 'transformers'])
      expect([heavy, pins.has(heavy)]).toEqual([heavy, false]);
  });
});

describe('presets/parlai/build-site.sh', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('bash', [BUILD_SITE, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });

  it('refuses an unknown DOCS mode and a folder that is not a ParlAI checkout, before doing anything', () => {
    const folder = tempDir('not-parlai');
    try {
      writeFileSync(path.join(folder, 'README.md'), 'not ParlAI\n');
      const docs = run([folder], { DOCS: 'heavy' });
      expect(docs.status).toBe(2);
      expect(docs.stderr).toContain("DOCS must be light, faithful or none (not 'heavy')");
      const notParlai = run([folder]);
      expect(notParlai.status).toBe(2);
      expect(notParlai.stderr).toContain('is not a ParlAI checkout: website/generate.py is missing');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('presets/parlai/mock_heavy.py', () => {
  const hasSphinx =
    spawnSync(PARLAI_PYTHON, ['-c', 'import sphinx.ext.autodoc.mock'], { timeout: 30_000 }).status === 0;
  // Where .ci/run installed the ParlAI packages (PARLAI_TEST_REQUIRED=1), a missing Sphinx is a failure, not a skip.
  const required = process.env.PARLAI_TEST_REQUIRED === '1';
  if (!hasSphinx && !required) console.warn(`mock_heavy.py checks skipped: ${PARLAI_PYTHON} cannot import Sphinx`);
  const itWithSphinx = hasSphinx || required ? it : it.skip;

  itWithSphinx('gives the mocked torch the three values the docs build reads', () => {
    const folder = tempDir('mock-heavy');
    try {
      const script = path.join(folder, 'probe.py');
      writeFileSync(
        script,
        [
          'import json, sys',
          'import torch, torch.optim as optim',
          'from torch import nn',
          'import sklearn.metrics, scipy.sparse, transformers',
          'class Model(nn.Module):',
          '    pass',
          'print(json.dumps({',
          '    "devices": torch.cuda.device_count(),',
          '    "tensor_is_class": isinstance(torch.Tensor, type),',
          '    "isinstance": isinstance([1], torch.Tensor),',
          '    "optimizers": [k.lower() for k, v in optim.__dict__.items() if not k.startswith("__") and k[0].isupper()],',
          '    "transformers": transformers.__version__,',
          '    "argv": sys.argv[1:],',
          '}))',
        ].join('\n'),
      );
      const result = spawnSync(PARLAI_PYTHON, [MOCK, script, 'a', 'b'], { encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        devices: 0,
        tensor_is_class: true,
        isinstance: false,
        // torch.optim's classes in torch's order: ParlAI lists them as the --optimizer choices.
        optimizers: [
          'adadelta',
          'adagrad',
          'adam',
          'adamw',
          'sparseadam',
          'adamax',
          'asgd',
          'sgd',
          'radam',
          'rprop',
          'rmsprop',
          'optimizer',
          'nadam',
          'lbfgs',
        ],
        transformers: expect.stringMatching(/^4\.\d+\.\d+$/),
        argv: ['a', 'b'],
      });

      // Without the mock, torch is simply missing (it is not installed here): the values come from the wrapper.
      const bare = spawnSync(PARLAI_PYTHON, [MOCK, '--no-mock', script], { encoding: 'utf8', timeout: 60_000 });
      expect(bare.status).not.toBe(0);
      expect(bare.stderr).toMatch(/No module named '(torch|sklearn|scipy|transformers)/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  itWithSphinx('--hide makes a module fail to import as if it were not installed', () => {
    const folder = tempDir('mock-heavy-hide');
    try {
      const script = path.join(folder, 'probe.py');
      writeFileSync(
        script,
        'try:\n    import pygments\n    print("found")\nexcept ImportError:\n    print("hidden")\n',
      );
      const result = spawnSync(PARLAI_PYTHON, [MOCK, '--no-mock', '--hide', 'pygments', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stdout.trim()).toBe('hidden');
      const shown = spawnSync(PARLAI_PYTHON, [MOCK, '--no-mock', script], { encoding: 'utf8', timeout: 60_000 });
      // Sphinx depends on pygments, so where Sphinx is installed pygments is too.
      expect(shown.stdout.trim()).toBe('found');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the workflows run the preset with the same command', () => {
  const COMMAND = /^bash \.parlai-site-deploy\/presets\/parlai\/build-site\.sh \.$/;

  it('deploy-site.yml: preset and docs inputs; its build job checks out presets/ at its own commit and runs it', () => {
    const workflow = yamlOf('.github/workflows/deploy-site.yml');
    const inputs = workflow.on.workflow_call.inputs;
    expect(inputs.preset).toMatchObject({ type: 'string', default: '' });
    expect(inputs.docs).toMatchObject({ type: 'string', default: 'light' });
    const steps = workflow.jobs.build.steps as Doc[];
    const presetCheckout = steps.find((step) => step.with?.path === '.parlai-site-deploy')!;
    expect(presetCheckout).toMatchObject({
      if: "inputs.preset == 'parlai'",
      with: {
        repository: '${{ job.workflow_repository }}',
        ref: '${{ job.workflow_sha }}',
        'sparse-checkout': 'presets',
        'persist-credentials': false,
      },
    });
    const python = steps.find((step) => String(step.uses).startsWith('actions/setup-python@'))!;
    expect(python.with['cache-dependency-path']).toContain('.parlai-site-deploy/presets/parlai/requirements.txt');
    expect(steps.indexOf(python)).toBeGreaterThan(steps.indexOf(presetCheckout));
    const build = steps.find((step) => typeof step.run === 'string' && step.run.includes('build-site.sh'))!;
    expect(build.if).toBe("inputs.preset == 'parlai'");
    expect(build.run.trim()).toMatch(COMMAND);
    expect(build.env).toEqual({ DOCS: '${{ inputs.docs }}', PYTHON: 'python' });
  });

  it('examples/workflows/parlai-website.yml: production through preset parlai, previews with the same command', () => {
    const example = yamlOf('examples/workflows/parlai-website.yml');
    expect(example.jobs.site.with).toMatchObject({ preset: 'parlai', docs: 'light', 'source-dir': 'website/build' });
    // The preview is built without credentials by the same command, and deployed from the artifact.
    const build = (example.jobs['preview-build'].steps as Doc[]).find(
      (step) => typeof step.run === 'string' && step.run.includes('build-site.sh'),
    )!;
    expect(build.run.trim()).toMatch(COMMAND);
    expect(example.jobs['preview-build'].permissions).toEqual({ contents: 'read' });
    const deploy = (example.jobs['preview-deploy'].steps as Doc[]).find((step) =>
      String(step.uses).startsWith('YOUR_ORG/parlai-site-deploy@'),
    )!;
    expect(deploy.with['build-command']).toBeUndefined();
    expect(deploy.with).toMatchObject({ 'source-dir': 'site', preview: true });
  });
});
