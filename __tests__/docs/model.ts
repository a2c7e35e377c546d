// The documented workflows as data, and a player that runs a GitHub event through them: `on:` filters, job
// and step `if:`s (with the expression evaluator in ./expressions.ts), `needs`, permissions, reusable
// workflows (this repository's deploy-site.yml and rollback-site.yml, called by path), the OIDC token each
// job could get and the AWS roles (examples/iam) whose trust policy accepts it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import {
  condition,
  contextPaths,
  interpolate,
  parse,
  templateExpressions,
  toText,
  type Scope,
  type Value,
} from './expressions.js';

export const REPO = process.cwd();
export const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

export interface Snippet {
  /** `README.md:123` (the line of the code fence) or the workflow file. */
  source: string;
  kind: 'workflow' | 'jobs' | 'steps';
  text: string;
  doc: Doc;
}

const DOCUMENTS = ['README.md', 'infra/README.md', 'RELEASING.md', 'examples/iam/README.md'];

function yamlFiles(dir: string): string[] {
  const full = path.join(REPO, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export const WORKFLOW_FILES = [...yamlFiles('.github/workflows'), ...yamlFiles('examples/workflows')];

/** Classifies one YAML document: a workflow, a `jobs:` fragment of a caller, a list of steps, or none. */
export function classify(doc: unknown): Snippet['kind'] | null {
  if (Array.isArray(doc)) {
    return doc.length > 0 && doc.every((item) => item && typeof item === 'object' && ('uses' in item || 'run' in item))
      ? 'steps'
      : null;
  }
  if (doc && typeof doc === 'object' && 'jobs' in doc) return 'on' in doc ? 'workflow' : 'jobs';
  return null;
}

/** Every `yaml`/`yml` code block of a Markdown text, with the line of its fence. */
export function yamlBlocks(markdown: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ya?ml)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trim().startsWith(fence); j += 1) body.push(lines[j]!);
    blocks.push({ line: i + 1, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Every workflow, caller fragment and step list in the documentation and the workflow files. */
export function snippets(): Snippet[] {
  const found: Snippet[] = [];
  for (const file of WORKFLOW_FILES) {
    const text = read(file);
    found.push({ source: file, kind: 'workflow', text, doc: parseYaml(text) as Doc });
  }
  for (const file of DOCUMENTS.filter((name) => existsSync(path.join(REPO, name)))) {
    for (const block of yamlBlocks(read(file))) {
      // A step list indented as in its job (`      - uses:`) is still a step list.
      const text = dedent(block.text);
      const doc = parseYaml(text) as unknown;
      const kind = classify(doc);
      if (kind) found.push({ source: `${file}:${block.line}`, kind, text, doc: doc as Doc });
    }
  }
  return found;
}

function dedent(text: string): string {
  const indents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)![0].length);
  const strip = Math.min(...indents);
  return text
    .split('\n')
    .map((line) => line.slice(strip))
    .join('\n');
}

/** Events the documented setups are played through. */
export interface GitHubEvent {
  name: string;
  github: Doc;
  /** GitHub hands out an OIDC token (and secrets) to this run. */
  oidc: boolean;
  secrets: boolean;
}

export const OWNER_REPO = 'OWNER/REPO';

function pullRequest(action: string, headRepo: string, actor = 'contributor'): Doc {
  return {
    event_name: 'pull_request',
    ref: 'refs/pull/7/merge',
    ref_name: '7/merge',
    base_ref: 'main',
    head_ref: 'feature',
    actor,
    repository: OWNER_REPO,
    run_id: '1',
    event: {
      action,
      number: 7,
      repository: { default_branch: 'main', full_name: OWNER_REPO },
      pull_request: {
        number: 7,
        merged: false,
        base: { ref: 'main', repo: { full_name: OWNER_REPO, fork: false } },
        head: { ref: 'feature', sha: 'f'.repeat(40), repo: { full_name: headRepo, fork: headRepo !== OWNER_REPO } },
      },
    },
  };
}

function onRef(eventName: string, ref: string, actor = 'maintainer'): Doc {
  return {
    event_name: eventName,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    actor,
    repository: OWNER_REPO,
    run_id: '1',
    sha: 'a'.repeat(40),
    event: { repository: { default_branch: 'main', full_name: OWNER_REPO } },
  };
}

export const EVENTS: Record<string, GitHubEvent> = {
  'push to main': { name: 'push to main', github: onRef('push', 'refs/heads/main'), oidc: true, secrets: true },
  'push to another branch': {
    name: 'push to another branch',
    github: onRef('push', 'refs/heads/feature'),
    oidc: true,
    secrets: true,
  },
  'workflow_dispatch on main': {
    name: 'workflow_dispatch on main',
    github: onRef('workflow_dispatch', 'refs/heads/main'),
    oidc: true,
    secrets: true,
  },
  'workflow_dispatch on another branch': {
    name: 'workflow_dispatch on another branch',
    github: onRef('workflow_dispatch', 'refs/heads/feature'),
    oidc: true,
    secrets: true,
  },
  'pull request from the repository': {
    name: 'pull request from the repository',
    github: pullRequest('synchronize', OWNER_REPO),
    oidc: true,
    secrets: true,
  },
  'pull request from a fork': {
    name: 'pull request from a fork',
    github: pullRequest('opened', 'someone/REPO'),
    oidc: false,
    secrets: false,
  },
  'pull request from Dependabot': {
    name: 'pull request from Dependabot',
    github: pullRequest('opened', OWNER_REPO, 'dependabot[bot]'),
    oidc: false,
    secrets: false,
  },
  'pull request closed': {
    name: 'pull request closed',
    github: pullRequest('closed', OWNER_REPO),
    oidc: true,
    secrets: true,
  },
  'fork pull request closed': {
    name: 'fork pull request closed',
    github: pullRequest('closed', 'someone/REPO'),
    oidc: false,
    secrets: false,
  },
  // Runs on the default branch that are not a deploy: GitHub gives them the ref of main, and an OIDC token when
  // their workflow has id-token: write.
  'schedule on main': {
    name: 'schedule on main',
    github: onRef('schedule', 'refs/heads/main', 'github-actions[bot]'),
    oidc: true,
    secrets: true,
  },
  'issue_comment on main': {
    name: 'issue_comment on main',
    github: onRef('issue_comment', 'refs/heads/main', 'commenter'),
    oidc: true,
    secrets: true,
  },
  'tag v1.2.3 pushed': {
    name: 'tag v1.2.3 pushed',
    github: onRef('push', 'refs/tags/v1.2.3'),
    oidc: true,
    secrets: true,
  },
};

/** Does the workflow's `on:` start a run for this event? */
export function triggers(on: unknown, github: Doc): boolean {
  const eventName = github.event_name as string;
  const events: Record<string, Doc | null> = {};
  if (typeof on === 'string') events[on] = null;
  else if (Array.isArray(on)) for (const name of on as string[]) events[name] = null;
  else if (on && typeof on === 'object') Object.assign(events, on);
  if (!(eventName in events)) return false;
  const filter = events[eventName] ?? {};
  const matches = (patterns: string[] | undefined, value: string) =>
    patterns === undefined || picomatch.isMatch(value, patterns);
  if (eventName === 'push') {
    const ref = github.ref as string;
    const hasBranchFilter = filter.branches !== undefined || filter['branches-ignore'] !== undefined;
    const hasTagFilter = filter.tags !== undefined || filter['tags-ignore'] !== undefined;
    if (ref.startsWith('refs/heads/')) {
      if (hasTagFilter && !hasBranchFilter) return false;
      const name = ref.slice('refs/heads/'.length);
      return (
        matches(filter.branches, name) &&
        !(filter['branches-ignore'] ?? []).some((p: string) => picomatch.isMatch(name, p))
      );
    }
    if (ref.startsWith('refs/tags/')) {
      if (hasBranchFilter && !hasTagFilter) return false;
      return matches(filter.tags, ref.slice('refs/tags/'.length));
    }
    return false;
  }
  if (eventName === 'pull_request') {
    const types = (filter.types as string[] | undefined) ?? ['opened', 'synchronize', 'reopened'];
    return types.includes(github.event.action as string) && matches(filter.branches, github.base_ref as string);
  }
  return true;
}

/** The permission a job's token has for one scope, from `permissions:` (job level, else workflow level). */
export function permission(permissions: unknown, scope: string): 'write' | 'read' | 'none' {
  if (permissions === 'write-all') return 'write';
  if (permissions === 'read-all') return scope === 'id-token' ? 'none' : 'read';
  if (permissions && typeof permissions === 'object') {
    const value = (permissions as Doc)[scope];
    return value === 'write' || value === 'read' ? value : 'none';
  }
  // Not declared: the repository's default, which a documented workflow must not rely on.
  throw new Error('permissions are not declared');
}

export interface StepRun {
  step: Doc;
  ran: boolean;
  uses: string;
  with: Record<string, Value>;
}

export interface JobRun {
  /** `site/deploy` for a job of a called workflow. */
  id: string;
  job: Doc;
  ran: boolean;
  permissions: unknown;
  idToken: boolean;
  /** The OIDC `sub` this job would get, or null without a token. */
  sub: string | null;
  steps: StepRun[];
  /** Roles the job's steps assume (by configure-aws-credentials), in order. */
  assumed: string[];
}

export interface Role {
  name: string;
  /** Repository variable holding the role's ARN. */
  variable: string;
  /** The documented trust policy: for OIDC subjects customised with job_workflow_ref (examples/iam/README.md). */
  trust: string;
  /** The alternative for a repository that keeps GitHub's default subject (and does not use deploy-site.yml). */
  anyWorkflowTrust: string;
  policy: string;
}

export const ROLES: Role[] = [
  {
    name: 'deploy',
    variable: 'AWS_DEPLOY_ROLE_ARN',
    trust: 'github-oidc-trust-policy.json',
    anyWorkflowTrust: 'github-oidc-trust-policy-any-workflow.json',
    policy: 'deploy-policy.json',
  },
  {
    name: 'infra',
    variable: 'AWS_INFRA_ROLE_ARN',
    trust: 'github-oidc-trust-policy-infra.json',
    anyWorkflowTrust: 'github-oidc-trust-policy-any-workflow.json',
    policy: 'terraform-policy.json',
  },
  {
    name: 'plan',
    variable: 'AWS_PLAN_ROLE_ARN',
    trust: 'github-oidc-trust-policy-plan.json',
    anyWorkflowTrust: 'github-oidc-trust-policy-pull-request-any-workflow.json',
    policy: 'plan-policy.json',
  },
  {
    name: 'preview',
    variable: 'AWS_PREVIEW_ROLE_ARN',
    trust: 'github-oidc-trust-policy-preview.json',
    anyWorkflowTrust: 'github-oidc-trust-policy-pull-request-any-workflow.json',
    policy: 'preview-policy.json',
  },
];

/** `vars.NAME` evaluates to this marker, so a role-to-assume can be traced back to its variable. */
const VAR_MARK = 'vars:';

export function roleOf(roleToAssume: Value): Role | null {
  const text = toText(roleToAssume);
  if (text.startsWith(VAR_MARK)) return ROLES.find((role) => role.variable === text.slice(VAR_MARK.length)) ?? null;
  const named = /:role\/site-([a-z]+)$/.exec(text);
  return named ? (ROLES.find((role) => role.name === named[1]) ?? null) : null;
}

/** Does this trust policy let a token with this `sub` (and aud sts.amazonaws.com) assume the role? */
export function trusts(policy: Doc, sub: string): boolean {
  const claims: Record<string, string> = {
    'token.actions.githubusercontent.com:sub': sub,
    'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
  };
  return (policy.Statement as Doc[]).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    if (toArray(statement.Action).every((action) => action !== 'sts:AssumeRoleWithWebIdentity')) return false;
    if (!/:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(statement.Principal?.Federated ?? ''))
      return false;
    const conditions = (statement.Condition ?? {}) as Record<string, Record<string, string | string[]>>;
    if (!conditions.StringEquals && !conditions.StringLike) return false;
    // An unconditioned sub would trust every repository on GitHub.
    const keys = Object.values(conditions).flatMap((block) => Object.keys(block));
    if (!keys.includes('token.actions.githubusercontent.com:sub')) return false;
    if (!keys.includes('token.actions.githubusercontent.com:aud')) return false;
    return Object.entries(conditions).every(([operator, block]) =>
      Object.entries(block).every(([key, expected]) => {
        const actual = claims[key];
        if (actual === undefined) return false;
        if (operator === 'StringEquals') return toArray(expected).includes(actual);
        if (operator === 'StringLike')
          return toArray(expected).some((pattern) =>
            new RegExp(
              `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')
                .replace(/\?/g, '.')}$`,
            ).test(actual),
          );
        throw new Error(`trust policy condition operator ${operator} is not modelled`);
      }),
    );
  });
}

