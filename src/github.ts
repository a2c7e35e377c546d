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
  const head = payload.pull_request?.head?.repo;
  if (head && (head.fork === true || (head.full_name && payload.repository?.full_name && head.full_name !== payload.repository.full_name))) {
    return 'this pull request comes from a fork, and GitHub gives fork pull requests no secrets';
  }
  if (actor === 'dependabot[bot]') return 'this pull request is from Dependabot, which gets no Actions secrets';
  return undefined;
}

export function currentPullRequestWithoutSecrets(): string | undefined {
  const { eventName, payload, actor } = github.context;
  return pullRequestWithoutSecrets(eventName, payload as PullRequestPayload, actor);
}
