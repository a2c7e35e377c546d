import cf from 'cloudfront';
var kvs = cf.kvs();
// CloudFront Function (cloudfront-js-2.0), the viewer-request function of the site's default cache
// behavior: it runs on every request before the cache, so it stays small (10 KB) and fast.
//
// The first two lines open the key value store associated with the function, which holds the site's
// redirects (docs/redirects.md). cf.kvs() fails without one: with `redirects = false` Terraform replaces
// both with `var kvs = null;` (cloudfront.tf) and step 2c is skipped.
//
// In order:
//   1. A host starting with "www." is redirected (301) to the apex, keeping path and query string.
//   2. The deploy manifest (".parlai-site-deploy.json.gz" at any depth) is answered with 404; the bucket
//      policy denies it too.
//   2b. Previews (/pr-<n> and below), by DISTRIBUTION_ROLE: 'site-and-previews' serves them like any
//      path; 'site' (production, when previews have their own distribution) answers them with 404;
//      'previews' answers everything else with 404. The path is percent-decoded first, as S3 decodes
//      keys ("/pr%2D1/" is "pr-1/"); the bucket policy enforces the same split.
//   2c. Redirects: the URI is looked up in the store exactly, then as splat keys from the deepest
//      directory up ("/a/b" tries "/a/b/*", "/a/*", "/*": the longest wins), at most MAX_SPLAT_DEPTH
//      deep; a preview stops at its own "/pr-<n>/*". A value "<status> <target>" answers that status,
//      Location the target with ":splat" replaced by what "*" matched, the query string kept. get()
//      throws for an absent key: the request falls through.
//   3. A URI ending in "/" is served from "<uri>index.html".
//   4. A URI whose last segment has no dot ("/docs") is redirected (301) to "<uri>/", keeping the query
//      string, so the page's relative links resolve against its own directory.
//   5. Anything else is passed through unchanged.
//
// Apart from its first line and async/await (cloudfront-js-2.0 has both) the code is plain ES5, so the
// tests run the same file in Node, with the first line swapped for an in-memory store.

var MANIFEST_NAME = '.parlai-site-deploy.json.gz';

// 'site-and-previews', 'site' or 'previews' (2b): Terraform rewrites this line per distribution.
var DISTRIBUTION_ROLE = 'site-and-previews';

// "/pr-42" or "/pr-42/..." (the deploy action's preview prefix pr-<pull request number>/).
var PREVIEW_PATH = /^\/pr-[0-9]+(\/|$)/;

// One read per directory walked; the deploy action refuses deeper splats (redirects.ts).
var MAX_SPLAT_DEPTH = 10;

// Store keys are at most 512 bytes.
var MAX_KEY_LENGTH = 512;

var REDIRECT_TEXT = { 301: 'Moved Permanently', 302: 'Found', 307: 'Temporary Redirect', 308: 'Permanent Redirect' };

// Rebuilds "?a=1&b=2&b=3" from the cloudfront-js-2.0 querystring object:
//   { a: { value: '1' }, b: { value: '2', multiValue: [{ value: '2' }, { value: '3' }] } }
// Keys and values arrive as the viewer sent them (still percent-encoded), so they are joined as they are.
// When a key repeats, `multiValue` holds every value (the first one included) and `value` only the first.
function querySuffix(querystring) {
  if (!querystring) return '';
  var parts = [];
  var keys = Object.keys(querystring);
  for (var i = 0; i < keys.length; i++) {
    var key = keys[i];
    var entry = querystring[key];
    if (!entry) continue;
    if (entry.multiValue && entry.multiValue.length > 0) {
      for (var j = 0; j < entry.multiValue.length; j++) {
        parts.push(pair(key, entry.multiValue[j].value));
      }
    } else {
      parts.push(pair(key, entry.value));
    }
  }
  return parts.length > 0 ? '?' + parts.join('&') : '';
}

function pair(key, value) {
  return value === undefined || value === null || value === '' ? key : key + '=' + value;
}

// A path for a same-site Location header. Leading runs of "/" or "\" collapse to one "/": a Location of
// "//evil.example/" (or "/\evil.example/", which browsers read the same way) would send the viewer to
// another host.
function sameSitePath(uri) {
  var start = 0;
  while (start < uri.length && (uri.charAt(start) === '/' || uri.charAt(start) === '\\')) start++;
  return '/' + uri.substring(start);
}

