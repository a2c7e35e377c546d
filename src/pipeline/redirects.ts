import { Refusal } from '../shared/errors.js';
import { compareStrings, untrusted } from '../shared/text.js';
import {
  REDIRECT_STORE_INPUT,
  type RedirectPlan,
  type RedirectProblem,
  type RedirectStatus,
  RedirectRulesError,
  slashTwin,
} from '../shared/redirect-rules.js';

// The redirects' side of a deploy (issue #17): the rules (parsed and refused in shared/redirect-rules.ts, so
// that the inputs are checked up front) become CloudFront KeyValueStore entries, checked against the store's
// limits before any write and synced after the pages are uploaded; or, without a distribution, S3 website
// redirect objects. docs/redirects.md has the whole story.

export * from '../shared/redirect-rules.js';

/**
 * CloudFront KeyValueStore limits (docs/redirects.md#limits): a key at most 512 bytes, a value at most 1 KB,
 * a store at most 5 MB. The store's size is counted here as the UTF-8 bytes of every key and value; 5 MB is
 * taken as 5,000,000 bytes, the smaller reading, so a plan that passes cannot be refused by the service for size.
 */
export const KVS_LIMITS = { keyBytes: 512, valueBytes: 1024, storeBytes: 5_000_000 } as const;

/** The rules do not fit the KeyValueStore's limits; names the first rule that does not fit. Before any write. */
export class RedirectBudgetError extends Refusal {
  constructor(
    message: string,
    readonly source: string | undefined,
    readonly line: number | undefined,
    input?: string,
  ) {
    super(message, input);
    this.name = 'RedirectBudgetError';
  }
}

/** The store changed since it was read (its ETag moved): re-read and compute the changes again. */
export class RedirectStoreConflict extends Error {
  constructor(detail: string) {
    super(`the redirect store changed while it was being updated (${detail})`);
    this.name = 'RedirectStoreConflict';
  }
}

/** The KeyValueStore, seen through the two things a deploy does with it. */
export interface RedirectStore {
  /** The store's version (ETag) and every entry in it. The ETag is read first, so it is never newer than the entries. */
  read(): Promise<{ etag: string; entries: Map<string, string> }>;
  /**
   * Puts and deletes these keys, only if the store is still at `etag`; resolves to the new ETag. Throws
   * RedirectStoreConflict when the store moved on (some batches may then have been written: read again).
   */
  update(etag: string, put: Array<{ key: string; value: string }>, del: string[]): Promise<string>;
}

// ---- KeyValueStore entries ----

/** An entry's value: `<status> <to>`, e.g. `301 /pr-42/docs/v2/:splat`. */
export function entryValue(target: { status: RedirectStatus; to: string }): string {
  return `${target.status} ${target.to}`;
}

/**
 * The KeyValueStore entries the plan maps to, sorted by key: a request path for an exact rule, the directory
 * followed by `*` for a splat (`/docs/*`), each with the value `<status> <to>`.
 */
