import type { Outcome } from '../pipeline/outcome.js';
import { redirectsChanged } from '../pipeline/redirect-step.js';

/** The step's outputs (action.yml's `outputs:`), every one set whatever the result. */
export function outputsOf(outcome: Outcome): Record<string, string> {
  // A run that stopped before writing planned its counts; outside a dry run, nothing of that was done.
  const wroteNothing = !outcome.dryRun && (outcome.result === 'refused' || outcome.result === 'skipped');
  const counts = wroteNothing ? { ...outcome.counts, new: 0, changed: 0, headers: 0, deleted: 0 } : outcome.counts;
  return {
    result: outcome.result,
    uploaded: String(counts.new + counts.changed + counts.headers),
    'headers-updated': String(counts.headers),
    deleted: String(counts.deleted),
    unchanged: String(counts.unchanged),
    'bytes-uploaded': String(wroteNothing ? 0 : outcome.bytesUploaded),
    'invalidation-id': outcome.invalidation.id ?? '',
    'invalidation-paths': JSON.stringify(outcome.invalidation.paths),
    skipped: String(outcome.result === 'skipped'),
    url: outcome.url ?? '',
    prefix: outcome.prefix,
    'deploy-id': wroteNothing || outcome.dryRun ? '' : (outcome.deployId ?? ''),
    'redirects-updated': String(redirectsChanged(outcome.redirects, outcome.dryRun)),
  };
}
