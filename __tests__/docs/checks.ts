// What a documented workflow must satisfy, as functions returning the problems found (empty = fine), so the
// tests can run them on the documentation and on known-bad fixtures alike.
import { parse as parseYaml } from 'yaml';
import { toText, type Value } from './expressions.js';
import {
  EVENTS,
  OWN,
  ROLES,
  installedPath,
  permission,
  play,
  policyFile,
  reusableWorkflowFile,
  trusts,
  toArray,
  type Doc,
  type GitHubEvent,
  type JobRun,
  type Role,
  type Snippet,
  type SubjectFormat,
} from './model.js';

/** The `on:` a caller fragment (`jobs:` only) belongs to: the README's caller workflow. */
export const CALLER_ON = { push: { branches: ['main'] }, pull_request: {}, workflow_dispatch: {} };

export function asWorkflow(snippet: Pick<Snippet, 'kind' | 'doc'>): Doc {
  if (snippet.kind === 'workflow') return snippet.doc;
  if (snippet.kind === 'jobs') return { on: CALLER_ON, permissions: { contents: 'read' }, ...snippet.doc };
  return {
    on: CALLER_ON,
    permissions: { contents: 'read' },
    jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps: snippet.doc } },
  };
}

export type Policies = (role: Role) => Doc;

/** How the repository's tokens are issued and which trust policies the roles have. */
export interface Setup {
  name: string;
  subjects: SubjectFormat;
  policies: Policies;
}

/**
 * The documented default: the repository's OIDC subject customised with job_workflow_ref, the main-branch and
 * plan roles pinned to the reusable workflow, the preview role to the repository's own workflows.
 */
export const HARDENED: Setup = {
  name: 'subjects with job_workflow_ref, pinned trust policies',
  subjects: 'job_workflow_ref',
  policies: (role) => policyFile(role.trust),
};

/** The alternative for a repository that keeps GitHub's default subject: any workflow of the repository. */
export const ANY_WORKFLOW: Setup = {
  name: 'default subjects, any-workflow trust policies',
  subjects: 'default',
  policies: (role) => policyFile(role.anyWorkflowTrust),
};

const MAIN_BRANCH_ROLE = /vars\.AWS_(DEPLOY|INFRA)_ROLE_ARN|:role\/site-(deploy|infra)\b/;

/**
 * The setups a documented workflow is meant for: a caller of the reusable workflow, HARDENED; a workflow that
 * assumes the deploy or infra role in a job of its own, ANY_WORKFLOW (the hardened roles trust only the reusable
 * workflow); any other (pull-request previews, workflows without AWS), both.
 */
export function setupsFor(workflow: Doc): Setup[] {
  const jobs = Object.values((workflow.jobs ?? {}) as Record<string, Doc>);
  const callsReusable = jobs.some((job) => typeof job.uses === 'string' && reusableWorkflowFile(job.uses) !== null);
  const ownMainRole = jobs.some((job) =>
    ((job.steps ?? []) as Doc[]).some(
      (step) =>
        CONFIGURE_AWS.test(String(step.uses ?? '')) && MAIN_BRANCH_ROLE.test(String(step.with?.['role-to-assume'])),
    ),
  );
  if (callsReusable) return [HARDENED];
  return ownMainRole ? [ANY_WORKFLOW] : [HARDENED, ANY_WORKFLOW];
}

