// The headers README.md "## Headers" says a file gets when no `cache-control` or `content-type` rule matches,
// written out here per file type: what the end-to-end tests expect in the bucket. Nothing here comes from
// src/ (src/pipeline/headers.ts is the code those tests check), so a wrong default there fails them.

/** "HTML and other documents people navigate to": a deploy shows at once. */
export const CACHE_DOCUMENT = 'public, max-age=0, must-revalidate';
/** "fingerprinted assets: 8+ hex characters as their own name segment, mixing digits and letters". */
export const CACHE_FINGERPRINTED = 'public, max-age=31536000, immutable';
/** "everything else (images, un-fingerprinted CSS/JS, downloads)". */
export const CACHE_OTHER = 'public, max-age=3600';

interface TypeExpectation {
  contentType: string;
  /** A document people navigate to (HTML, XML sitemaps…): revalidated whatever its name. */
  document?: true;
}

/**
 * Content-Type by extension (lower-cased), for every extension the test sites contain: the ParlAI website
 * fixture (html, css, svg, png, jpg, jpeg, json, jsonl, md), examples/site (html, css, js, jsonl, svg, png,
 * txt, xml) and the sites the tests write (md, txt, css, png, bin, .nojekyll), plus a few common ones. The
 * values are those mime-types 3.0.2 gives, with `; charset=utf-8` on the textual types as the README says.
 * An extension missing here fails the test that meets it: add it with the value the README gives it.
 */
export const EXPECTED_TYPES: Readonly<Record<string, TypeExpectation>> = {
  html: { contentType: 'text/html; charset=utf-8', document: true },
  xml: { contentType: 'application/xml; charset=utf-8', document: true },
  css: { contentType: 'text/css; charset=utf-8' },
  js: { contentType: 'text/javascript; charset=utf-8' },
  json: { contentType: 'application/json; charset=utf-8' },
  jsonl: { contentType: 'application/jsonl; charset=utf-8' },
  md: { contentType: 'text/markdown; charset=utf-8' },
  txt: { contentType: 'text/plain; charset=utf-8' },
  svg: { contentType: 'image/svg+xml; charset=utf-8' },
  png: { contentType: 'image/png' },
  jpg: { contentType: 'image/jpeg' },
  jpeg: { contentType: 'image/jpeg' },
  gif: { contentType: 'image/gif' },
  ico: { contentType: 'image/vnd.microsoft.icon' },
  woff2: { contentType: 'font/woff2' },
  pdf: { contentType: 'application/pdf' },
  bin: { contentType: 'application/octet-stream' },
  // `.nojekyll`: a name mime-types has no type for ("unknown types are application/octet-stream").
  nojekyll: { contentType: 'application/octet-stream' },
};

/** The README's fingerprint: a segment of the name (before the extension) of 8+ hex digits and letters both. */
function isFingerprinted(name: string): boolean {
  const segments = name.split(/[.\-_~]/).slice(0, -1);
  return segments.some((segment) => /^[0-9a-f]{8,}$/i.test(segment) && /[0-9]/.test(segment) && /[a-f]/i.test(segment));
}

/** The headers `file` (a path relative to the site) should carry with no rules; throws for a type not listed. */
export function expectedHeaders(file: string): { contentType: string; cacheControl: string } {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const type = EXPECTED_TYPES[extension];
  if (!type) {
    throw new Error(
      `No expected headers for '${file}' (extension '${extension}'): add it to EXPECTED_TYPES in ` +
        '__tests__/support/expected-headers.ts with the Content-Type README "Headers" gives it.',
    );
  }
  const cacheControl = type.document ? CACHE_DOCUMENT : isFingerprinted(name) ? CACHE_FINGERPRINTED : CACHE_OTHER;
  return { contentType: type.contentType, cacheControl };
}
