import picomatch from 'picomatch';

/**
 * Globs as users write them in `exclude`, `cache-control` and `content-type`, with .gitignore-like meaning:
 * - a pattern without `/` matches a name at any depth (`*.html`, `.DS_Store`);
 * - a pattern with `/` matches the path from the site root (`docs/*.html`, `static/**`); a leading `/` only
 *   anchors it there;
 * - a pattern that matches a directory also matches everything below it (`drafts`, `docs/_sources/`).
 * Paths are POSIX paths relative to the site root (the deploy prefix is not part of them).
 */
export type PathMatcher = (relativePath: string) => boolean;

export class GlobError extends Error {}

export function compileGlob(pattern: string): PathMatcher {
  let glob = pattern.trim();
  if (glob === '') throw new GlobError('empty pattern');
  if (glob.startsWith('!')) {
    throw new GlobError(`'${pattern}': negated patterns ('!') are not supported; list only what should match`);
  }
  if (glob.includes('\\')) throw new GlobError(`'${pattern}': use '/' as the path separator`);
  const anchored = glob.startsWith('/') || glob.slice(0, -1).includes('/');
  const directoriesOnly = glob.endsWith('/');
  glob = glob.replace(/^\/+/, '').replace(/\/+$/, '');
  if (glob === '') throw new GlobError(`'${pattern}': matches nothing (did you mean '**'?)`);
  let isMatch: (path: string) => boolean;
  try {
    isMatch = picomatch(glob, { dot: true, basename: !anchored, strictBrackets: true });
  } catch (error) {
    throw new GlobError(`'${pattern}': ${(error as Error).message}`);
  }
  // The path, then each directory above it (`drafts` also matches `drafts/a/b.html`); only the directories
  // when the pattern ends with `/`.
  return (relativePath) => {
    for (
      let path = directoriesOnly ? parentOf(relativePath) : relativePath;
      path !== undefined;
      path = parentOf(path)
    ) {
      if (isMatch(path)) return true;
    }
    return false;
  };
}

function parentOf(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? undefined : path.slice(0, slash);
}

/** Newline-separated input lines without blanks and `#` comments. */
export function inputLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function anyMatcher(matchers: PathMatcher[]): PathMatcher {
  return (path) => matchers.some((match) => match(path));
}
