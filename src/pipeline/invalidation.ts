import { createHash } from 'node:crypto';
import { indexDirectory } from '../shared/urls.js';

/** CloudFront accepts at most this many paths per invalidation (and in progress per distribution). */
export const MAX_INVALIDATION_PATHS = 3000;
/** CloudFront allows at most this many wildcard paths in progress per distribution. */
export const MAX_WILDCARD_PATHS = 15;

export interface InvalidationPlan {
  paths: string[];
  /** Set when the paths were replaced by one wildcard for the whole prefix: why. */
  fallback?: string;
}

export interface InvalidationInput {
  /** Full keys overwritten or deleted by this deploy. */
  changed: string[];
  /** Full keys under the prefix before the deploy: what an edge may hold. */
  remoteKeys: string[];
  prefix: string;
  maxPaths?: number;
  maxWildcards?: number;
}

// RFC 3986 characters CloudFront takes literally in a path; everything else (RFC 1738's unsafe characters
// such as space, `%`, `#`, `~`, non-ASCII, plus `?` and `*`, which would start a query or a wildcard) is
// percent-encoded as UTF-8, as the CloudFront documentation asks.
const LITERAL = /^[A-Za-z0-9\-._!$&'()+,;=:@/]$/;

export function encodeInvalidationPath(key: string): string {
  let encoded = '/';
  for (const character of key) {
    if (LITERAL.test(character)) {
      encoded += character;
      continue;
    }
    for (const byte of Buffer.from(character, 'utf8'))
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** The URLs a changed key is served at: the key, and for `dir/index.html` also `dir/`. */
export function urlPathsForKey(key: string): string[] {
  const directory = indexDirectory(key);
  return directory === undefined
    ? [encodeInvalidationPath(key)]
    : [encodeInvalidationPath(key), encodeInvalidationPath(directory)];
}

interface DirectoryNode {
  /** Directory path with its trailing slash ('' for the bucket root). */
  path: string;
  children: Map<string, DirectoryNode>;
  changedFiles: string[];
  /** Keys below this directory (at any depth) that an edge may hold, and how many of them changed. */
  known: number;
  changedBelow: number;
}

function buildTree(changed: Set<string>, remoteKeys: string[]): DirectoryNode {
  const root: DirectoryNode = { path: '', children: new Map(), changedFiles: [], known: 0, changedBelow: 0 };
  const all = new Set([...remoteKeys, ...changed]);
  for (const key of all) {
    const isChanged = changed.has(key);
    let node = root;
    const segments = key.split('/');
    segments.pop();
    for (const segment of [undefined, ...segments]) {
      if (segment !== undefined) {
        let child = node.children.get(segment);
        if (!child) {
          child = { path: `${node.path}${segment}/`, children: new Map(), changedFiles: [], known: 0, changedBelow: 0 };
          node.children.set(segment, child);
        }
        node = child;
      }
      node.known += 1;
      if (isChanged) node.changedBelow += 1;
    }
    if (isChanged) node.changedFiles.push(key);
  }
  return root;
}

interface Group {
  /** `/dir/*` when the whole directory changed, else undefined. */
  wildcard?: string;
  explicit: string[];
}

function explicitPaths(node: DirectoryNode): string[] {
  return [...node.changedFiles.flatMap(urlPathsForKey), ...[...node.children.values()].flatMap(explicitPaths)];
}

/** Top-down: the highest directories (inside the prefix) whose every object changed become one wildcard. */
function collapse(node: DirectoryNode, prefix: string): Group[] {
  const explicit = explicitPaths(node);
  if (explicit.length === 0) return [];
  const insidePrefix = node.path.startsWith(prefix);
  if (insidePrefix && node.changedBelow === node.known && explicit.length > 1) {
    return [{ wildcard: `${encodeInvalidationPath(node.path)}*`, explicit }];
  }
  return [
    ...node.changedFiles.map((key) => ({ explicit: urlPathsForKey(key) })),
    ...[...node.children.values()].flatMap((child) => collapse(child, prefix)),
  ];
}

/**
 * The smallest set of paths that refreshes exactly what changed: one path per changed or deleted key (plus
 * its directory URL for an index.html), directories whose every object changed collapsed into `/dir/*`.
 * Within CloudFront's limits; past MAX_INVALIDATION_PATHS, one wildcard for the prefix, with the reason.
 */
export function invalidationPaths(input: InvalidationInput): InvalidationPlan {
  const maxPaths = input.maxPaths ?? MAX_INVALIDATION_PATHS;
  const maxWildcards = input.maxWildcards ?? MAX_WILDCARD_PATHS;
  const changed = new Set(input.changed);
  if (changed.size === 0) return { paths: [] };
  const groups = collapse(buildTree(changed, input.remoteKeys), input.prefix);

  // Over the wildcard limit: spell out the wildcards that stand for the fewest paths.
  const wildcards = groups.filter((group) => group.wildcard).sort((a, b) => a.explicit.length - b.explicit.length);
  for (const group of wildcards.slice(0, Math.max(0, wildcards.length - maxWildcards))) delete group.wildcard;

  const paths = [...new Set(groups.flatMap((group) => (group.wildcard ? [group.wildcard] : group.explicit)))].sort();
  if (paths.length > maxPaths) {
    const everything = `${encodeInvalidationPath(input.prefix)}*`;
    return {
      paths: [everything],
      fallback: `${paths.length} paths changed, more than the ${maxPaths} one invalidation may hold: invalidating ${everything} instead`,
    };
  }
  return { paths };
}

/**
 * CloudFront's idempotency token: the same run retried sends the same reference for the same paths (and
 * CloudFront answers with the first invalidation), a new run or other paths a new one.
 */
export function callerReference(runIdentity: string, paths: string[]): string {
  const digest = createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 16);
  return `parlai-site-deploy-${runIdentity}-${digest}`;
}

const OWN_PATH = /^(?:[A-Za-z0-9\-._!$&'()+,;=:@/]|%[0-9A-F]{2})*\*?$/;

/**
 * The pending paths from the manifest that this deploy would have written itself: inside its prefix, not in
 * a deployment nested under it, encoded as `encodeInvalidationPath` encodes (a wildcard only at the end),
 * bounded. A bucket writer cannot make a deploy flush another prefix, or send a path CloudFront rejects.
 */
export function ownPendingPaths(paths: readonly string[], prefix: string, otherRoots: readonly string[]): string[] {
  const base = encodeInvalidationPath(prefix);
  const others = otherRoots.map((root) => encodeInvalidationPath(prefix + root));
  return paths
    .filter(
      (path) =>
        path.length <= 4096 &&
        path.startsWith(base) &&
        OWN_PATH.test(path.slice(base.length)) &&
        !path
          .slice(1)
          .split('/')
          .some((segment) => segment === '..' || segment === '.') &&
        !others.some((root) => path.startsWith(root)),
    )
    .slice(0, MAX_INVALIDATION_PATHS);
}
