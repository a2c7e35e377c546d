import { indexDirectory } from './invalidate.js';
import type { DeployReport } from './report.js';

// Pull-request previews: which prefix and environment a run deploys to, the URLs a reviewer clicks, and the
// one comment the action keeps on the pull request. Pure; github.ts talks to the API.

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

export function previewPrefix(number: number): string {
  return `pr-${number}/`;
}

/**
 * Where this run deploys. With `preview` on a pull_request event: under `pr-<number>/` (unless a prefix was
 * given), in the `preview` environment (unless one was given), removed when the pull request is closed.
 * Otherwise: `prefix` as given, in `production` (or the given environment).
 */
export function resolveTarget(
  options: { preview: boolean; prefix: string; environment: string },
  pullRequest: PullRequest | undefined,
  sha: string,
): Target {
  if (options.preview && pullRequest) {
    return {
      prefix: options.prefix || previewPrefix(pullRequest.number),
      environment: options.environment || 'preview',
      ref: pullRequest.headSha || sha,
      pullRequest,
      cleanup: pullRequest.action === 'closed',
    };
  }
  return { prefix: options.prefix, environment: options.environment || 'production', ref: sha, cleanup: false };
}

/** The public URL of a key: `docs/index.html` is served at `…/docs/`. Segments are percent-encoded. */
export function publicUrl(siteUrl: string, key: string): string {
  const path = indexDirectory(key) ?? key;
  return `${siteUrl.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The hidden line that identifies the action's comment for this prefix, so it is edited, never repeated. */
export function commentMarker(prefix: string): string {
  return `<!-- parlai-site-deploy preview ${prefix} -->`;
}

const LISTED_PAGES = 10;

export interface PreviewComment {
  prefix: string;
  siteUrl?: string;
  sha: string;
  runUrl?: string;
  report: DeployReport;
}

function countsTable(report: DeployReport): string[] {
  const { counts } = report;
  return [
    '| uploaded | deleted | unchanged |',
    '|---:|---:|---:|',
    `| ${counts.new + counts.changed + counts.headers} | ${counts.deleted} | ${counts.unchanged} |`,
  ];
}

/** The comment's Markdown: the preview URL, the commit, the change summary and the top changed pages. */
export function previewCommentBody({ prefix, siteUrl, sha, runUrl, report }: PreviewComment): string {
  const lines = [commentMarker(prefix)];
  const url = siteUrl ? publicUrl(siteUrl, prefix) : undefined;
  const commit = `\`${sha.slice(0, 7)}\``;
  const run = runUrl ? ` · [deploy log](${runUrl})` : '';
  if (report.status === 'removed') {
    lines.push(
      '### Preview removed',
      '',
      `The pull request was closed: the preview under \`${prefix}\` was deleted (${report.counts.deleted} objects).`,
    );
    return `${lines.join('\n')}\n`;
  }
  if (report.status === 'failed') {
    lines.push('### Preview deploy failed', '', `Commit ${commit}${run}: ${report.reason ?? 'see the log.'}`);
    if (url) lines.push('', `The last good preview may still be at ${url}.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '### Preview ready',
    '',
    url ? `**${url}**` : `Deployed under \`${report.target}\` (set \`site-url\` to get links here).`,
    '',
    `Commit ${commit}${run}`,
    '',
    ...countsTable(report),
  );
  const pages = report.changes.filter((change) => change.kind !== 'deleted' && /\.html?$/i.test(change.key));
  if (pages.length > 0) {
    lines.push(
      '',
      `Changed pages${pages.length > LISTED_PAGES ? ` (first ${LISTED_PAGES} of ${pages.length})` : ''}:`,
      '',
    );
    for (const page of pages.slice(0, LISTED_PAGES)) {
      const relative = page.key.slice(prefix.length);
      lines.push(siteUrl ? `- [${relative}](${publicUrl(siteUrl, page.key)})` : `- \`${relative}\``);
    }
  }
  return `${lines.join('\n')}\n`;
}
