import { previewPrefix } from '../shared/previews.js';
// Where a run deploys: the given prefix, or a pull request's preview under `pr-<number>/`; and whether it
// removes that preview instead (the pull request was closed).

export interface PullRequest {
  number: number;
  /** The PR's head commit: deployments on it show as "View deployment" on the pull request. */
  headSha: string;
  /** `opened`, `synchronize`, `closed`… */
  action: string;
}

export interface Target {
  prefix: string;
  /** The GitHub environment deployments are recorded in. */
  environment: string;
  /** The commit the deployment is for. */
  ref: string;
  /** Set for a pull-request preview. */
  pullRequest?: PullRequest;
  /** A closed pull request's preview: remove it instead of deploying. */
  cleanup: boolean;
}

/**
 * Where this run deploys. With `preview` on a pull_request event: under `<prefix>pr-<number>/` (just
 * `pr-<number>/` without a prefix), in the `preview` environment (unless one was given), removed when the
 * pull request is closed. Otherwise: `prefix` as given, in `production` (or the given environment).
 */
export function resolveTarget(
  options: { preview: boolean; prefix: string; environment: string },
  pullRequest: PullRequest | undefined,
  sha: string,
): Target {
  if (options.preview && pullRequest) {
    return {
      prefix: previewPrefix(pullRequest.number, options.prefix),
      environment: options.environment || 'preview',
      ref: pullRequest.headSha || sha,
      pullRequest,
      cleanup: pullRequest.action === 'closed',
    };
  }
  return { prefix: options.prefix, environment: options.environment || 'production', ref: sha, cleanup: false };
}
