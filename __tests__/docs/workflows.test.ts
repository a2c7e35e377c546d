// Every workflow and workflow snippet of the documentation (README.md, infra/README.md, RELEASING.md,
// examples/iam/README.md) and every workflow file (.github/workflows, examples/workflows) is extracted,
// validated against GitHub's schema, its expressions parsed and checked against what they refer to, and
// played through push to main, pushes and manual runs elsewhere, pull requests from the repository, from a
// fork and from Dependabot, closed pull requests and a release tag: each job that assumes a role must get an
// OIDC token whose `sub` the role's trust policy (examples/iam) accepts, a deploy without credentials must be
// a fork's clean skip, no job may be able to obtain a role beyond its duty, and no job may both run the
// caller's code and hold AWS credentials.
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import {
  ANY_WORKFLOW,
  HARDENED,
  allEventProblems,
  asWorkflow,
  eventProblems,
  obtainable,
  outcome,
  separationProblems,
  setupsFor,
  type Setup,
} from './checks.js';
import { contextPaths, interpolate, parse, toText } from './expressions.js';
import {
  DOCUMENTED_WORKFLOW_REF,
  EVENTS,
  OWN,
  REPO,
  REUSABLE_WORKFLOWS,
  ROLES,
  expressionsIn,
  play,
  policyFile,
  read,
  snippets,
  trusts,
  type Doc,
  type GitHubEvent,
  type Snippet,
} from './model.js';

const require = createRequire(path.join(REPO, 'package.json'));
const validator = require('@action-validator/core') as {
  validateWorkflow(text: string): { errors: Array<{ title?: string; detail?: string; path?: string }> };
};

const ALL = snippets();
const label = (snippet: Snippet) => `${snippet.source} (${snippet.kind})`;

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
/** How the documentation refers to this project: the placeholder owner, a release tag. */
const DOCUMENTED_OWN =
  /^YOUR_ORG\/parlai-site-deploy(\/infra|\/\.github\/workflows\/(deploy|rollback)-site\.yml)?@v\d+$/;

function usesOf(workflow: Doc): Array<{ job: string; uses: string; with: Doc }> {
  const found: Array<{ job: string; uses: string; with: Doc }> = [];
  for (const [id, job] of Object.entries((workflow.jobs ?? {}) as Record<string, Doc>)) {
    if (typeof job.uses === 'string') found.push({ job: id, uses: job.uses, with: job.with ?? {} });
    for (const step of (job.steps ?? []) as Doc[])
      if (typeof step.uses === 'string') found.push({ job: id, uses: step.uses, with: step.with ?? {} });
  }
  return found;
}

function actionInputs(file: string): Record<string, Doc> {
  const doc = parseYaml(read(file)) as Doc;
  return (doc.inputs ?? doc.on?.workflow_call?.inputs ?? {}) as Record<string, Doc>;
}

const DEPLOY_INPUTS = actionInputs('action.yml');
const INFRA_INPUTS = actionInputs('infra/action.yml');
const WORKFLOW_INPUTS = actionInputs('.github/workflows/deploy-site.yml');
const ROLLBACK_INPUTS = actionInputs('.github/workflows/rollback-site.yml');

/** Text of the documentation outside code blocks, plus the comment lines of the workflow files. */
const PROSE = [
  read('README.md').replace(/```[\s\S]*?```/g, ''),
  read('examples/iam/README.md'),
  read('infra/README.md').replace(/```[\s\S]*?```/g, ''),
].join('\n');

describe('the documentation has its workflows', () => {
  it('finds the workflows and snippets to check', () => {
    const readme = ALL.filter((snippet) => snippet.source.startsWith('README.md:'));
    expect(readme.map((snippet) => snippet.kind).sort()).toEqual(
      ['jobs', 'jobs', 'steps', 'steps', 'steps', 'steps', 'workflow', 'workflow'].sort(),
    );
    expect(ALL.filter((snippet) => snippet.source.startsWith('infra/README.md:')).map((s) => s.kind)).toEqual([
      'jobs',
      'steps',
    ]);
    expect(ALL.map((snippet) => snippet.source)).toEqual(
      expect.arrayContaining([
        '.github/workflows/deploy-site.yml',
        '.github/workflows/release.yml',
        '.github/workflows/rollback-site.yml',
        'examples/workflows/parlai-website.yml',
        'examples/workflows/pr-preview.yml',
        'examples/workflows/rollback.yml',
      ]),
    );
  });
});

