import mime from 'mime-types';
import { readFileSync } from 'node:fs';
import { compareStrings as compare } from '../shared/text.js';
import { type HeaderRules, type ObjectHeaders, baseType, headerChoice, isHtml } from './headers.js';
import { REDIRECTS_FILE } from '../shared/redirect-rules.js';
import { type RawReference, readPage, scanCss, scanHtml } from './site-check/extract.js';
import {
  type Redirect,
  documentBase,
  fileUrl,
  fragmentFound,
  fragmentOf,
  redirectMatcher,
  referenceResolver,
  siteSpace,
  type Target,
} from './site-check/resolve.js';

export type { Redirect } from './site-check/resolve.js';

// Checks a build before it ships: every page's and stylesheet's references to the site itself must reach
// something the deploy serves — a file of the build, an object kept in the bucket (`exclude`), or a redirect —
// and `page.html#part` must name an element of that page. Pure except for reading the build's files.

/** A file of the build, with the Content-Type the deploy gives it. */
export interface SiteFile {
  /** POSIX path relative to `source-dir`: the key without the prefix. */
  relativePath: string;
  absolutePath: string;
  contentType: string;
  /** True when a `content-type` rule set the type (an `application/octet-stream` by choice is not warned of). */
  typeFromRule?: boolean;
}

export interface SiteCheckInput {
  files: readonly SiteFile[];
  /** The deploy prefix: '' or `dir/` (ending with `/`). */
  prefix: string;
  /**
   * The site's public base URL, which serves the bucket's root (`https://parl.ai`, `https://example.com/sub`):
   * absolute URLs to its origin (http or https, with or without `www.`) are checked like relative ones.
   */
  siteUrl?: string;
  /** Keys (relative to the prefix) that stay in the bucket although not in the build: objects `exclude` keeps. */
  keptKeys?: Iterable<string>;
  /**
   * Redirects the site answers with: a path they answer counts as existing; the target of one with a `source`
   * and `line` (a parsed rule) is checked like a link.
   */
  redirects?: ReadonlyArray<Redirect & { source?: string; line?: number }>;
  /** Check that `page.html#part` names an element of the page (default true). */
  checkFragments?: boolean;
}

/**
 * - `missing`: nothing serves the target key;
 * - `fragment`: the page exists but has no element with that id (nor `<a name>`);
 * - `outside-prefix`: a same-site URL outside this deploy (a root-absolute link in a preview under `pr-42/`),
 *   which this check cannot see — a warning, not an error;
 * - `bad-url`: the reference does not parse as a URL, or its path has an invalid percent-escape.
 */
export type BrokenKind = 'missing' | 'fragment' | 'outside-prefix' | 'bad-url';

export interface Referrer {
  /** The referring file, relative to `source-dir`. */
  file: string;
  /** 1-based. */
  line: number;
  /** The reference as written (entities decoded). */
  reference: string;
  /**
   * Set when the reference is a redirect's target: the rule's source (`_redirects`, a file of the build, or
   * `input 'redirects'`, which is not a file).
   */
  redirect?: { input: boolean };
}

export interface BrokenTarget {
  /**
   * `missing`: the key relative to the prefix (`static/css/a.css`, `docs/index.html` for `/docs/`);
   * `fragment`: `key#fragment`; `outside-prefix`: the decoded URL path (`/css/a.css`); `bad-url`: the
   * reference as written.
   */
  target: string;
  kind: BrokenKind;
  /** Sorted by file, then line. */
  referrers: Referrer[];
  /** Why a target that looks present is not served (how the CDN maps paths without a dot). */
  note?: string;
}

export interface SiteCheckResult {
  /** HTML files read. */
  pages: number;
  /** References checked: those to the site itself (external URLs, `mailto:`, `data:`… are not counted). */
  references: number;
  /** Sorted by target, then kind. */
  broken: BrokenTarget[];
  /**
   * Files served as `application/octet-stream` because their extension is unknown (not `.bin`, whose type
   * that is, nor a file a `content-type` rule gave it), sorted.
   */
  octetStream: string[];
}

