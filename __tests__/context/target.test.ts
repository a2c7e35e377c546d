import { describe, expect, it } from '@jest/globals';
import { resolveTarget } from '../../src/context/target.js';
import { isPreviewPrefix, previewPrefix } from '../../src/shared/previews.js';

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
      'a preview with a prefix is nested under it, in its own environment',
      { preview: true, prefix: 'previews/x/', environment: 'staging' },
      pr(),
      { prefix: 'previews/x/pr-42/', environment: 'staging' },
    ],
    [
      'closing a preview under a prefix removes only its own nested prefix',
      { preview: true, prefix: 'previews/', environment: '' },
      pr('closed'),
      { prefix: 'previews/pr-42/', cleanup: true },
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

  it('never gives two pull requests one prefix, with or without a parent prefix', () => {
    for (const parent of ['', 'previews/', 'site/previews/']) {
      const prefixes = [1, 2, 10, 42].map(
        (n) => resolveTarget({ preview: true, prefix: parent, environment: '' }, { ...pr(), number: n }, 'x').prefix,
      );
      expect(new Set(prefixes).size).toBe(4);
      for (const prefix of prefixes) expect(prefix.startsWith(`${parent}pr-`)).toBe(true);
    }
  });
});

describe('isPreviewPrefix', () => {
  it.each([
    ['pr-42/', 42, true],
    ['previews/pr-42/', 42, true],
    ['a/b/pr-42/', 42, true],
    ['', 42, false],
    ['previews/', 42, false],
    ['pr-4/', 42, false],
    ['pr-42/', 4, false],
    ['xpr-42/', 42, false],
    ['pr-42/docs/', 42, false],
    ['pr-0/', 0, false],
  ])('%s for #%i: %s', (prefix, number, expected) => {
    expect(isPreviewPrefix(prefix, number)).toBe(expected);
  });
});
