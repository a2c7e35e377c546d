import { readFileSync } from 'node:fs';
import pMap from 'p-map';
import type { RunContext } from '../context/run-context.js';
import { Refusal } from '../shared/errors.js';
import { plural } from '../shared/text.js';
import { CACHE_REVALIDATE } from './headers.js';
import type { RemoteObject } from './plan.js';
import type { Ports } from './ports.js';
import {
  REDIRECT_STORE_INPUT,
  type RedirectPlan,
  type RedirectSource,
  type RedirectSyncPlan,
  type WebsiteRedirect,
  emptyRedirectPlan,
  parseRedirects,
  planRedirectSync,
  syncRedirects,
  websiteRedirects,
} from './redirects.js';
import { REDIRECTS_FILE } from '../shared/redirect-rules.js';
import type { LocalFile } from './scan.js';

// The redirects of a deploy, as steps (deploy.ts calls them in order):
//   loadRedirects   the `_redirects` file of the build and the `redirects` input → the rules (refused with line
//                   numbers before any write; the input alone is already checked with the other inputs); the
//                   file itself is not uploaded
//   planRedirects   which mode serves them, and what changes: behind CloudFront, the entries of the KeyValueStore
//                   the viewer-request function reads (its budget checked against what the store holds); without
//                   a distribution, S3 website redirect objects — before any write
//   applyRedirects  after the pages are published and before stale objects are deleted, so a moved page
//                   answers with its redirect before its old object goes

export { REDIRECTS_FILE };

/** A `_redirects` file larger than this is refused: its entries could not fit a KeyValueStore (5 MB) anyway. */
const MAX_REDIRECTS_FILE_BYTES = 10_000_000;

/** The redirects' part of the outcome. */
export interface RedirectsOutcome {
  /** `edge`: a CloudFront KeyValueStore; `website`: S3 website redirect objects (no distribution). */
  mode: 'edge' | 'website';
  /** Where the rules came from (`_redirects`, `input 'redirects'`). */
  sources: string[];
  rules: number;
  /** Entries of the store (edge), or redirect objects (website), that the deploy leaves. */
  entries: number;
  /** Entries or objects written and removed; what would be, until `synced`. */
  put: number;
  deleted: number;
  /** Edge: the store's size after the sync, in bytes (of 5,000,000). */
  storeBytes?: number;
  /** The changes were made (false: a dry run, or the run stopped before the redirects' turn). */
  synced: boolean;
}

export type RedirectStep =
  | { mode: 'edge'; plan: RedirectPlan; changes: RedirectSyncPlan; nested: string[]; sources: string[] }
  | { mode: 'website'; plan: RedirectPlan; objects: WebsiteRedirect[]; writes: WebsiteRedirect[]; sources: string[] };

/** The build's files without `_redirects`, and the rules of the file and the input (undefined when neither has any). */
export function loadRedirects(
  context: RunContext,
  localFiles: LocalFile[],
): { files: LocalFile[]; rules?: RedirectPlan; sources: string[] } {
  const { inputs } = context;
  const file = localFiles.find((each) => each.relativePath === REDIRECTS_FILE);
  const files = file ? localFiles.filter((each) => each !== file) : localFiles;
  const sources: RedirectSource[] = [];
  if (file) {
    if (file.size > MAX_REDIRECTS_FILE_BYTES) {
      throw new Refusal(
        `The build's ${REDIRECTS_FILE} is ${file.size} bytes: more than a CloudFront KeyValueStore holds (5 MB). Redirect whole directories with splat rules (/old/* /new/:splat); nothing was deployed.`,
      );
    }
    sources.push({ name: REDIRECTS_FILE, text: readFileSync(file.absolutePath, 'utf8') });
  }
  if (inputs.redirects.trim() !== '') {
    sources.push({ name: "input 'redirects'", text: inputs.redirects, input: 'redirects' });
  }
  if (sources.length === 0) return { files, sources: [] };
  return { files, rules: parseRedirects(sources, { prefix: inputs.prefix }), sources: sources.map((s) => s.name) };
}

/**
 * Which mode serves the rules, and the changes, checked before any write: with a redirect store, its entries
 * (read once here; the budget counts the other deployments' entries); with a distribution but no store,
 * refused — CloudFront with origin access control reads the bucket's REST endpoint, which ignores website
 * redirects; with neither, S3 website redirect objects. Undefined when there is nothing to do.
 */
