import { describe, expect, it } from '@jest/globals';
import { previewPrefix, resolveTarget } from '../../src/context/target.js';

const pr = (action = 'synchronize') => ({ number: 42, headSha: 'aaaaaaa1111111', action });

describe('resolveTarget', () => {
  it.each<[string, Parameters<typeof resolveTarget>[0], ReturnType<typeof pr> | undefined, object]>([
    [
      'a preview of a pull request',
      { preview: true, prefix: '', environment: '' },
      pr(),
      { prefix: 'pr-42/', environment: 'preview', ref: 'aaaaaaa1111111', cleanup: false },
    ],
    [
      'a closed pull request: cleanup',
      { preview: true, prefix: '', environment: '' },
      pr('closed'),
      { prefix: 'pr-42/', cleanup: true },
    ],
    [
      'a preview with its own prefix and environment',
      { preview: true, prefix: 'previews/x/', environment: 'staging' },
      pr(),
      { prefix: 'previews/x/', environment: 'staging' },
    ],
    [
      'preview on a push: a production deploy',
      { preview: true, prefix: '', environment: '' },
      undefined,
      { prefix: '', environment: 'production', ref: 'merge-sha', cleanup: false },
    ],
    [
      'no preview on a pull request: as configured',
      { preview: false, prefix: 'site/', environment: '' },
      pr('closed'),
      { prefix: 'site/', environment: 'production', ref: 'merge-sha', cleanup: false },
    ],
  ])('%s', (_title, options, pullRequest, expected) => {
    const target = resolveTarget(options, pullRequest, 'merge-sha');
    expect(target).toMatchObject(expected);
    // Only a preview is tied to its pull request (comment, per-PR deployment, cleanup).
    expect(target.pullRequest).toEqual(options.preview ? pullRequest : undefined);
  });

  it('falls back to the run commit when the payload has no head SHA', () => {
    expect(
      resolveTarget(
        { preview: true, prefix: '', environment: '' },
        { number: 1, headSha: '', action: 'opened' },
        'merge-sha',
      ).ref,
    ).toBe('merge-sha');
  });

  it('names the prefix after the pull request', () => {
    expect(previewPrefix(7)).toBe('pr-7/');
  });
});
