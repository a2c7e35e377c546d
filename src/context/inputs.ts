import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { parseBuildEnv } from './build-env.js';
import { type SourceBounds, sourceBounds, sourceDirProblem } from '../shared/source-dir.js';
import { GlobError, type PathMatcher, anyMatcher, compileGlob, inputLines } from '../shared/globs.js';
import type { HeaderRule, HeaderRules } from '../pipeline/headers.js';
import { KEY_VALUE_STORE_ARN, REDIRECT_STORE_INPUT, parseRedirects } from '../shared/redirect-rules.js';

/** Every input of action.yml, parsed and validated before anything runs. */
export interface DeployInputs {
  buildCommand: string;
  /** Variables passed to `build-command` although they are withheld by default (build-env.ts). */
  buildEnv: string[];
  /** Absolute. */
  workingDirectory: string;
  /** Absolute; `sourceDirInput` is what the user wrote, for messages. */
  sourceDir: string;
  sourceDirInput: string;
  /** Where `source-dir` may be (source-dir.ts): checked here as written, and after the build on real paths. */
  sourceBounds: SourceBounds;
  bucket: string;
  /** '' or a key prefix ending in '/'. */
  prefix: string;
  region: string;
  endpointUrl?: string;
  forcePathStyle: boolean;
  distributionId?: string;
  deleteRemoved: boolean;
  maxDeletes: number;
  assetGracePeriodMs: number;
  /** How long a deploy's claim on the prefix lasts without a refresh (release.ts). */
  lockTimeoutMs: number;
  /** Refuse to deploy to a store that does not honour conditional writes. */
  requireConditionalWrites: boolean;
  excludePatterns: string[];
  exclude: PathMatcher;
  headerRules: HeaderRules;
  /** Requests in flight: reads always, and writes at the start of their window. */
  concurrency: number;
  /** The most writes in flight (the write window grows to it while throughput grows; write-window.ts). */
  maxConcurrency: number;
  dryRun: boolean;
  waitForInvalidation: boolean;
  /** Deploy pull requests as previews under `pr-<number>/` (see preview.ts). */
  preview: boolean;
  /** Public base URL of the site, without a trailing slash. */
  siteUrl?: string;
  githubToken: string;
  /** '' means the default: `preview` for previews, `production` otherwise. */
  environment: string;
  /** Restore the prefix to an earlier deploy (`previous`, a deploy id, a commit SHA) instead of deploying a build. */
  rollbackTo?: string;
  /** What a broken same-site reference in the build does: refuse the deploy, warn, or nothing (not checked). */
  linkCheck: 'error' | 'warn' | 'off';
  /** The `redirects` input as written (checked here; parsed again with the `_redirects` file and the prefix). */
  redirects: string;
  /** The CloudFront KeyValueStore the edge function reads redirects from. */
  redirectStoreArn?: string;
}

/** Reads one input, as `core.getInput` does ('' when unset). */
export type InputReader = (name: string) => string;

export interface InputSpec {
  name: string;
  /** action.yml's default; '' for an expression such as `${{ github.token }}`, which only the runner evaluates. */
  default: string;
  required: boolean;
  description: string;
}

// The inputs as action.yml declares them — the one list of names and defaults — are ACTION_INPUTS
// (action-inputs.ts, generated from action.yml by tools/action-inputs.mjs when the action is bundled). The runner
// fills defaults from action.yml; a local run (`node dist/index.js` with INPUT_* variables) gets the same ones.

