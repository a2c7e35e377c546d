import { describe, expect, it } from '@jest/globals';
import {
  MAX_INVALIDATION_PATHS,
  MAX_WILDCARD_PATHS,
  callerReference,
  encodeInvalidationPath,
  invalidationPaths,
  urlPathsForKey,
} from '../../src/pipeline/invalidation.js';

describe('encodeInvalidationPath', () => {
  it.each([
    ['index.html', '/index.html'],
    ['docs/a b.html', '/docs/a%20b.html'],
    ['c++/guide.html', '/c++/guide.html'],
    ['100%.html', '/100%25.html'],
    ['q?.html', '/q%3F.html'],
    ['hash#.html', '/hash%23.html'],
    ['star*.png', '/star%2A.png'],
    ['~user/x', '/%7Euser/x'],
    ['café/ü.html', '/caf%C3%A9/%C3%BC.html'],
    ['日本/索引.html', '/%E6%97%A5%E6%9C%AC/%E7%B4%A2%E5%BC%95.html'],
    ['emoji-😀.png', '/emoji-%F0%9F%98%80.png'],
    ["a&b=c;d,e:f@g!h$i'j(k)l.html", "/a&b=c;d,e:f@g!h$i'j(k)l.html"],
    ['[x]{y}|z^`"<>\\.txt', '/%5Bx%5D%7By%7D%7Cz%5E%60%22%3C%3E%5C.txt'],
  ])('%s → %s', (key, expected) => {
    expect(encodeInvalidationPath(key)).toBe(expected);
  });
});

describe('urlPathsForKey', () => {
  it.each([
    ['index.html', ['/index.html', '/']],
    ['docs/index.html', ['/docs/index.html', '/docs/']],
    ['pr-42/docs/index.html', ['/pr-42/docs/index.html', '/pr-42/docs/']],
    ['docs/my index.html', ['/docs/my%20index.html']],
    ['docs/page.html', ['/docs/page.html']],
    ['notindex.html', ['/notindex.html']],
  ])('%s', (key, expected) => {
    expect(urlPathsForKey(key)).toEqual(expected);
  });
});

