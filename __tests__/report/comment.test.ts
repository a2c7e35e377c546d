import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { countChanges } from '../../src/pipeline/outcome.js';
import { commentMarker, previewCommentBody } from '../../src/report/comment.js';
import { anOutcome, change } from '../support/outcomes.js';

describe('previewCommentBody', () => {
  const base = {
    prefix: 'pr-42/',
    siteUrl: 'https://example.com',
    sha: 'abcdef0123456',
    runUrl: 'https://github.com/o/r/actions/runs/9',
  };

  it('starts with the hidden marker, links the preview, the commit and the log, and counts the changes', () => {
    const body = previewCommentBody(anOutcome(), base);
    expect(body.split('\n')[0]).toBe(commentMarker('pr-42/'));
    expect(body).toContain('### Preview ready');
    expect(body).toContain('**https://example.com/pr-42/**');
    expect(body).toContain('Commit `abcdef0` · [deploy log](https://github.com/o/r/actions/runs/9)');
    expect(body).toContain('| 3 | 1 | 50 |');
  });

  it('links the changed pages (not deleted ones, not assets) at their public URLs', () => {
    const body = previewCommentBody(anOutcome(), base);
    expect(body).toContain('- [index.html](https://example.com/pr-42/)');
    expect(body).toContain('- [docs/a.html](https://example.com/pr-42/docs/a.html)');
    expect(body).not.toContain('old.html');
    expect(body).not.toContain('style.css');
  });

  it('lists at most ten pages', () => {
    const changes = Array.from({ length: 14 }, (_, index) =>
      change(`pr-42/p${String(index).padStart(2, '0')}.html`, 'new'),
    );
    const body = previewCommentBody(anOutcome({ changes }), base);
    expect(body).toContain('Changed pages (first 10 of 14):');
    expect(body.match(/^- \[/gm)).toHaveLength(10);
  });

  it('without site-url, names the S3 location and asks for site-url', () => {
    const body = previewCommentBody(anOutcome(), { ...base, siteUrl: undefined });
    expect(body).toContain('Deployed under `s3://site/pr-42/` (set `site-url` to get links here)');
    expect(body).toContain('- `docs/a.html`');
  });

  it('says when the deploy failed, and where the last good preview may be', () => {
    const body = previewCommentBody(anOutcome({ result: 'failed', reason: '2 write(s) failed' }), base);
    expect(body).toContain('### Preview deploy failed');
    expect(body).toContain('2 write(s) failed');
    expect(body).toContain('https://example.com/pr-42/');
  });

  it('says when the preview was removed', () => {
    const body = previewCommentBody(
      anOutcome({ action: 'remove', changes: [1, 2, 3].map((n) => change(`pr-42/${n}.html`, 'deleted')) }),
      base,
    );
    expect(body).toContain('### Preview removed');
    expect(body).toContain('3 objects');
    expect(body.startsWith(commentMarker('pr-42/'))).toBe(true);
  });

  it('has a marker per prefix, so two previews on one pull request keep two comments', () => {
    expect(commentMarker('pr-42/')).not.toBe(commentMarker('docs/pr-42/'));
  });
});

describe('the README', () => {
  it('shows exactly the comment the action posts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const changes = [
      change('pr-42/index.html', 'changed'),
      change('pr-42/old.html', 'deleted'),
      change('pr-42/projects/blenderbot2/big_convo.png', 'new'),
      change('pr-42/projects/blenderbot2/index.html', 'new'),
    ];
    const body = previewCommentBody(
      anOutcome({ target: 's3://parl.ai/pr-42/', changes, counts: countChanges(changes, 164) }),
      {
        prefix: 'pr-42/',
        siteUrl: 'https://parl.ai',
        sha: '3f2a9c1b7d0e',
        runUrl: 'https://github.com/facebookresearch/ParlAI/actions/runs/123456789',
      },
    );
    expect(readme).toContain(`\`\`\`markdown\n${body}\`\`\``);
  });
});
