import type { BrokenKind, BrokenTarget, SiteCheckResult } from '../site-check.js';

// The site check's result in words: log lines, annotations, counts (site-check.ts finds what is broken).

/** A GitHub annotation for one reference: `file` is relative to `source-dir`. */
export interface SiteCheckAnnotation {
  /** Absent for a rule of the `redirects` input (not a file): its message names the input and line. */
  file?: string;
  line: number;
  message: string;
  /** `outside-prefix` is a warning: the target may well exist outside this deploy. */
  severity: 'error' | 'warning';
}

/** What a broken target is, in words: `'static/a.css' is not in the build`. */
export function describeBroken(entry: BrokenTarget): string {
  switch (entry.kind) {
    case 'missing':
      return `'${entry.target}' is not in the build, not kept in the bucket and not answered by a redirect${entry.note ? ` (${entry.note})` : ''}`;
    case 'fragment': {
      const hash = entry.target.indexOf('#');
      return `'${entry.target.slice(0, hash)}' has no element with id '${entry.target.slice(hash + 1)}'`;
    }
    case 'outside-prefix':
      return `'${entry.target}' is outside this deploy, so it was not checked`;
    case 'bad-url':
      return `'${entry.target}' is not a valid URL`;
  }
}

/** One annotation per referring line, targets in order. */
export function siteCheckAnnotations(result: SiteCheckResult): SiteCheckAnnotation[] {
  return result.broken.flatMap((entry) =>
    entry.referrers.map((referrer) => ({
      ...(referrer.redirect?.input ? {} : { file: referrer.file }),
      line: referrer.line,
      message: referrer.redirect
        ? `Redirect to '${referrer.reference}' (${referrer.file} line ${referrer.line}): ${describeBroken(entry)}.`
        : `Link to '${referrer.reference}': ${describeBroken(entry)}.`,
      severity: entry.kind === 'outside-prefix' ? ('warning' as const) : ('error' as const),
    })),
  );
}

/** How many targets are broken (errors) and how many only outside the deploy (warnings). */
export function siteCheckCounts(result: SiteCheckResult): { broken: number; outside: number } {
  const outside = result.broken.filter((entry) => entry.kind === 'outside-prefix').length;
  return { broken: result.broken.length - outside, outside };
}

const KIND_LABELS: Record<BrokenKind, string> = {
  missing: 'missing',
  fragment: 'no anchor',
  'outside-prefix': 'outside',
  'bad-url': 'bad URL',
};

export { KIND_LABELS as SITE_CHECK_KIND_LABELS };

/** The check as log lines: a summary, then each target with its first referrers. */
export function siteCheckLines(result: SiteCheckResult, limits = { targets: 100, referrers: 5 }): string[] {
  const counts = siteCheckCounts(result);
  const lines = [
    `Site check: ${result.pages} page(s), ${result.references} reference(s) to the site: ${counts.broken} broken target(s), ${counts.outside} outside this deploy`,
  ];
  for (const entry of result.broken.slice(0, limits.targets)) {
    const shown = entry.referrers
      .slice(0, limits.referrers)
      .map((referrer) => `${referrer.file}:${referrer.line}`)
      .join(', ');
    const more =
      entry.referrers.length > limits.referrers ? `, … ${entry.referrers.length - limits.referrers} more` : '';
    lines.push(`  ${KIND_LABELS[entry.kind].padEnd(9)} ${entry.target} ← ${shown}${more}`);
    if (entry.note) lines.push(`            ${entry.note}`);
  }
  if (result.broken.length > limits.targets) {
    lines.push(`  … and ${result.broken.length - limits.targets} more target(s)`);
  }
  if (result.octetStream.length > 0) {
    const names = result.octetStream.slice(0, 10).join(', ');
    const more = result.octetStream.length > 10 ? `, … ${result.octetStream.length - 10} more` : '';
    lines.push(
      `  ${result.octetStream.length} file(s) have an extension with no known type and are served as application/octet-stream (${names}${more}): set their type with the 'content-type' input, e.g. '${typeRuleExample(result.octetStream[0]!)}: TYPE'`,
    );
  }
  return lines;
}

/** A `content-type` glob for files like this one: `*.inv` for `docs/objects.inv`, `.nojekyll` for `.nojekyll`. */
export function typeRuleExample(relativePath: string): string {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `*${name.slice(dot)}` : name;
}