// Permanent redirects may be kept by browsers for an hour; temporary ones are not kept.
function redirect(location, status) {
  var code = status || 301;
  return {
    statusCode: code,
    statusDescription: REDIRECT_TEXT[code],
    headers: {
      location: { value: location },
      'cache-control': { value: code === 301 || code === 308 ? 'max-age=3600' : 'no-store' },
    },
  };
}

// The value stored for a key, or null when the key is absent (get() throws then) or the store fails.
async function stored(key) {
  try {
    return await kvs.get(key);
  } catch (e) {
    return null;
  }
}

// The redirect for this URI, or null: the exact rule first, then the splat rules from the deepest directory
// up to `floor` directories (1 for a preview: its own "/pr-<n>/*" at most).
async function findRedirect(uri, floor) {
  if (!kvs || uri.length > MAX_KEY_LENGTH) return null;
  var value = await stored(uri);
  var splat = '';
  if (!value) {
    var dir = uri.charAt(uri.length - 1) === '/' ? uri : uri + '/';
    var ends = [];
    for (var i = 0; i < dir.length; i++) {
      if (dir.charAt(i) === '/') ends.push(i);
    }
    for (var d = Math.min(ends.length - 1, MAX_SPLAT_DEPTH); d >= floor && !value; d--) {
      var prefix = dir.substring(0, ends[d] + 1);
      value = await stored(prefix + '*');
      splat = uri.substring(prefix.length);
    }
  }
  if (!value) return null;
  var status = parseInt(value.substring(0, 3), 10);
  if (!REDIRECT_TEXT[status] || value.charAt(3) !== ' ') return null;
  var location = value.substring(4).split(':splat').join(splat);
  return { status: status, location: location.charAt(0) === '/' ? sameSitePath(location) : location };
}

// The location with the viewer's query string added ("?a=1", or "" for none) before any #fragment.
function withQuery(location, query) {
  if (!query) return location;
  var hash = location.indexOf('#');
  var base = hash === -1 ? location : location.substring(0, hash);
  var fragment = hash === -1 ? '' : location.substring(hash);
  return base + (base.indexOf('?') === -1 ? query : '&' + query.substring(1)) + fragment;
}

function notFound() {
  return {
    statusCode: 404,
    statusDescription: 'Not Found',
    headers: {
      'content-type': { value: 'text/plain; charset=utf-8' },
      'cache-control': { value: 'max-age=60' },
    },
    body: { encoding: 'text', data: 'Not Found\n' },
  };
}

// The whole path, percent-decoded when it can be (S3 decodes the key the same way).
function decodedPath(uri) {
  try {
    return decodeURIComponent(uri);
  } catch (e) {
    return uri;
  }
}

// The last path segment, percent-decoded when it can be ("%2Eparlai-..." names the same S3 key).
function lastSegment(uri) {
  var segment = uri.substring(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch (e) {
    return segment;
  }
}

async function handler(event) {
  var request = event.request;
  var uri = request.uri || '/';
  var headers = request.headers || {};
  var host = headers.host && headers.host.value ? headers.host.value.toLowerCase() : '';

  if (host.indexOf('www.') === 0 && host.length > 4) {
    return redirect('https://' + host.substring(4) + sameSitePath(uri) + querySuffix(request.querystring));
  }

  var last = lastSegment(uri);
  if (last === MANIFEST_NAME) {
    return notFound();
  }

  var isPreview = PREVIEW_PATH.test(decodedPath(uri));
  if (DISTRIBUTION_ROLE !== 'site-and-previews' && isPreview !== (DISTRIBUTION_ROLE === 'previews')) {
    return notFound();
  }

  var moved = await findRedirect(uri, isPreview ? 1 : 0);
  if (moved) {
    return redirect(withQuery(moved.location, querySuffix(request.querystring)), moved.status);
  }

  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }

  if (last.indexOf('.') === -1) {
    return redirect(sameSitePath(uri) + '/' + querySuffix(request.querystring));
  }

  return request;
}
