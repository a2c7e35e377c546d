import * as core from '@actions/core';
import { formatBytes } from './upload.js';

export type ChangeKind = 'new' | 'changed' | 'headers' | 'deleted';

export interface DeployReport {
  target: string;
  /** `removed`: a closed pull request's preview was deleted. */
  status: 'deployed' | 'dry-run' | 'skipped' | 'failed' | 'removed';
  /** Why the deploy was skipped or failed. */
  reason?: string;
  durationMs: number;
  /** Counts of objects written (or, in a dry run, planned), by kind. */
  counts: { new: number; changed: number; headers: number; deleted: number; unchanged: number };
  bytesUploaded: number;
  changes: Array<{ key: string; kind: ChangeKind }>;
  failures: Array<{ key: string; message: string }>;
  /**
   * Objects under the prefix left alone: matched by `exclude`, other deployments nested under it, and deleted
   * long-cached assets kept for their grace period.
   */
  kept: { excluded: number; otherDeployments: string[]; retained: number };
  invalidation: { id?: string; paths: string[]; note?: string };
  /** The public URL of what was deployed (site-url + prefix), when known. */
  url?: string;
  prefix?: string;
}

export const LISTED_CHANGES = 50;
const LISTED_PATHS = 30;

/** One line of text: CR and LF would end a Markdown list item or table row. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Plain text in Markdown: no raw HTML (a message could hold `</details>`). */
function plain(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A CommonMark code span: a fence longer than any backtick run inside, padded where the text touches one. */
function code(text: string): string {
  const content = oneLine(text);
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const KIND_LABEL: Record<ChangeKind, string> = {
  new: 'new',
  changed: 'changed',
  headers: 'headers only',
  deleted: 'deleted',
};

const HEADLINE: Record<DeployReport['status'], string> = {
  deployed: 'Deployed',
  'dry-run': 'Dry run (nothing written): planned deploy',
  skipped: 'Deploy skipped',
  failed: 'Deploy failed',
  removed: 'Removed the preview',
};

/** "Deployed to s3://…", "Removed the preview at s3://…" (with `format` applied to the target). */
function headline(report: DeployReport, format: (target: string) => string = (target) => target): string {
  return `${HEADLINE[report.status]} ${report.status === 'removed' ? 'at' : 'to'} ${format(report.target)}`;
}

/** The job summary, as Markdown. */
export function summaryMarkdown(report: DeployReport): string {
  const planned = report.status === 'dry-run' || report.status === 'skipped';
  const lines: string[] = [`## ${headline(report, code)}`, ''];
  if (report.url) lines.push(`${report.status === 'removed' ? 'Was served at' : 'Served at'} ${report.url}`, '');
  if (report.reason) lines.push(`> ${plain(report.reason)}`, '');
  const { counts } = report;
  lines.push(
    `| ${planned ? 'planned' : 'objects'} | count |`,
    '|---|---:|',
    `| uploaded, new | ${counts.new} |`,
    `| uploaded, changed | ${counts.changed} |`,
    `| headers updated (no bytes sent) | ${counts.headers} |`,
    `| deleted | ${counts.deleted} |`,
    `| unchanged | ${counts.unchanged} |`,
    '',
    `${planned ? 'Bytes to upload' : 'Uploaded'}: **${formatBytes(report.bytesUploaded)}** · time: **${(report.durationMs / 1000).toFixed(1)} s**`,
  );
  if (report.kept.excluded > 0 || report.kept.otherDeployments.length > 0 || report.kept.retained > 0) {
    const parts: string[] = [];
    if (report.kept.retained > 0) {
      parts.push(
        `${plural(report.kept.retained, 'deleted fingerprinted asset')} kept for pages still cached (\`asset-grace-period\`)`,
      );
    }
    if (report.kept.excluded > 0) parts.push(`${plural(report.kept.excluded, 'object')} matched by \`exclude\``);
    if (report.kept.otherDeployments.length > 0) {
      parts.push(`other deployments under ${report.kept.otherDeployments.map(code).join(', ')}`);
    }
    lines.push('', `Left alone: ${parts.join('; ')}.`);
  }
  const { invalidation } = report;
  if (invalidation.id || invalidation.paths.length > 0 || invalidation.note) {
    lines.push('', '### CloudFront invalidation');
    if (invalidation.id) lines.push('', `ID ${code(invalidation.id)}, ${invalidation.paths.length} path(s).`);
    else if (invalidation.paths.length > 0)
      lines.push(
        '',
        `${invalidation.paths.length} path(s) ${report.status === 'deployed' ? '' : 'would be '}invalidated.`,
      );
    if (invalidation.note) lines.push('', plain(invalidation.note));
    if (invalidation.paths.length > 0) {
      const shown = invalidation.paths.slice(0, LISTED_PATHS).map(code).join(' ');
      const more =
        invalidation.paths.length > LISTED_PATHS ? ` … and ${invalidation.paths.length - LISTED_PATHS} more` : '';
      lines.push('', `${shown}${more}`);
    }
  }
  if (report.failures.length > 0) {
    lines.push('', `### Failed (${report.failures.length})`, '');
    for (const failure of report.failures.slice(0, LISTED_CHANGES))
      lines.push(`- ${code(failure.key)}: ${plain(failure.message)}`);
    if (report.failures.length > LISTED_CHANGES)
      lines.push(`- … and ${report.failures.length - LISTED_CHANGES} more (see the log)`);
  }
  if (report.changes.length > 0) {
    const shown = report.changes.slice(0, LISTED_CHANGES);
    const title =
      report.changes.length > shown.length ? `first ${shown.length} of ${report.changes.length}` : `${shown.length}`;
    lines.push('', `<details><summary>Changed files (${title})</summary>`, '');
    for (const change of shown) lines.push(`- ${code(change.key)}: ${KIND_LABEL[change.kind]}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

export function setOutputs(report: DeployReport): void {
  const { counts } = report;
  core.setOutput('uploaded', counts.new + counts.changed + counts.headers);
  core.setOutput('headers-updated', counts.headers);
  core.setOutput('deleted', counts.deleted);
  core.setOutput('unchanged', counts.unchanged);
  core.setOutput('bytes-uploaded', report.bytesUploaded);
  core.setOutput('invalidation-id', report.invalidation.id ?? '');
  core.setOutput('invalidation-paths', JSON.stringify(report.invalidation.paths));
  core.setOutput('skipped', report.status === 'skipped');
  core.setOutput('url', report.url ?? '');
  core.setOutput('prefix', report.prefix ?? '');
}

/** Outputs, the job summary (when the runner provides one) and a short line in the log. */
export async function publishReport(report: DeployReport): Promise<void> {
  setOutputs(report);
  const { counts } = report;
  core.info(
    `${headline(report)}: ${counts.new} new, ${counts.changed} changed, ${counts.headers} headers updated, ${counts.deleted} deleted, ${counts.unchanged} unchanged; ${formatBytes(report.bytesUploaded)} in ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(report)).write();
}
