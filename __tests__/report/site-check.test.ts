import { describe, expect, it } from '@jest/globals';
import type { SiteCheckResult } from '../../src/pipeline/site-check.js';
import { siteCheckMarkdown } from '../../src/report/site-check.js';

describe('siteCheckMarkdown', () => {
  it('says so when nothing is broken', () => {
    const result: SiteCheckResult = { pages: 3, references: 40, broken: [], octetStream: [] };
    expect(siteCheckMarkdown(result)).toBe(
      '### Site check\n\n3 pages, 40 references to the site: **0 broken targets**, 0 outside this deploy.\n',
    );
  });

  it('lists broken targets with their referrers as code spans, then the ones outside the deploy, then octet-streams', () => {
    const result: SiteCheckResult = {
      pages: 2,
      references: 7,
      broken: [
        {
          target: '/css/site.css',
          kind: 'outside-prefix',
          referrers: [{ file: 'index.html', line: 3, reference: '/css/site.css' }],
        },
        {
          target: 'LICENSE/index.html',
          kind: 'missing',
          referrers: [{ file: 'index.html', line: 9, reference: '/LICENSE' }],
          note: "the build has 'LICENSE', but the CDN redirects …",
        },
        {
          target: 'docs/a`b.html#x',
          kind: 'fragment',
          referrers: [{ file: 'docs/<b>.html', line: 1, reference: 'a`b.html#x' }],
        },
        {
          target: 'bad%zz.html',
          kind: 'bad-url',
          referrers: [{ file: 'index.html', line: 4, reference: 'bad%zz.html' }],
        },
      ],
      octetStream: ['docs/objects.inv'],
    };
    expect(siteCheckMarkdown(result).split('\n')).toEqual([
      '### Site check',
      '',
      '2 pages, 7 references to the site: **3 broken targets**, 1 outside this deploy.',
      '',
      '#### Broken (3)',
      '',
      '- missing `LICENSE/index.html` (1 reference)',
      "  - the build has 'LICENSE', but the CDN redirects …",
      '  - `index.html` line 9: `/LICENSE`',
      '- no anchor ``docs/a`b.html#x`` (1 reference)',
      '  - `docs/<b>.html` line 1: ``a`b.html#x``',
      '- bad URL `bad%zz.html` (1 reference)',
      '  - `index.html` line 4: `bad%zz.html`',
      '',
      '#### Outside this deploy (not checked) (1)',
      '',
      '- outside `/css/site.css` (1 reference)',
      '  - `index.html` line 3: `/css/site.css`',
      '',
      '#### Served as `application/octet-stream` (1)',
      '',
      'Their extension has no known type: `docs/objects.inv`. Set it with the `content-type` input, e.g. `*.inv: TYPE`.',
      '',
    ]);
  });

  it('shows the first 50 targets and the first 10 referrers of each', () => {
    const referrers = Array.from({ length: 12 }, (_, index) => ({
      file: `page-${index}.html`,
      line: 1,
      reference: 'x.png',
    }));
    const broken = Array.from({ length: 51 }, (_, index) => ({
      target: `missing-${String(index).padStart(2, '0')}.png`,
      kind: 'missing' as const,
      referrers: index === 0 ? referrers : referrers.slice(0, 1),
    }));
    const lines = siteCheckMarkdown({ pages: 12, references: 62, broken, octetStream: [] }).split('\n');
    expect(lines.slice(0, 19)).toEqual([
      '### Site check',
      '',
      '12 pages, 62 references to the site: **51 broken targets**, 0 outside this deploy.',
      '',
      '#### Broken (first 50 of 51)',
      '',
      '- missing `missing-00.png` (12 references)',
      '  - `page-0.html` line 1: `x.png`',
      '  - `page-1.html` line 1: `x.png`',
      '  - `page-2.html` line 1: `x.png`',
      '  - `page-3.html` line 1: `x.png`',
      '  - `page-4.html` line 1: `x.png`',
      '  - `page-5.html` line 1: `x.png`',
      '  - `page-6.html` line 1: `x.png`',
      '  - `page-7.html` line 1: `x.png`',
      '  - `page-8.html` line 1: `x.png`',
      '  - `page-9.html` line 1: `x.png`',
      '  - … and 2 more (see the log)',
      '- missing `missing-01.png` (1 reference)',
    ]);
    expect(lines.slice(-4)).toEqual([
      '  - `page-0.html` line 1: `x.png`',
      '- missing `missing-49.png` (1 reference)',
      '  - `page-0.html` line 1: `x.png`',
      '',
    ]);
  });
});