describe('invalidationPaths', () => {
  it('is empty when nothing cached changed', () => {
    expect(invalidationPaths({ changed: [], remoteKeys: ['a.html'], prefix: '' })).toEqual({ paths: [] });
  });

  it('lists each changed key, plus the directory URL of an index.html, sorted', () => {
    const result = invalidationPaths({
      changed: ['docs/index.html', 'style.css'],
      remoteKeys: ['index.html', 'docs/index.html', 'docs/other.html', 'style.css'],
      prefix: '',
    });
    expect(result).toEqual({ paths: ['/docs/', '/docs/index.html', '/style.css'] });
  });

  it('collapses a directory whose every object changed into one wildcard', () => {
    const remoteKeys = ['index.html', 'img/a.png', 'img/b.png', 'img/c.png', 'img/sub/d.png'];
    const result = invalidationPaths({
      changed: ['img/a.png', 'img/b.png', 'img/c.png', 'img/sub/d.png'],
      remoteKeys,
      prefix: '',
    });
    expect(result.paths).toEqual(['/img/*']);
  });

  it('does not collapse when one unchanged object would be flushed with it', () => {
    const remoteKeys = ['img/a.png', 'img/b.png', 'img/c.png', 'img/keep.png'];
    const result = invalidationPaths({ changed: ['img/a.png', 'img/b.png', 'img/c.png'], remoteKeys, prefix: '' });
    expect(result.paths).toEqual(['/img/a.png', '/img/b.png', '/img/c.png']);
  });

  it('collapses the deepest fully changed directories when a parent is not fully changed', () => {
    const remoteKeys = ['docs/index.html', 'docs/api/a.html', 'docs/api/b.html', 'docs/guide/x.html'];
    const result = invalidationPaths({
      changed: ['docs/api/a.html', 'docs/api/b.html', 'docs/guide/x.html'],
      remoteKeys,
      prefix: '',
    });
    expect(result.paths).toEqual(['/docs/api/*', '/docs/guide/x.html']);
  });

  it('does not use a wildcard for a single path (no gain)', () => {
    const result = invalidationPaths({ changed: ['only/a.png'], remoteKeys: ['only/a.png', 'b.png'], prefix: '' });
    expect(result.paths).toEqual(['/only/a.png']);
  });

  it('ignores brand-new keys when deciding whether a directory fully changed', () => {
    // new.png is not in remoteKeys (it was never cached) and not in changed.
    const result = invalidationPaths({
      changed: ['img/a.png', 'img/b.png'],
      remoteKeys: ['img/a.png', 'img/b.png', 'x.html'],
      prefix: '',
    });
    expect(result.paths).toEqual(['/img/*']);
  });

  it('collapses the whole site to /* only when every cached object changed', () => {
    const keys = ['index.html', 'a.css', 'img/x.png'];
    expect(invalidationPaths({ changed: keys, remoteKeys: keys, prefix: '' }).paths).toEqual(['/*']);
  });

  it('never wildcards above the prefix: other deployments share the parent', () => {
    const remoteKeys = ['pr-7/index.html', 'pr-7/a.css'];
    const all = invalidationPaths({ changed: remoteKeys, remoteKeys, prefix: 'pr-7/' });
    expect(all.paths).toEqual(['/pr-7/*']);
    const some = invalidationPaths({
      changed: ['pr-7/docs/index.html'],
      remoteKeys: ['pr-7/docs/index.html', 'pr-7/index.html'],
      prefix: 'pr-7/',
    });
    // docs/ fully changed and the index gives two URLs: one wildcard under the prefix.
    expect(some.paths).toEqual(['/pr-7/docs/*']);
  });

  it('encodes wildcard directories like paths', () => {
    const remoteKeys = ['my docs/a.html', 'my docs/b.html', 'x.html'];
    expect(invalidationPaths({ changed: ['my docs/a.html', 'my docs/b.html'], remoteKeys, prefix: '' }).paths).toEqual([
      '/my%20docs/*',
    ]);
  });

  it(`keeps at most ${MAX_WILDCARD_PATHS} wildcards, spelling out the smallest directories`, () => {
    const remoteKeys: string[] = ['keep.html'];
    const changed: string[] = [];
    for (let directory = 0; directory < 20; directory += 1) {
      const files = directory + 2; // directory d has d+2 files: the first five are the smallest
      for (let index = 0; index < files; index += 1) {
        const key = `d${String(directory).padStart(2, '0')}/f${index}.png`;
        remoteKeys.push(key);
        changed.push(key);
      }
    }
    const result = invalidationPaths({ changed, remoteKeys, prefix: '' });
    const wildcards = result.paths.filter((path) => path.endsWith('*'));
    expect(wildcards).toHaveLength(MAX_WILDCARD_PATHS);
    expect(wildcards).not.toContain('/d00/*');
    expect(wildcards).toContain('/d19/*');
    expect(result.paths).toContain('/d00/f0.png');
    expect(result.paths).toHaveLength(15 + (2 + 3 + 4 + 5 + 6));
  });

  it(`falls back to one wildcard for the prefix past ${MAX_INVALIDATION_PATHS} paths, and says why`, () => {
    const remoteKeys = Array.from({ length: 3002 }, (_, index) => `p/page${index}.html`).concat(['p/keep.css']);
    const changed = remoteKeys.slice(0, 3001);
    const result = invalidationPaths({ changed, remoteKeys, prefix: 'p/' });
    expect(result.paths).toEqual(['/p/*']);
    expect(result.fallback).toMatch(/3001 paths.*3000.*\/p\/\*/);
  });

  it('honours a lower path limit', () => {
    const remoteKeys = ['a.html', 'b.html', 'c.html', 'd.css'];
    expect(
      invalidationPaths({ changed: ['a.html', 'b.html', 'c.html'], remoteKeys, prefix: '', maxPaths: 2 }),
    ).toMatchObject({ paths: ['/*'] });
    expect(
      invalidationPaths({ changed: ['a.html', 'b.html'], remoteKeys, prefix: '', maxPaths: 2 }).fallback,
    ).toBeUndefined();
  });

  it('includes deleted keys (passed in changed) like overwritten ones', () => {
    const result = invalidationPaths({
      changed: ['old/index.html'],
      remoteKeys: ['old/index.html', 'index.html'],
      prefix: '',
    });
    expect(result.paths).toEqual(['/old/*']);
  });
});

describe('callerReference', () => {
  it('derives from the run identity and the paths', () => {
    const reference = callerReference('run-123-2', ['/a']);
    expect(reference).toMatch(/^parlai-site-deploy-run-123-2-[0-9a-f]{16}$/);
    expect(callerReference('run-123-2', ['/a'])).toBe(reference); // a retry of the same run: same reference
    expect(callerReference('run-123-2', ['/b'])).not.toBe(reference);
    expect(callerReference('run-123-3', ['/a'])).not.toBe(reference);
  });
});
