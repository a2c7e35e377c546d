import { headerGroups } from '../pipeline/plan-text.js';
import type { ChangeKind, Outcome } from '../pipeline/outcome.js';
import { formatBytes, plural } from '../shared/text.js';
import { publicUrl } from '../shared/urls.js';
import { code, link, plain } from './markdown.js';
import { siteCheckMarkdown } from './site-check.js';

// The job summary: one Markdown page per run, whatever its result — what was (or would be) done, and for a
// refusal or failure, why and what to do.

export const LISTED_CHANGES = 50;
const LISTED_PATHS = 30;
const LINKED_PAGES = 20;

const KIND_LABEL: Record<ChangeKind, string> = {
  new: 'new',
  changed: 'changed',
  headers: 'headers only',
  deleted: 'deleted',
};

/** "Deployed to s3://…", "Removed the preview at s3://…", "Deploy refused: s3://…" (target formatted by `format`). */
export function headline(outcome: Outcome, format: (target: string) => string = (target) => target): string {
  const target = format(outcome.target || 'S3');
  const remove = outcome.action === 'remove';
  const dry = outcome.dryRun ? 'Dry run (nothing written): ' : '';
  if (outcome.action === 'rollback') return rollbackHeadline(outcome, target, dry, format);
  switch (outcome.result) {
    case 'deployed':
      if (outcome.dryRun) return `${dry}planned ${remove ? 'removal of the preview at' : 'deploy to'} ${target}`;
      return remove ? `Removed the preview at ${target}` : `Deployed to ${target}`;
    case 'unchanged':
      return `${dry}${remove ? 'Nothing to remove at' : 'Up to date, nothing to write:'} ${target}`;
    case 'refused':
      return `${dry}${remove ? 'Preview removal' : 'Deploy'} refused: ${target}`;
    case 'failed':
      return `${dry}${remove ? 'Preview removal' : 'Deploy'} failed: ${target}`;
    case 'skipped':
      return `${dry}${remove ? 'Preview removal' : 'Deploy'} skipped: ${target}`;
  }
}

function rollbackHeadline(outcome: Outcome, target: string, dry: string, format: (text: string) => string): string {
  const to = outcome.restores ? ` to ${format(outcome.restores)}` : '';
  switch (outcome.result) {
    case 'deployed':
      return outcome.dryRun ? `${dry}planned rollback of ${target}${to}` : `Rolled back ${target}${to}`;
    case 'unchanged':
      return `${dry}Already as deployed${to}, nothing to write: ${target}`;
    default:
      return `${dry}Rollback ${outcome.result}: ${target}`;
  }
}

/** Whether the counts are planned rather than done: a dry run, or a run that stopped before writing. */
function countsArePlanned(outcome: Outcome): boolean {
  return outcome.dryRun || outcome.result === 'refused' || outcome.result === 'skipped';
}

function countsTable(outcome: Outcome): string[] {
  const { counts } = outcome;
  return [
    `| ${countsArePlanned(outcome) ? 'planned' : 'objects'} | count |`,
    '|---|---:|',
    `| uploaded, new | ${counts.new} |`,
    `| uploaded, changed | ${counts.changed} |`,
    `| headers updated (no bytes sent) | ${counts.headers} |`,
    `| deleted | ${counts.deleted} |`,
    `| unchanged | ${counts.unchanged} |`,
  ];
}

function keptLine(outcome: Outcome): string[] {
  const { kept } = outcome;
  const parts: string[] = [];
  if (kept.retained > 0) {
    parts.push(
      `${plural(kept.retained, 'deleted fingerprinted asset')} kept for pages still cached (\`asset-grace-period\`)`,
    );
  }
  if (kept.excluded > 0) parts.push(`${plural(kept.excluded, 'object')} matched by \`exclude\``);
  if (kept.otherDeployments.length > 0)
    parts.push(`other deployments under ${kept.otherDeployments.map(code).join(', ')}`);
  return parts.length > 0 ? ['', `Left alone: ${parts.join('; ')}.`] : [];
}

