import { readFileSync } from 'node:fs';
import type { PullRequest } from './target.js';

// The workflow event, read from what the runner provides (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, …) without
// loading the GitHub API client: most runs only need to know whether they are a pull request.

interface PullRequestPayload {
  action?: string;
  pull_request?: { number?: number; head?: { sha?: string; repo?: { fork?: boolean; full_name?: string } | null } };
  repository?: { full_name?: string };
}

export interface EventContext {
  eventName?: string;
  payload: PullRequestPayload;
  actor?: string;
  sha?: string;
  /** `owner/name`. */
  repository?: string;
}

export function readEventContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  let payload: PullRequestPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestPayload;
    } catch {
      payload = {}; // no readable event: behave as a run without one (a local run)
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME,
    payload,
    actor: env.GITHUB_ACTOR,
    sha: env.GITHUB_SHA,
    repository: env.GITHUB_REPOSITORY,
  };
}

/**
 * Why this run gets no repository secrets, when that is the case: a pull request from a fork, or one opened
 * by Dependabot. Such runs build and plan, then skip the deploy instead of failing.
 */
export function pullRequestWithoutSecrets(
  eventName: string | undefined,
  payload: PullRequestPayload,
  actor: string | undefined,
): string | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_review') return undefined;
  const pullRequest = payload.pull_request;
  const head = pullRequest?.head?.repo;
  // A head repository of null is a fork that was deleted: still a fork, still no secrets.
  const fromFork =
    pullRequest !== undefined &&
    (head === null ||
      head?.fork === true ||
      (head?.full_name !== undefined &&
        payload.repository?.full_name !== undefined &&
        head.full_name !== payload.repository.full_name));
  if (fromFork) return 'this pull request comes from a fork, and GitHub gives fork pull requests no secrets';
  if (actor === 'dependabot[bot]') return 'this pull request is from Dependabot, which gets no Actions secrets';
  return undefined;
}

/** The pull request this run is for (pull_request and pull_request_target events), if any. */
export function pullRequestOf(eventName: string | undefined, payload: PullRequestPayload): PullRequest | undefined {
  // Outside Actions (a local run) there is no event at all.
  if (!eventName?.startsWith('pull_request')) return undefined;
  const number = payload.pull_request?.number;
  if (!number) return undefined;
  return { number, headSha: payload.pull_request?.head?.sha ?? '', action: payload.action ?? '' };
}

/** The link to this workflow run, for the comment and the deployment status. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

/** Where this repository's workflow runs live (`…/actions/runs/`): run URLs read back from the bucket must start so. */
export function runUrlBase(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository } = env;
  return server && repository ? `${server}/${repository}/actions/runs/` : undefined;
}