/** The input's files from the scan's, with the headers the deploy gives them. */
export function siteFiles(
  files: ReadonlyArray<{ relativePath: string; absolutePath: string }>,
  rules: HeaderRules,
): SiteFile[] {
  return files.map((file) => new CheckedFile(file, headerChoice(file.relativePath, rules)));
}

/** The same, from files whose headers were chosen already (the deploy's): no second `headerChoice` per file. */
export function siteFilesOf(
  files: ReadonlyArray<{ relativePath: string; absolutePath: string; headers: ObjectHeaders; rule?: string }>,
): SiteFile[] {
  return files.map((file) => new CheckedFile(file, file));
}

/**
 * A file as the check sees it. Its absolute path is the source file's, asked for only when the file is read
 * (pages and stylesheets): copied for every file, a million-file build would make a million paths.
 */
class CheckedFile implements SiteFile {
  readonly relativePath: string;
  readonly contentType: string;
  readonly typeFromRule: boolean;

  constructor(
    private readonly source: { relativePath: string; absolutePath: string },
    choice: { headers: ObjectHeaders; rule?: string },
  ) {
    this.relativePath = source.relativePath;
    this.contentType = choice.headers.contentType;
    this.typeFromRule = choice.rule?.startsWith("content-type '") === true;
  }

  get absolutePath(): string {
    return this.source.absolutePath;
  }
}

interface Scanned {
  file: string;
  references: RawReference[];
  base: URL;
}

/**
 * Checks every reference of the build's pages (`text/html`, `application/xhtml+xml`) and stylesheets
 * (`text/css`) to the site itself. Each file is read once, synchronously; nothing else is touched. Throws only
 * when a page or stylesheet cannot be read (the scan has read every file already).
 */