/** A reader that falls back to action.yml's default where the input is empty or unset (as the runner does). */
export function withDefaults(get: InputReader, specs: readonly InputSpec[]): InputReader {
  const defaults = new Map(specs.map((spec) => [spec.name, spec.default]));
  return (name) => {
    if (!defaults.has(name)) throw new Error(`BUG: input '${name}' is not declared in action.yml`);
    const value = get(name);
    return value.trim() === '' ? (defaults.get(name) ?? '') : value;
  };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `INPUT_*` variables that name no input (a typo, or `INPUT_DISTRIBUTION_ID` with an underscore where
 * action.yml has a hyphen): the runner never sets such a variable, so it is a hand-made local run's mistake,
 * and the input it meant would silently take its default. One message each, naming the closest input.
 */
export function unknownInputVariables(env: NodeJS.ProcessEnv, specs: readonly InputSpec[]): string[] {
  const known = new Set(specs.map((spec) => inputVariableName(spec.name)));
  const messages: string[] = [];
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith('INPUT_') || known.has(variable)) continue;
    const given = variable.slice('INPUT_'.length).toLowerCase();
    const closest = specs
      .map((spec) => ({ name: spec.name, distance: editDistance(given.replace(/_/g, '-'), spec.name) }))
      .sort((a, b) => a.distance - b.distance)[0];
    const hint =
      closest && closest.distance <= Math.max(2, Math.floor(closest.name.length / 3))
        ? ` Did you mean ${inputVariableName(closest.name)} (input '${closest.name}')?`
        : '';
    messages.push(`${variable} matches no input of this action and is ignored.${hint}`);
  }
  return messages;
}

/** The variable the runner passes an input in: `INPUT_` + the name upper-cased, hyphens kept. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

const MAX_CONCURRENCY = 256;
/** Where `concurrency: auto` starts: what a fixed default measured best at a 25 ms round trip. */
export const AUTO_CONCURRENCY = 32;

/** `auto`: start at 32 and let the write window grow to 256; a number: that many, never more. */
function parseConcurrency(get: InputReader): { concurrency: number; maxConcurrency: number } {
  const value = get('concurrency').trim();
  if (/^auto$/i.test(value)) return { concurrency: AUTO_CONCURRENCY, maxConcurrency: MAX_CONCURRENCY };
  const concurrency = readPositiveInteger(
    get,
    'concurrency',
    MAX_CONCURRENCY,
    "'auto' lets the writes in flight adapt to the store.",
    "'auto' or a whole number",
  );
  return { concurrency, maxConcurrency: concurrency };
}

function readBoolean(get: InputReader, name: string): boolean {
  const value = get(name).trim();
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(name, `must be true or false, got '${value}'.`);
}

function readPositiveInteger(
  get: InputReader,
  name: string,
  max: number,
  hint: string,
  expected = 'a whole number',
): number {
  const value = get(name).trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    const range = Number.isSafeInteger(max + 1) ? `from 1 to ${max}` : 'of at least 1';
    throw new InputError(name, `must be ${expected} ${range}, got '${value}'. ${hint}`.trim());
  }
  return Number(value);
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_BUCKET_AFFIXES = [
  /^xn--/,
  /^sthree-/,
  /^amzn-s3-demo-/,
  /-s3alias$/,
  /--ol-s3$/,
  /\.mrap$/,
  /--x-s3$/,
  /--table-s3$/,
];

export function parseBucket(value: string): string {
  const bucket = value.trim();
  if (bucket === '') throw new InputError('bucket', 'is required: give the name of the S3 bucket to deploy to.');
  if (/^s3:\/\//i.test(bucket) || bucket.includes('/')) {
    throw new InputError(
      'bucket',
      `give the bucket name only, without 's3://' or a path (got '${bucket}'); use 'prefix' for a folder.`,
    );
  }
  if (
    !BUCKET_NAME.test(bucket) ||
    bucket.includes('..') ||
    bucket.includes('.-') ||
    bucket.includes('-.') ||
    /^\d+\.\d+\.\d+\.\d+$/.test(bucket) ||
    RESERVED_BUCKET_AFFIXES.some((affix) => affix.test(bucket))
  ) {
    throw new InputError(
      'bucket',
      `'${bucket}' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.`,
    );
  }
  return bucket;
}

