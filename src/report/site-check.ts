import {
  type BrokenTarget,
  type SiteCheckResult,
  SITE_CHECK_KIND_LABELS,
  siteCheckCounts,
  typeRuleExample,
} from '../pipeline/site-check.js';
import { plural } from '../shared/text.js';
import { code, plain } from './markdown.js';

// The site check (pipeline/site-check.ts) as Markdown for the job summary: the broken targets first, each
// with the pages that reference it, then the same-site URLs outside this deploy, then the files served as
// application/octet-stream. Every name is a code span: file names come from the build.

export const LISTED_TARGETS = 50;
export const LISTED_REFERRERS = 10;
const LISTED_FILES = 20;

function targetLines(entry: BrokenTarget): string[] {
  const count = plural(entry.referrers.length, 'reference');
  const lines = [`- ${SITE_CHECK_KIND_LABELS[entry.kind]} ${code(entry.target)} (${count})`];
  if (entry.note) lines.push(`  - ${plain(entry.note)}`);
  for (const referrer of entry.referrers.slice(0, LISTED_REFERRERS)) {
    lines.push(`  - ${code(referrer.file)} line ${referrer.line}: ${code(referrer.reference)}`);
  }
  if (entry.referrers.length > LISTED_REFERRERS) {
    lines.push(`  - … and ${entry.referrers.length - LISTED_REFERRERS} more (see the log)`);
  }
  return lines;
}

function section(title: string, entries: BrokenTarget[]): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, LISTED_TARGETS);
  const heading = entries.length > shown.length ? `first ${shown.length} of ${entries.length}` : `${entries.length}`;
  const lines = ['', `#### ${title} (${heading})`, ''];
  for (const entry of shown) lines.push(...targetLines(entry));
  return lines;
}

/** The site check as a job summary section. */
export function siteCheckMarkdown(result: SiteCheckResult): string {
  const counts = siteCheckCounts(result);
  const lines = [
    '### Site check',
    '',
    `${plural(result.pages, 'page')}, ${plural(result.references, 'reference')} to the site: ` +
      `**${plural(counts.broken, 'broken target')}**, ${counts.outside} outside this deploy.`,
  ];
  lines.push(
    ...section(
      'Broken',
      result.broken.filter((entry) => entry.kind !== 'outside-prefix'),
    ),
    ...section(
      'Outside this deploy (not checked)',
      result.broken.filter((entry) => entry.kind === 'outside-prefix'),
    ),
  );
  if (result.octetStream.length > 0) {
    const shown = result.octetStream.slice(0, LISTED_FILES).map(code).join(' ');
    const more =
      result.octetStream.length > LISTED_FILES ? ` … and ${result.octetStream.length - LISTED_FILES} more` : '';
    lines.push(
      '',
      `#### Served as ${code('application/octet-stream')} (${result.octetStream.length})`,
      '',
      `Their extension has no known type: ${shown}${more}. Set it with the ${code('content-type')} input, e.g. ${code(`${typeRuleExample(result.octetStream[0]!)}: TYPE`)}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
