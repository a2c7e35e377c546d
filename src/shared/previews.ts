// The names of pull-request previews: one prefix per pull request, so one is never shared or removed by another.

/**
 * A pull request's own preview prefix: `pr-<number>/`, nested under `prefix` when one is given
 * (`previews/` → `previews/pr-42/`). Never shared by two pull requests.
 */
export function previewPrefix(number: number, prefix = ''): string {
  return `${prefix}pr-${number}/`;
}

/** Whether `prefix` is pull request `number`'s preview prefix (`pr-<number>/`, under any parent prefix). */
export function isPreviewPrefix(prefix: string, number: number): boolean {
  return (
    Number.isSafeInteger(number) && number > 0 && (prefix === `pr-${number}/` || prefix.endsWith(`/pr-${number}/`))
  );
}

/**
 * The preview space: `pr-*` + `/` under a deploy's prefix, the keys the preview role may write (the IAM
 * pattern `pr-*\/*`). A deploy never counts or deletes objects there; returns the directory (`pr-42/`) a
 * path is in, or undefined.
 */
export function previewSpaceRoot(relativePath: string): string | undefined {
  return /^pr-[^/]*\//.exec(relativePath)?.[0];
}
