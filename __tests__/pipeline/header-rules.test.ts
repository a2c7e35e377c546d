// Which rule gives a file its headers: the label the plan and the job summary group files by.
import { describe, expect, it } from '@jest/globals';
import { compileGlob } from '../../src/shared/globs.js';
import { DEFAULT_RULES, type HeaderRules, headerChoice, headersFor } from '../../src/pipeline/headers.js';

// The README's values ("## Headers"), written out: not the constants of the code under test.
const REVALIDATE = 'public, max-age=0, must-revalidate';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ONE_HOUR = 'public, max-age=3600';

const NO_RULES: HeaderRules = { cacheControl: [], contentType: [] };

function rules(cacheControl: string[] = [], contentType: string[] = []): HeaderRules {
  const toRules = (lines: string[]) =>
    lines.map((line) => {
      const colon = line.indexOf(':');
      const pattern = line.slice(0, colon).trim();
      return { pattern, matches: compileGlob(pattern), value: line.slice(colon + 1).trim() };
    });
  return { cacheControl: toRules(cacheControl), contentType: toRules(contentType) };
}

describe('headerChoice: the built-in defaults are named', () => {
  it.each([
    ['index.html', 'default: HTML page', REVALIDATE],
    ['docs/a.htm', 'default: HTML page', REVALIDATE],
    ['sitemap.xml', 'default: XML or feed', REVALIDATE],
    ['blog/feed.rss', 'default: XML or feed', REVALIDATE],
    ['assets/app.3f2a9c1b7d.js', 'default: fingerprinted asset', IMMUTABLE],
    ['assets/main-9f86d081.css', 'default: fingerprinted asset', IMMUTABLE],
    ['images/pattern.png', 'default: other', ONE_HOUR],
    ['report-20240131.pdf', 'default: other', ONE_HOUR],
  ])('%s → %s', (file, rule, cacheControl) => {
    const choice = headerChoice(file, NO_RULES);
    expect(choice.rule).toBe(rule);
    expect(choice.headers.cacheControl).toBe(cacheControl);
  });

  it('labels read as the README names them', () => {
    expect(DEFAULT_RULES).toEqual({
      page: 'default: HTML page',
      document: 'default: XML or feed',
      fingerprinted: 'default: fingerprinted asset',
      other: 'default: other',
    });
  });
});

describe("headerChoice: the user's rules are named by their glob", () => {
  const user = rules(
    ['docs/**: public, max-age=86400', '*.png: public, max-age=600'],
    ['*.jsonl: application/x-lines'],
  );

  it('the first matching cache-control rule', () => {
    expect(headerChoice('docs/guide/index.html', user)).toEqual({
      rule: "cache-control 'docs/**'",
      headers: { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=86400' },
    });
    expect(headerChoice('docs/logo.png', user).rule).toBe("cache-control 'docs/**'");
    expect(headerChoice('images/logo.png', user).rule).toBe("cache-control '*.png'");
  });

  it('a content-type rule is named with the rule that set Cache-Control', () => {
    expect(headerChoice('data/examples.jsonl', user)).toEqual({
      rule: "content-type '*.jsonl' + default: other",
      headers: { contentType: 'application/x-lines', cacheControl: ONE_HOUR },
    });
    expect(headerChoice('docs/data.jsonl', user).rule).toBe("content-type '*.jsonl' + cache-control 'docs/**'");
  });

  it('a file no user rule matches keeps the default label', () => {
    expect(headerChoice('index.html', user).rule).toBe('default: HTML page');
  });

  it('the default of an overridden type is named after that type', () => {
    expect(headerChoice('a.page', rules([], ['*.page: text/html'])).rule).toBe(
      "content-type '*.page' + default: HTML page",
    );
  });
});

describe('headerChoice: cheap for 50,000 files', () => {
  it('returns one shared, frozen object per rule and headers', () => {
    const a = headerChoice('a/one.html', NO_RULES);
    const b = headerChoice('b/two.html', NO_RULES);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.headers)).toBe(true);
  });

  it('two rules that give the same headers share the headers object, not the choice', () => {
    const same = rules(['*.css: public, max-age=3600']);
    const byRule = headerChoice('style.css', same);
    const byDefault = headerChoice('style.css', NO_RULES);
    expect(byRule.rule).not.toBe(byDefault.rule);
    expect(byRule.headers).toBe(byDefault.headers);
  });

  it('headersFor gives the chosen headers: the matching rule, else the defaults', () => {
    const user = rules(['docs/**: no-store'], ['*.ts: text/plain; charset=utf-8']);
    expect(headersFor('docs/a.png', user)).toEqual({ contentType: 'image/png', cacheControl: 'no-store' });
    expect(headersFor('images/a.png', user)).toEqual({ contentType: 'image/png', cacheControl: ONE_HOUR });
    expect(headersFor('src/a.ts', user)).toEqual({ contentType: 'text/plain; charset=utf-8', cacheControl: ONE_HOUR });
    expect(headersFor('index.html', NO_RULES)).toEqual({
      contentType: 'text/html; charset=utf-8',
      cacheControl: REVALIDATE,
    });
  });
});