export function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The ref the documented callers pin the reusable workflow at (`deploy-site.yml@v1`), as GitHub writes it in
 * `job_workflow_ref`; the trust policies' `WORKFLOW_REF` placeholder stands for it.
 */
export const DOCUMENTED_WORKFLOW_REF = 'refs/tags/v1';

/** A trust policy of examples/iam, with `WORKFLOW_REF` filled in as examples/iam/README.md's `fill` does. */
export function policyFile(file: string): Doc {
  return JSON.parse(read(`examples/iam/${file}`).replaceAll('WORKFLOW_REF', DOCUMENTED_WORKFLOW_REF)) as Doc;
}

export function trustPolicy(role: Role): Doc {
  return policyFile(role.trust);
}

/**
 * How GitHub builds the OIDC `sub` of the repository's tokens: its default (`repo:OWNER/REPO:<context>`), or
 * customised with `include_claim_keys: [repo, context, job_workflow_ref]` (examples/iam/README.md, step 1), the
 * documented default: `repo:OWNER/REPO:<context>:job_workflow_ref:<workflow path>@<ref>`.
 */
export type SubjectFormat = 'default' | 'job_workflow_ref';

/** The OIDC subject GitHub puts in the token of a job. */
export function subjectFor(
  github: Doc,
  environment: string | null,
  format: SubjectFormat = 'default',
  jobWorkflowRef = '',
): string {
  const context = environment
    ? `environment:${environment}`
    : github.event_name === 'pull_request'
      ? 'pull_request'
      : `ref:${github.ref}`;
  const subject = `repo:${github.repository}:${context}`;
  return format === 'default' ? subject : `${subject}:job_workflow_ref:${jobWorkflowRef}`;
}

