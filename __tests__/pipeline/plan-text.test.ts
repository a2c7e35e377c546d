// The plan as printed in the log before any write: per change its key, header-only changes as old → new, and
// per rule (a default or the user's glob) the Content-Type and Cache-Control the files it covers get.
import { describe, expect, it } from '@jest/globals';
import { compileGlob } from '../../src/shared/globs.js';
import { type HeaderRules, type ObjectHeaders, headerChoice } from '../../src/pipeline/headers.js';
import type { Plan, PlannedWrite, SiteFile } from '../../src/pipeline/plan.js';
import { headerDifference, headerGroups, planLines } from '../../src/pipeline/plan-text.js';

const NO_RULES: HeaderRules = { cacheControl: [], contentType: [] };

function rules(cacheControl: string[]): HeaderRules {
  return {
    cacheControl: cacheControl.map((line) => {
      const [pattern = '', value = ''] = line.split(/:\s*/, 2);
      return { pattern, matches: compileGlob(pattern), value };
    }),
    contentType: [],
  };
}

function site(relativePath: string, headerRules = NO_RULES, prefix = ''): SiteFile {
  const { headers, rule } = headerChoice(relativePath, headerRules);
  return {
    relativePath,
    absolutePath: `/b/${relativePath}`,
    key: prefix + relativePath,
    size: 1,
    md5: 'm',
    headers,
    rule,
  };
}

function plan(uploads: PlannedWrite[], headerUpdates: PlannedWrite[] = [], deletes: string[] = []): Plan {
  return {
    uploads,
    headerUpdates,
    deletes,
    retained: [],
    unchanged: [],
    unchangedEntries: new Map(),
    excludedRemote: 0,
    otherDeployments: [],
    remoteKeys: [],
  };
}

const PAGES = ['index.html', 'about/index.html', 'docs/index.html', 'docs/a.html', 'docs/b.html'];

describe('planLines: headers per rule', () => {
  const written = [
    ...PAGES.map((file) => site(file)),
    site('assets/app.3f2a9c1b7d.css'),
    site('assets/app.9e107d9d.js'),
    site('images/logo.svg'),
    site('images/pattern.png'),
    site('robots.txt'),
  ];
  const { title, lines } = planLines(plan(written.map((file) => ({ file, reason: 'new' }))), 'deletes allowed: 50');
  const ruleLines = lines.filter((line) => line.startsWith('rule '));

  it('titles the plan with the counts', () => {
    expect(title).toBe('Plan: 10 new, 0 changed, 0 header updates, 0 deleted, 0 unchanged (deletes allowed: 50)');
  });

  it('prints one line per rule and headers, not one per file', () => {
    expect(ruleLines).toHaveLength(6);
    expect(ruleLines[0]).toBe(
      'rule     default: HTML page — 5 file(s) get Content-Type: text/html; charset=utf-8 · Cache-Control: public, max-age=0, must-revalidate (index.html, about/index.html, docs/index.html, …)',
    );
  });

  it('names each default, with its headers', () => {
    expect(ruleLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^rule {5}default: fingerprinted asset — 1 file\(s\) get Content-Type: text\/css; charset=utf-8 · Cache-Control: public, max-age=31536000, immutable \(assets\/app\.3f2a9c1b7d\.css\)$/,
        ),
        expect.stringMatching(
          /^rule {5}default: other — 1 file\(s\) get Content-Type: image\/png · Cache-Control: public, max-age=3600 \(images\/pattern\.png\)$/,
        ),
        expect.stringMatching(/^rule {5}default: other — 1 file\(s\) get Content-Type: text\/plain; charset=utf-8 /),
      ]),
    );
  });

  it("names the user's glob", () => {
    const file = site('images/pattern.png', rules(['images/**: public, max-age=86400']));
    const { lines: printed } = planLines(plan([{ file, reason: 'new' }]), '');
    expect(printed).toContain(
      "rule     cache-control 'images/**' — 1 file(s) get Content-Type: image/png · Cache-Control: public, max-age=86400 (images/pattern.png)",
    );
  });
});

describe('planLines: a header-only change', () => {
  const file = site('images/pattern.png', rules(['*.png: public, max-age=86400']));
  const previous: ObjectHeaders = { contentType: 'image/png', cacheControl: 'public, max-age=3600' };

  it('prints old → new and the rule behind the new value', () => {
    const { lines } = planLines(plan([], [{ file, reason: 'headers', previous }]), '');
    expect(lines).toContain(
      "headers  images/pattern.png: Cache-Control public, max-age=3600 → public, max-age=86400 (cache-control '*.png')",
    );
  });

  it('names both headers when both change, and says when the old ones are not known', () => {
    expect(headerDifference({ contentType: 'binary/octet-stream', cacheControl: '' }, file.headers)).toBe(
      'Content-Type binary/octet-stream → image/png; Cache-Control (none) → public, max-age=86400',
    );
    expect(headerDifference(undefined, file.headers)).toBe(
      'Content-Type image/png; Cache-Control public, max-age=86400 (previous not known)',
    );
  });
});

describe('headerGroups', () => {
  it('groups by rule first: the rule with the most files leads, its groups together', () => {
    const files = [
      site('a.png'),
      site('b.svg'),
      site('c.png'),
      site('index.html'),
      site('x.3f2a9c1b7d.js'),
      site('y.3f2a9c1b7d.js'),
    ];
    const changes = files.map((file) => ({
      key: file.key,
      kind: 'new' as const,
      headers: file.headers,
      rule: file.rule,
      bytes: 1,
    }));
    const groups = headerGroups([...changes, { key: 'gone.html', kind: 'deleted', bytes: 0 }]);
    expect(groups.map((group) => [group.rule, group.count, group.headers.contentType])).toEqual([
      ['default: other', 2, 'image/png'],
      ['default: other', 1, 'image/svg+xml; charset=utf-8'],
      ['default: fingerprinted asset', 2, 'text/javascript; charset=utf-8'],
      ['default: HTML page', 1, 'text/html; charset=utf-8'],
    ]);
  });
});
