// CloudFront Function (runtime cloudfront-js-2.0), associated as the viewer-request function of the
// site's default cache behavior. It runs on every request before the cache is consulted, so it must stay
// small and fast: no network, no modules, a few string operations.
//
// What it does, in order:
//   1. A host starting with "www." is redirected (301) to the apex, keeping path and query string.
//   2. The deploy manifest (key basename ".parlai-site-deploy.json.gz", at any depth, e.g. under a
//      preview prefix) is answered with 404: it is bookkeeping for the deploy action, not site content.
//      The bucket policy denies CloudFront that key as well (defence in depth).
//   2b. Pull-request previews (/pr-<number> and everything under /pr-<number>/), by DISTRIBUTION_ROLE:
//      'site-and-previews' serves them like any other path (one distribution for both, the module's
//      default); 'site' (the production distribution when previews have their own) answers them with
//      404; 'previews' (the preview distribution) answers everything else with 404. The path is
//      percent-decoded first, as S3 decodes it ("/pr%2D1/" is the key "pr-1/"), and the bucket policy
//      enforces the same split on the keys (defence in depth).
//   3. A URI ending in "/" is served from "<uri>index.html" ("/" -> "/index.html",
//      "/pr-42/" -> "/pr-42/index.html").
//   4. A URI whose last segment has no dot ("/docs", "/v1.2/guide") is redirected (301) to the same URI
//      with a trailing slash, keeping the query string. Serving "/docs/index.html" directly at "/docs"
//      would break the page's relative links: the browser resolves "img/a.png" against the directory of
//      the URL it shows, so at "/docs" it would ask for "/img/a.png" instead of "/docs/img/a.png".
//      Redirecting to "/docs/" makes the browser's base URL the directory the page really lives in.
//   5. Anything else ("/docs/page.html", "/file.css") is passed through unchanged.
//
// The code keeps to plain ES5 syntax (var, function) so the same file runs in the CloudFront runtime and,
// for the tests, in Node: CloudFront needs the top-level `function handler(event)`, and nothing here is
// exported or required.

var MANIFEST_NAME = '.parlai-site-deploy.json.gz';

// Which paths this distribution serves: 'site-and-previews', 'site' or 'previews' (see above). Terraform
// rewrites this one line for each distribution (cloudfront.tf); the file as committed is the single-
// distribution default.
var DISTRIBUTION_ROLE = 'site-and-previews';

// "/pr-42" or "/pr-42/..." (the deploy action's preview prefix pr-<pull request number>/).
var PREVIEW_PATH = /^\/pr-[0-9]+(\/|$)/;

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

function redirect(location) {
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: {
      location: { value: location },
      'cache-control': { value: 'max-age=3600' },
    },
  };
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

function handler(event) {
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

  if (DISTRIBUTION_ROLE !== 'site-and-previews') {
    var isPreview = PREVIEW_PATH.test(decodedPath(uri));
    if (isPreview !== (DISTRIBUTION_ROLE === 'previews')) {
      return notFound();
    }
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
