import * as core from '@actions/core';
import { maskSecrets } from './credentials.js';
import { deploy, removeDeployment } from './deploy.js';
import { errorMessage } from './errors.js';
import { pullRequestOf, readEventContext, runUrl } from './event.js';
import { GitHubReporter } from './github.js';
import { readInputs } from './inputs.js';
import { commentMarker, previewCommentBody, publicUrl, resolveTarget } from './preview.js';
import { publishReport } from './report.js';

/**
 * The action: read and validate the inputs, decide where this run deploys (a pull-request preview or the
 * given prefix), run the deploy pipeline (deploy.ts) or remove a closed pull request's preview, record it
 * as a GitHub deployment and on the pull request, and report.
 */
export async function run(): Promise<void> {
  const started = Date.now();
  maskSecrets(process.env);
  try {
    const given = readInputs((name) => core.getInput(name));
    const event = readEventContext();
    const target = resolveTarget(given, pullRequestOf(event.eventName, event.payload), event.sha ?? '');
    const inputs = { ...given, prefix: target.prefix };
    const url = inputs.siteUrl ? publicUrl(inputs.siteUrl, target.prefix) : undefined;
    const logUrl = runUrl();
    // GitHub deployments and comments need a token and a repository (not there in local runs), and no dry run.
    const reporter =
      !inputs.dryRun && inputs.githubToken && event.repository
        ? GitHubReporter.create(inputs.githubToken, event.repository)
        : undefined;

    let deploymentId: number | undefined;
    const report = target.cleanup
      ? await removeDeployment(inputs, started)
      : await deploy(inputs, started, {
          beforeApply: async () => void (deploymentId = await reporter?.startDeployment(target, logUrl)),
        });
    report.url = url;
    report.prefix = target.prefix;

    if (reporter && report.status !== 'skipped') {
      if (deploymentId !== undefined) {
        await reporter.finishDeployment(
          deploymentId,
          target,
          report.status === 'failed' ? 'failure' : 'success',
          url,
          logUrl,
        );
      }
      if (target.cleanup) await reporter.deactivatePreview(target);
      if (target.pullRequest) {
        const body = previewCommentBody({
          prefix: target.prefix,
          siteUrl: inputs.siteUrl,
          sha: target.ref,
          runUrl: logUrl,
          report,
        });
        await reporter.upsertComment(target.pullRequest.number, commentMarker(target.prefix), body);
      }
    }

    await publishReport(report);
    if (report.status === 'failed') {
      for (const failure of report.failures.slice(0, 20)) core.error(`${failure.key}: ${failure.message}`);
      core.setFailed(report.reason ?? 'The deploy failed.');
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
