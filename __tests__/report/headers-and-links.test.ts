// The job summary's "Headers" table (rule, count, Content-Type, Cache-Control) and, with site-url, the links to
// the changed pages (first 20) in the summary and (first 10, of the preview) in the pull-request comment.
import { describe, expect, it } from '@jest/globals';
import { headerChoice } from '../../src/pipeline/headers.js';
import { type Change, countChanges } from '../../src/pipeline/outcome.js';
import { previewCommentBody } from '../../src/report/comment.js';
import { changedPageLinks, summaryMarkdown } from '../../src/report/summary.js';
import { anOutcome } from '../support/outcomes.js';

const NO_RULES = { cacheControl: [], contentType: [] };

function written(key: string, kind: Change['kind'] = 'new', prefix = ''): Change {
  if (kind === 'deleted') return { key: prefix + key, kind, bytes: 0 };
  const { headers, rule } = headerChoice(key, NO_RULES);
  return { key: prefix + key, kind, headers, rule, bytes: 1 };
}

/** An outcome with these changes, sorted by key as the pipeline sorts them. */
function outcomeOf(unsorted: Change[], prefix = '') {
  const changes = [...unsorted].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return anOutcome({ changes, counts: countChanges(changes, 0), prefix, target: `s3://site/${prefix}` });
}

/** The rows of the table under `### Headers`, as cells. */
function headersTable(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('### Headers');
  expect(start).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe('summaryMarkdown: the Headers table', () => {
  const changes = [
    written('index.html'),
    written('about/index.html', 'changed'),
    written('assets/app.3f2a9c1b7d.css'),
    written('images/pattern.png', 'headers'),
    written('images/logo.svg'),
    written('old.html', 'deleted'),
  ];

  it('has the columns rule, count, Content-Type, Cache-Control, one row per rule and headers', () => {
    expect(headersTable(summaryMarkdown(outcomeOf(changes)))).toEqual([
      ['rule', 'count', 'Content-Type', 'Cache-Control'],
      ['---', '---:', '---', '---'],
      ['default: HTML page', '2', '`text/html; charset=utf-8`', '`public, max-age=0, must-revalidate`'],
      ['default: other', '1', '`image/svg+xml; charset=utf-8`', '`public, max-age=3600`'],
      ['default: other', '1', '`image/png`', '`public, max-age=3600`'],
      ['default: fingerprinted asset', '1', '`text/css; charset=utf-8`', '`public, max-age=31536000, immutable`'],
    ]);
  });

  it("names the user's glob, escaped for Markdown, and keeps a `|` in a value inside its cell", () => {
    const change: Change = {
      key: 'docs/a.html',
      kind: 'new',
      headers: { contentType: 'text/html', cacheControl: 'a|b' },
      rule: "cache-control 'docs/**'",
      bytes: 1,
    };
    expect(headersTable(summaryMarkdown(outcomeOf([change])))[2]).toEqual([
      "cache-control 'docs/\\*\\*'",
      '1',
      '`text/html`',
      '`a\\|b`',
    ]);
  });

  it('is absent when nothing is written', () => {
    expect(summaryMarkdown(outcomeOf([written('old.html', 'deleted')]))).not.toContain('### Headers');
  });
});

describe('the changed pages, linked with site-url', () => {
  const pages = Array.from({ length: 25 }, (_, index) => written(`docs/page-${String(index).padStart(2, '0')}.html`));
  const changes = [
    written('index.html', 'changed', 'pr-7/'),
    written('docs/getting started.html', 'headers', 'pr-7/'),
    written('style.css', 'changed', 'pr-7/'),
    written('gone.html', 'deleted', 'pr-7/'),
  ];

  it('summary: the first 20 pages, each at its public URL', () => {
    const markdown = summaryMarkdown(outcomeOf(pages), 'https://parl.ai/');
    const links = markdown.split('\n').filter((line) => line.startsWith('- ['));
    expect(links).toHaveLength(20);
    expect(links[0]).toBe('- [docs/page-00.html](https://parl.ai/docs/page-00.html)');
    expect(markdown).toContain('### Changed pages');
  });

  it('summary: pages only (no assets, no deleted pages), under the prefix, index.html as its folder', () => {
    expect(changedPageLinks(outcomeOf(changes, 'pr-7/'), 'https://preview.example.com')).toEqual([
      '- [docs/getting started.html](https://preview.example.com/pr-7/docs/getting%20started.html)',
      '- [index.html](https://preview.example.com/pr-7/)',
    ]);
  });

  it('summary: no links without site-url, nor for a removed preview', () => {
    expect(summaryMarkdown(outcomeOf(changes, 'pr-7/'))).not.toContain('### Changed pages');
    expect(changedPageLinks(anOutcome({ action: 'remove' }), 'https://x.example')).toEqual([]);
  });

  it("pull-request comment: links the preview's changed pages (first 10)", () => {
    const many = Array.from({ length: 12 }, (_, index) => written(`p${index}.html`, 'new', 'pr-7/'));
    const body = previewCommentBody(outcomeOf([...changes, ...many], 'pr-7/'), {
      prefix: 'pr-7/',
      siteUrl: 'https://preview.example.com',
      sha: 'abcdef0123',
    });
    expect(body).toContain('**https://preview.example.com/pr-7/**');
    expect(body).toContain('Changed pages (first 10 of 14):');
    const links = body.split('\n').filter((line) => line.startsWith('- ['));
    expect(links).toHaveLength(10);
    expect(links[0]).toBe(
      '- [docs/getting started.html](https://preview.example.com/pr-7/docs/getting%20started.html)',
    );
    expect(links).toContain('- [index.html](https://preview.example.com/pr-7/)');
    expect(body).not.toContain('style.css');
    expect(body).not.toContain('gone.html');
  });
});
