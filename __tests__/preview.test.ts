import { describe, expect, it } from '@jest/globals';
import { commentMarker, previewCommentBody, previewPrefix, publicUrl, resolveTarget } from '../src/preview.js';
import type { DeployReport } from '../src/report.js';

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

describe('publicUrl', () => {
  it.each([
    ['https://example.com', 'pr-42/', 'https://example.com/pr-42/'],
    ['https://example.com/', 'docs/index.html', 'https://example.com/docs/'],
    ['https://example.com', 'index.html', 'https://example.com/'],
    ['https://example.com', 'a b/ü.html', 'https://example.com/a%20b/%C3%BC.html'],
    ['https://d1.cloudfront.net', 'pr-42/guide/c++.html', 'https://d1.cloudfront.net/pr-42/guide/c%2B%2B.html'],
    ['https://example.com', 'notindex.html', 'https://example.com/notindex.html'],
  ])('%s + %s → %s', (site, key, url) => {
    expect(publicUrl(site, key)).toBe(url);
  });
});

function report(overrides: Partial<DeployReport> = {}): DeployReport {
  return {
    target: 's3://site/pr-42/',
    status: 'deployed',
    durationMs: 1000,
    counts: { new: 2, changed: 1, headers: 1, deleted: 3, unchanged: 50 },
    bytesUploaded: 10,
    changes: [
      { key: 'pr-42/index.html', kind: 'changed' },
      { key: 'pr-42/docs/a.html', kind: 'new' },
      { key: 'pr-42/style.css', kind: 'headers' },
      { key: 'pr-42/old.html', kind: 'deleted' },
    ],
    failures: [],
    kept: { excluded: 0, otherDeployments: [], retained: 0 },
    invalidation: { paths: [] },
    ...overrides,
  };
}

describe('previewCommentBody', () => {
  const base = {
    prefix: 'pr-42/',
    siteUrl: 'https://example.com',
    sha: 'abcdef0123456',
    runUrl: 'https://github.com/o/r/actions/runs/9',
  };

  it('starts with the hidden marker, links the preview, the commit and the log, and counts the changes', () => {
    const body = previewCommentBody({ ...base, report: report() });
    expect(body.split('\n')[0]).toBe(commentMarker('pr-42/'));
    expect(body).toContain('### Preview ready');
    expect(body).toContain('**https://example.com/pr-42/**');
    expect(body).toContain('Commit `abcdef0` · [deploy log](https://github.com/o/r/actions/runs/9)');
    expect(body).toContain('| 4 | 3 | 50 |');
  });

  it('links the changed pages (not deleted ones, not assets) at their public URLs', () => {
    const body = previewCommentBody({ ...base, report: report() });
    expect(body).toContain('- [index.html](https://example.com/pr-42/)');
    expect(body).toContain('- [docs/a.html](https://example.com/pr-42/docs/a.html)');
    expect(body).not.toContain('old.html');
    expect(body).not.toContain('style.css');
  });

  it('lists at most ten pages', () => {
    const changes = Array.from({ length: 14 }, (_, index) => ({
      key: `pr-42/p${String(index).padStart(2, '0')}.html`,
      kind: 'new' as const,
    }));
    const body = previewCommentBody({ ...base, report: report({ changes }) });
    expect(body).toContain('Changed pages (first 10 of 14):');
    expect(body.match(/^- \[/gm)).toHaveLength(10);
  });

  it('without site-url, names the S3 location and asks for site-url', () => {
    const body = previewCommentBody({ ...base, siteUrl: undefined, report: report() });
    expect(body).toContain('Deployed under `s3://site/pr-42/` (set `site-url` to get links here)');
    expect(body).toContain('- `docs/a.html`');
  });

  it('says when the deploy failed, and where the last good preview may be', () => {
    const body = previewCommentBody({ ...base, report: report({ status: 'failed', reason: '2 write(s) failed' }) });
    expect(body).toContain('### Preview deploy failed');
    expect(body).toContain('2 write(s) failed');
    expect(body).toContain('https://example.com/pr-42/');
  });

  it('says when the preview was removed', () => {
    const body = previewCommentBody({ ...base, report: report({ status: 'removed' }) });
    expect(body).toContain('### Preview removed');
    expect(body).toContain('3 objects');
    expect(body.startsWith(commentMarker('pr-42/'))).toBe(true);
  });

  it('has a marker per prefix, so two previews on one pull request keep two comments', () => {
    expect(commentMarker('pr-42/')).not.toBe(commentMarker('docs/pr-42/'));
  });
});

describe('the README', () => {
  it('shows exactly the comment the action posts', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const body = previewCommentBody({
      prefix: 'pr-42/',
      siteUrl: 'https://parl.ai',
      sha: '3f2a9c1b7d0e',
      runUrl: 'https://github.com/facebookresearch/ParlAI/actions/runs/123456789',
      report: report({
        target: 's3://parl.ai/pr-42/',
        counts: { new: 2, changed: 1, headers: 0, deleted: 1, unchanged: 164 },
        changes: [
          { key: 'pr-42/index.html', kind: 'changed' },
          { key: 'pr-42/projects/blenderbot2/index.html', kind: 'new' },
          { key: 'pr-42/projects/blenderbot2/big_convo.png', kind: 'new' },
          { key: 'pr-42/old.html', kind: 'deleted' },
        ],
      }),
    });
    expect(readme).toContain(`\`\`\`markdown\n${body}\`\`\``);
  });
});
