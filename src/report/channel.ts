import { writeFileSync } from 'node:fs';
import type { Log } from '../pipeline/ports.js';
import { logText } from '../shared/text.js';
import { appendSummary, issueCommand, setOutput } from '../shared/workflow-commands.js';

/**
 * Where a run reports to. On the runner: workflow commands, the GITHUB_OUTPUT file and the job summary. In a
 * local run (no GITHUB_OUTPUT): plain text on the terminal — no `::set-output::` noise, and no `::add-mask::`
 * lines, which would print each secret in clear (nothing here prints a secret to begin with).
 */
export interface Channel extends Log {
  error(message: string): void;
  /** An annotation on a line of a file (path relative to the workspace), or on none (`where` absent). */
  annotate(severity: 'error' | 'warning', message: string, where?: { file: string; line: number }): void;
  mask(secret: string): void;
  setOutputs(outputs: Record<string, string>): void;
  writeSummary(markdown: string): Promise<void>;
  fail(message: string): void;
}

/**
 * Text in which the runner's older command syntax cannot start: the runner looks for `##[` anywhere in a line
 * (`##[add-mask]secret`, `##[set-output name=x;]y`) when the line is not a `::` command, so every `##[` is
 * shown as `##\[`. Used as is for annotation messages (`::warning::…`), whose newlines
 * shared/workflow-commands.ts escapes.
 */
export function withoutLegacyCommands(text: string): string {
  return text.replace(/##\[/g, '##\\[');
}

/**
 * A line safe to print where the runner reads workflow commands: control characters (a key from the bucket
 * can hold a newline followed by `::error::`) are shown as escapes, `##[` is shown as `##\[`, and a line
 * whose first characters after any white space are `::` gets a `\` before them (the runner trims leading white
 * space, Unicode's included, before it looks for `::`, so a space in front would not do).
 */
export function printable(line: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const escaped = logText(line).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  // JavaScript's \s is a superset of the white space .NET's TrimStart() removes (U+0085 is escaped above).
  return withoutLegacyCommands(escaped).replace(/^(\s*)::/, '$1\\::');
}

export function runnerChannel(): Channel {
  return {
    info: (line) => process.stdout.write(`${printable(line)}\n`),
    // Annotations are `::warning::` commands, which the runner parses as such (never as `##[`); escaped anyway.
    warning: (line) => issueCommand('warning', withoutLegacyCommands(logText(line))),
    notice: (line) => issueCommand('notice', withoutLegacyCommands(logText(line))),
    error: (message) => issueCommand('error', withoutLegacyCommands(logText(message))),
    annotate: (severity, message, where) => {
      const text = withoutLegacyCommands(logText(message));
      issueCommand(severity, text, where ? { file: where.file, line: where.line } : {});
    },
    group: (title, lines) => {
      issueCommand('group', printable(title));
      for (const line of lines) process.stdout.write(`${printable(line)}\n`);
      issueCommand('endgroup');
    },
    mask: (secret) => issueCommand('add-mask', secret),
    setOutputs: (outputs) => {
      for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
    },
    writeSummary: async (markdown) => {
      appendSummary(markdown);
    },
    fail: (message) => {
      process.exitCode = 1;
      issueCommand('error', withoutLegacyCommands(logText(message)));
    },
  };
}

/** Where a local run writes what the runner would put in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY (paths). */
export interface LocalFiles {
  /** `--summary-file`: the job summary's Markdown. */
  summary?: string;
  /** `--outputs-file`: the outputs, one `name=value` a line. */
  outputs?: string;
}

/**
 * Local runs: plain text on the terminal (the summary as the Markdown it is, line by line), or the
 * outputs and the summary in the files given by `--outputs-file` / `--summary-file` (overwritten).
 */
export function terminalChannel(files: LocalFiles = {}): Channel {
  const out = (line: string) => process.stdout.write(`${printable(line)}\n`);
  const err = (line: string) => process.stderr.write(`${printable(line)}\n`);
  /** A text of ours that has several lines (the summary): each printed as its own line. */
  const outLines = (text: string) => {
    for (const line of text.split('\n')) out(line);
  };
  /** Writes the file; if it cannot, says so (the run fails) and prints the text instead. */
  const toFile = (flag: string, file: string, text: string, fallback: () => void) => {
    try {
      writeFileSync(file, text);
      out(`${flag === '--summary-file' ? 'Job summary' : 'Outputs'} written to ${file} (${flag}).`);
    } catch (error) {
      err(`Error: could not write ${flag} ${file}: ${(error as Error).message}`);
      process.exitCode = 1;
      fallback();
    }
  };
  const printOutputs = (lines: string[]) => outLines(['Outputs:', ...lines.map((line) => `  ${line}`)].join('\n'));
  const printSummary = (markdown: string) => outLines(`\nJob summary:\n\n${markdown}`);
  return {
    info: out,
    warning: (line) => err(`Warning: ${line}`),
    notice: (line) => out(`Notice: ${line}`),
    error: (message) => err(`Error: ${message}`),
    annotate: (severity, message, where) =>
      err(`${severity === 'error' ? 'Error' : 'Warning'}: ${where ? `${where.file}:${where.line}: ` : ''}${message}`),
    group: (title, lines) => {
      out(title);
      for (const line of lines) out(`  ${line}`);
    },
    // Nothing to register: no runner reads this output, and an `::add-mask::` line would print the secret.
    mask: () => undefined,
    setOutputs: (outputs) => {
      // One line each: a value is shown with its control characters escaped, so it cannot start another line.
      const lines = Object.entries(outputs).map(([name, value]) => printable(`${name}=${value}`));
      if (files.outputs) toFile('--outputs-file', files.outputs, `${lines.join('\n')}\n`, () => printOutputs(lines));
      else printOutputs(lines);
    },
    writeSummary: async (markdown) => {
      if (files.summary) toFile('--summary-file', files.summary, markdown, () => printSummary(markdown));
      else printSummary(markdown);
    },
    fail: (message) => {
      err(`Error: ${message}`);
      process.exitCode = 1;
    },
  };
}