/** What the release protocol could rely on, where it is less than a store that honours conditional writes. */
function conditionalWritesLine(outcome: Outcome): string[] {
  switch (outcome.conditionalWrites) {
    case 'unchecked':
      return [
        '',
        'Conditional writes: not checked in a dry run (the check writes a probe object); the deploy checks whether the store honours them.',
      ];
    case 'refused':
    case 'ignored':
      return [
        '',
        `Conditional writes: the store ${outcome.conditionalWrites === 'refused' ? 'does not support' : 'ignores'} them, so this deploy was not protected against a concurrent one by the store (give the workflow a \`concurrency:\` group).`,
      ];
    default:
      return [];
  }
}

/** Where the redirects are served from, and what this run changed there. */
function redirectsLines(outcome: Outcome): string[] {
  const { redirects } = outcome;
  if (!redirects) return [];
  const done = redirects.synced;
  const where =
    redirects.mode === 'edge'
      ? `served at the edge from the CloudFront KeyValueStore (\`redirect-store-arn\`): ${redirects.entries} ${redirects.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(redirects.storeBytes ?? 0)} of the store's 5 MB`
      : `S3 website redirect objects (no \`distribution-id\`; answered by the bucket's website endpoint with 301): ${plural(redirects.entries, 'object')}`;
  const changed =
    redirects.put + redirects.deleted === 0
      ? 'nothing to change'
      : `${redirects.put} ${done ? 'written' : 'to write'}, ${redirects.deleted} ${done ? 'removed' : 'to remove'}`;
  const from = redirects.sources.length > 0 ? ` from ${redirects.sources.map(code).join(' and ')}` : '';
  return ['', '### Redirects', '', `${plural(redirects.rules, 'rule')}${from}, ${where}; ${changed}.`];
}

/** A code span in a table cell: GitHub ends a cell at any unescaped `|`, even inside a code span. */
function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** The headers this run wrote (or would write), per rule: which default or which of the user's globs. */
function headersTable(outcome: Outcome): string[] {
  const groups = headerGroups(outcome.changes);
  if (groups.length === 0) return [];
  const lines = ['', '### Headers', '', '| rule | count | Content-Type | Cache-Control |', '|---|---:|---|---|'];
  for (const group of groups) {
    lines.push(
      `| ${plain(group.rule)} | ${group.count} | ${cell(group.headers.contentType)} | ${cell(group.headers.cacheControl)} |`,
    );
  }
  return lines;
}

/** With site-url: links to the written pages, so a reviewer can click through. */
export function changedPageLinks(outcome: Outcome, siteUrl: string | undefined, max = LINKED_PAGES): string[] {
  if (!siteUrl || outcome.action === 'remove') return [];
  const pages = outcome.changes.filter((change) => change.kind !== 'deleted' && /\.html?$/i.test(change.key));
  return pages
    .slice(0, max)
    .map((page) => `- ${link(page.key.slice(outcome.prefix.length), publicUrl(siteUrl, page.key))}`);
}

function invalidationLines(outcome: Outcome): string[] {
  const { invalidation } = outcome;
  if (!invalidation.id && invalidation.paths.length === 0 && !invalidation.note) return [];
  const lines = ['', '### CloudFront invalidation'];
  if (invalidation.id) lines.push('', `ID ${code(invalidation.id)}, ${invalidation.paths.length} path(s).`);
  else if (invalidation.paths.length > 0) {
    const done = outcome.result === 'deployed' && !outcome.dryRun;
    lines.push('', `${invalidation.paths.length} path(s) ${done ? '' : 'would be '}invalidated.`);
  }
  if (invalidation.note) lines.push('', plain(invalidation.note));
  if (invalidation.paths.length > 0) {
    const shown = invalidation.paths.slice(0, LISTED_PATHS).map(code).join(' ');
    const more =
      invalidation.paths.length > LISTED_PATHS ? ` … and ${invalidation.paths.length - LISTED_PATHS} more` : '';
    lines.push('', `${shown}${more}`);
  }
  return lines;
}

const HISTORY_SHOWN = 5;

