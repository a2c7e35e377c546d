import type { Outcome } from '../pipeline/outcome.js';
import { siteCheckAnnotations } from '../pipeline/site-check.js';
import type { Channel } from './channel.js';
import { outputsOf } from './outputs.js';
import { logLine, summaryMarkdown } from './summary.js';

const ANNOTATED_FAILURES = 20;
const ANNOTATED_REFERENCES = 20;

/** Outputs, the log line, the job summary and the annotations: the same for every result. */
export async function publishOutcome(outcome: Outcome, channel: Channel, siteUrl?: string): Promise<void> {
  channel.setOutputs(outputsOf(outcome));
  channel.info(logLine(outcome));
  await channel.writeSummary(summaryMarkdown(outcome, siteUrl));
  if (outcome.siteCheck) {
    // Errors only where they stopped the deploy (link-check: error); with warn, the build was deployed.
    const refused = outcome.result === 'refused' && outcome.input === 'link-check';
    for (const note of siteCheckAnnotations(outcome.siteCheck).slice(0, ANNOTATED_REFERENCES)) {
      // A rule of the `redirects` input has no file to point at: its message names the input and line.
      const where = note.file === undefined ? undefined : { file: inSourceDir(outcome, note.file), line: note.line };
      channel.annotate(refused ? note.severity : 'warning', note.message, where);
    }
  }
  if (outcome.result === 'failed' || outcome.result === 'refused') {
    for (const failure of outcome.failures.slice(0, ANNOTATED_FAILURES)) {
      channel.error(`${failure.key}: ${failure.message}`);
    }
    channel.fail(outcome.reason ?? 'The deploy failed.');
  }
}

/** A path relative to `source-dir` as the runner wants it: relative to the workspace. */
function inSourceDir(outcome: Outcome, file: string): string {
  return outcome.sourceDir && outcome.sourceDir !== '.' ? `${outcome.sourceDir}/${file}` : file;
}
