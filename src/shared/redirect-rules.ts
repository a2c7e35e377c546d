import { Refusal } from './errors.js';
import { compareStrings, plural, untrusted } from './text.js';

/** The file Netlify (and this action) read redirects from, at the root of the build. */
export const REDIRECTS_FILE = '_redirects';

// A site's redirects (issue #17), served from the edge. Behind CloudFront with origin access control the
// bucket is read through its REST endpoint, which ignores S3 website redirect rules, so moved pages would
// 404. The rules come from a `_redirects` file (Netlify's format) or an input, and are parsed and checked here
// — pure, shared so that the input is refused up front — into the plan that pipeline/redirects.ts turns into
// the entries of a CloudFront KeyValueStore, which the viewer-request function
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

/** The input that names the store; errors say what to fix there. */
export const REDIRECT_STORE_INPUT = 'redirect-store-arn';

/** A CloudFront KeyValueStore ARN, as `redirect-store-arn` takes it. */
export const KEY_VALUE_STORE_ARN = /^arn:aws(-[a-z]+)*:cloudfront::[0-9]{12}:key-value-store\/[A-Za-z0-9-]{1,128}$/;

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
export function slashTwin(path: string): string | undefined {
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