/** `pr-42` → `pr-42/`; '' stays ''. Refuses what could escape or confuse the key space. */
export function parsePrefix(value: string): string {
  const prefix = value.trim();
  if (prefix === '') return '';
  const fix = "write it like 'previews/pr-42' (relative, no '..', no leading '/').";
  if (prefix.startsWith('/')) throw new InputError('prefix', `must not start with '/' (got '${prefix}'): ${fix}`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f\\]/.test(prefix))
    throw new InputError('prefix', `has a control character or a backslash: ${fix}`);
  const segments = prefix.replace(/\/+$/, '').split('/');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '')) {
    throw new InputError('prefix', `has an empty, '.' or '..' segment (got '${prefix}'): ${fix}`);
  }
  return `${segments.join('/')}/`;
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function parseRegion(value: string, env: NodeJS.ProcessEnv, customEndpoint: boolean): string {
  const region = value.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1';
  const valid = customEndpoint ? /^[a-z0-9][a-z0-9-]*$/.test(region) : AWS_REGION.test(region);
  if (!valid) {
    const source = value.trim() ? "Input 'region'" : 'AWS_REGION / AWS_DEFAULT_REGION';
    throw new InputError(
      'region',
      `'${region}' (from ${source}) is not an AWS region name such as 'us-east-1' or 'eu-west-3': give the bucket's region.`,
    );
  }
  return region;
}

/**
 * The text with any `user:password@` part of a URL hidden, for messages. A password may hold `/`, `?`, `#`
 * or `@` (escaped or not), which end the authority for a URL parser: everything from `://` to the last `@`
 * goes, which can hide more than the credentials but never less.
 */
export function redactUserInfo(text: string): string {
  return text.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)@/s, '$1***@');
}

/** The credential parts of a URL input, raw and percent-decoded: what the runner must mask. */
export function urlSecrets(text: string): string[] {
  const match = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/(.*)@/s.exec(text);
  if (!match) return [];
  const userinfo = match[1]!;
  const colon = userinfo.indexOf(':');
  const parts = [userinfo, colon >= 0 ? userinfo.slice(colon + 1) : ''];
  const decoded = parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return [...new Set([...parts, ...decoded])].filter((secret) => secret.length >= 3);
}

/** An http(s) URL input, or undefined when empty. Messages never show a `user:password@` part. */
function parseHttpUrl(input: string, value: string, example: string): { text: string; url: URL } | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const shown = redactUserInfo(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(input, `'${shown}' is not a URL: write it like ${example}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(input, `must be an http:// or https:// URL, got '${shown}'.`);
  }
  return { text: text.replace(/\/+$/, ''), url };
}

export function parseEndpoint(value: string): string | undefined {
  const parsed = parseHttpUrl('endpoint-url', value, "'https://s3.example.com' or 'http://127.0.0.1:9000'");
  if (parsed && (parsed.url.username || parsed.url.password)) {
    throw new InputError(
      'endpoint-url',
      'must not carry credentials: pass them as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY instead.',
    );
  }
  return parsed?.text;
}

export function parseSiteUrl(value: string): string | undefined {
  const parsed = parseHttpUrl(
    'site-url',
    value,
    "the site's public address, 'https://d111111abcdef8.cloudfront.net' or 'https://parl.ai'",
  );
  if (parsed && (parsed.url.search || parsed.url.hash))
    throw new InputError('site-url', 'must be a base URL without a query string or fragment.');
  return parsed?.text;
}

