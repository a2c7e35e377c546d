import { describe, expect, it } from '@jest/globals';
import type { ChangeKind, Outcome } from '../../src/pipeline/outcome.js';
import { outputsOf } from '../../src/report/outputs.js';
import { LISTED_CHANGES, logLine, summaryMarkdown } from '../../src/report/summary.js';

type Status = 'deployed' | 'dry-run' | 'skipped' | 'failed' | 'refused' | 'unchanged';

interface Fields extends Partial<Omit<Outcome, 'changes'>> {
  status?: Status;
  changes?: Array<{ key: string; kind: ChangeKind }>;
}

/** An outcome of a deploy to s3://parl.ai/ with the given status (a dry run is a `deployed` result). */
function report({ status = 'deployed', changes = [], ...overrides }: Fields = {}): Outcome {
  return {
    result: status === 'dry-run' ? 'deployed' : status,
    action: 'deploy',
    dryRun: status === 'dry-run',
    target: 's3://parl.ai/',
    prefix: '',
    planned: true,
    durationMs: 12_345,
    counts: { new: 3, changed: 5, headers: 7, deleted: 2, unchanged: 11, repaired: 0 },
    bytesUploaded: 2048,
    changes: changes.map((change) => ({ ...change, bytes: 0 })),
    failures: [],
    kept: { excluded: 0, otherDeployments: [], retained: 0 },
    invalidation: { paths: [] },
    pendingInvalidation: 0,
    history: [],
    ...overrides,
  };
}

/**
 * The content of the CommonMark code span at the start of `text`, or undefined when there is none: the opening
 * backtick run must be closed by a run of exactly the same length; one space is stripped from each side when
 * both are there and the content is not all spaces.
 */
function leadingCodeSpan(text: string): string | undefined {
  const open = /^`+/.exec(text)?.[0];
  if (!open) return undefined;
  const closer = new RegExp(`(?<!\`)${open}(?!\`)`, 'g');
  closer.lastIndex = open.length;
  const close = closer.exec(text);
  if (!close) return undefined;
  let content = text.slice(open.length, close.index);
  if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '')
    content = content.slice(1, -1);
  return content;
}

/** The keys shown on the list lines (changes and failures), in order. */
function listedKeys(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('- `'))
    .map((line) => leadingCodeSpan(line.slice(2)) ?? '<no code span>');
}

/** Splits the Markdown as a Markdown parser would: LF, CRLF and a lone CR all end a line. */
function markdownLines(markdown: string): string[] {
  return markdown.split(/\r\n|\r|\n/);
}

describe('leadingCodeSpan (test helper)', () => {
  it.each<[string, string | undefined]>([
    ['`a`: new', 'a'],
    ['``a`b``: new', 'a`b'],
    ['`` `a ``: new', '`a'],
    ['``a``b``', 'a'],
    ['```a``', undefined],
    ['no span', undefined],
  ])('%j → %j', (text, expected) => {
    expect(leadingCodeSpan(text)).toBe(expected);
  });
});

describe('summaryMarkdown: status', () => {
  it.each<[Status, string, string, string]>([
    ['deployed', '## Deployed to `s3://parl.ai/`', '| objects | count |', 'Uploaded: **2.0 KiB**'],
    [
      'dry-run',
      '## Dry run (nothing written): planned deploy to `s3://parl.ai/`',
      '| planned | count |',
      'Bytes to upload: **2.0 KiB**',
    ],
    ['skipped', '## Deploy skipped: `s3://parl.ai/`', '| planned | count |', 'Bytes to upload: **2.0 KiB**'],
    ['failed', '## Deploy failed: `s3://parl.ai/`', '| objects | count |', 'Uploaded: **2.0 KiB**'],
    ['refused', '## Deploy refused: `s3://parl.ai/`', '| planned | count |', 'Bytes to upload: **2.0 KiB**'],
    ['unchanged', '## Up to date, nothing to write: `s3://parl.ai/`', '| objects | count |', 'Uploaded: **2.0 KiB**'],
  ])('%s: headline, counts and bytes', (status, headline, header, bytes) => {
    const markdown = summaryMarkdown(report({ status }));
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(headline);
    expect(lines).toContain(header);
    expect(lines).toEqual(
      expect.arrayContaining([
        '| uploaded, new | 3 |',
        '| uploaded, changed | 5 |',
        '| headers updated (no bytes sent) | 7 |',
        '| deleted | 2 |',
        '| unchanged | 11 |',
      ]),
    );
    expect(markdown).toContain(`${bytes} · time: **12.3 s**`);
    expect(markdown.endsWith('\n')).toBe(true);
  });

  it('quotes the reason on one line', () => {
    const markdown = summaryMarkdown(
      report({ status: 'skipped', reason: 'this pull request comes from a fork\nsecond line' }),
    );
    expect(markdown.split('\n')).toContain('> this pull request comes from a fork second line');
  });

  it('has no reason line without a reason', () => {
    expect(
      summaryMarkdown(report())
        .split('\n')
        .some((line) => line.startsWith('>')),
    ).toBe(false);
  });
});

