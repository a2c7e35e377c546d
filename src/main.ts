import { runBuild } from './adapters/build.js';
import type { GitHubReporter } from './adapters/github/reporter.js';
import { createS3Client } from './adapters/s3/client.js';
import { S3Store } from './adapters/s3/store.js';
import { haveCredentials, maskSecrets } from './context/credentials.js';
import { type EventContext, pullRequestOf, readEventContext, runUrl } from './context/event.js';
import {
  type DeployInputs,
  inputVariableName,
  parsePrefix,
  readInputs,
  unknownInputVariables,
  urlSecrets,
  withDefaults,
} from './context/inputs.js';
import { type RunContext, resolveRunContext } from './context/run-context.js';
import { ACTION_INPUTS } from './context/action-inputs.js';
import { sizeHeapFor } from './heap.js';
import { previewPrefix } from './shared/previews.js';
import { type Ports, deploy } from './pipeline/deploy.js';
import { remotePorts } from './pipeline/dry-run.js';
import { type Outcome, outcomeOf } from './pipeline/outcome.js';
import { type Channel, type LocalFiles, runnerChannel, terminalChannel } from './report/channel.js';
import { commentMarker, previewCommentBody } from './report/comment.js';
import { publishOutcome } from './report/publish.js';
import { errorMessage, isRefusal } from './shared/errors.js';

/**
 * The action: read the inputs and the event once into a RunContext, build the adapters (S3, CloudFront,
 * GitHub; read-only wrappers for a dry run), run the pipeline, and publish its one Outcome — summary,
 * outputs, annotations, the GitHub deployment and the pull-request comment — whatever the result.
 */
export async function run(env: NodeJS.ProcessEnv = process.env, localFiles: LocalFiles = {}): Promise<Outcome> {
  const started = Date.now();
  // On the runner, GITHUB_OUTPUT is always set; without it this is a local run in a terminal.
  const runner = Boolean(env.GITHUB_OUTPUT);
  const channel = runner ? runnerChannel() : terminalChannel(localFiles);
  maskSecrets(env, channel.mask);
  if (env.GITHUB_OUTPUT && (localFiles.summary || localFiles.outputs)) {
    channel.warning(
      '--summary-file and --outputs-file are for local runs: on the runner the summary and the outputs go to GITHUB_STEP_SUMMARY and GITHUB_OUTPUT.',
    );
  }
  const oldNode = unsupportedNode(process.version);
  if (oldNode) channel.warning(oldNode);
  for (const message of unknownInputVariables(env, ACTION_INPUTS)) channel.warning(message);
  const get = withDefaults((name) => env[inputVariableName(name)] ?? '', ACTION_INPUTS);
  // A URL input with a password in it: masked before anything could print it.
  for (const name of ['endpoint-url', 'site-url']) for (const secret of urlSecrets(get(name))) channel.mask(secret);
  const event = readEventContext(env);

  let inputs: DeployInputs;
  try {
    inputs = readInputs(get, env);
  } catch (error) {
    const outcome = stoppedBeforeStart(error, Date.now() - started);
    await commentOnInputError(outcome, get, event, env, channel);
    await publishOutcome(outcome, channel);
    return outcome;
  }

  // The runner cancels a job with SIGINT, then SIGTERM 7.5 s later, then a kill: stop writing at the first,
  // let go of the claim and publish the outcome before the last.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!cancel.signal.aborted) channel.warning(`Received ${signal}: stopping the deploy and releasing its claim.`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let context: RunContext | undefined;
  let outcome: Outcome;
  let reporter: GitHubReporter | undefined;
  let deploymentId: number | undefined;
  try {
    // The SDK's own warning for an old Node (several lines on stderr) is replaced by the one line above.
    const client = oldNode ? withoutSdkNodeWarning(() => createS3Client(inputs)) : createS3Client(inputs);
    const credentials = await haveCredentials(() => client.config.credentials(), channel.mask);
    context = resolveRunContext(inputs, event, env, credentials, new Date(started));
    // Errors name the prefix this run writes (a preview's `pr-42/`), not the input as given.
    const store = new S3Store(client, { ...inputs, prefix: context.inputs.prefix }, cancel.signal);
    // The CloudFront, KeyValueStore and GitHub clients are loaded only when a run uses them (separate chunks of
    // the bundle): a deploy without them does not pay for compiling them at start-up.
    const cdn = inputs.distributionId ? await cloudFrontCdn(inputs.distributionId) : undefined;
    const redirects = inputs.redirectStoreArn
      ? await redirectStore(inputs.redirectStoreArn, env.AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE)
      : undefined;
    // GitHub deployments and comments need a token and a repository (not there in local runs), and no dry run.
    if (!inputs.dryRun && inputs.githubToken && context.repository) {
      reporter = await gitHubReporter(inputs.githubToken, context.repository, channel.warning);
    }
    const target = context.target;
    const ports: Ports = {
      ...remotePorts({ store, cdn, redirects }, inputs.dryRun),
      build: (command, directory, buildEnv) => runBuild(command, directory, buildEnv, { group: runner }),
      log: channel,
      now: () => new Date(),
      signal: cancel.signal,
      buildSize: sizeHeapFor,
      // A deployment records a deploy; removing a preview only marks its deployments inactive (below).
      beforeWrite: async () => {
        if (!target.cleanup) deploymentId = await reporter?.startDeployment(target, context?.runUrl);
      },
    };
    outcome = await deploy(context, ports);
  } catch (error) {
    // Only a defect gets here (the pipeline turns every failure into an Outcome); still report it.
    outcome = stoppedBeforeStart(error, Date.now() - started);
  }

  if (reporter && context && outcome.result !== 'skipped') {
    await recordOnGitHub(reporter, context, outcome, deploymentId);
  }
  await publishOutcome(outcome, channel, inputs.siteUrl);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return outcome;
}