/** The prefix's last deploys (what `rollback-to` takes), newest first. */
function historyLines(outcome: Outcome): string[] {
  const shown = outcome.history.slice(0, HISTORY_SHOWN);
  if (shown.length === 0) return [];
  const lines = [
    '',
    '### Last deploys',
    '',
    '| deploy id | when | commit | result | uploaded | deleted | unchanged |',
    '|---|---|---|---|---:|---:|---:|',
  ];
  for (const entry of shown) {
    const what =
      entry.kind === 'rollback' ? `${entry.result}, rollback to ${cell(entry.restored ?? '?')}` : entry.result;
    const mark = entry.id === outcome.deployId ? ' (this run)' : '';
    lines.push(
      `| ${cell(entry.id)}${mark} | ${plain(entry.at)} | ${entry.commit ? cell(entry.commit.slice(0, 7)) : ''} | ${what} | ${entry.uploaded} | ${entry.deleted} | ${entry.unchanged} |`,
    );
  }
  lines.push('', 'Undo a deploy with `rollback-to: previous` or one of these ids (README, "Undo a deploy").');
  return lines;
}

/** The job summary, as Markdown. */
export function summaryMarkdown(outcome: Outcome, siteUrl?: string): string {
  const lines: string[] = [`## ${headline(outcome, code)}`, ''];
  if (outcome.url && outcome.result !== 'refused') {
    lines.push(`${outcome.action === 'remove' ? 'Was served at' : 'Served at'} ${outcome.url}`, '');
  }
  if (outcome.reason) {
    lines.push(`> ${plain(outcome.reason)}`, '');
    if (outcome.input) lines.push(`To fix: change the input ${code(outcome.input)}.`, '');
  }
  if (
    outcome.result === 'refused' ||
    (outcome.result === 'failed' && outcome.changes.length === 0 && !outcome.planned)
  ) {
    lines.push('Nothing was written to the bucket.', '');
  }
  if (outcome.planned || outcome.result === 'deployed' || outcome.result === 'unchanged') {
    lines.push(...countsTable(outcome), '');
    const bytes = countsArePlanned(outcome) ? 'Bytes to upload' : 'Uploaded';
    lines.push(
      `${bytes}: **${formatBytes(outcome.bytesUploaded)}** · time: **${(outcome.durationMs / 1000).toFixed(1)} s**`,
    );
  } else {
    lines.push(`Time: **${(outcome.durationMs / 1000).toFixed(1)} s**`);
  }
  lines.push(...keptLine(outcome), ...conditionalWritesLine(outcome));
  if (outcome.siteCheck) lines.push('', siteCheckMarkdown(outcome.siteCheck).trimEnd());
  lines.push(...redirectsLines(outcome));
  lines.push(...headersTable(outcome));
  const pages = changedPageLinks(outcome, siteUrl);
  if (pages.length > 0) lines.push('', '### Changed pages', '', ...pages);
  lines.push(...invalidationLines(outcome), ...historyLines(outcome));
  if (outcome.failures.length > 0) {
    lines.push('', `### Failed (${outcome.failures.length})`, '');
    for (const failure of outcome.failures.slice(0, LISTED_CHANGES)) {
      lines.push(`- ${code(failure.key)}: ${plain(failure.message)}`);
    }
    if (outcome.failures.length > LISTED_CHANGES) {
      lines.push(`- … and ${outcome.failures.length - LISTED_CHANGES} more (see the log)`);
    }
  }
  if (outcome.changes.length > 0) {
    const shown = outcome.changes.slice(0, LISTED_CHANGES);
    const title =
      outcome.changes.length > shown.length ? `first ${shown.length} of ${outcome.changes.length}` : `${shown.length}`;
    const what = countsArePlanned(outcome) ? 'Planned changes' : 'Changed files';
    lines.push('', `<details><summary>${what} (${title})</summary>`, '');
    for (const change of shown) lines.push(`- ${code(change.key)}: ${KIND_LABEL[change.kind]}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/** One line for the log. */
export function logLine(outcome: Outcome): string {
  const { counts } = outcome;
  return `${headline(outcome)}: ${counts.new} new, ${counts.changed} changed, ${counts.headers} headers updated, ${counts.deleted} deleted, ${counts.unchanged} unchanged; ${formatBytes(outcome.bytesUploaded)} in ${(outcome.durationMs / 1000).toFixed(1)} s.`;
}
