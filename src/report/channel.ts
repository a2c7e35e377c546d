import { appendFileSync } from 'node:fs';
import * as core from '@actions/core';
import type { Log } from '../pipeline/ports.js';

/**
 * Where a run reports to. On the runner: workflow commands, the GITHUB_OUTPUT file and the job summary. In a
 * local run (no GITHUB_OUTPUT): plain text on the terminal — no `::set-output::` noise, and no `::add-mask::`
 * lines, which would print each secret in clear (nothing here prints a secret to begin with).
 */
export interface Channel extends Log {
  error(message: string): void;
  mask(secret: string): void;
  setOutputs(outputs: Record<string, string>): void;
  writeSummary(markdown: string): Promise<void>;
  fail(message: string): void;
}

/**
 * A line safe to print where the runner reads workflow commands: control characters (a key from the bucket
 * can hold a newline followed by `::error::`) are shown as escapes, and a line never starts with `::`.
 */
export function printable(line: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const escaped = line.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return escaped.startsWith('::') ? ` ${escaped}` : escaped;
}

export function runnerChannel(): Channel {
  return {
    info: (line) => core.info(printable(line)),
    warning: (line) => core.warning(line),
    notice: (line) => core.notice(line),
    error: (message) => core.error(message),
    group: (title, lines) => {
      core.startGroup(printable(title));
      for (const line of lines) core.info(printable(line));
      core.endGroup();
    },
    mask: (secret) => core.setSecret(secret),
    setOutputs: (outputs) => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    },
    writeSummary: async (markdown) => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    },
    fail: (message) => core.setFailed(message),
  };
}

/** Local runs. `--summary-file` / `--outputs-file` style destinations come in as paths (optional). */
export function terminalChannel(files: { summary?: string; outputs?: string } = {}): Channel {
  const out = (line: string) => process.stdout.write(`${printable(line)}\n`);
  const err = (line: string) => process.stderr.write(`${printable(line)}\n`);
  return {
    info: out,
    warning: (line) => err(`Warning: ${line}`),
    notice: (line) => out(`Notice: ${line}`),
    error: (message) => err(`Error: ${message}`),
    group: (title, lines) => {
      out(title);
      for (const line of lines) out(`  ${line}`);
    },
    mask: () => undefined,
    setOutputs: (outputs) => {
      const lines = Object.entries(outputs).map(([name, value]) => `${name}=${value}`);
      if (files.outputs) appendFileSync(files.outputs, `${lines.join('\n')}\n`);
      else out(['Outputs:', ...lines.map((line) => `  ${line}`)].join('\n'));
    },
    writeSummary: async (markdown) => {
      if (files.summary) appendFileSync(files.summary, markdown);
      else out(`\nJob summary:\n\n${markdown}`);
    },
    fail: (message) => {
      err(`Error: ${message}`);
      process.exitCode = 1;
    },
  };
}