/** The oldest Node major this action's dependencies support (`engines` in package.json). */
export const MIN_NODE_MAJOR = 22;

/**
 * A warning for a Node older than the dependencies support (a local run with an old `node`); undefined on the
 * runner, which runs the action on Node 24 (`runs.using: node24`).
 */
export function unsupportedNode(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
  if (!(major < MIN_NODE_MAJOR)) return undefined;
  return `Node ${version} is older than this action supports: the runner runs it on Node 24, and its dependencies (the AWS SDK among them) need Node ${MIN_NODE_MAJOR} or later. Locally, run it with Node 24: \`node tools/node24/ensure.mjs\` installs one into tools/node24/ and prints its path.`;
}

/**
 * Runs `create` (which makes the first AWS SDK client) with the SDK's Node-version warning turned off; the
 * SDK decides once per process, so later clients stay quiet too. The variable is set only meanwhile, so the
 * build command's environment is left as it was.
 */
function withoutSdkNodeWarning<T>(create: () => T): T {
  const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[name];
  process.env[name] = 'true';
  try {
    return create();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** The outcome of a run that could not start (an invalid input): refused, with nothing planned or written. */
function stoppedBeforeStart(error: unknown, durationMs: number): Outcome {
  const where = { action: 'deploy' as const, dryRun: false, target: '', prefix: '' };
  const run = {
    result: isRefusal(error) ? ('refused' as const) : ('failed' as const),
    reason: errorMessage(error),
    input: (error as { input?: string }).input,
  };
  return outcomeOf(where, run, durationMs);
}

/** The deployment's final status, the preview's deployments made inactive, and the pull-request comment. */
async function recordOnGitHub(
  reporter: GitHubReporter,
  context: RunContext,
  outcome: Outcome,
  deploymentId: number | undefined,
): Promise<void> {
  const { target } = context;
  if (deploymentId !== undefined) {
    const state = outcome.result === 'failed' ? 'failure' : 'success';
    await reporter.finishDeployment(deploymentId, target, state, context.url, context.runUrl);
  }
  if (target.cleanup && outcome.result !== 'failed' && outcome.result !== 'refused') {
    await reporter.deactivatePreview(target);
  }
  if (target.pullRequest) {
    const body = previewCommentBody(outcome, {
      prefix: target.prefix,
      siteUrl: context.inputs.siteUrl,
      sha: target.ref,
      runUrl: context.runUrl,
    });
    await reporter.upsertComment(target.pullRequest.number, commentMarker(target.prefix), body);
  }
}

/**
 * A preview refused for a bad input still updates its pull-request comment, so it never keeps saying
 * "Preview ready" for a commit that was not deployed. Best effort: only what can be read without the
 * invalid input is used.
 */
async function commentOnInputError(
  outcome: Outcome,
  get: (name: string) => string,
  event: EventContext,
  env: NodeJS.ProcessEnv,
  channel: Channel,
): Promise<void> {
  const pullRequest = pullRequestOf(event.eventName, event.payload);
  const token = get('github-token').trim();
  if (!pullRequest || !event.repository || !token || !/^true$/i.test(get('preview').trim())) return;
  if (/^true$/i.test(get('dry-run').trim())) return;
  try {
    let parent = '';
    try {
      parent = parsePrefix(get('prefix'));
    } catch {
      parent = ''; // the invalid input may be 'prefix' itself: no valid preview prefix to name
    }
    const prefix = previewPrefix(pullRequest.number, parent);
    const body = previewCommentBody(outcome, {
      prefix,
      sha: pullRequest.headSha || (event.sha ?? ''),
      runUrl: runUrl(env),
    });
    await (
      await gitHubReporter(token, event.repository, channel.warning)
    ).upsertComment(pullRequest.number, commentMarker(prefix), body);
  } catch (error) {
    channel.warning(`Could not update the preview comment: ${errorMessage(error)}`);
  }
}

async function cloudFrontCdn(distributionId: string) {
  const { CloudFrontCdn, createCloudFrontClient } = await import('./adapters/cloudfront/cdn.js');
  return new CloudFrontCdn(createCloudFrontClient(), distributionId);
}

async function redirectStore(arn: string, endpointUrl: string | undefined) {
  const { KeyValueRedirectStore, createRedirectStoreClient } = await import('./adapters/cloudfront/redirect-store.js');
  return new KeyValueRedirectStore(createRedirectStoreClient({ endpointUrl }), arn);
}

async function gitHubReporter(...args: Parameters<typeof GitHubReporter.create>): Promise<GitHubReporter> {
  const { GitHubReporter: Reporter } = await import('./adapters/github/reporter.js');
  return Reporter.create(...args);
}
