// What the runner makes of the lines the action prints (see ../support/runner-commands.ts for the runner's two
// parsers): no key or file name may become a workflow command, whatever it holds.
import { describe, expect, it } from '@jest/globals';
import { captureStdout } from '../support/stdout.js';
import { printable, runnerChannel, withoutLegacyCommands } from '../../src/report/channel.js';
import { runnerCommand } from '../support/runner-commands.js';

/** Text a key or file name can hold: each would be a command if printed as it is. */
const HOSTILE = [
  'x##[add-mask]y.html',
  'z##[warning]pwned.html',
  'docs/##[set-output name=result;]pwned',
  'a##[stop-commands]pwnedtoken',
  '###[error]three-hashes.html',
  '##[error]at-start ##[warning]twice.html',
  'docs/A##[ADD-MASK]upper.html',
  '::error::pwned-start.html',
  ' ::error::pwned-indented.html',
  '\u00a0::warning::pwned-nbsp.html',
  '\u3000\u2003::add-mask::pwned-ideographic',
  '\t::set-output name=result::pwned',
  'docs/a\n::error::pwned-newline.html',
  'docs/b\u2028##[error]pwned-separator.html',
];

describe('the model of the runner', () => {
  it('sees what the runner sees', () => {
    expect(runnerCommand('::error::x')).toEqual({ parser: 'V2', name: 'error' });
    expect(runnerCommand('   ::error::x')).toEqual({ parser: 'V2', name: 'error' });
    expect(runnerCommand('text ##[add-mask]secret')).toEqual({ parser: 'V1', name: 'add-mask' });
    expect(runnerCommand('##[set-output name=x;]y')).toEqual({ parser: 'V1', name: 'set-output' });
    expect(runnerCommand('text ::error::x')).toBeNull();
    expect(runnerCommand('##[unknown]x')).toBeNull();
    expect(runnerCommand('##\\[add-mask]x')).toBeNull();
    expect(runnerCommand('\\::error::x')).toBeNull();
    // Each hostile text, printed raw, is a command: the cases below test something.
    for (const text of HOSTILE.filter((t) => !/[\n\u2028]/.test(t))) expect(runnerCommand(text)).not.toBeNull();
  });
});

describe('printable', () => {
  it.each(HOSTILE.map((text) => [JSON.stringify(text), text] as const))(
    '%s is printed as a line that is no command, and contains no ##[',
    (_, text) => {
      const line = printable(text);
      expect(line.split(/\r\n|\r|\n/)).toEqual([line]);
      expect(runnerCommand(line)).toBeNull();
      expect(line).not.toContain('##[');
    },
  );

  it('stays readable: ##[ is shown as ##\\[, a leading :: as \\::, control characters as \\uXXXX', () => {
    expect(printable('x##[add-mask]y.html')).toBe('x##\\[add-mask]y.html');
    expect(printable('###[error]a')).toBe('###\\[error]a');
    expect(printable('::error::a')).toBe('\\::error::a');
    expect(printable('  ::error::a')).toBe('  \\::error::a');
    expect(printable('docs/a\n::error::b')).toBe('docs/a\\u000a::error::b');
    expect(printable('new      docs/index.html')).toBe('new      docs/index.html');
    expect(printable('a :: b ## [c]')).toBe('a :: b ## [c]');
  });
});

describe('withoutLegacyCommands (annotation messages)', () => {
  it('escapes every ##[ and nothing else', () => {
    expect(withoutLegacyCommands('z##[warning]pwned.html: refused\nnext line')).toBe(
      'z##\\[warning]pwned.html: refused\nnext line',
    );
    expect(withoutLegacyCommands('::error::x')).toBe('::error::x');
  });
});

describe('runnerChannel: what reaches stdout', () => {
  const stdout = captureStdout();

  const lines = () =>
    stdout.chunks
      .join('')
      .split(/\r\n|\r|\n/)
      .filter((line) => line !== '');

  it('info, group titles and group lines: no hostile text becomes a command, none holds a raw ##[', () => {
    const channel = runnerChannel();
    for (const text of HOSTILE) {
      channel.info(text);
      channel.info(`delete   ${text}`);
      channel.group(text, [text, `new      ${text}`]);
    }
    const printed = lines();
    expect(printed.length).toBeGreaterThan(HOSTILE.length * 4);
    // The only commands are the channel's own group markers.
    expect(printed.map(runnerCommand).filter((command) => command !== null && command.name !== 'endgroup')).toEqual(
      HOSTILE.map(() => ({ parser: 'V2', name: 'group' })),
    );
    expect(printed.filter((line) => line.includes('##['))).toEqual([]);
  });

  it('warnings, errors and notices: one annotation of our own each, with no raw ##[ in it', () => {
    const channel = runnerChannel();
    for (const text of HOSTILE) {
      channel.warning(`${text}: a warning`);
      channel.error(`${text}: an error`);
      channel.notice(`${text}: a notice`);
    }
    const printed = lines();
    expect(printed.map(runnerCommand)).toEqual(
      HOSTILE.flatMap(() => ['warning', 'error', 'notice'].map((name) => ({ parser: 'V2', name }))),
    );
    expect(printed.filter((line) => line.includes('##['))).toEqual([]);
  });
});
