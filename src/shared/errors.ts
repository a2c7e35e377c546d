/**
 * Errors the user can act on. Their messages become `::error::` annotations and the job summary's reason, so
 * each one names what is at fault (an input, a file, a credential, a service) and says how to fix it.
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

/** The deploy stopped itself before writing: a safety rule said no (empty build, too many deletions, …). */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly input?: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

/** A call to S3, CloudFront or GitHub failed; the message names the service and the input that can fix it. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

/** Anything else that stops a deploy while it runs (a failed build, failed writes). */
export class DeployError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
  }
}

/** Stopped before any write by the user's input or a safety rule, rather than by something breaking. */
export function isRefusal(error: unknown): boolean {
  return error instanceof InputError || error instanceof SourceError || error instanceof Refusal;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