describe.each(ALL.map((snippet) => [label(snippet), snippet] as const))('%s', (_, snippet) => {
  const workflow = asWorkflow(snippet);

  it("is valid against GitHub's workflow schema", () => {
    const result = validator.validateWorkflow(stringify(workflow));
    expect(result.errors.map((error) => `${error.path ?? ''} ${error.title ?? ''} ${error.detail ?? ''}`)).toEqual([]);
  });

  it('parses every expression, and each refers to something that exists', () => {
    const problems: string[] = [];
    const known = new Set(['github', 'inputs', 'vars', 'secrets', 'needs', 'steps', 'job', 'env', 'runner', 'matrix']);
    for (const [jobId, job] of Object.entries((workflow.jobs ?? {}) as Record<string, Doc>)) {
      const needs = new Set<string>([job.needs ?? []].flat());
      const declaredInputs = new Set([
        ...Object.keys((workflow.on?.workflow_call?.inputs ?? {}) as Doc),
        ...Object.keys((workflow.on?.workflow_dispatch?.inputs ?? {}) as Doc),
      ]);
      const stepIds: string[] = [];
      const check = (where: string, expression: string) => {
        let paths: string[];
        try {
          paths = contextPaths(parse(expression));
        } catch (error) {
          problems.push(`${jobId}.${where}: ${(error as Error).message}`);
          return;
        }
        for (const p of paths) {
          const [root, name] = p.split('.');
          if (!known.has(root!)) problems.push(`${jobId}.${where}: unknown context ${root}`);
          if (root === 'needs' && !needs.has(name!)) problems.push(`${jobId}.${where}: needs.${name} is not in needs`);
          if (root === 'steps' && !stepIds.includes(name!)) problems.push(`${jobId}.${where}: no earlier step ${name}`);
          if (root === 'inputs' && !declaredInputs.has(name!))
            problems.push(`${jobId}.${where}: undeclared input ${name}`);
          if (root === 'vars' && !new RegExp(`\\b${name}\\b`).test(PROSE + snippet.text.replace(/^(?!\s*#).*$/gm, '')))
            problems.push(`${jobId}.${where}: repository variable ${name} is documented nowhere`);
        }
      };
      for (const { where, expression } of expressionsIn({ ...job, steps: undefined, outputs: undefined }))
        check(where, expression);
      for (const [index, step] of ((job.steps ?? []) as Doc[]).entries()) {
        for (const { where, expression } of expressionsIn(step, `steps[${index}]`)) check(where, expression);
        if (typeof step.id === 'string') stepIds.push(step.id);
      }
      for (const { where, expression } of expressionsIn(job.outputs ?? {}, 'outputs')) check(where, expression);
    }
    expect(problems).toEqual([]);
  });

  it("pins third-party actions by commit SHA and refers to this project's actions as documented", () => {
    const problems = usesOf(workflow)
      .map(({ uses }) => uses)
      .filter((uses) => !PINNED.test(uses))
      .filter((uses) => {
        if (snippet.source.startsWith('.github/')) return !uses.startsWith('./.parlai-site-deploy');
        return !DOCUMENTED_OWN.test(uses);
      });
    expect(problems).toEqual([]);
  });

  it("passes this project's actions and reusable workflow only inputs they declare, and every required one", () => {
    const problems: string[] = [];
    for (const { job, uses, with: given } of usesOf(workflow)) {
      const declared = OWN.deploy.test(uses)
        ? DEPLOY_INPUTS
        : OWN.infra.test(uses)
          ? INFRA_INPUTS
          : OWN.workflow.test(uses)
            ? WORKFLOW_INPUTS
            : OWN.rollbackWorkflow.test(uses)
              ? ROLLBACK_INPUTS
              : null;
      if (!declared) continue;
      for (const name of Object.keys(given))
        if (!(name in declared)) problems.push(`${job}: ${uses} has no input ${name}`);
      // A rollback (#20) restores recorded versions and deploys no build: it needs no source-dir. action.yml
      // still marks source-dir required until the action makes it optional in rollback mode.
      const rollback = OWN.deploy.test(uses) && typeof given['rollback-to'] === 'string' && given['rollback-to'] !== '';
      for (const [name, spec] of Object.entries(declared))
        if (spec.required === true && spec.default === undefined && !(name in given))
          if (!(rollback && name === 'source-dir')) problems.push(`${job}: ${uses} needs ${name}`);
      if (given['domain-name'] && !given['hosted-zone-id'])
        problems.push(`${job}: ${uses} gets domain-name without hosted-zone-id`);
    }
    expect(problems).toEqual([]);
  });

  it('never runs the caller’s code (build, installs, checkout) in a job that holds AWS credentials', () => {
    expect(separationProblems(snippet.source, workflow)).toEqual([]);
  });

  if (snippet.kind !== 'steps') {
    it.each(setupsFor(workflow).map((setup) => [setup.name, setup] as const))(
      'gets each job the role its duty needs under the documented trust policies (%s), or skips cleanly',
      (_, setup) => {
        expect(allEventProblems(snippet.source, workflow, setup)).toEqual([]);
      },
    );
  }
});

describe('what runs where (documented outcomes)', () => {
  const file = (name: string) => parseYaml(read(name)) as Doc;

  it('examples/workflows/parlai-website.yml: main applies and deploys, own pull requests get a preview, others build', () => {
    const workflow = file('examples/workflows/parlai-website.yml');
    const noPreview = { 'preview-build': 'skipped', 'preview-deploy': 'skipped' };
    expect(outcome(workflow, EVENTS['push to main']!)).toEqual({
      'site/build': 'ran',
      'site/infra': 'infra',
      'site/deploy': 'deploy',
      ...noPreview,
    });
    expect(outcome(workflow, EVENTS['workflow_dispatch on main']!)).toEqual(outcome(workflow, EVENTS['push to main']!));
    expect(outcome(workflow, EVENTS['pull request from the repository']!)).toEqual({
      site: 'skipped',
      'preview-build': 'ran',
      'preview-deploy': 'preview',
    });
    const buildOnly = { site: 'skipped', 'preview-build': 'ran', 'preview-deploy': 'skipped' };
    expect(outcome(workflow, EVENTS['pull request from a fork']!)).toEqual(buildOnly);
    expect(outcome(workflow, EVENTS['pull request from Dependabot']!)).toEqual(buildOnly);
    expect(outcome(workflow, EVENTS['workflow_dispatch on another branch']!)).toEqual({
      'site/build': 'ran',
      'site/infra': 'skipped',
      'site/deploy': 'skipped',
      ...noPreview,
    });
    expect(outcome(workflow, EVENTS['pull request closed']!)).toEqual({
      site: 'skipped',
      'preview-build': 'skipped',
      'preview-deploy': 'preview',
    });
  });

  it('the reusable workflow without plan-role-arn: pull requests build only', () => {
    const caller = file('examples/workflows/parlai-website.yml');
    caller.jobs = { site: caller.jobs.site };
    delete caller.jobs.site.if;
    delete caller.jobs.site.with['plan-role-arn'];
    expect(outcome(caller, EVENTS['pull request from the repository']!)).toEqual({
      'site/build': 'ran',
      'site/infra': 'skipped',
      'site/deploy': 'skipped',
    });
  });

  it('examples/workflows/pr-preview.yml: the preview role deploys and removes; the build has none', () => {
    const workflow = file('examples/workflows/pr-preview.yml');
    expect(outcome(workflow, EVENTS['pull request from the repository']!)).toEqual({ build: 'ran', deploy: 'preview' });
    expect(outcome(workflow, EVENTS['pull request closed']!)).toEqual({ build: 'skipped', deploy: 'preview' });
    expect(outcome(workflow, EVENTS['pull request from a fork']!)).toEqual({ build: 'ran', deploy: 'skipped' });
    expect(outcome(workflow, EVENTS['fork pull request closed']!)).toEqual({ build: 'skipped', deploy: 'skipped' });
    expect(outcome(workflow, EVENTS['push to main']!)).toBe('not triggered');
  });

  it('examples/workflows/rollback.yml: a manual run on main rolls back through rollback-site.yml with the deploy role; elsewhere nothing runs', () => {
    const workflow = file('examples/workflows/rollback.yml');
    expect(outcome(workflow, EVENTS['workflow_dispatch on main']!)).toEqual({ 'rollback/rollback': 'deploy' });
    expect(outcome(workflow, EVENTS['workflow_dispatch on another branch']!)).toEqual({ rollback: 'skipped' });
    for (const event of [
      'push to main',
      'push to another branch',
      'pull request from the repository',
      'tag v1.2.3 pushed',
    ])
      expect({ event, outcome: outcome(workflow, EVENTS[event]!) }).toEqual({ event, outcome: 'not triggered' });
    expect(workflow.jobs.rollback.uses).toBe('YOUR_ORG/parlai-site-deploy/.github/workflows/rollback-site.yml@v1');
    expect(DEPLOY_INPUTS['rollback-to']).toMatchObject({ required: false, default: '' });
  });

  it('release.yml: only a version tag releases', () => {
    const workflow = file('.github/workflows/release.yml');
    expect(outcome(workflow, EVENTS['push to main']!)).toBe('not triggered');
    expect(outcome(workflow, EVENTS['tag v1.2.3 pushed']!)).toEqual({ verify: 'ran', publish: 'ran' });
  });
});

describe('the checks catch the documented setups that were broken (regressions of #12 and #14)', () => {
  it("#12.1: the old ParlAI example's dry run on a same-repository pull request had no credentials", () => {
    const old = parseYaml(`
name: website
on: { push: { branches: [main] }, pull_request: {} }
permissions: { id-token: write, contents: read }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        if: github.event_name == 'push'
        with: { role-to-assume: '\${{ vars.AWS_DEPLOY_ROLE_ARN }}', aws-region: us-east-1 }
      - uses: YOUR_ORG/parlai-site-deploy@v1
        with:
          build-command: python generate.py
          source-dir: build
          bucket: parl.ai
          dry-run: \${{ github.event_name == 'pull_request' }}
`) as Doc;
    const problems = eventProblems('old', old, EVENTS['pull request from the repository']!, ANY_WORKFLOW).problems;
    expect(problems).toContain(
      'old on pull request from the repository: job deploy runs the deploy action without AWS credentials: it fails ("No AWS credentials found")',
    );
    // A fork's pull request skips cleanly: no problem for that.
    expect(eventProblems('old', old, EVENTS['pull request from a fork']!, ANY_WORKFLOW).problems).toEqual([]);
    // And the build ran in the job that holds the credentials.
    expect(separationProblems('old', old)).toEqual([
      "old: job deploy checks out the caller's repository, runs build-command and has id-token: write, configures AWS credentials",
    ]);
  });

  it('#12.2/#14.2: the old preview workflow used the deploy role on pull requests, with the build in that job', () => {
    const old = parseYaml(`
on: { pull_request: { types: [opened, synchronize, reopened, closed] } }
permissions: { contents: read, id-token: write, deployments: write, pull-requests: write }
jobs:
  deploy:
    runs-on: ubuntu-latest
    if: github.event.pull_request.head.repo.full_name == github.repository
    steps:
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with: { role-to-assume: '\${{ vars.AWS_DEPLOY_ROLE_ARN }}', aws-region: us-east-1 }
      - uses: YOUR_ORG/parlai-site-deploy@v1
        with: { build-command: make, source-dir: build, bucket: b, preview: true }
`) as Doc;
    expect(eventProblems('old', old, EVENTS['pull request from the repository']!, ANY_WORKFLOW).problems).toEqual([
      'old on pull request from the repository: job deploy runs build-command with an OIDC token',
      'old on pull request from the repository: job deploy assumes the deploy role, whose trust policy rejects repo:OWNER/REPO:pull_request',
      'old on pull request from the repository: job deploy runs the deploy action without AWS credentials: it fails ("No AWS credentials found")',
    ]);
  });

  it('#14.1: a trust policy that admits an unprotected environment lets another branch take the deploy role', () => {
    const environmentTrust: Setup = {
      ...ANY_WORKFLOW,
      policies: (role) => {
        const policy = ANY_WORKFLOW.policies(role);
        if (role.name === 'deploy')
          policy.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'].push(
            'repo:OWNER/REPO:environment:production',
          );
        return policy;
      },
    };
    const branch = parseYaml(`
on: push
permissions: { contents: read, id-token: write }
jobs:
  steal:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with: { role-to-assume: '\${{ vars.AWS_DEPLOY_ROLE_ARN }}', aws-region: us-east-1 }
`) as Doc;
    expect(eventProblems('branch', branch, EVENTS['push to another branch']!, environmentTrust).problems).toEqual([
      'branch on push to another branch: job steal can obtain the deploy role (sub repo:OWNER/REPO:environment:production)',
    ]);
    // With the documented trust policies, the same workflow gets nothing.
    expect(eventProblems('branch', branch, EVENTS['push to another branch']!, ANY_WORKFLOW).problems).toEqual([
      'branch on push to another branch: job steal assumes the deploy role, whose trust policy rejects repo:OWNER/REPO:environment:production',
    ]);
    expect(eventProblems('branch', branch, EVENTS['push to another branch']!, HARDENED).problems).toEqual([
      'branch on push to another branch: job steal assumes the deploy role, whose trust policy rejects repo:OWNER/REPO:environment:production:job_workflow_ref:OWNER/REPO/.github/workflows/site.yml@refs/heads/feature',
    ]);
  });

  it('#14.5: a pull-request job that plans must not get the infra role, nor a dry run the deploy role', () => {
    const wrongDuty = parseYaml(`
on: pull_request
permissions: { contents: read, id-token: write }
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with: { role-to-assume: '\${{ vars.AWS_PREVIEW_ROLE_ARN }}', aws-region: us-east-1 }
      - uses: YOUR_ORG/parlai-site-deploy/infra@v1
        with: { state-bucket: s, site-name: parlai, apply: false, lock: false }
`) as Doc;
    expect(eventProblems('wrong', wrongDuty, EVENTS['pull request from the repository']!).problems).toEqual([
      'wrong on pull request from the repository: job plan assumes the preview role for a duty of plan',
      'wrong on pull request from the repository: job plan runs the infra action without AWS credentials: terraform fails',
    ]);
  });

  it('every role named in the checks is one examples/iam documents', () => {
    expect(ROLES.map((role) => role.name)).toEqual(['deploy', 'infra', 'plan', 'preview']);
  });
});

describe.each(REUSABLE_WORKFLOWS)('the reusable workflow %s runs its own code at the called commit (#14.9)', (name) => {
  const workflow = parseYaml(read(name)) as Doc;

  it('refers to no published tag of itself', () => {
    expect(read(name)).not.toMatch(/^\s*(-\s*)?uses:\s*\S*parlai-site-deploy\S*@/m);
  });

  it('checks out job.workflow_repository at job.workflow_sha before each use of ./.parlai-site-deploy', () => {
    for (const [id, job] of Object.entries(workflow.jobs as Record<string, Doc>)) {
      const steps = (job.steps ?? []) as Doc[];
      const local = steps.findIndex((step) => String(step.uses ?? '').startsWith('./.parlai-site-deploy'));
      if (local === -1) continue;
      const checkout = steps.findIndex(
        (step) =>
          /^actions\/checkout@/.test(step.uses ?? '') &&
          step.with?.repository === '${{ job.workflow_repository }}' &&
          step.with?.ref === '${{ job.workflow_sha }}' &&
          step.with?.path === '.parlai-site-deploy' &&
          step.with?.['persist-credentials'] === false,
      );
      expect({ id, checkoutBeforeUse: checkout !== -1 && checkout < local }).toEqual({ id, checkoutBeforeUse: true });
      // The guard before it refuses an empty job.workflow_sha (checkout would fall back to the caller's code).
      const guard = steps.findIndex((step) => step.env?.WORKFLOW_SHA === '${{ job.workflow_sha }}');
      expect({ id, guardFirst: guard !== -1 && guard < checkout }).toEqual({ id, guardFirst: true });
    }
  });
});

describe('previews are served by their own distribution, which the documented setups create (#19.1)', () => {
  const reusable = parseYaml(read('.github/workflows/deploy-site.yml')) as Doc;
  const callsOfReusable = (workflow: Doc) => usesOf(workflow).filter(({ uses }) => OWN.workflow.test(uses));
  /** Deploys pull-request previews: the deploy action with `preview: true`, or the preview distribution's variable. */
  const deploysPreviews = (snippet: Snippet, workflow: Doc) =>
    usesOf(workflow).some(({ uses, with: given }) => OWN.deploy.test(uses) && String(given.preview) === 'true') ||
    snippet.text.replace(/^\s*#.*$/gm, '').includes('SITE_PREVIEW_DISTRIBUTION_ID');
  const previewSetups = ALL.filter((s) => s.kind !== 'steps').filter((s) => deploysPreviews(s, asWorkflow(s)));

  it('finds the documented preview setups', () => {
    expect(previewSetups.map((s) => s.source)).toEqual(
      expect.arrayContaining(['examples/workflows/parlai-website.yml', 'examples/workflows/pr-preview.yml']),
    );
  });

  it('every caller of the reusable workflow that deploys previews passes preview-distribution: true', () => {
    const problems: string[] = [];
    for (const snippet of previewSetups)
      for (const { job, with: given } of callsOfReusable(asWorkflow(snippet)))
        if (given['preview-distribution'] !== true)
          problems.push(`${snippet.source}: job ${job} deploys previews but does not pass preview-distribution: true`);
    expect(problems).toEqual([]);
  });

  it('a preview workflow without the reusable workflow relies on parlai-website.yml, which creates the distribution', () => {
    const alone = previewSetups.filter((s) => callsOfReusable(asWorkflow(s)).length === 0).map((s) => s.source);
    expect(alone).toEqual(expect.arrayContaining(['examples/workflows/pr-preview.yml']));
    expect(read('examples/workflows/pr-preview.yml')).toMatch(/Production is deployed by parlai-website\.yml/);
    const caller = callsOfReusable(parseYaml(read('examples/workflows/parlai-website.yml')) as Doc);
    expect(caller.map(({ with: given }) => given['preview-distribution'])).toEqual([true]);
  });

  it('the reusable workflow forwards preview-distribution to every infra step, on main (apply) and pull requests (plan)', () => {
    expect(reusable.on.workflow_call.inputs['preview-distribution']).toMatchObject({ type: 'boolean', default: false });
    for (const value of [true, false]) {
      for (const event of [EVENTS['push to main']!, EVENTS['pull request from the repository']!]) {
        const run = play(reusable, event, {
          inputs: { 'preview-distribution': value, 'plan-role-arn': 'vars:AWS_PLAN_ROLE_ARN' },
          callerPermissions: { contents: 'read', 'id-token': 'write' },
        });
        const infraSteps = run.jobs.flatMap((job) => job.steps.filter((s) => s.ran && OWN.infra.test(s.uses)));
        expect({ event: event.name, value, steps: infraSteps.length }).toEqual({ event: event.name, value, steps: 1 });
        for (const step of infraSteps)
          expect({ event: event.name, forwarded: toText(step.with['preview-distribution']) }).toEqual({
            event: event.name,
            forwarded: String(value),
          });
      }
    }
    // Statically too: no infra step of the file, whatever its condition, leaves the input out.
    for (const [id, job] of Object.entries(reusable.jobs as Record<string, Doc>))
      for (const step of ((job.steps ?? []) as Doc[]).filter((s) => OWN.infra.test(String(s.uses ?? ''))))
        expect({ id, given: step.with?.['preview-distribution'] }).toEqual({
          id,
          given: '${{ inputs.preview-distribution }}',
        });
  });

  it('parlai-website.yml: every run on main applies the module with the preview distribution', () => {
    const workflow = parseYaml(read('examples/workflows/parlai-website.yml')) as Doc;
    for (const event of [EVENTS['push to main']!, EVENTS['workflow_dispatch on main']!]) {
      const infra = play(workflow, event).jobs.find((job) => job.id === 'site/infra')!;
      const step = infra.steps.find((s) => OWN.infra.test(s.uses))!;
      expect({ apply: toText(step.with.apply), preview: toText(step.with['preview-distribution']) }).toEqual({
        apply: 'true',
        preview: 'true',
      });
    }
  });

  it('the reusable workflow outputs the preview distribution the infra action outputs', () => {
    const infraOutputs = (parseYaml(read('infra/action.yml')) as Doc).outputs as Doc;
    expect(Object.keys(infraOutputs)).toEqual(expect.arrayContaining(['preview-distribution-id', 'preview-url']));
    for (const name of ['preview-distribution-id', 'preview-url']) {
      expect(reusable.jobs.infra.outputs[name]).toBe(`\${{ steps.terraform.outputs.${name} }}`);
      expect(reusable.on.workflow_call.outputs[name].value).toBe(`\${{ jobs.infra.outputs.${name} }}`);
    }
  });
});

describe('the main-branch roles trust only the reusable workflow, at the pinned ref (#19.3)', () => {
  const REUSABLE_REF = `YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml@${DOCUMENTED_WORKFLOW_REF}`;
  const caller = () => parseYaml(read('examples/workflows/parlai-website.yml')) as Doc;
  const jobOf = (
    workflow: Doc,
    event: GitHubEvent,
    id: string,
    subjects: Setup['subjects'] = 'job_workflow_ref',
    workflowPath = '.github/workflows/parlai-website.yml',
  ) => play(workflow, event, { subjects, workflowPath }).jobs.find((job) => job.id === id)!;

  it('the repository customises its OIDC subject with job_workflow_ref before any role is created', () => {
    const guide = read('examples/iam/README.md');
    const call = guide.indexOf('actions/oidc/customization/sub');
    expect(call).toBeGreaterThan(-1);
    for (const key of ['repo', 'context', 'job_workflow_ref'])
      expect(guide.slice(call, call + 400)).toContain(`'include_claim_keys[]=${key}'`);
    expect(guide.slice(call, call + 400)).toContain('-F use_default=false');
    expect(call).toBeLessThan(guide.indexOf('aws iam create-role'));
  });

  it('a push or manual run of main, from the reusable workflow at the pinned ref, gets the deploy and infra roles', () => {
    for (const event of [EVENTS['push to main']!, EVENTS['workflow_dispatch on main']!]) {
      for (const id of ['site/infra', 'site/deploy']) {
        const job = jobOf(caller(), event, id);
        expect(job.sub).toBe(`repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${REUSABLE_REF}`);
        expect(obtainable(job.sub!).map((role) => role.name)).toEqual(['deploy', 'infra']);
      }
      expect(outcome(caller(), event)).toMatchObject({ 'site/infra': 'infra', 'site/deploy': 'deploy' });
    }
  });

  // Any workflow on main that can get an OIDC token: a nightly job, a bot answering comments, a test workflow.
  const other = parseYaml(`
on:
  push: { branches: [main] }
  schedule: [{ cron: '0 3 * * *' }]
  issue_comment: { types: [created] }
permissions: { contents: read, id-token: write }
jobs:
  nightly:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with: { role-to-assume: '\${{ vars.AWS_DEPLOY_ROLE_ARN }}', aws-region: us-east-1 }
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with: { role-to-assume: '\${{ vars.AWS_INFRA_ROLE_ARN }}', aws-region: us-east-1 }
`) as Doc;
  const onMain = [EVENTS['schedule on main']!, EVENTS['issue_comment on main']!, EVENTS['push to main']!];

  it.each(onMain.map((event) => [event.name, event] as const))(
    'another workflow on main with id-token: write (%s) is refused both roles, whatever the subject format',
    (_, event) => {
      for (const subjects of ['job_workflow_ref', 'default'] as const) {
        const setup: Setup = { name: subjects, subjects, policies: HARDENED.policies };
        const job = jobOf(other, event, 'nightly', subjects, '.github/workflows/nightly.yml');
        expect({ subjects, sub: job.sub, roles: obtainable(job.sub!, setup.policies).map((r) => r.name) }).toEqual({
          subjects,
          sub: job.sub,
          roles: [],
        });
        expect(eventProblems('.github/workflows/nightly.yml', other, event, setup).problems).toEqual([
          `.github/workflows/nightly.yml on ${event.name}: job nightly assumes the deploy role, whose trust policy rejects ${job.sub}`,
          `.github/workflows/nightly.yml on ${event.name}: job nightly assumes the infra role, whose trust policy rejects ${job.sub}`,
        ]);
      }
    },
  );

  it('the any-workflow alternative does let them in: it is for repositories that do not use the reusable workflow', () => {
    for (const event of onMain) {
      const job = jobOf(other, event, 'nightly', 'default', '.github/workflows/nightly.yml');
      expect(obtainable(job.sub!, ANY_WORKFLOW.policies).map((r) => r.name)).toEqual(['deploy', 'infra']);
    }
    expect(eventProblems('nightly', other, EVENTS['schedule on main']!, ANY_WORKFLOW).problems).toEqual([
      'nightly on schedule on main: job nightly can obtain the deploy and infra role (sub repo:OWNER/REPO:ref:refs/heads/main)',
    ]);
  });

  it('the reusable workflow from a fork, or at another ref, gets no main-branch role', () => {
    for (const uses of [
      'someone/parlai-site-deploy/.github/workflows/deploy-site.yml@v1',
      'YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml@main',
      `YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml@${'e'.repeat(40)}`,
    ]) {
      const workflow = caller();
      workflow.jobs.site.uses = uses;
      const job = jobOf(workflow, EVENTS['push to main']!, 'site/deploy');
      expect({ uses, roles: obtainable(job.sub!).map((r) => r.name) }).toEqual({ uses, roles: [] });
    }
  });

  it('pull requests: the plan role only through the reusable workflow, the preview role only through this repository’s workflows', () => {
    const pullRequest = EVENTS['pull request from the repository']!;
    // The reusable workflow's plan and dry run.
    const planCaller = caller();
    planCaller.jobs = { site: planCaller.jobs.site };
    delete planCaller.jobs.site.if;
    const plan = jobOf(planCaller, pullRequest, 'site/infra');
    expect(plan.sub).toBe(`repo:OWNER/REPO:pull_request:job_workflow_ref:${REUSABLE_REF}`);
    expect(obtainable(plan.sub!).map((r) => r.name)).toEqual(['plan']);
    // The caller's own preview job (its file comes from the pull request's head).
    const preview = jobOf(caller(), pullRequest, 'preview-deploy');
    expect(preview.sub).toBe(
      'repo:OWNER/REPO:pull_request:job_workflow_ref:OWNER/REPO/.github/workflows/parlai-website.yml@refs/pull/7/merge',
    );
    expect(obtainable(preview.sub!).map((r) => r.name)).toEqual(['preview']);
    // A job of a reusable workflow kept in another repository gets neither.
    expect(
      obtainable(
        'repo:OWNER/REPO:pull_request:job_workflow_ref:someone/tools/.github/workflows/x.yml@refs/heads/main',
      ).map((r) => r.name),
    ).toEqual([]);
  });
});

describe('a rollback goes through rollback-site.yml, which the deploy role trusts and the infra role does not (#20)', () => {
  const ROLLBACK_REF = `YOUR_ORG/parlai-site-deploy/.github/workflows/rollback-site.yml@${DOCUMENTED_WORKFLOW_REF}`;
  const ROLLBACK_SUB = `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${ROLLBACK_REF}`;
  const SOURCE = 'examples/workflows/rollback.yml';
  const caller = () => parseYaml(read(SOURCE)) as Doc;
  const run = (workflow: Doc, event: GitHubEvent) =>
    play(workflow, event, { subjects: 'job_workflow_ref', workflowPath: '.github/workflows/rollback.yml' });
  const role = (name: string) => ROLES.find((r) => r.name === name)!;

  it('is played under the hardened setup, where every event of it is fine', () => {
    expect(setupsFor(caller()).map((setup) => setup.name)).toEqual([HARDENED.name]);
    expect(allEventProblems(SOURCE, caller(), HARDENED)).toEqual([]);
  });

  it('a manual run on main: the called job gets the deploy role through rollback-site.yml@v1, and the deploy input reaches the action', () => {
    const workflow = caller();
    // A deploy id rather than the default `previous`, to see the value of the input travel.
    workflow.on.workflow_dispatch.inputs.deploy.default = '20261202T051500Z-3f2a9c1';
    const jobs = run(workflow, EVENTS['workflow_dispatch on main']!).jobs;
    expect(jobs.map((job) => [job.id, job.ran])).toEqual([
      ['rollback', true],
      ['rollback/rollback', true],
    ]);
    const job = jobs.find((j) => j.id === 'rollback/rollback')!;
    expect(job.sub).toBe(ROLLBACK_SUB);
    expect(obtainable(job.sub!).map((r) => r.name)).toEqual(['deploy']);
    expect(job.assumed).toEqual(['deploy']);
    const step = job.steps.find((s) => OWN.deploy.test(s.uses))!;
    expect({ ran: step.ran, uses: step.uses }).toEqual({ ran: true, uses: './.parlai-site-deploy' });
    expect(step.with).toEqual({
      'rollback-to': '20261202T051500Z-3f2a9c1',
      bucket: 'vars:SITE_BUCKET',
      'distribution-id': 'vars:SITE_DISTRIBUTION_ID',
      region: 'us-east-1',
      prefix: '',
      'dry-run': false,
    });
    // The only checkout is of parlai-site-deploy at the called commit: no code of the caller runs.
    expect(job.steps.filter((s) => /^actions\/checkout@/.test(s.uses)).map((s) => s.with.repository)).toEqual([
      'YOUR_ORG/parlai-site-deploy',
    ]);
  });

  it('from another branch: no job runs, no token is issued, no role is assumed (the called job refuses too)', () => {
    const event = EVENTS['workflow_dispatch on another branch']!;
    const skipped = run(caller(), event).jobs;
    expect(skipped.map((job) => [job.id, job.ran, job.sub])).toEqual([['rollback', false, null]]);
    // Without the caller's `if`, rollback-site.yml's own job condition skips it.
    const unguarded = caller();
    delete unguarded.jobs.rollback.if;
    const jobs = run(unguarded, event).jobs;
    expect(jobs.map((job) => [job.id, job.ran, job.sub, job.assumed])).toEqual([
      ['rollback', true, null, []],
      ['rollback/rollback', false, null, []],
    ]);
  });

  it('the infra role cannot be obtained through rollback-site.yml', () => {
    expect(trusts(policyFile(role('infra').trust), ROLLBACK_SUB)).toBe(false);
    expect(trusts(policyFile(role('deploy').trust), ROLLBACK_SUB)).toBe(true);
    // A caller that hands rollback-site.yml the infra role's ARN is refused it (and the rollback gets nothing).
    const workflow = caller();
    workflow.jobs.rollback.with['aws-role-arn'] = '${{ vars.AWS_INFRA_ROLE_ARN }}';
    expect(eventProblems(SOURCE, workflow, EVENTS['workflow_dispatch on main']!, HARDENED).problems).toEqual([
      `${SOURCE} on workflow_dispatch on main: job rollback/rollback assumes the infra role, whose trust policy rejects ${ROLLBACK_SUB}`,
      `${SOURCE} on workflow_dispatch on main: job rollback/rollback runs the deploy action without AWS credentials: it fails ("No AWS credentials found")`,
    ]);
  });

  it('rollback-site.yml from a fork, or at another ref, gets no role', () => {
    for (const uses of [
      'someone/parlai-site-deploy/.github/workflows/rollback-site.yml@v1',
      'YOUR_ORG/parlai-site-deploy/.github/workflows/rollback-site.yml@main',
      `YOUR_ORG/parlai-site-deploy/.github/workflows/rollback-site.yml@${'e'.repeat(40)}`,
    ]) {
      const workflow = caller();
      workflow.jobs.rollback.uses = uses;
      const job = run(workflow, EVENTS['workflow_dispatch on main']!).jobs.find((j) => j.id === 'rollback/rollback')!;
      expect({ uses, roles: obtainable(job.sub!).map((r) => r.name) }).toEqual({ uses, roles: [] });
    }
  });

  it('shares the concurrency group of deploy-site.yml’s runs on main, never cancelled', () => {
    const rollback = parseYaml(read('.github/workflows/rollback-site.yml')) as Doc;
    const deploy = parseYaml(read('.github/workflows/deploy-site.yml')) as Doc;
    const siteName = caller().jobs.rollback.with['site-name'] as string;
    // The same site-name as the deploys of the documented caller.
    expect(siteName).toBe(
      (parseYaml(read('examples/workflows/parlai-website.yml')) as Doc).jobs.site.with['site-name'],
    );
    const group = (workflow: Doc, event: GitHubEvent) => {
      const scope = { contexts: { github: event.github, inputs: { 'site-name': siteName } } };
      return {
        group: toText(interpolate(workflow.concurrency.group as string, scope)),
        cancel: toText(interpolate(String(workflow.concurrency['cancel-in-progress']), scope)),
      };
    };
    const production = { group: `deploy-site-${siteName}-production`, cancel: 'false' };
    expect(group(rollback, EVENTS['workflow_dispatch on main']!)).toEqual(production);
    for (const event of [EVENTS['push to main']!, EVENTS['workflow_dispatch on main']!])
      expect(group(deploy, event)).toEqual(production);
    // A run from another branch (which does nothing) does not queue with production.
    expect(group(rollback, EVENTS['workflow_dispatch on another branch']!)).toEqual({
      group: `deploy-site-${siteName}-refs/heads/feature`,
      cancel: 'false',
    });
    // The caller holds no group of its own, which would wait on the called workflow's.
    expect(caller().concurrency).toBeUndefined();
    expect(caller().jobs.rollback.concurrency).toBeUndefined();
  });

  it('outputs what the action outputs', () => {
    const rollback = parseYaml(read('.github/workflows/rollback-site.yml')) as Doc;
    const actionOutputs = Object.keys((parseYaml(read('action.yml')) as Doc).outputs as Doc);
    const names = ['deploy-id', 'result', 'uploaded', 'deleted', 'invalidation-id'];
    expect(actionOutputs).toEqual(expect.arrayContaining(names));
    expect(Object.keys(rollback.on.workflow_call.outputs as Doc)).toEqual(names);
    for (const name of names) {
      expect(rollback.on.workflow_call.outputs[name].value).toBe(`\${{ jobs.rollback.outputs.${name} }}`);
      expect(rollback.jobs.rollback.outputs[name]).toBe(`\${{ steps.rollback.outputs.${name} }}`);
    }
  });
});