/**
 * The `job_workflow_ref` claim of a job in a workflow called by `uses` (`OWNER/NAME/path@ref`, or a local
 * `./path`): the called file at the ref written in full — a tag such as `v1` becomes `refs/tags/v1`, a branch
 * `refs/heads/<name>`, a commit SHA stays as it is.
 */
export function calledWorkflowRef(uses: string, github: Doc): string {
  if (uses.startsWith('./')) return `${github.repository}/${uses.slice(2)}@${github.ref}`;
  const at = uses.lastIndexOf('@');
  const [file, ref] = [uses.slice(0, at), uses.slice(at + 1)];
  if (/^[0-9a-f]{40}$/.test(ref) || ref.startsWith('refs/')) return `${file}@${ref}`;
  return `${file}@${/^v\d/.test(ref) ? 'refs/tags' : 'refs/heads'}/${ref}`;
}

/** Where a documented workflow lives once installed: `.github/workflows/<name>` (a README snippet: site.yml). */
export function installedPath(source: string): string {
  const file = /^(?:\.github|examples)\/workflows\/([^/]+)$/.exec(source)?.[1];
  return `.github/workflows/${file ?? 'site.yml'}`;
}

/** `uses:` of this project's deploy action, infra action and reusable workflows, as documented or in place. */
export const OWN = {
  deploy: /^(?:[A-Za-z0-9_.-]+\/parlai-site-deploy@\S+|\.\/\.parlai-site-deploy)$/,
  infra: /^(?:[A-Za-z0-9_.-]+\/parlai-site-deploy\/infra@\S+|\.\/\.parlai-site-deploy\/infra)$/,
  /** deploy-site.yml: build, Terraform, deploy. */
  workflow:
    /^(?:[A-Za-z0-9_.-]+\/parlai-site-deploy\/\.github\/workflows\/deploy-site\.yml@\S+|\.\/\.github\/workflows\/deploy-site\.yml)$/,
  /** rollback-site.yml: a rollback with the deploy role. */
  rollbackWorkflow:
    /^(?:[A-Za-z0-9_.-]+\/parlai-site-deploy\/\.github\/workflows\/rollback-site\.yml@\S+|\.\/\.github\/workflows\/rollback-site\.yml)$/,
};

