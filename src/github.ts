import * as github from '@actions/github';

interface PullRequestPayload {
  pull_request?: { number?: number; head?: { repo?: { fork?: boolean; full_name?: string } | null } };
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