describe('summaryMarkdown: invalidation', () => {
  it('shows the invalidation ID and its paths', () => {
    const markdown = summaryMarkdown(report({ invalidation: { id: 'I2J0I21PCUYOIK', paths: ['/index.html', '/'] } }));
    const lines = markdown.split('\n');
    expect(lines).toContain('### CloudFront invalidation');
    expect(lines).toContain('ID `I2J0I21PCUYOIK`, 2 path(s).');
    expect(lines).toContain('`/index.html` `/`');
  });

  it.each<[Status, string]>([
    ['dry-run', '2 path(s) would be invalidated.'],
    ['skipped', '2 path(s) would be invalidated.'],
    ['failed', '2 path(s) would be invalidated.'],
    ['deployed', '2 path(s) invalidated.'],
  ])('%s without an ID: %j', (status, line) => {
    const lines = summaryMarkdown(report({ status, invalidation: { paths: ['/a.html', '/b.html'] } })).split('\n');
    expect(lines).toContain(line);
    expect(lines.some((l) => l.startsWith('ID '))).toBe(false);
  });

  it('says in a dry run that nothing was written and what would be invalidated', () => {
    const markdown = summaryMarkdown(report({ status: 'dry-run', invalidation: { paths: ['/a.html'] } }));
    expect(markdown).toMatch(/nothing written/);
    expect(markdown).toMatch(/would be invalidated/);
    expect(markdown).not.toMatch(/^ID /m);
  });

  it('shows a note', () => {
    const lines = summaryMarkdown(
      report({ invalidation: { paths: [], note: 'No distribution-id: nothing invalidated.' } }),
    ).split('\n');
    expect(lines).toContain('### CloudFront invalidation');
    expect(lines).toContain('No distribution-id: nothing invalidated.');
  });

  it('has no invalidation section when there is nothing to say', () => {
    expect(summaryMarkdown(report())).not.toContain('CloudFront invalidation');
  });

  it.each<[number, number, string | undefined]>([
    [30, 30, undefined],
    [31, 30, ' … and 1 more'],
    [100, 30, ' … and 70 more'],
  ])('%d paths: %d listed, then %j', (total, listed, more) => {
    const paths = Array.from({ length: total }, (_, i) => `/p${i}.html`);
    const markdown = summaryMarkdown(report({ invalidation: { id: 'I1', paths } }));
    expect(markdown).toContain(`ID \`I1\`, ${total} path(s).`);
    const line = markdown.split('\n').find((l) => l.startsWith('`/p0.html`')) ?? '';
    expect(line.match(/`\/p\d+\.html`/g)).toHaveLength(listed);
    expect(line).toContain(`\`/p${listed - 1}.html\``);
    expect(line).not.toContain(`\`/p${listed}.html\``);
    if (more) expect(line.endsWith(more)).toBe(true);
    else expect(line).not.toContain('more');
  });
});

describe('summaryMarkdown: changes and failures', () => {
  const kinds: ChangeKind[] = ['new', 'changed', 'headers', 'deleted'];

  it('lists each change with its kind inside a details block', () => {
    const changes = kinds.map((kind, i) => ({ key: `f${i}.html`, kind }));
    const lines = summaryMarkdown(report({ changes })).split('\n');
    expect(lines).toContain('<details><summary>Changed files (4)</summary>');
    expect(lines).toEqual(
      expect.arrayContaining([
        '- `f0.html`: new',
        '- `f1.html`: changed',
        '- `f2.html`: headers only',
        '- `f3.html`: deleted',
        '</details>',
      ]),
    );
  });

  it('has no changes block without changes', () => {
    expect(summaryMarkdown(report())).not.toContain('<details>');
  });

  it.each<[number, string, number]>([
    [LISTED_CHANGES, `Changed files (${LISTED_CHANGES})`, LISTED_CHANGES],
    [LISTED_CHANGES + 1, `Changed files (first ${LISTED_CHANGES} of ${LISTED_CHANGES + 1})`, LISTED_CHANGES],
    [120, `Changed files (first ${LISTED_CHANGES} of 120)`, LISTED_CHANGES],
  ])('%d changes: %j, %d listed', (total, title, listed) => {
    expect(LISTED_CHANGES).toBe(50);
    const changes = Array.from({ length: total }, (_, i) => ({ key: `page-${i}.html`, kind: 'new' as const }));
    const markdown = summaryMarkdown(report({ changes }));
    expect(markdown).toContain(`<summary>${title}</summary>`);
    expect(listedKeys(markdown)).toEqual(changes.slice(0, listed).map((change) => change.key));
  });

  it('lists failures, with a count', () => {
    const failures = [
      { key: 'a.html', message: 'AccessDenied' },
      { key: 'b.png', message: 'timeout' },
    ];
    const lines = summaryMarkdown(report({ status: 'failed', failures })).split('\n');
    expect(lines).toContain('### Failed (2)');
    expect(lines).toContain('- `a.html`: AccessDenied');
    expect(lines).toContain('- `b.png`: timeout');
  });

  it('lists at most 50 failures and points to the log for the rest', () => {
    const failures = Array.from({ length: 53 }, (_, i) => ({ key: `f${i}`, message: 'x' }));
    const markdown = summaryMarkdown(report({ status: 'failed', failures }));
    expect(markdown).toContain('### Failed (53)');
    expect(listedKeys(markdown)).toEqual(failures.slice(0, 50).map((failure) => failure.key));
    expect(markdown.split('\n')).toContain('- … and 3 more (see the log)');
  });

  it('has no failures section without failures', () => {
    expect(summaryMarkdown(report())).not.toContain('### Failed');
  });
});

