import { type Change, type Outcome, countChanges } from '../../src/pipeline/outcome.js';

const HTML = { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' };
const CSS = { contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=3600' };

/** A change as the pipeline records it: headers from the key's type, bytes for uploads. */
export function change(key: string, kind: Change['kind']): Change {
  if (kind === 'deleted') return { key, kind, bytes: 0 };
  const headers = key.endsWith('.css') ? CSS : HTML;
  return { key, kind, headers, bytes: kind === 'headers' ? 0 : 10 };
}

/** An outcome of a preview deploy to s3://site/pr-42/, counts derived from its changes unless given. */
export function anOutcome(overrides: Partial<Outcome> = {}): Outcome {
  const changes = overrides.changes ?? [
    change('pr-42/docs/a.html', 'new'),
    change('pr-42/index.html', 'changed'),
    change('pr-42/old.html', 'deleted'),
    change('pr-42/style.css', 'headers'),
  ];
  return {
    result: 'deployed',
    action: 'deploy',
    dryRun: false,
    target: 's3://site/pr-42/',
    prefix: 'pr-42/',
    planned: true,
    counts: countChanges(changes, 50),
    bytesUploaded: 20,
    failures: [],
    history: [],
    kept: { excluded: 0, otherDeployments: [], retained: 0 },
    invalidation: { paths: [] },
    pendingInvalidation: 0,
    durationMs: 1000,
    ...overrides,
    changes,
  };
}
