import mime from 'mime-types';
import type { PathMatcher } from '../shared/globs.js';

/** The two headers this action owns on every object it writes. */
export interface ObjectHeaders {
  contentType: string;
  cacheControl: string;
}

/** One `GLOB: VALUE` line of the `cache-control` or `content-type` input. */
export interface HeaderRule {
  pattern: string;
  matches: PathMatcher;
  value: string;
}

export interface HeaderRules {
  cacheControl: HeaderRule[];
  contentType: HeaderRule[];
}

/** Pages and other documents people navigate to: always revalidated, so a deploy shows at once. */
export const CACHE_REVALIDATE = 'public, max-age=0, must-revalidate';
/** Fingerprinted assets never change under their name. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Everything else (images, un-fingerprinted CSS/JS, downloads): one hour. CloudFront edges are invalidated
 * on change by this action, so only a browser that fetched the old file in the last hour can show it.
 */
export const CACHE_DEFAULT = 'public, max-age=3600';

const FALLBACK_TYPE = 'application/octet-stream';

/** Types mime-db lacks that static sites ship (ParlAI's website has .jsonl data files). */
const EXTRA_TYPES: Record<string, string> = {
  jsonl: 'application/jsonl',
  ndjson: 'application/x-ndjson',
};

const NAVIGABLE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'application/xml',
  'text/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/manifest+json',
]);

const TEXTUAL_APPLICATION_TYPES = new Set([
  'application/javascript',
  'application/json',
  'application/jsonl',
  'application/x-ndjson',
  'application/xml',
  'application/x-sh',
]);

/** `app.3f2a9c1b7d.js`, `main-9f86d081.css`, `chunk_1e4a7bc2.mjs`: 8+ hex digits as their own name segment. */
const FINGERPRINT = /(?:^|[.\-_~])([0-9a-f]{8,}|[0-9A-F]{8,})(?=[.\-_~])/g;

/**
 * True when the file name carries a content hash. The hex run must mix digits and letters so that dates and
 * build numbers (`report-20240131.pdf`) are not taken for hashes and made immutable by mistake; a hash that
 * happens to be all digits only loses the long cache lifetime, which is the safe side.
 */
export function isFingerprinted(relativePath: string): boolean {
  const start = relativePath.lastIndexOf('/') + 1;
  if (!hasHexRun(relativePath, start)) return false; // most names: no regex, no allocation
  const name = relativePath.slice(start);
  for (const [, hex = ''] of name.matchAll(FINGERPRINT)) {
    if (/[0-9]/.test(hex) && /[a-f]/i.test(hex)) return true;
  }
  return false;
}

/** Whether `text` from `start` has 8 hex digits in a row: what any fingerprint has. */
function hasHexRun(text: string, start: number): boolean {
  let run = 0;
  for (let index = start; index < text.length; index += 1) {
    const code = text.charCodeAt(index) | 0x20; // A-F as a-f
    run = (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) ? run + 1 : 0;
    if (run === 8) return true;
  }
  return false;
}

/** The media types of the Content-Types seen (a site has a few dozen): a million files parse none twice. */
const baseTypes = new Map<string, string>();

/** The media type without parameters, lower-cased. */
export function baseType(contentType: string): string {
  let type = baseTypes.get(contentType);
  if (type === undefined) {
    if (baseTypes.size >= 1000) baseTypes.clear();
    type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
    baseTypes.set(contentType, type);
  }
  return type;
}

function isTextual(type: string): boolean {
  return (
    type.startsWith('text/') ||
    type.endsWith('+xml') ||
    type.endsWith('+json') ||
    TEXTUAL_APPLICATION_TYPES.has(type) ||
    mime.charset(type) === 'UTF-8'
  );
}

export function isNavigable(contentType: string): boolean {
  return NAVIGABLE_TYPES.has(baseType(contentType));
}

export function isHtml(contentType: string): boolean {
  const type = baseType(contentType);
  return type === 'text/html' || type === 'application/xhtml+xml';
}

// Sites have tens of thousands of files but a few dozen distinct headers: one string (and one headers
// object) per distinct value keeps a large deploy's memory flat.
const contentTypeByExtension = new Map<string, string>();
const sharedHeaders = new Map<string, ObjectHeaders>();

/** Content-Type from the file name alone: textual types carry `; charset=utf-8`. */
export function defaultContentType(relativePath: string): string {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  let contentType = contentTypeByExtension.get(extension);
  if (contentType === undefined) {
    const type = mime.lookup(relativePath) || EXTRA_TYPES[extension] || FALLBACK_TYPE;
    contentType = isTextual(type) ? `${type}; charset=utf-8` : type;
    contentTypeByExtension.set(extension, contentType);
  }
  return contentType;
}

/** A built-in Cache-Control default, with the label the plan and the summary show for it. */
interface CacheDefault {
  label: string;
  value: string;
}

