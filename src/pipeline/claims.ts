import { untrusted } from '../shared/text.js';
import type { Claim } from './manifest.js';

// A claim read back from the deploy manifest (release.ts), judged and described. A bucket writer can write
// one: it is honoured only within what a run of this action can claim, and its fields reach messages only as
// what a run writes (`run-<digits>`, a URL of this repository's runs) or else as inert, untrusted text.

/** The longest claim a run can make (`lock-timeout` is at most 24 h): a longer one is not honoured. */
export const MAX_CLAIM_MS = 24 * 60 * 60 * 1000;

/**
 * `own`: an earlier attempt of this workflow run (taken over); `impossible`: lasts or starts further ahead than
 * any run can claim (not honoured); `expired`: left by a dead run (taken over); `live`: another run holds it.
 */
export function claimStanding(claim: Claim, runId: string, now: Date): 'own' | 'impossible' | 'expired' | 'live' {
  if (claim.run === runId) return 'own';
  const at = now.getTime();
  const expires = Date.parse(claim.expires);
  const started = Date.parse(claim.started);
  if (expires > at + MAX_CLAIM_MS || expires - started > MAX_CLAIM_MS || started > at + MAX_CLAIM_MS) {
    return 'impossible';
  }
  return expires <= at ? 'expired' : 'live';
}

/** A run URL from the manifest as a link only when it is one of this repository's runs; else inert. */
export function describeRun(run: string, runUrl: string | undefined, runUrlBase: string | undefined): string {
  if (
    runUrl &&
    runUrlBase &&
    runUrl.startsWith(runUrlBase) &&
    /^\d{1,20}(\/attempts\/\d{1,6})?$/.test(runUrl.slice(runUrlBase.length))
  ) {
    return runUrl;
  }
  return /^(run|local)-\d{1,20}$/.test(run) ? run : `run ${untrusted(run)}`;
}

export function describeClaim(claim: Claim, runUrlBase: string | undefined): string {
  const attempt = /^\d{1,6}$/.test(claim.attempt) ? claim.attempt : untrusted(claim.attempt);
  return `${describeRun(claim.run, claim.runUrl, runUrlBase)} (attempt ${attempt}, started ${claim.started})`;
}
