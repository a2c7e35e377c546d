import { Refusal } from '../shared/errors.js';
import { compareStrings, plural, untrusted } from '../shared/text.js';

// A site's redirects (issue #17), served from the edge. Behind CloudFront with origin access control the
// bucket is read through its REST endpoint, which ignores S3 website redirect rules, so moved pages would
// 404. The rules come from a `_redirects` file (Netlify's format) or an input, are checked here — pure, before
// any write — and become the entries of a CloudFront KeyValueStore that the viewer-request function
// (terraform/functions/viewer-request.js) looks request paths up in. docs/redirects.md has the whole story.
//
// A rule is one line, `from to [status]`, fields separated by whitespace:
//   /old.html        /new.html
//   /docs/v1/*       /docs/v2/:splat   301
//   /blog            https://blog.example.org/   302
// `#` starts a comment line (or ends a rule: the rest of the line is a comment); blank lines are ignored.
// Everything this action cannot do at the edge is refused with its line number and why, never ignored.

/** The redirect statuses the edge answers with. */
export type RedirectStatus = 301 | 302 | 307 | 308;

export const REDIRECT_STATUSES: readonly RedirectStatus[] = [301, 302, 307, 308];

/**
 * The deepest splat rule the edge function looks up: `/a/b/…/*` with at most this many directories, the deploy
 * prefix included. The function walks up the request path from min(depth, this) to the root, one KeyValueStore
 * read per level, so a request costs at most this + 2 reads. Must equal MAX_SPLAT_DEPTH in
 * terraform/functions/viewer-request.js (a test checks).
 */
export const MAX_SPLAT_DEPTH = 10;

/**
 * CloudFront KeyValueStore limits (docs/redirects.md#limits): a key at most 512 bytes, a value at most 1 KB,
 * a store at most 5 MB. The store's size is counted here as the UTF-8 bytes of every key and value; 5 MB is
 * taken as 5,000,000 bytes, the smaller reading, so a plan that passes cannot be refused by the service for size.
 */
export const KVS_LIMITS = { keyBytes: 512, valueBytes: 1024, storeBytes: 5_000_000 } as const;

/** The input that names the store; errors say what to fix there. */
export const REDIRECT_STORE_INPUT = 'redirect-store-arn';

/** Where rules come from: the site's `_redirects` file, or an input. */
export interface RedirectSource {
  /** How messages name it: `_redirects`, or `input 'redirects'`. */
  name: string;
  text: string;
  /** The input that holds the rules, when they come from one (refusals then name it). */
  input?: string;
}

/** One rule as written (percent-encoding normalised), without the deploy prefix. */
export interface RedirectRule {
  source: string;
  line: number;
  /** The line as written. */
  text: string;
  /** A path; a splat rule's ends with `/*`. */
  from: string;
  /** A path starting with `/`, or an absolute http(s) URL; may hold `:splat` when `from` is a splat. */
  to: string;
  status: RedirectStatus;
}

export interface RedirectTarget {
  /** Prefixed when it is a path of the site; absolute URLs as written. */
  to: string;
  status: RedirectStatus;
  source: string;
  line: number;
}

export interface PrefixRedirect extends RedirectTarget {
  /** The directory the splat covers, with the deploy prefix and a trailing `/` (`/pr-42/docs/`). */
  from: string;
}

export interface RedirectPlan {
  /** The deploy prefix the keys carry ('' or `pr-42/`). */
  prefix: string;
  /** Request path → redirect, sorted by path. Both `/a` and `/a/` for a rule on a directory-like path. */
  exact: Map<string, RedirectTarget>;
  /** Splat rules, the longest (most specific) directory first. */
  prefixes: PrefixRedirect[];
  /** The rules as parsed, in source order. */
  rules: RedirectRule[];
}

export interface RedirectProblem {
  source: string;
  line: number;
  /** The line as written (marked untrusted in messages: it comes from the build). */
  text: string;
  reason: string;
}

