import * as core from '@actions/core';
import * as github from '@actions/github';
import type { PullRequest, Target } from './preview.js';

interface PullRequestPayload {
  action?: string;
  pull_request?: { number?: number; head?: { sha?: string; repo?: { fork?: boolean; full_name?: string } | null } };
  repository?: { full_name?: string };
}

/**
 * Why this run gets no repository secrets, when that is the case: a pull request from a fork, or one opened
 * by Dependabot. Such runs build and plan, then skip the deploy instead of failing.
 */
export function pullRequestWithoutSecrets(eventName: string, payload: PullRequestPayload, actor: string): string | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_review') return undefined;
  const pullRequest = payload.pull_request;
  const head = pullRequest?.head?.repo;
  // A head repository of null is a fork that was deleted: still a fork, still no secrets.
  const fromFork =
    pullRequest !== undefined &&
    (head === null ||
      head?.fork === true ||
      (head?.full_name !== undefined && payload.repository?.full_name !== undefined && head.full_name !== payload.repository.full_name));
  if (fromFork) return 'this pull request comes from a fork, and GitHub gives fork pull requests no secrets';
  if (actor === 'dependabot[bot]') return 'this pull request is from Dependabot, which gets no Actions secrets';
  return undefined;
}

export function currentPullRequestWithoutSecrets(): string | undefined {
  const { eventName, payload, actor } = github.context;
  return pullRequestWithoutSecrets(eventName, payload as PullRequestPayload, actor);
}

/** The pull request this run is for (pull_request and pull_request_target events), if any. */
export function pullRequestOf(eventName: string | undefined, payload: PullRequestPayload): PullRequest | undefined {
  // Outside Actions (a local run) there is no event at all.
  if (!eventName?.startsWith('pull_request')) return undefined;
  const number = payload.pull_request?.number;
  if (!number) return undefined;
  return { number, headSha: payload.pull_request?.head?.sha ?? '', action: payload.action ?? '' };
}

export function currentPullRequest(): PullRequest | undefined {
  return pullRequestOf(github.context.eventName, github.context.payload as PullRequestPayload);
}

/** The link to this workflow run, for the comment and the deployment status. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

type Octokit = ReturnType<typeof github.getOctokit>;

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/** The payload the action stores on its deployments, to find a pull request's previews again. */
interface DeploymentPayload {
  prefix?: string;
  pull_request?: number | null;
}

function payloadOf(raw: unknown): DeploymentPayload {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as DeploymentPayload;
    } catch {
      return {};
    }
  }
  return (raw ?? {}) as DeploymentPayload;
}

/**
 * GitHub deployments and the preview comment. Every call is best effort: a token without the permission
 * gets a warning that names it, and the deploy itself never fails because of GitHub.
 */
export class GitHubReporter {
  private readonly repo: { owner: string; repo: string };

  constructor(private readonly octokit: Octokit) {
    this.repo = github.context.repo;
  }

  /** Undefined outside Actions or without a token (local runs). */
  static create(token: string, env: NodeJS.ProcessEnv = process.env): GitHubReporter | undefined {
    if (!token || !env.GITHUB_REPOSITORY) return undefined;
    return new GitHubReporter(github.getOctokit(token));
  }

  private async tolerate<T>(permission: string, what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) {
        core.warning(`Could not ${what}: the token lacks the '${permission}' permission. Add \`permissions: ${permission}\` to the job (the deploy itself is not affected).`);
      } else {
        core.warning(`Could not ${what}: ${(error as Error).message} (the deploy itself is not affected).`);
      }
      return undefined;
    }
  }

  /** Records a deployment of `target` and marks it in progress; its ID, or undefined when not allowed. */
  async startDeployment(target: Target, logUrl: string | undefined): Promise<number | undefined> {
    return this.tolerate('deployments: write', 'record a GitHub deployment', async () => {
      const preview = target.pullRequest !== undefined;
      const { data } = await this.octokit.rest.repos.createDeployment({
        ...this.repo,
        ref: target.ref,
        environment: target.environment,
        description: preview ? `Preview of pull request #${target.pullRequest!.number}` : `Deploy of ${target.ref.slice(0, 7)}`,
        auto_merge: false,
        required_contexts: [],
        transient_environment: preview,
        production_environment: !preview,
        payload: { prefix: target.prefix, pull_request: target.pullRequest?.number ?? null },
      });
      if (!('id' in data)) throw new Error((data as { message?: string }).message ?? 'no deployment was created');
      await this.octokit.rest.repos.createDeploymentStatus({ ...this.repo, deployment_id: data.id, state: 'in_progress', log_url: logUrl });
      return data.id;
    });
  }

  /**
   * Success or failure, with the URL to visit. Previews of different pull requests share one environment,
   * so a preview does not mark the others inactive; a production deploy supersedes the previous one.
   */
  async finishDeployment(id: number, target: Target, state: 'success' | 'failure', environmentUrl: string | undefined, logUrl: string | undefined): Promise<void> {
    await this.tolerate('deployments: write', 'update the GitHub deployment', async () => {
      await this.octokit.rest.repos.createDeploymentStatus({
        ...this.repo,
        deployment_id: id,
        state,
        environment_url: state === 'success' ? environmentUrl : undefined,
        log_url: logUrl,
        auto_inactive: target.pullRequest === undefined,
      });
    });
  }

  /** Marks every deployment of this pull request's preview inactive (it was removed). */
  async deactivatePreview(target: Target): Promise<number> {
    const number = target.pullRequest?.number;
    if (number === undefined) return 0;
    const count = await this.tolerate('deployments: write', 'mark the preview deployments inactive', async () => {
      const deployments = await this.octokit.paginate(this.octokit.rest.repos.listDeployments, { ...this.repo, environment: target.environment, per_page: 100 });
      const ours = deployments.filter((deployment) => payloadOf(deployment.payload).pull_request === number);
      for (const deployment of ours) {
        await this.octokit.rest.repos.createDeploymentStatus({ ...this.repo, deployment_id: deployment.id, state: 'inactive' });
      }
      return ours.length;
    });
    return count ?? 0;
  }

  /** Creates the comment with this marker on the pull request, or edits it in place when it exists. */
  async upsertComment(number: number, marker: string, body: string): Promise<void> {
    await this.tolerate('pull-requests: write', 'comment on the pull request', async () => {
      const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, { ...this.repo, issue_number: number, per_page: 100 });
      const existing = comments.find((comment) => comment.body?.includes(marker));
      if (existing) await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: existing.id, body });
      else await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: number, body });
    });
  }
}
