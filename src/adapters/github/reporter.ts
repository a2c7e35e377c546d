import * as github from '@actions/github';
import type { Target } from '../../context/target.js';

// The GitHub API (octokit), for runs that record deployments or comment on a pull request.

type Octokit = ReturnType<typeof github.getOctokit>;

/** The author of what the workflow's GITHUB_TOKEN writes. */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]';

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
  private login: Promise<string> | undefined;

  constructor(
    private readonly octokit: Octokit,
    repository: string,
    /** Where warnings go: the runner's annotations, or the terminal of a local run. */
    private readonly warn: (message: string) => void,
  ) {
    const [owner = '', repo = ''] = repository.split('/');
    this.repo = { owner, repo };
  }

  static create(token: string, repository: string, warn: (message: string) => void): GitHubReporter {
    return new GitHubReporter(github.getOctokit(token), repository, warn);
  }

  private async tolerate<T>(permission: string, what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) {
        this.warn(
          `Could not ${what}: the token lacks the '${permission}' permission. Add \`permissions: ${permission}\` to the job (the deploy itself is not affected).`,
        );
      } else {
        this.warn(`Could not ${what}: ${(error as Error).message} (the deploy itself is not affected).`);
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
        description: preview
          ? `Preview of pull request #${target.pullRequest!.number}`
          : `Deploy of ${target.ref.slice(0, 7)}`,
        auto_merge: false,
        required_contexts: [],
        transient_environment: preview,
        production_environment: !preview,
        payload: { prefix: target.prefix, pull_request: target.pullRequest?.number ?? null },
      });
      if (!('id' in data)) throw new Error((data as { message?: string }).message ?? 'no deployment was created');
      await this.octokit.rest.repos.createDeploymentStatus({
        ...this.repo,
        deployment_id: data.id,
        state: 'in_progress',
        log_url: logUrl,
      });
      return data.id;
    });
  }

  /**
   * Success or failure, with the URL to visit. Previews of different pull requests share one environment,
   * so a preview does not mark the others inactive; a production deploy supersedes the previous one.
   */
  async finishDeployment(
    id: number,
    target: Target,
    state: 'success' | 'failure',
    environmentUrl: string | undefined,
    logUrl: string | undefined,
  ): Promise<void> {
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
      const deployments = await this.octokit.paginate(this.octokit.rest.repos.listDeployments, {
        ...this.repo,
        environment: target.environment,
        per_page: 100,
      });
      const ours = deployments.filter((deployment) => payloadOf(deployment.payload).pull_request === number);
      for (const deployment of ours) {
        await this.octokit.rest.repos.createDeploymentStatus({
          ...this.repo,
          deployment_id: deployment.id,
          state: 'inactive',
        });
      }
      return ours.length;
    });
    return count ?? 0;
  }

  /**
   * The login the token comments as. A personal access token: its user, from `GET /user`. An installation
   * token — the workflow's GITHUB_TOKEN, or a GitHub App's — is refused there; it writes as its app's bot,
   * `<viewer>[bot]` where GraphQL's `viewer` names the app (`github-actions` for the GITHUB_TOKEN), and
   * `github-actions[bot]` when that cannot be asked either.
   */
  async identity(): Promise<string> {
    this.login ??= this.octokit.rest.users.getAuthenticated().then(
      ({ data }) => data.login,
      async (error: unknown) => {
        const status = statusOf(error);
        if (status !== 403 && status !== 401 && status !== 404) throw error;
        try {
          const { viewer } = await this.octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
          return `${viewer.login.replace(/\[bot\]$/, '')}[bot]`;
        } catch {
          return GITHUB_ACTIONS_BOT;
        }
      },
    );
    return this.login;
  }

  /**
   * Creates the comment with this marker on the pull request, or edits it in place when it exists. Only a
   * comment written by the token's own identity counts: anyone can post a comment holding the marker, and
   * such a comment is never edited (a new one is posted instead).
   */
  async upsertComment(number: number, marker: string, body: string): Promise<void> {
    await this.tolerate('pull-requests: write', 'comment on the pull request', async () => {
      const self = await this.identity();
      const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.repo,
        issue_number: number,
        per_page: 100,
      });
      const existing = comments.find((comment) => comment.user?.login === self && comment.body?.includes(marker));
      if (existing) await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: existing.id, body });
      else await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: number, body });
    });
  }
}