/** Rules the action refuses; every problem carries its source and line number. Stops before any write. */
export class RedirectRulesError extends Refusal {
  constructor(
    readonly problems: RedirectProblem[],
    input?: string,
  ) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.source} line ${p.line}: ${untrusted(p.text)}: ${p.reason}`);
    const more = problems.length > shown.length ? [`  … and ${problems.length - shown.length} more`] : [];
    super(
      [
        `${plural(problems.length, 'redirect rule')} refused (nothing was deployed; see docs/redirects.md):`,
        ...shown,
        ...more,
      ].join('\n'),
      input,
    );
    this.name = 'RedirectRulesError';
  }
}

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

// ---- Parsing ----

const CONDITION = /^(country|language|role|cookie)=/i;
const STATUS_FIELD = /^[0-9]+!?$/;
const PREVIEW_SPACE = /^\/pr-[0-9]+(\/|$)/;
/** A `:name` placeholder (Netlify's `:slug`), where a path segment or a query value starts. */
const PLACEHOLDER = /(^|[/=&?])(:[A-Za-z_][A-Za-z0-9_]*)/g;
/** Characters a request path carries literally; anything else is percent-encoded (as browsers send it). */
const PATH_CHARACTER = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

class LineProblem extends Error {}

/**
 * Parses rules from the `_redirects` file and/or an input into the plan for a deploy under `prefix`. Every
 * line the edge cannot serve is refused with its line number and the reason (RedirectRulesError, which is a
 * Refusal): other statuses (200 rewrites, 404), `!` force flags, query-parameter, country, language, role or
 * cookie conditions, placeholders other than a trailing `*`, a `*` anywhere but as the last segment of `from`,
 * and a second rule for a path already redirected (the first rule does not silently win: both lines are named).
 */
export function parseRedirects(
  sources: RedirectSource | readonly RedirectSource[],
  options: { prefix?: string } = {},
): RedirectPlan {
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !/^[^/].*\/$/.test(prefix)) {
    throw new Error(`redirect prefix '${prefix}' must be empty or end with '/' (as the deploy prefix does)`);
  }
  const list = Array.isArray(sources) ? (sources as readonly RedirectSource[]) : [sources as RedirectSource];
  const problems: RedirectProblem[] = [];
  const rules: RedirectRule[] = [];
  const seen = new Map<string, RedirectRule>();
  let input: string | undefined;

  for (const source of list) {
    const lines = source.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    lines.forEach((raw, index) => {
      const line = index + 1;
      const text = raw.trim();
      if (text === '' || text.startsWith('#')) return;
      try {
        const rule = parseLine(text, source.name, line, prefix);
        const key = matchKey(rule.from);
        const first = seen.get(key);
        if (first) {
          throw new LineProblem(
            `a second rule for ${first.from === rule.from ? 'the same path' : `${untrusted(first.from)} (with or without the trailing slash, the same path)`}: the first is ${first.source === source.name ? '' : `${first.source} `}line ${first.line}; keep one`,
          );
        }
        seen.set(key, rule);
        rules.push(rule);
      } catch (error) {
        if (!(error instanceof LineProblem)) throw error;
        problems.push({ source: source.name, line, text, reason: error.message });
        input ??= source.input;
      }
    });
  }
  if (problems.length > 0) throw new RedirectRulesError(problems, input);
  return planFromRules(rules, prefix);
}

/** An empty plan under `prefix`: syncing it removes every redirect the prefix owns (a removed preview). */
export function emptyRedirectPlan(prefix = ''): RedirectPlan {
  return { prefix, exact: new Map(), prefixes: [], rules: [] };
}

function parseLine(text: string, source: string, line: number, prefix: string): RedirectRule {
  const fields = text.split(/\s+/);
  const commentAt = fields.findIndex((field) => field.startsWith('#'));
  if (commentAt !== -1) fields.length = commentAt;
  const [rawFrom = '', second, ...rest] = fields;
  if (fields.some((field) => CONTROL.test(field))) throw new LineProblem('control characters are not allowed');
  if (second === undefined) throw new LineProblem('a rule needs a from and a to: `from to [status]`');
  if (second.includes('=') && !second.startsWith('/') && !/^https?:/i.test(second)) {
    throw new LineProblem(
      `query-parameter conditions (${untrusted(second)}) are not supported: the edge matches the path only, and keeps the query string`,
    );
  }
  const from = checkFrom(rawFrom, prefix);
  const splat = from.endsWith('/*');
  const to = checkTo(second, splat);

  let status: RedirectStatus = 301;
  let extra = rest;
  const [statusField] = rest;
  if (statusField !== undefined && STATUS_FIELD.test(statusField)) {
    status = checkStatus(statusField);
    extra = rest.slice(1);
  }
  for (const field of extra) {
    if (CONDITION.test(field)) {
      const kind = field.slice(0, field.indexOf('=')).toLowerCase();
      throw new LineProblem(
        `${kind} conditions (${untrusted(field)}) are not supported: the edge redirects every visitor the same way`,
      );
    }
    throw new LineProblem(`unexpected field ${untrusted(field)} (a rule is \`from to [status]\`)`);
  }
  return { source, line, text, from, to, status };
}