/** This repository's reusable workflows, as files of the repository. */
export const REUSABLE_WORKFLOWS = ['.github/workflows/deploy-site.yml', '.github/workflows/rollback-site.yml'];

/** The file of this repository a `uses:` of a job calls (deploy-site.yml or rollback-site.yml), or null. */
export function reusableWorkflowFile(uses: string): string | null {
  if (OWN.workflow.test(uses)) return REUSABLE_WORKFLOWS[0]!;
  if (OWN.rollbackWorkflow.test(uses)) return REUSABLE_WORKFLOWS[1]!;
  return null;
}

const CONFIGURE_AWS = /^aws-actions\/configure-aws-credentials@/;

function contextsFor(github: Doc, event: GitHubEvent, extra: Record<string, Value>): Record<string, Value> {
  const vars = new Proxy({} as Record<string, Value>, {
    get: (_, name) => (typeof name === 'string' ? `${VAR_MARK}${name}` : undefined),
    has: () => true,
    ownKeys: () => [],
  });
  const secrets = new Proxy({} as Record<string, Value>, {
    get: (_, name) => (typeof name === 'string' && event.secrets ? `secret:${name}` : ''),
    has: () => true,
    ownKeys: () => [],
  });
  return {
    github: github as Value,
    vars: vars as unknown as Value,
    secrets: secrets as unknown as Value,
    env: {},
    runner: { os: 'Linux', temp: '/tmp' },
    job: { workflow_repository: 'YOUR_ORG/parlai-site-deploy', workflow_sha: 'c'.repeat(40) },
    inputs: {},
    needs: {},
    steps: {},
    matrix: {},
    ...extra,
  };
}