export function parseEnvironment(value: string): string {
  const environment = value.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (environment.length > 255 || /[\u0000-\u001f\u007f]/.test(environment)) {
    throw new InputError(
      'environment',
      "must be a GitHub environment name of at most 255 printable characters, like 'production'.",
    );
  }
  return environment;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A whole number with a unit — `30s`, `15m`, `12h`, `7d` — in milliseconds; NaN for anything else. */
export function durationMs(value: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : NaN;
}

/** `0`, or a whole number with a unit: `30s`, `15m`, `12h`, `7d`. */
export function parseGracePeriod(value: string): number {
  const text = value.trim();
  const ms = text === '0' ? 0 : durationMs(text);
  if (Number.isNaN(ms)) {
    throw new InputError(
      'asset-grace-period',
      `'${text}' is not a duration: write a whole number with a unit (s, m, h, d), like '7d' or '12h', or '0' to delete at once.`,
    );
  }
  return ms;
}

/** How long a claim on a prefix lasts without a refresh: `30s` to `24h`. */
export function parseLockTimeout(value: string): number {
  const text = value.trim();
  const ms = durationMs(text);
  if (!(ms >= 30_000 && ms <= 86_400_000)) {
    throw new InputError(
      'lock-timeout',
      `'${text}' is not a duration from 30s to 24h: write a whole number with a unit (s, m, h), like '10m'.`,
    );
  }
  return ms;
}

export function parseDistributionId(value: string): string | undefined {
  const id = value.trim();
  if (id === '') return undefined;
  if (!/^[A-Z0-9]{6,32}$/.test(id)) {
    throw new InputError(
      'distribution-id',
      `'${id}' is not a CloudFront distribution ID (upper-case letters and digits, like 'E2QWRUHAPOMQZL'): copy it from the CloudFront console or the infra action's 'distribution-id' output.`,
    );
  }
  return id;
}

export function parseGlobs(name: string, text: string): { patterns: string[]; matcher: PathMatcher } {
  const patterns = inputLines(text);
  const matchers = patterns.map((pattern) => {
    try {
      return compileGlob(pattern);
    } catch (error) {
      if (error instanceof GlobError) throw new InputError(name, `bad glob ${error.message}`);
      throw error;
    }
  });
  return { patterns, matcher: anyMatcher(matchers) };
}

const HEADER_VALUE = /^[\x20-\x7e]+$/;
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

/** `GLOB: VALUE` lines, first match wins. */
export function parseHeaderRules(name: 'cache-control' | 'content-type', text: string): HeaderRule[] {
  return inputLines(text).map((line) => {
    const colon = line.indexOf(':');
    const pattern = colon < 0 ? '' : line.slice(0, colon).trim();
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    const example = name === 'cache-control' ? "'*.pdf: public, max-age=86400'" : "'*.wasm: application/wasm'";
    if (pattern === '' || value === '') {
      throw new InputError(name, `line '${line}' is not 'GLOB: VALUE': write one rule per line, like ${example}.`);
    }
    if (!HEADER_VALUE.test(value)) {
      throw new InputError(
        name,
        `the value in '${line}' has characters a header cannot carry: use printable ASCII only.`,
      );
    }
    if (name === 'content-type' && !MEDIA_TYPE.test(value)) {
      throw new InputError(name, `'${value}' in '${line}' is not a media type like 'text/html; charset=utf-8'.`);
    }
    try {
      return { pattern, matches: compileGlob(pattern), value };
    } catch (error) {
      if (error instanceof GlobError) throw new InputError(name, `bad glob ${error.message}`);
      throw error;
    }
  });
}

export function parseLinkCheck(value: string): DeployInputs['linkCheck'] {
  const mode = value.trim().toLowerCase();
  if (mode === 'error' || mode === 'warn' || mode === 'off') return mode;
  throw new InputError(
    'link-check',
    `must be 'error' (refuse a build with a broken link), 'warn' (report them) or 'off', got '${value.trim()}'.`,
  );
}

/** The `redirects` input, refused here with its line numbers when a rule cannot be served. */
export function parseRedirectsInput(value: string): string {
  if (value.trim() === '') return '';
  parseRedirects({ name: "input 'redirects'", text: value, input: 'redirects' });
  return value;
}

export function parseRedirectStoreArn(value: string): string | undefined {
  const arn = value.trim();
  if (arn === '') return undefined;
  if (!KEY_VALUE_STORE_ARN.test(arn)) {
    throw new InputError(
      REDIRECT_STORE_INPUT,
      `'${arn}' is not a CloudFront KeyValueStore ARN (arn:aws:cloudfront::<account>:key-value-store/<id>): use the Terraform output key_value_store_arn (preview_key_value_store_arn for previews).`,
    );
  }
  return arn;
}

/** `previous`, a deploy id (the `deploy-id` output), or a commit SHA; undefined when empty. */
export function parseRollbackTo(value: string): string | undefined {
  const wanted = value.trim();
  if (wanted === '') return undefined;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(wanted)) {
    throw new InputError(
      'rollback-to',
      `'${wanted}' is not 'previous', a deploy id (like '20261202T051500Z-3f2a9c1', the deploy-id output) or a commit SHA.`,
    );
  }
  return wanted;
}