function checkStatus(field: string): RedirectStatus {
  if (field.endsWith('!')) {
    throw new LineProblem(
      `the force flag (${field}) is not supported: at the edge every rule already applies before the site's files are looked at; drop the '!'`,
    );
  }
  const status = Number(field);
  if ((REDIRECT_STATUSES as readonly number[]).includes(status)) return status as RedirectStatus;
  if (status === 200) {
    throw new LineProblem(
      'rewrites and proxies (status 200) are not supported: the edge only redirects (301, 302, 307, 308)',
    );
  }
  if (status === 404) {
    throw new LineProblem(
      "custom 404 rules are not supported: CloudFront already answers a missing page with the site's /404.html",
    );
  }
  throw new LineProblem(`status ${field} is not supported: use 301 (the default), 302, 307 or 308`);
}

function checkFrom(raw: string, prefix: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new LineProblem('a full URL in from (a host rule) is not supported: from is a path starting with /');
  }
  if (!raw.startsWith('/')) throw new LineProblem(`from must be a path starting with / (not ${untrusted(raw)})`);
  if (raw.includes('?')) {
    throw new LineProblem('a query string in from is not supported: the edge matches the path only');
  }
  if (raw.includes('#')) throw new LineProblem('a #fragment in from never reaches the server');
  if (raw.includes('\\')) throw new LineProblem('a backslash in from is not allowed');
  const star = raw.indexOf('*');
  if (star !== -1 && (star !== raw.length - 1 || !raw.endsWith('/*'))) {
    throw new LineProblem(
      'a * is supported only as the whole last segment of from (/docs/*), where it matches everything below',
    );
  }
  const segments = raw.split('/').slice(1);
  if (raw !== '/' && segments.slice(0, -1).some((segment) => segment === '')) {
    throw new LineProblem('an empty path segment (//) in from is not allowed');
  }
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new LineProblem('. and .. segments in from never reach the server (browsers resolve them)');
  }
  const placeholder = segments.find((segment) => segment.startsWith(':'));
  if (placeholder) {
    throw new LineProblem(
      `placeholders (${untrusted(placeholder)}) are not supported: only a trailing * (passed on as :splat) is`,
    );
  }
  if (PREVIEW_SPACE.test(raw)) {
    throw new LineProblem('paths /pr-<number>/… are where pull-request previews live: a rule cannot claim them');
  }
  const from = canonicalPath(raw);
  if (from.endsWith('/*') && depth(`/${prefix}${from.slice(1, -1)}`) > MAX_SPLAT_DEPTH) {
    throw new LineProblem(
      `a splat at most ${MAX_SPLAT_DEPTH} directories deep${prefix ? ` (the prefix ${prefix} included)` : ''} is supported`,
    );
  }
  return from;
}