describe('summaryMarkdown: escaping', () => {
  it.each(['plain.html', 'a`b.html', 'it`s `quoted`.html', 'a b.html', 'x|y.html'])(
    'wraps the key %j in a code span that shows it exactly',
    (key) => {
      const markdown = summaryMarkdown(report({ changes: [{ key, kind: 'new' }], failures: [{ key, message: 'm' }] }));
      expect(listedKeys(markdown)).toEqual([key, key]);
    },
  );

  it('uses a double-backtick fence for a key with a backtick', () => {
    expect(summaryMarkdown(report({ changes: [{ key: 'a`b', kind: 'new' }] }))).toContain('- ``a`b``: new');
  });

  // CommonMark code spans: the fence must be longer than any backtick run, padded where the key touches one.
  it.each(['`leading.html', 'trailing`', 'a``b.html'])(
    'wraps the key %j in a code span that shows it exactly',
    (key) => {
      expect(listedKeys(summaryMarkdown(report({ changes: [{ key, kind: 'new' }] })))).toEqual([key]);
    },
  );

  it.each(['a\nb.html', 'a\r\nb.html', 'a\rb.html'])('keeps a key with a line break (%j) on one line', (key) => {
    const markdown = summaryMarkdown(
      report({ target: `s3://b/${key}`, changes: [{ key, kind: 'changed' }], failures: [{ key, message: 'boom' }] }),
    );
    const lines = markdownLines(markdown);
    expect(lines.filter((line) => /^- `a +b\.html`: changed$/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /^- `a +b\.html`: boom$/.test(line))).toHaveLength(1);
    expect(lines[0]).toMatch(/^## Deployed to `s3:\/\/b\/a +b\.html`$/);
  });

  it('keeps a failure message with LF line breaks on one line', () => {
    const lines = markdownLines(summaryMarkdown(report({ failures: [{ key: 'a', message: 'first\nsecond\nthird' }] })));
    expect(lines).toContain('- `a`: first second third');
  });

  // A lone CR ends a Markdown line as LF does: messages and reasons must stay on one line.
  it.each([
    ['failure message', { failures: [{ key: 'a', message: 'first\r\nsecond' }] }, '- `a`: first'],
    ['reason', { status: 'skipped', reason: 'first\r\nsecond' }, '> first'],
  ] as Array<[string, Fields, string]>)('keeps a %s with CRLF on one line', (_title, overrides, prefix) => {
    const lines = markdownLines(summaryMarkdown(report(overrides)));
    const line = lines.find((l) => l.startsWith(prefix)) ?? '';
    expect(line).toMatch(/first\s+second/);
  });
});

describe('summaryMarkdown: left alone', () => {
  it.each<[string, Outcome['kept'], string | undefined]>([
    ['nothing kept', { excluded: 0, otherDeployments: [], retained: 0 }, undefined],
    [
      'excluded objects',
      { excluded: 4, otherDeployments: [], retained: 0 },
      'Left alone: 4 objects matched by `exclude`.',
    ],
    [
      'other deployments',
      { excluded: 0, otherDeployments: ['pr-1/', 'pr-2/'], retained: 0 },
      'Left alone: other deployments under `pr-1/`, `pr-2/`.',
    ],
    [
      'both',
      { excluded: 1, otherDeployments: ['pr-1/'], retained: 0 },
      'Left alone: 1 object matched by `exclude`; other deployments under `pr-1/`.',
    ],
    [
      'retained assets',
      { excluded: 0, otherDeployments: [], retained: 2 },
      'Left alone: 2 deleted fingerprinted assets kept for pages still cached (`asset-grace-period`).',
    ],
  ])('%s', (_title, kept, expected) => {
    const lines = summaryMarkdown(report({ kept })).split('\n');
    const leftAlone = lines.filter((line) => line.startsWith('Left alone'));
    expect(leftAlone).toEqual(expected ? [expected] : []);
  });
});

describe('outputsOf', () => {
  it('sets every output from the outcome', () => {
    expect(
      outputsOf(
        report({
          invalidation: { id: 'I2J0I21PCUYOIK', paths: ['/index.html', '/'] },
          bytesUploaded: 123456,
          url: 'https://example.com/pr-4/',
          prefix: 'pr-4/',
          deployId: '20261202T051500Z-3f2a9c1',
        }),
      ),
    ).toEqual({
      result: 'deployed',
      uploaded: '15',
      'headers-updated': '7',
      deleted: '2',
      unchanged: '11',
      'bytes-uploaded': '123456',
      'invalidation-id': 'I2J0I21PCUYOIK',
      'invalidation-paths': '["/index.html","/"]',
      skipped: 'false',
      url: 'https://example.com/pr-4/',
      prefix: 'pr-4/',
      'deploy-id': '20261202T051500Z-3f2a9c1',
      'redirects-updated': '0',
    });
  });

  it('sets an empty invalidation ID and an empty JSON list when nothing was invalidated', () => {
    const outputs = outputsOf(
      report({ counts: { new: 0, changed: 0, headers: 0, deleted: 0, unchanged: 9, repaired: 0 } }),
    );
    expect(outputs).toMatchObject({ uploaded: '0', 'invalidation-id': '', 'invalidation-paths': '[]', url: '' });
  });

  it.each<[Status, string, boolean]>([
    ['deployed', 'deployed', false],
    ['dry-run', 'deployed', false],
    ['unchanged', 'unchanged', false],
    ['failed', 'failed', false],
    ['refused', 'refused', false],
    ['skipped', 'skipped', true],
  ])('%s: result %s, skipped = %s', (status, result, skipped) => {
    const outputs = outputsOf(report({ status }));
    expect(outputs.result).toBe(result);
    expect(outputs.skipped).toBe(String(skipped));
  });

  it.each<Status>(['refused', 'skipped'])('%s: nothing counted as written (the counts were only planned)', (status) => {
    expect(outputsOf(report({ status }))).toMatchObject({
      uploaded: '0',
      'headers-updated': '0',
      deleted: '0',
      'bytes-uploaded': '0',
      unchanged: '11',
    });
  });

  it('a dry run reports what it planned', () => {
    expect(outputsOf(report({ status: 'dry-run' }))).toMatchObject({ uploaded: '15', deleted: '2' });
  });

  it('writes paths with quotes and unicode as valid JSON', () => {
    const paths = ['/a"b.html', '/caf%C3%A9/', '/*'];
    expect(JSON.parse(outputsOf(report({ invalidation: { id: 'I1', paths } }))['invalidation-paths']!)).toEqual(paths);
  });
});

describe('logLine', () => {
  it('says what was done in one line', () => {
    expect(logLine(report())).toBe(
      'Deployed to s3://parl.ai/: 3 new, 5 changed, 7 headers updated, 2 deleted, 11 unchanged; 2.0 KiB in 12.3 s.',
    );
  });
});

describe('summaryMarkdown: text from the store is inert', () => {
  it('escapes HTML and Markdown in failure messages and reasons, and keeps them on one line', () => {
    const markdown = summaryMarkdown(
      report({
        status: 'failed',
        reason: 'boom </details><img src=x onerror=alert(1)> **bold** [link](https://evil.example)',
        failures: [{ key: 'a.html', message: 'AccessDenied: <script>x</script>\n| table | row |' }],
      }),
    );
    expect(markdown).not.toMatch(/<img|<script|<\/details><img/);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdown).toContain('\\*\\*bold\\*\\*');
    expect(markdown).toContain('\\[link\\](https://evil.example)');
    const failure = markdown.split('\n').find((line) => line.startsWith('- `a.html`'))!;
    expect(failure).toBe('- `a.html`: AccessDenied: &lt;script&gt;x&lt;/script&gt; \\| table \\| row \\|');
  });

  it('bounds a very long reason', () => {
    const markdown = summaryMarkdown(report({ status: 'failed', reason: 'z'.repeat(5000) }));
    const quoted = markdown.split('\n').find((line) => line.startsWith('> '))!;
    expect(quoted.length).toBeLessThan(1100);
    expect(quoted.endsWith('…')).toBe(true);
  });
});
