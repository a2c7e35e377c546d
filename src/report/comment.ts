import type { Outcome } from '../pipeline/outcome.js';
import { publicUrl } from '../shared/urls.js';
import { code, plain } from './markdown.js';
import { changedPageLinks } from './summary.js';

// The one comment the action keeps on a pull request for its preview: ready (with links), failed or refused
// (with the reason), or removed.

/** The hidden line that identifies the action's comment for this prefix, so it is edited, never repeated. */
export function commentMarker(prefix: string): string {
  return `<!-- parlai-site-deploy preview ${prefix} -->`;
}

const LISTED_PAGES = 10;

export interface CommentContext {
  prefix: string;
  siteUrl?: string;
  sha: string;
  runUrl?: string;
}

function countsTable(outcome: Outcome): string[] {
  const { counts } = outcome;
  return [
    '| uploaded | deleted | unchanged |',
    '|---:|---:|---:|',
    `| ${counts.new + counts.changed + counts.headers} | ${counts.deleted} | ${counts.unchanged} |`,
  ];
}

/** The comment's Markdown: the preview URL, the commit, the change summary and the top changed pages. */
export function previewCommentBody(outcome: Outcome, { prefix, siteUrl, sha, runUrl }: CommentContext): string {
  const lines = [commentMarker(prefix)];
  const url = siteUrl ? publicUrl(siteUrl, prefix) : undefined;
  const commit = code(sha.slice(0, 7));
  const run = runUrl ? ` · [deploy log](${runUrl})` : '';
  if (outcome.action === 'remove' && (outcome.result === 'deployed' || outcome.result === 'unchanged')) {
    lines.push(
      '### Preview removed',
      '',
      `The pull request was closed: the preview under ${code(prefix)} was deleted (${outcome.counts.deleted} objects).`,
    );
    return `${lines.join('\n')}\n`;
  }
  if (outcome.result === 'failed' || outcome.result === 'refused') {
    const what = outcome.action === 'remove' ? 'Preview removal' : 'Preview deploy';
    lines.push(
      `### ${what} ${outcome.result}`,
      '',
      `Commit ${commit}${run}: ${outcome.reason ? plain(outcome.reason) : 'see the log.'}`,
    );
    if (url) lines.push('', `The last good preview may still be at ${url}.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '### Preview ready',
    '',
    url ? `**${url}**` : `Deployed under ${code(outcome.target)} (set \`site-url\` to get links here).`,
    '',
    `Commit ${commit}${run}`,
    '',
    ...countsTable(outcome),
  );
  const pages = outcome.changes.filter((change) => change.kind !== 'deleted' && /\.html?$/i.test(change.key));
  if (pages.length > 0) {
    const title = pages.length > LISTED_PAGES ? ` (first ${LISTED_PAGES} of ${pages.length})` : '';
    const links = siteUrl
      ? changedPageLinks(outcome, siteUrl, LISTED_PAGES)
      : pages.slice(0, LISTED_PAGES).map((page) => `- ${code(page.key.slice(prefix.length))}`);
    lines.push('', `Changed pages${title}:`, '', ...links);
  }
  return `${lines.join('\n')}\n`;
}