/** The labels of the built-in defaults, as the plan and the job summary name them. */
export const DEFAULT_RULES = {
  page: 'default: HTML page',
  document: 'default: XML or feed',
  fingerprinted: 'default: fingerprinted asset',
  other: 'default: other',
} as const;

const PAGE: CacheDefault = { label: DEFAULT_RULES.page, value: CACHE_REVALIDATE };
const DOCUMENT: CacheDefault = { label: DEFAULT_RULES.document, value: CACHE_REVALIDATE };
const FINGERPRINTED: CacheDefault = { label: DEFAULT_RULES.fingerprinted, value: CACHE_IMMUTABLE };
const OTHER: CacheDefault = { label: DEFAULT_RULES.other, value: CACHE_DEFAULT };

function cacheDefault(relativePath: string, contentType: string): CacheDefault {
  if (isNavigable(contentType)) return isHtml(contentType) ? PAGE : DOCUMENT;
  if (isFingerprinted(relativePath)) return FINGERPRINTED;
  return OTHER;
}

export function defaultCacheControl(relativePath: string, contentType: string): string {
  return cacheDefault(relativePath, contentType).value;
}

/** The headers a file gets and the rule that gave them (one shared object per distinct pair). */
export interface HeaderChoice {
  headers: ObjectHeaders;
  /**
   * Which rule produced them: `cache-control 'GLOB'` for a user rule, else the default's label
   * ({@link DEFAULT_RULES}), prefixed with `content-type 'GLOB' + ` when a user content-type rule set the type.
   */
  rule: string;
}

// Labels of user rules, made once per rule (the rules live for the whole run).
const ruleLabels = new WeakMap<HeaderRule, string>();

function ruleLabel(input: 'cache-control' | 'content-type', rule: HeaderRule): string {
  let label = ruleLabels.get(rule);
  if (label === undefined) {
    label = `${input} '${rule.pattern}'`;
    ruleLabels.set(rule, label);
  }
  return label;
}

const sharedChoices = new Map<string, Map<string, Map<string, HeaderChoice>>>();

/**
 * The headers a file gets — the user's rules first (first match wins), then the defaults above — and the rule
 * that produced them. Called once per file (50,000 on a large site): no allocation for a pair already seen.
 */
export function headerChoice(relativePath: string, rules: HeaderRules): HeaderChoice {
  const typeRule = rules.contentType.length > 0 ? firstMatch(rules.contentType, relativePath) : undefined;
  const contentType = typeRule?.value ?? defaultContentType(relativePath);
  const cacheRule = rules.cacheControl.length > 0 ? firstMatch(rules.cacheControl, relativePath) : undefined;
  let cacheControl: string;
  let rule: string;
  if (cacheRule) {
    cacheControl = cacheRule.value;
    rule = ruleLabel('cache-control', cacheRule);
  } else {
    const fallback = cacheDefault(relativePath, contentType);
    cacheControl = fallback.value;
    rule = fallback.label;
  }
  if (typeRule) rule = combinedLabel(ruleLabel('content-type', typeRule), rule);
  // Nested maps of strings that are already shared (labels, types, values), so a file whose choice was
  // seen before allocates nothing, not even a lookup key.
  let byType = sharedChoices.get(rule);
  if (!byType) sharedChoices.set(rule, (byType = new Map()));
  let byCache = byType.get(contentType);
  if (!byCache) byType.set(contentType, (byCache = new Map()));
  let choice = byCache.get(cacheControl);
  if (!choice) {
    const pair = `${contentType}\n${cacheControl}`;
    let headers = sharedHeaders.get(pair);
    if (!headers) {
      headers = Object.freeze({ contentType, cacheControl });
      sharedHeaders.set(pair, headers);
    }
    choice = Object.freeze({ headers, rule });
    byCache.set(cacheControl, choice);
  }
  return choice;
}

const combinedLabels = new Map<string, Map<string, string>>();

/** `content-type 'GLOB' + <cache rule>`, one string per pair. */
function combinedLabel(typeLabel: string, cacheLabel: string): string {
  let byCache = combinedLabels.get(typeLabel);
  if (!byCache) combinedLabels.set(typeLabel, (byCache = new Map()));
  let label = byCache.get(cacheLabel);
  if (label === undefined) byCache.set(cacheLabel, (label = `${typeLabel} + ${cacheLabel}`));
  return label;
}

function firstMatch(rules: HeaderRule[], relativePath: string): HeaderRule | undefined {
  return rules.find((rule) => rule.matches(relativePath));
}

/** The headers a file gets: the user's rules first (first match wins), then the defaults above. */
export function headersFor(relativePath: string, rules: HeaderRules): ObjectHeaders {
  return headerChoice(relativePath, rules).headers;
}

export function sameHeaders(a: ObjectHeaders, b: ObjectHeaders): boolean {
  return a.contentType === b.contentType && a.cacheControl === b.cacheControl;
}
