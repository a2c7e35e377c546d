import type { RunContext } from '../context/run-context.js';
import { Refusal } from '../shared/errors.js';
import type { RemoteObject, SiteFile } from './plan.js';
import type { Log } from './ports.js';
import type { RedirectPlan } from './redirects.js';
import {
  type SiteCheckResult,
  checkSiteInSlices,
  siteCheckCounts,
  siteCheckLines,
  siteFilesOf as checkedFiles,
  typeRuleExample,
} from './site-check.js';

// The deploy's site check, as a step: run it over the build (unless 'link-check: off'), log what it found,
// and the refusal 'link-check: error' makes of a broken build.

/**
 * The site check (site-check.ts), unless `link-check: off`: every same-site reference of the build's pages
 * and stylesheets resolved against the build, the objects `exclude` keeps in the bucket, and the redirects.
 */
export async function checkLinks(
  context: RunContext,
  log: Log,
  files: SiteFile[],
  remote: RemoteObject[],
  redirects: RedirectPlan | undefined,
): Promise<SiteCheckResult | undefined> {
  const { inputs } = context;
  if (inputs.linkCheck === 'off') return undefined;
  const keptKeys = remote
    .map((object) => object.key.slice(inputs.prefix.length))
    .filter((relativePath) => relativePath !== '' && inputs.exclude(relativePath));
  const result = await checkSiteInSlices({
    files: checkedFiles(files),
    prefix: inputs.prefix,
    siteUrl: inputs.siteUrl,
    keptKeys,
    redirects: redirects?.rules,
  });
  const [title, ...lines] = siteCheckLines(result);
  log.group(title!, lines);
  const { broken } = siteCheckCounts(result);
  if (broken > 0 && inputs.linkCheck === 'warn') {
    log.warning(
      `The site check found ${broken} broken target(s) in the build (listed above and in the job summary). They are deployed as they are; set 'link-check: error' to refuse such a build.`,
    );
  }
  if (result.octetStream.length > 0) {
    log.warning(
      `${result.octetStream.length} file(s) have an extension with no known type and are served as application/octet-stream (${result.octetStream.slice(0, 3).join(', ')}${result.octetStream.length > 3 ? ', …' : ''}): give them a type with the 'content-type' input, e.g. '${typeRuleExample(result.octetStream[0]!)}: text/plain; charset=utf-8'.`,
    );
  }
  return result;
}

export function brokenLinks(result: SiteCheckResult): Refusal {
  const broken = result.broken.filter((entry) => entry.kind !== 'outside-prefix');
  const first = broken
    .slice(0, 3)
    .map((entry) => `${entry.target} (from ${entry.referrers[0]?.file ?? '?'})`)
    .join(', ');
  return new Refusal(
    `The site check found ${broken.length} broken target(s) in the build — ${first}${broken.length > 3 ? ', …' : ''} — and 'link-check' is error: nothing was written. Fix the links or add the missing files (the summary lists every one with the pages that reference it), or set 'link-check: warn' to deploy anyway.`,
    'link-check',
  );
}