export function checkSite(input: SiteCheckInput): SiteCheckResult {
  const steps = checking(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same check, giving the event loop a turn every `sliceMs` of reading pages, so that requests in flight
 * (the deploy's probe of the store) are sent and answered while it runs.
 */
export async function checkSiteInSlices(input: SiteCheckInput, sliceMs = 5): Promise<SiteCheckResult> {
  const steps = checking(input);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The check as steps: it yields after each page or stylesheet read. */
function* checking(input: SiteCheckInput): Generator<void, SiteCheckResult> {
  const space = siteSpace(input.prefix, input.siteUrl);
  const checkFragments = input.checkFragments ?? true;
  const served = new Set(input.files.map((file) => file.relativePath));
  const kept = new Set(input.keptKeys ?? []);
  const redirected = redirectMatcher(input.redirects ?? []);
  const idsByPage = new Map<string, Set<string>>();
  const scanned: Scanned[] = [];
  const octetStream: string[] = [];

  // One read and one parse per file: references and fragment targets together.
  for (const file of input.files) {
    const type = baseType(file.contentType);
    if (type === 'application/octet-stream' && !file.typeFromRule && mime.lookup(file.relativePath) === false) {
      octetStream.push(file.relativePath);
    }
    const html = isHtml(file.contentType);
    if (!html && type !== 'text/css') continue;
    const url = fileUrl(space, file.relativePath);
    if (html) {
      const page = scanHtml(readPage(file.absolutePath), { xhtml: type === 'application/xhtml+xml', utf8Bytes: true });
      idsByPage.set(file.relativePath, page.ids);
      scanned.push({ file: file.relativePath, references: page.references, base: documentBase(url, page.base) });
    } else {
      scanned.push({
        file: file.relativePath,
        references: scanCss(readFileSync(file.absolutePath, 'utf8')),
        base: url,
      });
    }
    yield;
  }

  const broken = new Map<string, BrokenTarget>();
  const report = (kind: BrokenKind, target: string, referrer: Referrer, note?: string): void => {
    const id = `${kind}\n${target}`;
    let entry = broken.get(id);
    if (!entry) {
      entry = note === undefined ? { target, kind, referrers: [] } : { target, kind, referrers: [], note };
      broken.set(id, entry);
    } else if (note !== undefined && entry.note === undefined) {
      entry.note = note;
    }
    entry.referrers.push(referrer);
  };
  const exists = (key: string): boolean => served.has(key) || kept.has(key);
  const resolver = referenceResolver(space);

  let references = 0;
  for (const { file, references: found, base } of scanned) {
    const resolve = resolver(base);
    for (const { url, line } of found) {
      const resolved = resolve(url);
      if (resolved.type === 'skip') continue;
      references += 1;
      if (resolved.type === 'bad-url') {
        report('bad-url', url, { file, line, reference: url });
      } else if (resolved.type === 'outside') {
        report('outside-prefix', resolved.path, { file, line, reference: url });
      } else {
        checkInside(resolved, url, { file, line, reference: url });
      }
    }
  }
  function checkInside(resolved: Extract<Target, { type: 'inside' }>, url: string, referrer: Referrer): void {
    if (!exists(resolved.key) && !redirected(resolved.path, resolved.key)) {
      const note = missingNote(resolved.path, resolved.key, resolved.viaSlash, served);
      report('missing', resolved.key, referrer, note);
    } else if (checkFragments) {
      // Only pages of this build can be looked into; a kept object or a redirect is taken on trust.
      const ids = idsByPage.get(resolved.key);
      if (ids === undefined) return;
      const fragment = fragmentOf(url);
      if (!fragmentFound(ids, fragment)) report('fragment', `${resolved.key}#${fragmentText(fragment)}`, referrer);
    }
  }

  // A redirect to a page of this site that nothing serves sends its visitors to a 404, like a broken link. Its
  // target is relative to the deploy root (the deploy prefixes it), so it is resolved as `./to` from there; a
  // splat target depends on the request and an absolute URL is another site's business.
  const fromRoot = resolver(fileUrl(space, ''));
  for (const redirect of input.redirects ?? []) {
    const { to, source, line } = redirect;
    if (source === undefined || line === undefined || to.includes(':splat')) continue;
    if (!to.startsWith('/') || to.startsWith('//')) continue;
    const resolved = fromRoot(`.${to}`);
    if (resolved.type !== 'inside') continue;
    references += 1;
    const via = { input: source !== REDIRECTS_FILE };
    checkInside(resolved, `.${to}`, { file: source, line, reference: to, redirect: via });
  }

  const sorted = [...broken.values()].sort((a, b) => compare(a.target, b.target) || compare(a.kind, b.kind));
  for (const entry of sorted) entry.referrers = sortReferrers(entry.referrers);
  return {
    pages: idsByPage.size,
    references,
    broken: sorted,
    octetStream: octetStream.sort(compare),
  };
}

function fragmentText(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Referrers by file, line and reference, each once. */
function sortReferrers(referrers: Referrer[]): Referrer[] {
  const seen = new Set<string>();
  return referrers
    .filter((referrer) => {
      const id = `${referrer.file}\n${referrer.line}\n${referrer.reference}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.reference, b.reference));
}

/** Why a target the build seems to hold is not served, when that is the case. */
function missingNote(path: string, key: string, viaSlash: boolean, served: ReadonlySet<string>): string | undefined {
  const relative = path.slice(1);
  if (viaSlash && served.has(relative)) {
    return `the build has '${relative}', but the CDN redirects a path whose last segment has no '.' to '${relative}/' and serves '${key}': give the file an extension`;
  }
  if (!viaSlash && !key.endsWith('index.html') && served.has(`${key}/index.html`)) {
    return `'${key}/index.html' exists, but the CDN serves '${key}' (its last segment has a '.') as a file: link to '${key}/'`;
  }
  return undefined;
}

export {
  type SiteCheckAnnotation,
  SITE_CHECK_KIND_LABELS,
  describeBroken,
  siteCheckAnnotations,
  siteCheckCounts,
  siteCheckLines,
  typeRuleExample,
} from './site-check/describe.js';
