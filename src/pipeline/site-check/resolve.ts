// Where a reference leads, as the site's CDN answers it (terraform/functions/viewer-request.js in front of the
// bucket): URLs are resolved with the WHATWG URL parser, as a browser does, against the address the page is
// served at; then the path is mapped to a bucket key the way the viewer-request function and S3 do.

/** The URL space a deploy is served in. */
export interface SiteSpace {
  /** Host (with port, if any) of `siteUrl`; a made-up one without `siteUrl`, which no real link names. */
  host: string;
  /** The deploy's root as a URL, ending with `/`: `siteUrl`'s path, then the prefix. */
  root: URL;
  /** The same root path, percent-decoded: `/`, `/pr-42/`, `/sub/docs/`. */
  rootPath: string;
}

/** Without `siteUrl` the site is taken to be served at the root of its own origin. */
const UNNAMED_ORIGIN = 'https://deploy.invalid';

/**
 * The URL space of a deploy under `prefix` ('' or `dir/`, relative to the bucket root) for a site whose bucket
 * root is served at `siteUrl` (`https://parl.ai`, `https://example.com/sub`): as the action's `url` output
 * says, the deploy's pages are at `siteUrl` + `/` + prefix.
 */
export function siteSpace(prefix: string, siteUrl?: string): SiteSpace {
  const site = new URL(siteUrl && siteUrl.trim() !== '' ? siteUrl.trim() : UNNAMED_ORIGIN);
  site.search = '';
  site.hash = '';
  if (!site.pathname.endsWith('/')) site.pathname += '/';
  const root = new URL(encodePath(prefix), site);
  return { host: site.host.toLowerCase(), root, rootPath: decodeURIComponent(root.pathname) };
}

/** A relative path, each segment percent-encoded (`my file.html` → `my%20file.html`). */
export function encodePath(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/** The URL a build file is served at (its directory is what its relative references resolve against). */
export function fileUrl(space: SiteSpace, relativePath: string): URL {
  return new URL(encodePath(relativePath), space.root);
}

/** Where a reference leads, without its fragment. */
export type Target =
  /** Not the site's business: another origin, `mailto:`, `data:`, an empty href, `#` alone. */
  | { type: 'skip' }
  /** A URL no browser can follow: it does not parse, or its path has an invalid percent-escape. */
  | { type: 'bad-url' }
  /** Same site, but outside this deploy's root (a root-absolute link in a preview): `path` is decoded. */
  | { type: 'outside'; path: string }
  | {
      type: 'inside';
      /** The requested path relative to the deploy root, decoded, with its leading `/` (`/docs`, `/a b.html`). */
      path: string;
      /** The key (relative to the prefix) the CDN answers it from: `docs/index.html`, `a b.html`. */
      key: string;
      /** True when the CDN gets there through its `/dir` → `/dir/` redirect (no `.` in the last segment). */
      viaSlash: boolean;
    };

const SKIP: Target = { type: 'skip' };
const BAD: Target = { type: 'bad-url' };

function isSameSite(space: SiteSpace, url: URL): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  // The CDN redirects http:// to https:// and www.<host> to <host>: both reach the same objects.
  const host = url.host.toLowerCase();
  return host === space.host || host === `www.${space.host}`;
}

/** `decodeURIComponent`, or undefined for an invalid escape (`%zz`, `%E0%A4`: S3 refuses such a key). */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The bucket key (relative to the deploy root) the CDN serves for a decoded relative path. */
function keyFor(relative: string): { key: string; viaSlash: boolean } {
  // viewer-request.js step 3: "…/" is served from "…/index.html".
  if (relative === '' || relative.endsWith('/')) return { key: `${relative}index.html`, viaSlash: false };
  // Step 4: a last segment without a dot is redirected to the same path with "/", then served by step 3.
  const last = relative.slice(relative.lastIndexOf('/') + 1);
  if (!last.includes('.')) return { key: `${relative}/index.html`, viaSlash: true };
  // Step 5: anything else is the key itself.
  return { key: relative, viaSlash: false };
}

/** What the URL parser strips before parsing: C0 controls and spaces at both ends, tabs and newlines inside. */
// eslint-disable-next-line no-control-regex -- control characters are what the URL parser strips
const STRIPPED_ENDS = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const HAS_TAB_OR_NEWLINE = /[\t\n\r]/;

/** Where a URL without fragment leads (`head` may be '': the base itself). */
function resolveTarget(space: SiteSpace, base: URL, head: string): Target {
  let url: URL;
  try {
    url = new URL(head, base);
  } catch {
    return BAD;
  }
  if (!isSameSite(space, url)) return SKIP;
  const path = decoded(url.pathname);
  if (path === undefined) return BAD;
  if (path.startsWith(space.rootPath)) {
    const relative = path.slice(space.rootPath.length);
    return { type: 'inside', path: `/${relative}`, ...keyFor(relative) };
  }
  // "/pr-42" for the deploy root "/pr-42/": the CDN redirects it to "/pr-42/" (no dot in its last segment).
  if (`${path}/` === space.rootPath && !path.slice(path.lastIndexOf('/') + 1).includes('.')) {
    return { type: 'inside', path: '/', key: 'index.html', viaSlash: true };
  }
  return { type: 'outside', path };
}