const CONFIGURE_AWS = /^aws-actions\/configure-aws-credentials@/;
const CHECKOUT = /^actions\/checkout@/;
/** Commands that run code (the caller's build, package installs) rather than the workflow's own shell. */
const RUNS_CODE =
  /(^|[\s;&|(])(npm|npx|yarn|pnpm|pip|pip3|python|python3|node|make|bash|sh|eval|source|\.)(\s|$)|\.\//m;

/** A step or job `env:` that hands AWS keys to the job. */
function awsKeysIn(env: unknown): boolean {
  return Object.keys((env ?? {}) as Doc).some((name) =>
    /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(name),
  );
}

/** Does this job run code of the caller's repository (a build, package installs, a checkout of its code)? */
export function runsCallerCode(job: Doc): string[] {
  const reasons: string[] = [];
  for (const step of (job.steps ?? []) as Doc[]) {
    const uses = (step.uses as string | undefined) ?? '';
    if (CHECKOUT.test(uses) && step.with?.repository !== '${{ job.workflow_repository }}')
      reasons.push("checks out the caller's repository");
    if (OWN.deploy.test(uses) && typeof step.with?.['build-command'] === 'string' && step.with['build-command'].trim())
      reasons.push('runs build-command');
    if (typeof step.run === 'string' && (RUNS_CODE.test(step.run) || step['working-directory']))
      reasons.push(`runs \`${step.run.trim().split('\n')[0]}\``);
  }
  return reasons;
}

/** Does this job hold (or can it get) AWS credentials? */
export function credentialed(job: Doc, inherited: unknown): string[] {
  const reasons: string[] = [];
  const permissions = job.permissions ?? inherited;
  if (permissions !== undefined && permission(permissions, 'id-token') === 'write') reasons.push('has id-token: write');
  if (awsKeysIn(job.env)) reasons.push('has AWS keys in its env');
  for (const step of (job.steps ?? []) as Doc[]) {
    if (CONFIGURE_AWS.test((step.uses as string | undefined) ?? '')) reasons.push('configures AWS credentials');
    if (awsKeysIn(step.env)) reasons.push('passes AWS keys to a step');
  }
  return reasons;
}

/** Static: no job both runs the caller's code and holds AWS credentials; every job declares its permissions. */
export function separationProblems(source: string, workflow: Doc): string[] {
  const problems: string[] = [];
  if (awsKeysIn(workflow.env)) problems.push(`${source}: AWS keys in the workflow-level env reach every job`);
  for (const [id, job] of Object.entries((workflow.jobs ?? {}) as Record<string, Doc>)) {
    if (typeof job.uses === 'string') continue;
    if (job.permissions === undefined && workflow.permissions === undefined)
      problems.push(`${source}: job ${id} relies on the repository's default token permissions`);
    const code = runsCallerCode(job);
    const credentials = credentialed(job, workflow.permissions);
    if (code.length > 0 && credentials.length > 0)
      problems.push(`${source}: job ${id} ${code.join(', ')} and ${credentials.join(', ')}`);
  }
  return problems;
}

/** Roles whose trust policy accepts a subject. */
export function obtainable(sub: string, policies: Policies = HARDENED.policies): Role[] {
  return ROLES.filter((role) => trusts(policies(role), sub));
}

/** What a job's duty allows, from what its steps do. */
function dutyRoles(job: JobRun): string[] {
  const allowed = new Set<string>();
  for (const step of job.steps.filter((s) => s.ran)) {
    if (OWN.infra.test(step.uses)) allowed.add(toText(step.with.apply) === 'true' ? 'infra' : 'plan');
    if (OWN.deploy.test(step.uses)) {
      if (toText(step.with.preview) === 'true') allowed.add('preview');
      else if (toText(step.with['dry-run']) === 'true') allowed.add('plan');
      else allowed.add('deploy');
    }
  }
  return [...allowed];
}

/** Plays one event through a workflow and returns what would go wrong. */
export function eventProblems(source: string, workflow: Doc, event: GitHubEvent, setup: Setup = HARDENED) {
  const problems: string[] = [];
  const { policies } = setup;
  const result = play(workflow, event, { subjects: setup.subjects, workflowPath: installedPath(source) });
  // The main-branch roles are for deploys: a push or a manual run of main, never a schedule or a comment.
  const onMain =
    event.github.ref === 'refs/heads/main' && ['push', 'workflow_dispatch'].includes(event.github.event_name as string);
  for (const job of result.jobs.filter((j) => j.ran)) {
    const where = `${source} on ${event.name}: job ${job.id}`;
    if (job.sub) {
      const roles = obtainable(job.sub, policies).map((role) => role.name);
      const beyond = roles.filter((role) => (role === 'deploy' || role === 'infra') && !onMain);
      if (beyond.length > 0) problems.push(`${where} can obtain the ${beyond.join(' and ')} role (sub ${job.sub})`);
      const code = runsCallerCode(job.job);
      if (code.length > 0) problems.push(`${where} ${code.join(', ')} with an OIDC token`);
    }
    let credentials = false;
    let assumedIndex = 0;
    const duty = dutyRoles(job);
    for (const step of job.steps.filter((s) => s.ran)) {
      if (CONFIGURE_AWS.test(step.uses) && step.with['role-to-assume'] !== undefined) {
        const role = ROLES.find((r) => r.name === job.assumed[assumedIndex]);
        assumedIndex += 1;
        if (!role)
          problems.push(`${where} assumes a role that is not documented: ${toText(step.with['role-to-assume'])}`);
        else if (!job.sub) problems.push(`${where} assumes the ${role.name} role without an OIDC token`);
        else if (!trusts(policies(role), job.sub))
          problems.push(`${where} assumes the ${role.name} role, whose trust policy rejects ${job.sub}`);
        else if (duty.length > 0 && !duty.includes(role.name))
          problems.push(`${where} assumes the ${role.name} role for a duty of ${duty.join('/')}`);
        else credentials = true;
      }
      if (toText(step.with['env:AWS_ACCESS_KEY_ID'] as Value) !== '') credentials = true;
      if (OWN.deploy.test(step.uses) && !credentials && event.oidc)
        problems.push(`${where} runs the deploy action without AWS credentials: it fails ("No AWS credentials found")`);
      if (OWN.infra.test(step.uses) && !credentials)
        problems.push(`${where} runs the infra action without AWS credentials: terraform fails`);
    }
  }
  return { problems, result };
}

/** Who runs and which role each running job assumes, e.g. { build: 'ran', deploy: 'preview', infra: 'skipped' }. */
export function outcome(workflow: Doc, event: GitHubEvent): Record<string, string> | 'not triggered' {
  const result = play(workflow, event);
  if (!result.triggered) return 'not triggered';
  const summary: Record<string, string> = {};
  for (const job of result.jobs) {
    if (typeof job.job.uses === 'string' && job.ran) continue;
    summary[job.id] = !job.ran ? 'skipped' : job.assumed.length > 0 ? job.assumed.join('+') : 'ran';
  }
  return summary;
}

export function allEventProblems(source: string, workflow: Doc, setup?: Setup): string[] {
  return Object.values(EVENTS).flatMap((event) => eventProblems(source, workflow, event, setup).problems);
}

export function parseWorkflow(text: string): Doc {
  return parseYaml(text) as Doc;
}

export { toArray };
