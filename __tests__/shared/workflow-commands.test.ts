// shared/workflow-commands.ts writes what @actions/core 3.0.1 writes (the runner's protocol), byte for byte:
// checked against @actions/core itself (a development dependency kept for this), on hostile text.
import { describe, expect, it } from '@jest/globals';
import * as core from '@actions/core';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appendSummary, issueCommand, setOutput } from '../../src/shared/workflow-commands.js';
import { tempDir } from '../support/sites.js';
import { captureStdout } from '../support/stdout.js';

const TEXTS = [
  'plain',
  '',
  'a % b %25 c',
  'line one\nline two\r\nthree\rfour',
  '::error::injected',
  'key: value, another: one',
  'unicode é ✓ \u2028',
];

const stdout = captureStdout();

/** What `write` printed, and nothing left in the buffer. */
function take(write: () => void): string {
  stdout.chunks = [];
  write();
  return stdout.chunks.join('');
}

describe('issueCommand: what @actions/core prints', () => {
  it.each(TEXTS)('annotations, groups and masks of %j', (text) => {
    for (const severity of ['error', 'warning', 'notice'] as const) {
      expect(take(() => issueCommand(severity, text))).toBe(take(() => core[severity](text)));
      const where = { file: `dir/${text || 'x'}.html`, line: 12 };
      expect(take(() => issueCommand(severity, text, where))).toBe(
        take(() => core[severity](text, { file: where.file, startLine: where.line })),
      );
      expect(take(() => issueCommand(severity, text, { title: text, file: 'a,b:c.html', line: 3 }))).toBe(
        take(() => core[severity](text, { title: text, file: 'a,b:c.html', startLine: 3 })),
      );
    }
    expect(take(() => issueCommand('group', text))).toBe(take(() => core.startGroup(text)));
    expect(take(() => issueCommand('endgroup'))).toBe(take(() => core.endGroup()));
    if (text) expect(take(() => issueCommand('add-mask', text))).toBe(take(() => core.setSecret(text)));
  });
});

describe('setOutput and appendSummary: the files the runner reads', () => {
  it('writes each output as a delimited block @actions/core would, and reads back the same values', () => {
    const directory = tempDir('outputs');
    const ours = path.join(directory, 'ours');
    const theirs = path.join(directory, 'theirs');
    writeFileSync(ours, '');
    writeFileSync(theirs, '');
    const previous = process.env.GITHUB_OUTPUT;
    try {
      for (const [index, text] of TEXTS.entries()) {
        setOutput(`name-${index}`, text, ours);
        process.env.GITHUB_OUTPUT = theirs;
        core.setOutput(`name-${index}`, text);
      }
    } finally {
      if (previous === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = previous;
    }
    // The delimiters are random UUIDs: equal once each is replaced by a placeholder.
    const shape = (file: string) => readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER');
    expect(shape(ours)).toBe(shape(theirs));
    expect(new Set(readFileSync(ours, 'utf8').match(/ghadelimiter_[0-9a-f-]{36}/g)).size).toBe(TEXTS.length);
  });

  it('refuses without GITHUB_OUTPUT, and appends the summary only where there is a file', () => {
    expect(() => setOutput('x', 'y', '')).toThrow(/GITHUB_OUTPUT is not set/);
    const file = path.join(tempDir('summary'), 'summary.md');
    writeFileSync(file, '# one\n');
    appendSummary('## two\n', file);
    appendSummary('ignored', '');
    expect(readFileSync(file, 'utf8')).toBe('# one\n## two\n');
  });
});
