import { describe, expect, it } from '@jest/globals';
import { GlobError, anyMatcher, compileGlob, inputLines } from '../../src/shared/globs.js';

describe('compileGlob', () => {
  it.each<[string, string, boolean]>([
    // No slash: the name at any depth (basename semantics).
    ['*.html', 'index.html', true],
    ['*.html', 'docs/a/b.html', true],
    ['*.html', 'index.htm', false],
    ['*.html', 'index.html.bak', false],
    ['*.html', 'html', false],
    ['.DS_Store', 'a/b/.DS_Store', true],
    ['.DS_Store', '.DS_Store', true],
    ['.DS_Store', 'x.DS_Store', false],
    // A slash inside: anchored at the site root.
    ['docs/*.html', 'docs/a.html', true],
    ['docs/*.html', 'docs/x/a.html', false],
    ['docs/*.html', 'other/docs/a.html', false],
    ['docs/*.html', 'a.html', false],
    ['static/**', 'static/js/app.js', true],
    ['static/**', 'assets/static/js/app.js', false],
    // A leading slash only anchors.
    ['/index.html', 'index.html', true],
    ['/index.html', 'docs/index.html', false],
    ['/drafts', 'drafts/a.md', true],
    ['/drafts', 'x/drafts/a.md', false],
    // A directory name also matches everything below it.
    ['drafts', 'drafts', true],
    ['drafts', 'drafts/a/b.md', true],
    ['drafts', 'x/drafts/y', true],
    ['drafts', 'drafts-old/a.md', false],
    ['drafts', 'mydrafts/a.md', false],
    ['drafts/', 'drafts/a.md', true],
    ['drafts/', 'drafts', false], // a file named drafts: a trailing slash names directories only
    ['drafts/', 'x/drafts/a.md', true],
    ['docs/_sources/', 'docs/_sources/index.rst.txt', true],
    ['docs/_sources/', 'docs/_sources/a/b/c.txt', true],
    ['docs/_sources/', 'docs/_sourcesx/a.txt', false],
    ['docs/_sources/', 'docs/index.html', false],
    ['docs/_sources/', 'x/docs/_sources/a.txt', false],
    // Globstar.
    ['**/*.map', 'app.js.map', true],
    ['**/*.map', 'static/js/app.js.map', true],
    ['**/*.map', 'static/js/app.js', false],
    // Dotfiles and dot directories are matched like anything else.
    ['.well-known', '.well-known/x', true],
    ['.well-known', '.well-known/acme-challenge/token', true],
    ['*', '.hidden', true],
    ['*.txt', '.well-known/security.txt', true],
    ['static/*', 'static/.env', true],
    // Braces.
    ['*.{png,jpg}', 'img/a.png', true],
    ['*.{png,jpg}', 'a.jpg', true],
    ['*.{png,jpg}', 'a.gif', false],
    // Surrounding whitespace is ignored.
    ['  *.html  ', 'a/index.html', true],
    // Character classes.
    ['v[0-9].html', 'v1.html', true],
    ['v[0-9].html', 'va.html', false],
  ])('%j matches %j: %s', (pattern, path, expected) => {
    expect(compileGlob(pattern)(path)).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ['', /empty pattern/],
    ['   ', /empty pattern/],
    ['!x', /negated patterns/],
    ['!*.html', /negated patterns/],
    ['a\\b', /'\/' as the path separator/],
    ['[', /'\['/],
    ['foo[', /'foo\['/],
    ['/', /matches nothing/],
    ['//', /matches nothing/],
  ])('rejects %j with a GlobError', (pattern, message) => {
    let thrown: unknown;
    try {
      compileGlob(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GlobError);
    expect((thrown as Error).message).toMatch(message);
  });

  it("suggests '**' when a pattern matches nothing", () => {
    expect(() => compileGlob('/')).toThrow(/did you mean '\*\*'/);
  });
});

describe('anyMatcher', () => {
  it.each<[string, boolean]>([
    ['a.map', true],
    ['drafts/x.html', true],
    ['index.html', false],
  ])('%j: %s', (path, expected) => {
    expect(anyMatcher([compileGlob('*.map'), compileGlob('drafts')])(path)).toBe(expected);
  });

  it('matches nothing with no matchers', () => {
    expect(anyMatcher([])('anything')).toBe(false);
  });
});

describe('inputLines', () => {
  it.each<[string, string, string[]]>([
    ['empty', '', []],
    ['blank lines only', '\n  \n\t\n', []],
    ['one line', '*.map', ['*.map']],
    ['trims', '  *.map  \n\tdrafts\t', ['*.map', 'drafts']],
    ['drops comments', '# a comment\n*.map\n  # indented comment\ndrafts', ['*.map', 'drafts']],
    ['keeps a # that is not at the start', 'a#b', ['a#b']],
    ['CRLF', '*.map\r\ndrafts\r\n', ['*.map', 'drafts']],
    ['mixed line endings', 'a\r\n\r\nb\nc', ['a', 'b', 'c']],
    ['keeps order and duplicates', 'b\na\nb', ['b', 'a', 'b']],
  ])('%s', (_title, text, expected) => {
    expect(inputLines(text)).toEqual(expected);
  });

  it('leaves no carriage return in any line', () => {
    for (const line of inputLines('x\r\ny\r\n\r\nz\r')) expect(line).not.toMatch(/\r/);
  });
});
