/**
 * Errors the user can act on. Their messages are shown as `::error::` annotations, so each one names
 * what is at fault (an input, a file, a credential) and says how to fix it.
 */

/** A problem with one action input. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`Input '${input}': ${detail}`);
    this.name = 'InputError';
  }
}

/** A problem with a file or directory of the site being deployed. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Anything else that stops a deploy before or while it writes (refusals, failed writes, AWS errors). */
export class DeployError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
