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
      const severity = refused ? note.severity : 'warning';
      if (note.file === undefined) {
        // A rule of the `redirects` input: no file to point at; the message names the input and line.
        if (severity === 'error') channel.error(note.message);
        else channel.warning(note.message);
        continue;
      }
      const file = outcome.sourceDir && outcome.sourceDir !== '.' ? `${outcome.sourceDir}/${note.file}` : note.file;
      channel.annotate(severity, note.message, { file, line: note.line });
    }
  }
  if (outcome.result === 'failed' || outcome.result === 'refused') {
    for (const failure of outcome.failures.slice(0, ANNOTATED_FAILURES)) {
      channel.error(`${failure.key}: ${failure.message}`);
    }
    channel.fail(outcome.reason ?? 'The deploy failed.');
  }
}