function checkTo(raw: string, splat: boolean): string {
  let to: string;
  let path: string;
  if (/^https?:\/\//i.test(raw)) {
    const authority = /^https?:\/\/[^/?#]*/i.exec(raw)![0];
    if (authority.includes(':splat')) throw new LineProblem(':splat can only stand in the path of an absolute URL');
    if (/^https?:\/\/$/i.test(authority)) throw new LineProblem(`${untrusted(raw)} has no host`);
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new LineProblem(`${untrusted(raw)} is not a valid URL`);
    }
    if (parsed.hostname === '') throw new LineProblem(`${untrusted(raw)} has no host`);
    to = raw;
    path = raw.slice(authority.length);
  } else if (raw.startsWith('//')) {
    throw new LineProblem('a protocol-relative to (//host) is not allowed: write https://host/…');
  } else if (raw.startsWith('/')) {
    if (raw.includes('\\')) throw new LineProblem('a backslash in to is not allowed');
    const end = raw.search(/[?#]/);
    path = canonicalPath(end === -1 ? raw : raw.slice(0, end));
    to = end === -1 ? path : path + canonicalPath(raw.slice(end), true);
  } else {
    throw new LineProblem(`to must be a path starting with / or an http(s) URL (not ${untrusted(raw)})`);
  }
  for (const match of path.matchAll(PLACEHOLDER)) {
    const name = match[2]!;
    if (name !== ':splat') {
      throw new LineProblem(`placeholders (${name}) are not supported: only :splat, from a trailing * in from`);
    }
    if (!splat) throw new LineProblem(':splat in to needs a from ending in /* (there is nothing to pass on)');
  }
  return to;
}

/**
 * A path as CloudFront hands it to the function: percent-encoded where browsers encode (spaces, non-ASCII,
 * quotes…), `%xx` in upper case; what browsers send literally stays literal. With `queryAndFragment`, the
 * `?query#fragment` part of a target (where `?` and `#` keep their meaning).
 */
function canonicalPath(raw: string, queryAndFragment = false): string {
  if ((queryAndFragment ? /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]*$/ : /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/).test(raw)) {
    return raw;
  }
  let out = '';
  for (let i = 0; i < raw.length;) {
    const char = String.fromCodePoint(raw.codePointAt(i)!);
    if (char === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new LineProblem("a '%' must start a %XX escape");
      out += `%${hex.toUpperCase()}`;
      i += 3;
      continue;
    }
    out +=
      PATH_CHARACTER.test(char) || (queryAndFragment && (char === '?' || char === '#'))
        ? char
        : encodeURIComponent(char);
    i += char.length;
  }
  return out;
}

/** `/a` and `/a/` are one path to a visitor (and to Netlify): a second rule for either is a duplicate. */
function matchKey(from: string): string {
  return from.length > 1 && from.endsWith('/') ? from.slice(0, -1) : from;
}

/**
 * The other form of a path that looks like a directory (no dot in its last segment): `/old` ↔ `/old/`. A rule
 * covers both, so a visitor at `/old/` is not served the index of a directory that moved. None for `/`, `/a.html`.
 */
function slashTwin(path: string): string | undefined {
  if (path === '/') return undefined;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed.slice(trimmed.lastIndexOf('/') + 1).includes('.')) return undefined;
  return path.endsWith('/') ? trimmed : `${path}/`;
}

/** Directories in a path ending with `/`: `/` is 0, `/pr-42/docs/` is 2. */
function depth(directory: string): number {
  return directory.split('/').length - 2;
}

function planFromRules(rules: RedirectRule[], prefix: string): RedirectPlan {
  const withPrefix = (path: string) => `/${prefix}${path.slice(1)}`;
  const exact = new Map<string, RedirectTarget>();
  const prefixes: PrefixRedirect[] = [];
  for (const rule of rules) {
    const target: RedirectTarget = {
      to: rule.to.startsWith('/') ? withPrefix(rule.to) : rule.to,
      status: rule.status,
      source: rule.source,
      line: rule.line,
    };
    if (rule.from.endsWith('/*')) {
      prefixes.push({ from: withPrefix(rule.from.slice(0, -1)), ...target });
      continue;
    }
    const path = withPrefix(rule.from);
    exact.set(path, target);
    const twin = slashTwin(rule.from);
    if (twin !== undefined) exact.set(withPrefix(twin), target);
  }
  const sortedExact = new Map([...exact.entries()].sort(([a], [b]) => compareStrings(a, b)));
  prefixes.sort((a, b) => b.from.length - a.from.length || compareStrings(a.from, b.from));
  return { prefix, exact: sortedExact, prefixes, rules };
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