export function redirectEntries(plan: RedirectPlan): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [path, target] of plan.exact) entries.set(path, entryValue(target));
  for (const rule of plan.prefixes) entries.set(`${rule.from}*`, entryValue(rule));
  return new Map([...entries.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** Each entry with the rule it comes from, in source order (the order refusals are reported in). */
function entriesBySource(plan: RedirectPlan): Array<{ key: string; value: string; source: string; line: number }> {
  const all = [
    ...[...plan.exact].map(([key, target]) => ({
      key,
      value: entryValue(target),
      source: target.source,
      line: target.line,
    })),
    ...plan.prefixes.map((rule) => ({
      key: `${rule.from}*`,
      value: entryValue(rule),
      source: rule.source,
      line: rule.line,
    })),
  ];
  const order = new Map(plan.rules.map((rule, index) => [`${rule.source}\n${rule.line}`, index]));
  return all.sort(
    (a, b) =>
      (order.get(`${a.source}\n${a.line}`) ?? 0) - (order.get(`${b.source}\n${b.line}`) ?? 0) ||
      compareStrings(a.key, b.key),
  );
}

function entryCount(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export interface RedirectBudget {
  /** Entries the plan writes. */
  keys: number;
  /** Bytes (keys + values) of the store after the sync, the other deployments' entries included. */
  storeBytes: number;
}

/**
 * Checks the plan against the KeyValueStore's limits before anything is written: every key at most 512 bytes,
 * every value at most 1024, and the whole store — `others`, the entries of other deployments that stay, plus
 * this plan's — at most 5 MB. A RedirectBudgetError names the first rule (in source order) that does not fit.
 */
export function checkRedirectBudget(
  plan: RedirectPlan,
  others: ReadonlyMap<string, string> = new Map(),
  input?: string,
): RedirectBudget {
  let total = 0;
  for (const [key, value] of others) total += bytes(key) + bytes(value);
  const entries = entriesBySource(plan);
  for (const entry of entries) {
    const where = `${entry.source} line ${entry.line}`;
    const keyBytes = bytes(entry.key);
    if (keyBytes > KVS_LIMITS.keyBytes) {
      throw new RedirectBudgetError(
        `${where}: the path ${untrusted(entry.key)} is ${keyBytes} bytes as a KeyValueStore key; CloudFront allows ${KVS_LIMITS.keyBytes}. Shorten it (nothing was deployed).`,
        entry.source,
        entry.line,
        input,
      );
    }
    const valueBytes = bytes(entry.value);
    if (valueBytes > KVS_LIMITS.valueBytes) {
      throw new RedirectBudgetError(
        `${where}: the target ${untrusted(entry.value)} is ${valueBytes} bytes as a KeyValueStore value; CloudFront allows ${KVS_LIMITS.valueBytes}. Shorten it (nothing was deployed).`,
        entry.source,
        entry.line,
        input,
      );
    }
    total += keyBytes + valueBytes;
    if (total > KVS_LIMITS.storeBytes) {
      throw new RedirectBudgetError(
        `${where}: with this rule the redirects need more than ${KVS_LIMITS.storeBytes} bytes, the size of a CloudFront KeyValueStore (${others.size > 0 ? `${entryCount(others.size)} of other deployments included; ` : ''}the plan has ${entryCount(entries.length)}). Use splat rules (/old/* /new/:splat) for whole directories (nothing was deployed).`,
        entry.source,
        entry.line,
        input,
      );
    }
  }
  return { keys: entries.length, storeBytes: total };
}

// ---- Syncing the store ----

/**
 * The entries of the store that a deploy under `prefix` owns: paths under `/<prefix>`, except those of
 * pull-request previews nested in it (`/<prefix>pr-<n>/…`) and of the other deployments in `nested` (prefixes
 * such as `docs/v1/`, below `prefix`, that hold their own deploy). Keys that are not paths are never owned.
 */
export function ownedEntries(
  entries: ReadonlyMap<string, string>,
  prefix: string,
  nested: readonly string[] = [],
): Map<string, string> {
  const root = `/${prefix}`;
  const owned = new Map<string, string>();
  for (const [key, value] of entries) {
    if (!key.startsWith(root)) continue;
    const rest = key.slice(root.length);
    if (/^pr-[0-9]+\//.test(rest)) continue;
    if (nested.some((other) => other !== prefix && `/${other}`.startsWith(root) && key.startsWith(`/${other}`))) {
      continue;
    }
    owned.set(key, value);
  }
  return owned;
}

/** What to write so that `current` becomes `wanted`: only the keys whose value changes, and the keys to remove. */
export function keysToSync(
  current: ReadonlyMap<string, string>,
  wanted: ReadonlyMap<string, string>,
): { put: Array<{ key: string; value: string }>; delete: string[] } {
  const put = [...wanted]
    .filter(([key, value]) => current.get(key) !== value)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => compareStrings(a.key, b.key));
  const del = [...current.keys()].filter((key) => !wanted.has(key)).sort(compareStrings);
  return { put, delete: del };
}

export interface RedirectSyncPlan {
  put: Array<{ key: string; value: string }>;
  delete: string[];
  budget: RedirectBudget;
}

/**
 * The changes that make the store hold exactly this plan's entries under its prefix, checked against the store's
 * limits (the entries of other deployments count towards the 5 MB). Pure: a dry run prints it.
 */
export function planRedirectSync(
  entries: ReadonlyMap<string, string>,
  plan: RedirectPlan,
  options: { nested?: readonly string[]; input?: string } = {},
): RedirectSyncPlan {
  const owned = ownedEntries(entries, plan.prefix, options.nested);
  const others = new Map([...entries].filter(([key]) => !owned.has(key)));
  const budget = checkRedirectBudget(plan, others, options.input);
  return { ...keysToSync(owned, redirectEntries(plan)), budget };
}

export interface RedirectSyncResult {
  put: number;
  deleted: number;
  /** Reads of the store (1 without a conflict). */
  attempts: number;
  /** The store's ETag after the sync. */
  etag: string;
  budget: RedirectBudget;
}

/**
 * Makes the store hold this plan's entries under its prefix: read, compute the changes, write them with the
 * ETag read; when another writer got in between (RedirectStoreConflict), read again and recompute, at most
 * `attempts` times in all. A budget refusal comes from the first read, before any write.
 */
export async function syncRedirects(
  store: RedirectStore,
  plan: RedirectPlan,
  options: { nested?: readonly string[]; attempts?: number; input?: string } = {},
): Promise<RedirectSyncResult> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const { etag, entries } = await store.read();
    const changes = planRedirectSync(entries, plan, options);
    if (changes.put.length === 0 && changes.delete.length === 0) {
      return { put: 0, deleted: 0, attempts: attempt, etag, budget: changes.budget };
    }
    try {
      const next = await store.update(etag, changes.put, changes.delete);
      return {
        put: changes.put.length,
        deleted: changes.delete.length,
        attempts: attempt,
        etag: next,
        budget: changes.budget,
      };
    } catch (error) {
      if (!(error instanceof RedirectStoreConflict)) throw error;
      if (attempt >= attempts) {
        throw new Error(
          `the redirect store (input '${options.input ?? REDIRECT_STORE_INPUT}') changed under this deploy ${attempts} times in a row — another deploy or tool is writing it; re-run when it is done (some redirects may already be updated).`,
          { cause: error },
        );
      }
    }
  }
}

// ---- A plain S3 website endpoint ----

/** One object for S3's website endpoint: a key whose `x-amz-website-redirect-location` is `location`. */
export interface WebsiteRedirect {
  /** The object key (no leading `/`, the deploy prefix included; percent-decoded, as S3 keys are). */
  key: string;
  /** A path starting with `/` or an absolute URL. */
  location: string;
  source: string;
  line: number;
}

/**
 * Without a distribution (a bucket served by S3's website endpoint) each exact rule becomes an empty object
 * whose `x-amz-website-redirect-location` is the target. S3 answers those with 301 only and holds one object
 * per path, so splat rules and other statuses are refused, with their lines. A rule on a directory-like path
 * covers both forms, as at the edge: `/old` is the object `old`, and `/old/` the index document the website
 * endpoint serves there, `old/index.html`. A redirect object must not replace a page of the build: a key in
 * `siteKeys` (the build's keys, prefix included) is refused.
 */
export function websiteRedirects(
  plan: RedirectPlan,
  options: { siteKeys?: ReadonlySet<string>; input?: string } = {},
): WebsiteRedirect[] {
  const problems: RedirectProblem[] = [];
  const out = new Map<string, WebsiteRedirect>();
  for (const rule of plan.rules) {
    const problem = (reason: string) =>
      problems.push({ source: rule.source, line: rule.line, text: rule.text, reason });
    if (rule.from.endsWith('/*')) {
      problem(
        'splat rules cannot be served by an S3 website endpoint (one object per path): list the paths, or serve the site through CloudFront',
      );
      continue;
    }
    if (rule.status !== 301) {
      problem('an S3 website endpoint redirects with 301 only: drop the status, or serve the site through CloudFront');
      continue;
    }
    const twin = slashTwin(rule.from);
    const paths = [rule.from, ...(twin === undefined ? [] : [twin])].map((each) => `/${plan.prefix}${each.slice(1)}`);
    const target = plan.exact.get(paths[0]!)!;
    for (const each of paths) {
      const decoded = decodePath(each);
      const key = (decoded.endsWith('/') ? `${decoded}index.html` : decoded).slice(1);
      if (options.siteKeys?.has(key)) {
        problem(`the build has a file at ${key}: S3 holds one object per key, so the page or the redirect must go`);
        continue;
      }
      out.set(key, { key, location: target.to, source: rule.source, line: rule.line });
    }
  }
  if (problems.length > 0) throw new RedirectRulesError(problems, options.input);
  return [...out.values()].sort((a, b) => compareStrings(a.key, b.key));
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
