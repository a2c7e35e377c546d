import { publicUrl } from '../shared/urls.js';
import { buildEnvironment } from './build-env.js';
import { type EventContext, pullRequestOf, pullRequestWithoutSecrets, runUrl, runUrlBase } from './event.js';
import type { DeployInputs } from './inputs.js';
import { type Target, resolveTarget } from './target.js';

/**
 * Everything a run needs to know, resolved once in `main` from the inputs, the event and the environment.
 * Nothing downstream reads the environment or the event again.
 */
export interface RunContext {
  /** The validated inputs, with `prefix` already the target's (a preview's `pr-<number>/`). */
  inputs: DeployInputs;
  target: Target;
  /** Public URL of what this run deploys (site-url + prefix), when site-url is set. */
  url?: string;
  /** `owner/name`, when the run is on GitHub. */
  repository?: string;
  /** The link to this workflow run. */
  runUrl?: string;
  /** `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/`: runs of this repository, the only ones linked. */
  runUrlBase?: string;
  /** Identifies the run (and attempt) in CloudFront caller references; unique for local runs. */
  runIdentity: string;
  /** The workflow run, as a deploy's claim names it: its re-runs share `id` (`run-<id>`; `local-<time>`). */
  run: { id: string; attempt: string; url?: string };
  /** Whether the SDK's credential chain yields AWS credentials. */
  credentials: boolean;
  /** The environment `build-command` runs in: no credentials, tokens or inputs unless `build-env` names them. */
  buildEnv: Record<string, string>;
  /** Why this run gets no secrets (a fork's or Dependabot's pull request), if so: it then skips, not fails. */
  withoutSecrets?: string;
}

export function resolveRunContext(
  inputs: DeployInputs,
  event: EventContext,
  env: NodeJS.ProcessEnv,
  credentials: boolean,
  now: Date,
): RunContext {
  const target = resolveTarget(inputs, pullRequestOf(event.eventName, event.payload), event.sha ?? '');
  const id = env.GITHUB_RUN_ID ? `run-${env.GITHUB_RUN_ID}` : `local-${now.getTime()}`;
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  return {
    inputs: { ...inputs, prefix: target.prefix },
    target,
    url: inputs.siteUrl ? publicUrl(inputs.siteUrl, target.prefix) : undefined,
    repository: event.repository,
    runUrl: runUrl(env),
    runUrlBase: runUrlBase(env),
    runIdentity: `${id}-${attempt}`,
    run: { id, attempt, url: runUrl(env) },
    credentials,
    buildEnv: buildEnvironment(env, inputs.buildEnv),
    withoutSecrets: pullRequestWithoutSecrets(event.eventName, event.payload, event.actor),
  };
}