/** Every input, parsed and validated before anything runs. `get` already falls back to action.yml's defaults. */
export function readInputs(
  get: InputReader,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): DeployInputs {
  const workingDirectory = path.resolve(cwd, get('working-directory').trim() || '.');
  const rollbackTo = parseRollbackTo(get('rollback-to'));
  const sourceDirInput = get('source-dir').trim();
  if (sourceDirInput === '' && !rollbackTo) {
    throw new InputError(
      'source-dir',
      "is required: give the directory the build writes the site to, like 'website/build' (only a rollback, 'rollback-to', needs none).",
    );
  }
  if (sourceDirInput !== '' && rollbackTo) {
    throw new InputError(
      'rollback-to',
      "restores an earlier deploy from the bucket, with no build: leave 'source-dir' (and 'build-command') empty when it is set.",
    );
  }
  const sourceDir = sourceDirInput === '' ? '' : path.resolve(workingDirectory, sourceDirInput);
  const bounds = sourceBounds(env, cwd, readBoolean(get, 'allow-source-outside-workspace'));
  const problem = sourceDir === '' ? undefined : sourceDirProblem(sourceDir, sourceDirInput, bounds);
  if (problem) throw problem;
  const endpointUrl = parseEndpoint(get('endpoint-url'));
  const { patterns: excludePatterns, matcher: exclude } = parseGlobs('exclude', get('exclude'));
  return {
    buildCommand: get('build-command').trim(),
    buildEnv: parseBuildEnv(get('build-env')),
    workingDirectory,
    sourceDir,
    sourceDirInput,
    sourceBounds: bounds,
    bucket: parseBucket(get('bucket')),
    prefix: parsePrefix(get('prefix')),
    region: parseRegion(get('region'), env, endpointUrl !== undefined),
    endpointUrl,
    forcePathStyle: readBoolean(get, 'force-path-style'),
    distributionId: parseDistributionId(get('distribution-id')),
    deleteRemoved: readBoolean(get, 'delete'),
    assetGracePeriodMs: parseGracePeriod(get('asset-grace-period')),
    lockTimeoutMs: parseLockTimeout(get('lock-timeout')),
    requireConditionalWrites: readBoolean(get, 'require-conditional-writes'),
    maxDeletes: readPositiveInteger(
      get,
      'max-deletes',
      Number.MAX_SAFE_INTEGER,
      "To deploy without deleting anything, set 'delete: false'.",
    ),
    excludePatterns,
    exclude,
    headerRules: {
      cacheControl: parseHeaderRules('cache-control', get('cache-control')),
      contentType: parseHeaderRules('content-type', get('content-type')),
    },
    ...parseConcurrency(get),
    dryRun: readBoolean(get, 'dry-run'),
    waitForInvalidation: readBoolean(get, 'wait-for-invalidation'),
    preview: readBoolean(get, 'preview'),
    siteUrl: parseSiteUrl(get('site-url')),
    githubToken: get('github-token').trim(),
    environment: parseEnvironment(get('environment')),
    rollbackTo,
    linkCheck: parseLinkCheck(get('link-check')),
    redirects: parseRedirectsInput(get('redirects')),
    redirectStoreArn: parseRedirectStoreArn(get(REDIRECT_STORE_INPUT)),
  };
}