export async function planRedirects(
  context: RunContext,
  ports: Ports,
  loaded: { rules?: RedirectPlan; sources: string[] },
  remote: RemoteObject[],
  siteKeys: ReadonlySet<string>,
  nested: string[],
): Promise<RedirectStep | undefined> {
  const { inputs } = context;
  if (ports.redirects) {
    const plan = loaded.rules ?? emptyRedirectPlan(inputs.prefix);
    const { entries } = await ports.redirects.read();
    const changes = planRedirectSync(entries, plan, { nested, input: REDIRECT_STORE_INPUT });
    return { mode: 'edge', plan, changes, nested, sources: loaded.sources };
  }
  if (!loaded.rules) return undefined;
  if (inputs.distributionId) {
    throw new Refusal(
      `The build has redirects (${loaded.sources.join(', ')}) and 'distribution-id' is set, but 'redirect-store-arn' is not: behind CloudFront the redirects are answered at the edge from a KeyValueStore (the Terraform module's key_value_store_arn output). Set 'redirect-store-arn'; nothing was deployed.`,
      REDIRECT_STORE_INPUT,
    );
  }
  const objects = websiteRedirects(loaded.rules, { siteKeys });
  const existing = new Map(remote.map((object) => [object.key, object]));
  // Only an empty object can be a redirect already; its location is in its headers (one HEAD each, as many in
  // flight as `concurrency`, like the other HEADs of the plan).
  const current = await pMap(
    objects,
    async (object) =>
      existing.get(object.key)?.size === 0 ? (await ports.store.head(object.key))?.redirectLocation : undefined,
    { concurrency: inputs.concurrency },
  );
  const writes = objects.filter((object, index) => current[index] !== object.location);
  return { mode: 'website', plan: loaded.rules, objects, writes, sources: loaded.sources };
}

/** Keys of the bucket that the redirects own: not stale although they are not in the build. */
export function redirectKeys(step: RedirectStep | undefined): Set<string> {
  return new Set(step?.mode === 'website' ? step.objects.map((object) => object.key) : []);
}

/** What the step would do, before it ran (a dry run, or a run that stopped first). */
export function plannedRedirects(step: RedirectStep): RedirectsOutcome {
  const common = { mode: step.mode, sources: step.sources, rules: step.plan.rules.length, synced: false };
  if (step.mode === 'website') {
    return { ...common, entries: step.objects.length, put: step.writes.length, deleted: 0 };
  }
  return {
    ...common,
    entries: step.changes.budget.keys,
    put: step.changes.put.length,
    deleted: step.changes.delete.length,
    storeBytes: step.changes.budget.storeBytes,
  };
}

/**
 * Makes the redirects live: the KeyValueStore synced (read again, only the changed keys written, If-Match on
 * its ETag), or the website redirect objects written. A website redirect gone from the rules is a stale object
 * of the plan, deleted with the others.
 */
export async function applyRedirects(ports: Ports, step: RedirectStep, dryRun: boolean): Promise<RedirectsOutcome> {
  if (step.mode === 'edge') {
    const result = await syncRedirects(ports.redirects!, step.plan, {
      nested: step.nested,
      input: REDIRECT_STORE_INPUT,
    });
    return {
      ...plannedRedirects(step),
      put: result.put,
      deleted: result.deleted,
      entries: result.budget.keys,
      storeBytes: result.budget.storeBytes,
      synced: !dryRun,
    };
  }
  const headers = { contentType: 'text/html; charset=utf-8', cacheControl: CACHE_REVALIDATE };
  for (const object of step.writes) await ports.store.putRedirect(object.key, object.location, headers);
  return { ...plannedRedirects(step), synced: !dryRun };
}

/** Entries or objects the run changed — in a dry run, those the deploy would change; 0 when nothing was. */
export function redirectsChanged(redirects: RedirectsOutcome | undefined, dryRun: boolean): number {
  return redirects && (redirects.synced || dryRun) ? redirects.put + redirects.deleted : 0;
}

/** The log's line for the redirects. */
export function redirectLine(outcome: RedirectsOutcome): string {
  const where =
    outcome.mode === 'edge'
      ? `the CloudFront KeyValueStore ('${REDIRECT_STORE_INPUT}'): ${`${outcome.entries} ${outcome.entries === 1 ? 'entry' : 'entries'}`}, ${outcome.storeBytes ?? 0} of 5,000,000 bytes`
      : `S3 website redirect objects (no 'distribution-id': x-amz-website-redirect-location, answered by the bucket's website endpoint): ${plural(outcome.entries, 'object')}`;
  const verb = outcome.synced ? '' : ' (planned)';
  return `Redirects: ${plural(outcome.rules, 'rule')} from ${outcome.sources.join(', ') || 'none'} → ${where}; ${outcome.put} written, ${outcome.deleted} removed${verb}.`;
}
