// Runs the bundled action (dist/index.js) as a child process, the way the GitHub runner does: under Node 24,
// every input from action.yml's defaults as INPUT_<NAME> (overridden per test), and GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files the test reads afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { NODE24 } from '../../tools/node24/ensure.mjs';
import { removeTree, tempDir, track } from './cleanup.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The Node binary the runner would use (`runs.using: node24`): tools/node24, which global-setup.mjs installs
 * on Linux x64; elsewhere (no such package) the Node running the tests stands in.
 */
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
  /** Killed because it ran longer than `timeoutMs`. */
  timedOut: boolean;
}

/** How long a run may take before it is killed: a deploy of the test sites takes well under 5 s. */
export const ACTION_TIMEOUT_MS = 30_000;

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
  /** Kill the run (SIGKILL) after this long; ACTION_TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** A command that runs node for us, e.g. ['setpriv', '--bounding-set=-all', ...] to drop privileges. */
  wrapper?: string[];
  /** Command-line arguments after dist/index.js (the local-run flags). */
  args?: string[];
  /** The Node binary to run it with; RUNNER_NODE by default. */
  node?: string;
  /** Called with the child process once it is spawned (to kill it mid-run). */
  onStart?: (child: ChildProcess) => void;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const work = tempDir('action-run');
  try {
    return await runIn(work, options);
  } finally {
    removeTree(work);
  }
}

async function runIn(work: string, options: RunOptions): Promise<ActionRun> {
  const outputFile = path.join(work, 'output');
  const summaryFile = path.join(work, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    // The run's own temp folder (global-setup.mjs): whatever the action leaves there fails the run.
    TMPDIR: os.tmpdir(),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    // The runner always sets the workspace, and 'source-dir' must be inside it: the tests' sites are all
    // under the run's temp folder. A test of the confinement itself sets its own.
    GITHUB_WORKSPACE: os.tmpdir(),
  };
  // The runner evaluates expressions in defaults (`${{ github.token }}`); a test has none of those values.
  for (const [name, spec] of Object.entries(actionYaml.inputs))
    env[inputVariable(name)] = (spec.default ?? '').includes('${{') ? '' : (spec.default ?? '');
  for (const [name, value] of Object.entries(options.inputs)) env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const [command, ...args] = [
    ...(options.wrapper ?? []),
    options.node ?? RUNNER_NODE,
    path.join(REPO, 'dist/index.js'),
    ...(options.args ?? []),
  ];
  const child = track(
    spawn(command!, args, {
      cwd: options.cwd ?? work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? ACTION_TIMEOUT_MS;
  const timer = setTimeout(() => {
    timedOut = true;
    stderr += `\n[test runner] killed after ${timeoutMs / 1000} s\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.killWhen?.test(stdout)) child.kill('SIGKILL');
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('close', (c, s) => resolve([c, s]));
    // Not started at all (e.g. EACCES: the binary is out of this user's reach): fail now, not at the timeout.
    child.once('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
  });
  options.onStart?.(child);
  const [code, signal] = await ended.finally(() => clearTimeout(timer));
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
    timedOut,
  };
}