/** A reference without what the URL parser strips at its ends; '' for blank ones. */
function stripped(reference: string): string {
  return reference.charCodeAt(0) > 0x20 && reference.charCodeAt(reference.length - 1) > 0x20
    ? reference
    : reference.replace(STRIPPED_ENDS, '');
}

/** The fragment of a reference, without `#` and without the tabs and newlines the URL parser drops. */
export function fragmentOf(reference: string): string {
  const trimmed = stripped(reference);
  const hash = trimmed.indexOf('#');
  if (hash < 0) return '';
  const fragment = trimmed.slice(hash + 1);
  return HAS_TAB_OR_NEWLINE.test(fragment) ? fragment.replace(TAB_OR_NEWLINE, '') : fragment;
}

/** The reference without its fragment; undefined for '' and `#` alone, which lead nowhere. */
function headOf(reference: string): string | undefined {
  const trimmed = stripped(reference);
  if (trimmed === '' || trimmed === '#') return undefined;
  const hash = trimmed.indexOf('#');
  return hash < 0 ? trimmed : trimmed.slice(0, hash);
}

/**
 * Where `reference` (as written in a file) leads, resolved against `base` (the file's URL, or the page's
 * `<base href>`) with the WHATWG URL parser; its fragment is {@link fragmentOf}'s. The query string never
 * matters (S3 ignores it); `..` stops at the origin's root, as browsers send it.
 */
export function resolveReference(space: SiteSpace, base: URL, reference: string): Target {
  const head = headOf(reference);
  return head === undefined ? SKIP : resolveTarget(space, base, head);
}

/**
 * {@link resolveReference} with the targets remembered per base URL and reference without fragment: a site's
 * pages repeat the same navigation, and a Sphinx page links its own sections by the hundred. Returns the
 * resolver for one base (a file's URL or `<base href>`).
 */
export function referenceResolver(space: SiteSpace): (base: URL) => (reference: string) => Target {
  const targets = new Map<string, Map<string, Target>>();
  return (base) => {
    let known = targets.get(base.href);
    if (known === undefined) {
      known = new Map();
      targets.set(base.href, known);
    }
    const forBase = known;
    return (reference) => {
      const head = headOf(reference);
      if (head === undefined) return SKIP;
      let target = forBase.get(head);
      if (target === undefined) {
        target = resolveTarget(space, base, head);
        forBase.set(head, target);
      }
      return target;
    };
  };
}

/** The URL a page's relative references resolve against: its `<base href>` when it has one, else its own. */
export function documentBase(page: URL, baseHref: string | undefined): URL {
  if (baseHref === undefined || baseHref.trim() === '') return page;
  try {
    return new URL(baseHref.trim(), page);
  } catch {
    return page; // HTML ignores a <base href> that does not parse
  }
}

/** HTML's fragment lookup: the fragment as written, then percent-decoded; `top` and '' scroll to the top. */
export function fragmentFound(ids: ReadonlySet<string>, fragment: string): boolean {
  if (fragment === '' || ids.has(fragment)) return true;
  if (fragment.length === 3 && fragment.toLowerCase() === 'top') return true;
  const text = decoded(fragment);
  return text !== undefined && (ids.has(text) || text.toLowerCase() === 'top');
}

/** A redirect the site answers with (from the build's or the CDN's rules). */
export interface Redirect {
  /**
   * The path it answers, relative to the deploy root like the kept keys (`/old/page.html` is
   * `<siteUrl path>/<prefix>old/page.html`); a trailing `*` matches everything below (`/blog/*`).
   */
  from: string;
  to: string;
  status: number;
}

/** Compiled redirects: does one answer this request (by its path, or by the key the CDN would serve)? */
export function redirectMatcher(redirects: readonly Redirect[]): (path: string, key: string) => boolean {
  const exact = new Set<string>();
  const splats: string[] = [];
  for (const redirect of redirects) {
    // 404 and 410 "redirects" answer that the page is not there.
    if (redirect.status >= 400) continue;
    const from = decoded(redirect.from.trim()) ?? redirect.from.trim();
    if (from.endsWith('*')) splats.push(from.slice(0, -1));
    else exact.add(from);
  }
  if (exact.size === 0 && splats.length === 0) return () => false;
  return (path, key) => {
    // "/old" and "/old/" name the same page here (rules engines treat them alike, the CDN redirects one to
    // the other), and so does the key the CDN would serve ("/old/index.html").
    const candidates = [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`, `/${key}`];
    return candidates.some((candidate) => exact.has(candidate) || splats.some((start) => candidate.startsWith(start)));
  };
}