/** Simulated outputs of the steps the documented workflows read. */
function stepOutputs(uses: string, id: string): Record<string, Value> {
  if (OWN.infra.test(uses))
    return {
      bucket: 'site-bucket',
      'distribution-id': 'E2QWRUHAPOMQZL',
      'distribution-domain': 'd111111abcdef8.cloudfront.net',
      'site-url': 'https://parl.ai',
    };
  return new Proxy({} as Record<string, Value>, {
    get: (_, name) => (typeof name === 'string' ? `<steps.${id}.outputs.${name}>` : undefined),
  });
}

export interface Play {
  triggered: boolean;
  jobs: JobRun[];
}

/** Runs one event through a workflow (or a `jobs:` fragment, given the `on:` of the workflow it belongs to). */
export function play(
  doc: Doc,
  event: GitHubEvent,
  options: {
    inputs?: Record<string, Value>;
    prefix?: string;
    callerPermissions?: unknown;
    /** How the repository's OIDC subjects are built (default: GitHub's default). */
    subjects?: SubjectFormat;
    /** The workflow's path in the repository, for `job_workflow_ref` (default: .github/workflows/site.yml). */
    workflowPath?: string;
    /** For a called workflow: its `job_workflow_ref`. */
    jobWorkflowRef?: string;
  } = {},
): Play {
  const github = event.github;
  const on = doc.on;
  const called = options.inputs !== undefined;
  if (!called && !triggers(on, github)) return { triggered: false, jobs: [] };
  const inputs: Record<string, Value> = {};
  // A manual run gets its workflow_dispatch inputs' defaults (what "Run workflow" offers).
  if (!called && github.event_name === 'workflow_dispatch') {
    for (const [name, spec] of Object.entries((on?.workflow_dispatch?.inputs ?? {}) as Record<string, Doc>))
      inputs[name] = (spec.default as Value) ?? (spec.type === 'boolean' ? false : '');
  }
  if (called) {
    for (const [name, spec] of Object.entries((on?.workflow_call?.inputs ?? {}) as Record<string, Doc>)) {
      inputs[name] =
        name in options.inputs!
          ? options.inputs![name]!
          : ((spec.default as Value) ?? (spec.type === 'boolean' ? false : ''));
    }
  }
  const jobs = (doc.jobs ?? {}) as Record<string, Doc>;
  const results: Record<string, { result: string; outputs: Record<string, Value> }> = {};
  const runs: JobRun[] = [];
  const order = topological(jobs);
  for (const id of order) {
    const job = jobs[id]!;
    const needs = toArray<string>(job.needs);
    const needsContext: Record<string, Value> = {};
    for (const need of needs) needsContext[need] = results[need] as unknown as Value;
    const allSucceeded = needs.every((need) => results[need]?.result === 'success');
    const scope: Scope = {
      contexts: contextsFor(github, event, { inputs, needs: needsContext }),
      status: { success: allSucceeded, failure: false, cancelled: false },
    };
    const ran = condition(job.if as string | undefined, scope);
    const permissions = job.permissions ?? doc.permissions ?? options.callerPermissions;
    const fullId = `${options.prefix ?? ''}${id}`;
    if (!ran) {
      results[id] = { result: 'skipped', outputs: {} };
      runs.push({ id: fullId, job, ran, permissions, idToken: false, sub: null, steps: [], assumed: [] });
      continue;
    }
    if (typeof job.uses === 'string') {
      // A reusable workflow of this repository (deploy-site.yml, rollback-site.yml), played with the caller's
      // `with:`.
      const calledFile = reusableWorkflowFile(job.uses);
      if (!calledFile) throw new Error(`${fullId}: cannot play the reusable workflow ${job.uses}`);
      const withValues: Record<string, Value> = {};
      for (const [name, value] of Object.entries((job.with ?? {}) as Record<string, unknown>))
        withValues[name] = typeof value === 'string' ? interpolate(value, scope) : (value as Value);
      const inner = play(parseYaml(read(calledFile)) as Doc, event, {
        inputs: withValues,
        prefix: `${fullId}/`,
        callerPermissions: permissions,
        subjects: options.subjects,
        jobWorkflowRef: calledWorkflowRef(job.uses, github),
      });
      runs.push(
        { id: fullId, job, ran, permissions, idToken: false, sub: null, steps: [], assumed: [] },
        ...inner.jobs,
      );
      results[id] = { result: 'success', outputs: {} };
      continue;
    }
    // A called workflow's job can have at most what the caller's job granted.
    let idToken = permission(permissions, 'id-token') === 'write';
    if (called && permission(options.callerPermissions, 'id-token') !== 'write') idToken = false;
    const environment =
      typeof job.environment === 'string' ? job.environment : ((job.environment?.name as string | undefined) ?? null);
    const jobWorkflowRef =
      options.jobWorkflowRef ??
      `${github.repository}/${options.workflowPath ?? '.github/workflows/site.yml'}@${github.ref}`;
    const sub = idToken && event.oidc ? subjectFor(github, environment, options.subjects, jobWorkflowRef) : null;
    const steps: StepRun[] = [];
    const assumed: string[] = [];
    const stepsContext: Record<string, Value> = {};
    for (const step of (job.steps ?? []) as Doc[]) {
      const stepScope: Scope = {
        contexts: contextsFor(github, event, { inputs, needs: needsContext, steps: stepsContext as Value }),
      };
      const stepRan = condition(step.if as string | undefined, stepScope);
      const uses = (step.uses as string | undefined) ?? '';
      const withValues: Record<string, Value> = {};
      for (const [name, value] of Object.entries((step.with ?? {}) as Record<string, unknown>))
        withValues[name] = typeof value === 'string' ? interpolate(value, stepScope) : (value as Value);
      for (const [name, value] of Object.entries((step.env ?? {}) as Record<string, unknown>))
        withValues[`env:${name}`] = typeof value === 'string' ? interpolate(value, stepScope) : (value as Value);
      steps.push({ step, ran: stepRan, uses, with: withValues });
      if (stepRan && CONFIGURE_AWS.test(uses) && withValues['role-to-assume'] !== undefined) {
        const role = roleOf(withValues['role-to-assume']);
        assumed.push(role ? role.name : `unknown role ${toText(withValues['role-to-assume'])}`);
      }
      if (typeof step.id === 'string')
        stepsContext[step.id] = { outputs: stepOutputs(uses, step.id), outcome: 'success' };
    }
    const outputScope: Scope = {
      contexts: contextsFor(github, event, { inputs, needs: needsContext, steps: stepsContext as Value }),
    };
    const outputs: Record<string, Value> = {};
    for (const [name, value] of Object.entries((job.outputs ?? {}) as Record<string, string>))
      outputs[name] = toText(interpolate(value, outputScope));
    results[id] = { result: 'success', outputs };
    runs.push({ id: fullId, job, ran, permissions, idToken, sub, steps, assumed });
  }
  return { triggered: true, jobs: runs };
}

function topological(jobs: Record<string, Doc>): string[] {
  const order: string[] = [];
  const visit = (id: string, trail: string[]) => {
    if (order.includes(id)) return;
    if (trail.includes(id)) throw new Error(`needs cycle: ${[...trail, id].join(' -> ')}`);
    if (!(id in jobs)) throw new Error(`needs names a job that does not exist: ${id}`);
    for (const need of toArray<string>(jobs[id]!.needs)) visit(need, [...trail, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

/** Every `${{ }}` expression in a parsed YAML document, with where it was found. */
export function expressionsIn(value: unknown, where = ''): Array<{ where: string; expression: string }> {
  if (typeof value === 'string') return templateExpressions(value).map((expression) => ({ where, expression }));
  if (Array.isArray(value)) return value.flatMap((item, index) => expressionsIn(item, `${where}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => {
      const here = where ? `${where}.${key}` : key;
      // `if:` may omit ${{ }}.
      if (
        (key === 'if' && typeof item === 'string' && !item.includes('${{')) ||
        (key === 'if' && typeof item === 'boolean')
      )
        return typeof item === 'string' ? [{ where: here, expression: item.trim() }] : [];
      return expressionsIn(item, here);
    });
  return [];
}

export { contextPaths, parse };
