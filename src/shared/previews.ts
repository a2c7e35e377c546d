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
